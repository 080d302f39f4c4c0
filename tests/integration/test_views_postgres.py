"""Saved views on a team's PostgreSQL (R-UI-1, R-TEAM-2): a view one agent shares appears for
every workstation of the database, with its count; a private one for its owner only; and the
catalogues' retire/delete rules hold there too."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.errors import ValidationError
from desktop.services import catalogs, saved_views, tickets
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.reads.counts import view_counts
from desktop.services.reads.queue_spec import QueueSpec, fetch_ids, view_spec
from desktop.services.workspace import open_workspace
from tests.conftest import FixedClock

pytestmark = pytest.mark.integration


def _mail(n: int) -> bytes:
    return (f"From: client{n}@example.org\r\nSubject: Вопрос {n}\r\nMessage-ID: <v{n}@example.org>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nНе работает сайт").encode()


def test_shared_views_reach_every_workstation_of_the_team(tmp_path: Path, postgres_url: str) -> None:
    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    anna = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    boris = open_workspace(home=tmp_path / "b", db_url=postgres_url, clock=clock, actor="boris")
    try:
        made = ingest_batch(anna, None, "INBOX", None, [IncomingMail(None, anna.now(), _mail(n)) for n in range(3)])
        tickets.take_into_work(anna, made.new_tickets[0])
        shared = saved_views.save_view(anna, "Новые", {"status": "new", "search": "сайт"}, shared=True)
        private = saved_views.save_view(anna, "В работе", {"status": "in_progress"})
        assert [v.name for v in saved_views.views(boris)] == ["Новые"]
        assert view_counts(boris)[shared.key] == 2 and private.key not in view_counts(boris)
        assert view_counts(anna)[private.key] == 1
        assert fetch_ids(boris, view_spec(boris, "Новые")) == fetch_ids(boris, QueueSpec(status="new", search="сайт"))
        with pytest.raises(ValidationError):
            saved_views.rename_view(boris, shared.id, "Мои")
        saved_views.move_view(boris, shared.id, 1)  # the only one boris sees: stays
        saved_views.move_view(anna, private.id, -1)
        assert [v.name for v in saved_views.views(anna)] == ["В работе", "Новые"]
        saved_views.share_view(anna, shared.id, False)
        assert saved_views.views(boris) == []

        catalogs.add(anna, "department", "billing", "Billing", "Бухгалтерия")
        tickets.update_fields(boris, made.new_tickets[1], department="billing")
        catalogs.retire(boris, "department", "billing")
        with pytest.raises(ValidationError, match="retire it instead"):
            catalogs.delete(anna, "department", "billing")
    finally:
        anna.close()
        boris.close()


def test_the_compiled_first_screen_reads_postgresql_alike(tmp_path: Path, postgres_url: str) -> None:
    """The first screen compiled once per view shape gives PostgreSQL's rows as SQLAlchemy does."""
    from tests.unit.test_queue_head_compiled import SPECS, same_rows_as_sqlalchemy

    clock = FixedClock(datetime(2026, 11, 17, 7, 0, tzinfo=UTC))
    ws = open_workspace(home=tmp_path / "a", db_url=postgres_url, clock=clock, actor="anna")
    try:
        made = ingest_batch(ws, None, "INBOX", None, [IncomingMail(None, ws.now(), _mail(n)) for n in range(5)])
        tickets.take_into_work(ws, made.new_tickets[0])
        tickets.request_information(ws, made.new_tickets[1], "Пришлите скриншот")
        for spec in SPECS:
            same_rows_as_sqlalchemy(ws, spec)
    finally:
        ws.close()
