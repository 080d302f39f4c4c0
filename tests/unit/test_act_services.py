"""Acts through the services (R-ACT-1..3): issue, send, accept, refuse → bilateral → rework → new act."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.errors import ValidationError
from desktop.services import acts, clients, tickets
from desktop.services.reads import listing
from desktop.services.tickets.create import NewTicket, create_ticket_in
from desktop.store.models import Act, OutboxItem

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None and not __import__("os").environ.get("CI"),
                                reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(autouse=True)
def _widgets_app(qapp):  # type: ignore[no-untyped-def]
    """Render under pytest-qt's QApplication so later widget tests in this process still work."""
    return qapp


def _resolved_ticket(ws, clock, paid: bool = True) -> str:
    if not clients.list_clients(ws):
        clients.add_client(ws, "ООО «Ромашка и Партнёры — Очень Длинное Название Компании»",
                           domains=["romashka.ru"], plan="commercial", contract_no="К-2025/042",
                           inn="7714123456", kpp="771401001", address="119021, г. Москва, ул. Льва Толстого, д. 16",
                           signatory="Иванова М. А.")
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="Форма", requester="m@romashka.ru",
                                                received_at=clock())).tid
    tickets.take_into_work(ws, tid, notify=False)
    tickets.log_work(ws, tid, "Диагностика и исправление формы обратной связи", 150, "6250.00")
    tickets.log_work(ws, tid, "Проверка на рабочем сайте", 30, "1250.00")
    if paid:
        tickets.set_paid(ws, tid, True, "Работы вне рамок тарифа")
    tickets.resolve(ws, tid, notify=False)
    return tid


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_issue_send_accept(ws, clock, tmp_path) -> None:
    tid = _resolved_ticket(ws, clock)
    issued = acts.issue_act(ws, tid, out_dir=tmp_path)
    assert issued.number == "А-2026-0001" and issued.path.exists()
    text = _text(issued.path)
    for needle in ("А-2026-0001", "ООО «Регламент Сервис»", "7714123456", tid, "К-2025/042",
                   "Семь тысяч пятьсот рублей 00 копеек"):
        assert needle in " ".join(text.split()), needle
    again = acts.issue_act(ws, tid, out_dir=tmp_path)
    assert again.number == issued.number  # unanswered: re-rendered, no new number
    acts.send_act(ws, tid)
    with ws.db.session() as s:
        out = s.scalars(select(OutboxItem).where(OutboxItem.kind == "act")).one()
        raw = ws.blobs.get(out.raw_sha256)
        assert b"application/pdf" in raw
        act = s.scalars(select(Act)).one()
        assert act.status == "sent" and act.expires_at is not None
    acts.accept_act(ws, tid)
    assert listing.ticket_detail(ws, tid)["status"] == "closed"


def test_docx(ws, clock, tmp_path) -> None:
    from docx import Document

    tid = _resolved_ticket(ws, clock)
    path = acts.issue_act(ws, tid, fmt="docx", out_dir=tmp_path).path
    doc = Document(str(path))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "А-2026-0001" in body and tid in body and "Семь тысяч пятьсот рублей 00 копеек" in body


def test_refusal_bilateral_rework_new_act(ws, clock, tmp_path) -> None:
    tid = _resolved_ticket(ws, clock)
    acts.issue_act(ws, tid, out_dir=tmp_path)
    acts.send_act(ws, tid)
    with pytest.raises(ValidationError):
        acts.refuse_act(ws, tid, [], [("x", date(2026, 12, 1))])
    bil = acts.refuse_act(ws, tid, ["Форма не работает в Safari"],
                          [("Исправить форму в Safari", date(2026, 11, 20)),
                           ("Добавить уведомление", date(2026, 11, 27))], out_dir=tmp_path)
    assert bil.kind == "bilateral" and bil.number == "А-2026-0002"
    text = " ".join(_text(bil.path).split())
    assert "Исправить форму в Safari" in text and "20.11.2026" in text and "А-2026-0001" in text
    assert listing.ticket_detail(ws, tid)["status"] == "in_progress"
    items = acts.rework_items(ws, tid)
    assert [i.status for i in items] == ["ok", "ok"]
    clock.advance(days=4)  # 2026-11-21: the first item is overdue
    items = acts.rework_items(ws, tid)
    assert items[0].status == "breached" and items[0].label("en").startswith("overdue by")
    for i in items:
        acts.complete_rework(ws, i.id)
    assert [i.status for i in acts.rework_items(ws, tid)] == ["done_late", "done"]
    tickets.resolve(ws, tid, notify=False)
    new = acts.issue_act(ws, tid, out_dir=tmp_path)
    assert new.number == "А-2026-0003"
    assert [a["status"] for a in acts.acts_of(ws, tid)] == ["refused", "issued", "issued"]


def test_act_needs_client_and_work(ws, clock) -> None:
    with ws.db.session() as s:
        tid = create_ticket_in(s, ws, NewTicket(subject="x", requester="who@gmail.com", received_at=clock())).tid
    with pytest.raises(ValidationError, match="no identified client"):
        acts.issue_act(ws, tid)


def test_numbers_unique_under_concurrent_generation(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from desktop.services.workspace import open_workspace
    from tests.conftest import FixedClock

    home = tmp_path / "h"
    ws = open_workspace(home=home, clock=FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC)))
    tids = [_resolved_ticket(ws, ws.clock) for _ in range(6)]
    ws.close()
    code = ("import sys\nfrom desktop.services.workspace import open_workspace\n"
            "from desktop.services.acts import issue_act\n"
            "ws = open_workspace(home=sys.argv[1])\n"
            "for tid in sys.argv[2:]:\n    issue_act(ws, tid, out_dir=sys.argv[1])\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(home), *tids[i::2]]) for i in range(2)]
    assert all(p.wait(timeout=180) == 0 for p in procs)
    ws = open_workspace(home=home)
    with ws.db.session() as s:
        numbers = list(s.scalars(select(Act.number)))
    ws.close()
    assert len(numbers) == 6 and len(set(numbers)) == 6
