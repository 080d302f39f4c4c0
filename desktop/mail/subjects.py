"""What a subject line says: the ticket it belongs to, whether it means anything, what it resembles.

Threading by TID (R-MAIL-3) is the one rule that survives relays that rewrite Message-IDs, so it
has to be liberal in what it finds — any case, anywhere, after any number of ``Re:``/``Fwd:``
prefixes in the languages our clients' mail programs speak, with or without brackets — and
strict in what it returns: one normalised form, ``TID-000123``.

The R-MAIL-6 helpers only *flag* messages for a person to look at, so they are conservative: a
false "several questions" costs the agent a glance, but crying wolf on every message would teach
them to ignore the flag.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

DEFAULT_PREFIX = "TID"
DEFAULT_WIDTH = 6
_MAX_DIGITS = 12

# Reply/forward markers of common mail programs: English, German (AW/WG), Scandinavian (SV/VS),
# Dutch (Antw), Italian (R/RIF/I), French (TR), Russian Outlook/The Bat!/Thunderbird.
_REPLY_WORDS = (
    "re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw", "rif", "tr", "r",
    "ответ", "отв", "пересл", "переслать", "пересылка", "отв\\.",
)  # fmt: skip
_PREFIX_RE = re.compile(
    r"^\s*(?:(?:" + "|".join(_REPLY_WORDS) + r")\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*)+",
    re.IGNORECASE,
)
_SEP = r"\s*[-–—_:# ]?\s*"


@lru_cache(maxsize=16)
def _tid_patterns(prefix: str, width: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled once per configuration: the bracketed form, and the bare form.

    Bracketed ``[TID-123]`` is explicit, so any number of digits counts; the bare form needs at
    least ``width`` digits and word boundaries so that "tid-1" in prose is not taken for a ticket.
    """
    p = re.escape(prefix)
    bracketed = re.compile(rf"[\[(]\s*{p}{_SEP}(\d{{1,{_MAX_DIGITS}}})\s*[\])]", re.IGNORECASE)
    bare = re.compile(rf"(?<![\w-]){p}{_SEP}(\d{{{width},{_MAX_DIGITS}}})(?!\d)", re.IGNORECASE)
    return bracketed, bare


def format_tid(number: int, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH) -> str:
    """The canonical spelling, ``TID-000123``."""
    return f"{prefix.upper()}-{number:0{width}d}"


def find_tids(
    subject: str | None, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> list[str]:
    """Every TID in the subject, normalised, bracketed ones first, without repeats.

    Several TIDs happen when a client writes about two tickets at once or a subject grew through
    forwards; the caller tries them in order against the tickets it knows.
    """
    if not subject:
        return []
    bracketed, bare = _tid_patterns(prefix, width)
    found: list[str] = []
    for pattern in (bracketed, bare):
        for match in pattern.finditer(subject):
            tid = format_tid(int(match.group(1)), prefix, width)
            if tid not in found:
                found.append(tid)
    return found


def find_tid(
    subject: str | None, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> str | None:
    """The TID a reply most likely belongs to (the first bracketed one), or None."""
    tids = find_tids(subject, prefix, width)
    return tids[0] if tids else None


def tid_number(tid: str) -> int:
    """``"TID-000123"`` → ``123``; the number is what the database keys tickets by."""
    digits = re.search(r"(\d+)\s*\]?\s*$", tid)
    if digits is None:
        raise ValueError(f"not a ticket id: {tid!r}")
    return int(digits.group(1))


def strip_reply_prefixes(subject: str | None) -> str:
    """``"RE: Fwd: Re[2]: Ответ: Hello"`` → ``"Hello"`` (only leading prefixes are removed)."""
    if not subject:
        return ""
    return _PREFIX_RE.sub("", subject, count=1).strip()


def remove_tids(
    subject: str | None, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> str:
    """The subject without any TID, for comparing what the subjects are *about*."""
    if not subject:
        return ""
    bracketed, bare = _tid_patterns(prefix, width)
    return " ".join(bare.sub(" ", bracketed.sub(" ", subject)).split())


def ensure_tid_in_subject(
    subject: str | None, tid: str, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> str:
    """The subject with ``[TID-000123]`` in it exactly once, after any ``Re:``/``Fwd:`` prefixes.

    Adding it again on every reply would grow ``[TID-1] [TID-1] ...``; moving the client's
    ``Re:`` would break their mail program's own threading — so neither happens.
    """
    canonical = format_tid(tid_number(tid), prefix, width)
    text = subject or ""
    if canonical in find_tids(text, prefix, width):
        return text.strip() or f"[{canonical}]"
    match = _PREFIX_RE.match(text)
    head = match.group(0).strip() if match else ""
    rest = text[match.end() :].strip() if match else text.strip()
    parts = [p for p in (head, f"[{canonical}]", rest) if p]
    return " ".join(parts)


# --- R-MAIL-6: meaningless subjects -------------------------------------------------------------

# Words that on their own say nothing about the problem.  A subject made *only* of these (in any
# order, any case, with any punctuation) is meaningless; one real word makes it meaningful.
_EMPTY_WORDS = frozenset(
    ["no", "subject", "untitled", "none", "empty", "без", "темы", "нет", "темы", "тема", "subject", "вопрос", "вопросы", "вопросик", "question", "questions", "q", "help", "помогите", "помощь", "помочь", "support", "поддержка", "техподдержка", "проблема", "проблемы", "проблемка", "problem", "problems", "issue", "issues", "срочно", "срочная", "срочный", "очень", "urgent", "asap", "important", "важно", "важное", "hi", "hello", "hey", "привет", "здравствуйте", "здравствуй", "добрый", "день", "утро", "вечер", "доброе", "good", "morning", "afternoon", "evening", "dear", "уважаемые", "уважаемый", "please", "pls", "пожалуйста", "plz", "спасибо", "thanks", "thank", "you", "request", "запрос", "заявка", "обращение", "письмо", "message", "mail", "email", "сообщение", "info", "информация", "fyi", "test", "тест", "тестовое", "testing", "re", "fw", "fwd", "aw", "wg", "отв", "ответ", "пересл", "и", "а", "the", "a", "an", "to", "for", "with", "с", "по", "на", "к", "о"]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def is_meaningless_subject(
    subject: str | None, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> bool:
    """True for subjects that do not say what the matter is (regulation: a meaningful subject).

    Empty, "(no subject)", "без темы", "Вопрос", "HELP!!!", "Помогите, срочно", "123", "???" —
    after removing reply prefixes and TIDs.  Anything with one real word is meaningful.
    """
    core = strip_reply_prefixes(remove_tids(strip_reply_prefixes(subject), prefix, width))
    words = [w.lower().replace("ё", "е") for w in _WORD.findall(core)]
    if sum(len(w) for w in words) < 3:
        return True  # empty, punctuation, digits, or one or two letters
    return all(w in _EMPTY_WORDS for w in words)


# --- R-MAIL-6: several questions in one message ---------------------------------------------------

_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*(?:original message|исходное сообщение|пересылаемое сообщение|forwarded message)"
    r".*|-- ?|_{5,}|>.*|(?:on|в|вт|пн|ср|чт|пт|сб|вс)\b.{0,200}(?:wrote|пишет|написал\w*):\s*"
    r"|(?:from|от|отправлено|sent):\s.*)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|[-*•–]|[a-zа-я]\))\s+\S", re.IGNORECASE)
_SEVERAL_MARKERS = re.compile(
    r"несколько вопросов|ещё (?:один )?вопрос|еще (?:один )?вопрос|(?:второй|третий|следующий) вопрос"
    r"|вопрос\s*(?:№\s*)?[2-9]\b|и ещ[её]\b.{0,40}\?|several questions|(?:second|another|next) question"
    r"|question\s*(?:#\s*)?[2-9]\b|also,? (?:i have|one more)",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(r"вопрос|question", re.IGNORECASE)


def _own_text(text: str) -> list[str]:
    """The lines the sender wrote, without the quoted thread and the signature below them."""
    lines: list[str] = []
    for line in text.splitlines():
        if _QUOTE_START.match(line.strip()):
            break
        lines.append(line.rstrip())
    return lines


def looks_like_several_questions(text: str | None) -> bool:
    """A conservative guess that one message asks several unrelated things (one question per ticket).

    Fires on (a) a list of two or more items that each ask something (``?``) or that follows a
    "questions:" lead-in, (b) three or more separate paragraphs ending questions, or (c) an explicit
    "second question" / "ещё вопрос" marker together with at least two question marks.  Quoted
    history and signatures are ignored so that a long thread does not trip it.
    """
    if not text:
        return False
    lines = _own_text(text)
    own = "\n".join(lines)
    # Most mail has neither; substring tests on the lower-cased text are ~10x cheaper than the
    # case-insensitive regular expression over a long message.
    if "?" not in own and not any(word in own.lower() for word in ("вопрос", "question")):
        return False
    items = [line for line in lines if _LIST_ITEM.match(line)]
    asking_items = [line for line in items if "?" in line]
    if len(asking_items) >= 2:
        return True
    if len(items) >= 2 and _QUESTION_WORD.search(own.split(items[0], 1)[0][-200:]):
        return True
    paragraphs = [p for p in re.split(r"\n\s*\n", own) if p.strip()]
    asking_paragraphs = {_normalise(p) for p in paragraphs if "?" in p}
    if len(asking_paragraphs) >= 3:
        return True
    return bool(_SEVERAL_MARKERS.search(own)) and own.count("?") >= 2


# --- duplicate suggestions ------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _normalise(subject: str) -> str:
    words = _TOKEN.findall(subject.lower().replace("ё", "е"))
    return " ".join(w for w in words if not w.isdigit() or len(w) > 2)


_STOP_WORDS = frozenset(["и", "а", "в", "во", "на", "с", "со", "по", "к", "о", "об", "от", "до", "за", "для", "из", "у", "the", "a", "an", "to", "for", "of", "in", "on"])


def _stems(normalised: str) -> set[str]:
    """Crude stems: Russian inflects word endings ("сайте"/"сайта", "почта"/"почтой")."""
    return {w[: max(4, len(w) - 2)] for w in normalised.split() if w not in _STOP_WORDS}


def subject_similarity(
    a: str | None, b: str | None, prefix: str = DEFAULT_PREFIX, width: int = DEFAULT_WIDTH
) -> float:
    """0.0–1.0: how alike two subjects are, for suggesting "possible duplicate" (R-TICKET-5).

    Reply prefixes, TIDs, case and punctuation are ignored.  The score is the mean of the overlap
    of word stems (order-insensitive, tolerant of Russian endings: "почта" vs "почтой") and
    character similarity of the whole normalised subjects.  Meaningless subjects score 0 — "Вопрос" and "Вопрос" are not duplicates.
    """
    if is_meaningless_subject(a, prefix, width) or is_meaningless_subject(b, prefix, width):
        return 0.0
    na = _normalise(strip_reply_prefixes(remove_tids(strip_reply_prefixes(a), prefix, width)))
    nb = _normalise(strip_reply_prefixes(remove_tids(strip_reply_prefixes(b), prefix, width)))
    return _similarity(na, nb)


def _similarity(na: str, nb: str) -> float:
    """The measure both similarities use on normalised texts: the mean of the word stems'
    overlap (order-insensitive) and the whole texts' character similarity; 0 when one is empty."""
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    wa, wb = _stems(na), _stems(nb)
    jaccard = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
    chars = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    return round((jaccard + chars) / 2, 4)


#: Characters of a message's own text compared for a duplicate: the first screen says what it asks.
_BODY_CHARS = 1500


def body_similarity(a: str | None, b: str | None) -> float:
    """0.0–1.0: how alike two messages' own texts are (quoted history and signature left out).

    The same measure as :func:`subject_similarity` — word stems and whole-text characters —
    over the first lines each sender wrote. An empty text scores 0: a subject alone never makes
    a duplicate (R-TICKET-5 asks for a similar subject *and* body).
    """
    na = _normalise(" ".join(_own_text(a or ""))[:_BODY_CHARS])
    nb = _normalise(" ".join(_own_text(b or ""))[:_BODY_CHARS])
    return _similarity(na, nb)
