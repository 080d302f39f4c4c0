"""Opening a client's attachment with the system's application, without running it.

An attachment comes from anyone who can send mail. Opening it must show a document, never start
a program: names that the system would *run* (``.exe``, ``.js``, ``.desktop``, ``.jar``…) are
refused here, before any file is written, and the agent is told to save it instead. What may be
opened is copied out of the blob store to ``<data>/tmp/open/<sha256>/<safe name>``, read-only and
without an execute bit, so the viewer gets a real file with the sender's (sanitised) name; the
folder is emptied on the next start.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import threading
from pathlib import Path

from desktop.errors import ValidationError
from desktop.mail.sanitize import safe_filename
from desktop.services.workspace import Workspace

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
    if not all(c in "0123456789abcdef" for c in sha256) or not sha256:
        raise ValidationError("the attachment reference {sha!r} is not valid", sha=sha256)
    folder = open_folder(ws) / sha256
    target = folder / safe_filename(filename)
    data = ws.blobs.get(sha256)
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
