"""What the queue shows: saved views, filters and search resolved into SQL, the ordered ids of
a view, the counts beside the views, and the choices the filter bar offers.

A spec is plain values, so it crosses threads; the window asks for the ids of a spec (off the
GUI thread) whenever the view, filter, search or sort changes. Sorting and filtering are SQL's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.tickets import OPEN_STATUSES, Status
from desktop.errors import ValidationError
from desktop.services import saved_views
from desktop.services.reads.queue_clock import load_sla_book
from desktop.services.workspace import Workspace
from desktop.store import queue as q
from desktop.store.models import Agent, Department, Plan, ReasonRow

#: The fixed views of R-UI-1, in the order the window lists them; an agent's own saved views
#: (``saved:<id>``, :mod:`desktop.services.saved_views`) follow them.
VIEWS = saved_views.FIXED_VIEWS
#: SLA states a user can filter by.
SLA_FILTERS = saved_views.SLA_FILTERS

OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))


@dataclass(frozen=True)
class QueueSpec:
    """What the user asked the queue to show; plain values, so it can cross threads."""

    view: str = "all"
    status: str | None = None
    department: str | None = None
    assignee: str | None = None  # an agent's login; "" means unassigned
    plan: str | None = None
    sla: str | None = None
    search: str = ""
    sort: str = "default"
    descending: bool = False


_TID_ONLY = re.compile(r"^\s*\[?(?:[A-Za-z][A-Za-z0-9]{0,9}-)?0*(\d{1,12})\]?\s*$")


def tid_number(search: str) -> int | None:
    """The ticket number a search is, when it is one ("TID-000042", "[42]", "42")."""
    m = _TID_ONLY.match(search)
    return int(m.group(1)) if m else None


def _agent_id(session: Session, login: str) -> int:
    """The agent's id, or -1 (matches nothing) when the login has never acted."""
    agent_id = session.scalar(select(Agent.id).where(Agent.login == login))
    return agent_id if agent_id is not None else -1


def _lookup(session: Session | None) -> Session:
    if session is None:  # names_stored() let through a spec that names something stored
        raise RuntimeError("this queue filter needs the database to be resolved")
    return session


def _code_id(session: Session, model: type[Plan] | type[Department], code: str, what: str) -> int:
    found = session.scalar(select(model.id).where(model.code == code))
    if found is None:
        raise ValidationError(f"there is no {what} {code!r}")
    return int(found)


def filters_for(session: Session, ws: Workspace, spec: QueueSpec) -> q.Filters:
    """Resolve a spec (codes, logins, a view name) into the store's id-based filters."""
    # A saved view narrows a fixed one.
    return _filters(session, ws, spec, saved_views.base_view(session, ws.actor, spec.view))


def names_stored(spec: QueueSpec) -> bool:
    """Whether ``spec`` names something only the database can resolve: a saved view, "my
    tickets" or an agent (a login's id), a department or a plan (a code's id)."""
    return (spec.view not in VIEWS or spec.view == "mine" or bool(spec.assignee)
            or bool(spec.department) or bool(spec.plan))


def fixed_filters(ws: Workspace, spec: QueueSpec) -> q.Filters | None:
    """The filters of a spec that names nothing stored (:func:`names_stored`), resolved without
    the database: a first screen read this way needs no session. None for any other spec."""
    return None if names_stored(spec) else _filters(None, ws, spec, spec.view)


def _filters(session: Session | None, ws: Workspace, spec: QueueSpec, view: str) -> q.Filters:
    """``session`` is None only for a spec that names nothing stored (see :func:`fixed_filters`)."""
    statuses: tuple[str, ...] | None = None
    assignee_id: int | None = None
    unassigned = False
    sla: list[str] = []
    rework = False
    if view == "mine":
        statuses, assignee_id = OPEN, _agent_id(_lookup(session), ws.actor)
    elif view == "unassigned":
        statuses, unassigned = OPEN, True
    elif view == "waiting":
        statuses = (Status.WAITING_CLIENT.value,)
    elif view == "breaching":
        statuses = OPEN
        sla.append("at_risk")
    elif view == "acceptance":
        statuses = (Status.RESOLVED.value,)
    elif view == "rework":  # rework of a refused act still to do, soonest deadline first
        rework = True
    elif view != "all":
        raise ValidationError(f"there is no saved view {spec.view!r}")
    if spec.status:
        try:
            wanted = Status(spec.status).value
        except ValueError:
            raise ValidationError(f"unknown status {spec.status!r}") from None
        statuses = (wanted,) if statuses is None or wanted in statuses else ()
    if spec.assignee is not None:
        if spec.assignee == "":
            unassigned = True
        else:
            wanted_id = _agent_id(_lookup(session), spec.assignee)
            if assignee_id is not None and assignee_id != wanted_id:
                statuses = ()  # "my tickets" of someone else: nothing
            assignee_id = wanted_id
    if spec.sla:
        if spec.sla not in SLA_FILTERS:
            raise ValidationError(f"unknown SLA state {spec.sla!r}")
        sla.append(spec.sla)
    return q.Filters(
        statuses=statuses,
        assignee_id=assignee_id,
        unassigned=unassigned,
        department_id=_code_id(_lookup(session), Department, spec.department, "department")
        if spec.department else None,
        plan_id=_code_id(_lookup(session), Plan, spec.plan, "plan") if spec.plan else None,
        sla=tuple(sla),
        search=spec.search.strip(),
        rework=rework,
    )


def fetch_ids(ws: Workspace, spec: QueueSpec, now: datetime | None = None) -> list[int]:
    """The ordered ids of everything the spec selects (sorted and filtered in SQL)."""
    now = now or ws.now()
    with ws.db.reading() as s:
        filters = filters_for(s, ws, spec)
        thresholds = load_sla_book(s).thresholds(now) if filters.sla else []
        query = q.ids_query(
            s, filters, spec.sort, spec.descending, now, OPEN, thresholds, tid_number(spec.search)
        )
        # Core, not the ORM's result machinery: a long list of ids comes sooner.
        return list(s.connection().execute(query).scalars())


def saved_spec(view: saved_views.ViewInfo) -> QueueSpec:
    """What a saved view shows: its fixed view narrowed by the filter it keeps."""
    kept = view.spec
    return QueueSpec(view=view.key, status=kept["status"], department=kept["department"],
                     assignee=kept["assignee"], plan=kept["plan"], sla=kept["sla"], search=kept["search"],
                     sort=kept["sort"], descending=kept["descending"])


def view_spec(ws: Workspace, name: str) -> QueueSpec:
    """A view by what a person calls it: a fixed view's key (``mine`` … ``all``) or the name
    of a saved view (the agent's own first, then the team's)."""
    if name in VIEWS:
        return QueueSpec(view=name)
    return saved_spec(saved_views.find_view(ws, name))


# --- choices for the filter bar and dialogs ---------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    en: str
    ru: str

    def label(self, lang: str) -> str:
        return self.ru if lang.startswith("ru") and self.ru else self.en


@dataclass(frozen=True)
class Choices:
    departments: tuple[Choice, ...]
    plans: tuple[Choice, ...]
    agents: tuple[Choice, ...]
    reasons: tuple[tuple[Choice, str], ...]  # (reason, use: refuse | postpone | both)


def choices(ws: Workspace) -> Choices:
    with ws.db.reading() as s:
        return Choices(
            departments=tuple(
                Choice(d.code, d.name_en, d.name_ru)
                for d in s.scalars(select(Department).where(Department.active.is_(True))
                                   .order_by(Department.position, Department.id))
            ),
            plans=tuple(
                Choice(p.code, p.name, p.name_ru) for p in s.scalars(select(Plan).order_by(Plan.position))
            ),
            agents=tuple(
                Choice(a.login, a.name, a.name)
                for a in s.scalars(select(Agent).where(Agent.active.is_(True)).order_by(Agent.name))
            ),
            reasons=tuple(
                (Choice(r.code, r.title_en, r.title_ru), r.use)
                for r in s.scalars(
                    select(ReasonRow).where(ReasonRow.active.is_(True)).order_by(ReasonRow.position)
                )
            ),
        )
