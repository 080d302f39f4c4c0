"""Help ▸ About: what the workstation is and which version runs."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop import __version__


def about_title() -> str:
    return QCoreApplication.translate("Main", "About Reglament")


def show_about(parent: QWidget) -> None:
    """The version comes from the package, so a support request can quote it exactly."""
    QMessageBox.about(parent, about_title(),
                      QCoreApplication.translate(
                          "Main", "Reglament {0}\nThe support agent's workstation: tickets from mail, "
                                  "SLA deadlines in business hours, acceptance acts.").format(__version__))
