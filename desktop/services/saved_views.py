"""Saved views an agent makes of the queue (R-UI-1): the filter bar's values under a name,
kept private or shared with every agent of the database, in an order of the team's.

A saved view narrows one of the fixed views (``base``: My tickets, Unassigned, … All) by the
filter bar's values — status, department, assignee, plan, SLA state, the search text — and
keeps the sort. The queue asks for it as ``QueueSpec(view="saved:<id>", …)``; its count is
shown beside it like the fixed views'. Only the agent who made a view renames, shares or
deletes it; anyone who sees it may move it in the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop.domain.tickets import Status
from desktop.errors import NotFound, ValidationError
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, Department, Plan, SavedView

#: The fixed views of R-UI-1, in the order the window lists them (a saved view narrows one).
FIXED_VIEWS = ("mine", "unassigned", "waiting", "breaching", "acceptance", "rework", "all")
#: SLA states a user can filter by.
SLA_FILTERS = ("ok", "warning", "breached", "paused")
PREFIX = "saved:"
NAME_MAX = 60
#: What a saved view keeps of the filter bar, with the value that means "any".
FIELDS: dict[str, Any] = {"view": "all", "status": None, "department": None, "assignee": None, "plan": None,
                          "sla": None, "search": "", "sort": "default", "descending": False}


@dataclass(frozen=True)
class ViewInfo:
    id: int
    name: str
    owner: str
    shared: bool
    position: int
    spec: dict[str, Any] = field(default_factory=dict)
    mine: bool = True

    @property
    def key(self) -> str:
        """The name the queue and the views panel know it by."""
        return f"{PREFIX}{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "owner": self.owner, "shared": self.shared,
                "position": self.position, "mine": self.mine, "filter": dict(self.spec)}


def view_id(key: str) -> int | None:
    """The id in a ``saved:<id>`` key; None for a fixed view."""
    if not key.startswith(PREFIX):
        return None
    try:
        return int(key[len(PREFIX):])
    except ValueError:
        raise ValidationError("there is no saved view {view!r}", view=key) from None


def _info(row: SavedView, actor: str) -> ViewInfo:
    return ViewInfo(row.id, row.name, row.owner, row.shared, row.position, {**FIELDS, **(row.spec or {})},
                    row.owner == actor)


def _visible(s: Session, actor: str) -> list[SavedView]:
    return list(s.scalars(select(SavedView).where(or_(SavedView.owner == actor, SavedView.shared.is_(True)))
                          .order_by(SavedView.position, SavedView.id)))


def visible_in(s: Session, actor: str) -> list[ViewInfo]:
    """The agent's own views and the team's shared ones, in the list's order."""
    return [_info(r, actor) for r in _visible(s, actor)]


def views(ws: Workspace) -> list[ViewInfo]:
    with ws.db.reading() as s:
        return visible_in(s, ws.actor)


def base_view(s: Session, actor: str, key: str) -> str:
    """The fixed view a ``saved:<id>`` narrows (the key itself for a fixed view)."""
    vid = view_id(key)
    if vid is None:
        return key
    row = s.get(SavedView, vid)
    if row is None or not (row.shared or row.owner == actor):
        raise NotFound("the saved view {view!r} is gone; someone deleted it or stopped sharing it", view=key)
    return str((row.spec or {}).get("view") or "all")


def clean_spec(s: Session, spec: dict[str, Any]) -> dict[str, Any]:
    """The filter to keep, every value checked now (not when the view is next opened)."""
    unknown = sorted(set(spec) - set(FIELDS))
    if unknown:
        raise ValidationError("a saved view keeps {fields}, not {unknown}", fields=", ".join(FIELDS),
                              unknown=", ".join(unknown))
    out = {**FIELDS, **spec}
    for key in ("status", "department", "plan", "sla"):
        out[key] = out[key] or None  # "" is "any", as None
    if out["view"] not in FIXED_VIEWS:
        raise ValidationError("a saved view narrows one of {views}, not {view!r}", views=", ".join(FIXED_VIEWS),
                              view=out["view"])
    if out["status"] is not None and out["status"] not in {st.value for st in Status}:
        raise ValidationError("unknown status {status!r}", status=out["status"])
    if out["sla"] is not None and out["sla"] not in SLA_FILTERS:
        raise ValidationError("unknown SLA state {sla!r}; use {states}", sla=out["sla"], states=", ".join(SLA_FILTERS))
    if out["department"] is not None and s.scalar(select(Department.id).where(Department.code == out["department"])) is None:
        raise NotFound("there is no department {code!r}", code=out["department"])
    if out["plan"] is not None and s.scalar(select(Plan.id).where(Plan.code == out["plan"])) is None:
        raise NotFound("there is no plan {code!r}", code=out["plan"])
    if out["assignee"] and s.scalar(select(Agent.id).where(Agent.login == out["assignee"])) is None:
        raise NotFound("there is no agent {login!r}", login=out["assignee"])
    out["search"] = " ".join(str(out["search"] or "").split())[:500]
    out["sort"] = str(out["sort"] or "default")
    out["descending"] = bool(out["descending"])
    return out


def _name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise ValidationError("a saved view needs a name")
    if len(text) > NAME_MAX:
        raise ValidationError("a view's name is at most {limit} characters long", limit=NAME_MAX)
    return text


def _taken(s: Session, owner: str, name: str, but: int | None = None) -> bool:
    found = s.scalar(select(SavedView.id).where(SavedView.owner == owner, SavedView.name == name))
    return found is not None and found != but


def save_view(ws: Workspace, name: str, spec: dict[str, Any], *, shared: bool = False,
              replace: bool = False) -> ViewInfo:
    """Keep ``spec`` (the filter bar's values) as the agent's view ``name``, at the end of the
    list; with ``replace`` an own view of that name takes the new filter (and sharing)."""
    name = _name(name)
    with ws.db.session() as s:
        clean = clean_spec(s, spec)
        row = s.scalar(select(SavedView).where(SavedView.owner == ws.actor, SavedView.name == name))
        if row is not None and not replace:
            raise ValidationError("you already have a view named {name!r}; choose another name or replace it",
                                  name=name)
        if row is None:
            last = max((r.position for r in _visible(s, ws.actor)), default=-1)
            row = SavedView(name=name, owner=ws.actor, position=last + 1, created_at=ws.now())
            s.add(row)
        row.spec, row.shared = clean, shared
        s.flush()
        return _info(row, ws.actor)


def _own(s: Session, ws: Workspace, vid: int) -> SavedView:
    row = s.get(SavedView, vid)
    if row is None or not (row.shared or row.owner == ws.actor):
        raise NotFound("there is no saved view {id}", id=vid)
    if row.owner != ws.actor:
        raise ValidationError("the view {name!r} is {owner}'s; only they can change or delete it",
                              name=row.name, owner=row.owner)
    return row


def rename_view(ws: Workspace, vid: int, name: str) -> None:
    name = _name(name)
    with ws.db.session() as s:
        row = _own(s, ws, vid)
        if _taken(s, ws.actor, name, but=row.id):
            raise ValidationError("you already have a view named {name!r}; choose another name", name=name)
        row.name = name


def share_view(ws: Workspace, vid: int, shared: bool) -> None:
    with ws.db.session() as s:
        _own(s, ws, vid).shared = shared


def delete_view(ws: Workspace, vid: int) -> None:
    with ws.db.session() as s:
        s.delete(_own(s, ws, vid))


def move_view(ws: Workspace, vid: int, delta: int) -> None:
    """Move a view ``delta`` places up (negative) or down the agent's list; a shared view's
    place is the team's, so the list is renumbered in the order the agent sees it."""
    with ws.db.session() as s:
        rows = _visible(s, ws.actor)
        at = next((i for i, r in enumerate(rows) if r.id == vid), None)
        if at is None:
            raise NotFound("there is no saved view {id}", id=vid)
        positions = sorted(r.position for r in rows)
        rows.insert(max(0, min(len(rows) - 1, at + delta)), rows.pop(at))
        # Distinct places for the visible rows, kept above the hidden ones' where they were.
        for pos, r in enumerate(rows):
            r.position = (positions[0] if positions else 0) + pos


def find_view(ws: Workspace, name: str) -> ViewInfo:
    """A view by name: the agent's own first, then a shared one (``owner/name`` picks among
    colleagues' views of one name)."""
    wanted = " ".join(name.split())
    owner, sep, short = wanted.partition("/")
    with ws.db.reading() as s:
        found = visible_in(s, ws.actor)
    mine = [v for v in found if v.mine and v.name == wanted]
    if mine:
        return mine[0]
    theirs = [v for v in found if v.name == wanted or (sep and v.owner == owner and v.name == short)]
    if len(theirs) == 1:
        return theirs[0]
    if theirs:
        raise ValidationError("several colleagues share a view named {name!r}; name it as OWNER/NAME ({names})",
                              name=wanted, names=", ".join(f"{v.owner}/{v.name}" for v in theirs))
    raise NotFound("there is no saved view {name!r}; see reglament views list", name=wanted)
