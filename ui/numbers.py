"""Numbers, percentages and sizes as the window's language writes them, through QLocale:
"86,5 %" and "1 234" in Russian, "86.5%" and "1,234" in English. Every number the window
formats by hand goes through here, so a decimal point never shows in a Russian window."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from ui import i18n

_LOCALES = {"ru": QLocale(QLocale.Language.Russian, QLocale.Country.Russia),
            "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)}


def locale(lang: str | None = None) -> QLocale:
    """The QLocale of ``lang`` (default: the window's language)."""
    return _LOCALES["ru" if (lang or i18n.current()).startswith("ru") else "en"]


def number(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """``value`` with ``decimals`` places and the language's separators."""
    loc = locale(lang)
    if decimals == 0:
        return loc.toString(round(value))
    return loc.toString(float(value), "f", decimals)


def percent(value: float, decimals: int = 1, lang: str | None = None) -> str:
    """``value`` already in percent (86.5): "86,5 %" (no-break space) in Russian, "86.5%" in English."""
    return number(value, decimals, lang) + percent_suffix(lang)


def percent_suffix(lang: str | None = None) -> str:
    """The suffix of a spin box of percents: " %" (no-break space) in Russian, "%" in English."""
    return "\u00a0%" if locale(lang).language() == QLocale.Language.Russian else "%"


def size(n_bytes: int, lang: str | None = None) -> tuple[str, str]:
    """A size as a number and its unit key ("B", "KB", "MB"): the unit's word is the caller's
    to translate."""
    if n_bytes < 1024:
        return number(n_bytes, 0, lang), "B"
    if n_bytes < 1024 * 1024:
        return number(n_bytes / 1024, 0, lang), "KB"
    return number(n_bytes / 1024 / 1024, 1, lang), "MB"
