"""The engine's own messages in the user's language, without Qt.

Errors and a few engine texts shown on screen (account test verdicts, connection details) are
:class:`~desktop.errors.Phrase` objects: an English template with named values. Here the template
is looked up in a gettext catalogue (``resources/locale/<lang>/LC_MESSAGES/reglament.mo``, compiled
from the ``.po`` beside it) and the values are put in *after* translation, so a translator moves
``{tid}`` where Russian wants it. Values that are phrases themselves (a nested cause) are
translated the same way.

Nothing here may fail the caller: an unknown template, a missing catalogue or a translation whose
placeholders do not fit gives the English text. The UI passes its current language (``ui.i18n``);
the CLI keeps English.
"""

from __future__ import annotations

import functools
import gettext
import logging
from pathlib import Path

from desktop.errors import Bilingual, Phrase, ReglamentError

DOMAIN = "reglament"

log = logging.getLogger("reglament.i18n")


def locale_dir() -> Path:
    from desktop.resources import resources_dir

    return resources_dir() / "locale"


@functools.lru_cache(maxsize=8)
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (English needs none: the templates are English)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[lang], fallback=True)


def translate(text: object, lang: str) -> str:
    """``text`` said in ``lang``: a Phrase or an error is translated, anything else is ``str()``."""
    if isinstance(text, ReglamentError):
        text = str(text)  # its Phrase
    if isinstance(text, Bilingual):
        return text.ru if lang == "ru" else str.__str__(text)
    if not isinstance(text, Phrase):
        return str(text)
    english = str.__str__(text)
    if lang == "en":
        return english
    try:
        template = catalogue(lang).gettext(text.template)
        if not text.params:
            return template
        values = {key: _value(value, lang) for key, value in text.params.items()}
        return template.format(**values)
    except Exception:  # a broken catalogue entry must never hide the message itself
        log.warning("cannot translate %r to %s", text.template, lang, exc_info=True)
        return english


def _value(value: object, lang: str) -> object:
    # Only our own words are translated; numbers, dates, names keep their type (format specs).
    if isinstance(value, Phrase | Bilingual | ReglamentError):
        return translate(value, lang)
    return value


def translate_error(exc: BaseException, lang: str) -> str:
    """The message of an engine error in ``lang``; other exceptions as ``str()``."""
    return translate(exc, lang)
