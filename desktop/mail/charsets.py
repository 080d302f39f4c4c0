"""Bytes of mail text → str: charset labels, detection, RFC 2047 headers, repairs.

The declared charset is trusted unless the bytes contradict it (not decodable, valid UTF-8
under a legacy label, or Cyrillic that came out as Latin-1 or in the wrong case pattern); then
``charset-normalizer`` decides among the charsets a Russian support mailbox receives. Apart
from the MIME structure because bodies, headers and attachment names all go through the same
decisions, whichever parser read the message; every string leaving here is free of NULs and
lone surrogates.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.header
import email.parser
import email.policy
import re
from functools import lru_cache

import charset_normalizer

# Labels seen in the wild that Python's codec registry does not know.
_CHARSET_ALIASES = {
    "win-1251": "cp1251", "cp-1251": "cp1251", "x-cp1251": "cp1251", "windows1251": "cp1251",
    "win1251": "cp1251", "x-win1251": "cp1251", "koi8r": "koi8_r", "koi8": "koi8_r",
    "x-koi8-r": "koi8_r", "koi8u": "koi8_u", "x-mac-cyrillic": "mac_cyrillic",
    "unicode-1-1-utf-8": "utf-8", "utf8mb4": "utf-8", "x-utf8": "utf-8", "utf-8-sig": "utf-8",
    "ibm-866": "cp866", "x-ibm866": "cp866", "iso-8859-8-i": "iso8859_8",
    "windows-874": "cp874", "x-gbk": "gbk", "cp-1252": "cp1252", "win-1252": "cp1252",
}  # fmt: skip


# Labels that mean "no idea": treated like a missing charset.
_UNKNOWN_CHARSETS = frozenset(
    {"unknown-8bit", "x-unknown", "unknown", "x-user-defined", "default", "charset", "none", ""}
)


# Codecs that are not text charsets, or that would interpret the text (escape codecs).
_REFUSED_CODECS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined", "mbcs", "oem"}
)


_LATIN_FAMILY = frozenset({"ascii", "iso8859-1", "cp1252", "iso8859-15", "iso8859-2", "cp1250"})


_CYRILLIC_FAMILY = frozenset(
    {"cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"}
)


# What a Russian support mailbox receives; detection among these is fast and reliable even on
# short strings, where unrestricted detection guesses exotic encodings.
_CANDIDATES = ["utf_8", "cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "cp1252"]


_DETECT_SAMPLE = 64 * 1024


# Charsets whose text is made of ASCII bytes but is not ASCII: ISO-2022 escape sequences,
# UTF-7, HZ, and the wide encodings whose bytes happen to be in that range. Bytes that are all
# ASCII are decoded with these, not taken as ASCII text.
_ASCII_BYTES_CODECS = frozenset({
    "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_3",
    "iso2022_jp_ext", "iso2022_kr", "utf-7", "hz", "utf-16", "utf-32", "utf-16-le", "utf-16-be",
    "utf-32-le", "utf-32-be",
})  # fmt: skip


_HIGH_LATIN = re.compile(r"[\u00c0-\u00ff]")


_LETTER = re.compile(r"[^\W\d_]")


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


_CYRILLIC_UPPER = re.compile(r"[\u0400-\u042f]")


_UNSAFE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


@lru_cache(maxsize=256)
def _codec(label: str | None) -> str | None:
    """Python codec name for a MIME charset label, or None for missing/unknown/refused labels."""
    if not label:
        return None
    name = label.strip().strip("\"'").split("*", 1)[0].lower()
    if name in _UNKNOWN_CHARSETS:
        return None
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL inside the label
        return None
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _looks_misdecoded(text: str, codec: str) -> bool:
    """Did a legacy single-byte label decode bytes that were really something else?

    Russian read as Latin-1 is almost all letters in À–ÿ; KOI8-R read as windows-1251 (and the
    reverse) turns lower case into upper case.  Genuine text rarely does either.
    """
    if codec in _LATIN_FAMILY:
        high = len(_HIGH_LATIN.findall(text))
        return high >= 6 and high * 2 > len(_LETTER.findall(text))
    if codec in _CYRILLIC_FAMILY:
        cyrillic = len(_CYRILLIC.findall(text))
        return cyrillic >= 12 and len(_CYRILLIC_UPPER.findall(text)) * 10 > cyrillic * 6
    return False


def _detect(data: bytes) -> tuple[str, str] | None:
    """Let charset-normalizer decide; first among likely charsets, then among all."""
    sample = data[:_DETECT_SAMPLE]
    best = charset_normalizer.from_bytes(sample, cp_isolation=_CANDIDATES).best()
    if best is None and len(sample) >= 32:
        best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return None
    codec = _codec(best.encoding) or "utf-8"
    return data.decode(codec, "replace"), codec


def decode_text(data: bytes, declared: str | None) -> tuple[str, str, bool]:
    """Decode a text body: ``(text, codec used, whether the declared label was overridden)``.

    Never raises.  The declared charset wins unless the bytes contradict it — see module doc.
    """
    if data.isascii():
        codec = _codec(declared)
        if codec in _ASCII_BYTES_CODECS:
            try:
                return data.decode(codec), codec, False
            except UnicodeDecodeError:
                pass
        elif b"\x1b" in data:  # escape sequences of a 7-bit charset nobody declared
            try:
                return data.decode("iso2022_jp_2"), "iso2022_jp_2", codec not in (None, "ascii")
            except UnicodeDecodeError:
                pass
        return data.decode("ascii"), "ascii", False
    codec = _codec(declared)
    if codec is None or codec in ("utf-8", "ascii"):
        try:
            return data.decode("utf-8"), "utf-8", codec == "ascii"
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
                # a truncated message cut the last character in half: still UTF-8
                return data.decode("utf-8", "replace"), "utf-8", codec == "ascii"
        detected = _detect(data)
        if detected is not None:
            return detected[0], detected[1], True
        return data.decode("utf-8", "replace"), "utf-8", True
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        detected = _detect(data)
        if detected is not None:
            return detected[0], detected[1], True
        return data.decode(codec, "replace"), codec, False
    if codec in _LATIN_FAMILY or codec in _CYRILLIC_FAMILY:
        try:
            return data.decode("utf-8"), "utf-8", True  # valid UTF-8 is never accidental
        except UnicodeDecodeError:
            pass
        if _looks_misdecoded(text, codec):
            detected = _detect(data)
            if detected is not None and detected[1] != codec:
                return detected[0], detected[1], True
    return text, codec, False


def _decode_short(data: bytes, declared: str | None) -> str:
    """Decode a header fragment (an encoded word, or raw 8-bit header bytes)."""
    if data.isascii():
        codec = _codec(declared)
        if codec not in _ASCII_BYTES_CODECS and b"\x1b" in data:
            codec = "iso2022_jp_2"  # raw ISO-2022-JP in a header, as old Japanese mailers send
        if codec in _ASCII_BYTES_CODECS or codec == "iso2022_jp_2":
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError, ValueError):
                pass
        return data.decode("ascii")
    codec = _codec(declared)
    if codec is not None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    detected = _detect(data)
    if detected is not None:
        return detected[0]
    return data.decode("cp1251", "replace")


def clean(text: str) -> str:
    """No NULs (PostgreSQL refuses them) and no lone surrogates (UTF-8 cannot store them)."""
    if _UNSAFE_CHARS.search(text) is None:
        return text
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def unescape_8bit(value: str) -> str:
    """Raw header bytes (kept as surrogate escapes) as UTF-8 if they are, else Latin-1."""
    data = value.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def decode_header_text(value: str | None) -> str:
    """A header value as readable text: RFC 2047 words decoded (whitespace between adjacent
    words dropped, as the RFC says), raw 8-bit bytes decoded, folding undone."""
    if not value:
        return ""
    if not value.isascii() and has_surrogates(value):
        value = _decode_short(value.encode("ascii", "surrogateescape"), None)
    elif "\x1b" in value and value.isascii():  # raw ISO-2022-JP, as old Japanese mailers send
        value = _decode_short(value.encode("ascii"), None)
    if "=?" not in value:
        return clean(" ".join(value.split()))
    try:
        parts = email.header.decode_header(value)
    except (email.errors.HeaderParseError, ValueError, LookupError, UnicodeError):
        return clean(" ".join(value.split()))
    out: list[str] = []
    for data, charset in parts:
        if isinstance(data, str):
            out.append(data)
        elif charset is None:
            # decode_header hands back undecoded stretches as raw-unicode-escape bytes
            try:
                out.append(data.decode("raw-unicode-escape"))
            except UnicodeDecodeError:
                out.append(data.decode("latin-1"))
        else:
            out.append(_decode_short(data, charset))
    decoded = " ".join("".join(out).split())
    if not decoded:  # every word was broken: the raw text says more than nothing
        decoded = " ".join(value.split())
    return clean(decoded)


def repair_latin1(name: str) -> str:
    """Undo a parser's Latin-1 fallback for raw 8-bit names (``Ñ÷¸ò.pdf`` → ``Счёт.pdf``).

    Only when the string could be such a fallback (nothing above U+00FF) *and* the bytes then
    read as UTF-8, or the string is mostly À–ÿ letters as Cyrillic-as-Latin-1 always is.
    """
    if name.isascii() or any(ord(ch) > 0xFF for ch in name):
        return name
    raw = name.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_misdecoded(name, "iso8859-1") or (
        len(_HIGH_LATIN.findall(name)) * 2 > len(_LETTER.findall(name)) >= 2
    ):
        return _decode_short(raw, None)
    return name
