"""``reglament ticket confirm-thread``, ``ticket move`` and ``ticket merge`` end to end, through a
subprocess on a data folder whose mail came in through the real ingest (R-CLI, R-MAIL-3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from desktop.services import clients
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.workspace import open_workspace
from tests.unit.test_ingest import account, mail


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REGLAMENT_HOME": str(home)}
    env.pop("REGLAMENT_DB_URL", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True, text=True,
                          env=env, timeout=180)


def _show(home: Path, tid: str) -> dict:
    r = _cli(home, "ticket", "show", tid, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _mailbox(home: Path) -> tuple[str, str]:
    """A client's ticket, a stranger's mail quoting its number, and a duplicate of it."""
    ws = open_workspace(home=home, actor="anna")
    try:
        clients.add_client(ws, "ООО «Ромашка»", domains=["romashka.ru"], plan="premium")
        clients.add_client(ws, "ООО «Лютик»", domains=["lutik.ru"], plan="commercial")
        acc = account(ws)
        at = datetime.now(UTC)

        def one(raw: bytes, uid: int):
            return ingest_batch(ws, acc, "INBOX", 1, [IncomingMail(uid=uid, internaldate=at, raw=raw)])

        tid = one(mail("Не работает оплата", body="Оплата картой падает с ошибкой."), 1).new_tickets[0]
        one(mail(f"Re: [{tid}] оплата", sender="ivan@lutik.ru", body="У нас тоже!"), 2)
        one(mail(f"Re: [{tid}] оплата", sender="petr@lutik.ru", body="И у нас."), 3)
        dup = one(mail("Не работает оплата!", sender="a.orlov@romashka.ru",
                       body="Оплата картой снова падает с ошибкой."), 4).new_tickets[0]
        return tid, dup
    finally:
        ws.close()


def test_confirm_move_and_merge_on_the_command_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    tid, dup = _mailbox(home)
    d = _show(home, tid)
    assert "thread_confirm" in d["flags"]
    ivan, petr = (m["id"] for m in d["messages"] if m["threaded_by"] == "tid_unconfirmed")

    r = _cli(home, "ticket", "move", str(ivan), "--new", "--subject", "Оплата у Лютика")
    assert r.returncode == 0, r.stderr
    new_tid = r.stdout.strip()
    new = _show(home, new_tid)
    assert (new["client"], new["plan"], new["subject"]) == ("ООО «Лютик»", "commercial", "Оплата у Лютика")

    r = _cli(home, "ticket", "confirm-thread", tid, str(petr))
    assert r.returncode == 0, r.stderr
    assert "thread_confirm" not in _show(home, tid)["flags"]
    r = _cli(home, "ticket", "move", str(petr), "--to", new_tid)
    assert r.returncode == 0 and new_tid in r.stdout
    assert [m["from"] for m in _show(home, new_tid)["messages"] if m["direction"] == "in"] == [
        "ivan@lutik.ru", "petr@lutik.ru"]

    shown = _cli(home, "ticket", "show", dup)
    assert f"possible duplicate of {tid}" in shown.stdout
    assert _show(home, dup)["duplicate_candidate"]["tid"] == tid
    r = _cli(home, "ticket", "merge", dup, "--into", tid, "--no-notify")
    assert r.returncode == 0, r.stderr
    assert _show(home, dup)["status"] == "duplicate"


def test_bad_moves_say_why_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    tid, _dup = _mailbox(home)
    first = _show(home, tid)["messages"][0]["id"]
    for args, code, words in [
        (("ticket", "move", "999999", "--to", tid), 1, "no message 999999"),
        (("ticket", "move", str(first), "--to", tid), 1, "already in"),
        (("ticket", "confirm-thread", tid, str(first)), 1, "needs no confirmation"),
        (("ticket", "move", str(first)), 2, "--to"),
        (("ticket", "move", str(first), "--to", tid, "--new"), 2, "not allowed"),
        (("ticket", "move", str(first), "--to", tid, "--subject", "x"), 2, "--subject goes with --new"),
        (("ticket", "move", "abc", "--new"), 2, "invalid int"),
    ]:
        r = _cli(home, *args)
        assert r.returncode == code, (args, r.stderr)
        assert words in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) <= 2 or code == 2
