"""The Regulation tab's fields follow the settings' declarations: a spin box for each whole
number within its declared bounds, a combo of each setting's declared choices, and the
declaration's title in the window's language, so the tab never offers what the engine refuses."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QSpinBox

from desktop import settings
from desktop.services import regulation
from tests.ui.conftest import settle


def _page(qtbot, window):
    window.settings_entry.actions["regulation"].trigger()
    dlg = window.settings_entry.dialog
    settle(qtbot, window)
    return dlg, dlg.pages["regulation"]


def _label(page, field) -> str:
    form = next(item.layout() for item in (page.layout().itemAt(i) for i in range(page.layout().count()))
                if isinstance(item.layout(), QFormLayout))
    label = form.labelForField(field)
    assert isinstance(label, QLabel)
    return label.text()


def _check(page, lang: str) -> None:
    assert set(page.spins) | set(page.choices) == set(regulation.REGULATION_KEYS)
    for setting in regulation.REGULATION:
        if isinstance(setting, settings.IntSetting):
            box = page.spins[setting.key]
            assert isinstance(box, QSpinBox) and box.objectName() == setting.key
            assert (box.minimum(), box.maximum()) == (setting.minimum, setting.maximum)
        else:
            assert isinstance(setting, settings.ChoiceSetting)
            combo = page.choices[setting.key]
            assert isinstance(combo, QComboBox)
            options = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
            assert options == [(c.value, c.title(lang)) for c in setting.choices]
        field = page.spins.get(setting.key) or page.choices[setting.key]
        assert _label(page, field) == setting.title(lang)


def test_the_regulation_tab_is_built_from_the_declarations(qtbot, window, demo_ws):
    dlg, page = _open_checked(qtbot, window, "en")
    # The shown values are the stored ones, in their declared types.
    values = regulation.regulation_settings(demo_ws)
    assert page.values() == values
    dlg.reject()

    window.set_language("ru")
    try:
        # The language change reaches the window as an event; the closed dialog is then retired
        # and the next open builds the tab again, in Russian.
        qtbot.waitUntil(lambda: window.settings_entry.dialog is None)
        dlg, page = _open_checked(qtbot, window, "ru")
        assert _label(page, page.spins["autoclose.after_days"]) == "Закрывать обращение, ждущее клиента, через"
        dlg.reject()
    finally:
        window.set_language("en")


def _open_checked(qtbot, window, lang: str):
    dlg, page = _page(qtbot, window)
    _check(page, lang)
    return dlg, page
