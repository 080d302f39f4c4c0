"""The agent's time zone on this workstation: chosen in Settings ▸ Workstation, kept in the
data folder's ``settings.json`` beside the agent's login, applied at once to every time the
window shows (:mod:`desktop.times`)."""

from __future__ import annotations

from desktop import settings, times
from desktop.config import load_local_settings, save_local_settings
from desktop.services.workspace import Workspace

KEY = settings.LOCAL_DISPLAY_ZONE.key


def chosen_zone(ws: Workspace) -> str:
    """The zone chosen for this workstation, or "" when the computer's own is followed."""
    return str(ws.local.get(KEY) or "")


def choose_zone(ws: Workspace, name: str) -> str:
    """Show times in ``name`` from now on ("" : the computer's zone); refused by name when the
    zone is unknown. Returns the value kept."""
    value = settings.LOCAL_DISPLAY_ZONE.check(name) if name.strip() else ""
    data = load_local_settings(ws.paths)
    if value:
        data[KEY] = value
    else:
        data.pop(KEY, None)
    save_local_settings(ws.paths, data)
    ws.local[KEY] = value
    times.set_viewer_zone(value)
    return value
