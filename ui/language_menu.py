"""View ▸ Language: the window's language, as the system's or chosen, kept in the window's settings.

A choice is stored (``ui/language`` in the data folder's ``window.ini``) and the translator is
swapped at once; every widget then gets Qt's LanguageChange and retranslates itself. ``chosen``
tells the window to re-read what its workers wrote in the old language (the ticket page, counts).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from ui import i18n

#: The choices in the order the menu lists them.
CHOICES = ("system", "en", "ru")
SETTING = "ui/language"


class LanguageMenu(QMenu):
    chosen = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        group = QActionGroup(self)
        self.actions_by_code: dict[str, QAction] = {}
        current = str(settings.value(SETTING, "system"))
        for code in CHOICES:
            act = QAction(self)
            act.setCheckable(True)
            act.setChecked(code == current)
            act.triggered.connect(lambda _c=False, c=code: self.choose(c))
            group.addAction(act)
            self.addAction(act)
            self.actions_by_code[code] = act
        self.retranslate()

    def choose(self, choice: str) -> None:
        self.settings.setValue(SETTING, choice)
        app = QApplication.instance()
        assert app is not None
        i18n.install(app, i18n.resolve(choice))
        for code, act in self.actions_by_code.items():
            act.setChecked(code == choice)
        self.chosen.emit(choice)

    def retranslate(self) -> None:
        self.setTitle(QCoreApplication.translate("Main", "Language"))
        self.actions_by_code["system"].setText(QCoreApplication.translate("Main", "As the system"))
        # Each language by its own name: whoever cannot read the current one still finds theirs.
        self.actions_by_code["en"].setText("English")
        self.actions_by_code["ru"].setText("Русский")
