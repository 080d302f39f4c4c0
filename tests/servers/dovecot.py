"""A real Dovecot IMAP server, run in the foreground from a throw-away configuration.

Why Dovecot and not a Python fake: the sync must meet the behaviour of a real server (UIDVALIDITY,
CONDSTORE, IDLE, APPENDUID, connection drops). The traps this module handles are written down in
``NOTES-ENV.md``: the temp dir must be 0755 (Dovecot's auth and login processes run as other users),
the mail dir must belong to the mail user (``nobody`` when we are root; ``uid=root`` is refused),
and as a non-root user every service has to run as that user without chroot.

The helper talks to its own server with imapclient directly (never through the product's code), so
a bug in ``desktop.mail.imap`` cannot hide itself by also breaking the test set-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from imapclient import IMAPClient

from tests.servers import (
    LOOPBACK,
    ServerStartError,
    free_port,
    is_root,
    port_accepts,
    require_binary,
    tail,
    wait_until,
)
from tests.servers.tls import TlsFiles, make_tls_files

DOVECOT = "/usr/sbin/dovecot"
PACKAGE = "dovecot-imapd"

_APPENDUID = re.compile(rb"\[APPENDUID (\d+) ([0-9:,]+)\]", re.IGNORECASE)
_FORBIDDEN_IN_PASSWD = (":", "\n", "\r", "\0")
_USER_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")

Message = bytes | str | EmailMessage


@dataclass(frozen=True)
class Appended:
    """What the server said about an APPEND: the mailbox's UIDVALIDITY and the new UID(s)."""

    uidvalidity: int
    uids: tuple[int, ...]

    @property
    def uid(self) -> int:
        return self.uids[0]


def _as_bytes(message: Message) -> bytes:
    if isinstance(message, EmailMessage):
        return message.as_bytes()
    if isinstance(message, str):
        return message.encode("utf-8")
    return message


def _expand_uid_set(text: bytes) -> tuple[int, ...]:
    uids: list[int] = []
    for part in text.decode("ascii").split(","):
        if ":" in part:
            low, high = (int(x) for x in part.split(":"))
            uids.extend(range(min(low, high), max(low, high) + 1))
        else:
            uids.append(int(part))
    return tuple(uids)


def _parse_appenduid(response: bytes | str) -> Appended:
    raw = response.encode() if isinstance(response, str) else response
    match = _APPENDUID.search(raw)
    if match is None:
        raise ServerStartError(f"Dovecot did not answer APPENDUID: {raw!r}")
    return Appended(int(match.group(1)), _expand_uid_set(match.group(2)))


def _kill_process_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


class DovecotServer:
    """One Dovecot instance: a config, passwd files, Maildirs, a log — all in one temp dir.

    ``tls=True`` adds STARTTLS on the plain port and an IMAPS port (``tls_port``) with a
    certificate signed by a throw-away CA (``tls_files.ca_file``) that nobody trusts by default.
    Plain LOGIN stays allowed on the plain port (``disable_plaintext_auth=no``) because the tests
    run on loopback.
    """

    host = LOOPBACK

    def __init__(
        self,
        users: Mapping[str, str] | None = None,
        *,
        tls: bool = False,
        oauth2_introspection_url: str | None = None,
        special_use: Mapping[str, str] | None = None,
        oauth2_mechanisms: str = "xoauth2 oauthbearer",
    ) -> None:
        self.oauth2_mechanisms = oauth2_mechanisms
        self.oauth2_introspection_url = oauth2_introspection_url
        #: folder → RFC 6154 flag (e.g. ``{"Outgoing": "\\Sent"}``), created for every user
        self.special_use = dict(special_use or {})
        self.binary = require_binary(DOVECOT, PACKAGE)
        self.root = Path(tempfile.mkdtemp(prefix="reglament-dovecot-"))
        # Dovecot's auth and login processes run as other users and must read this directory.
        self.root.chmod(0o755)
        self.mail_dir = self.root / "mail"
        self.mail_dir.mkdir()
        self.config_file = self.root / "dovecot.conf"
        # One passwd file per user: Dovecot re-reads a changed passwd file at most once a second,
        # but a file it has never seen is read at the first login, so new users work at once.
        self.passwd_dir = self.root / "passwd.d"
        self.passwd_dir.mkdir()
        self.passwd_dir.chmod(0o755)
        self.log_file = self.root / "dovecot.log"
        self.port = free_port()
        self.tls_files: TlsFiles | None = make_tls_files(self.root / "tls") if tls else None
        self.tls_port: int | None = free_port() if tls else None
        self._users: dict[str, str] = {}
        self._users_lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize[[int], DovecotServer] | None = None
        if is_root():
            self._mail_uid, self._mail_gid = (
                pwd.getpwnam("nobody").pw_uid,
                grp.getgrnam("nogroup").gr_gid,
            )
            os.chown(self.mail_dir, self._mail_uid, self._mail_gid)
        else:
            self._mail_uid, self._mail_gid = os.getuid(), os.getgid()
        self._write_config()
        for name, password in (users or {}).items():
            self.add_user(name, password)

    # ------------------------------------------------------------------ set-up

    def _write_config(self) -> None:
        root = self.root
        lines = [
            f"base_dir = {root}/run",
            f"state_dir = {root}/state",
            f"log_path = {self.log_file}",
            "protocols = imap",
            f"listen = {LOOPBACK}",
            "disable_plaintext_auth = no",
            "auth_mechanisms = plain login"
            + (f" {self.oauth2_mechanisms}" if self.oauth2_introspection_url else ""),
            # The default 2 s delay would make every wrong-password test slow (a 0.5 s floor
            # remains: Dovecot flushes failed logins on a 500 ms timer).
            "auth_failure_delay = 0",
            "mail_max_userip_connections = 200",
            "mail_fsync = never",
            f"mail_location = maildir:{self.mail_dir}/%u",
            *self._oauth2_passdb(),
            *self._namespace(),
            "passdb {",
            "  driver = passwd-file",
            f"  args = scheme=PLAIN username_format=%u {self.passwd_dir}/%u",
            "}",
            "userdb {",
            "  driver = static",
            f"  args = uid={self._mail_uid} gid={self._mail_gid} home={self.mail_dir}/%u",
            "}",
        ]
        if self.tls_files is not None:
            lines += [
                "ssl = yes",
                f"ssl_cert = <{self.tls_files.cert_file}",
                f"ssl_key = <{self.tls_files.key_file}",
            ]
        else:
            lines.append("ssl = no")
        lines += [
            "service imap-login {",
            "  inet_listener imap {",
            f"    address = {LOOPBACK}",
            f"    port = {self.port}",
            "  }",
            "  inet_listener imaps {",
            f"    address = {LOOPBACK}",
            f"    port = {self.tls_port or 0}",
            "  }",
        ]
        if not is_root():
            lines.append("  chroot =")
        lines.append("}")
        # ...and so would the per-IP penalty after failures (2 s growing to 15 s). Dovecot's
        # documented switch: make the auth process unable to reach anvil's penalty socket.
        lines += [
            "service anvil {",
            "  unix_listener anvil-auth-penalty {",
            "    mode = 0",
            "  }",
        ]
        if not is_root():
            lines.append("  chroot =")
        lines.append("}")
        if not is_root():
            user = pwd.getpwuid(os.getuid()).pw_name
            group = grp.getgrgid(os.getgid()).gr_name
            lines = [
                f"default_login_user = {user}",
                f"default_internal_user = {user}",
                f"default_internal_group = {group}",
                *lines,
            ]
        self.config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _namespace(self) -> list[str]:
        if not self.special_use:
            return []
        lines = ["namespace inbox {", "  inbox = yes"]
        for folder, flag in self.special_use.items():
            lines += [f'  mailbox "{folder}" {{', f"    special_use = {flag}", "    auto = create", "  }"]
        return [*lines, "}"]

    def _oauth2_passdb(self) -> list[str]:
        """Dovecot's ``oauth2`` passdb: a bearer token is valid when the authorisation server's
        RFC 7662 introspection says it is active and names this user (``tests/servers/oauth.py``).
        """
        if not self.oauth2_introspection_url:
            return []
        ext = self.root / "dovecot-oauth2.conf.ext"
        ext.write_text(
            "\n".join([
                "introspection_mode = post",
                f"introspection_url = {self.oauth2_introspection_url}",
                "username_attribute = username",
                "active_attribute = active",
                "active_value = true",
                "",
            ]),
            encoding="utf-8",
        )
        ext.chmod(0o644)
        return [
            "passdb {",
            "  driver = oauth2",
            f"  mechanisms = {self.oauth2_mechanisms}",
            f"  args = {ext}",
            "}",
        ]

    def add_user(self, name: str, password: str) -> None:
        """Add a mailbox user; works while the server runs. Each name can be added once."""
        if not _USER_NAME.fullmatch(name):
            raise ValueError(f"test user names are [A-Za-z0-9._-]+, not {name!r}")
        if any(ch in password for ch in _FORBIDDEN_IN_PASSWD):
            raise ValueError("passwords for the test server cannot contain ':' or line breaks")
        with self._users_lock:
            if name in self._users:
                raise ValueError(f"user {name} exists (Dovecot may cache its old password)")
            self._users[name] = password
            path = self.passwd_dir / name
            tmp = path.with_suffix(".tmp")
            tmp.write_text(f"{name}:{{PLAIN}}{password}\n", encoding="utf-8")
            tmp.chmod(0o644)
            tmp.replace(path)

    def password(self, user: str) -> str:
        return self._users[user]

    @property
    def users(self) -> dict[str, str]:
        return dict(self._users)

    # ------------------------------------------------------------------ life cycle

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def log(self) -> str:
        return tail(self.log_file, 60)

    def _greets(self) -> bool:
        if self._process is not None and self._process.poll() is not None:
            raise ServerStartError(
                f"dovecot exited with code {self._process.returncode}\n{self.log()}"
            )
        try:
            with socket.create_connection((self.host, self.port), timeout=0.5) as sock:
                sock.settimeout(2)
                return sock.recv(200).startswith(b"* OK")
        except OSError:
            return False

    def start(self) -> None:
        """Start Dovecot and wait until it greets on the plain port (same port on every start)."""
        if self.running:
            return
        with open(self.root / "dovecot.stderr", "ab") as stderr:
            self._process = subprocess.Popen(
                [str(self.binary), "-F", "-c", str(self.config_file)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group, so kill() takes all children
            )
        # If the test process exits without close() (Ctrl-C, crash), do not leave Dovecot behind.
        self._finalizer = weakref.finalize(self, _kill_process_group, self._process.pid)
        wait_until(
            self._greets,
            20,
            f"Dovecot greeting on {self.host}:{self.port}",
            lambda: self.log() + tail(self.root / "dovecot.stderr"),
        )
        if self.tls_port is not None:
            wait_until(lambda: port_accepts(self.host, self.tls_port or 0), 10, "IMAPS port")

    def _wait_gone(self) -> None:
        wait_until(lambda: not port_accepts(self.host, self.port), 10, "Dovecot port to close")

    def stop(self) -> None:
        """Orderly shutdown (SIGTERM); open client connections are dropped by the server."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._kill_group()
        self._kill_group()  # any child that outlived the master
        self._process = None
        self._wait_gone()

    def kill(self) -> None:
        """Crash the whole server at once (SIGKILL to its process group): "the server died"."""
        if self._process is None:
            return
        self._kill_group()
        self._process.wait(10)
        self._process = None
        self._wait_gone()

    def _kill_group(self) -> None:
        assert self._process is not None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        _kill_process_group(self._process.pid)

    def restart(self, *, crash: bool = False) -> None:
        """Stop (or crash, with ``crash=True``) and start again on the same port and data."""
        if crash:
            self.kill()
        else:
            self.stop()
        self.start()

    def close(self) -> None:
        """Kill the server and remove every file it had (a graceful stop takes ~1 s: pointless)."""
        try:
            self.kill()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ mailbox content

    def client(self, user: str) -> IMAPClient:
        """A logged-in imapclient connection over loopback (AUTHENTICATE PLAIN: UTF-8 safe)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=30)
        client.plain_login(user, self._users[user])
        return client

    def append(
        self,
        user: str,
        message: Message,
        *,
        internaldate: dt.datetime | None = None,
        folder: str = "INBOX",
        flags: Sequence[str] = (),
    ) -> Appended:
        """APPEND one message; ``internaldate`` (aware) becomes its IMAP INTERNALDATE."""
        client = self.client(user)
        try:
            self._ensure_folder(client, folder)
            response = client.append(
                folder, _as_bytes(message), flags=tuple(flags), msg_time=internaldate
            )
            return _parse_appenduid(response)
        finally:
            client.logout()

    def append_many(
        self,
        user: str,
        messages: Iterable[Message | tuple[Message, dt.datetime]],
        *,
        folder: str = "INBOX",
        chunk_bytes: int = 4_000_000,
    ) -> Appended:
        """MULTIAPPEND many messages over one connection (fast enough for 5,000-message mailboxes).

        Items are raw messages or ``(message, internaldate)`` pairs. Returns all new UIDs in order.
        """
        client = self.client(user)
        uids: list[int] = []
        uidvalidity = 0
        try:
            self._ensure_folder(client, folder)
            chunk: list[dict[str, object]] = []
            size = 0

            def flush() -> None:
                nonlocal size, uidvalidity
                if chunk:
                    typ, data = client.multiappend(folder, chunk)
                    if typ != "OK":
                        raise ServerStartError(f"MULTIAPPEND failed: {typ} {data!r}")
                    answer = _parse_appenduid(b" ".join(d for d in data if isinstance(d, bytes)))
                    uidvalidity = answer.uidvalidity
                    uids.extend(answer.uids)
                    chunk.clear()
                    size = 0

            for item in messages:
                if isinstance(item, tuple):
                    raw, when = item
                    entry: dict[str, object] = {"msg": _as_bytes(raw), "date": when}
                else:
                    entry = {"msg": _as_bytes(item)}
                chunk.append(entry)
                size += len(entry["msg"])  # type: ignore[arg-type]
                if size >= chunk_bytes:
                    flush()
            flush()
        finally:
            client.logout()
        return Appended(uidvalidity, tuple(uids))

    @staticmethod
    def _ensure_folder(client: IMAPClient, folder: str) -> None:
        if folder.upper() != "INBOX" and not client.folder_exists(folder):
            client.create_folder(folder)

    def create_folder(self, user: str, folder: str) -> None:
        client = self.client(user)
        try:
            self._ensure_folder(client, folder)
        finally:
            client.logout()

    def status(self, user: str, folder: str = "INBOX") -> dict[str, int]:
        """UIDVALIDITY, UIDNEXT and MESSAGES of a folder, as the server reports them."""
        client = self.client(user)
        try:
            self._ensure_folder(client, folder)
            raw = client.folder_status(folder, [b"UIDVALIDITY", b"UIDNEXT", b"MESSAGES"])
            return {key.decode().lower(): int(value) for key, value in raw.items()}
        finally:
            client.logout()

    def uids(self, user: str, folder: str = "INBOX") -> list[int]:
        client = self.client(user)
        try:
            client.select_folder(folder, readonly=True)
            return sorted(int(uid) for uid in client.search("ALL"))
        finally:
            client.logout()

    def delete_messages(self, user: str, uids: Iterable[int], folder: str = "INBOX") -> None:
        """Flag \\Deleted and expunge: messages vanish from the mailbox as a user would do."""
        client = self.client(user)
        try:
            client.select_folder(folder)
            wanted = list(uids)
            client.delete_messages(wanted)
            client.uid_expunge(wanted)
        finally:
            client.logout()

    def _folder_dir(self, user: str, folder: str) -> Path:
        base = self.mail_dir / user
        return base if folder.upper() == "INBOX" else base / f".{folder}"

    def reset_uidvalidity(self, user: str, folder: str = "INBOX") -> int:
        """Make the server give ``folder`` a new UIDVALIDITY while keeping its messages.

        Dovecot keeps UIDs in ``dovecot-uidlist`` and its indexes; removing them (server stopped)
        makes it renumber every message under a fresh UIDVALIDITY, which is what a real server
        does after a mailbox rebuild or restore. Returns the new UIDVALIDITY.
        """
        before = self.status(user, folder)["uidvalidity"]
        was_running = self.running
        self.kill()  # APPENDs were acknowledged, so the message files are complete on disk
        folder_dir = self._folder_dir(user, folder)
        for path in folder_dir.iterdir():
            if (
                path.name == "dovecot-uidlist"
                or path.name.startswith("dovecot.index")
                or (path.name.startswith("dovecot.list.index"))
            ):
                path.unlink()
        self.start()
        after = self.status(user, folder)["uidvalidity"]
        if not was_running:
            self.stop()
        if after == before:
            raise ServerStartError(f"Dovecot kept UIDVALIDITY {before} for {user}/{folder}")
        return after
