"""Amounts in words and the act's arithmetic: what an accountant re-adds by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from desktop.acts.model import ActData, Party, WorkItem, to_kopecks
from desktop.acts.words import (
    NBSP,
    amount_in_words,
    format_date_long,
    format_date_short,
    format_hours,
    format_money,
    format_rate,
    ru_plural,
)
from desktop.errors import ValidationError

D = Decimal


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Ноль рублей 00 копеек"),
        ("1", "Один рубль 00 копеек"),
        ("2", "Два рубля 00 копеек"),
        ("5", "Пять рублей 00 копеек"),
        ("11", "Одиннадцать рублей 00 копеек"),
        ("21", "Двадцать один рубль 00 копеек"),
        ("22", "Двадцать два рубля 00 копеек"),
        ("111", "Сто одиннадцать рублей 00 копеек"),
        ("1000", "Одна тысяча рублей 00 копеек"),
        ("2000", "Две тысячи рублей 00 копеек"),
        ("1000000", "Один миллион рублей 00 копеек"),
        ("12500.00", "Двенадцать тысяч пятьсот рублей 00 копеек"),
        ("1234.56", "Одна тысяча двести тридцать четыре рубля 56 копеек"),
        ("0.01", "Ноль рублей 01 копейка"),
        ("0.02", "Ноль рублей 02 копейки"),
        ("0.11", "Ноль рублей 11 копеек"),
        ("0.21", "Ноль рублей 21 копейка"),
        ("101.22", "Сто один рубль 22 копейки"),
        ("2000000.05", "Два миллиона рублей 05 копеек"),
    ],
)
def test_russian_words_in_accountant_form(amount: str, words: str) -> None:
    assert amount_in_words(D(amount), "ru") == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "Zero roubles 00 kopecks"),
        ("1", "One rouble 00 kopecks"),
        ("21", "Twenty-one roubles 00 kopecks"),
        ("12500", "Twelve thousand five hundred roubles 00 kopecks"),
        ("1234.56", "One thousand two hundred and thirty-four roubles 56 kopecks"),
        ("1000000", "One million roubles 00 kopecks"),
        ("0.01", "Zero roubles 01 kopeck"),
    ],
)
def test_english_words(amount: str, words: str) -> None:
    assert amount_in_words(D(amount), "en") == words


def test_int_amount_is_roubles_not_kopecks() -> None:
    # num2words reads an int as kopecks in currency mode; ours must not.
    assert amount_in_words(12500, "ru") == "Двенадцать тысяч пятьсот рублей 00 копеек"  # type: ignore[arg-type]


def test_words_round_half_up_to_the_printed_kopeck() -> None:
    assert amount_in_words(D("1.005")) == "Один рубль 01 копейка"
    assert amount_in_words(D("0.994")) == "Ноль рублей 99 копеек"


def test_words_refuse_negative_float_and_other_currencies() -> None:
    with pytest.raises(ValidationError):
        amount_in_words(D("-1"))
    with pytest.raises(ValidationError):
        amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        amount_in_words(D("1"), currency="USD")


@pytest.mark.parametrize(
    ("n", "form"),
    [(1, "рубль"), (2, "рубля"), (4, "рубля"), (5, "рублей"), (11, "рублей"), (12, "рублей"),
     (14, "рублей"), (21, "рубль"), (22, "рубля"), (111, "рублей"), (1001, "рубль")],
)  # fmt: skip
def test_ru_plural(n: int, form: str) -> None:
    assert ru_plural(n, "рубль", "рубля", "рублей") == form


def test_number_and_date_formats() -> None:
    assert format_money(D("1234567.5"), "ru") == f"1{NBSP}234{NBSP}567,50"
    assert format_money(D("1234567.5"), "en") == "1,234,567.50"
    assert format_money(D("0"), "ru") == "0,00"
    assert format_hours(D("1.5"), "ru") == "1,50"
    assert format_rate(D("20.00"), "ru") == "20"
    assert format_rate(D("10.5"), "ru") == "10,5"
    assert format_rate(D("10.5"), "en") == "10.5"
    assert format_date_long(dt.date(2026, 3, 1), "ru") == f"1 марта 2026{NBSP}г."
    assert format_date_long(dt.date(2026, 5, 9), "en") == "9 May 2026"
    assert format_date_short(dt.date(2026, 3, 1), "ru") == "01.03.2026"


# ---- the act's arithmetic ------------------------------------------------------------------

_EXEC = Party(name="ООО «Исполнитель»", inn="7701234567", address="Москва", signatory_name="А. А.",
              signatory_position="Директор")  # fmt: skip
_CUST = Party(name="ИП Иванов", inn="770123456789", address="Тула", signatory_name="Б. Б.",
              signatory_position="")  # fmt: skip


def _act(amounts: list[str], vat: str | None, included: bool = True, paid: bool = True) -> ActData:
    works = [
        WorkItem(description=f"Работа {i}", tid=f"TID-{i:06d}", hours=D("1.25"),
                 amount=D(a) if paid else None)
        for i, a in enumerate(amounts, start=1)
    ]  # fmt: skip
    return ActData(
        kind="acceptance", number="А-1", date=dt.date(2026, 3, 2), executor=_EXEC, customer=_CUST,
        contract_no="1", works=works, paid=paid, vat=D(vat) if vat else None, vat_included=included,
    )  # fmt: skip


def test_vat_included_is_extracted_and_rounded_half_up() -> None:
    act = _act(["12500.00"], "20")
    assert act.subtotal == D("12500.00")
    assert act.vat_amount == D("2083.33")  # 12500 * 20 / 120 = 2083.333…
    assert act.total == D("12500.00")


def test_vat_on_top_is_added() -> None:
    act = _act(["100.05"], "20", included=False)
    assert act.vat_amount == D("20.01")  # 20.010
    assert act.total == D("120.06")


def test_vat_half_kopeck_rounds_up_not_to_even() -> None:
    act = _act(["0.25"], "10", included=False)  # VAT 0.025 → 0.03 (banker's would give 0.02)
    assert act.vat_amount == D("0.03")


def test_without_vat_usn() -> None:
    act = _act(["1000", "234.56"], None)
    assert act.vat_amount is None
    assert act.total == act.subtotal == D("1234.56")
    assert act.total_hours == D("2.50")


def test_item_amounts_are_rounded_before_summing() -> None:
    # Each line is printed rounded; the total must equal the sum of the printed lines.
    act = _act(["0.005", "0.005"], None)
    assert [w.amount for w in act.works] == [D("0.01"), D("0.01")]
    assert act.total == D("0.02")


def test_free_act_has_zero_total() -> None:
    act = _act(["0", "0"], None, paid=False)
    assert act.total == D("0.00")
    assert all(w.amount is None for w in act.works)


def test_to_kopecks() -> None:
    assert to_kopecks(D("2.675")) == D("2.68")
    assert to_kopecks(D("-2.675")) == D("-2.68")


def test_model_refuses_what_would_print_wrong() -> None:
    with pytest.raises(ValidationError, match="INN"):
        Party(name="X", inn="12345", address="", signatory_name="Y", signatory_position="")
    with pytest.raises(ValidationError, match="not"):
        WorkItem(description="W", tid="T", hours=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no amount"):
        ActData(kind="acceptance", number="1", date=dt.date(2026, 1, 1), executor=_EXEC,
                customer=_CUST, contract_no="1", paid=True,
                works=[WorkItem(description="W", tid="T", hours=D(1))])  # fmt: skip
    with pytest.raises(ValidationError, match="no works"):
        ActData(kind="acceptance", number="1", date=dt.date(2026, 1, 1), executor=_EXEC,
                customer=_CUST, contract_no="1")  # fmt: skip
    with pytest.raises(ValidationError, match="VAT"):
        _act(["1"], "120")
    with pytest.raises(ValidationError, match="refusal"):
        ActData(kind="bilateral", number="Б-1", date=dt.date(2026, 1, 1), executor=_EXEC,
                customer=_CUST, contract_no="1", previous_act_number="А-1")  # fmt: skip


def test_tids_collect_work_tids_in_order_without_duplicates() -> None:
    act = _act(["1", "2"], None)
    assert act.tids == ("TID-000001", "TID-000002")
