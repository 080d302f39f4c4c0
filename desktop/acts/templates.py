"""Act templates: administrator-editable Jinja2 files turned into HTML for the PDF renderer.

The built-in templates live in ``resources/acts/<language>/<kind>.html.j2`` next to the package.
An administrator may keep edited copies in a folder of their own with the same layout; a file
found there wins, anything missing falls back to the built-in one, so changing only the
acceptance wording means copying only that one file.

A template is code the administrator wrote: when it breaks, the message names the file and the
line (syntax errors and undefined variables alike), never a Jinja traceback.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from desktop.acts.model import ActData, Language
from desktop.acts.words import (
    amount_in_words,
    format_date_long,
    format_date_short,
    format_hours,
    format_money,
    format_rate,
    ru_plural,
)
from desktop.errors import Phrase, ReglamentError
from desktop.resources import shipped_dir

RESOURCES_DIR = shipped_dir()
BUILTIN_TEMPLATE_DIR = RESOURCES_DIR / "acts"
TEMPLATE_SUFFIX = ".html.j2"


class ActTemplateError(ReglamentError):
    """An act template is missing or broken; ``template`` is the file, ``line`` where known."""

    def __init__(
        self, message: str, /, *, template: str, line: int | None = None, **params: object
    ) -> None:
        problem = Phrase(message, **params)
        if line:
            super().__init__(
                "Act template {template}, line {line}: {problem}",
                template=template, line=line, problem=problem,
            )
        else:
            super().__init__("Act template {template}: {problem}", template=template, problem=problem)
        self.template = template
        self.line = line


def template_name(act: ActData) -> str:
    """The loader name of the template for this act, e.g. ``ru/acceptance.html.j2``."""
    return f"{act.language}/{act.kind}{TEMPLATE_SUFFIX}"


def search_path(template_dir: Path | None = None) -> list[Path]:
    """Folders searched for templates, the administrator's first."""
    dirs = [BUILTIN_TEMPLATE_DIR]
    if template_dir is not None:
        dirs.insert(0, Path(template_dir))
    return dirs


def make_environment(language: Language, template_dir: Path | None = None) -> jinja2.Environment:
    """A fresh environment per render: templates are rendered rarely and may be edited between
    renders, so a cache would only ever serve stale files."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path(template_dir)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., str]] = {
        "money": lambda v: format_money(Decimal(v), language),
        "hours": lambda v: format_hours(Decimal(v), language),
        "rate": lambda v: format_rate(Decimal(v), language),
        "date_long": lambda d: format_date_long(d, language),
        "date_short": lambda d: format_date_short(d, language),
        "in_words": lambda v: amount_in_words(Decimal(v), language),
    }
    env.filters.update(filters)
    env.globals["ru_plural"] = ru_plural
    return env


def act_context(act: ActData) -> dict[str, Any]:
    """What a template can use: the act itself plus the figures it must not recompute."""
    return {
        "act": act,
        "executor": act.executor,
        "customer": act.customer,
        "works": act.works,
        "tids": act.tids,
        "subtotal": act.subtotal,
        "vat_amount": act.vat_amount,
        "total": act.total,
        "total_hours": act.total_hours,
        "total_in_words": amount_in_words(act.total, act.language) if act.paid else "",
    }


def _template_frame_line(exc: BaseException, filenames: set[str]) -> tuple[str, int] | None:
    """Find where in a template a runtime error happened.

    Jinja rewrites tracebacks so that template code appears as frames of the template file;
    the innermost such frame is the line the administrator has to fix.
    """
    found: tuple[str, int] | None = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename in filenames or filename.endswith(TEMPLATE_SUFFIX):
            found = (filename, lineno)
    return found


def _loaded_files(env: jinja2.Environment, name: str) -> set[str]:
    files: set[str] = set()
    for directory in search_path_of(env):
        candidate = Path(directory) / name
        if candidate.is_file():
            files.add(str(candidate))
    return files


def search_path_of(env: jinja2.Environment) -> list[str]:
    loader = env.loader
    if isinstance(loader, jinja2.FileSystemLoader):
        return list(loader.searchpath)
    return []


def render_act_html(act: ActData, template_dir: Path | None = None) -> str:
    """Render the act's template to HTML (Qt rich-text subset), or raise ActTemplateError."""
    if template_dir is not None and not Path(template_dir).is_dir():
        # A configured folder that vanished must not silently fall back to the built-in acts.
        raise ActTemplateError("the template folder does not exist", template=str(template_dir))
    env = make_environment(act.language, template_dir)
    name = template_name(act)
    try:
        template = env.get_template(name)
        return template.render(act_context(act))
    except jinja2.TemplateSyntaxError as exc:
        raise ActTemplateError(
            "{detail}",  # Jinja's own words
            detail=exc.message or Phrase("syntax error"),
            template=exc.filename or exc.name or name,
            line=exc.lineno,
        ) from exc
    except jinja2.TemplateNotFound as exc:
        folders = ", ".join(search_path_of(env))
        raise ActTemplateError("not found in {folders}", template=str(exc.name or name), folders=folders) from exc
    except ReglamentError:
        raise
    except Exception as exc:
        # Undefined variables (StrictUndefined), bad filters, arithmetic on text: all mistakes
        # in the template file, reported at the template line rather than as a crash.
        where = _template_frame_line(exc, _loaded_files(env, name))
        if where is None:
            raise
        detail = str(exc) or type(exc).__name__
        raise ActTemplateError("{detail}", detail=detail, template=where[0], line=where[1]) from exc
