"""E-mail templates (Russian and English) rendered with Jinja2.

Templates are plain files under ``resources/mail/<lang>/`` so an administrator can reword them;
a mistake in one is reported with the file and line, never as a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
    )


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "ru"


def _render(source: str, name: str, context: dict[str, Any], line_offset: int = 0) -> str:
    try:
        return _env().from_string(source).render(**context).strip()
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(
            f"the mail template {name} is broken at line {(exc.lineno or 0) + line_offset}: {exc.message}"
        ) from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"the mail template {name} uses an unknown placeholder: {exc.message}") from None


def render_mail(kind: str, lang: str, context: dict[str, Any]) -> RenderedMail:
    """Render ``resources/mail/<lang>/<kind>.txt`` whose first line is ``Subject: …``."""
    path = resources_dir() / "mail" / _lang(lang) / f"{kind}.txt"
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"the mail template {path} is missing") from None
    first, _, rest = source.partition("\n")
    if not first.startswith("Subject:"):
        raise ConfigError(f"the mail template {path} must start with a 'Subject:' line")
    subject = _render(first[len("Subject:") :], f"{path}", context)
    body = _render(rest, f"{path}", context, line_offset=1)
    return RenderedMail(subject=subject, body=body)


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
