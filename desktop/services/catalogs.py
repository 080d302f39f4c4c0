"""The regulation's two lists an administrator keeps: departments and refusal/postponement
reasons (R-TICKET-2, R-TICKET-4).

Each entry has a code (what tickets, history and scripts name it by), a title in Russian and
in English, a place in the list, and may be *retired*: a retired entry is offered nowhere any
more (filters, the edit and refusal dialogs) but stays on the tickets that carry it, so old
tickets, their history and the dashboard's counts keep their meaning. Only an entry no ticket
ever used can be deleted. The window's Settings pages and ``reglament departments|reasons``
both go through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.domain.tickets import ReasonUse
from desktop.errors import NotFound, ValidationError
from desktop.services.workspace import Workspace
from desktop.store.models import Department, ReasonRow, Ticket

Kind = Literal["department", "reason"]
KINDS: tuple[Kind, ...] = ("department", "reason")
USES = tuple(u.value for u in ReasonUse)

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
TITLE_MAX = 200


@dataclass(frozen=True)
class Entry:
    """One department or reason as the lists show it; ``used`` counts the tickets that carry it."""

    code: str
    title_en: str
    title_ru: str
    active: bool
    position: int
    used: int
    use: str = ""  # reasons: refuse | postpone | both
    offer: str = ""  # reasons: split | merge | ""

    def title(self, lang: str) -> str:
        return self.title_ru if lang == "ru" and self.title_ru else self.title_en

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "title_en": self.title_en, "title_ru": self.title_ru,
                                  "active": self.active, "position": self.position, "tickets": self.used}
        if self.use:
            out["use"] = self.use
            out["offer"] = self.offer or None
        return out


def entries(ws: Workspace, kind: Kind) -> list[Entry]:
    """The whole list in its order, retired entries included (marked)."""
    with ws.db.reading() as s:
        if kind == "department":
            by_id: dict[int | None, int] = {k: n for k, n in s.execute(
                select(Ticket.department_id, func.count()).group_by(Ticket.department_id)).all()}
            return [Entry(d.code, d.name_en, d.name_ru, d.active, d.position, by_id.get(d.id, 0))
                    for d in s.scalars(select(Department).order_by(Department.position, Department.id))]
        used: dict[str | None, int] = {k: n for k, n in s.execute(
            select(Ticket.reason_code, func.count()).group_by(Ticket.reason_code)).all()}
        return [Entry(r.code, r.title_en, r.title_ru, r.active, r.position, int(used.get(r.code, 0)),
                      r.use, r.offer or "")
                for r in s.scalars(select(ReasonRow).order_by(ReasonRow.position, ReasonRow.code))]


def _titles(title_en: str, title_ru: str) -> tuple[str, str]:
    en, ru = " ".join(title_en.split()), " ".join(title_ru.split())
    if not en and not ru:
        raise ValidationError("give a title in English or in Russian")
    for title in (en, ru):
        if len(title) > TITLE_MAX:
            raise ValidationError("a title is at most {limit} characters long", limit=TITLE_MAX)
    return en or ru, ru or en


def _use(use: str) -> str:
    if use not in USES:
        raise ValidationError("a reason is used to {uses}, not {use!r}", uses=" | ".join(USES), use=use)
    return use


def _row(s: Session, kind: Kind, code: str) -> Department | ReasonRow:
    row: Department | ReasonRow | None
    if kind == "department":
        row = s.scalar(select(Department).where(Department.code == code))
        if row is None:
            raise NotFound("there is no department {code!r}", code=code)
    else:
        row = s.get(ReasonRow, code)
        if row is None:
            raise NotFound("there is no reason {code!r}", code=code)
    return row


def add(ws: Workspace, kind: Kind, code: str, title_en: str, title_ru: str, *, use: str = "both") -> Entry:
    """A new entry at the end of the list. Its code is for scripts and history: lower-case
    latin letters, digits and _; a code once used (even by a retired entry) is taken."""
    code = code.strip()
    if not _CODE.match(code):
        raise ValidationError("{code!r} cannot be a code: use lower-case latin letters, digits and _, "
                              "starting with a letter (e.g. billing)", code=code)
    en, ru = _titles(title_en, title_ru)
    with ws.db.session() as s:
        try:
            _row(s, kind, code)
        except NotFound:
            pass
        else:
            raise ValidationError("the code {code!r} is taken; choose another", code=code)
        model = Department if kind == "department" else ReasonRow
        last = s.scalar(select(func.max(model.position))) or 0
        if kind == "department":
            s.add(Department(code=code, name_en=en, name_ru=ru, active=True, position=last + 1))
        else:
            s.add(ReasonRow(code=code, title_en=en, title_ru=ru, use=_use(use), offer=None, template_en="",
                            template_ru="", position=last + 1, active=True))
    return next(e for e in entries(ws, kind) if e.code == code)


def rename(ws: Workspace, kind: Kind, code: str, title_en: str | None = None, title_ru: str | None = None,
           *, use: str | None = None) -> None:
    """New titles (the code stays, so tickets and scripts keep naming it the same)."""
    with ws.db.session() as s:
        row = _row(s, kind, code)
        old_en, old_ru = (row.name_en, row.name_ru) if isinstance(row, Department) else (row.title_en, row.title_ru)
        en, ru = _titles(old_en if title_en is None else title_en, old_ru if title_ru is None else title_ru)
        if isinstance(row, Department):
            row.name_en, row.name_ru = en, ru
        else:
            row.title_en, row.title_ru = en, ru
            if use is not None:
                row.use = _use(use)


def retire(ws: Workspace, kind: Kind, code: str, retired: bool = True) -> None:
    """Retire (offered nowhere, kept on its tickets) or bring back into use."""
    with ws.db.session() as s:
        row = _row(s, kind, code)
        if retired and row.active and kind == "department":
            left = s.scalar(select(func.count()).select_from(Department).where(Department.active.is_(True)))
            if (left or 0) <= 1:
                raise ValidationError("the last department in use cannot be retired; add another first")
        row.active = not retired


def delete(ws: Workspace, kind: Kind, code: str) -> None:
    """Delete an entry no ticket carries; one in use is refused (retire it instead)."""
    with ws.db.session() as s:
        row = _row(s, kind, code)
        if isinstance(row, Department):
            used = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.department_id == row.id)) or 0
        else:
            used = s.scalar(select(func.count()).select_from(Ticket).where(Ticket.reason_code == row.code)) or 0
        if used:
            raise ValidationError("{code!r} is on {count} ticket(s) and cannot be deleted; retire it instead",
                                  code=code, count=used)
        if isinstance(row, Department) and row.active:
            left = s.scalar(select(func.count()).select_from(Department).where(Department.active.is_(True)))
            if (left or 0) <= 1:
                raise ValidationError("the last department in use cannot be deleted; add another first")
        s.delete(row)


def move(ws: Workspace, kind: Kind, code: str, delta: int) -> None:
    """Move an entry ``delta`` places up (negative) or down the list; the list is renumbered."""
    with ws.db.session() as s:
        model = Department if kind == "department" else ReasonRow
        order = (model.position, model.id) if model is Department else (model.position, model.code)
        rows: list[Department | ReasonRow] = list(s.scalars(select(model).order_by(*order)))
        row = _row(s, kind, code)
        at = rows.index(row)
        rows.insert(max(0, min(len(rows) - 1, at + delta)), rows.pop(at))
        for pos, r in enumerate(rows):
            r.position = pos
