"""The correspondence of a ticket as HTML for a QTextBrowser.

HTML mail arrives here already sanitized (no scripts, no remote content: R-MAIL-8); plain text is
escaped. Attachments are links with an internal ``attachment:<n>`` scheme that the detail view
maps to a blob and a safe file name, so nothing in a message can point the browser anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from desktop import times
from desktop.services.reads.ticket_page import PageMessage
from ui import numbers


@dataclass(frozen=True)
class AttachmentRef:
    sha256: str
    filename: str
    content_type: str
    size: int


_COLOURS = {
    "in": ("#eef4fb", "#1f5fa8"),
    "out": ("#eef7ee", "#2e7d32"),
    "note": ("#fff7dc", "#8d6e00"),
}


def threaded_by_text(reason: str) -> str:
    t = {
        "new_ticket": QCoreApplication.translate("Thread", "opened the ticket"),
        "tid": QCoreApplication.translate("Thread", "joined by the ticket number in the subject"),
        "tid_unconfirmed": QCoreApplication.translate(
            "Thread", "ticket number from an unknown sender — confirm the thread"
        ),
        "tid_confirmed": QCoreApplication.translate(
            "Thread", "joined by the ticket number in the subject, confirmed by support"),
        "merged": QCoreApplication.translate("Thread", "moved here by merging a duplicate"),
        "references": QCoreApplication.translate("Thread", "joined as a reply (In-Reply-To/References)"),
        "outgoing": QCoreApplication.translate("Thread", "sent by support"),
        "manual": QCoreApplication.translate("Thread", "added by hand"),
        "split": QCoreApplication.translate("Thread", "moved here by a split"),
        "moved": QCoreApplication.translate("Thread", "moved here from another ticket"),
    }
    return t.get(reason, reason)


def direction_text(direction: str) -> str:
    return {
        "in": QCoreApplication.translate("Thread", "from the client"),
        "out": QCoreApplication.translate("Thread", "reply"),
        "note": QCoreApplication.translate("Thread", "internal note — the client does not see it"),
    }.get(direction, direction)


def human_size(size: int) -> str:
    text, unit = numbers.size(size)
    if unit == "B":
        return QCoreApplication.translate("Thread", "{0} B").format(text)
    if unit == "KB":
        return QCoreApplication.translate("Thread", "{0} KB").format(text)
    return QCoreApplication.translate("Thread", "{0} MB").format(text)


def _copies_html(m: PageMessage) -> str:
    """"Cc: … · Bcc: …" under the sender of a message sent in copy (Bcc: our replies only)."""
    lines = [f"{label} {', '.join(addrs)}" for label, addrs in (
        (QCoreApplication.translate("Thread", "Cc:"), m.cc),
        (QCoreApplication.translate("Thread", "Bcc:"), m.bcc)) if addrs]
    return f'<div style="color:#555">{html.escape(" · ".join(lines))}</div>' if lines else ""


def local_time(t: datetime | None) -> str:
    """A stored UTC time as the agent's clock reads it (every time on screen is in the agent's zone)."""
    return times.date_time(t)


def _text_body(text: str) -> str:
    lines = []
    for line in text.splitlines():
        esc = html.escape(line)
        if line.lstrip().startswith(">"):
            esc = f'<span style="color:#7a7a7a">{esc}</span>'
        lines.append(esc)
    return "<br>".join(lines) or "&nbsp;"


def render_thread(
    messages: Iterable[PageMessage], html_bodies: Mapping[int, str], actions: bool = False
) -> tuple[str, list[AttachmentRef]]:
    """The thread's HTML and the attachments its ``attachment:<n>`` links refer to; with
    ``actions`` each client message or reply has a ``message:<id>`` link to what can be done
    with it (confirm, move, split), reachable with Tab and Enter."""
    refs: list[AttachmentRef] = []
    parts = ['<html><body style="font-size:10pt; color:#1d1d1d">']
    messages = list(messages)
    if not messages:
        empty = QCoreApplication.translate("Thread", "No messages yet.")
        parts.append(f'<p style="color:#777">{html.escape(empty)}</p>')
    for m in messages:
        bg, accent = _COLOURS.get(m.direction, _COLOURS["in"])
        who = m.from_name or ""
        addr = m.sender or ""
        if who and addr and addr != who:
            sender = f"<b>{html.escape(who)}</b> <span style='color:#555'>&lt;{html.escape(addr)}&gt;</span>"
        else:
            sender = f"<b>{html.escape(who or addr or '—')}</b>"
        meta = " · ".join(
            x for x in (
                local_time(m.date),
                direction_text(m.direction),
                threaded_by_text(m.threaded_by or "") if m.direction == "in" else "",
                # the same mail came back later (a restored mailbox): kept once, counted
                QCoreApplication.translate("Thread", "seen again {0}×").format(m.seen_again)
                if m.seen_again else "",
            ) if x
        )
        link = ""
        if actions and m.direction != "note":
            words = html.escape(QCoreApplication.translate("Thread", "Message actions…"))
            link = f' &nbsp;<a href="message:{m.id}">{words}</a>'
        body_html = html_bodies.get(m.id)
        body = body_html if body_html else _text_body(m.text or "")
        files = []
        for a in m.attachments:
            refs.append(AttachmentRef(a.sha256, a.filename, a.content_type or "", a.size))
            files.append(
                f'<a href="attachment:{len(refs) - 1}">{html.escape(a.filename)}</a>'
                f' <span style="color:#777">({human_size(a.size)})</span>'
            )
        parts.append(
            f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom:10px">'
            f'<tr><td width="4" bgcolor="{accent}"></td>'
            f'<td bgcolor="{bg}" style="padding:8px 10px">'
            f'<div>{sender} <span style="color:#666">· {html.escape(meta)}</span>{link}</div>'
            + _copies_html(m)
            + f'<div style="margin-top:6px">{body}</div>'
            + (f'<div style="margin-top:6px">{" &nbsp; ".join(files)}</div>' if files else "")
            + "</td></tr></table>"
        )
    parts.append("</body></html>")
    return "".join(parts), refs
