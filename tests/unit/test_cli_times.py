"""The command line prints every moment with its offset, in the computer's own zone, so nobody
reads a deadline in the wrong zone; ``--json`` keeps the stored instant, offset included."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cli(home: Path, *args: str, tz: str = "Asia/Yekaterinburg") -> str:
    env = dict(os.environ, TZ=tz, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "desktop.cli", "--home", str(home), *args],
                         env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return out.stdout


def test_times_carry_their_offset(tmp_path):
    _cli(tmp_path, "demo")
    listing = _cli(tmp_path, "tickets")
    dues = re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d\S*", listing)
    assert dues and all(d.endswith("+05:00") for d in dues), listing
    rows = json.loads(_cli(tmp_path, "tickets", "--json"))
    row = next(r for r in rows if r["reaction_due_at"])
    stored = datetime.fromisoformat(row["reaction_due_at"])
    assert stored.utcoffset() is not None
    shown = _cli(tmp_path, "ticket", "show", row["tid"])
    assert stored.astimezone(datetime.fromisoformat(dues[0]).tzinfo).isoformat(timespec="minutes") in shown
    # The same instant read in Moscow says +03:00.
    assert "+03:00" in _cli(tmp_path, "ticket", "show", row["tid"], tz="Europe/Moscow")
