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

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from desktop.domain.tickets import TidFormat
from desktop.errors import ConfigError
from desktop.setting_types import (
    EXECUTOR_FIELDS as EXECUTOR_FIELDS,
)
from desktop.setting_types import (
    Choice as Choice,
)
from desktop.setting_types import (
    ChoiceSetting as ChoiceSetting,
)
from desktop.setting_types import (
    Executor as Executor,
)
from desktop.setting_types import (
    ExecutorSetting as ExecutorSetting,
)
from desktop.setting_types import (
    IntSetting as IntSetting,
)
from desktop.setting_types import (
    MailTemplates as MailTemplates,
)
from desktop.setting_types import (
    MoneySetting as MoneySetting,
)
from desktop.setting_types import (
    RateSetting as RateSetting,
)
from desktop.setting_types import (
    Setting as Setting,
)
from desktop.setting_types import (
    SettingRefused as SettingRefused,
)
from desktop.setting_types import (
    TextSetting as TextSetting,
)
from desktop.setting_types import (
    UnknownSetting as UnknownSetting,
)
from desktop.times import zone_of

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
