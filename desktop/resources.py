"""Where the shipped resources (templates, fonts, translations, demo data) are.

An administrator may point ``REGLAMENT_RESOURCES`` at an edited copy; otherwise the shipped folder
is used: a frozen bundle's data folder, the checkout's ``resources/`` (source tree, editable
install), or the copy an installed wheel carries inside this package (``desktop/_resources``).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("REGLAMENT_RESOURCES")
    if override:
        return Path(override)
    return _shipped()


def shipped_dir() -> Path:
    """The resources that came with the program, whatever ``REGLAMENT_RESOURCES`` says (the
    built-in act templates and fonts an edited copy falls back on)."""
    return _shipped()


@lru_cache(maxsize=1)
def _shipped() -> Path:
    """Resolved once: resolving walks the file system, and a sync renders an acknowledgement
    template (which asks for this folder) per new ticket."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    here = Path(__file__).resolve().parent
    checkout = here.parent / "resources"
    if (checkout / "translations").is_dir():
        return checkout
    return here / "_resources"
