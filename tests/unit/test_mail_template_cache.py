"""An administrator's edit of a mail template takes effect without a restart (the file's stamp
is trusted for a moment only, so a sync rendering thousands of acknowledgements skips the stat)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.resources import resources_dir
from desktop.services import mail_templates


def test_edited_template_is_used_once_its_stamp_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir() / "mail", copy / "mail")
    monkeypatch.setenv("REGLAMENT_RESOURCES", str(copy))
    clock = [1000.0]
    monkeypatch.setattr(mail_templates.time, "monotonic", lambda: clock[0])
    path = copy / "mail" / "en" / "ack.txt"
    path.write_text("Subject: Received {{ tid }}\nFirst wording.\n", encoding="utf-8")
    assert mail_templates.render_mail("ack", "en", {"tid": "TID-000001"}).body == "First wording."

    path.write_text("Subject: Received {{ tid }}\nSecond wording, longer.\n", encoding="utf-8")
    clock[0] += mail_templates.STAMP_TTL + 0.1
    mail = mail_templates.render_mail("ack", "en", {"tid": "TID-000001"})
    assert (mail.subject, mail.body) == ("Received TID-000001", "Second wording, longer.")


def test_a_removed_template_is_reported_in_plain_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "resources"
    shutil.copytree(resources_dir() / "mail", copy / "mail")
    monkeypatch.setenv("REGLAMENT_RESOURCES", str(copy))
    clock = [5000.0]
    monkeypatch.setattr(mail_templates.time, "monotonic", lambda: clock[0])
    (copy / "mail" / "en" / "ack.txt").unlink()
    with pytest.raises(mail_templates.NotFound, match=r"ack\.txt is missing"):
        mail_templates.render_mail("ack", "en", {"tid": "TID-000001"})
