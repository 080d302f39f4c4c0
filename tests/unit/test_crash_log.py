"""A native crash leaves a report file that the next start finds once; a normal exit leaves none.

Each step runs in a process of its own: a crash has to really happen (faulthandler's own
segmentation fault), and the test process keeps its own faulthandler untouched.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CRASH = """
import faulthandler, sys
from datetime import datetime, UTC
from pathlib import Path
from desktop import crash_log
watcher = crash_log.watch(Path(sys.argv[1]), datetime.now(UTC))
print(watcher.path, flush=True)
faulthandler._sigsegv()
"""

NEXT_START = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from desktop import crash_log
watcher = crash_log.watch(Path(sys.argv[1]), datetime.now(UTC))
print(len(watcher.earlier))
for path in watcher.earlier:
    print(crash_log.mark_reported(path))
print(watcher.path.exists())
watcher.close()
print(watcher.path.exists())
"""


def _python(code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)


def test_a_native_crash_leaves_a_report_the_next_start_names_once(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    crashed = _python(CRASH, logs)
    assert crashed.returncode != 0
    report = Path(crashed.stdout.strip())
    text = report.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text and "line" in text

    first = _python(NEXT_START, logs).stdout.split("\n")
    assert first[0] == "1"
    reported = Path(first[1])
    assert reported.name.endswith(".reported.log") and reported.read_text(encoding="utf-8") == text
    assert first[2:4] == ["True", "False"]  # this run's empty report is gone after a normal exit

    again = _python(NEXT_START, logs).stdout.split("\n")
    assert again[0] == "0"
    assert sorted(p.name for p in logs.iterdir()) == [reported.name]
