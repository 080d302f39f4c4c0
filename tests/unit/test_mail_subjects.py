"""TID threading (R-MAIL-3), meaningless subjects and several questions (R-MAIL-6), duplicates."""

from __future__ import annotations

import pytest

from desktop.mail.subjects import (
    ensure_tid_in_subject,
    find_tid,
    find_tids,
    format_tid,
    is_meaningless_subject,
    looks_like_several_questions,
    remove_tids,
    strip_reply_prefixes,
    subject_similarity,
    tid_number,
)


@pytest.mark.parametrize(
    "subject",
    [
        "[TID-000123] Не работает почта",
        "Re: [TID-000123] Не работает почта",
        "RE: Re: Fwd: [tid-000123] Не работает почта",
        "Re[2]: FW: [TID-000123]",
        "AW: WG: Problem [TID-000123]",
        "Ответ: Пересл: Переслать: Отв: Не работает почта [Tid-000123]",
        "SV: Re(3): [TID-000123] x",
        "Не работает почта TID-000123",
        "TID-000123",
        "Re: Не работает почта (TID-000123)",
        "[TID 000123] spaces",
        "[ TID-123 ] short number in brackets",
    ],
)
def test_tid_found_anywhere_any_case_after_any_prefix(subject: str) -> None:
    assert find_tid(subject) == "TID-000123"


@pytest.mark.parametrize(
    "subject",
    [
        "",
        None,
        "Nothing here",
        "TID-12 too short without brackets",
        "STID-000123 part of another word",
        "order 000123",
        "[TID-] empty",
        "MYTID-000123",
    ],
)
def test_no_tid(subject: str | None) -> None:
    assert find_tid(subject) is None


def test_configurable_prefix_and_width() -> None:
    assert find_tid("Re: [REQ-0042] x", prefix="REQ", width=4) == "REQ-0042"
    assert find_tid("Re: REQ-0042 x", prefix="REQ", width=4) == "REQ-0042"
    assert find_tid("Re: [TID-000042] x", prefix="REQ", width=4) is None
    assert find_tid("Re: [A.B-7]", prefix="A.B", width=2) == "A.B-07"
    assert find_tid("Re: [AxB-7]", prefix="A.B", width=2) is None  # the dot is literal


def test_several_tids_bracketed_first_without_repeats() -> None:
    subject = "TID-000999 Re: [TID-000123] about [tid-000124] and [TID-000123]"
    assert find_tids(subject) == ["TID-000123", "TID-000124", "TID-000999"]


def test_number_grows_past_width() -> None:
    assert find_tid("[TID-1234567]") == "TID-1234567"
    assert tid_number("TID-1234567") == 1234567
    assert format_tid(5) == "TID-000005"


def test_strip_reply_prefixes() -> None:
    assert strip_reply_prefixes("RE: Fwd: Re[2]: Ответ: Пересл: Hello") == "Hello"
    assert strip_reply_prefixes("Re:Re:  Hello: world") == "Hello: world"
    assert strip_reply_prefixes("Report: status") == "Report: status"
    assert strip_reply_prefixes("Отчет: готов") == "Отчет: готов"
    assert strip_reply_prefixes("AW: WG: SV: VS: Antw: Hallo") == "Hallo"
    assert strip_reply_prefixes(None) == ""


def test_remove_tids() -> None:
    assert remove_tids("Re: [TID-000123] Почта TID-000124") == "Re: Почта"


def test_ensure_tid_in_subject() -> None:
    assert ensure_tid_in_subject("Не работает почта", "TID-000123") == (
        "[TID-000123] Не работает почта"
    )
    assert ensure_tid_in_subject("Re: Fwd: Не работает почта", "TID-000123") == (
        "Re: Fwd: [TID-000123] Не работает почта"
    )
    once = ensure_tid_in_subject("Re: [tid-000123] Почта", "TID-000123")
    assert once == "Re: [tid-000123] Почта"
    assert ensure_tid_in_subject(once, "TID-000123") == once
    assert ensure_tid_in_subject("", "TID-000123") == "[TID-000123]"
    assert ensure_tid_in_subject(None, "123") == "[TID-000123]"
    # another ticket's TID in the subject: ours is added, theirs stays
    assert ensure_tid_in_subject("Re: [TID-000001] x", "TID-000002") == (
        "Re: [TID-000002] [TID-000001] x"
    )
    with pytest.raises(ValueError):
        ensure_tid_in_subject("x", "no number")


@pytest.mark.parametrize(
    "subject",
    [
        "", None, "   ", "(no subject)", "No Subject", "без темы", "Без темы", "Вопрос", "вопрос!!!",
        "HELP", "Помогите", "помогите!!! срочно!!!", "Проблема", "СРОЧНО", "?", "...", "123",
        "!!!???", "Re: ", "Re: Fwd: вопрос", "[TID-000123]", "Re: [TID-000123] Помогите",
        "Добрый день", "Здравствуйте!", "Hello", "test", "ok", "Заявка",
    ],
)  # fmt: skip
def test_meaningless_subjects(subject: str | None) -> None:
    assert is_meaningless_subject(subject)


@pytest.mark.parametrize(
    "subject",
    [
        "Не работает почта",
        "Вопрос по счёту №42",
        "Проблема с сертификатом SSL",
        "Помогите восстановить пароль",
        "VPN",
        "Re: [TID-000123] Ошибка 502 на сайте",
        "Срочно: сайт не открывается",
    ],
)
def test_meaningful_subjects(subject: str) -> None:
    assert not is_meaningless_subject(subject)


@pytest.mark.parametrize(
    "text",
    [
        "Добрый день!\n\n1. Как сменить пароль от почты?\n2. Почему не приходит счёт?\n",
        "Здравствуйте.\nУ меня несколько вопросов:\n1) продление домена\n2) перенос сайта\n",
        "Hi,\n\n- Can you reset my password?\n- Also, why is the invoice late?\n",
        "Как сменить тариф?\n\nКогда будет готов акт?\n\nМожно ли добавить второй домен?",
        "Как сменить тариф? И ещё вопрос: когда будет готов акт?",
        "Second question: where is the backup? And why did it fail?",
    ],
)
def test_several_questions(text: str) -> None:
    assert looks_like_several_questions(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "Не работает почта. Помогите, пожалуйста.",
        "Почему не работает почта? Вчера всё было нормально.",
        "Почему не работает почта?\n\nВчера всё работало, сегодня нет — что случилось?",
        "Шаги:\n1. Открыл сайт\n2. Нажал «Войти»\n3. Ошибка 502\nЧто делать?",
        # a long quoted thread with many questions must not count
        "Спасибо, всё работает.\n\n-----Original Message-----\nFrom: support\n"
        "1. Вопрос?\n2. Вопрос?\n3. Вопрос?",
        "Спасибо!\n\n> Как сменить пароль?\n>\n> Когда придёт счёт?\n>\n> Где акт?",
        "ok\n-- \n1) Подпись?\n2) Телефон?",
    ],
)
def test_single_question(text: str | None) -> None:
    assert not looks_like_several_questions(text)


def test_subject_similarity() -> None:
    assert subject_similarity("Не работает почта", "Re: [TID-000123] не работает почта!") == 1.0
    near = subject_similarity("Не работает почта на сайте", "Не работает почта сайта")
    far = subject_similarity("Не работает почта", "Счёт за март")
    assert near > 0.7 > 0.3 > far
    assert subject_similarity("Не работает почта", "Почта не работает") > 0.6  # order
    assert subject_similarity("Вопрос", "Вопрос") == 0.0  # meaningless: not a duplicate signal
    assert subject_similarity(None, "x") == 0.0
    a, b = "Ошибка 502 на сайте", "Ошибка 504 на сайте"
    assert subject_similarity(a, b) == subject_similarity(b, a)
