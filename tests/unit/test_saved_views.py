"""Saved views (R-UI-1): an agent keeps the filter bar's values under a name, private or shared
with the team; they are counted like the fixed views, ordered, renamed and deleted by their
owner only; ``reglament views`` and ``tickets --view`` do the same from the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.errors import NotFound, ValidationError
from desktop.services import saved_views
from desktop.services.reads.counts import view_counts
from desktop.services.reads.listing import list_tickets
from desktop.services.reads.queue_spec import QueueSpec, fetch_ids, view_spec
from desktop.services.workspace import open_workspace
from tests.conftest import DEMO_NOW, FixedClock


@pytest.fixture
def demo(tmp_path: Path, demo_template: Path):
    home = tmp_path / "demo"
    shutil.copytree(demo_template, home)
    opened = []

    def as_agent(login: str):
        w = open_workspace(home=home, clock=FixedClock(DEMO_NOW), actor=login)
        opened.append(w)
        return w

    yield home, as_agent
    for w in opened:
        w.close()


def test_a_saved_view_selects_and_counts_what_its_filter_does(demo) -> None:
    _home, as_agent = demo
    anna = as_agent("anna")
    spec = {"view": "all", "status": "new", "department": "technical", "search": "сайт"}
    view = saved_views.save_view(anna, "Сайт, новые", spec)
    expected = fetch_ids(anna, QueueSpec(view="all", status="new", department="technical", search="сайт"))
    assert expected and fetch_ids(anna, view_spec(anna, "Сайт, новые")) == expected
    assert view_counts(anna)[view.key] == len(expected)
    assert [r["tid"] for r in list_tickets(anna, view="Сайт, новые")] == [
        r["tid"] for r in list_tickets(anna) if r["tid"] in {t["tid"] for t in list_tickets(anna, view="Сайт, новые")}]
    # A saved view narrows a fixed one: "mine" of the agent who opens it.
    mine = saved_views.save_view(anna, "Мои срочные", {"view": "mine", "sla": "breached"})
    assert fetch_ids(anna, view_spec(anna, "Мои срочные")) == fetch_ids(anna, QueueSpec(view="mine", sla="breached"))
    assert [v.name for v in saved_views.views(anna)] == ["Сайт, новые", "Мои срочные"]
    saved_views.move_view(anna, mine.id, -1)
    assert [v.name for v in saved_views.views(anna)] == ["Мои срочные", "Сайт, новые"]


def test_private_views_are_the_owners_and_shared_ones_everyones(demo) -> None:
    _home, as_agent = demo
    anna, boris = as_agent("anna"), as_agent("boris")
    private = saved_views.save_view(anna, "Мой фильтр", {"status": "in_progress"})
    shared = saved_views.save_view(anna, "Команде", {"status": "new"}, shared=True)
    assert [v.name for v in saved_views.views(boris)] == ["Команде"]
    assert private.key not in view_counts(boris) and shared.key in view_counts(boris)
    with pytest.raises(ValidationError, match="anna's; only they"):
        saved_views.delete_view(boris, shared.id)
    with pytest.raises(NotFound):
        saved_views.rename_view(boris, private.id, "Чужой")
    with pytest.raises(NotFound):
        fetch_ids(boris, QueueSpec(view=private.key))
    saved_views.share_view(anna, private.id, True)
    assert {v.name for v in saved_views.views(boris)} == {"Команде", "Мой фильтр"}
    saved_views.rename_view(anna, shared.id, "Для всех")
    assert saved_views.find_view(boris, "Для всех").owner == "anna"
    saved_views.delete_view(anna, shared.id)
    assert [v.name for v in saved_views.views(boris)] == ["Мой фильтр"]


def test_a_bad_filter_or_name_is_refused_before_it_is_kept(demo) -> None:
    _home, as_agent = demo
    anna = as_agent("anna")
    for spec, words in (({"status": "lost"}, "unknown status"), ({"department": "nope"}, "no department"),
                        ({"plan": "gold"}, "no plan"), ({"view": "weekly"}, "narrows one of"),
                        ({"sla": "late"}, "unknown SLA"), ({"colour": "red"}, "keeps view")):
        with pytest.raises((ValidationError, NotFound), match=words):
            saved_views.save_view(anna, "Плохой", spec)
    with pytest.raises(ValidationError, match="needs a name"):
        saved_views.save_view(anna, "   ", {})
    saved_views.save_view(anna, "Один", {})
    with pytest.raises(ValidationError, match="already have"):
        saved_views.save_view(anna, "Один", {"status": "new"})
    assert saved_views.save_view(anna, "Один", {"status": "new"}, replace=True).spec["status"] == "new"
    assert saved_views.views(anna) == [saved_views.find_view(anna, "Один")]


def _run(home: Path, *args: str, actor: str = "anna") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    (home / "settings.json").write_text(json.dumps({"agent": actor}), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def test_views_on_the_command_line(demo) -> None:
    home, _as_agent = demo
    r = _run(home, "views", "save", "Новые тех", "--status", "new", "--department", "technical", "--shared")
    assert r.returncode == 0, r.stderr
    listed = json.loads(_run(home, "views", "list", "--json").stdout)
    assert listed[0]["name"] == "Новые тех" and listed[0]["shared"] and listed[0]["count"] >= 1
    rows = json.loads(_run(home, "tickets", "--view", "Новые тех", "--json").stdout)
    assert len(rows) == listed[0]["count"]
    assert {(t["status"], t["department"]) for t in rows} == {("new", "technical")}
    other = json.loads(_run(home, "views", "list", "--json", actor="boris").stdout)
    assert [v["name"] for v in other] == ["Новые тех"] and other[0]["mine"] is False
    refused = _run(home, "views", "delete", "Новые тех", actor="boris")
    assert refused.returncode == 1 and "only they can change" in refused.stderr
    assert _run(home, "views", "rename", "Новые тех", "Тех: новые").returncode == 0
    assert _run(home, "views", "delete", "Тех: новые").returncode == 0
    missing = _run(home, "tickets", "--view", "Тех: новые")
    assert missing.returncode == 1 and "no saved view" in missing.stderr
    assert _run(home, "views", "save", "x", "--sla", "late").returncode == 2
