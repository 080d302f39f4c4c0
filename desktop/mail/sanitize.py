"""HTML made safe to show, HTML turned into text, file names made safe to save.

Mail HTML is hostile by default: scripts, event handlers, and above all *remote content* — a
tracking pixel tells the sender when (and whether) the agent read the message, and from where.
So the sanitiser keeps formatting but lets nothing point outside the message: ``<img>`` keeps only
``cid:`` (an inline part of the same message) or a small ``data:image/...`` URI; CSS that can load
a URL is dropped; ``<a href>`` stays (following a link is the user's explicit choice) with
``rel="noopener noreferrer"``.  The work is done by ``nh3`` (Rust's ammonia on html5ever) — never
by regular expressions over untrusted markup.

Text extraction reuses the same parser: ammonia reduces the document to a handful of block tags
with no attributes, and only that canonical, already-sanitised output is split into lines here.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata

import nh3

# Formatting that mail clients actually use; nothing that embeds or loads (no iframe, object,
# video, audio, source, picture, link, form, input, svg, math).
_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "font",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
        "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
    }
)  # fmt: skip

# Tags whose *content* must disappear too, not just the tag: code, metadata and things that would
# otherwise leak as visible text (a <title> in the head, an <iframe>'s fallback).
_DROP_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "title", "head", "noscript", "iframe", "object", "template", "xml",
     "noembed", "noframes", "select", "textarea", "button", "svg", "math"}
)  # fmt: skip

_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "title", "lang", "dir", "align", "valign", "width", "height"},
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan", "bgcolor", "nowrap"},
    "th": {"colspan", "rowspan", "bgcolor", "nowrap", "scope"},
    "table": {"border", "cellpadding", "cellspacing", "bgcolor"},
    "tr": {"bgcolor"},
    "font": {"color", "size", "face"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "col": {"span"},
    "colgroup": {"span"},
    "blockquote": {"type"},
}

# CSS properties kept inside ``style``.  Deliberately none that take a url(): background,
# background-image, list-style(-image), border-image, content, cursor, behavior, filter.
_STYLE_PROPERTIES: frozenset[str] = frozenset(
    {
        "color", "background-color", "font", "font-family", "font-size", "font-style",
        "font-weight", "font-variant", "text-align", "text-decoration", "text-indent",
        "text-transform", "line-height", "letter-spacing", "white-space", "vertical-align",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left",
        "border-color", "border-style", "border-width", "border-collapse", "border-spacing",
        "width", "height", "max-width", "min-width", "direction",
    }
)  # fmt: skip

_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpe?g|webp|bmp);base64,", re.IGNORECASE)
_MAX_DATA_URI = 256 * 1024


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Decide per attribute what may point outside the message (called by ammonia).

    Only ``src`` and ``href`` carry URLs among the allowed attributes; everything else passes.
    """
    if attribute == "src":
        lowered = value.lstrip().lower()
        if lowered.startswith("cid:"):
            return value.strip()
        if _DATA_IMAGE.match(lowered) and len(value) <= _MAX_DATA_URI:
            return value.strip()
        return None  # http(s), protocol-relative, relative, file: ... never fetched
    if attribute == "href" and value.lstrip().lower().startswith("data:"):
        return None  # a data: link can carry a whole phishing page
    return value


_DISPLAY_CLEANER = nh3.Cleaner(
    tags=set(_TAGS),
    clean_content_tags=set(_DROP_CONTENT),
    attributes=_ATTRIBUTES,
    attribute_filter=_filter_attribute,
    url_schemes={"http", "https", "mailto", "tel", "cid", "data"},
    filter_style_properties=set(_STYLE_PROPERTIES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)

# Tags that end a line or a block when HTML is read as text.
_LINE_TAGS = frozenset({"br", "tr", "li", "dt", "dd", "caption"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "hr", "ul",
     "ol", "dl", "center"}
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})

_TEXT_CLEANER = nh3.Cleaner(
    tags=set(_LINE_TAGS | _BLOCK_TAGS | _CELL_TAGS),
    clean_content_tags=set(_DROP_CONTENT),
    attributes={},
    link_rel=None,
    strip_comments=True,
)

# Only ammonia's canonical output is tokenised here: bare tags, no attributes, text escaped.
_TOKEN = re.compile(r"<(/?)([a-z0-9]+)\s*/?>|([^<]+)")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TRAILING = re.compile(r"[ \t\xa0]+\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def sanitize_html(markup: str) -> str:
    """Return HTML that is safe to render and fetches nothing from the network."""
    return _DISPLAY_CLEANER.clean(markup)


def html_to_text(markup: str) -> str:
    """Readable plain text of an HTML body, for the text view and for search.

    Block structure becomes line breaks, cells are separated by tabs, list items get a dash; the
    rest of HTML whitespace collapses as a browser would collapse it (``<pre>`` is rare in mail
    and is flattened too — acceptable for search and preview).
    """
    reduced = _TEXT_CLEANER.clean(markup)
    out: list[str] = []
    for closing, tag, text in _TOKEN.findall(reduced):
        if text:
            out.append(html_lib.unescape(_SPACES.sub(" ", text)))
        elif tag in _LINE_TAGS:
            if tag == "li":
                if not closing:
                    out.append("\n- ")
            else:
                out.append("\n")
        elif tag in _BLOCK_TAGS:
            out.append("\n\n")
        elif tag in _CELL_TAGS and closing:
            out.append("\t")
    text = "".join(out).replace("\xa0", " ")
    text = "\n".join(line.strip(" \t") for line in text.split("\n"))
    text = _TRAILING.sub("\n", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {"COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
)
_WHITESPACE_CONTROLS = re.compile(r"[\t\n\r\v\f\x85]")
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u2028\u2029]')
_MAX_NAME_BYTES = 200  # well under the 255-byte limit of common filesystems: room for "(2)" etc.


def safe_filename(name: str | None, default: str = "attachment") -> str:
    """A name that can be used as-is as the last component of a path on any desktop OS.

    Attachment names come from the sender and can be ``../../.bashrc``, ``CON.txt``, contain
    control characters, bidi overrides that disguise ``exe`` as ``txt``, or be 2,000 bytes long.
    The result has no path separators, no control/format characters, is not a reserved Windows
    device name, does not start with a dot or end with a dot/space, and fits in
    ``_MAX_NAME_BYTES`` of UTF-8 with its extension preserved where possible.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = _WHITESPACE_CONTROLS.sub(" ", text)  # a folded header's tab/newline was a space
    # Format characters (Cf) include the right-to-left override used to fake extensions.
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # tabs/newlines/odd spaces → single spaces
    text = text.strip(" .")
    if not text or set(text) <= {"_", "."}:
        text = default
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    if text.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        text = "_" + text
        stem = "_" + stem if dot else text
    if len(text.encode("utf-8")) > _MAX_NAME_BYTES:
        text = _truncate(stem if dot else text, ext if dot else "")
    return text


def _truncate(stem: str, ext: str) -> str:
    """Shorten keeping the extension (which decides how the OS opens the file)."""
    ext_part = ("." + ext) if ext and len(ext.encode("utf-8")) <= 20 else ""
    budget = _MAX_NAME_BYTES - len(ext_part.encode("utf-8"))
    encoded = stem.encode("utf-8")[:budget]
    short = encoded.decode("utf-8", "ignore").rstrip(" .")
    return (short or "attachment") + ext_part
