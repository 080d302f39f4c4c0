"""Which language the window speaks: Qt translations, the system locale by default.

Source strings are English; ``resources/translations/reglament_ru.qm`` carries the Russian.
The same choice is passed to the engine's own formatters (countdowns, status names), which
know both languages without Qt.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("en", "ru")

_state: dict[str, object] = {"lang": "en", "translators": []}


def translations_dir() -> Path:
    from desktop.resources import resources_dir

    return resources_dir() / "translations"


def system_language() -> str:
    return "ru" if QLocale.system().name().lower().startswith("ru") else "en"


def resolve(choice: str | None) -> str:
    """``"ru"``/``"en"`` as chosen, anything else (``"system"``, empty) follows the system."""
    return choice if choice in LANGUAGES else system_language()


def current() -> str:
    return str(_state["lang"])


def install(app: QCoreApplication, lang: str) -> str:
    """Swap the application's translators; widgets get a LanguageChange event and retranslate."""
    translators: list[QTranslator] = _state["translators"]  # type: ignore[assignment]
    for t in translators:
        app.removeTranslator(t)
    translators.clear()
    _state["lang"] = lang
    # English is the source language; its file carries only the plural forms ("1 ticket").
    ours = QTranslator(app)
    if ours.load(str(translations_dir() / f"reglament_{lang}.qm")):
        app.installTranslator(ours)
        translators.append(ours)
    if lang == "ru":
        qt = QTranslator(app)  # Qt's own dialogs: "Cancel", "Save", …
        if qt.load("qtbase_ru", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            translators.append(qt)
    return lang

