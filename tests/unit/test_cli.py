"""The ``reglament`` command end to end through subprocess (R-CLI contract, exit codes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REQUIRED = {"tid", "status", "subject", "requester", "client", "plan", "department", "received_at",
            "reaction_due_at", "paid", "message_count", "flags"}


def run(home: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    e = {**os.environ, "REGLAMENT_HOME": str(home)}
    e.pop("REGLAMENT_DB_URL", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, env=e, input=stdin, timeout=180)


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo")
    r = run(home, "demo")
    assert r.returncode == 0, r.stderr
    assert "tickets added" in r.stdout
    return home


def test_version() -> None:
    r = subprocess.run([sys.executable, "-m", "desktop.cli", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("reglament ")


def test_demo_is_rich(demo_home: Path) -> None:
    r = run(demo_home, "tickets", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) >= 40
    assert all(set(row) >= REQUIRED for row in rows)
    statuses = {row["status"] for row in rows}
    assert statuses == {"new", "in_progress", "waiting_client", "escalated", "resolved", "closed",
                        "postponed", "refused", "inactive", "duplicate"}
    assert len({row["client"] for row in rows}) >= 6  # 6 clients + unidentified (None)
    assert any("client_not_identified" in row["flags"] for row in rows)
    assert len({row["department"] for row in rows}) >= 2
    assert any(row["paid"] for row in rows)
    assert any(row["message_count"] >= 3 for row in rows)
    due = [row["reaction_due_at"] for row in rows if row["reaction_due_at"]]
    assert due and all("+00:00" in d for d in due)


def test_demo_twice_adds_nothing(demo_home: Path) -> None:
    r = run(demo_home, "demo")
    assert r.returncode == 0 and "0 tickets added" in r.stdout


def test_ticket_show_json(demo_home: Path) -> None:
    rows = json.loads(run(demo_home, "tickets", "--json").stdout)
    with_att = None
    for row in rows:
        d = json.loads(run(demo_home, "ticket", "show", row["tid"], "--json").stdout)
        if any(m["attachments"] for m in d["messages"]):
            with_att = d
            break
    assert with_att is not None
    m = with_att["messages"][0]
    assert {"direction", "from", "subject", "date", "text", "attachments", "threaded_by"} <= set(m)
    a = next(a for msg in with_att["messages"] for a in msg["attachments"])
    assert {"filename", "size", "sha256"} <= set(a) and len(a["sha256"]) == 64
    assert with_att["history"] and with_att["history"][0]["action"] == "created"


def test_status_filter_and_stats(demo_home: Path) -> None:
    rows = json.loads(run(demo_home, "tickets", "--status", "waiting_client", "--json").stdout)
    assert rows and all(r["status"] == "waiting_client" for r in rows)
    st = json.loads(run(demo_home, "stats", "--json").stdout)
    assert set(st) == {"tickets", "messages", "quarantined", "outbox_pending", "outbox_waiting",
                       "outbox_backing_off", "outbox_failed",
                       # the ticket counts the views panel and the dashboard show (reads.counts)
                       "mine", "unassigned", "waiting", "breaching", "awaiting_acceptance", "rework_due", "open",
                       "breached", "warning"}
    assert st["tickets"] >= 40 and st["messages"] > st["tickets"]


def test_client_add_and_list(tmp_path: Path) -> None:
    r = run(tmp_path, "client", "add", "--name", "ООО «Вектор»", "--email-domain", "vector.ru",
            "--email", "boss@gmail.com", "--plan", "commercial", "--contract", "К-77",
            "--active-until", "2027-01-31", "--priority")
    assert r.returncode == 0, r.stderr
    data = json.loads(run(tmp_path, "client", "list", "--json").stdout)
    assert data[0]["name"] == "ООО «Вектор»" and data[0]["plan"] == "commercial"
    assert data[0]["domains"] == ["vector.ru"] and data[0]["emails"] == ["boss@gmail.com"]
    assert data[0]["priority"] is True and data[0]["active_until"] == "2027-01-31"
    dup = run(tmp_path, "client", "add", "--name", "ООО «Вектор»")
    assert dup.returncode == 1 and dup.stderr.count("\n") == 1 and "already exists" in dup.stderr
    bad = run(tmp_path, "client", "add", "--name", "X", "--plan", "gold")
    assert bad.returncode == 1 and "unknown plan 'gold'" in bad.stderr


def test_plan_list(tmp_path: Path) -> None:
    plans = json.loads(run(tmp_path, "plan", "list", "--json").stdout)
    assert [p["code"] for p in plans] == ["free", "commercial", "premium", "priority"]
    text = run(tmp_path, "plan", "list").stdout
    assert "48 h" in text and "24 h" in text and "3 h" in text


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    r = run(tmp_path, "ticket", "show", "TID-000404")
    assert r.returncode == 1 and r.stderr == "reglament: there is no ticket TID-000404\n"
    r = run(tmp_path, "tickets", env={"REGLAMENT_DB_URL": "nosuchdb://x"})
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.startswith("reglament: ")
    r = run(tmp_path, "tickets", "--status", "weird")
    assert r.returncode == 2 and "unknown status" in r.stderr  # a usage error (issue 17)


def test_usage_error_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path, "tickets", "--bogus").returncode == 2
    assert run(tmp_path, "client").returncode == 2


def test_corrupt_database_file(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "reglament.db").write_bytes(b"this is not a database" * 100)
    r = run(home, "tickets")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "database" in r.stderr


def test_damaged_settings_file_is_named_with_what_to_do(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "settings.json").write_text('{"agent": "anna", broken', encoding="utf-8")
    r = run(home, "tickets")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "settings.json is damaged" in r.stderr and "move it away" in r.stderr
    (home / "settings.json").write_text("[1, 2]", encoding="utf-8")
    r = run(home, "tickets")
    assert r.returncode == 1 and "does not hold a settings object" in r.stderr and "move it away" in r.stderr
    assert (home / "settings.json").read_text(encoding="utf-8") == "[1, 2]"  # left for the user to look at


def test_unwritable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = run(blocker / "sub", "tickets")
    assert r.returncode == 1 and "cannot be written" in r.stderr and "Traceback" not in r.stderr


def test_db_flag_and_env_are_honoured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(tmp_path / "h", "--db", url, "client", "add", "--name", "A").returncode == 0
    assert (tmp_path / "other.db").exists()
    listed = json.loads(run(tmp_path / "h2", "client", "list", "--json", env={"REGLAMENT_DB_URL": url}).stdout)
    assert [c["name"] for c in listed] == ["A"]


def test_ticket_actions_from_the_command_line(tmp_path: Path) -> None:
    assert run(tmp_path, "demo").returncode == 0
    new = next(r for r in json.loads(run(tmp_path, "tickets", "--status", "new", "--json").stdout)
               if r["client"])
    tid = new["tid"]
    assert run(tmp_path, "ticket", "take", tid).returncode == 0
    assert run(tmp_path, "ticket", "reply", tid, "-", stdin="Проверяем, ответим сегодня.").returncode == 0
    assert run(tmp_path, "ticket", "work", tid, "Диагностика", "--minutes", "45").returncode == 0
    assert run(tmp_path, "ticket", "assign", tid, "olga").returncode == 0
    bad = run(tmp_path, "ticket", "assign", tid, "nobody")
    assert bad.returncode == 1 and "no agent 'nobody'" in bad.stderr
    d = json.loads(run(tmp_path, "ticket", "show", tid, "--json").stdout)
    assert d["status"] == "in_progress" and d["assignee"] == "olga"
    assert d["messages"][-1]["text"] == "Проверяем, ответим сегодня."
    first_in = next(m["id"] for m in d["messages"] if m["direction"] == "in")
    assert run(tmp_path, "ticket", "reply", tid, "x").returncode == 0
    split = run(tmp_path, "ticket", "split", tid, str(first_in))  # our replies stay behind
    assert split.returncode == 0, split.stderr
    moved = json.loads(run(tmp_path, "ticket", "show", split.stdout.strip(), "--json").stdout)
    assert [m["id"] for m in moved["messages"]] == [first_in]
    explain = run(tmp_path, "sla", "explain", tid, "--lang", "ru")
    assert explain.returncode == 0 and "Норматив" in explain.stdout


def test_output_cut_short_by_the_reader_is_not_an_error(tmp_path) -> None:
    """``reglament settings list | head -1``: the pipe closes early; exit quietly, no 'unexpected error'."""
    import subprocess
    import sys

    with subprocess.Popen([sys.executable, "-m", "desktop.cli", "--home", str(tmp_path), "settings", "list"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # the reader is gone before the rest is written
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert "unexpected error" not in err and "Traceback" not in err, err
    assert code == 0
