"""An ingesting process for the concurrency tests: ``python -m tests.unit.ingest_child HOME NAME N [DB_URL]``.

It adds its own mailbox NAME and ingests N messages from senders of its own and then a reply to
each, ten per batch, with the product's ``ingest_batch`` — so two of them running at once interleave their transactions on
one database, each drawing ids for the rows it inserts (desktop/store/ids.py).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta


def main(argv: list[str]) -> int:
    home, name, count = argv[0], argv[1], int(argv[2])
    db_url = argv[3] if len(argv) > 3 else None
    from desktop.services.background.ingest import ingest_batch
    from desktop.services.background.ingest_batch import IncomingMail
    from desktop.services.workspace import open_workspace
    from desktop.store.models import MailAccount
    from tests.unit.test_ingest import mail

    ws = open_workspace(home=home, db_url=db_url, actor=name)
    start = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)  # the mailbox was connected as mail began to arrive
    with ws.db.session() as s:
        acc = MailAccount(name=name, email=f"{name}@reglament.test", imap_host="127.0.0.1", imap_port=143,
                          username=name, security="none", created_at=start)
        s.add(acc)
        s.flush()
        acc_id = acc.id
    raws = [mail(f"{name}: вопрос {i}", sender=f"user{i}@{name}.example", body=f"текст {i}",
                 msgid=f"<{name}-{i}@{name}.example>") for i in range(count)]
    # Then a reply to each, joining its ticket by In-Reply-To: batches that open no ticket, so
    # nothing but the id block takes the database's write lock before the ids are drawn.
    raws += [mail(f"Re: {name}: вопрос {i}", sender=f"user{i}@{name}.example", body=f"дополнение {i}",
                  msgid=f"<{name}-re-{i}@{name}.example>", extra=f"In-Reply-To: <{name}-{i}@{name}.example>\r\n")
             for i in range(count)]
    for first in range(0, len(raws), 10):
        batch = [IncomingMail(uid=first + i + 1, internaldate=start + timedelta(minutes=first + i), raw=r)
                 for i, r in enumerate(raws[first : first + 10])]
        ingest_batch(ws, acc_id, "INBOX", 1, batch, checkpoint_uid=batch[-1].uid)
    ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
