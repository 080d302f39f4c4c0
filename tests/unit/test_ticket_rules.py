"""Lifecycle and TID rules of the domain (R-TICKET-1, R-TICKET-3)."""

from __future__ import annotations

import pytest

from desktop.domain.errors import InvalidTransition, ValidationError
from desktop.domain.tickets import (
    DEFAULT_REASONS,
    TRANSITIONS,
    Status,
    TidFormat,
    check_transition,
    status_name,
)


def test_every_status_has_rules_and_names() -> None:
    assert set(TRANSITIONS) == set(Status)
    for s in Status:
        assert status_name(s, "ru") and status_name(s, "en")


@pytest.mark.parametrize(
    ("src", "dst"),
    [("new", "in_progress"), ("in_progress", "waiting_client"), ("waiting_client", "inactive"),
     ("escalated", "resolved"), ("resolved", "closed"), ("closed", "in_progress"),
     ("new", "duplicate"), ("postponed", "in_progress")],
)
def test_allowed_moves(src: str, dst: str) -> None:
    check_transition(src, dst)


@pytest.mark.parametrize(
    ("src", "dst"),
    [("duplicate", "in_progress"), ("closed", "resolved"), ("new", "inactive"),
     ("in_progress", "inactive"), ("resolved", "waiting_client"), ("inactive", "closed")],
)
def test_illegal_moves_are_refused_in_plain_words(src: str, dst: str) -> None:
    with pytest.raises(InvalidTransition) as err:
        check_transition(src, dst)
    assert status_name(src).lower() in str(err.value)
    assert "Traceback" not in str(err.value)


def test_tid_format_and_parse() -> None:
    fmt = TidFormat()
    assert fmt.format(123) == "TID-000123"
    assert fmt.parse("tid-000123") == 123
    assert fmt.parse("[TID-42]") == 42
    assert TidFormat("SUP", 4).format(7) == "SUP-0007"
    with pytest.raises(ValidationError):
        fmt.parse("REQ-1")
    with pytest.raises(ValidationError):
        TidFormat("1X")
    with pytest.raises(ValidationError):
        fmt.format(0)


def test_reasons_from_the_regulations() -> None:
    codes = {r.code for r in DEFAULT_REASONS}
    assert {"insufficient_info", "cannot_reproduce", "several_problems", "duplicate", "out_of_scope",
            "third_party", "client_modified", "offensive", "client_not_identified",
            "no_contract"} <= codes
    offers = {r.code: r.offer for r in DEFAULT_REASONS}
    assert offers["several_problems"] == "split" and offers["duplicate"] == "merge"
