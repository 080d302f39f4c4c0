"""Reglament's engine: everything a workstation does, without a window."""

__version__ = "0.1.0"
