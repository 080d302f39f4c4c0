"""Mail → tickets without a server (R-MAIL-3..6): correlation, idempotence, quarantine, loops."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from desktop.services import clients, tickets
from desktop.services.background.ingest import ingest_batch
from desktop.services.background.ingest_batch import IncomingMail
from desktop.services.reads import listing
from desktop.store.models import MailAccount, OutboxItem, Quarantined, SyncState

T0 = datetime(2026, 11, 17, 7, 0, tzinfo=UTC)


def mail(subject: str, sender: str = "m.ivanova@romashka.ru", body: str = "Здравствуйте!",
         msgid: str | None = None, extra: str = "") -> bytes:
    msgid = msgid or f"<{abs(hash((subject, sender, body, extra)))}@romashka.ru>"
    from email.header import Header

    return (
        f"From: Мария <{sender}>\r\nTo: support@reglament.test\r\n"
        f"Subject: {Header(subject, 'utf-8').encode()}\r\nMessage-ID: {msgid}\r\n"
        f"Date: Tue, 17 Nov 2026 09:58:00 +0300\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + body.encode()


def account(ws) -> int:
    with ws.db.session() as s:
        acc = MailAccount(name="support", email="support@reglament.test", imap_host="127.0.0.1",
                          imap_port=143, username="support", security="none", created_at=ws.now())
        s.add(acc)
        s.flush()
        return acc.id


def ingest(ws, acc, *raws: bytes, uidvalidity: int = 1, start_uid: int = 1, at: datetime = T0):
    batch = [IncomingMail(uid=start_uid + i, internaldate=at, raw=r) for i, r in enumerate(raws)]
    return ingest_batch(ws, acc, "INBOX", uidvalidity, batch)


def test_new_mail_opens_ticket_acknowledged_with_tid(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"], plan="commercial")
    acc = account(ws)
    r = ingest(ws, acc, mail("Не работает форма на сайте"), at=T0 - timedelta(minutes=5))
    assert len(r.new_tickets) == 1 and r.acknowledged == 1
    d = listing.ticket_detail(ws, r.new_tickets[0])
    assert d["client"] == "Ромашка" and d["received_at"] == (T0 - timedelta(minutes=5)).isoformat()
    ack = next(m for m in d["messages"] if m["direction"] == "out")
    assert f"[{d['tid']}]" in ack["subject"] and "сохраняйте номер" in ack["text"]
    # received Tue 09:55 MSK + 24 working hours (Commercial) → Thu 15:55, with its zone named
    assert "19.11.2026 15:55 (Europe/Moscow, UTC+03:00)" in ack["text"]
    with ws.db.session() as s:
        state = s.scalars(select(SyncState)).one()
        assert (state.uidvalidity, state.last_uid) == (1, 1)


def test_reply_with_tid_joins_and_stranger_is_flagged(ws, clock) -> None:
    clients.add_client(ws, "Ромашка", domains=["romashka.ru"])
    acc = account(ws)
    tid = ingest(ws, acc, mail("Ошибка оплаты")).new_tickets[0]
    r = ingest(ws, acc, mail(f"Re: [{tid.lower()}] Ошибка оплаты", sender="a.orlov@romashka.ru",
                             body="Номер заказа 10452"), start_uid=2)
    assert r.joined == [tid] and r.new_tickets == []
    r = ingest(ws, acc, mail(f"Ответ: Пересл: [{tid}] что-то", sender="spam@evil.example"), start_uid=3)
    assert r.joined == [tid]
    d = listing.ticket_detail(ws, tid)
    assert "thread_confirm" in d["flags"]
    assert [m["threaded_by"] for m in d["messages"] if m["direction"] == "in"] == [
        "new_ticket", "tid", "tid_unconfirmed"]


def test_reply_without_tid_joins_by_references(ws, clock) -> None:
    acc = account(ws)
    tid = ingest(ws, acc, mail("Вопрос по выгрузке", sender="x@example.org")).new_tickets[0]
    ack_id = next(m for m in listing.ticket_detail(ws, tid)["messages"] if m["direction"] == "out")["message_id"]
    r = ingest(ws, acc, mail("Re: Вопрос по выгрузке", sender="x@example.org",
                             extra=f"In-Reply-To: {ack_id}\r\nReferences: {ack_id}\r\n"), start_uid=2)
    assert r.joined == [tid]
    assert listing.ticket_detail(ws, tid)["messages"][-1]["threaded_by"] == "references"


def test_same_batch_twice_stores_nothing_twice(ws, clock) -> None:
    acc = account(ws)
    raws = [mail(f"Вопрос {i}", body=f"текст {i}") for i in range(5)]
    ingest(ws, acc, *raws)
    again = ingest(ws, acc, *raws)
    assert again.skipped == 5 and again.new_tickets == []
    moved = ingest(ws, acc, *raws, uidvalidity=2)  # mailbox rebuilt: same mail, new UIDs
    assert moved.skipped == 5
    assert listing.stats(ws)["tickets"] == 5


def test_unparseable_mail_is_quarantined_not_lost(ws, clock) -> None:
    acc = account(ws)
    r = ingest(ws, acc, b"")
    with ws.db.session() as s:
        q = s.scalars(select(Quarantined)).all()
    assert r.quarantined + len(r.new_tickets) == 1
    if r.quarantined:
        assert q[0].error and ws.blobs.exists(q[0].raw_sha256)
    assert listing.stats(ws)["quarantined"] == r.quarantined


def test_auto_replies_get_no_acknowledgement(ws, clock) -> None:
    acc = account(ws)
    r = ingest(ws, acc,
               mail("Out of office", sender="bob@example.org", extra="Auto-Submitted: auto-replied\r\n"),
               mail("Delivery failure", sender="mailer-daemon@example.org", body="bounce"),
               mail("Рассылка", sender="news@example.org", extra="Precedence: bulk\r\nList-Id: <n.example.org>\r\n"))
    assert len(r.new_tickets) == 3 and r.acknowledged == 0 and sum(r.suppressed.values()) == 3


def test_acknowledgements_rate_limited_per_sender(ws, clock) -> None:
    acc = account(ws)
    raws = [mail(f"Отдельный вопрос номер {i}", sender="busy@example.org", body=f"b{i}") for i in range(5)]
    r = ingest(ws, acc, *raws)
    assert r.acknowledged == 3  # default: 3 per sender per hour
    with ws.db.session() as s:
        assert s.scalar(select(func.count(OutboxItem.id)).where(OutboxItem.kind == "ack")) == 3


def test_flags_empty_subject_several_questions_possible_duplicate(ws, clock) -> None:
    acc = account(ws)
    r = ingest(ws, acc, mail("", sender="a@example.org"),
               mail("Не отправляется почта с сайта", sender="b@example.org",
                    body="Форма обратной связи не присылает письма с утра."),
               mail("Не отправляется почта с сайта!", sender="b@example.org",
                    body="Повторно: форма обратной связи не присылает письма с утра!"),
               mail("Несколько вопросов", sender="c@example.org",
                    body="1. Как сменить логотип?\n\n2. Почему не работает корзина?\n\n"
                         "3. Можно ли добавить раздел новостей?"),
               # The same subject, another question: a subject alone is no duplicate.
               mail("Не отправляется почта с сайта", sender="b@example.org",
                    body="Как добавить второй адрес получателя для заявок из корзины?"))
    flags = {t: listing.ticket_detail(ws, t)["flags"] for t in r.new_tickets}
    assert "empty_subject" in flags[r.new_tickets[0]]
    assert "possible_duplicate" in flags[r.new_tickets[2]]
    assert "possible_duplicate" not in flags[r.new_tickets[1]]
    assert "several_questions" in flags[r.new_tickets[3]]
    assert "possible_duplicate" not in flags[r.new_tickets[4]]
    assert listing.ticket_detail(ws, r.new_tickets[2])["duplicate_candidate"]["tid"] == r.new_tickets[1]


def test_reply_to_resolved_reopens_and_long_closed_opens_new(ws, clock) -> None:
    acc = account(ws)
    tid = ingest(ws, acc, mail("Сайт недоступен", sender="x@example.org")).new_tickets[0]
    tickets.take_into_work(ws, tid, notify=False)
    tickets.resolve(ws, tid, notify=False)
    clock.advance(days=1)
    r = ingest(ws, acc, mail(f"Re: [{tid}] Сайт недоступен", sender="x@example.org", body="снова"),
               start_uid=2, at=clock())
    assert r.joined == [tid] and listing.ticket_detail(ws, tid)["status"] == "in_progress"
    tickets.resolve(ws, tid, notify=False)
    tickets.close(ws, tid)
    clock.advance(days=30)
    r = ingest(ws, acc, mail(f"Re: [{tid}] Сайт недоступен", sender="x@example.org", body="опять"),
               start_uid=3, at=clock())
    assert len(r.new_tickets) == 1 and r.new_tickets[0] != tid
    assert listing.ticket_detail(ws, tid)["status"] == "closed"
    hist = listing.ticket_detail(ws, r.new_tickets[0])["history"]
    assert any(h["action"] == "follow_up_of" and h["new"] == tid for h in hist)


def test_reply_to_merged_duplicate_goes_to_original(ws, clock) -> None:
    acc = account(ws)
    a, b = ingest(ws, acc, mail("Ошибка 500", sender="x@example.org", body="1"),
                  mail("Ошибка 500 снова", sender="x@example.org", body="2")).new_tickets
    tickets.merge(ws, b, a)
    r = ingest(ws, acc, mail(f"Re: [{b}] Ошибка 500", sender="x@example.org", body="3"), start_uid=3)
    assert r.joined == [a]
