"""A colleague's change and a colleague's reply, live on this window (R-TEAM-2).

Two workspaces on one database, as two workstations of a team: Boris's actions (his own
workspace, or his own window) reach Anna's window through the change feed — her queue row and
her open ticket are read again, or, while she writes, the ticket says who changed it and waits
for her; "Boris is replying" appears on the row and the ticket while his reply is open and goes
when he closes it or his workstation goes away.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.services import tickets
from desktop.services.background import presence
from desktop.services.workspace import Workspace, open_workspace
from tests.ui.conftest import settle
from tests.ui.test_actions import first_with, open_ticket, trigger

LIVE_MS = 10_000
STATUS = 4


@pytest.fixture
def boris(demo_ws, demo_clock) -> Iterator[Workspace]:
    ws = open_workspace(home=demo_ws.paths.home, clock=demo_clock, actor="boris")
    with ws.db.session() as s:
        ws.agent(s).name = "Boris"
    yield ws
    ws.close()


def _row_text(win, ticket_id: int, column: int) -> str | None:
    row = win.model.row_of(ticket_id)
    return None if row is None else win.model.data(win.model.index(row, column))


def test_a_colleagues_change_updates_the_row_and_the_open_ticket(qtbot, boris, window, demo_ws):
    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    ticket_id = window.detail.data.id
    qtbot.waitUntil(lambda: window.live._thread is not None, timeout=LIVE_MS)
    assert _row_text(window, ticket_id, STATUS) == "New"
    passes, fetches = window.live.passes, window.model.fetches

    tickets.take_into_work(boris, tid)  # on Boris's workstation

    qtbot.waitUntil(lambda: _row_text(window, ticket_id, STATUS) == "In progress", timeout=LIVE_MS)
    qtbot.waitUntil(lambda: window.detail.data.status == "in_progress", timeout=LIVE_MS)
    assert window.ticket_actions.actions["take"].isEnabled() is False
    assert window.live.passes > passes
    settle(qtbot, window)
    assert window.model.fetches == fetches  # the changed row alone was read, not the pages on screen
    assert not window.detail.changed_label.isVisible()

    # Anna starts a note: Boris's next change does not reload the ticket under her cursor.
    dlg = trigger(qtbot, window, "note")
    dlg.fields["text"].setPlainText("Черновик заметки")
    version = window.detail.data.version
    tickets.update_fields(boris, tid, priority="urgent")
    qtbot.waitUntil(lambda: window.detail.changed_label.isVisible(), timeout=LIVE_MS)
    assert "Changed by Boris" in window.detail.changed_label.text()
    assert window.detail.data.version == version
    assert dlg.fields["text"].toPlainText() == "Черновик заметки"
    window.detail.changed_label.linkActivated.emit("reload")  # she chooses to see it
    qtbot.waitUntil(lambda: window.detail.data.version > version, timeout=LIVE_MS)
    assert not window.detail.changed_label.isVisible()
    dlg.reject()
    settle(qtbot, window)


def test_a_colleague_replying_shows_on_the_row_and_the_ticket_and_goes(qtbot, window, demo_ws, boris):
    from ui.app import create_window

    tid = first_with(demo_ws, "new")
    open_ticket(qtbot, window, tid)
    ticket_id = window.detail.data.id
    qtbot.waitUntil(lambda: window.live._thread is not None, timeout=LIVE_MS)

    # Boris's own window on the same database, his reply open on the ticket.
    other = create_window(boris, demo=True, language="en")
    qtbot.addWidget(other)
    other.resize(1200, 800)
    other.show()
    qtbot.waitExposed(other)
    settle(qtbot, other)
    open_ticket(qtbot, other, tid)
    reply = trigger(qtbot, other, "reply")
    assert reply is not None

    qtbot.waitUntil(lambda: window.detail.replying_label.isVisible(), timeout=LIVE_MS)
    assert window.detail.replying_label.text() == "Boris is replying"
    assert _row_text(window, ticket_id, 1).startswith("✎ Boris is replying · ")
    # Boris's own window does not tell him he is replying.
    assert not other.detail.replying_label.isVisible()

    reply.discard()  # he thinks better of it
    settle(qtbot, other)
    qtbot.waitUntil(lambda: not window.detail.replying_label.isVisible(), timeout=LIVE_MS)
    assert not _row_text(window, ticket_id, 1).startswith("✎")

    # He opens it again, and his workstation goes away without closing it: the claim lapses.
    reply = trigger(qtbot, other, "reply")
    qtbot.waitUntil(lambda: window.detail.replying_label.isVisible(), timeout=LIVE_MS)
    reply.claim._timer.stop()  # no heartbeat from a workstation that is gone
    other.live.stop()
    boris.clock.advance(seconds=presence.TTL.total_seconds() + 1)  # type: ignore[attr-defined]
    window.live.read_presence()
    qtbot.waitUntil(lambda: not window.detail.replying_label.isVisible(), timeout=LIVE_MS)
    assert not _row_text(window, ticket_id, 1).startswith("✎")
    reply.discard()
    other.close()
    settle(qtbot, other)


def test_the_open_dashboard_follows_a_colleagues_change(qtbot, window, demo_ws, boris):
    tid = first_with(demo_ws, "new")
    qtbot.waitUntil(lambda: window.live._thread is not None, timeout=LIVE_MS)
    dash = window.dashboard_entry.open()
    qtbot.waitUntil(lambda: dash.loaded_count >= 1, timeout=LIVE_MS)
    settle(qtbot, window)
    before = dict(dash.data.dash.backlog_by_status)

    tickets.take_into_work(boris, tid)

    qtbot.waitUntil(lambda: dash.data.dash.backlog_by_status != before, timeout=LIVE_MS)
    after = dash.data.dash.backlog_by_status
    assert after.get("new", 0) == before.get("new", 0) - 1
    assert after.get("in_progress", 0) == before.get("in_progress", 0) + 1
    dash.close()


def test_the_status_bar_says_when_live_updates_wait_for_the_database(qtbot, window):
    from desktop.services.background.events import FeedState

    label = window.live.paused_label
    assert not label.isVisible()
    window.live.bridge.post(FeedState(False))  # as the feed's thread reports a lost connection
    qtbot.waitUntil(label.isVisible)
    assert label.text() == "Live updates paused: waiting for the database"
    window.live.bridge.post(FeedState(True))
    qtbot.waitUntil(lambda: not label.isVisible())


def test_a_ticket_a_colleague_takes_leaves_the_unassigned_view_at_once(qtbot, boris, window, demo_ws):
    tid = first_with(demo_ws, "new", assignee=None)
    window.views.select("unassigned")
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.live._thread is not None, timeout=LIVE_MS)
    ticket_id = get_id(demo_ws, tid)
    assert window.model.row_of(ticket_id) is not None
    rows = window.model.rowCount()

    tickets.take_into_work(boris, tid)

    qtbot.waitUntil(lambda: window.model.row_of(ticket_id) is None, timeout=LIVE_MS)
    assert window.model.rowCount() == rows - 1
    qtbot.waitUntil(lambda: window.views.count_of("unassigned") == rows - 1, timeout=LIVE_MS)


def get_id(ws, tid: str) -> int:
    from desktop.services.upkeep.lookup import get_ticket

    with ws.db.session() as s:
        return get_ticket(s, ws, tid).id
