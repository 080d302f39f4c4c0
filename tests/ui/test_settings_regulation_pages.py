"""The regulation's settings in the window (R-UI-6): requisites and prices, ticket and act
numbering with the next numbers previewed, departments and reasons added, renamed, moved,
retired and deleted only when unused — driven through the real widgets, checked in the
database, and photographed in both languages at 1280×720."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from desktop.services import catalogs
from desktop.services import regulation_settings as rs
from desktop.services.reads.queue_spec import choices
from tests.ui.conftest import save_screenshot, settle


def _open(qtbot, window, key: str):
    window.settings_entry.actions[key].trigger()
    dlg = window.settings_entry.dialog
    settle(qtbot, window)
    assert dlg.tabs.currentWidget() is dlg.pages[key]
    return dlg, dlg.pages[key]


def test_requisites_are_checked_as_typed_and_saved(qtbot, window, demo_ws, tmp_path) -> None:
    dlg, page = _open(qtbot, window, "requisites")
    assert page.fields["name"].text() == "ООО «Регламент Сервис»"
    page.fields["inn"].setText("123")
    assert not page.save_button.isEnabled()
    assert page.status.text() == "The setting executor has inn '123'; it must be 10 or 12 digits"
    page.fields["inn"].setText("7701234567")
    page.fields["bik"].setText("044525225")
    assert "bank details without bank_name, account" in page.status.text() and not page.save_button.isEnabled()
    page.fields["bank_name"].setText("ПАО Сбербанк")
    page.fields["account"].setText("40702810938000012345")
    page.vat.setText("двадцать")
    assert "act.vat_rate must be a number from 0 to 100, or none" in page.status.text()
    page.vat.setText("20")
    page.hour_rate.setText("2 500")
    assert page.save_button.isEnabled() and page.status.text() == ""
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.status.text() == "Saved."
    stored = rs.read_group(demo_ws, "requisites")
    assert stored["act.vat_rate"] == Decimal(20) and stored["act.hour_rate"] == Decimal(2500)
    assert stored["executor"].account == "40702810938000012345"
    dlg.reject()


def test_numbering_previews_the_next_numbers(qtbot, window, demo_ws) -> None:
    counters = rs.counters(demo_ws)
    dlg, page = _open(qtbot, window, "numbering")
    assert page.next_tid.text() == f"<b>TID-{counters.tid + 1:06d}</b>"
    assert page.next_act.text() == f"<b>А-{counters.today.year}-{counters.act_year + 1:04d}</b>"
    page.prefix.setText("SUP")
    page.digits.setValue(4)
    page.pattern.setText("{seq}/{year}")
    assert page.next_tid.text() == f"<b>SUP-{counters.tid + 1:04d}</b>"
    assert page.next_act.text() == f"<b>{counters.act_year + 1}/{counters.today.year}</b>"
    page.prefix.setText("1-X")
    assert page.next_tid.text() == "—" and not page.save_button.isEnabled()
    assert "tid.prefix" in page.status.text()
    page.prefix.setText("SUP")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert rs.read_group(demo_ws, "numbering") == {"tid.prefix": "SUP", "tid.width": 4,
                                                   "act.number_pattern": "{seq}/{year}"}
    dlg.reject()


def test_departments_are_added_retired_and_deleted_only_when_unused(qtbot, window, demo_ws) -> None:
    dlg, page = _open(qtbot, window, "departments")
    assert page.listing.count() == 3
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.code.setText("billing")
    page.title_en.setText("Billing")
    page.title_ru.setText("Бухгалтерия")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.current is not None and page.current.code == "billing" and page.listing.count() == 4
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert [e.code for e in catalogs.entries(demo_ws, "department")][2] == "billing"
    page.title_ru.setText("Расчёты")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.listing.item(2).text() == "Billing"  # the window speaks English here

    page.listing.setCurrentRow(0)  # technical: on tickets, so not deletable
    assert page.current is not None and page.current.code == "technical" and page.current.used > 0
    assert not page.delete_button.isEnabled() and "retire it instead" in page.delete_button.toolTip()
    qtbot.mouseClick(page.retire_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.listing.item(0).text() == "Technical (retired)" and page.retire_button.text() == "Bring back"
    page.listing.setCurrentRow(2)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert [e.code for e in catalogs.entries(demo_ws, "department")] == ["technical", "consultations", "sales"]
    dlg.reject()
    settle(qtbot, window)
    # The filter bar no longer offers the retired department.
    offered = [window.filters.department.itemData(i) for i in range(window.filters.department.count())]
    assert "technical" not in offered and "consultations" in offered
    assert "technical" not in [d.code for d in choices(demo_ws).departments]


def test_reasons_are_added_with_their_use_and_deleted_when_unused(qtbot, window, demo_ws) -> None:
    dlg, page = _open(qtbot, window, "reasons")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.code.setText("Bad code")
    page.title_en.setText("Holidays")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "cannot be a code" in page.status.text()
    page.code.setText("holidays")
    page.title_ru.setText("Праздники")
    page.use.setCurrentIndex(page.use.findData("postpone"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    added = next(e for e in catalogs.entries(demo_ws, "reason") if e.code == "holidays")
    assert (added.title_ru, added.use, added.active) == ("Праздники", "postpone", True)
    assert page.delete_button.isEnabled()
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert all(e.code != "holidays" for e in catalogs.entries(demo_ws, "reason"))
    dlg.reject()


def test_screenshots_of_the_regulation_pages(qtbot, window, tmp_path) -> None:
    for lang in ("en", "ru"):
        window.set_language(lang)
        qtbot.waitUntil(lambda: window.settings_entry.dialog is None or not window.settings_entry.dialog.isVisible())
        settle(qtbot, window)
        for key in ("requisites", "numbering", "departments", "reasons"):
            dlg, page = _open(qtbot, window, key)
            dlg.resize(1280, 720)
            if key in ("departments", "reasons"):
                page.listing.setCurrentRow(1)
            settle(qtbot, window)
            save_screenshot(dlg, f"settings-{key}-{lang}.png", tmp_path)
            dlg.reject()
            settle(qtbot, window)
    window.set_language("en")
