"""Where the shipped resources (templates, fonts, translations, demo data) are.

An administrator may point ``REGLAMENT_RESOURCES`` at an edited copy; otherwise the folder next to
the packages is used (source checkout, editable install, or a frozen bundle's data folder).
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


@lru_cache(maxsize=1)
def _shipped() -> Path:
    """Resolved once: resolving walks the file system, and a sync renders an acknowledgement
    template (which asks for this folder) per new ticket."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
