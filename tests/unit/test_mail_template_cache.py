"""A mail template's file stamp is trusted for a moment only (a sync rendering thousands of
acknowledgements skips the stat); a template removed meanwhile is still reported in plain words.
The edit-takes-effect case is in test_ingest_speed.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.mail import templates
from desktop.resources import resources_dir


def test_a_removed_template_is_reported_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir() / "mail", copy / "mail")
    monkeypatch.setenv("REGLAMENT_RESOURCES", str(copy))
    clock = [5000.0]
    monkeypatch.setattr(templates.time, "monotonic", lambda: clock[0])
    (copy / "mail" / "en" / "ack.txt").unlink()
    with pytest.raises(templates.NotFound, match=r"ack\.txt is missing"):
        templates.render_mail("ack", "en", {"tid": "TID-000001"})
