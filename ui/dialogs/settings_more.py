"""The regulation's own tabs of the Settings dialog: the executor's requisites and prices, the
numbering of tickets and acts, the departments and the refusal/postponement reasons.

Named here, apart from :mod:`ui.dialogs.settings`, so the dialog adds them in one loop: each
entry is the tab's key, how to build its page, its tab title and its File ▸ Settings item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.services.workspace import Workspace
from ui.dialogs.catalog_page import CatalogPage
from ui.dialogs.numbering import NumberingPage
from ui.dialogs.page import SettingsPage
from ui.dialogs.requisites import RequisitesPage
from ui.workers import Runner

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Tab:
    key: str
    build: Callable[[QWidget, Runner, Workspace], SettingsPage]
    title: Callable[[], str]
    menu_text: Callable[[], str]


TABS: tuple[Tab, ...] = (
    Tab("requisites", RequisitesPage, lambda: translate("Settings", "Requisites"),
        lambda: translate("Settings", "Requisites and prices…")),
    Tab("numbering", NumberingPage, lambda: translate("Settings", "Numbering"),
        lambda: translate("Settings", "Ticket and act numbers…")),
    Tab("departments", lambda p, r, w: CatalogPage(p, r, w, "department"),
        lambda: translate("Settings", "Departments"), lambda: translate("Settings", "Departments…")),
    Tab("reasons", lambda p, r, w: CatalogPage(p, r, w, "reason"),
        lambda: translate("Settings", "Reasons"), lambda: translate("Settings", "Refusal and postponement reasons…")),
)
