"""The data an act is rendered from, and the arithmetic an accountant checks on it.

Rendering (HTML/PDF/DOCX) is a pure function of :class:`ActData`: the services gather the
ticket, the client card, the executor's settings and the next number, build one ``ActData`` and
hand it to a renderer. Everything a reader can add up on paper (subtotal, VAT, total) is computed
here, once, with ``Decimal`` and half-up rounding to kopecks, so the PDF, the DOCX and the e-mail
never disagree by a kopeck.

Validation happens at construction: a renderer never has to guess what an empty INN or a float
amount meant, and the person who typed it gets a plain message naming the field.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from desktop.errors import ConfigError, Phrase, ReglamentError, ValidationError

ActKind = Literal["acceptance", "bilateral"]
Language = Literal["ru", "en"]

ACT_KINDS: tuple[ActKind, ...] = ("acceptance", "bilateral")
LANGUAGES: tuple[Language, ...] = ("ru", "en")
SUPPORTED_CURRENCIES: tuple[str, ...] = ("RUB",)

KOPECK = Decimal("0.01")
_HUNDRED = Decimal(100)


def to_kopecks(value: Decimal) -> Decimal:
    """Round to kopecks the way Russian accounting does (half up, not banker's rounding)."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def _decimal(value: object, what: str) -> Decimal:
    """Accept ``Decimal``/``int``/numeric ``str``; refuse ``float`` because it cannot hold kopecks."""
    if isinstance(value, bool | float):
        raise ValidationError("{what}: use a decimal number, not {value!r}", what=what, value=value)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise ValidationError("{what}: {value!r} is not a number", what=what, value=value) from None
    else:
        raise ValidationError("{what}: {value!r} is not a number", what=what, value=value)
    if not result.is_finite():
        raise ValidationError("{what}: {value!r} is not a finite number", what=what, value=value)
    return result


def _required_text(value: str, what: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError("{what} is empty", what=what)
    return text


def _digits(value: str | None, lengths: tuple[int, ...], what: str) -> str | None:
    """Requisites are printed as typed; only their shape is checked, not their checksums."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) not in lengths:
        allowed = " or ".join(str(n) for n in lengths)
        raise ValidationError("{what} must be {allowed} digits, got {value!r}", what=what, allowed=allowed, value=value)
    return text


@dataclass(frozen=True, kw_only=True)
class BankDetails:
    """Bank requisites as printed on Russian acts and invoices."""

    bank_name: str
    bik: str
    account: str
    correspondent_account: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "bank_name", _required_text(self.bank_name, Phrase("Bank name")))
        object.__setattr__(self, "bik", _digits(self.bik, (9,), Phrase("BIK")) or "")
        if not self.bik:
            raise ValidationError("BIK is empty")
        object.__setattr__(self, "account", _digits(self.account, (20,), Phrase("Bank account")) or "")
        if not self.account:
            raise ValidationError("Bank account is empty")
        corr = _digits(self.correspondent_account, (20,), Phrase("Correspondent account"))
        object.__setattr__(self, "correspondent_account", corr or "")


@dataclass(frozen=True, kw_only=True)
class Party:
    """Executor or customer with the requisites an act must carry.

    ``inn`` may be empty only for a party that has none (a foreign customer); KPP exists for
    organisations only (an ИП has none), so it is optional like OGRN/OGRNIP and bank details.
    """

    name: str
    inn: str
    address: str
    signatory_name: str
    signatory_position: str
    kpp: str | None = None
    ogrn: str | None = None
    bank: BankDetails | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _required_text(self.name, Phrase("Party name")))
        object.__setattr__(self, "inn", _digits(self.inn, (10, 12), Phrase("INN of {name}", name=self.name)) or "")
        object.__setattr__(self, "kpp", _digits(self.kpp, (9,), Phrase("KPP of {name}", name=self.name)))
        object.__setattr__(self, "ogrn", _digits(self.ogrn, (13, 15), Phrase("OGRN of {name}", name=self.name)))
        object.__setattr__(self, "address", self.address.strip())
        object.__setattr__(
            self, "signatory_name", _required_text(self.signatory_name, Phrase("Signatory of {name}", name=self.name))
        )
        object.__setattr__(self, "signatory_position", self.signatory_position.strip())


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    """One line of the works table: what was done, under which ticket, how long, for how much."""

    description: str
    tid: str
    hours: Decimal
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "description", _required_text(self.description, Phrase("Work description"))
        )
        object.__setattr__(self, "tid", self.tid.strip())
        hours = _decimal(self.hours, Phrase("Hours of “{description}”", description=self.description))
        if hours < 0:
            raise ValidationError("Hours of “{description}” are negative: {hours}", description=self.description, hours=hours)
        object.__setattr__(self, "hours", hours)
        if self.amount is not None:
            amount = _decimal(self.amount, Phrase("Amount of “{description}”", description=self.description))
            if amount < 0:
                raise ValidationError("Amount of “{description}” is negative: {amount}", description=self.description, amount=amount)
            object.__setattr__(self, "amount", to_kopecks(amount))


@dataclass(frozen=True, kw_only=True)
class ReworkItem:
    """A correction the customer demanded in a motivated refusal, with its agreed deadline."""

    description: str
    deadline: dt.date

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", _required_text(self.description, Phrase("Rework item")))
        if not isinstance(self.deadline, dt.date):
            raise ValidationError("Deadline of “{description}” is not a date", description=self.description)


@dataclass(frozen=True, kw_only=True)
class ActData:
    """Everything printed on one act; renderers read it and never fetch anything else.

    ``vat`` is the configured rate in percent (``Decimal("20")``), or ``None`` for a seller
    without VAT (УСН), printed as "Без НДС". With ``vat_included`` (the usual case for services)
    the amounts already contain VAT and the act says "в т.ч. НДС"; otherwise VAT is added on top.

    A bilateral act (двусторонний акт) records a motivated refusal of the act
    ``previous_act_number``: the customer's reasons and the rework items with deadlines.
    """

    kind: ActKind
    number: str
    date: dt.date
    executor: Party
    customer: Party
    contract_no: str
    contract_date: dt.date | None = None
    language: Language = "ru"
    tids: Sequence[str] = ()
    works: Sequence[WorkItem] = ()
    paid: bool = False
    vat: Decimal | None = None
    vat_included: bool = True
    currency: str = "RUB"
    place: str = ""
    refusal_reasons: Sequence[str] = ()
    rework: Sequence[ReworkItem] = ()
    previous_act_number: str | None = None
    previous_act_date: dt.date | None = None
    approval_days: int = 3
    _totals: tuple[Decimal, Decimal | None, Decimal] = field(
        init=False, repr=False, compare=False, default=(Decimal(0), None, Decimal(0))
    )

    def __post_init__(self) -> None:
        if self.kind not in ACT_KINDS:
            raise ValidationError(
                "Unknown act kind {kind!r} (expected acceptance or bilateral)", kind=self.kind
            )
        if self.language not in LANGUAGES:
            raise ValidationError("Unknown act language {language!r} (expected ru or en)", language=self.language)
        if self.currency not in SUPPORTED_CURRENCIES:
            raise ValidationError("Currency {currency!r} is not supported on acts (only RUB)", currency=self.currency)
        object.__setattr__(self, "number", _required_text(self.number, Phrase("Act number")))
        object.__setattr__(self, "contract_no", _required_text(self.contract_no, Phrase("Contract number")))
        object.__setattr__(self, "place", self.place.strip())
        tids = tuple(t.strip() for t in self.tids if t and t.strip())
        # Ticket numbers mentioned only on work lines still belong on the act's TID line.
        for item in self.works:
            if item.tid and item.tid not in tids:
                tids += (item.tid,)
        object.__setattr__(self, "tids", tids)
        object.__setattr__(self, "works", tuple(self.works))
        object.__setattr__(
            self, "refusal_reasons", tuple(r.strip() for r in self.refusal_reasons if r.strip())
        )
        object.__setattr__(self, "rework", tuple(self.rework))
        if self.approval_days < 1:
            raise ValidationError(
                "Approval period must be at least one day, got {approval_days}", approval_days=self.approval_days
            )
        if self.vat is not None:
            rate = _decimal(self.vat, Phrase("VAT rate"))
            if not Decimal(0) <= rate < _HUNDRED:
                raise ValidationError("VAT rate must be between 0 and 100 percent, got {rate}", rate=rate)
            object.__setattr__(self, "vat", rate)
        if self.kind == "acceptance":
            self._check_acceptance()
        else:
            self._check_bilateral()
        object.__setattr__(self, "_totals", self._compute_totals())

    def _check_acceptance(self) -> None:
        if not self.works:
            raise ValidationError("Act {number} lists no works", number=self.number)
        if self.paid:
            unpriced = [w.description for w in self.works if w.amount is None]
            if unpriced:
                raise ValidationError(
                    "Act {number} is paid but has no amount for: {works}", number=self.number, works=', '.join(unpriced[:3])
                )

    def _check_bilateral(self) -> None:
        if not self.refusal_reasons:
            raise ValidationError("Bilateral act {number} states no refusal reasons", number=self.number)
        if not self.rework:
            raise ValidationError("Bilateral act {number} lists no rework items", number=self.number)
        if not (self.previous_act_number or "").strip():
            raise ValidationError(
                "Bilateral act {number} does not name the acceptance act it refers to", number=self.number
            )

    def _compute_totals(self) -> tuple[Decimal, Decimal | None, Decimal]:
        subtotal = to_kopecks(
            sum((w.amount for w in self.works if w.amount is not None), Decimal(0))
            if self.paid
            else Decimal(0)
        )
        if self.vat is None:
            return subtotal, None, subtotal
        if self.vat_included:
            vat = to_kopecks(subtotal * self.vat / (_HUNDRED + self.vat))
            return subtotal, vat, subtotal
        vat = to_kopecks(subtotal * self.vat / _HUNDRED)
        return subtotal, vat, subtotal + vat

    @property
    def subtotal(self) -> Decimal:
        """Sum of the work amounts as printed (0.00 for free work)."""
        return self._totals[0]

    @property
    def vat_amount(self) -> Decimal | None:
        """VAT in kopecks: the part of the subtotal (included) or the surcharge; None without VAT."""
        return self._totals[1]

    @property
    def total(self) -> Decimal:
        """What the customer owes: the subtotal, plus VAT when it is charged on top."""
        return self._totals[2]

    @property
    def total_hours(self) -> Decimal:
        return sum((w.hours for w in self.works), Decimal(0))


class ActRenderError(ReglamentError):
    """An act could not be written (unwritable folder, missing fonts, no GUI application)."""


class ActNumberPatternError(ConfigError):
    """The configured act number pattern cannot produce a number."""


_PATTERN_FIELDS = ("seq", "year", "yy", "month", "day")


def validate_act_number_pattern(pattern: str) -> None:
    """Check an administrator's pattern before it is saved, not when the first act fails.

    Only the named fields ``{seq}``, ``{year}``, ``{yy}``, ``{month}``, ``{day}`` are allowed
    (with a format spec such as ``{seq:04d}``); attribute access, indexing and conversions are
    refused because ``str.format`` would otherwise reach into Python objects.
    """
    if not isinstance(pattern, str) or not pattern.strip():
        raise ActNumberPatternError("Act number pattern is empty")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ActNumberPatternError(
            "Act number pattern {pattern!r} is malformed ({exc}); write braces as {{{{ and }}}}", pattern=pattern, exc=exc
        ) from None
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in _PATTERN_FIELDS:
            allowed = ", ".join("{" + f + "}" for f in _PATTERN_FIELDS)
            shown = "{" + name + "}" if name else "{}"
            raise ActNumberPatternError(
                "Act number pattern {pattern!r} uses {shown}; allowed fields are {allowed}", pattern=pattern, shown=shown, allowed=allowed
            )
        if conversion:
            raise ActNumberPatternError(
                "Act number pattern {pattern!r}: conversions like !{conversion} are not allowed", pattern=pattern, conversion=conversion
            )
        if spec and "{" in spec:
            raise ActNumberPatternError(
                "Act number pattern {pattern!r}: nested fields in a format spec are not allowed", pattern=pattern
            )
        names.append(name)
    if "seq" not in names:
        raise ActNumberPatternError(
            "Act number pattern {pattern!r} has no {{seq}}, so every act would get the same number", pattern=pattern
        )
    _format(pattern, 1, dt.date(2000, 1, 1))


def _format(pattern: str, seq: int, when: dt.date) -> str:
    try:
        return pattern.format(
            seq=seq, year=when.year, yy=when.year % 100, month=when.month, day=when.day
        )
    except (ValueError, TypeError) as exc:
        raise ActNumberPatternError(
            "Act number pattern {pattern!r} has a bad format spec ({exc}); example: А-{{year}}-{{seq:04d}}", pattern=pattern, exc=exc
        ) from None


def format_act_number(pattern: str, seq: int, date: dt.date) -> str:
    """Turn the next sequence value into the printed number, e.g. "А-{year}-{seq:04d}" → "А-2026-0042".

    Uniqueness is the caller's business (the numbering store); this only formats and validates.
    """
    validate_act_number_pattern(pattern)
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError("Act sequence number must be a positive integer, got {seq!r}", seq=seq)
    number = _format(pattern, seq, date).strip()
    if not number:
        raise ActNumberPatternError("Act number pattern {pattern!r} produces an empty number", pattern=pattern)
    return number
