"""The kinds of setting a declaration in :mod:`desktop.settings` is made of: each parses the
command line's text, checks a value from the database or a dialog, and refuses a wrong one by
name with the type and the bounds it wanted. Kept apart from the declarations so each file
holds one thing: how a kind of value is checked here, which settings exist there."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, TypeVar

from desktop.errors import ConfigError, NotFound, Phrase, ReglamentError

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
