"""A workspace's own wording of an automatic mail (Settings ▸ Reply templates) is what clients get;
bad wordings are refused when saved, not when the mail is due; empty goes back to the shipped one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.errors import ConflictError, ValidationError
from desktop.services import replies
from desktop.store.models import Message
from tests.unit.test_ingest import account, ingest, mail


def _ack(files: list[replies.MailTemplateFile], lang: str = "ru") -> replies.MailTemplateFile:
    return next(f for f in files if f.kind == "ack" and f.language == lang)


def _last_ack_text(ws) -> tuple[str, str]:
    with ws.db.session() as s:
        row = s.scalars(select(Message).where(Message.threaded_by == "outgoing").order_by(Message.id.desc())).first()
        assert row is not None
        return row.subject, row.text


def test_own_wording_is_sent_and_empty_restores_the_shipped_one(ws) -> None:
    acc = account(ws)
    shipped = _ack(replies.mail_template_files(ws))
    assert shipped.override is None and shipped.text == shipped.source
    saved = replies.set_mail_template(
        ws, shipped, "Subject: Мы получили ваше письмо — {{ tid }}\nЗдравствуйте, {{ requester_name }}! Номер {{ tid }}.")
    assert _ack(replies.mail_template_files(ws)).override == saved.override
    ingest(ws, acc, mail("Вопрос про отчёт"))
    subject, text = _last_ack_text(ws)
    assert subject.startswith("Мы получили ваше письмо — TID-") and text.startswith("Здравствуйте, Мария! Номер TID-")

    back = replies.set_mail_template(ws, saved, "")
    assert back.override is None and _ack(replies.mail_template_files(ws)).override is None
    ingest(ws, acc, mail("Другой вопрос", msgid="<other@romashka.ru>"), start_uid=2)
    assert not _last_ack_text(ws)[0].startswith("Мы получили")


def test_bad_wordings_are_refused_in_plain_words(ws) -> None:
    shipped = _ack(replies.mail_template_files(ws), "en")
    with pytest.raises(ValidationError, match="must start with a 'Subject:' line"):
        replies.set_mail_template(ws, shipped, "Hello {{ tid }}")
    with pytest.raises(ValidationError, match="cannot use invoice_total"):
        replies.set_mail_template(ws, shipped, "Subject: {{ tid }}\nPay {{ invoice_total }}")
    with pytest.raises(ValidationError, match="broken at line"):
        replies.set_mail_template(ws, shipped, "Subject: {{ tid }}\n{% if %}")
    assert _ack(replies.mail_template_files(ws), "en").override is None


def test_a_wording_changed_meanwhile_is_not_overwritten_silently(ws) -> None:
    seen = _ack(replies.mail_template_files(ws))
    replies.set_mail_template(ws, seen, "Subject: {{ tid }}\nПервый вариант.")
    with pytest.raises(ConflictError):
        replies.set_mail_template(ws, seen, "Subject: {{ tid }}\nВторой вариант.")
    assert _ack(replies.mail_template_files(ws)).override == "Subject: {{ tid }}\nПервый вариант."
