"""Every status change goes through the domain's lifecycle (ARCHITECTURE.md, issue 16 item 4).

Two halves: the lifecycle's own moves (a ticket's start, archive import, acts), and a reading of
the engine's source (ast) that fails on a status written anywhere but in
``desktop/domain/lifecycle.py`` — an attribute assignment, a literal status handed to a new
``Ticket``/``Act`` row, a bulk ``update(Ticket).values(status=...)`` or ``setattr``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.domain.errors import InvalidTransition
from desktop.domain.lifecycle import (
    ACT_START,
    ACT_TRANSITIONS,
    OPEN_ACT_STATUSES,
    ActStatus,
    check_act_transition,
    move_act,
    move_ticket,
    ticket_start,
)
from desktop.domain.tickets import Status

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = "desktop/domain/lifecycle.py"
#: The functions that write a status; nothing else in the engine may.
WRITERS = {"move_ticket", "move_act"}
#: Rows whose status has a lifecycle.
ROWS = {"Ticket", "Act"}
#: Names of enums whose members are statuses: ``Status.CLOSED.value`` handed to a row is a
#: status written past the lifecycle.
STATUS_ENUMS = {"Status", "ActStatus"}


@dataclass
class _Record:
    status: str


# --- the lifecycle's moves ----------------------------------------------------------------------


def test_a_ticket_starts_new() -> None:
    start = ticket_start(datetime(2026, 3, 2, 10, tzinfo=UTC))
    assert start.status is Status.NEW and start.closed_at is None


def test_a_ticket_from_the_archive_starts_closed_when_its_mail_arrived() -> None:
    received = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
    start = ticket_start(received, archived=True)
    assert start.status is Status.CLOSED and start.closed_at == received


def test_move_ticket_writes_the_status_and_returns_the_old_one() -> None:
    ticket = _Record("waiting_client")
    assert move_ticket(ticket, Status.INACTIVE) is Status.WAITING_CLIENT
    assert ticket.status == "inactive"


def test_a_refused_ticket_move_leaves_the_ticket_as_it_was() -> None:
    ticket = _Record("in_progress")
    with pytest.raises(InvalidTransition, match="in progress"):
        move_ticket(ticket, Status.INACTIVE)  # only a silent client's ticket closes as inactive
    assert ticket.status == "in_progress"


def test_every_act_state_has_rules() -> None:
    assert set(ACT_TRANSITIONS) == set(ActStatus)
    assert ACT_START is ActStatus.ISSUED
    assert all(ACT_TRANSITIONS[s] for s in OPEN_ACT_STATUSES)  # an open act can still move
    assert all(not ACT_TRANSITIONS[s] for s in set(ActStatus) - OPEN_ACT_STATUSES)


@pytest.mark.parametrize(
    ("src", "dst"),
    [("issued", "sent"), ("sent", "sent"), ("follow_up", "sent"), ("issued", "accepted"),
     ("sent", "refused"), ("sent", "deemed_accepted"), ("sent", "follow_up"),
     ("follow_up", "accepted")],
)
def test_allowed_act_moves(src: str, dst: str) -> None:
    act = _Record(src)
    assert move_act(act, ActStatus(dst)) is ActStatus(src)
    assert act.status == dst


@pytest.mark.parametrize(
    ("src", "dst"),
    [("issued", "deemed_accepted"), ("issued", "follow_up"), ("accepted", "refused"),
     ("refused", "sent"), ("deemed_accepted", "follow_up"), ("follow_up", "deemed_accepted")],
)
def test_illegal_act_moves_are_refused_in_plain_words(src: str, dst: str) -> None:
    act = _Record(src)
    with pytest.raises(InvalidTransition) as err:
        move_act(act, ActStatus(dst))
    assert act.status == src
    assert "act" in str(err.value) and "Traceback" not in str(err.value)
    with pytest.raises(InvalidTransition):
        check_act_transition(src, dst)


# --- nothing else writes a status ---------------------------------------------------------------


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        found: list[ast.expr] = []
        for t in node.targets:
            found.extend(t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t])
        return found
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


def _literal_status(value: ast.expr) -> bool:
    """A status spelled out: ``"closed"`` or ``Status.CLOSED`` / ``Status.CLOSED.value``."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return True
    while isinstance(value, ast.Attribute):
        value = value.value
    return isinstance(value, ast.Name) and value.id in STATUS_ENUMS


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _updates_a_row(call: ast.Call) -> bool:
    """``update(Ticket)...values(...)``: a bulk write to a row with a lifecycle."""
    for node in ast.walk(call.func):
        if (isinstance(node, ast.Call) and _callee(node) == "update" and node.args
                and isinstance(node.args[0], ast.Name) and node.args[0].id in ROWS):
            return True
    return False


def status_writes(source: str, path: str) -> list[str]:
    """Every place in ``source`` that writes a ticket's or an act's status past the lifecycle."""
    tree = ast.parse(source, path)
    allowed: set[int] = set()
    if path == LIFECYCLE:
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name in WRITERS:
                allowed.update(id(n) for n in ast.walk(fn))
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and target.attr == "status":
                found.append(f"{path}:{node.lineno} assigns {ast.unparse(target)}")
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if name == "setattr" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant) \
                and node.args[1].value == "status":
            found.append(f"{path}:{node.lineno} setattr(..., 'status', ...)")
        for kw in node.keywords:
            if kw.arg != "status":
                continue
            if name in ROWS and _literal_status(kw.value):
                found.append(f"{path}:{node.lineno} creates a {name} as {ast.unparse(kw.value)}")
            elif name == "values" and _updates_a_row(node):
                found.append(f"{path}:{node.lineno} updates status in bulk")
    return found


def test_no_status_is_written_outside_the_lifecycle() -> None:
    found = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        found.extend(status_writes(path.read_text(encoding="utf-8"), rel))
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "ticket.status = 'closed'",
        "t.status = Status.CLOSED.value",
        "act.status, act.sent_at = 'sent', now",
        "setattr(ticket, 'status', 'closed')",
        "Ticket(number=1, status=Status.NEW.value)",
        "Act(number='1', status='issued')",
        "s.execute(update(Ticket).where(Ticket.id == 1).values(status='closed'))",
        "def move_ticket(ticket, target):\n    ticket.status = target.value",  # not the lifecycle's
    ],
)
def test_the_scan_sees_a_status_written_past_the_lifecycle(source: str) -> None:
    assert status_writes(source, "desktop/services/example.py")


def test_the_scan_lets_the_lifecycle_and_other_rows_be() -> None:
    source = (
        "def move_ticket(ticket, target):\n    ticket.status = target.value\n"
        "def move_act(act, target):\n    act.status = target.value\n"
    )
    assert status_writes(source, LIFECYCLE) == []
    outbox = "s.execute(update(OutboxItem).values(status='sent'))\nTicket(status=start.status.value)"
    assert status_writes(outbox, "desktop/services/example.py") == []
