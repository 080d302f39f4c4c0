"""Fixing a thread and a duplicate from the window alone (R-MAIL-3, R-TICKET-5), driving the real
widgets: the notice above the thread says why a stranger's message joined, and its buttons, the
message's own "Message actions…" link and the Ticket menu's shortcuts confirm it, move it or
split it off into a ticket of the stranger's own client; a possible duplicate names its likely
original, opens it side by side and merges in one step; the refusal reasons offer both."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle
from tests.ui.test_actions import open_ticket, trigger

_n = itertools.count(1)


def _ingest(ws, subject: str, sender: str, body: str) -> list[str]:
    raw = (f"From: {sender}\r\nSubject: {subject}\r\nMessage-ID: <ui-fix-{next(_n)}@example.org>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n").encode() + body.encode()
    r = ingest_batch(ws, None, "INBOX", None, [IncomingMail(None, ws.now(), raw)])
    return r.new_tickets or r.joined


def _victim(ws) -> str:
    """An open ticket of ООО «Ромашка» with a stranger's mail quoting its number."""
    tid = next(t["tid"] for t in listing.list_tickets(ws, "in_progress") if t["client"] == "ООО «Ромашка»")
    _ingest(ws, f"Re: [{tid}] Вопрос", "ivan@technostroy.ru", "Добрый день, у нас тоже не работает оплата.")
    return tid


def _dialog(qtbot, window, press):
    opened = []
    window.ticket_actions.dialogOpened.connect(opened.append)
    press()
    settle(qtbot, window)
    window.ticket_actions.dialogOpened.disconnect(opened.append)
    assert opened, "no dialog opened"
    return opened[0]


def _keys(qtbot, window, key) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.detail.setFocus()
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)


def test_a_strangers_message_is_split_off_into_their_own_clients_ticket(qtbot, window, demo_ws, tmp_path):
    tid = _victim(demo_ws)
    open_ticket(qtbot, window, tid)
    notices = window.detail.notices
    assert notices.thread_box.isVisible() and not notices.dup_box.isVisible()
    words = notices.thread_label.text()
    assert "ivan@technostroy.ru" in words and tid in words and "ООО «Ромашка»" in words
    assert window.thread_fix.actions["confirm_thread"] in window.ticket_menu.actions()
    save_screenshot(window, "thread_notice_en.png", tmp_path)

    dlg = _dialog(qtbot, window, lambda: _keys(qtbot, window, Qt.Key.Key_N))  # Ctrl+Alt+N
    assert dlg.is_new()
    qtbot.waitUntil(lambda: "АО «ТехноСтрой»" in dlg.client_label.text())
    assert "domain" in dlg.client_label.text()
    save_screenshot(dlg, "move_message_new_en.png", tmp_path, min_size=(300, 120))
    dlg.accept()
    settle(qtbot, window)

    old = detail(demo_ws, tid)
    assert "thread_confirm" not in old["flags"]
    assert all(m["from"] != "ivan@technostroy.ru" for m in old["messages"])
    new_tid = next(h["new"] for h in old["history"] if h["action"] == "split")
    new = detail(demo_ws, new_tid)
    assert (new["client"], new["plan"], new["requester"]) == ("АО «ТехноСтрой»", "commercial", "ivan@technostroy.ru")
    qtbot.waitUntil(lambda: window.detail.data is not None and window.detail.data.tid == new_tid)


def test_confirm_by_keyboard_and_the_history_says_it_in_words(qtbot, window, demo_ws):
    tid = _victim(demo_ws)
    open_ticket(qtbot, window, tid)
    button = window.detail.notices.confirm_button
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    settle(qtbot, window)
    d = detail(demo_ws, tid)
    assert "thread_confirm" not in d["flags"]
    assert d["messages"][-1]["threaded_by"] == "tid_confirmed" if d["messages"][-1]["direction"] == "in" else True
    qtbot.waitUntil(lambda: not window.detail.notices.isVisible())
    history = window.detail.history
    texts = [history.topLevelItem(i).text(2) for i in range(history.topLevelItemCount())]
    assert "Thread confirmed: the message from ivan@technostroy.ru belongs here" in texts
    assert not window.thread_fix.actions["confirm_thread"].isEnabled()


def test_a_message_moves_to_another_ticket_from_its_own_link(qtbot, window, demo_ws):
    tid = _victim(demo_ws)
    target = next(t["tid"] for t in listing.list_tickets(demo_ws, "new") if t["client"] == "АО «ТехноСтрой»")
    open_ticket(qtbot, window, tid)
    msg = next(m for m in window.detail.data.thread if m.sender == "ivan@technostroy.ru")
    assert f'href="message:{msg.id}"' in window.detail.thread_view.toHtml() or \
        f"message:{msg.id}" in window.detail.thread_view.toHtml()
    window.detail._anchor(QUrl(f"message:{msg.id}"))
    menu = window.thread_fix.menu
    assert menu is not None and menu.isVisible()
    entries = menu.actions()
    assert [a.text() for a in entries] == ["Confirm it belongs here", "Move to ticket…", "Split into new ticket…"]
    dlg = _dialog(qtbot, window, lambda: entries[1].trigger())
    assert not dlg.is_new() and dlg.message_id() == msg.id
    qtbot.waitUntil(lambda: dlg.target.count() > 0)  # the sender's own open tickets are offered
    assert any(dlg.target.itemData(i) == target for i in range(dlg.target.count()))
    dlg.target.setCurrentIndex(next(i for i in range(dlg.target.count()) if dlg.target.itemData(i) == target))
    dlg.accept()
    settle(qtbot, window)
    assert any(m["id"] == msg.id for m in detail(demo_ws, target)["messages"])
    assert "thread_confirm" not in detail(demo_ws, tid)["flags"]


def _duplicate(ws) -> tuple[str, str]:
    (orig,) = _ingest(ws, "Не загружается прайс-лист в каталог", "m.ivanova@romashka.ru",
                      "Прайс-лист в формате XLSX не загружается в каталог, выдаёт ошибку импорта.")
    (dup,) = _ingest(ws, "Не загружается прайс-лист в каталог!", "a.orlov@romashka.ru",
                     "Снова: прайс-лист XLSX не загружается в каталог, ошибка импорта.")
    return orig, dup


def _shown(qtbot, window) -> None:
    """Mail that came in after the window opened: the queue reads it (as the sync's event would)."""
    window.refresh_all()
    settle(qtbot, window)


def test_a_duplicate_names_its_original_compares_and_merges(qtbot, window, demo_ws, tmp_path):
    orig, dup = _duplicate(demo_ws)
    before = detail(demo_ws, orig)
    _shown(qtbot, window)
    open_ticket(qtbot, window, dup)
    notices = window.detail.notices
    assert notices.dup_box.isVisible() and orig in notices.dup_label.text()
    assert f"Possible duplicate of {orig}" in window.detail.meta.text()
    assert notices.merge_button.text() == f"Merge into {orig}…"
    save_screenshot(window, "duplicate_notice_en.png", tmp_path)

    qtbot.mouseClick(notices.compare_button, Qt.MouseButton.LeftButton)
    compare = window.thread_fix.compare
    assert compare is not None and compare.isVisible() and not compare.isModal()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: len(compare.pages) == 2)
    assert orig in compare.heads[1].text() and dup in compare.heads[0].text()
    assert "прайс-лист XLSX" in compare.threads[0].toPlainText()
    save_screenshot(compare, "compare_duplicate_en.png", tmp_path)

    dlg = _dialog(qtbot, window, lambda: qtbot.mouseClick(compare.merge_button, Qt.MouseButton.LeftButton))
    assert dlg.value("into") == orig
    dlg.fields["notify"].setChecked(False)
    dlg.accept()
    settle(qtbot, window)
    gone, kept = detail(demo_ws, dup), detail(demo_ws, orig)
    assert gone["status"] == "duplicate" and gone["duplicate_of"] == orig
    assert (kept["reaction_due_at"], kept["status"]) == (before["reaction_due_at"], before["status"])
    assert len([m for m in kept["messages"] if m["direction"] == "in"]) == 2


def test_not_a_duplicate_clears_the_mark(qtbot, window, demo_ws):
    _orig, dup = _duplicate(demo_ws)
    _shown(qtbot, window)
    open_ticket(qtbot, window, dup)
    qtbot.mouseClick(window.detail.notices.not_dup_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "possible_duplicate" not in detail(demo_ws, dup)["flags"]
    qtbot.waitUntil(lambda: not window.detail.notices.isVisible())


def test_the_refusal_reasons_offer_the_split_and_the_merge(qtbot, window, demo_ws):
    orig, dup = _duplicate(demo_ws)
    _shown(qtbot, window)
    open_ticket(qtbot, window, dup)
    refusal = trigger(qtbot, window, "refuse")
    combo = refusal.fields["reason"]
    offer = refusal.offer
    combo.setCurrentIndex(combo.findData("duplicate"))
    settle(qtbot, window)
    assert offer.row.isVisible() and offer.button.text() == f"Merge into {orig}…"
    merge = _dialog(qtbot, window, lambda: qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton))
    assert not refusal.isVisible() and merge.value("into") == orig
    merge.reject()

    refusal = trigger(qtbot, window, "refuse")
    refusal.fields["reason"].setCurrentIndex(refusal.fields["reason"].findData("several_problems"))
    settle(qtbot, window)
    assert refusal.offer.row.isVisible() and refusal.offer.button.text() == "Split instead…"
    split = _dialog(qtbot, window, lambda: refusal.offer.button.click())
    assert split.fields["messages"].objectName() == "split_messages"
    split.reject()
    refusal = trigger(qtbot, window, "refuse")
    refusal.fields["reason"].setCurrentIndex(refusal.fields["reason"].findData("offensive"))
    settle(qtbot, window)
    assert not refusal.offer.row.isVisible()
    refusal.reject()
    assert detail(demo_ws, dup)["status"] == "new"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_notices_and_dialogs_fit_their_words(qtbot, window, demo_ws, tmp_path, lang):
    tid = _victim(demo_ws)
    _orig, dup = _duplicate(demo_ws)
    _shown(qtbot, window)
    window.set_language(lang)
    try:
        open_ticket(qtbot, window, tid)
        n = window.detail.notices
        for b in (n.confirm_button, n.move_button, n.split_button):
            assert b.width() >= b.sizeHint().width(), (lang, b.text())
        save_screenshot(window, f"thread_fix_window_{lang}.png", tmp_path)
        dlg = _dialog(qtbot, window, lambda: window.thread_fix.move())
        qtbot.waitUntil(lambda: "ТехноСтрой" in dlg.client_label.text())
        for w in (dlg.to_ticket, dlg.to_new):
            assert w.width() >= w.sizeHint().width(), (lang, w.text())
        assert dlg.width() <= 1000
        save_screenshot(dlg, f"move_message_{lang}.png", tmp_path, min_size=(300, 120))
        dlg.reject()
        settle(qtbot, window)
        open_ticket(qtbot, window, dup)
        for b in (n.compare_button, n.merge_button, n.not_dup_button):
            assert b.width() >= b.sizeHint().width(), (lang, b.text())
        save_screenshot(window.detail, f"duplicate_detail_{lang}.png", tmp_path)
        compare = window.thread_fix.open_compare()
        settle(qtbot, window)
        qtbot.waitUntil(lambda: len(compare.pages) == 2)
        save_screenshot(compare, f"compare_{lang}.png", tmp_path)
        compare.close()
        merge = _dialog(qtbot, window, lambda: window.ticket_actions.actions["merge"].trigger())
        save_screenshot(merge, f"merge_{lang}.png", tmp_path, min_size=(300, 100))
        merge.reject()
    finally:
        window.set_language("en")


def test_a_messages_actions_are_reached_with_tab_and_enter(qtbot, window, demo_ws):
    tid = _victim(demo_ws)
    open_ticket(qtbot, window, tid)
    view = window.detail.thread_view
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.setFocus()
    for _ in range(12):  # Tab walks the thread's links: attachments and each message's actions
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        if view.textCursor().charFormat().anchorHref().startswith("message:"):
            break
    href = view.textCursor().charFormat().anchorHref()
    assert href.startswith("message:"), href
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.thread_fix.menu is not None and window.thread_fix.menu.isVisible())
    window.thread_fix.menu.close()
