"""Rework of a refused act tracked like a deadline (R-ACT-3): listed on the ticket (JSON and
text), a "Rework due" queue view, the queue row's countdown, the dashboard; marked done from
the command line; the newest act saved as PDF or DOCX."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.errors import NotFound
from desktop.services import acts
from desktop.services.reads import listing
from desktop.services.reads import queue as qs
from desktop.services.reads.dashboard import build_dashboard, export_csv
from tests.unit.test_act_services import _resolved_ticket

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None and not __import__("os").environ.get("CI"),
                                reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(autouse=True)
def _widgets_app(qapp):  # type: ignore[no-untyped-def]
    return qapp


def refused(ws, clock, tmp_path: Path) -> str:
    """A ticket whose act the client refused, with two rework items (20 and 27 November)."""
    tid = _resolved_ticket(ws, clock, paid=False)
    acts.issue_act(ws, tid, out_dir=tmp_path)
    acts.send_act(ws, tid)
    acts.refuse_act(ws, tid, ["Форма не работает в Safari", "Нет уведомления на почту"],
                    [("Исправить форму в Safari", date(2026, 11, 20)),
                     ("Добавить уведомление менеджеру", date(2026, 11, 27))], out_dir=tmp_path)
    return tid


def test_the_ticket_lists_its_acts_and_rework(ws, clock, tmp_path) -> None:
    tid = refused(ws, clock, tmp_path)
    d = listing.ticket_detail(ws, tid)
    assert [(a["kind"], a["status"]) for a in d["acts"]] == [("acceptance", "refused"), ("bilateral", "issued")]
    assert d["acts"][0]["refusal_reasons"] == ["Форма не работает в Safari", "Нет уведомления на почту"]
    assert [(r["description"], r["state"], r["done_at"]) for r in d["rework"]] == [
        ("Исправить форму в Safari", "ok", None), ("Добавить уведомление менеджеру", "ok", None)]
    assert d["rework"][0]["deadline_at"] == "2026-11-20T20:59:59+00:00"  # 23:59:59 in Moscow
    clock.advance(days=3, hours=7)  # Fri 20 Nov 17:00 Moscow: the first is in its last day
    assert [r["state"] for r in listing.ticket_detail(ws, tid)["rework"]] == ["warning", "ok"]
    clock.advance(days=1)
    d = listing.ticket_detail(ws, tid)
    assert [r["state"] for r in d["rework"]] == ["breached", "ok"]

    from desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="rework item 2 says nothing"):
        acts.refuse_act(ws, tid, ["x"], [("a", date(2026, 12, 1)), (" ", date(2026, 12, 1))])
    first = d["rework"][0]["id"]
    with pytest.raises(NotFound):
        acts.complete_rework(ws, first, "TID-999999")
    assert acts.complete_rework(ws, first, tid) == "Исправить форму в Safari"
    d = listing.ticket_detail(ws, tid)
    assert [r["state"] for r in d["rework"]] == ["ok", "done_late"]  # still to do first
    line = d["history"][-1]
    assert (line["action"], line["new"]) == ("rework_done", "Исправить форму в Safari")


def test_rework_view_queue_countdown_and_dashboard(ws, clock, tmp_path) -> None:
    tid = refused(ws, clock, tmp_path)
    other = _resolved_ticket(ws, clock, paid=False)
    ids = qs.fetch_ids(ws, qs.QueueSpec(view="rework"))
    assert len(ids) == 1 and qs.view_counts(ws)["rework"] == 1
    line = qs.fetch_page(ws, ids, "en")[ids[0]]
    assert line.row.tid == tid and line.state == "ok"
    assert line.texts[qs.COLUMNS.index("due")] == "rework · 3 d 13 h left"
    assert qs.fetch_page(ws, ids, "ru")[ids[0]].texts[qs.COLUMNS.index("due")] == "доработка · осталось 3 дн 13 ч"
    head = qs.fetch_head(ws, qs.QueueSpec(view="rework"), 10, "en")
    assert head.ids == ids and head.total == 1

    assert ids[0] not in qs.fetch_ids(ws, qs.QueueSpec(view="breaching"))
    clock.advance(days=5)
    assert ids[0] in qs.fetch_ids(ws, qs.QueueSpec(view="breaching"))  # overdue rework is at risk too
    line = qs.fetch_page(ws, ids, "en")[ids[0]]
    assert line.state == "breached" and line.texts[qs.COLUMNS.index("due")].startswith("rework · overdue by 1 d")

    dash = build_dashboard(ws, date(2026, 11, 1), date(2026, 11, 30))
    assert [(r["tid"], r["state"]) for r in dash.rework_due] == [(tid, "breached"), (tid, "ok")]
    csv = (export_csv(dash, tmp_path / "csv")[-3]).read_text(encoding="utf-8-sig")
    assert "Исправить форму в Safari" in csv and csv.startswith("tid,act,description")

    for item in acts.rework_items(ws, tid):
        acts.complete_rework(ws, item.id)
    assert qs.fetch_ids(ws, qs.QueueSpec(view="rework")) == [] and other


def _pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_the_newest_act_saved_as_pdf_or_docx(ws, clock, tmp_path) -> None:
    from docx import Document

    tid = refused(ws, clock, tmp_path)
    pdf = acts.save_act(ws, tid, "pdf", tmp_path / "out" / "bilateral.pdf")
    assert pdf.kind == "bilateral" and pdf.number == "А-2026-0002"
    text = _pdf_text(pdf.path)
    assert "Исправить форму в Safari" in text and "27.11.2026" in text and "А-2026-0001" in text
    docx = acts.save_act(ws, tid, "docx", tmp_path / "out" / "bilateral.docx")
    doc = Document(str(docx.path))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "А-2026-0002" in body and "Добавить уведомление менеджеру" in body and "27.11.2026" in body
    assert "Форма не работает в Safari" in body
    again = acts.save_act(ws, tid, "docx", tmp_path / "again.docx")  # kept: the same file again
    assert again.path.read_bytes() == docx.path.read_bytes()

    fresh = _resolved_ticket(ws, clock, paid=True)  # no act yet: the acceptance act is issued
    made = acts.save_act(ws, fresh, "docx", tmp_path / "acceptance.docx")
    assert made.kind == "acceptance" and made.path.exists()
    assert [a["kind"] for a in acts.acts_of(ws, fresh)] == ["acceptance"]


def test_rework_on_the_command_line(ws, clock, tmp_path, capsys) -> None:
    tid = refused(ws, clock, tmp_path)
    home = str(ws.paths.home)
    capsys.readouterr()
    assert main(["--home", home, "act-rework", tid, "--json"]) == 0
    import json

    items = json.loads(capsys.readouterr().out)
    assert [i["description"] for i in items] == ["Исправить форму в Safari", "Добавить уведомление менеджеру"]
    assert main(["--home", home, "ticket", "show", tid]) == 0
    shown = capsys.readouterr().out
    assert f"rework {items[0]['id']}: Исправить форму в Safari — due 2026-11-20" in shown
    assert "act А-2026-0002 (bilateral, issued)" in shown
    assert main(["--home", home, "act-rework-done", tid, str(items[0]["id"])]) == 0
    assert "rework item" in capsys.readouterr().out
    assert listing.ticket_detail(ws, tid)["rework"][-1]["done_at"] is not None
    assert main(["--home", home, "act-rework-done", tid, "99999"]) == 1
    assert "there is no rework item 99999" in capsys.readouterr().err
    out = tmp_path / "saved.docx"
    assert main(["--home", home, "act-save", tid, "--format", "docx", "--to", str(out)]) == 0
    assert out.exists() and capsys.readouterr().out.strip() == str(out)


def test_people_are_warned_of_rework_due_and_overdue(ws, clock, tmp_path) -> None:
    """The assignee in the item's last day, the team leads once it is overdue; once each, only in
    working hours, in the tray or by mail as the SLA warnings."""
    from sqlalchemy import select

    from desktop.services.background.escalation import pending_tray
    from desktop.services.background.timers import run_timers
    from desktop.store.models import Agent, OutboxItem

    tid = refused(ws, clock, tmp_path)
    with ws.db.session() as s:
        s.add(Agent(login="boss", name="Руководитель", email="boss@reglament.test", role="lead"))
    assert not [w for w in run_timers(ws).warnings.sent if w[0] == tid]  # days to go: nobody
    clock.advance(days=3, hours=7)  # Fri 20 Nov 17:00 Moscow: the first item's last day
    sent = run_timers(ws).warnings.sent
    assert (tid, "assignee", "tester", "tray") in sent
    assert [(w.title, w.tid) for w in pending_tray(ws, "en")] == [(f"{tid}: rework due soon", tid)]
    assert not [w for w in run_timers(ws).warnings.sent if w[0] == tid]  # told once
    clock.advance(days=1)  # Sat 21 Nov 17:00: overdue, but nobody works on Saturday
    report = run_timers(ws).warnings
    assert (tid, "lead") in report.held and not [w for w in report.sent if w[0] == tid]
    clock.advance(days=2)  # Mon 23 Nov 17:00
    assert (tid, "lead", "boss", "mail") in run_timers(ws).warnings.sent
    with ws.db.session() as s:
        mail = s.scalars(select(OutboxItem).where(OutboxItem.kind == "sla_warning")).one()
        from email import message_from_bytes, policy

        sent_mail = message_from_bytes(ws.blobs.get(mail.raw_sha256), policy=policy.default)
        assert sent_mail["Subject"] == f"{tid}: срок доработки прошёл"  # the workspace's mail language
