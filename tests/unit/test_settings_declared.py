"""Every setting is declared once, and the code reads exactly what is declared.

The reads are found by reading the source (AST): each ``.setting(...)`` call whose key is a
string literal or a declaration (``settings.VAT_RATE``). A literal key nobody declared fails here
instead of returning ``None`` in production; a declared key that nothing reads is dead weight an
administrator could set to no effect (as ``sla.warn_share`` was).
"""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest

from desktop import settings
from desktop.settings import ChoiceSetting, Executor, IntSetting, SettingRefused, UnknownSetting

ROOT = Path(__file__).resolve().parents[2]
DECLARATIONS = {name: value for name, value in vars(settings).items() if isinstance(value, settings.Setting)}


def _reads() -> dict[str, list[str]]:
    """Key → where it is read, for every ``.setting(KEY, …)`` with a literal or declared key."""
    found: dict[str, list[str]] = {}
    for package in ("desktop", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "setting" and node.args):
                    continue
                key = node.args[0]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found.setdefault(key.value, []).append(where)
                elif isinstance(key, ast.Attribute | ast.Name):
                    name = key.attr if isinstance(key, ast.Attribute) else key.id
                    if name in DECLARATIONS:
                        found.setdefault(DECLARATIONS[name].key, []).append(where)
    return found


def test_the_scan_finds_literal_and_declared_reads() -> None:
    reads = _reads()
    assert any("timers.py" in w for w in reads["autoclose.after_days"])  # a literal key
    assert any("acts.py" in w for w in reads["act.vat_rate"])  # a declaration
    assert len(reads) >= 10


def test_every_key_read_in_the_code_is_declared() -> None:
    undeclared = {key: where for key, where in _reads().items() if not settings.is_declared(key)}
    assert undeclared == {}


def test_every_declared_setting_is_read_somewhere() -> None:
    unread = sorted(set(settings.SETTINGS) - set(_reads()))
    assert unread == [], f"declared but read nowhere: {unread}"


def test_the_registry_holds_every_declaration_once() -> None:
    assert sorted(settings.SETTINGS) == sorted(s.key for s in DECLARATIONS.values()
                                           if all(s is not local for local in settings.LOCAL_SETTINGS.values()))
    assert "sla.warn_share" not in settings.SETTINGS


@pytest.mark.parametrize("setting", list(settings.SETTINGS.values()), ids=list(settings.SETTINGS))
def test_each_declaration_is_complete_and_takes_its_own_default(setting: settings.Setting[object]) -> None:
    assert setting.en and setting.ru and setting.about
    assert any("а" <= ch.lower() <= "я" for ch in setting.ru)  # a Russian title, not a copy
    assert setting.check(setting.default) == setting.default
    assert settings.from_store(setting.key, setting.dump(setting.default)) == setting.default
    if isinstance(setting, IntSetting):
        assert setting.minimum <= setting.default <= setting.maximum
    if isinstance(setting, ChoiceSetting):
        assert setting.default in setting.values and all(c.en and c.ru for c in setting.choices)


@pytest.mark.parametrize(("key", "text", "value"), [
    ("autoclose.after_days", "7", 7),
    ("autoclose.after_days", " 365 ", 365),
    ("reopen.window_days", "0", 0),
    ("autoclose.unit", "business", "business"),
    ("tid.prefix", '"REQ"', "REQ"),  # JSON-quoted, as earlier versions took it
    ("act.vat_rate", "20", Decimal(20)),
    ("act.vat_rate", "none", None),
    ("act.number_pattern", "A/{seq}", "A/{seq}"),
    ("mail.from_address", "help@example.com", "help@example.com"),
    ("executor", '{"name": "ИП Петров", "inn": "771234567890"}', Executor(name="ИП Петров", inn="771234567890")),
])
def test_parse_takes_the_command_lines_text(key: str, text: str, value: object) -> None:
    assert settings.declared(key).parse(text) == value


@pytest.mark.parametrize(("key", "text", "words"), [
    ("autoclose.after_days", "0", "a whole number from 1 to 365"),
    ("autoclose.after_days", "366", "a whole number from 1 to 365"),
    ("autoclose.after_days", "three", "a whole number from 1 to 365"),
    ("tid.width", "2", "a whole number from 3 to 12"),
    ("autoclose.unit", "weekly", "one of calendar, business"),
    ("acceptance.policy", "ignore", "one of follow_up, deemed_accepted"),
    ("mail.language", "de", "one of ru, en"),
    ("act.vat_rate", "twenty", "a number from 0 to 100, or none"),
    ("act.vat_rate", "120", "a number from 0 to 100, or none"),
    ("act.vat_rate", "NaN", "a number from 0 to 100, or none"),
    ("mail.from_address", "nobody", "an e-mail address"),
    ("tid.prefix", "", "text of 1 to 10 characters"),
    ("tid.prefix", "1-bad", "must be 1-10 Latin letters"),  # the domain's own rule
    ("executor", "[1, 2]", "an object with the text fields name, inn"),
    ("executor", '{"bank": "x"}', "an object with the text fields"),
    ("executor", '{"inn": "123"}', "inn '123'; it must be 10 or 12 digits"),
])
def test_a_wrong_value_is_refused_naming_the_key_and_what_it_takes(key: str, text: str, words: str) -> None:
    with pytest.raises(SettingRefused, match=key.replace(".", r"\.")) as caught:
        settings.declared(key).parse(text)
    assert words in str(caught.value)


@pytest.mark.parametrize("value", [True, 2.5, [3], {"days": 3}])
def test_a_stored_value_of_the_wrong_type_is_refused(value: object) -> None:
    with pytest.raises(SettingRefused, match=r"autoclose\.after_days"):
        settings.AUTOCLOSE_DAYS.check(value)


def test_a_float_rate_is_refused_since_it_cannot_hold_kopecks_exactly() -> None:
    with pytest.raises(SettingRefused, match=r"act\.vat_rate"):
        settings.VAT_RATE.check(20.5)
    assert settings.VAT_RATE.dump(Decimal("20.5")) == "20.5"
    assert settings.VAT_RATE.check("20.5") == Decimal("20.5")


def test_a_stored_null_reminder_means_no_reminder() -> None:
    assert settings.AUTOCLOSE_REMINDER_DAYS.check(None) == 0
    with pytest.raises(SettingRefused):
        settings.AUTOCLOSE_DAYS.check(None)


def test_an_unknown_key_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownSetting, match=r"there is no setting 'sla\.warn_share'; known: .*autoclose\.after_days"):
        settings.declared("sla.warn_share")


def test_the_mail_wordings_are_a_family_with_their_own_check() -> None:
    family = settings.MAIL_TEMPLATES
    key = family.key("ru", "ack")
    assert settings.is_declared(key) and not settings.is_declared("mail.templates.ru.ack")
    assert settings.checked(key, "Subject: {{ tid }}\nЗдравствуйте") == "Subject: {{ tid }}\nЗдравствуйте"
    assert settings.checked(key, None) is None and settings.checked(key, "") is None
    with pytest.raises(SettingRefused, match=r"mail\.template\.ru\.ack"):
        settings.checked(key, "Здравствуйте")  # no Subject line: the mail could never be sent
    with pytest.raises(UnknownSetting, match="mail wordings are"):
        settings.checked("mail.template.de.ack", "Subject: x")


def test_a_bad_stored_value_is_a_config_error_naming_the_setting() -> None:
    from desktop.errors import ConfigError

    with pytest.raises(ConfigError, match=r"stored setting act\.vat_rate is refused: .*a number from 0 to 100"):
        settings.from_store("act.vat_rate", "twenty")
    with pytest.raises(ConfigError, match=r"stored setting mail\.template\.xx\.ack"):
        settings.from_store("mail.template.xx.ack", "Subject: x")
