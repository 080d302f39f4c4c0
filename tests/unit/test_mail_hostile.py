"""Hostile MIME: whatever arrives, parse_message returns a message or raises MessageParseError.

The strategy builds messages the way broken and malicious senders do: deep nesting, boundaries
that never close or collide, charsets that do not exist or are codecs but not charsets, base64
cut short, NULs and bare CRs, megabyte-long header lines, RFC 2047/2231 fragments that lie.
"""

from __future__ import annotations

import base64
import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.mail.parse import MessageParseError, ParsedMessage, parse_message
from desktop.mail.sanitize import safe_filename, sanitize_html

CHARSETS = [
    "utf-8", "koi8-r", "windows-1251", "iso-8859-1", "us-ascii", "utf-16", "utf-7", "x-unknown",
    "base64", "rot13", "unicode_escape", "idna", "", '"', "utf-8*ru", "windows-1251'ru'",
    "\x00", "a" * 300,
]  # fmt: skip
CTES = ["7bit", "8bit", "base64", "quoted-printable", "binary", "x-uuencode", "bogus", ""]
TYPES = [
    "text/plain", "text/html", "image/png", "application/octet-stream", "message/rfc822",
    "message/delivery-status", "text/calendar", "MULTIPART/MIXED", "text", "/", "",
]  # fmt: skip
TEXTS = ["Привет, мир", "Hello", "Ẓ̌ͤ", "\x00\x01", "=?utf-8?b?0J/RgNC40LLQtdGC?=", "é" * 20]

header_value = st.one_of(
    st.sampled_from(TEXTS),
    st.text(max_size=40),
    st.builds(lambda n: "x" * n, st.integers(0, 120_000)),  # huge single-line header
    st.sampled_from(
        [
            "=?utf-8?q?=D0=9F=D1=80?= =?koi8-r?b?8NLJ?=",
            "=?bogus?x?zz?=",
            "=?utf-8?b?!!!?=",
            "=?=?=?",
            "attachment; filename*0*=utf-8''%D0; filename*1*=%9F.txt",
            "attachment; filename*=x-nope''%FF%FE",
            "attachment; filename*99=lost; filename*0=first",
            'inline; filename="../../etc/passwd\x00.txt"',
        ]
    ),
)


def encode_body(rng: random.Random, data: bytes, cte: str) -> bytes:
    if cte == "base64":
        encoded = base64.encodebytes(data)
        cut = rng.choice([None, None, -1, -2, -3, len(encoded) // 2])
        return encoded if cut is None else encoded[:cut]
    if cte == "quoted-printable":
        return data.replace(b"=", b"=3D") + rng.choice([b"", b"=", b"=Z", b"=\r\n", b"=4"])
    return data


@st.composite
def hostile_part(draw: st.DrawFn, depth: int = 0) -> bytes:
    rng = random.Random(draw(st.integers(0, 2**32)))
    headers = [
        f"Content-Type: {draw(st.sampled_from(TYPES))}; charset={draw(st.sampled_from(CHARSETS))}"
    ]
    if draw(st.booleans()):
        headers.append(f"Content-Disposition: {draw(header_value)}")
    cte = draw(st.sampled_from(CTES))
    headers.append(f"Content-Transfer-Encoding: {cte}")
    if depth < 6 and draw(st.integers(0, 3)) == 0:
        boundary = draw(st.sampled_from(["b", "a b", "", "--", "x" * 80, "=_?", "b"]))
        children = draw(st.lists(hostile_part(depth + 1), max_size=3))
        headers[0] = f'Content-Type: multipart/{draw(st.sampled_from(["mixed", "alternative", "related", "report"]))}; boundary="{boundary}"'
        body = b"".join(b"--" + boundary.encode() + b"\r\n" + child + b"\r\n" for child in children)
        if draw(st.booleans()):
            body += b"--" + boundary.encode() + b"--\r\n"  # otherwise the end never comes
    else:
        raw_text = draw(st.sampled_from(TEXTS)).encode("utf-8") + draw(st.binary(max_size=300))
        body = encode_body(rng, raw_text, cte)
    separator = draw(st.sampled_from([b"\r\n", b"\n", b"\r", b"\r\r\n"]))
    head = separator.join(h.encode("utf-8", "surrogatepass") for h in headers)
    return head + separator + separator + body


@st.composite
def hostile_message(draw: st.DrawFn) -> bytes:
    top = [
        f"From: {draw(header_value)}",
        f"Subject: {draw(header_value)}",
        f"Date: {draw(st.sampled_from(['', 'garbage', 'Mon, 32 Dec 1 25:61:61 +9999', 'Tue, 1 Jan 2030 00:00:00 +0000']))}",
        f"Message-ID: {draw(st.sampled_from(['', '<>', '<a@b>', 'no-brackets', '<' * 50]))}",
        f"References: {draw(header_value)}",
        f"X-{draw(st.text(alphabet='abc-', min_size=1, max_size=5))}: {draw(header_value)}",
    ]
    head = "\r\n".join(draw(st.permutations(top))).encode("utf-8", "surrogatepass") + b"\r\n"
    mutation = draw(st.sampled_from(["none", "nul", "truncate", "junk-prefix", "no-headers"]))
    message = head + draw(hostile_part())
    if mutation == "nul":
        at = draw(st.integers(0, len(message)))
        message = message[:at] + b"\x00" * 3 + message[at:]
    elif mutation == "truncate":
        message = message[: draw(st.integers(1, max(1, len(message))))]
    elif mutation == "junk-prefix":
        message = draw(st.binary(min_size=1, max_size=64)) + message
    elif mutation == "no-headers":
        message = b"\r\n" + message
    return message


def check(raw: bytes) -> ParsedMessage | None:
    try:
        parsed = parse_message(raw)
    except MessageParseError as exc:
        assert str(exc)  # the quarantine shows a reason
        return None
    for text in [parsed.subject, parsed.text, parsed.html or "", parsed.from_name,
                 *(a.filename for a in parsed.attachments), *parsed.loop_headers.values()]:  # fmt: skip
        text.encode("utf-8")
        assert "\x00" not in text
    for attachment in parsed.attachments:
        name = attachment.filename
        assert name and "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name.encode("utf-8")) <= 200
    return parsed


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
    derandomize=True,
)
@given(hostile_message())
def test_hostile_mime_never_crashes(raw: bytes) -> None:
    check(raw)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(min_size=1, max_size=4000))
def test_random_bytes_never_crash(raw: bytes) -> None:
    check(raw)


def test_hostile_mail_mostly_parses() -> None:
    """Quarantine is for the truly unreadable: nearly every hostile message still yields a message."""
    rng = random.Random(20250301)
    messages: list[bytes] = []
    for _ in range(300):
        boundary = rng.choice(["b", "", "a b", "x" * 70])
        parts = []
        for _ in range(rng.randint(0, 4)):
            cte = rng.choice(CTES)
            content = rng.choice(TEXTS).encode() + rng.randbytes(rng.randint(0, 200))
            parts.append(
                f"--{boundary}\r\nContent-Type: text/plain; charset={rng.choice(CHARSETS)}\r\n"
                f"Content-Transfer-Encoding: {cte}\r\n\r\n".encode()
                + encode_body(rng, content, cte)
            )
        end = f"--{boundary}--\r\n".encode() if rng.random() < 0.5 else b""
        messages.append(
            f"Subject: {rng.choice(TEXTS)}\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\""
            "\r\n\r\n".encode()
            + b"\r\n".join(parts)
            + end
        )
    parsed = [check(m) for m in messages]
    assert sum(p is not None for p in parsed) >= 0.98 * len(messages)


def test_nesting_far_beyond_any_real_mail() -> None:
    def nested(depth: int) -> bytes:
        head = "".join(
            f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" for i in range(depth)
        )
        tail = "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
        return f"Subject: deep\r\n{head}Content-Type: text/plain\r\n\r\ninnermost\r\n{tail}".encode()

    # deeper than the fast reader's own limit (10): the standard reader must still find the text
    assert check(nested(25)).text == "innermost"  # type: ignore[union-attr]
    deep = check(nested(100))
    assert deep is not None and any("deeper" in p for p in deep.problems)
    # thousands of levels: quarantined with a reason, not a crash
    try:
        parse_message(nested(3000))
    except MessageParseError as exc:
        assert "nested too deeply" in str(exc)


def test_huge_header_and_many_headers() -> None:
    raw = b"Subject: " + b"A" * 2_000_000 + b"\r\n" + b"X-H: v\r\n" * 20_000 + b"\r\nbody"
    parsed = check(raw)
    # No real subject is 2 MB: it is cut to what the header reader is built for, and flagged.
    assert parsed is not None and parsed.subject == "A" * len(parsed.subject) and parsed.text == "body"
    assert 30_000 < len(parsed.subject) <= 32 * 1024
    assert any("header subject was 2,000,011 bytes long" in p for p in parsed.problems)


# --- hostile HTML and file names ------------------------------------------------------------------

XSS_AND_REMOTE = [
    '<img src="https://t.example/p.gif">',
    "<img src=//t.example/p.gif>",
    '<img src="HTTP://T.EXAMPLE/P.GIF">',
    '<img src=" https://t.example/p.gif">',
    '<img src="/relative.gif">',
    '<img srcset="https://t.example/a.png 1x">',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<img src="x" onerror="alert(1)">',
    '<svg><image href="https://t.example/a.png"/></svg>',
    '<video poster="https://t.example/a.png"></video>',
    '<audio src="https://t.example/a.mp3"></audio>',
    '<input type="image" src="https://t.example/a.png">',
    '<table background="https://t.example/bg.png"><tr><td>x</td></tr></table>',
    '<body background="https://t.example/bg.png">x</body>',
    '<div style="background:url(https://t.example/bg.png)">x</div>',
    "<div style=\"background-image: url('https://t.example/bg.png')\">x</div>",
    '<div style="list-style-image:url(https://t.example/b.png)">x</div>',
    "<style>@import url(https://t.example/a.css); body{background:url(https://t.example/b)}</style>",
    '<link rel="stylesheet" href="https://t.example/a.css">',
    '<meta http-equiv="refresh" content="0;url=https://t.example/">',
    '<iframe src="https://t.example/"></iframe>',
    '<object data="https://t.example/a.swf"></object>',
    '<embed src="https://t.example/a.swf">',
    '<script src="https://t.example/a.js"></script>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<form action="https://t.example/"><input name="p"></form>',
    '<base href="https://t.example/"><img src="a.png">',
    "<!--[if gte mso 9]><img src=https://t.example/mso.png><![endif]-->",
    '<img src="cid:ok@x" onload="alert(1)">',
    "<math><mi xlink:href=\"https://t.example/\">x</mi></math>",
]


@pytest.mark.parametrize("markup", XSS_AND_REMOTE)
def test_sanitized_html_runs_nothing_and_fetches_nothing(markup: str) -> None:
    clean = sanitize_html(markup).lower()
    assert "t.example" not in clean
    for needle in ("<script", "javascript:", "onerror", "onload", "<iframe", "<object", "<embed",
                   "<link", "<meta", "<base", "<form", "<style", "url(", "data:text", "svg+xml"):  # fmt: skip
        assert needle not in clean, needle


def test_allowed_inline_images_survive() -> None:
    clean = sanitize_html('<img src="cid:image001.png@01D" alt="logo"><img src="data:image/png;base64,iVBO">')
    assert 'src="cid:image001.png@01D"' in clean and 'src="data:image/png;base64,iVBO"' in clean


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_safe_filename_always_safe(name: str) -> None:
    safe = safe_filename(name)
    assert safe and safe == safe.strip() and not safe.startswith(".") and not safe.endswith(".")
    assert not set(safe) & set('/\\:*?"<>|\x00')
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in safe)
    assert len(safe.encode("utf-8")) <= 200
    assert safe.split(".", 1)[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert safe_filename(safe) == safe  # idempotent: saving twice gives the same name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Счёт №15.pdf", "Счёт №15.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\Windows\\system32\\evil.dll", "C__Windows_system32_evil.dll"),
        ("con", "_con"),
        ("LPT1.txt", "_LPT1.txt"),
        ("report\u202egpj.exe", "reportgpj.exe"),
        ("  .hidden  ", "hidden"),
        ("a\tb\nc.txt", "a b c.txt"),
        ("", "attachment"),
        ("...", "attachment"),
        ("я" * 300 + ".pdf", "я" * 98 + ".pdf"),
    ],
)
def test_safe_filename_examples(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
