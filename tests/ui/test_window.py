"""The window as a whole: layout remembered, language switch, errors, notifications."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, Qt

from desktop.errors import ValidationError
from desktop.services.attachments import attachment_data
from tests.ui.conftest import settle
from ui import errors, i18n
from ui.app import create_window, settings_for


def test_title_and_status_bar(window):
    assert window.windowTitle().startswith("Reglament — ")
    assert window.count_label.text().startswith(str(window.model.rowCount()))
    assert window.sync_label.text()


def test_layout_is_remembered_in_the_data_folder(qtbot, window, demo_ws):
    # Within the offscreen screen (800×600): restoreGeometry keeps windows on the screen.
    window.resize(780, 560)
    window.table.setColumnWidth(2, 233)
    window.main_split.setSizes([200, 580])
    saved = window.main_split.sizes()
    window.close()
    ini = demo_ws.paths.home / "window.ini"
    assert ini.exists() and "geometry" in ini.read_text()
    again = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(again)
    again.show()
    settle(qtbot, again)
    assert again.table.columnWidth(2) == 233
    assert again.main_split.sizes() == saved and saved[0] > 150
    assert (again.width(), again.height()) == (780, 560)
    assert settings_for(demo_ws).value("queue/view") == "all"


def test_language_switch_retranslates_live(qtbot, window):
    window.set_language("ru")
    settle(qtbot, window)
    try:
        assert i18n.current() == "ru"
        assert window.ticket_menu.title() == "&Обращение"
        assert window.views.item(0).text() == "Мои обращения"
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Обращение"
        row_status = window.model.data(window.model.index(0, 4))
        assert row_status in {"Новое", "В работе", "Ожидает клиента", "Передано", "Решено", "Закрыто",
                              "Отложено", "Отказано", "Закрыто (нет ответа)", "Дубликат"}
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: window.ticket_menu.title() == "&Ticket")
    assert window.count_label.text().endswith(" tickets")


def test_excepthook_logs_and_shows_a_plain_message(window, demo_ws, caplog):
    errors.install_excepthook(demo_ws.paths.log_file)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        kind, exc, tb = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="reglament.ui"):
        sys.excepthook(kind, exc, tb)  # type: ignore[arg-type]
    assert "RuntimeError" in str(errors.QUIET["last"])
    assert "boom" not in str(errors.QUIET["last"])
    assert "Traceback" in caplog.text and "boom" in caplog.text
    sys.excepthook(ValidationError, ValidationError("the reply is empty"), None)
    assert errors.QUIET["last"] == "The reply is empty"
    sys.excepthook = sys.__excepthook__


def test_notifications_once_for_warning_zone_and_for_new_tickets(window):
    n = window.notifier
    n.sent.clear()
    n.warned.clear()
    n.observe({1: "TID-000001"}, [], first=True)
    assert n.sent == []
    n.observe({1: "TID-000001", 2: "TID-000002"}, ["TID-000050"])
    assert len(n.sent) == 2
    assert "TID-000002" in n.sent[0][1] and "TID-000001" not in n.sent[0][1]
    assert "TID-000050" in n.sent[1][1]
    n.observe({1: "TID-000001", 2: "TID-000002"}, [])
    assert len(n.sent) == 2


def test_explain_deadline_dialog(qtbot, window):
    assert window.select_tid("TID-000002")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000002")
    settle(qtbot, window)
    window.ticket_actions.actions["explain"].trigger()
    settle(qtbot, window)
    dlg = window.last_dialog
    assert dlg.isVisible()
    assert "TID-000002" in dlg.windowTitle()
    assert len(dlg.text.toPlainText()) > 40


def test_attachment_saved_from_its_message(qtbot, window, demo_ws, tmp_path):
    assert window.select_tid("TID-000002")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == "TID-000002")
    refs = window.detail.attachments()
    assert refs
    target = tmp_path / "saved.bin"
    window.detail.save_attachment(0, target)
    settle(qtbot, window)
    assert target.read_bytes() == attachment_data(demo_ws, refs[0].sha256) != b""


def test_untranslated_nothing_left_in_russian():
    """Every source string of the window has a Russian translation."""
    import xml.etree.ElementTree as ET

    ts = i18n.translations_dir() / "reglament_ru.ts"
    root = ET.parse(ts).getroot()
    missing = [
        m.findtext("source") for m in root.iter("message")
        if (t := m.find("translation")) is None or t.get("type") == "unfinished"
    ]
    assert missing == []
    assert (i18n.translations_dir() / "reglament_ru.qm").exists()
    assert QCoreApplication.translate("Main", "&Ticket") in ("&Ticket", "&Обращение")


def test_the_plan_of_an_unidentified_senders_ticket_is_named_in_the_windows_language(qtbot, window, demo_ws):
    from sqlalchemy import select

    from desktop.store.models import Plan, Ticket

    with demo_ws.db.session() as s:
        tid, plan_ru = s.execute(select(Ticket.tid, Plan.name_ru).join(Plan, Plan.id == Ticket.plan_id)
                                 .where(Ticket.client_id.is_(None)).limit(1)).one()
    window.set_language("ru")
    try:
        assert window.select_tid(tid)
        qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == tid)
        assert f"Тариф: {plan_ru}" in window.detail.meta.text()
    finally:
        window.set_language("en")


def test_a_long_sync_refreshes_the_queue_as_it_goes_and_announces_arrivals_once(qtbot, window, demo_ws):
    from desktop.services.background.events import SyncProgress
    from ui.sync import PROGRESS_REFRESH_S

    seen: list[int] = []
    window.sync.progressed.connect(lambda: seen.append(1))
    window.sync.bridge.post(SyncProgress("support", 0, 1000))      # nothing stored yet
    window.sync.bridge.post(SyncProgress("support", 250, 1000))    # a batch is in: the queue follows
    window.sync.bridge.post(SyncProgress("support", 500, 1000))    # too soon after the last one
    assert seen == [1]
    window.sync._progress_shown -= PROGRESS_REFRESH_S
    window.sync.bridge.post(SyncProgress("support", 1000, 1000))   # the end: the sync's report refreshes instead
    assert seen == [1]

    baseline = window.queue.latest_id
    before = list(window.notifier.sent)
    new = _new_ticket(demo_ws)
    window.refresh(arrivals=False)
    settle(qtbot, window)
    assert window.queue.latest_id == baseline and window.notifier.sent == before
    window.refresh()
    settle(qtbot, window)
    assert any(new in text for _title, text in window.notifier.sent[len(before):])


def _new_ticket(ws) -> str:
    from desktop.domain.tickets import Channel
    from desktop.services import tickets

    return tickets.log_contact(ws, channel=Channel.PHONE, requester="caller@romashka.ru",
                               subject="Звонок: не открывается сайт", text="Клиент позвонил")


def test_every_window_string_has_its_russian_translation():
    """Each ``QCoreApplication.translate("Context", "literal")`` in ui/ (called so or through a
    module's ``translate`` alias) has a finished entry in
    reglament_ru.ts under that context (a string added without one shows in English)."""
    import ast
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = ET.parse(i18n.translations_dir() / "reglament_ru.ts").getroot()
    known = {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")
             if (t := m.find("translation")) is not None and t.get("type") not in ("unfinished", "obsolete", "vanished")}
    missing = []
    for path in sorted(Path(__file__).resolve().parents[2].joinpath("ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # ``QCoreApplication.translate(...)`` or a module's ``translate = QCoreApplication.translate``
            named = ((isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "translate")
                     or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "translate"))
            if (named and isinstance(node, ast.Call)
                    and len(node.args) >= 2 and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                                    for a in node.args[:2])):
                key = (node.args[0].value, node.args[1].value)
                if key not in known:
                    missing.append(f"{path.name}:{node.lineno} {key}")
    assert missing == []
