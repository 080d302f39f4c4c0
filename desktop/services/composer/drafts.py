"""The reply being written, kept in the database as the agent types (per ticket, per agent).

The composer saves a moment after the agent stops typing, off the window's thread; a crash or a
restart gives back everything: the text, To/Cc/Bcc, whether the answered message is quoted,
and the attached files — whose bytes went into the blob store when they were attached, so a
file moved or deleted on the agent's disk since is still sent as it was. The draft's row is
also what the team sees as "Anna is replying" (``desktop.services.background.presence``
claims the ticket while the composer is open).
"""

from __future__ import annotations

import mimetypes
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, ValidationError
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.upkeep.outgoing import OutgoingFile
from desktop.services.workspace import Workspace
from desktop.store.models import Draft

#: The most a reply's files may weigh together. Mail servers commonly take 25–35 MB per
#: message, and base64 makes a file a third larger on the wire: 20 MB of files fits them all.
ATTACHMENT_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class DraftFile:
    """A file attached to a draft; its bytes are in the blob store under ``sha256``."""

    filename: str
    content_type: str
    size: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReplyDraft:
    """Everything the composer holds. ``to`` None: the ticket's requester (as a reply goes)."""

    body: str = ""
    to: tuple[str, ...] | None = None
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    quote: bool = True
    files: tuple[DraftFile, ...] = field(default_factory=tuple)

    def is_empty(self) -> bool:
        """Nothing the agent would miss: no text, no files, no extra recipients."""
        return not self.body.strip() and not self.files and not self.cc and not self.bcc


def total_size(files: tuple[DraftFile, ...] | list[DraftFile]) -> int:
    return sum(f.size for f in files)


def check_size(files: tuple[DraftFile, ...] | list[DraftFile]) -> None:
    total = total_size(files)
    if total > ATTACHMENT_LIMIT:
        raise ValidationError(
            "the files weigh {size} MB together; a reply can carry at most {limit} MB — send the rest "
            "as a link or in another reply", size=f"{total / 1048576:.1f}", limit=ATTACHMENT_LIMIT // 1048576)


def stash_file(ws: Workspace, path: Path, already: tuple[DraftFile, ...] = ()) -> DraftFile:
    """Read a file the agent attached into the blob store (refused when it would take the
    reply over :data:`ATTACHMENT_LIMIT`, or cannot be read)."""
    try:
        size = path.stat().st_size
        if size + total_size(already) > ATTACHMENT_LIMIT:
            check_size([*already, DraftFile(path.name, "", size, "")])
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError("cannot read “{name}”: {why}", name=path.name, why=exc.strerror or exc) from None
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return DraftFile(path.name, kind, len(data), ws.blobs.put(data))


def outgoing_files(ws: Workspace, files: tuple[DraftFile, ...] | list[DraftFile]) -> list[OutgoingFile]:
    """The draft's files as the outbox takes them (bytes from the blob store)."""
    check_size(files)
    out = []
    for f in files:
        try:
            data = ws.blobs.get(f.sha256)
        except (OSError, KeyError, NotFound):
            raise ValidationError("the attached file “{name}” is no longer stored; attach it again",
                                  name=f.filename) from None
        out.append(OutgoingFile(f.filename, f.content_type, data))
    return out


def _row(s: Session, ticket_id: int, login: str) -> Draft | None:
    return s.scalar(select(Draft).where(Draft.ticket_id == ticket_id, Draft.agent_login == login))


def load(ws: Workspace, tid: str) -> ReplyDraft | None:
    """This agent's draft on ``tid``, or None."""
    with ws.db.reading() as s:
        t = get_ticket(s, ws, tid)
        d = _row(s, t.id, ws.actor)
        if d is None:
            return None
        return ReplyDraft(
            body=d.body or "",
            to=tuple(d.to_addrs) if d.to_addrs is not None else None,
            cc=tuple(d.cc_addrs or ()), bcc=tuple(d.bcc_addrs or ()),
            quote=bool(d.quote) if d.quote is not None else True,
            files=tuple(DraftFile(str(f["filename"]), str(f["content_type"]), int(f["size"]), str(f["sha256"]))
                        for f in (d.files or ())),
        )


def save(ws: Workspace, tid: str, draft: ReplyDraft) -> None:
    """Keep the draft (an empty one removes it)."""
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        if draft.is_empty():
            drop(s, t.id, ws.actor)
            return
        d = _row(s, t.id, ws.actor)
        if d is None:
            d = Draft(ticket_id=t.id, agent_login=ws.actor)
            s.add(d)
        d.body, d.updated_at = draft.body, ws.now()
        d.to_addrs = list(draft.to) if draft.to is not None else None
        d.cc_addrs, d.bcc_addrs = list(draft.cc) or None, list(draft.bcc) or None
        d.quote = draft.quote
        d.files = [f.as_json() for f in draft.files] or None


def discard(ws: Workspace, tid: str) -> None:
    with ws.db.session() as s:
        drop(s, get_ticket(s, ws, tid).id, ws.actor)


def drop(s: Session, ticket_id: int, login: str) -> None:
    d = _row(s, ticket_id, login)
    if d is not None:
        s.delete(d)
