"""Every workspace setting declared once: key, type, default, bounds or choices, titles (ru/en).

A setting used to be a key in a dict of defaults and a value of any type in the ``settings``
table: a key read in one place and declared nowhere went unnoticed, and ``act.vat_rate twenty``
was stored happily and failed later, far from its cause, as an AttributeError while an act was
being rendered. Here each setting is a typed declaration (as Electrum's ``ConfigVar`` or
qutebrowser's ``configdata``): it parses the command line's text, checks a value from the
database or the settings dialog, and refuses a wrong one *by name*, with the type and the bounds
it wanted. The workspace reads through the declaration, the CLI and the services write through
it, and the Regulation tab builds its spin boxes and combos from it.

The automatic mails' own wordings (``mail.template.<lang>.<kind>``) are one declared *family*:
their number grows with the shipped templates, so the prefix is declared, with its own check.

No I/O here and nothing above the configuration floor: the domain's own objects decide the
rules they own (a TID prefix is what :class:`~desktop.domain.tickets.TidFormat` accepts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, TypeVar

from desktop.domain.tickets import TidFormat
from desktop.errors import ConfigError, NotFound, Phrase, ReglamentError
from desktop.times import zone_of

T = TypeVar("T")


class UnknownSetting(NotFound):
    """A key that is not declared: a typo on the command line, or a bug in a reader."""


class SettingRefused(ConfigError):
    """A value a setting does not take; the message names the key, its type and its bounds."""


#: Words the command line takes for "no value" where a setting allows none.
NONE_WORDS = ("", "none", "null", "-")


@dataclass(frozen=True, kw_only=True)
class Setting(Generic[T]):
    """One setting. ``check`` takes a stored or typed value, ``parse`` the command line's text;
    both return the value in its declared type or raise :class:`SettingRefused`."""

    key: str
    default: T
    en: str
    ru: str
    about: str
    #: A rule the domain owns, run after the type and bounds: raises a ReglamentError.
    rule: Callable[[T], object] | None = None

    kind: ClassVar[str] = "value"

    def title(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en

    def expected(self) -> Phrase:
        """What the setting takes, in words: the type and its bounds or choices."""
        raise NotImplementedError

    def convert(self, value: object) -> T:
        """The value in the declared type, or :meth:`refuse`; no domain rule yet."""
        raise NotImplementedError

    def check(self, value: object) -> T:
        typed = self.convert(value)
        if self.rule is not None:
            try:
                self.rule(typed)
            except ReglamentError as exc:
                raise SettingRefused("the setting {key} cannot be {value!r}: {exc}",
                                     key=self.key, value=value, exc=exc) from None
        return typed

    def parse(self, text: str) -> T:
        """The command line's text: plain (``3``, ``business``) or JSON (``"TID"``, ``{…}``)."""
        return self.check(text)

    def dump(self, value: T) -> Any:
        """The value as the ``settings`` table's JSON column holds it."""
        return value

    def refuse(self, value: object) -> SettingRefused:
        return SettingRefused("the setting {key} must be {expected}, not {value!r}",
                              key=self.key, expected=self.expected(), value=value)


@dataclass(frozen=True, kw_only=True)
class IntSetting(Setting[int]):
    minimum: int
    maximum: int
    #: The value a stored ``null`` stands for (older versions stored "no reminder" so).
    none_is: int | None = None

    kind: ClassVar[str] = "int"

    def expected(self) -> Phrase:
        return Phrase("a whole number from {minimum} to {maximum}", minimum=self.minimum, maximum=self.maximum)

    def convert(self, value: object) -> int:
        if value is None and self.none_is is not None:
            return self.none_is
        number: object = value
        if isinstance(value, str):
            try:
                number = int(value.strip())
            except ValueError:
                raise self.refuse(value) from None
        if isinstance(number, bool) or not isinstance(number, int) or not self.minimum <= number <= self.maximum:
            raise self.refuse(value)
        return number


@dataclass(frozen=True)
class Choice:
    value: str
    en: str
    ru: str

    def title(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


@dataclass(frozen=True, kw_only=True)
class ChoiceSetting(Setting[str]):
    choices: tuple[Choice, ...]

    kind: ClassVar[str] = "choice"

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def expected(self) -> Phrase:
        return Phrase("one of {choices}", choices=", ".join(self.values))

    def convert(self, value: object) -> str:
        text = _unquote(value.strip()) if isinstance(value, str) else value
        if text not in self.values:
            raise self.refuse(value)
        assert isinstance(text, str)
        return text


@dataclass(frozen=True, kw_only=True)
class TextSetting(Setting[str]):
    max_length: int = 200
    #: A whole-value pattern the text must match (an address, say); ``None``: any text.
    pattern: str | None = None

    kind: ClassVar[str] = "text"

    def expected(self) -> Phrase:
        if self.pattern is not None:
            return Phrase("an e-mail address")
        return Phrase("text of 1 to {length} characters", length=self.max_length)

    def convert(self, value: object) -> str:
        if not isinstance(value, str):
            raise self.refuse(value)
        text = _unquote(value.strip())
        if not 0 < len(text) <= self.max_length or (self.pattern and not re.fullmatch(self.pattern, text)):
            raise self.refuse(value)
        return text


@dataclass(frozen=True, kw_only=True)
class RateSetting(Setting[Decimal | None]):
    """A percentage kept exactly (``Decimal``), or none; stored as text so no float creeps in."""

    minimum: Decimal
    maximum: Decimal

    kind: ClassVar[str] = "decimal"

    def expected(self) -> Phrase:
        return Phrase("a number from {minimum} to {maximum}, or none", minimum=self.minimum, maximum=self.maximum)

    def convert(self, value: object) -> Decimal | None:
        if value is None or (isinstance(value, str) and _unquote(value.strip()).lower() in NONE_WORDS):
            return None
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.refuse(value)  # a float cannot hold a rate exactly
        try:
            rate = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise self.refuse(value) from None
        if not rate.is_finite() or not self.minimum <= rate <= self.maximum:
            raise self.refuse(value)
        return rate

    def dump(self, value: Decimal | None) -> Any:
        return None if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class MoneySetting(RateSetting):
    """An amount of roubles kept exactly, to the kopeck, or none ("1 500,50" is 1500.50)."""

    def expected(self) -> Phrase:
        return Phrase("an amount from {minimum} to {maximum} roubles, or none", minimum=self.minimum, maximum=self.maximum)

    def convert(self, value: object) -> Decimal | None:
        amount = super().convert("".join(value.split()).replace(",", ".") if isinstance(value, str) else value)
        if amount is not None and amount != amount.quantize(Decimal("0.01")):
            raise self.refuse(value)
        return amount


@dataclass(frozen=True)
class Executor:
    """The executor's details printed on every act (the seller's side)."""

    name: str = ""
    inn: str = ""
    kpp: str = ""
    address: str = ""
    signatory: str = ""
    signatory_position: str = ""
    #: ОГРН (13) or ОГРНИП (15); the bank's name, BIK and account all or none.
    ogrn: str = ""
    bank_name: str = ""
    bik: str = ""
    account: str = ""
    correspondent_account: str = ""


EXECUTOR_FIELDS = tuple(f.name for f in fields(Executor))


@dataclass(frozen=True, kw_only=True)
class ExecutorSetting(Setting[Executor]):
    kind: ClassVar[str] = "object"

    def expected(self) -> Phrase:
        return Phrase("an object with the text fields {fields}", fields=", ".join(EXECUTOR_FIELDS))

    def convert(self, value: object) -> Executor:
        if isinstance(value, Executor):
            return value
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise self.refuse(value) from None
        if not isinstance(value, Mapping) or any(k not in EXECUTOR_FIELDS for k in value):
            raise self.refuse(value)
        if any(v is not None and not isinstance(v, str) for v in value.values()):
            raise self.refuse(value)
        data = {k: str(v or "").strip() for k, v in value.items()}
        for name, lengths in (("inn", (10, 12)), ("kpp", (9,)), ("ogrn", (13, 15)), ("bik", (9,)),
                              ("account", (20,)), ("correspondent_account", (20,))):
            if data.get(name) and (not data[name].isdigit() or len(data[name]) not in lengths):
                raise SettingRefused("the setting {key} has {field} {value!r}; it must be {allowed} digits",
                                     key=self.key, field=name, value=data[name],
                                     allowed=" or ".join(str(n) for n in lengths))
        bank = ("bank_name", "bik", "account")
        if any(data.get(n) for n in (*bank, "correspondent_account")) and not all(data.get(n) for n in bank):
            raise SettingRefused("the setting {key} has bank details without {missing}; give the bank's name, "
                                 "BIK and account together, or none of them", key=self.key,
                                 missing=", ".join(name for name in bank if not data.get(name)))
        return Executor(**data)

    def dump(self, value: Executor) -> Any:
        return asdict(value)


@dataclass(frozen=True)
class MailTemplates:
    """The family ``mail.template.<lang>.<kind>``: a workspace's own wording of an automatic
    mail; none (or no row) sends the shipped file. Its text keeps the file's form."""

    prefix: str = "mail.template."
    languages: tuple[str, ...] = ("ru", "en")
    en: str = "Wording of an automatic mail"
    ru: str = "Текст автоматического письма"
    about: str = "the workspace's own text of an automatic mail; none sends the shipped one"

    kind: ClassVar[str] = "template"

    def key(self, lang: str, kind: str) -> str:
        return f"{self.prefix}{lang}.{kind}"

    def owns(self, key: str) -> bool:
        return key.startswith(self.prefix)

    def expected(self) -> Phrase:
        return Phrase("a mail text whose first line is 'Subject: …', or none")

    def check(self, key: str, value: object) -> str | None:
        lang, _, kind = key[len(self.prefix):].partition(".")
        if lang not in self.languages or not re.fullmatch(r"[a-z][a-z_]*", kind):
            raise UnknownSetting("there is no setting {key!r}; mail wordings are {prefix}<ru|en>.<kind>",
                                 key=key, prefix=self.prefix)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not value.startswith("Subject:"):
            raise SettingRefused("the setting {key} must be {expected}, not {value!r}",
                                 key=key, expected=self.expected(), value=value)
        return value


def _unquote(text: str) -> str:
    """``"TID"`` as typed for JSON on the command line is the text ``TID``."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            loaded = json.loads(text)
        except ValueError:
            return text
        return loaded if isinstance(loaded, str) else text
    return text


_DAYS = (Choice("calendar", "calendar days", "календарные дни"),
         Choice("business", "business days", "рабочие дни"))


def _tid_prefix(prefix: str) -> None:
    TidFormat(prefix=prefix)


# --- the declarations ---------------------------------------------------------------------------

TID_PREFIX = TextSetting(
    key="tid.prefix", default="TID", max_length=10, rule=_tid_prefix,
    en="Ticket number prefix", ru="Префикс номера обращения",
    about="letters before the number: TID-000123")
TID_WIDTH = IntSetting(
    key="tid.width", default=6, minimum=3, maximum=12,
    en="Digits in a ticket number", ru="Цифр в номере обращения",
    about="zero-padded width of the number part")
REOPEN_DAYS = IntSetting(
    key="reopen.window_days", default=14, minimum=0, maximum=365,
    en="A reply reopens a closed ticket within", ru="Ответ клиента открывает закрытое обращение в течение",
    about="days after closing in which a client's reply reopens the ticket instead of opening a new one")
AUTOCLOSE_DAYS = IntSetting(
    key="autoclose.after_days", default=2, minimum=1, maximum=365,
    en="Close a ticket waiting for the client after", ru="Закрывать обращение, ждущее клиента, через",
    about="days of the client's silence before a waiting ticket is closed as inactive")
AUTOCLOSE_UNIT = ChoiceSetting(
    key="autoclose.unit", default="calendar", choices=_DAYS,
    en="Counting", ru="Считать", about="whether the auto-close delay counts calendar or business days")
AUTOCLOSE_REMINDER_DAYS = IntSetting(
    key="autoclose.reminder_before_days", default=1, minimum=0, maximum=30, none_is=0,
    en="Remind the client before closing", ru="Напоминать клиенту до закрытия",
    about="days before the auto-close when the client is reminded; 0: no reminder")
ACCEPTANCE_DAYS = IntSetting(
    key="acceptance.window_days", default=3, minimum=1, maximum=90,
    en="An acceptance act waits for an answer", ru="Акт ждёт ответа клиента",
    about="days an acceptance act waits for the client's answer")
ACCEPTANCE_UNIT = ChoiceSetting(
    key="acceptance.unit", default="calendar", choices=_DAYS,
    en="Counting", ru="Считать", about="whether the acceptance window counts calendar or business days")
ACCEPTANCE_POLICY = ChoiceSetting(
    key="acceptance.policy", default="follow_up",
    choices=(Choice("follow_up", "flag it to the agent to follow up", "отметить для агента, чтобы напомнить"),
             Choice("deemed_accepted", "the work is deemed accepted", "работы считаются принятыми")),
    en="When nobody answers the act", ru="Если на акт не ответили",
    about="what happens when the acceptance window passes without an answer")
AUTOREPLY_PER_HOUR = IntSetting(
    key="mail.autoreply_per_hour", default=3, minimum=0, maximum=100,
    en="Automatic replies to one sender", ru="Автоответов одному отправителю",
    about="automatic replies to one sender per hour at most (mail-loop protection)")
# Mail that was already in a mailbox when it was connected is history: it becomes tickets, but
# only what arrived at most this many hours before gets an acknowledgement (connecting a mailbox
# of years must not mail every client who ever wrote). Mail that arrives later is always
# acknowledged, however late the sync sees it.
ACK_HISTORY_HOURS = IntSetting(
    key="mail.ack_history_hours", default=24, minimum=0, maximum=100_000,
    en="Mail already in a new mailbox opens tickets", ru="Письма, уже лежавшие в новом ящике, открывают обращения",
    about="hours back from connecting a mailbox; older mail is imported as its closed archive")
MAIL_LANGUAGE = ChoiceSetting(
    key="mail.language", default="ru",
    choices=(Choice("ru", "Russian", "русский"), Choice("en", "English", "английский")),
    en="Language of mail to clients", ru="Язык писем клиентам",
    about="language of automatic mail to a client whose card names none")
MAIL_FROM_ADDRESS = TextSetting(
    key="mail.from_address", default="support@localhost", max_length=254, pattern=r"[^@\s]+@[^@\s]+",
    en="Sender address without a mailbox", ru="Адрес отправителя без почтового ящика",
    about="From of mail queued for a ticket that no connected mailbox received")
ACT_NUMBER_PATTERN = TextSetting(
    key="act.number_pattern", default="А-{year}-{seq:04d}", max_length=60,
    en="Act number pattern", ru="Шаблон номера акта",
    about="how act numbers look: {year}, {seq} (with a width: {seq:04d})")
VAT_RATE = RateSetting(
    key="act.vat_rate", default=None, minimum=Decimal(0), maximum=Decimal(100),
    en="VAT rate, %", ru="Ставка НДС, %",
    about="VAT in percent included in act amounts; none: the executor works without VAT")
HOUR_RATE = MoneySetting(
    key="act.hour_rate", default=None, minimum=Decimal(0), maximum=Decimal(10_000_000),
    en="Price of an hour of paid work, ₽", ru="Стоимость часа платных работ, ₽",
    about="an hour of paid work on an act when its line has no amount of its own; none: no amount")
EXECUTOR = ExecutorSetting(
    key="executor",
    default=Executor(
        name="ООО «Регламент Сервис»", inn="7701234567", kpp="770101001",
        address="125009, г. Москва, ул. Тверская, д. 7, офис 12",
        signatory="Иванов И. И.", signatory_position="Генеральный директор"),
    en="Executor's details", ru="Реквизиты исполнителя",
    about="the executor's name, INN, KPP, OGRN, address, bank details and signatory printed on acts")

ESCALATION_LEAD_PERCENT = IntSetting(
    key="escalation.lead_percent", default=90, minimum=1, maximum=100,
    en="Tell the team lead when the target is used by, %", ru="Сообщать руководителю, когда срок израсходован на, %",
    about="share of a target's working time after which the team lead is told (the assignee is told "
          "at the plan's warning share)")
ESCALATION_HOURS = TextSetting(
    key="escalation.hours_calendar", default="moscow_9_18", max_length=50,
    en="Warnings to people go out in the hours of", ru="Предупреждения людям — в часы календаря",
    about="code of the calendar whose working hours people are told in; outside them a warning waits")
ESCALATION_AWAY_MINUTES = IntSetting(
    key="escalation.away_minutes", default=15, minimum=1, maximum=1440,
    en="Warn by mail when the agent is away for", ru="Предупреждать письмом, если агента нет дольше, мин",
    about="minutes without the agent's window being used after which a warning goes by mail, not to the tray")

MAIL_TEMPLATES = MailTemplates()


#: Every declared setting by key, in the order ``settings list`` shows them.
SETTINGS: dict[str, Setting[Any]] = {s.key: s for s in (
    TID_PREFIX, TID_WIDTH, REOPEN_DAYS, AUTOCLOSE_DAYS, AUTOCLOSE_UNIT, AUTOCLOSE_REMINDER_DAYS,
    ACCEPTANCE_DAYS, ACCEPTANCE_UNIT, ACCEPTANCE_POLICY, AUTOREPLY_PER_HOUR, ACK_HISTORY_HOURS,
    MAIL_LANGUAGE, MAIL_FROM_ADDRESS, ACT_NUMBER_PATTERN, VAT_RATE, HOUR_RATE, EXECUTOR,
    ESCALATION_LEAD_PERCENT, ESCALATION_HOURS, ESCALATION_AWAY_MINUTES,
)}


def declared(key: str) -> Setting[Any]:
    """The declaration of ``key``; an undeclared key is refused with the known ones."""
    found = SETTINGS.get(key)
    if found is None:
        raise UnknownSetting("there is no setting {key!r}; known: {known}", key=key, known=", ".join(sorted(SETTINGS)))
    return found


def is_declared(key: str) -> bool:
    return key in SETTINGS or MAIL_TEMPLATES.owns(key)


def checked(key: str, value: object) -> Any:
    """A value about to be stored, in its declared type (a mail wording by its family)."""
    if MAIL_TEMPLATES.owns(key):
        return MAIL_TEMPLATES.check(key, value)
    return declared(key).check(value)


def dumped(key: str, value: object) -> Any:
    """A checked value as the ``settings`` table stores it."""
    if MAIL_TEMPLATES.owns(key):
        return value
    return declared(key).dump(value)


def from_store(key: str, stored: object) -> Any:
    """A value read from the ``settings`` table, in its declared type. A bad one (a row written
    by hand or by an older version) is reported by name when read, not found later."""
    try:
        return checked(key, stored)
    except (SettingRefused, UnknownSetting) as exc:
        raise ConfigError("the stored setting {key} is refused: {exc}; set it again with "
                          "reglament settings set {key} VALUE", key=key, exc=exc) from None


# --- this workstation's own settings (settings.json in the data folder) ----------------------

LOCAL_AGENT = TextSetting(
    key="agent", default="", max_length=100,
    en="Agent's login on this workstation", ru="Логин агента на этом рабочем месте",
    about="whose name history records; empty: the system login")

LOCAL_BACKUP_KEEP = IntSetting(
    key="backup.keep", default=7, minimum=0, maximum=365,
    en="Automatic backups kept (of each kind)", ru="Хранить автоматических резервных копий (каждого вида)",
    about="daily backups and backups before a schema upgrade kept in the data folder; 0: none taken")



def _known_zone(name: str) -> None:
    try:
        zone_of(name)
    except ValueError:
        raise ConfigError("{name} is not a time zone this computer knows (an IANA name such as "
                          "Europe/Moscow)", name=name) from None


LOCAL_DISPLAY_ZONE = TextSetting(
    key="display.timezone", default="", max_length=64, rule=_known_zone,
    en="Show times in the time zone", ru="Показывать время в часовом поясе",
    about="IANA zone the window shows times in (Europe/Moscow); empty: the computer's own zone")

#: The keys of ``settings.json`` the engine reads; others are left to whoever wrote them.
LOCAL_SETTINGS: dict[str, Setting[Any]] = {LOCAL_AGENT.key: LOCAL_AGENT, LOCAL_BACKUP_KEEP.key: LOCAL_BACKUP_KEEP,
                                           LOCAL_DISPLAY_ZONE.key: LOCAL_DISPLAY_ZONE}


def check_local(data: Mapping[str, Any], path: object) -> dict[str, Any]:
    """The local settings file's values in their declared types; a bad one named with its file."""
    out = dict(data)
    for key, setting in LOCAL_SETTINGS.items():
        if key in data and data[key] not in (None, ""):
            try:
                out[key] = setting.check(data[key])
            except SettingRefused:
                raise ConfigError(
                    "the settings file {path} holds {value!r} for {key}, which must be {expected}; "
                    "correct it, or remove the entry to use the default",
                    path=path, value=data[key], key=key, expected=setting.expected()) from None
    return out
