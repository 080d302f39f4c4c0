"""The configurable act number pattern: formats right, and a bad pattern says what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.acts.model import ActNumberPatternError, format_act_number, validate_act_number_pattern
from desktop.errors import ConfigError, ReglamentError, ValidationError

DAY = dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    ("pattern", "seq", "number"),
    [
        ("А-{year}-{seq:04d}", 42, "А-2026-0042"),
        ("{seq}", 7, "7"),
        ("{seq}/{yy:02d}", 3, "3/26"),
        ("АКТ-{year}{month:02d}{day:02d}-{seq:03d}", 12, "АКТ-20260305-012"),
        ("А-{year}-{seq:04d}", 123456, "А-2026-123456"),  # the width is a minimum, never a cut
        ("{{{seq}}}", 5, "{5}"),  # literal braces are written doubled, as in str.format
    ],
)
def test_patterns_format(pattern: str, seq: int, number: str) -> None:
    assert format_act_number(pattern, seq, DAY) == number


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("А-{year}", "no {seq}"),
        ("А-{seq", "malformed"),
        ("А-}{seq}", "malformed"),
        ("{number}", "{number}"),
        ("{}", "{}"),
        ("{0}", "{0}"),
        ("{seq.__class__}", "{seq.__class__}"),
        ("{seq[0]}", "{seq[0]}"),
        ("{seq!r}", "!r"),
        ("{seq:xyz}", "format spec"),
        ("{seq:{year}}", "nested"),
    ],
)
def test_bad_patterns_are_typed_errors_with_a_plain_message(pattern: str, message: str) -> None:
    with pytest.raises(ActNumberPatternError) as caught:
        validate_act_number_pattern(pattern)
    assert message in str(caught.value)
    assert isinstance(caught.value, ConfigError)
    assert isinstance(caught.value, ReglamentError)
    with pytest.raises(ActNumberPatternError):
        format_act_number(pattern, 1, DAY)


@pytest.mark.parametrize("seq", [0, -1, True])
def test_sequence_must_be_positive_integer(seq: int) -> None:
    with pytest.raises(ValidationError):
        format_act_number("{seq}", seq, DAY)


def test_distinct_sequences_give_distinct_numbers() -> None:
    numbers = {format_act_number("А-{year}-{seq:04d}", n, DAY) for n in range(1, 2001)}
    assert len(numbers) == 2000
