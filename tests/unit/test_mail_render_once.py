"""A mail's subject and body rendered in one call give exactly what rendering them apart gives."""

from __future__ import annotations

import pytest

from desktop.errors import ConfigError
from desktop.mail import templates
from desktop.mail.templates import render_mail, split_mail_source


def apart(source: str, context: dict[str, object]) -> tuple[str, str]:
    first, rest = split_mail_source(source, "test")
    return templates._render(first, "test", context), templates._render(rest, "test", context, line_offset=1)


@pytest.mark.parametrize("source", [
    "Subject: [{{ tid }}] Обращение зарегистрировано\nЗдравствуйте, {{ name }}!\n\nНомер {{ tid }}.\n",
    "Subject: {{ tid -}}\n  Body {{ name }}",  # whitespace control eats what is between them
    "Subject:{% if tid %} {{ tid }}{% endif %}\n{%- if name %}\n{{ name }}{% endif %}",
])
@pytest.mark.parametrize("name", ["Иван", "a \x00end of subject\x00 b", "line\nbreak"])
def test_once_is_the_same_as_apart(source: str, name: str) -> None:
    context = {"tid": "TID-000001", "name": name}
    mail = render_mail("ack", "ru", context, source)
    assert (mail.subject, mail.body) == apart(source, context)


def test_a_broken_part_is_named_with_its_own_line() -> None:
    with pytest.raises(ConfigError, match="line 3"):
        render_mail("ack", "ru", {"tid": "T"}, "Subject: {{ tid }}\nfine\n{% if %}\n")
    with pytest.raises(ConfigError, match="unknown placeholder: 'nope'"):
        render_mail("ack", "ru", {"tid": "T"}, "Subject: {{ tid }}\nfine\n{{ nope }}\n")
    with pytest.raises(ConfigError, match="line 1"):
        render_mail("ack", "ru", {"tid": "T"}, "Subject: {{ tid }\nfine\n")
