"""The background lanes under load: many tasks making Qt items side by side with the GUI thread.

A finished task used to be a ``QRunnable`` subclass the pool deleted on its own thread, which
released its Python wrapper without the interpreter lock; with workers making the queue's cells
by copying one item, that raced the other threads' wrappers and crashed the process. The load
runs in a child process, so a crash is this test failing, not the test run ending.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOAD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication

    from ui.queue_items import RowStyle
    from ui.workers import Runner

    app = QApplication([sys.argv[0], "-platform", "offscreen"])
    style, runner, model = RowStyle.of(False), Runner(), QStandardItemModel()
    texts = [f"cell {n}" for n in range(10)]
    done, errors = [], []

    def make():
        cell = style.cell
        rows = []
        for _ in range(14):
            row = []
            for text in texts:
                item = cell.clone()
                item.setText(text)
                row.append(item)
            rows.append(row)
        return rows

    def put(rows):
        model.setRowCount(0)
        for row in rows:
            model.appendRow(row)
        done.append(len(rows))

    for _ in range(400):
        runner.read(make, put, errors.append)
        app.processEvents()
    while runner.pending():
        app.processEvents()
    assert not errors, errors
    assert len(done) == 400 and model.rowCount() == 14
    assert model.item(13, 9).text() == "cell 9"
    assert model.item(0, 0).flags() == Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
    print("ok")
""")


def test_four_hundred_tasks_making_cells_beside_the_gui_thread_end_well() -> None:
    result = subprocess.run([sys.executable, "-c", LOAD], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
