"""Who has a data folder open (desktop/store/holders.py): a live holder is seen by the others,
one that was killed leaves no false "in use" behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from desktop.store import holders

_HOLD = """
import sys, time
from pathlib import Path
from desktop.store import holders
holders.hold(Path(sys.argv[1]), "reglament sync")
print("held", flush=True)
time.sleep(60)
"""


def test_a_live_holder_is_seen_and_a_killed_one_is_forgotten(tmp_path: Path) -> None:
    mine = holders.hold(tmp_path, "the window")
    assert holders.others(tmp_path, mine) == []
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        seen = holders.others(tmp_path, mine)
        assert seen == [f"{child.pid} reglament sync"]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert holders.others(tmp_path, mine) == []  # its lock went with it; its file is cleared
    assert [p.name for p in (tmp_path / holders.FOLDER).glob("*.hold")] == [mine.path.name]
    mine.release()
    assert holders.others(tmp_path) == [] and not mine.path.exists()


def test_a_restore_in_progress_is_seen_and_only_one_at_a_time(tmp_path: Path) -> None:
    gate = holders.hold_for_restore(tmp_path)
    assert gate is not None and holders.restoring(tmp_path)
    assert holders.hold_for_restore(tmp_path) is None
    gate.release()
    assert not holders.restoring(tmp_path)
