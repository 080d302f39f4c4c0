"""Benchmark: start-up to the first painted window, and idle CPU with the countdown ticking.

Side by side in the same run, each in a fresh interpreter, alternating:

* a bare PySide6 program that shows an empty QMainWindow (the reference);
* Reglament opening a demo workspace (filled once beforehand: filling is not start-up).

Each child reports the moment its window first painted; the parent measures from spawning the
process. Reglament starts through the real ``reglament`` entry (``desktop.cli.main``) and reports
two moments: its first painted window (the frame with menus, views and "Loading…") and the first
paint of the queue with rows in it; both are compared with the bare window. Then Reglament stays open with its real timers (countdown tick, background refresh)
and its CPU time over an idle stretch is read from /proc via psutil.

Run: ``.venv/bin/python tests/bench/bench_startup.py [--runs 5] [--idle 60] [--home DIR]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow()
w.setWindowTitle("bare")
w.resize(1400, 900)
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print("PAINTED", flush=True)
            app.quit()
        return False
f = Painted()
w.installEventFilter(f)
w.show()
app.exec()
"""

CLI = r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTableView
from ui.app import application
app = application()
class Painted(QObject):
    frame = False
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and obj.isWidgetType():
            if not self.frame and obj.isWindow():
                self.frame = True
                print("FRAME", flush=True)
            view = obj.parent()
            if isinstance(view, QTableView) and view.objectName() == "queue" and view.model().rowCount():
                print("PAINTED", flush=True)
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
        return False
f = Painted()
app.installEventFilter(f)
from desktop.cli import main
sys.exit(main(["--home", {home!r}]))
"""

APP = r"""
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from desktop.services.workspace import open_workspace
from ui.app import application, create_window
from ui.errors import install_excepthook
app = application()
ws = open_workspace(home={home!r})
install_excepthook(ws.paths.log_file)
w = create_window(ws, demo=True)
w.resize(1400, 900)
idle = {idle}
class Painted(QObject):
    done = False
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint and not self.done and w.model.rowCount():
            self.done = True
            print("PAINTED", flush=True)
            if not idle:
                QTimer.singleShot(0, app.quit)
        return False
f = Painted()
w.table.viewport().installEventFilter(f)
w.show()
if idle:
    QTimer.singleShot(int(idle * 1000), app.quit)
app.exec()
w.close()
w.runner.wait()
print("TICKS", w.model.fetches, flush=True)
"""


def timed(code: str, env: dict[str, str]) -> float:
    return timed_both(code, env)[1]


def timed_both(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(first window painted, queue painted with rows), from spawning the process. A child
    that prints no FRAME line paints its whole window at once: both times are the same."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env)
    assert proc.stdout is not None
    frame = None
    for line in proc.stdout:
        if line.startswith("FRAME") and frame is None:
            frame = time.perf_counter() - t
        if line.startswith("PAINTED"):
            elapsed = time.perf_counter() - t
            break
    else:
        raise SystemExit("the child never painted")
    proc.wait(timeout=60)
    return (frame if frame is not None else elapsed), elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--idle", type=float, default=60.0)
    ap.add_argument("--home", help="start on this existing workspace instead of a fresh demo one "
                    "(e.g. bench_queue.py's 100,000 tickets in the temp folder)")
    args = ap.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONDONTWRITEBYTECODE"] = "0"

    sys.path.insert(0, str(ROOT))
    if args.home:
        home = Path(args.home)
    else:
        from desktop.services.demo import fill_demo
        from desktop.services.workspace import open_workspace

        home = Path(tempfile.mkdtemp(prefix="reglament-bench-startup-"))
        ws = open_workspace(home=home)
        fill_demo(ws)
        ws.close()

    try:
        cli_code = CLI.format(root=str(ROOT), home=str(home))
        timed(BARE, env)  # warm the file cache for both
        timed_both(cli_code, env)
        bare, frames, rows = [], [], []
        for _ in range(args.runs):
            bare.append(timed(BARE, env))
            f, r = timed_both(cli_code, env)
            frames.append(f)
            rows.append(r)
        b, fm, rm = statistics.median(bare), statistics.median(frames), statistics.median(rows)

        def runs(xs: list[float]) -> str:
            return ", ".join(f"{x * 1000:.0f}" for x in xs)

        where = home if args.home else "<demo workspace>"
        print(f"start-up to first painted window ({env['QT_QPA_PLATFORM']}, median of {args.runs}; Reglament "
              f"started as `reglament --home {where}`):")
        print(f"  bare PySide6 QMainWindow ........ {b * 1000:7.0f} ms   (runs: {runs(bare)})")
        print(f"  Reglament: first painted window . {fm * 1000:7.0f} ms   (runs: {runs(frames)})   "
              f"ratio {fm / b:5.2f}×  (target ≤ 2×)")
        print(f"  Reglament: queue painted w/ rows  {rm * 1000:7.0f} ms   (runs: {runs(rows)})   "
              f"ratio {rm / b:5.2f}×  (no target: the engine's import and the workspace's open follow the "
              f"painted frame)")

        if args.idle > 0:
            import psutil

            code = APP.format(root=str(ROOT), home=str(home), idle=args.idle + 5)
            proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, env=env)
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("PAINTED"):
                    break
            time.sleep(3)  # let the first refresh and the background preload finish
            p = psutil.Process(proc.pid)
            c0, t0 = p.cpu_times(), time.perf_counter()
            time.sleep(args.idle)
            c1, t1 = p.cpu_times(), time.perf_counter()
            cpu = (c1.user - c0.user + c1.system - c0.system) / (t1 - t0)
            proc.wait(timeout=60)
            print(f"idle with the countdown ticking ({args.idle:.0f} s, includes background refreshes): "
                  f"{cpu * 100:.2f}% of one core   (target < 1%)")
    finally:
        if not args.home:  # the demo workspace made for this run
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
