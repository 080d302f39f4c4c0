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
import re
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
        return str(text) if lang == "en" else translate_stored(str(text), lang)
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


# --------------------------------------------------------------------------- stored English texts

_FIELD = re.compile(r"\{(\w+)(![rsa])?(:[^{}]*)?\}")


@functools.lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[tuple[re.Pattern[str], str, frozenset[str]], ...]:
    """Every catalogue template with values, as a pattern that reads the values back out of its
    English rendering; the most specific (most literal text) first."""
    entries: dict[object, str] = getattr(catalogue(lang), "_catalog", {})
    found = []
    for msgid, msgstr in entries.items():
        if not isinstance(msgid, str) or "{" not in msgid or not msgstr:
            continue
        parts, seen, quoted, pos = [], set(), set(), 0
        for m in _FIELD.finditer(msgid):
            parts.append(re.escape(msgid[pos : m.start()]))
            name = m.group(1)
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
            if m.group(2) == "!r":
                quoted.add(name)
            pos = m.end()
        parts.append(re.escape(msgid[pos:]))
        literal = len(_FIELD.sub("", msgid))
        found.append((literal, re.compile("".join(parts), re.DOTALL), msgstr, frozenset(quoted)))
    found.sort(key=lambda f: -f[0])
    return tuple((pattern, msgstr, quoted) for _, pattern, msgstr, quoted in found)


def translate_stored(text: str, lang: str, depth: int = 0) -> str:
    """A message stored as English text (a mailbox's last sync error, an outbox item's last
    failure) in ``lang``: the catalogue template that renders to it is found and filled with the
    values read back from it (which may themselves be stored messages). Text no template
    produced is returned unchanged."""
    if lang == "en" or not text or depth > 3:
        return text
    try:
        direct = catalogue(lang).gettext(text)
        if direct != text:
            return direct
        for pattern, msgstr, quoted in _patterns(lang):
            m = pattern.fullmatch(text)
            if m is None:
                continue
            values = {}
            for name, value in m.groupdict().items():
                if name in quoted and len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                values[name] = translate_stored(value, lang, depth + 1)
            # The values are text now: conversions and format specs of the template are dropped.
            return _FIELD.sub(lambda f: "{" + f.group(1) + "}", msgstr).format(**values)
    except Exception:  # never hide the message behind a failure to translate it
        log.warning("cannot translate a stored message to %s", lang, exc_info=True)
    return text
