"""Opening a client's attachment with the system's application, without running it.

An attachment comes from anyone who can send mail. Opening it must show a document, never start
a program: names that the system would *run* (``.exe``, ``.js``, ``.desktop``, ``.jar``…) are
refused here, before any file is written, and the agent is told to save it instead. What may be
opened is copied out of the blob store to ``<data>/tmp/open/<sha256>/<safe name>``, read-only and
without an execute bit, so the viewer gets a real file with the sender's (sanitised) name; the
folder is emptied on the next start.

A received attachment is not a file of its own in the blob store: its bytes are inside the raw
message, which is kept whole anyway (R-MAIL-5: nothing is ever lost), so :func:`attachment_data`
reads them back out of it. Storing both would cost the mail's attachments twice on disk and a
second file write per attachment in every sync. What the agent attaches and what older
workspaces stored separately are still found by their SHA-256 first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import stat
import threading
from pathlib import Path

from sqlalchemy import select

from desktop.errors import NotFound, ValidationError
from desktop.mail.parse import MessageParseError, parse_message
from desktop.mail.sanitize import safe_filename
from desktop.services.workspace import Workspace
from desktop.store.models import Attachment, Message

log = logging.getLogger("reglament.attachments")

#: Suffixes a desktop runs or installs on a double-click (Windows, macOS, Linux desktops), and
#: scripts an interpreter would execute. Compared case-insensitively on the last suffix.
RUNNABLE_SUFFIXES = frozenset({
    # Windows programs, scripts, installers, shortcuts, control panel and help applets
    "exe", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "msc", "bat", "cmd", "vbs", "vbe",
    "js", "jse", "wsf", "wsh", "ws", "wsc", "hta", "ps1", "ps1xml", "psm1", "psd1", "ps2",
    "reg", "lnk", "url", "scf", "inf", "gadget", "application", "appref-ms", "chm", "dll",
    "sys", "drv", "ocx", "vb", "vbscript", "jar", "jnlp", "appx", "msix", "appxbundle",
    "msixbundle", "library-ms", "settingcontent-ms", "xll", "iqy", "slk",
    # Unix and macOS
    "sh", "bash", "zsh", "csh", "ksh", "fish", "command", "tool", "run", "bin", "out", "elf",
    "desktop", "appimage", "app", "pkg", "mpkg", "dmg", "deb", "rpm", "snap", "flatpakref",
    "terminal", "workflow", "scpt", "applescript", "action",
    # interpreters a desktop may associate with running the file
    "py", "pyw", "pyc", "pyz", "pl", "rb", "php", "lua", "tcl",
})

#: Content types that mean "a program" whatever the name says.
RUNNABLE_TYPES = frozenset({
    "application/x-msdownload", "application/x-msdos-program", "application/x-ms-installer",
    "application/x-msi", "application/x-executable", "application/x-sharedlib",
    "application/x-sh", "application/x-shellscript", "application/x-csh",
    "application/x-bat", "application/x-desktop", "application/java-archive",
    "application/x-java-archive", "application/javascript", "text/javascript",
    "application/x-python-code", "text/x-python", "application/vnd.microsoft.portable-executable",
    "application/hta", "application/x-apple-diskimage",
})


#: Copying for opening and the start-up clean-up may run on different worker threads.
_FOLDER_LOCK = threading.Lock()


def is_runnable(filename: str, content_type: str = "") -> bool:
    """Whether opening this attachment could start a program instead of showing a document."""
    name = safe_filename(filename).lower().rstrip(" .")
    suffix = name.rpartition(".")[2] if "." in name else ""
    if suffix in RUNNABLE_SUFFIXES:
        return True
    return content_type.split(";", 1)[0].strip().lower() in RUNNABLE_TYPES


def attachment_data(ws: Workspace, sha256: str) -> bytes:
    """The bytes of an attachment: its own blob when it has one, else read out of the raw
    message it came in (checked against its SHA-256, so a re-read can never hand over
    something else)."""
    if not sha256 or not all(c in "0123456789abcdef" for c in sha256):
        raise ValidationError("the attachment reference {sha!r} is not valid", sha=sha256)
    with contextlib.suppress(NotFound):
        return ws.blobs.get(sha256)
    with ws.db.session() as s:
        raws = [r for r in dict.fromkeys(s.scalars(
            select(Message.raw_sha256).join(Attachment, Attachment.message_id == Message.id)
            .where(Attachment.sha256 == sha256, Message.raw_sha256.is_not(None))
            .order_by(Message.id)
        )) if r]
    for raw_sha in raws:
        try:
            raw = ws.blobs.get(raw_sha)
        except NotFound:
            continue
        # The fast reader first, as the sync read it; the standard one in case a parser
        # update changed how the fast one decodes this message.
        for fast in (True, False):
            try:
                parsed = parse_message(raw, fast=fast)
            except MessageParseError:
                continue
            for att in parsed.attachments:
                if hashlib.sha256(att.data).hexdigest() == sha256:
                    return att.data
        log.warning("attachment %s… not found again in its message %s…", sha256[:12], raw_sha[:12])
    raise NotFound("the stored file {name}… is missing from {folder}", name=sha256[:12],
                   folder=ws.blobs.root)


def save_attachment(ws: Workspace, sha256: str, target: Path) -> Path:
    """Write an attachment to a file the agent chose."""
    data = attachment_data(ws, sha256)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ValidationError("cannot save the attachment to {path}: {reason}", path=target,
                              reason=exc.strerror or exc) from None
    return target


def open_folder(ws: Workspace) -> Path:
    return ws.paths.home / "tmp" / "open"


def copy_for_opening(ws: Workspace, sha256: str, filename: str, content_type: str = "") -> Path:
    """A read-only copy of the attachment under the data folder, ready for the system viewer.

    Raises ``ValidationError`` for an attachment that could run as a program.
    """
    if is_runnable(filename, content_type):
        raise ValidationError(
            "“{name}” could run as a program, so it is not opened from here; save it and check "
            "it first", name=safe_filename(filename),
        )
    data = attachment_data(ws, sha256)
    folder = open_folder(ws) / sha256
    target = folder / safe_filename(filename)
    with _FOLDER_LOCK:
        if target.is_file() and target.stat().st_size == len(data):
            return target  # opened before in this session
        folder.mkdir(parents=True, exist_ok=True)
        if target.exists():
            _make_writable(target)
            target.unlink()
        partial = folder / (target.name + ".part")
        partial.write_bytes(data)
        partial.chmod(stat.S_IRUSR | stat.S_IRGRP)  # read-only, never executable
        os.replace(partial, target)
    return target


def clean_open_folder(ws: Workspace) -> None:
    """Remove the copies made for opening in an earlier session (they are read-only)."""
    folder = open_folder(ws)
    if not folder.exists():
        return

    def retry_writable(_func: object, path: str, _exc: object) -> None:
        # A read-only file (Windows refuses to delete those) or folder: allow writing, try again.
        _make_writable(Path(path))
        if Path(path).is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            Path(path).unlink(missing_ok=True)

    with _FOLDER_LOCK:
        shutil.rmtree(folder, onerror=retry_writable)


def _make_writable(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.chmod(stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
