"""The reply composer driven through its real widgets: focus in the text, Ctrl+Enter sends, Esc
asks before a typed reply is thrown away, the quote switches, Cc completes and wrong addresses
are said in words, the draft survives another ticket and a new window; screenshots in Russian
and English at 1400×900 and 1280×720."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services import replies
from desktop.services.composer import drafts
from desktop.services.reads import listing
from tests.ui.conftest import detail, save_screenshot, settle
from tests.ui.test_actions import first_with, open_ticket, trigger


def open_composer(qtbot, window, demo_ws, status: str = "in_progress", tid: str | None = None):
    tid = tid or first_with(demo_ws, status)
    open_ticket(qtbot, window, tid)
    composer = trigger(qtbot, window, "reply")
    settle(qtbot, window)
    assert composer is not None and not composer._loading
    return tid, composer


def test_the_composer_opens_inline_with_the_cursor_in_the_text_and_ctrl_enter_sends(qtbot, window, demo_ws):
    window.activateWindow()
    tid, c = open_composer(qtbot, window, demo_ws)
    assert window.detail.isAncestorOf(c) and c.isVisible()
    assert QApplication.focusWidget() is c.editor
    assert c.fields["to"].addresses() == [detail(demo_ws, tid)["requester"]]
    c.quote_box.setChecked(False)
    qtbot.keyClicks(c.editor, "Checked, all fine now.")
    qtbot.keyClick(c.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert detail(demo_ws, tid)["messages"][-1]["text"] == "Checked, all fine now."
    assert window.composer.composer is None and replies.load_draft(demo_ws, tid) == ""


def test_esc_asks_before_a_typed_reply_is_discarded(qtbot, window, demo_ws):
    tid, c = open_composer(qtbot, window, demo_ws)
    qtbot.keyClicks(c.editor, "Half a thought")
    c.save_draft()
    settle(qtbot, window)
    qtbot.keyClick(c.editor, Qt.Key.Key_Escape)
    box = c.confirm_box
    assert box is not None and box.isVisible()
    assert sorted(b.text() for b in box.buttons()) == ["Continue writing", "Discard", "Keep as draft"]
    assert box.defaultButton().text() == "Continue writing"
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Esc on the question: go on writing, nothing lost
    settle(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.composer.composer is c and c.editor.toPlainText() == "Half a thought"
    qtbot.keyClick(c.editor, Qt.Key.Key_Escape)
    box = c.confirm_box
    next(b for b in box.buttons() if b.text() == "Discard").click()
    settle(qtbot, window)
    assert window.composer.composer is None
    assert drafts.load(demo_ws, tid) is None
    # An empty composer closes on Esc without a question.
    window.activateWindow()  # as the desktop does when the question closes (offscreen does not)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    c2 = trigger(qtbot, window, "reply")
    settle(qtbot, window)
    qtbot.keyClick(c2.editor, Qt.Key.Key_Escape)
    settle(qtbot, window)
    assert c2.confirm_box is None and window.composer.composer is None


def test_keep_as_draft_puts_the_composer_away_with_its_draft(qtbot, window, demo_ws):
    tid, c = open_composer(qtbot, window, demo_ws)
    qtbot.keyClicks(c.editor, "Later")
    qtbot.keyClick(c.editor, Qt.Key.Key_Escape)
    next(b for b in c.confirm_box.buttons() if b.text() == "Keep as draft").click()
    settle(qtbot, window)
    assert window.composer.composer is None and replies.load_draft(demo_ws, tid) == "Later"


def test_the_quote_is_shown_switched_and_sent(qtbot, window, demo_ws):
    tid, c = open_composer(qtbot, window, demo_ws)
    assert c.quote_box.isChecked() and c.quote_view.isVisible()
    quote = c.quote_view.toPlainText()
    assert quote.splitlines()[0].endswith(("пишет:", "wrote:")) and "\n> " in quote
    c.quote_box.setChecked(False)
    assert not c.quote_view.isVisible()
    c.quote_box.setChecked(True)
    assert c.quote_view.isVisible()
    c.editor.setPlainText("Ответ над цитатой")
    c.send()
    settle(qtbot, window)
    sent = detail(demo_ws, tid)["messages"][-1]["text"]
    assert sent == f"Ответ над цитатой\n\n{quote}\n"


def test_cc_completes_from_the_clients_people_and_wrong_addresses_are_said(qtbot, window, demo_ws):
    tid, c = open_composer(qtbot, window, demo_ws)
    me = detail(demo_ws, tid)
    others = [t["requester"] for t in listing.list_tickets(demo_ws)
              if t["client"] == me["client"] and t["requester"] != me["requester"]]
    assert others, "the demo client has one person only"
    other = others[0]
    qtbot.mouseClick(c.cc_button, Qt.MouseButton.LeftButton)
    field = c.fields["cc"]
    assert field.isVisible() and QApplication.focusWidget() is field
    qtbot.keyClicks(field, other[:4])
    popup = field._completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible())
    assert any(other in row for row in field.completer_popup_rows())
    row = next(i for i, r in enumerate(field.completer_popup_rows()) if other in r)
    popup.setCurrentIndex(field._completer.completionModel().index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert field.addresses() == [other] and field.text().endswith(", ")
    qtbot.keyClicks(field, "boss@")
    field.editingFinished.emit()
    assert c.problems.isVisible()
    assert c.problems.text() == "Cc: “boss@”: the part after @ is missing"
    c.editor.setPlainText("С копией")
    c.send()
    settle(qtbot, window)
    assert detail(demo_ws, tid)["messages"][-1]["text"] != "С копией"  # not sent with a bad address
    field.setText(f"{other}, boss@vector.example")
    c.quote_box.setChecked(False)
    c.send()
    settle(qtbot, window)
    last = detail(demo_ws, tid)["messages"][-1]
    assert last["text"] == "С копией" and last["cc"] == [other, "boss@vector.example"]
    qtbot.waitUntil(lambda: f"Cc: {other}, boss@vector.example" in window.detail.thread_view.toPlainText())


def test_manage_opens_the_teams_canned_replies_and_the_list_follows(qtbot, window, demo_ws):
    _tid, c = open_composer(qtbot, window, demo_ws)
    before = c.templates.count()
    qtbot.mouseClick(c.manage_button, Qt.MouseButton.LeftButton)
    dialog = window.settings_entry.dialog
    assert dialog is not None and dialog.isVisible() and dialog.tabs.currentWidget() is dialog.templates
    settle(qtbot, window)
    replies.add_canned(demo_ws, "Ждём логи", "ru", "Пришлите, пожалуйста, журнал ошибок за {{ tid }}.")
    dialog.reject()
    settle(qtbot, window)
    assert c.templates.count() == before + 1
    c.templates.setCurrentIndex(c.templates.findText("Ждём логи (ru)"))
    c.insert_template()
    settle(qtbot, window)
    assert c.editor.toPlainText() == f"Пришлите, пожалуйста, журнал ошибок за {_tid}."


def test_a_reply_to_a_new_ticket_takes_it_into_work(qtbot, window, demo_ws):
    tid, c = open_composer(qtbot, window, demo_ws, status="new")
    c.editor.setPlainText("Взяли в работу")
    c.send()
    settle(qtbot, window)
    assert detail(demo_ws, tid)["status"] == "in_progress"
    qtbot.waitUntil(lambda: window.detail.data.status == "in_progress")


def test_the_draft_survives_another_ticket_and_a_new_window(qtbot, window, demo_ws, tmp_path: Path):
    from ui.app import create_window

    tid, c = open_composer(qtbot, window, demo_ws)
    f = tmp_path / "скрин.png"
    f.write_bytes(b"\x89PNG" + b"0" * 3000)
    c.add_file(f)
    settle(qtbot, window)
    assert [x.filename for x in c.file_list.files] == ["скрин.png"]
    c.fields["cc"].setText("boss@vector.example")
    c.quote_box.setChecked(False)
    qtbot.keyClicks(c.editor, "Draft before a crash")
    qtbot.waitUntil(lambda: replies.load_draft(demo_ws, tid) == "Draft before a crash", timeout=5000)

    other = next(t["tid"] for t in listing.list_tickets(demo_ws, "in_progress") if t["tid"] != tid)
    open_ticket(qtbot, window, other)  # another ticket: the composer goes, the draft stays
    assert window.composer.composer is None
    assert replies.load_draft(demo_ws, tid) == "Draft before a crash"
    open_ticket(qtbot, window, tid)  # back: the composer comes back with it
    qtbot.waitUntil(lambda: window.composer.composer is not None)
    settle(qtbot, window)
    assert window.composer.composer.editor.toPlainText() == "Draft before a crash"

    window.close()
    window.runner.wait()
    again = create_window(demo_ws, demo=True, language="en")
    qtbot.addWidget(again)
    again.resize(1400, 900)
    again.show()
    qtbot.waitExposed(again)
    settle(qtbot, again)
    open_ticket(qtbot, again, tid)
    qtbot.waitUntil(lambda: again.composer.composer is not None)
    settle(qtbot, again)
    r = again.composer.composer
    assert r.editor.toPlainText() == "Draft before a crash"
    assert r.fields["cc"].addresses() == ["boss@vector.example"] and r.fields["cc"].isVisible()
    assert not r.quote_box.isChecked()
    assert [(x.filename, x.size) for x in r.file_list.files] == [("скрин.png", 3004)]
    assert r.status.text() == "Draft restored"
    assert QApplication.focusWidget() is not r.editor  # restored, not grabbing the keyboard
    # Closing the window a moment after typing (before the draft's pause) loses nothing either.
    r.editor.setPlainText("Draft before a crash, and more")
    assert r._draft_timer.isActive()
    again.close()
    again.runner.wait()
    assert replies.load_draft(demo_ws, tid) == "Draft before a crash, and more"


def test_screenshots_of_the_composer_in_russian_and_english(qtbot, window, demo_ws, tmp_path: Path):
    _tid, c = open_composer(qtbot, window, demo_ws)
    f = tmp_path / "журнал-ошибок.log"
    f.write_bytes(b"x" * 48_000)
    c.add_file(f)
    c.fields["cc"].setText("boss@vector.example")
    c._show_row("cc", True)
    c.editor.setPlainText("Здравствуйте!\n\nПроверили: ошибка на стороне хостинга, написали им. "
                          "Вернёмся с ответом до конца дня.\n\nС уважением,\nАнна")
    settle(qtbot, window)
    for lang in ("ru", "en"):
        window.set_language(lang)
        settle(qtbot, window)
        assert c.send_button.text() == ("Отправить" if lang == "ru" else "Send")
        for w, h in ((1400, 900), (1280, 720)):
            window.resize(w, h)
            settle(qtbot, window)
            for button in (c.send_button, c.close_button, c.discard_button, c.attach_button, c.quote_box):
                assert button.width() >= button.sizeHint().width() - 1, (lang, w, button.text())
            save_screenshot(window, f"composer-{lang}-{w}x{h}.png", tmp_path)
    window.set_language("en")
    settle(qtbot, window)


def test_a_reply_is_saved_as_a_canned_reply_from_the_texts_menu(qtbot, window, demo_ws):
    from ui.composer import canned

    tid, c = open_composer(qtbot, window, demo_ws)
    c.editor.setPlainText("Спасибо, что написали! Посмотрим {{ tid }} сегодня.")
    menu = canned.text_menu(c, c.editor.rect().center())
    act = next(a for a in menu.actions() if a.objectName() == "composer_save_canned")
    assert act.isEnabled() and act.text() == "Save as canned reply…"
    menu.close()
    dialog = canned.ask_name(c)
    dialog.setTextValue("Посмотрим сегодня")
    dialog.accept()
    settle(qtbot, window)
    assert c.status.text() == "Saved as canned reply “Посмотрим сегодня”"
    assert ("Посмотрим сегодня", "ru") in [(x.name, x.language) for x in replies.stored_canned(demo_ws)]
    assert c.templates.findText("Посмотрим сегодня (ru)") >= 0
    c.templates.setCurrentIndex(c.templates.findText("Посмотрим сегодня (ru)"))
    c.editor.clear()
    c.insert_template()
    settle(qtbot, window)
    assert c.editor.toPlainText() == f"Спасибо, что написали! Посмотрим {tid} сегодня."
