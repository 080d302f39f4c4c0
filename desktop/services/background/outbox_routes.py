"""The outbox drain's ways out and its record of what happened (desktop/services/background/outbox.py).

* :class:`Routes` — one mail account's SMTP session per drain, opened on first use with the
  account's settings and password (read from the keyring once per drain, not per message),
  shared by the items queued without an account; each route carries the circuit breaker's count.
* :class:`Recorder` — one connection held for the drain that records each server answer in a
  commit of its own, with nothing around it: on the way of every message the ORM's unit of work
  cost as much as the commit itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, Update, bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError

from desktop import secrets
from desktop.errors import ReglamentError
from desktop.mail import smtp, smtp_session
from desktop.services.accounts import smtp_password, smtp_settings
from desktop.services.workspace import Workspace
from desktop.store.models import MailAccount, OutboxItem

Connect = Callable[[smtp.SmtpSettings, str | None], smtp_session.SmtpSession]


def settle(ws: Workspace, ids: Sequence[int], **values: object) -> None:
    """Set ``values`` on these items if they are still ``sending`` (one ordinary transaction)."""
    with ws.db.session() as s:
        s.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(list(ids)), OutboxItem.status == "sending")
            .values(**values)
            .execution_options(synchronize_session=False)
        )


class Recorder:
    """One connection held for the drain, recording each answer of the server in a commit of
    its own with nothing around it: on the way of every message, the ORM's unit of work cost as
    much as the commit itself. The statement for each set of columns is built once and run with
    parameters (building and caching a new one per message cost five times the execution)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._conn: Connection | None = None
        self._statements: dict[tuple[str, ...], Update] = {}

    def _statement(self, keys: tuple[str, ...]) -> Update:
        statement = self._statements.get(keys)
        if statement is None:
            table = cast(Table, OutboxItem.__table__)
            statement = self._statements[keys] = (
                update(table).where(table.c.id == bindparam("settled_id"), table.c.status == "sending")
                .values({key: bindparam(f"settled_{key}") for key in keys})
            )
        return statement

    def settle(self, ids: Sequence[int], **values: object) -> None:
        keys = tuple(sorted(values))
        params = [{"settled_id": i, **{f"settled_{k}": values[k] for k in keys}} for i in ids]
        try:
            if self._conn is None:
                self._conn = self.ws.db.engine.connect()
            self._conn.execute(self._statement(keys), params[0] if len(params) == 1 else params)
            self._conn.commit()
        except SQLAlchemyError:
            self.close()
            settle(self.ws, ids, **values)  # once more the ordinary way, with its plain errors

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.close()
            self._conn = None


class NoRoute(ReglamentError):
    """Nothing can be sent for this account now, and trying later may help."""


@dataclass
class Route:
    """One account's way out: its connection (opened on first use) and its breaker."""

    account: MailAccount
    settings: smtp.SmtpSettings | None = None
    session: smtp_session.SmtpSession | None = None
    failures: int = 0
    down: ReglamentError | None = None  # the breaker opened with this reason


class Routes:
    def __init__(self, ws: Workspace, connect: Connect) -> None:
        self.ws = ws
        self.connect = connect
        self.by_account: dict[int | None, Route | NoRoute] = {}

    def for_item(self, item: OutboxItem) -> Route:
        key = item.account_id
        if key not in self.by_account:
            self.by_account[key] = self._resolve(key)
        found = self.by_account[key]
        if isinstance(found, NoRoute):
            raise found
        return found

    def _resolve(self, account_id: int | None) -> Route | NoRoute:
        with self.ws.db.session() as s:
            acc = s.get(MailAccount, account_id) if account_id is not None else None
            if acc is None or not acc.enabled:
                acc = s.scalar(select(MailAccount).where(MailAccount.enabled.is_(True)).order_by(MailAccount.id))
            if acc is None:
                return NoRoute("no enabled mail account to send from; add one with `reglament account add`")
            s.expunge(acc)
        for route in self.by_account.values():  # items without an account share the fallback's
            if isinstance(route, Route) and route.account.id == acc.id:
                return route
        return Route(acc)

    def open(self, route: Route) -> smtp_session.SmtpSession:
        if route.session is None:
            route.settings = smtp_settings(route.account)
            try:
                password = smtp_password(route.account) if route.settings.user else None
            except (secrets.KeyringUnavailable, secrets.SecretMissing) as error:
                raise smtp_session.SessionDown(error) from None
            route.session = self.connect(route.settings, password)
        route.session.open()
        return route.session

    def routes(self) -> Iterator[Route]:
        seen: set[int] = set()
        for route in self.by_account.values():
            if isinstance(route, Route) and id(route) not in seen:
                seen.add(id(route))
                yield route

    def close(self) -> int:
        opened = 0
        for route in self.routes():
            if route.session is not None:
                opened += route.session.opened
                route.session.close()
        return opened
