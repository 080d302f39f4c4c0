"""The open workspace: data folder, database, blobs, clock and the acting agent.

The CLI and the GUI both start by opening a ``Workspace``; every use case takes it as its first
argument. The clock is injectable so tests and the demo can pin "now" (ARCHITECTURE: time is an
argument).
"""

from __future__ import annotations

import getpass
import logging
import logging.handlers
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, overload

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from desktop import settings, times
from desktop.config import Paths, ensure_home, load_local_settings, resolve_db_url, resolve_home
from desktop.domain.tickets import TidFormat
from desktop.errors import StorageError
from desktop.services.seed import ensure_defaults
from desktop.settings import Setting
from desktop.store import holders, safekeeping
from desktop.store.blobs import BlobStore
from desktop.store.db import Database, open_database
from desktop.store.integrity import sqlite_file
from desktop.store.models import Agent
from desktop.store.models import Setting as SettingRow

Clock = Callable[[], datetime]
T = TypeVar("T")


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    paths: Paths
    db: Database
    clock: Clock = system_clock
    actor: str = field(default_factory=lambda: _default_login())
    local: dict[str, Any] = field(default_factory=dict)

    _blobs: BlobStore | None = field(default=None, init=False, repr=False, compare=False)
    #: This process's mark on the data folder (store/holders.py), released by :meth:`close`.
    _hold: holders.Hold | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def blobs(self) -> BlobStore:
        # One store per workspace: it remembers which fan-out folders exist, which saves two
        # system calls on every blob a sync writes.
        if self._blobs is None or self._blobs.root != self.paths.blobs:
            self._blobs = BlobStore(self.paths.blobs)
        return self._blobs

    def now(self) -> datetime:
        return self.clock()

    @overload
    def setting(self, key: Setting[T], session: Session | None = None) -> T: ...

    @overload
    def setting(self, key: str, session: Session | None = None) -> Any: ...

    def setting(self, key: Setting[Any] | str, session: Session | None = None) -> Any:
        """A setting's value in its declared type (:mod:`desktop.settings`).

        Pass the declaration (``ws.setting(settings.AUTOCLOSE_DAYS, s)`` is an ``int``) or its
        key. An undeclared key is refused at once; a stored value the declaration does not take
        is reported by name as a ConfigError here, before anyone computes with it."""
        name = key.key if isinstance(key, Setting) else key
        if not settings.is_declared(name):
            settings.declared(name)  # raises UnknownSetting naming the known keys
        if session is None:
            with self.db.session() as s:
                return self.setting(key, s)
        cache = _settings_cache(session)
        if name in cache:
            return cache[name]
        row = session.get(SettingRow, name)
        if row is not None:
            value = settings.from_store(name, row.value)
        elif settings.MAIL_TEMPLATES.owns(name):
            value = None
        else:
            value = settings.declared(name).default
        cache[name] = value
        return value

    def set_setting(self, key: Setting[Any] | str, value: Any, session: Session | None = None) -> None:
        """Store a setting after checking it against its declaration (SettingRefused names it).

        Only the value's own type and bounds are checked here; rules joining several settings
        (a reminder before the close) belong to ``services.regulation``."""
        name = key.key if isinstance(key, Setting) else key
        typed = settings.checked(name, value)
        if session is None:
            with self.db.session() as s:
                self.set_setting(name, typed, s)
                return
        stored = settings.dumped(name, typed)
        row = session.get(SettingRow, name)
        if row is None:
            session.add(SettingRow(key=name, value=stored))
        else:
            row.value = stored
        cache = _settings_cache(session)
        cache.pop(name, None)
        cache.pop(_TID_FORMAT, None)

    def tid_format(self, session: Session) -> TidFormat:
        cache = _settings_cache(session)
        fmt = cache.get(_TID_FORMAT)
        if fmt is None:
            fmt = TidFormat(self.setting(settings.TID_PREFIX, session), self.setting(settings.TID_WIDTH, session))
            cache[_TID_FORMAT] = fmt
        return fmt

    def agent(self, session: Session) -> Agent:
        """The acting agent's row, created on first use so history always names a person."""
        agent = session.scalar(select(Agent).where(Agent.login == self.actor))
        if agent is None:
            agent = Agent(login=self.actor, name=self.actor, role="agent")
            session.add(agent)
            session.flush()
        return agent

    def close(self) -> None:
        self.db.dispose()
        if self._hold is not None:  # after the database's seal: restore may go ahead now
            self._hold.release()
            self._hold = None


_SETTINGS_CACHE = "reglament.settings"
#: ``mail.template.<lang>.<kind>``: a workspace's own wording of an automatic mail (none: the
#: shipped file), declared as a family in :mod:`desktop.settings`. Read once per unit of work
#: like the other settings: a sync asks per ticket.
MAIL_TEMPLATE_SETTING = settings.MAIL_TEMPLATES.prefix
_TID_FORMAT = "reglament.tid_format"


def _settings_cache(session: Session) -> dict[str, Any]:
    """Settings read in this unit of work (``session.info`` lives and dies with the session).

    A sync asked for the TID format four times per message, two reads each. Scoping the cache
    to one transaction keeps it exact: another workstation's change is seen by the next unit of
    work, and a change made through :meth:`Workspace.set_setting` in this one drops the entry.
    """
    cache: dict[str, Any] = session.info.setdefault(_SETTINGS_CACHE, {})
    return cache


def _forget_settings(session: Session) -> None:
    session.info.pop(_SETTINGS_CACHE, None)


# A session used for several transactions sees each one's settings afresh.
event.listen(Session, "after_commit", _forget_settings)
event.listen(Session, "after_rollback", _forget_settings)


def _default_login() -> str:
    try:
        return getpass.getuser() or "agent"
    except Exception:  # no login name in some containers/services
        return "agent"


def setup_logging(paths: Paths) -> None:
    """Tracebacks go to the data folder's log file, never to the user's screen."""
    root = logging.getLogger()
    if any(getattr(h, "_reglament", False) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._reglament = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def open_workspace(
    home: str | Path | None = None,
    db_url: str | None = None,
    clock: Clock | None = None,
    actor: str | None = None,
    seed: bool = True,
    check_settings: bool = True,
    daily_backup: bool = True,
) -> Workspace:
    """Open the data folder and its database. ``check_settings=False`` is for the one command
    that repairs a bad stored setting (``reglament settings set``): it must open to fix it.
    ``daily_backup=False``: the day's first open does not take the daily backup here (a few
    seconds at 100k tickets) — the window leaves it to its sync process."""
    paths = ensure_home(resolve_home(home))
    setup_logging(paths)
    local = settings.check_local(load_local_settings(paths), paths.local_settings)
    if holders.restoring(paths.home):
        raise StorageError("a backup is being restored into {home}; open it again when that is done",
                           home=paths.home)
    url = resolve_db_url(paths, db_url)
    kept = local.get(settings.LOCAL_BACKUP_KEEP.key)
    keep = settings.LOCAL_BACKUP_KEEP.default if kept in (None, "") else int(kept)
    hold = holders.hold(paths.home, " ".join(sys.argv[:3]))
    file = sqlite_file(url)
    existed = file is not None and file.exists()
    try:
        db = open_database(url, before_upgrade=safekeeping.before_upgrade(paths, url, keep),
                           others_have_it_open=bool(holders.others(paths.home, hold)))
    except BaseException:
        hold.release()
        raise
    ws = Workspace(paths=paths, db=db, clock=clock or system_clock, local=local)
    ws._hold = hold
    ws.actor = actor or str(local.get(settings.LOCAL_AGENT.key) or _default_login())
    times.set_viewer_zone(str(local.get(settings.LOCAL_DISPLAY_ZONE.key) or ""))
    try:
        if seed:
            ensure_defaults(db)
        if check_settings:
            check_stored_settings(db)
        if existed and daily_backup:  # a database made a moment ago has nothing to keep yet
            safekeeping.daily(paths, url, keep)
    except BaseException:
        ws.close()
        raise
    return ws


def check_stored_settings(db: Database) -> None:
    """Every stored setting checked against its declaration when the workspace opens (one
    query), so a bad row is named at start rather than met later in the middle of a sync.
    Rows of keys no longer declared (an older version's) are left alone: nothing reads them."""
    with db.session() as s:
        for key, value in s.execute(select(SettingRow.key, SettingRow.value)):
            if settings.is_declared(key):
                settings.from_store(key, value)
