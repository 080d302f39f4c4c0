"""A sync process for the crash tests to SIGKILL: ``python -m tests.integration.sync_child HOME ID N``.

It runs the product's own ``sync_account_once`` (batch size N) on the workspace in HOME and prints
one line per event — ``ready``, ``progress DONE TOTAL`` after each committed batch, ``done …`` —
so the parent can kill it at a chosen moment. The password comes from the keyring named by
``PYTHON_KEYRING_BACKEND`` (the test's file keyring), exactly as in production.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    home, account_id, batch_size = argv[0], int(argv[1]), int(argv[2])
    from desktop.services.background.sync import sync_account_once
    from desktop.services.workspace import open_workspace

    ws = open_workspace(home=home, actor="sync-child")
    print("ready", flush=True)

    def progress(done: int, total: int) -> None:
        print(f"progress {done} {total}", flush=True)

    report = sync_account_once(ws, account_id, progress, batch_size=batch_size)
    print(f"done fetched={report.fetched} error={report.error} skipped={report.skipped}", flush=True)
    ws.close()
    return 0 if report.ok and report.skipped is None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
