"""E-mail templates (Russian and English) rendered with Jinja2.

Templates are plain files under ``resources/mail/<lang>/`` so an administrator can reword them;
a mistake in one is reported with the file and line, never as a traceback.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from desktop.errors import ConfigError, NotFound
from desktop.resources import resources_dir

LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    body: str


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
    )


@lru_cache(maxsize=256)
def _compiled(source: str) -> jinja2.Template:
    """Compiling is ~100× dearer than rendering (an acknowledgement per new ticket made it the
    largest cost of a sync). Keyed by the source text itself, so an edited template — a file
    changed by an administrator, a reason rewritten in the GUI — is simply a new entry."""
    return _env().from_string(source)


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "ru"


def _render(source: str, name: str, context: dict[str, Any], line_offset: int = 0) -> str:
    try:
        return _compiled(source).render(**context).strip()
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            "the mail template {name} is broken at line {line}: {reason}",
            name=name, line=(exc.lineno or 0) + line_offset, reason=exc.message,
        ) from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(
            "the mail template {name} uses an unknown placeholder: {reason}", name=name, reason=exc.message
        ) from None


def render_mail(kind: str, lang: str, context: dict[str, Any], source: str | None = None) -> RenderedMail:
    """Render ``resources/mail/<lang>/<kind>.txt`` whose first line is ``Subject: …``, or
    ``source`` (the same form) when the workspace has its own wording of that mail."""
    path = resources_dir() / "mail" / _lang(lang) / f"{kind}.txt"
    if source is not None:
        name = f"{kind} ({_lang(lang)})"
        first, rest = split_mail_source(source, name)
    else:
        name = str(path)
        first, rest = _mail_source(path, *_file_stamp(path))
    subject, body = _render_both(first, rest, name, context)
    return RenderedMail(subject=subject, body=body)


#: Between a mail's subject and body when both are rendered at once: text no template holds.
_BETWEEN = "\n\x00end of subject\x00\n"


def _render_both(first: str, rest: str, name: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject and the body rendered with one call: a sync renders an acknowledgement for
    every new ticket, and setting up a rendering cost as much as the rendering itself. When
    anything is unusual — a template error (reported for its own part, with its own line), or
    whitespace control that ate the marker — the two parts are rendered apart, as ever."""
    try:
        both = _compiled(first + _BETWEEN + rest).render(**context)
    except (jinja2.TemplateSyntaxError, jinja2.UndefinedError):
        both = ""
    subject, marker, body = both.partition(_BETWEEN)
    if not marker or _BETWEEN in body:
        return _render(first, name, context), _render(rest, name, context, line_offset=1)
    return subject.strip(), body.strip()


def split_mail_source(source: str, name: str) -> tuple[str, str]:
    """A mail template's subject and body sources: its first line is ``Subject: …``."""
    first, _, rest = source.partition("\n")
    if not first.startswith("Subject:"):
        raise ConfigError("the mail template {path} must start with a 'Subject:' line", path=name)
    return first[len("Subject:") :], rest


def placeholders(source: str, name: str = "") -> set[str]:
    """The names a template uses (its undeclared variables), for checking an edited wording."""
    from jinja2 import meta

    try:
        return set(meta.find_undeclared_variables(_env().parse(source)))
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            "the mail template {name} is broken at line {line}: {reason}",
            name=name, line=exc.lineno or 0, reason=exc.message,
        ) from None


#: How long a template file's modification stamp is trusted before the file is looked at again:
#: a sync renders one acknowledgement per new ticket, and a ``stat`` each time cost more than
#: the rendering; an administrator's edit still takes effect within a second or two.
STAMP_TTL = 2.0
_stamps: dict[Path, tuple[float, int, int]] = {}


def _file_stamp(path: Path) -> tuple[int, int]:
    now = time.monotonic()
    known = _stamps.get(path)
    if known is not None and now - known[0] < STAMP_TTL:
        return known[1], known[2]
    try:
        st = path.stat()
    except FileNotFoundError:
        _stamps.pop(path, None)
        raise NotFound("the mail template {path} is missing", path=path) from None
    _stamps[path] = (now, st.st_mtime_ns, st.st_size)
    return st.st_mtime_ns, st.st_size


@lru_cache(maxsize=32)
def _mail_source(path: Path, mtime_ns: int, size: int) -> tuple[str, str]:
    """The subject and body sources of a template file; modification time and size in the key
    make an administrator's edit take effect on the next mail without a restart."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound("the mail template {path} is missing", path=path) from None
    return split_mail_source(source, str(path))


@lru_cache(maxsize=4)
def _reason_sources(path: Path, mtime: float) -> dict[str, tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    out: dict[str, tuple[str, int]] = {}
    code: str | None = None
    start = 0
    buf: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.fullmatch(r"\[([a-z_]+)\]\s*", line)
        if m:
            if code:
                out[code] = ("\n".join(buf).strip(), start)
            code, start, buf = m.group(1), n, []
        elif code and not (not buf and line.startswith("#")):
            buf.append(line)
    if code:
        out[code] = ("\n".join(buf).strip(), start)
    return out


def reason_templates(lang: str) -> dict[str, str]:
    """The shipped reply template source for each refusal/postponement reason."""
    path = resources_dir() / "mail" / _lang(lang) / "reasons.txt"
    return {k: v for k, (v, _) in _reason_sources(path, path.stat().st_mtime).items()}


def render_text(source: str, name: str, context: dict[str, Any]) -> str:
    """Render an administrator-edited text (reason template, canned response)."""
    return _render(source, name, context)


def client_time(t: datetime, tz: tzinfo, zone_name: str, lang: str) -> str:
    """A time for a client's mail, in the regulation's zone and saying which zone it is.

    Clients read mail in their own zone; "до 14:00" without a zone is ambiguous when support
    works by Moscow time and the client is in Novosibirsk.
    """
    local = t.astimezone(tz)
    offset = local.strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    zone = utc if zone_name.lstrip("+-").replace(":", "").isdigit() or zone_name.upper().startswith("UTC") \
        else f"{zone_name}, {utc}"
    stamp = local.strftime("%d.%m.%Y %H:%M") if lang == "ru" else local.strftime("%Y-%m-%d %H:%M")
    return f"{stamp} ({zone})"
