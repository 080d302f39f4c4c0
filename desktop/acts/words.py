"""Numbers, money and dates written the way an accountant expects to read them on an act.

The amount in words comes from num2words (never hand-written); this module only reshapes its
output into the form printed on Russian acts: "Двенадцать тысяч пятьсот рублей 00 копеек" —
capitalised, no comma, kopecks as two digits with the noun agreeing with them.

Gotcha worth knowing: ``num2words(12500, to="currency")`` with an *int* reads it as kopecks
(125 roubles); amounts are therefore always passed as ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from num2words import num2words

from desktop.acts.model import Language, to_kopecks
from desktop.errors import ValidationError

NBSP = "\u00a0"

_MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """Pick the Russian noun form for ``n``: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _checked_amount(amount: Decimal) -> Decimal:
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise ValidationError("Amount {amount!r} must be a Decimal", amount=amount)
    value = to_kopecks(Decimal(amount))
    if value < 0:
        raise ValidationError("Amount {value} is negative; an act cannot state a negative total", value=value)
    return value


def amount_in_words(amount: Decimal, language: Language = "ru", currency: str = "RUB") -> str:
    """The total in words: "Двенадцать тысяч пятьсот рублей 00 копеек" / "Twelve thousand five
    hundred roubles 00 kopecks". Rounded half up to kopecks first, as the printed figure is."""
    if currency != "RUB":
        raise ValidationError("Amount in words is available for RUB only, not {currency!r}", currency=currency)
    value = _checked_amount(amount)
    kopecks = int((value % 1) * 100)
    if language == "ru":
        text = num2words(value, lang="ru", to="currency", currency="RUB", cents=False)
        roubles_part = text.rsplit(", ", 1)[0]
        tail = f"{kopecks:02d} {ru_plural(kopecks, 'копейка', 'копейки', 'копеек')}"
    elif language == "en":
        text = num2words(value, lang="en", to="currency", currency="RUB", cents=False)
        # num2words writes "twelve thousand, five hundred roubles, 00 kopeks": the last comma
        # separates kopecks, the others are its thousands punctuation that acts do not use.
        roubles_part = text.rsplit(", ", 1)[0].replace(",", "")
        tail = f"{kopecks:02d} {'kopeck' if kopecks == 1 else 'kopecks'}"
    else:
        raise ValidationError("Unknown language {language!r} for amount in words", language=language)
    words = f"{roubles_part} {tail}"
    return words[:1].upper() + words[1:]


def format_money(amount: Decimal, language: Language = "ru") -> str:
    """12 500,00 (non-breaking space, decimal comma) for ru; 12,500.00 for en."""
    value = to_kopecks(Decimal(amount))
    text = f"{value:,.2f}"
    if language == "ru":
        return text.replace(",", NBSP).replace(".", ",")
    return text


def format_hours(hours: Decimal, language: Language = "ru") -> str:
    """Hours with two decimals so the column lines up: 1,50 / 1.50."""
    text = f"{to_kopecks(Decimal(hours)):,.2f}"
    if language == "ru":
        return text.replace(",", NBSP).replace(".", ",")
    return text


def format_rate(rate: Decimal, language: Language = "ru") -> str:
    """A VAT rate without trailing zeros: 20, 5, 7, 10,5 (ru) / 10.5 (en)."""
    text = format(Decimal(rate).normalize(), "f")
    return text.replace(".", ",") if language == "ru" else text


def format_date_long(day: dt.date, language: Language = "ru") -> str:
    """15 марта 2026 г. / 15 March 2026 — the form printed in act headers and signatures."""
    if language == "ru":
        return f"{day.day} {_MONTHS_RU_GENITIVE[day.month - 1]} {day.year}{NBSP}г."
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_date_short(day: dt.date, language: Language = "ru") -> str:
    """15.03.2026 — for table cells (deadlines), where the long form would wrap."""
    if language == "ru":
        return day.strftime("%d.%m.%Y")
    return f"{day.day:02d} {_MONTHS_EN[day.month - 1][:3]} {day.year}"
