"""The open workspace: data folder, database, blobs, clock and the acting agent.

The CLI and the GUI both start by opening a ``Workspace``; every use case takes it as its first
argument. The clock is injectable so tests and the demo can pin "now" (ARCHITECTURE: time is an
argument).
"""

from __future__ import annotations

import getpass
import logging
import logging.handlers
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from desktop.config import Paths, ensure_home, load_local_settings, resolve_db_url, resolve_home
from desktop.domain.tickets import TidFormat
from desktop.services.seed import ensure_defaults
from desktop.store.blobs import BlobStore
from desktop.store.db import Database, open_database
from desktop.store.models import Agent, Setting

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


#: Workspace settings with their defaults; stored in the ``settings`` table when changed.
DEFAULT_SETTINGS: dict[str, Any] = {
    "tid.prefix": "TID",
    "tid.width": 6,
    "reopen.window_days": 14,
    "autoclose.after_days": 2,
    "autoclose.unit": "calendar",
    "autoclose.reminder_before_days": 1,
    "acceptance.window_days": 3,
    "acceptance.unit": "calendar",
    "acceptance.policy": "follow_up",
    "sla.warn_share": 0.75,
    "mail.autoreply_per_hour": 3,
    # Mail that was already in a mailbox when it was connected is history: it becomes tickets,
    # but only what arrived at most this many hours before gets an acknowledgement (connecting
    # a mailbox of years must not mail every client who ever wrote). Mail that arrives later
    # is always acknowledged, however late the sync sees it.
    "mail.ack_history_hours": 24,
    "mail.language": "ru",
    "act.number_pattern": "А-{year}-{seq:04d}",
    "act.vat_rate": None,
    "act.hour_rate": "2500.00",
    "executor": {
        "name": "ООО «Регламент Сервис»",
        "inn": "7701234567",
        "kpp": "770101001",
        "address": "125009, г. Москва, ул. Тверская, д. 7, офис 12",
        "signatory": "Иванов И. И.",
        "signatory_position": "Генеральный директор",
    },
}


@dataclass
class Workspace:
    paths: Paths
    db: Database
    clock: Clock = system_clock
    actor: str = field(default_factory=lambda: _default_login())
    local: dict[str, Any] = field(default_factory=dict)

    _blobs: BlobStore | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def blobs(self) -> BlobStore:
        # One store per workspace: it remembers which fan-out folders exist, which saves two
        # system calls on every blob a sync writes.
        if self._blobs is None or self._blobs.root != self.paths.blobs:
            self._blobs = BlobStore(self.paths.blobs)
        return self._blobs

    def now(self) -> datetime:
        return self.clock()

    def setting(self, key: str, session: Session | None = None) -> Any:
        if session is None:
            with self.db.session() as s:
                return self.setting(key, s)
        cacheable = key in DEFAULT_SETTINGS or key.startswith(MAIL_TEMPLATE_SETTING)
        cache = _settings_cache(session) if cacheable else None
        if cache is not None and key in cache:
            return cache[key]
        row = session.get(Setting, key)
        value = row.value if row is not None else DEFAULT_SETTINGS.get(key)
        if cache is not None:
            cache[key] = value
        return value

    def set_setting(self, key: str, value: Any, session: Session | None = None) -> None:
        if session is None:
            with self.db.session() as s:
                self.set_setting(key, value, s)
                return
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
        cache = _settings_cache(session)
        cache.pop(key, None)
        cache.pop(_TID_FORMAT, None)

    def tid_format(self, session: Session) -> TidFormat:
        cache = _settings_cache(session)
        fmt = cache.get(_TID_FORMAT)
        if fmt is None:
            fmt = TidFormat(str(self.setting("tid.prefix", session)), int(self.setting("tid.width", session)))
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


_SETTINGS_CACHE = "reglament.settings"
#: ``mail.template.<lang>.<kind>``: a workspace's own wording of an automatic mail (none: the
#: shipped file). Read once per unit of work like the settings above: a sync asks per ticket.
MAIL_TEMPLATE_SETTING = "mail.template."
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
) -> Workspace:
    paths = ensure_home(resolve_home(home))
    setup_logging(paths)
    local = load_local_settings(paths)
    db = open_database(resolve_db_url(paths, db_url))
    ws = Workspace(paths=paths, db=db, clock=clock or system_clock, local=local)
    ws.actor = actor or str(local.get("agent") or _default_login())
    if seed:
        ensure_defaults(db)
    return ws
