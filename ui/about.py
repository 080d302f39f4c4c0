"""Help ▸ About: which version runs and where its data and log files are; the window's icon.

What a support request needs to quote: the exact version (read from the package metadata, the
one place it is written) and the two folders someone helping the agent will ask for. The folders
are links that open the system's file manager.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop import __version__
from desktop.config import Paths
from desktop.resources import shipped_dir


def window_icon() -> QIcon:
    """The application's icon, drawn from the same SVG the installers' icons are rendered from."""
    return QIcon(str(shipped_dir() / "icons" / "reglament.svg"))


def about_title() -> str:
    return QCoreApplication.translate("Main", "About Reglament")


def open_folder(folder: Path) -> bool:
    """Show a folder in the system's file manager (created first, so the link never dangles)."""
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _link(folder: Path) -> str:
    url = QUrl.fromLocalFile(str(folder)).toString()
    return f'<a href="{escape(url)}">{escape(str(folder))}</a>'


class AboutDialog(QDialog):
    """The version, the data folder and the log folder; ``opener`` shows a folder (tests swap it)."""

    def __init__(self, parent: QWidget | None, paths: Paths,
                 opener: Callable[[Path], object] = open_folder) -> None:
        super().__init__(parent)
        self.setWindowTitle(about_title())
        self.opener = opener
        self.data_folder = paths.home
        self.log_folder = paths.log_file.parent
        layout = QVBoxLayout(self)
        icon = QLabel(self)
        icon.setPixmap(window_icon().pixmap(64, 64))
        layout.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.version_label = QLabel(QCoreApplication.translate(
            "Main", "<b>Reglament {0}</b><br>The support agent's workstation: tickets from mail, "
                    "SLA deadlines in business hours, acceptance acts.").format(escape(__version__)), self)
        self.version_label.setWordWrap(True)
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.version_label)
        self.data_label = self._folder_row(layout, QCoreApplication.translate("Main", "Data folder:"),
                                           self.data_folder)
        self.log_label = self._folder_row(layout, QCoreApplication.translate("Main", "Log folder:"),
                                          self.log_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _folder_row(self, layout: QVBoxLayout, title: str, folder: Path) -> QLabel:
        label = QLabel(f"{escape(title)}<br>{_link(folder)}", self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                                      | Qt.TextInteractionFlag.TextSelectableByMouse)
        label.linkActivated.connect(lambda url: self.opener(Path(QUrl(url).toLocalFile())))
        layout.addWidget(label)
        return label


def show_about(parent: QWidget, paths: Paths) -> None:
    AboutDialog(parent, paths).exec()
