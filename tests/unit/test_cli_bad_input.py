"""Bad input at the command line: one plain line, the documented exit code, nothing half-stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input")
    r = run(folder, "demo")
    assert r.returncode == 0, r.stderr
    return folder


def first_tid(home: Path) -> str:
    tid: str = json.loads(run(home, "tickets", "--json").stdout)[0]["tid"]
    return tid


def history_and_notes(home: Path, tid: str) -> str:
    return run(home, "ticket", "show", tid, "--json").stdout


def test_a_reader_that_goes_away_is_not_an_error(home: Path) -> None:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    for args in (["tickets"], ["tickets", "--json"]):
        proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", *args], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # `| head -1`
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 0
        assert err == b""


def test_an_unknown_status_is_a_usage_error(home: Path) -> None:
    r = run(home, "tickets", "--status", "bogus")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].endswith("unknown status 'bogus'; known: new, in_progress, "
                                                      "waiting_client, escalated, resolved, closed, "
                                                      "postponed, refused, inactive, duplicate")
    assert run(home, "tickets", "--status", "NEW").returncode == 0


def test_a_note_reads_standard_input_with_a_dash(home: Path) -> None:
    tid = first_tid(home)
    r = run(home, "ticket", "note", tid, "-", stdin="Клиент перезвонит после обеда.\nВторая строка.\n")
    assert r.returncode == 0, r.stderr
    shown = history_and_notes(home, tid)
    assert "Клиент перезвонит после обеда.\\nВторая строка." in shown
    r = run(home, "ticket", "note", tid, "-", stdin="   \n")
    assert r.returncode == 1 and r.stderr.strip() == "reglament: an empty note is not saved"


def test_a_refusal_names_huge_input_instead_of_echoing_it(home: Path) -> None:
    tid = first_tid(home)
    before = history_and_notes(home, tid)
    huge = "x" * 120_000
    r = run(home, "ticket", "refuse", tid, "--reason", huge)
    assert r.returncode == 1
    [line] = r.stderr.splitlines()
    assert len(line) < 400 and "(120,000 characters)" in line
    assert history_and_notes(home, tid) == before  # nothing stored half-way


def test_a_subject_longer_than_a_line_is_refused_before_anything_changes(home: Path) -> None:
    tid = first_tid(home)
    before = history_and_notes(home, tid)
    r = run(home, "ticket", "split", tid, "1", "--subject", "Тема " * 100)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].endswith(
        "argument --subject: the subject is 499 characters long; at most 250 are allowed"
    )
    assert history_and_notes(home, tid) == before


def test_a_usage_error_names_huge_input_instead_of_echoing_it(tmp_path: Path) -> None:
    r = run(tmp_path, "account", "add", "--name", "a", "--email", "a@b.example", "--imap-host", "h",
            "--security", "x" * 120_000, "--password-stdin", stdin="pw\n")
    assert r.returncode == 2
    last = r.stderr.strip().splitlines()[-1]
    assert len(last) < 400 and "characters)" in last and "invalid choice" in last
