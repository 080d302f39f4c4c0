"""The demo workspace: realistic clients, plans and tickets so a newcomer sees Reglament work.

Everything is generated through the same use cases an agent would trigger, on a clock that walks
forward through the past fortnight, so history, notifications and SLA deadlines are all real.
The generator is seeded and anchored to the workspace clock: with a fixed clock (screenshots,
tests) the workspace is identical every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update

from desktop.domain.tickets import Category, Channel, Direction, Flag, Priority, Status
from desktop.services import clients, tickets
from desktop.services.tickets.create import NewTicket, add_message_in, create_ticket_in
from desktop.services.tickets.lifecycle import client_replied_in, set_status_in
from desktop.services.upkeep.lookup import get_ticket
from desktop.services.workspace import Workspace
from desktop.store.models import Agent, Attachment, OutboxItem, Ticket

CLIENTS = (
    # name, domains, plan, contract, active_until, priority, language, inn, address
    ("ООО «Ромашка»", ["romashka.ru"], "premium", "П-2024/117", date(2027, 6, 30), True, "ru",
     "7714123456", "119021, г. Москва, ул. Льва Толстого, д. 16"),
    ("АО «ТехноСтрой»", ["technostroy.ru"], "commercial", "К-2025/042", date(2027, 1, 31), False, "ru",
     "7802345678", "190000, г. Санкт-Петербург, Невский пр., д. 28"),
    ("ИП Петров Сергей Николаевич", ["petrov-shop.ru"], "free", None, None, False, "ru",
     "540123456789", "630099, г. Новосибирск, ул. Ленина, д. 3"),
    ("Northwind Trading Ltd", ["northwind.example.com"], "commercial", "EN-2025-7", date(2027, 3, 31),
     False, "en", None, "12 Harbour Street, Leeds LS1 4AB, United Kingdom"),
    ("ООО «Старый сайт»", ["oldsite.ru"], "commercial", "К-2023/015", date(2026, 3, 31), False, "ru",
     "6658123456", "620014, г. Екатеринбург, ул. Малышева, д. 51"),
    ("Медицинский центр «Здоровье»", ["zdorovie-med.ru"], "priority", "ПР-2025/003", date(2027, 12, 31),
     True, "ru", "1655123456", "420111, г. Казань, ул. Баумана, д. 44"),
)

AGENTS = (
    ("anna", "Анна Смирнова", "lead"),
    ("dmitry", "Дмитрий Козлов", "agent"),
    ("olga", "Ольга Новикова", "agent"),
)


@dataclass(frozen=True)
class Scenario:
    subject: str
    body: str
    follow_up: str
    category: Category
    lang: str


RU = [
    Scenario("Не работает форма обратной связи на сайте",
             "Добрый день!\n\nС утра форма «Обратная связь» на странице /contacts не отправляет сообщения: "
             "после нажатия «Отправить» страница просто перезагружается.\nПроверьте, пожалуйста.",
             "Проверили ещё раз — ошибка сохраняется в Chrome и Firefox.", Category.DEFECT, "ru"),
    Scenario("Изменить телефон в шапке сайта",
             "Здравствуйте! Просим заменить номер телефона в шапке сайта на +7 (495) 123-45-67.",
             "Спасибо, ждём.", Category.CONTENT_CHANGE, "ru"),
    Scenario("Сайт недоступен после обновления",
             "Срочно! После вчерашнего обновления сайт отдаёт ошибку 500 на всех страницах каталога.",
             "Ошибка появляется и на мобильной версии.", Category.RECOVERY, "ru"),
    Scenario("Как выгрузить заказы в Excel?",
             "Подскажите, пожалуйста, как выгрузить список заказов за октябрь в Excel.",
             "Нашли кнопку экспорта, но файл пустой.", Category.CONSULTATION, "ru"),
    Scenario("Не приходят письма с уведомлениями о заказах",
             "Клиенты жалуются, что не получают письма о подтверждении заказа. Началось примерно неделю назад.",
             "Прикладываем заголовки одного из писем.", Category.DEFECT, "ru"),
    Scenario("Добавить новый раздел «Акции»",
             "Нужно добавить в меню раздел «Акции» и разместить там три баннера (файлы во вложении).",
             "Баннеры обновили, используйте новую версию.", Category.CONTENT_CHANGE, "ru"),
    Scenario("Ошибка при оплате картой",
             "При оплате картой покупатели видят сообщение «Платёж отклонён», хотя деньги списываются.",
             "Номер одного из заказов: 10452.", Category.DEFECT, "ru"),
    Scenario("Восстановить удалённую страницу",
             "Сотрудник случайно удалил страницу «Доставка». Можно ли её восстановить из резервной копии?",
             "Страница была доступна по адресу /delivery.", Category.RECOVERY, "ru"),
]
EN = [
    Scenario("Checkout page shows a blank screen",
             "Hello,\n\nSince this morning the checkout page is blank for customers using Safari. "
             "Could you take a look urgently?",
             "It also happens on iPhone.", Category.DEFECT, "en"),
    Scenario("Update the opening hours on the Contact page",
             "Hi, please change our opening hours to Mon-Fri 8:00-17:00 on the Contact page.",
             "Thanks!", Category.CONTENT_CHANGE, "en"),
    Scenario("How do I add a new user to the admin panel?",
             "Hi team, how can I give my colleague access to the admin panel with editor rights only?",
             "She needs to edit news only.", Category.CONSULTATION, "en"),
]

#: Who ``reglament --demo`` works as: an agent with tickets of every kind in the demo.
DEMO_AGENT = "anna"

# (status path, client index or None for unidentified, channel, priority, hours ago, assignee)
PLAN: list[tuple[str, int | None, Channel, Priority, float, str | None]] = [
    ("new", 0, Channel.EMAIL, Priority.NORMAL, 1.0, None),
    ("new", 1, Channel.EMAIL, Priority.NORMAL, 5.0, None),
    ("new", 2, Channel.EMAIL, Priority.LOW, 30.0, None),
    ("new", 3, Channel.EMAIL, Priority.NORMAL, 20.0, None),
    ("new", None, Channel.EMAIL, Priority.NORMAL, 3.0, None),
    ("new", 4, Channel.EMAIL, Priority.NORMAL, 26.0, None),
    ("new", 5, Channel.EMAIL, Priority.URGENT, 0.15, None),  # 24/7, 10 min: in the warning zone
    ("new", 0, Channel.EMAIL, Priority.HIGH, 2.5, None),
    ("new", 1, Channel.PORTAL, Priority.NORMAL, 60.0, None),
    ("new", 2, Channel.EMAIL, Priority.NORMAL, 90.0, None),
    ("in_progress", 0, Channel.EMAIL, Priority.NORMAL, 4.0, "dmitry"),
    ("in_progress", 1, Channel.EMAIL, Priority.HIGH, 28.0, "olga"),
    ("in_progress", 3, Channel.EMAIL, Priority.NORMAL, 50.0, "anna"),
    ("in_progress", 5, Channel.PHONE, Priority.URGENT, 2.0, "dmitry"),
    ("in_progress", 2, Channel.EMAIL, Priority.NORMAL, 70.0, "olga"),
    ("in_progress", 1, Channel.CHAT, Priority.NORMAL, 6.0, "anna"),
    ("waiting_client", 0, Channel.EMAIL, Priority.NORMAL, 30.0, "dmitry"),
    ("waiting_client", 1, Channel.EMAIL, Priority.NORMAL, 75.0, "olga"),
    ("waiting_client", 3, Channel.EMAIL, Priority.NORMAL, 100.0, "anna"),
    ("waiting_client", 2, Channel.EMAIL, Priority.LOW, 20.0, "dmitry"),
    ("escalated", 0, Channel.EMAIL, Priority.HIGH, 26.0, "anna"),
    ("escalated", 5, Channel.EMAIL, Priority.HIGH, 10.0, "dmitry"),
    ("escalated", 1, Channel.EMAIL, Priority.NORMAL, 80.0, "olga"),
    ("resolved", 0, Channel.EMAIL, Priority.NORMAL, 50.0, "dmitry"),
    ("resolved", 1, Channel.EMAIL, Priority.NORMAL, 120.0, "olga"),
    ("resolved", 3, Channel.EMAIL, Priority.NORMAL, 150.0, "anna"),
    ("resolved", 5, Channel.EMAIL, Priority.HIGH, 40.0, "dmitry"),
    ("closed", 0, Channel.EMAIL, Priority.NORMAL, 200.0, "dmitry"),
    ("closed", 1, Channel.EMAIL, Priority.NORMAL, 240.0, "olga"),
    ("closed", 2, Channel.EMAIL, Priority.NORMAL, 260.0, "anna"),
    ("closed", 3, Channel.EMAIL, Priority.LOW, 300.0, "dmitry"),
    ("postponed", 1, Channel.EMAIL, Priority.LOW, 90.0, "olga"),
    ("postponed", 2, Channel.EMAIL, Priority.NORMAL, 110.0, "anna"),
    ("refused", 4, Channel.EMAIL, Priority.NORMAL, 60.0, "dmitry"),
    ("refused", None, Channel.EMAIL, Priority.NORMAL, 130.0, "olga"),
    ("refused", 2, Channel.EMAIL, Priority.NORMAL, 170.0, "anna"),
    ("inactive", 1, Channel.EMAIL, Priority.NORMAL, 220.0, "dmitry"),
    ("inactive", 3, Channel.EMAIL, Priority.NORMAL, 250.0, "olga"),
    ("duplicate", 0, Channel.EMAIL, Priority.NORMAL, 3.5, "dmitry"),
    ("duplicate", 1, Channel.EMAIL, Priority.NORMAL, 29.0, "olga"),
    ("in_progress", 0, Channel.EMAIL, Priority.NORMAL, 8.0, "anna"),
    ("new", 3, Channel.EMAIL, Priority.NORMAL, 0.5, None),
    ("new", 0, Channel.EMAIL, Priority.NORMAL, 0.05, None),
    ("in_progress", 5, Channel.EMAIL, Priority.NORMAL, 1.5, "olga"),
    # On the 24/7 plan these are in the same SLA state whatever day the demo is opened:
    ("new", 5, Channel.EMAIL, Priority.NORMAL, 2.0, None),  # 1 h reaction: breached
    ("waiting_client", 5, Channel.EMAIL, Priority.HIGH, 6.0, "olga"),  # resolution clock paused
    ("new", 5, Channel.EMAIL, Priority.HIGH, 0.1, None),  # 30 min reaction: ok
]

PEOPLE = {
    0: [("Мария Иванова", "m.ivanova"), ("Алексей Орлов", "a.orlov")],
    1: [("Игорь Васильев", "vasiliev"), ("Елена Кузнецова", "e.kuznetsova")],
    2: [("Сергей Петров", "sergey")],
    3: [("John Carter", "john.carter"), ("Emily Stone", "e.stone")],
    4: [("Павел Сидоров", "p.sidorov")],
    5: [("Наталья Морозова", "it"), ("Виктор Лебедев", "v.lebedev")],
}

# A tiny valid PNG (1×1 pixel) and a short text file stand in for screenshots and logs.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005fe02fea7d6a4ed0000000049454e44ae426082"
)


class _DemoClock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t


def fill_demo(ws: Workspace, force: bool = False) -> int:
    """Add the sample data; refuses to mix it into a workspace that already has tickets."""
    with ws.db.session() as s:
        if not force and (s.scalar(select(func.count(Ticket.id))) or 0) > 0:
            return 0
    rng = random.Random(20261122)
    real_clock, real_actor = ws.clock, ws.actor
    anchor = real_clock().replace(second=0, microsecond=0)
    clock = _DemoClock(anchor - timedelta(days=15))
    ws.clock = clock
    made = 0
    try:
        _clients_and_agents(ws)
        with ws.db.session() as s:
            client_ids = dict(
                (name, cid) for cid, name in ((c.id, c.name) for c in clients.list_clients(ws))
            )
        ids = [client_ids[c[0]] for c in CLIENTS]
        for n, (path, cidx, channel, prio, hours_ago, assignee) in enumerate(PLAN):
            scenario = _scenario(cidx, n, rng)
            received = anchor - timedelta(hours=hours_ago)
            clock.t = received
            person, local = _person(cidx, n)
            requester = (
                f"{local}@{CLIENTS[cidx][1][0]}" if cidx is not None else f"user{n}@gmail.com"
            )
            ws.actor = "mail"
            with ws.db.session() as s:
                t = create_ticket_in(
                    s, ws,
                    NewTicket(
                        subject=scenario.subject, requester=requester, requester_name=person,
                        received_at=received, text=scenario.body, channel=channel,
                        category=scenario.category, priority=prio,
                        department="consultations" if scenario.category is Category.CONSULTATION else "technical",
                        client_id=ids[cidx] if cidx is not None else None,
                        written_only=channel in (Channel.PHONE, Channel.CHAT) and n % 2 == 0,
                    ),
                )
                m = add_message_in(
                    s, ws, t, Direction.INCOMING if channel is not Channel.PHONE else Direction.NOTE,
                    text=scenario.body, subject=scenario.subject, received_at=received,
                    from_addr=requester, from_name=person, threaded_by="new_ticket",
                    message_id=f"<demo-{n}-1@{requester.partition('@')[2]}>", size=len(scenario.body),
                )
                if n % 4 == 1:
                    _attach(ws, s, m.id, "screenshot.png", "image/png", PNG)
                if n % 6 == 2:
                    _attach(ws, s, m.id, "ошибка-лог.txt", "text/plain",
                            b"2026-11-20 10:14:03 ERROR 500 /catalog\n" * 20)
                tid = t.tid
            ws.actor = assignee or real_actor
            _walk(ws, clock, tid, path, scenario, requester, person, received, anchor, n)
            made += 1
        _mark_history_sent(ws)
    finally:
        ws.clock, ws.actor = real_clock, real_actor
    return made


def _scenario(cidx: int | None, n: int, rng: random.Random) -> Scenario:
    pool = EN if cidx == 3 else RU
    return pool[(n + rng.randrange(len(pool))) % len(pool)]


def _person(cidx: int | None, n: int) -> tuple[str, str]:
    if cidx is None:
        return ("Незнакомый отправитель", f"user{n}")
    people = PEOPLE[cidx]
    return people[n % len(people)]


def _attach(ws: Workspace, s, message_id: int, name: str, ctype: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    s.add(Attachment(message_id=message_id, filename=name, content_type=ctype, size=len(data),
                     sha256=ws.blobs.put(data)))


def _step(clock: _DemoClock, anchor: datetime, minutes: float) -> None:
    clock.t = min(clock.t + timedelta(minutes=minutes), anchor - timedelta(minutes=1))


def _client_writes(ws: Workspace, clock: _DemoClock, tid: str, scenario: Scenario, requester: str,
                   person: str, n: int, k: int) -> None:
    with ws.db.session() as s:
        t = get_ticket(s, ws, tid)
        add_message_in(
            s, ws, t, Direction.INCOMING, text=scenario.follow_up, subject=f"Re: [{tid}] {scenario.subject}",
            received_at=clock.t, from_addr=requester, from_name=person, threaded_by="tid",
            message_id=f"<demo-{n}-{k}@{requester.partition('@')[2]}>",
        )
        client_replied_in(s, ws, t, clock.t)


def _walk(ws: Workspace, clock: _DemoClock, tid: str, path: str, scenario: Scenario, requester: str,
          person: str, received: datetime, anchor: datetime, n: int) -> None:
    """Drive the ticket to its demo status through the real use cases."""
    ru = scenario.lang == "ru"
    if path == "new":
        if n == 1:
            tickets.set_flag(ws, tid, Flag.POSSIBLE_DUPLICATE, True)
        return
    if path == "duplicate":
        with ws.db.session() as s:
            t = get_ticket(s, ws, tid)
            original = s.scalar(
                select(Ticket.tid).where(Ticket.client_id == t.client_id, Ticket.id != t.id,
                                         Ticket.status.in_(("new", "in_progress")))
                .order_by(Ticket.received_at).limit(1)
            )
        _step(clock, anchor, 20)
        if original:
            tickets.merge(ws, tid, original)
        return
    _step(clock, anchor, 25)
    tickets.take_into_work(ws, tid)
    if path == "in_progress":
        if n % 3 == 0:
            _step(clock, anchor, 30)
            tickets.add_note(ws, tid, "Воспроизвёл на тестовом стенде, смотрю логи." if ru
                             else "Reproduced on staging, checking the logs.")
        return
    if path == "escalated":
        _step(clock, anchor, 40)
        tickets.escalate(ws, tid, note="Передано разработчикам: нужна правка в модуле оплаты." if ru
                         else "Handed to development: needs a fix in the payment module.")
        return
    if path in ("waiting_client", "inactive"):
        _step(clock, anchor, 30)
        tickets.request_information(
            ws, tid,
            "Уточните, пожалуйста, в каком браузере и на какой странице возникает проблема." if ru
            else "Could you tell us which browser and page show the problem?",
        )
        if path == "inactive":
            _step(clock, anchor, 60 * 24 * 2 + 30)
            ws.actor = "timers"
            with ws.db.session() as s:
                t = get_ticket(s, ws, tid)
                set_status_in(s, ws, t, Status.INACTIVE, "timers", trigger="auto_close")
                from desktop.services.upkeep.outgoing import notify_client

                notify_client(s, ws, t, "inactive")
        return
    if path in ("postponed", "refused"):
        _step(clock, anchor, 45)
        if path == "postponed":
            tickets.postpone(ws, tid, "insufficient_info" if n % 2 else "cannot_reproduce")
        else:
            reason = {33: "no_contract", 34: "client_not_identified"}.get(n, "out_of_scope")
            tickets.refuse(ws, tid, reason)
        return
    # resolved / closed: a short exchange, work logged, then done
    _step(clock, anchor, 50)
    tickets.request_information(ws, tid, "Пришлите, пожалуйста, снимок экрана с ошибкой." if ru
                                else "Please send us a screenshot of the error.")
    _step(clock, anchor, 90)
    _client_writes(ws, clock, tid, scenario, requester, person, n, 2)
    _step(clock, anchor, 120)
    tickets.log_work(ws, tid, "Диагностика и исправление ошибки" if ru else "Diagnosis and fix", 90,
                     "3750.00" if n % 2 else None)
    tickets.log_work(ws, tid, "Проверка на рабочем сайте" if ru else "Verification on the live site", 30,
                     "1250.00" if n % 2 else None)
    if n % 2:
        tickets.set_paid(ws, tid, True, "Работы вне рамок тарифа" if ru else "Work outside the plan")
    _step(clock, anchor, 30)
    tickets.resolve(ws, tid, summary="Ошибка исправлена, проверьте, пожалуйста." if ru
                    else "Fixed; please check.")
    if path == "closed":
        _step(clock, anchor, 60 * 24)
        tickets.close(ws, tid)


def _clients_and_agents(ws: Workspace) -> None:
    have = {c.name for c in clients.list_clients(ws)}
    for name, domains, plan, contract, until, prio, lang, inn, address in CLIENTS:
        if name in have:
            continue
        cid = clients.add_client(ws, name, domains=domains, plan=plan, contract_no=contract,
                                 contract_date=date(2025, 1, 15) if contract else None,
                                 active_until=until, priority=prio, inn=inn, address=address)
        with ws.db.session() as s:
            from desktop.store.models import Client

            c = s.get(Client, cid)
            assert c is not None
            c.language = lang
            c.kpp = "771401001" if inn and len(inn) == 10 else None
            person = PEOPLE[[c[0] for c in CLIENTS].index(name)][0][0].split()
            c.signatory = f"{person[-1]} {person[0][0]}." if lang == "ru" else " ".join(person)
            c.signatory_position = "Генеральный директор" if lang == "ru" else "Director"
    with ws.db.session() as s:
        for login, name, role in AGENTS:
            if s.scalar(select(Agent).where(Agent.login == login)) is None:
                s.add(Agent(login=login, name=name, role=role, email=f"{login}@support.example"))


def _mark_history_sent(ws: Workspace) -> None:
    """Demo notifications are the past: mark them sent so the outbox shows only real work."""
    with ws.db.session() as s:
        s.execute(update(OutboxItem).where(OutboxItem.status == "pending")
                  .values(status="sent", sent_at=OutboxItem.created_at, attempts=1))
