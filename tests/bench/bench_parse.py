"""Parse-speed benchmark for :func:`desktop.mail.parse.parse_message`.

The ingest target (issue 4) is "at least as fast as mbsync", so the parser must leave headroom for
correlation and storage.  The reference measured side by side is the stdlib ``email`` parser with
``policy.compat32`` plus a walk that transfer-decodes every leaf — the cheapest honest way to get the
same information from the standard library.  Run: ``.venv/bin/python tests/bench/bench_parse.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import random
import statistics
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.mail.parse import parse_message

WORDS_RU = ["добрый", "день", "не", "работает", "сайт", "после", "обновления", "прошу", "проверить", "почту", "ошибка", "при", "входе", "личный", "кабинет", "счёт", "оплата", "договор", "хостинг", "домен", "сертификат", "письмо", "клиент", "срочно", "спасибо", "заранее", "настройка", "сервер", "база", "данных", "резервная", "копия", "восстановить", "доступ", "пароль"]
WORDS_EN = ["hello", "the", "site", "is", "down", "after", "update", "please", "check", "mail", "error", "login", "account", "invoice", "payment", "contract", "hosting", "domain", "certificate", "server", "database", "backup", "restore", "access", "password", "thanks"]


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def _text(rng: random.Random, words: list[str], size: int) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        para = " ".join(_sentence(rng, words, rng.randint(5, 14)) for _ in range(rng.randint(1, 4)))
        out.append(para)
        total += len(para) + 2
    return "\n\n".join(out)


def _html(text: str) -> str:
    paras = "".join(
        f'<p class="MsoNormal" style="margin:0;font-family:Calibri;color:#1F497D">{p}</p>'
        for p in text.split("\n\n")
    )
    return (
        "<html><head><meta charset=utf-8><style>p.MsoNormal{margin:0}</style></head>"
        f'<body lang="RU"><div class="WordSection1">{paras}'
        '<img src="https://track.example.com/p.gif" width="1" height="1"></div></body></html>'
    )


def make_message(rng: random.Random) -> bytes:
    """One realistic message; the mix follows a support mailbox (mostly Russian, some legacy charsets)."""
    msg = EmailMessage()
    ru = rng.random() < 0.7
    words = WORDS_RU if ru else WORDS_EN
    name = rng.choice(["Иван Петров", "Мария Сидорова", "John Smith", "ООО «Ромашка»", "Anna K."])
    msg["From"] = f"{name} <user{rng.randint(1, 500)}@client{rng.randint(1, 60)}.example>"
    msg["To"] = "support@reglament.example"
    subj = _sentence(rng, words, rng.randint(2, 8))
    if rng.random() < 0.3:
        subj = f"Re: [TID-{rng.randint(1, 99999):06d}] {subj}"
    msg["Subject"] = subj
    msg["Date"] = format_datetime(_fixed_date(rng))
    msg["Message-ID"] = make_msgid(domain=f"mx{rng.randint(1, 9)}.example")
    if rng.random() < 0.3:
        msg["In-Reply-To"] = make_msgid(domain="reglament.example")
        msg["References"] = " ".join(make_msgid(domain="reglament.example") for _ in range(3))
    kind = rng.random()
    body = _text(rng, words, rng.randint(500, 6000))
    if kind < 0.12:
        # legacy single-byte Cyrillic charsets, as old Outlook Express / The Bat! send them
        charset = rng.choice(["koi8-r", "windows-1251"])
        body = _text(rng, WORDS_RU, rng.randint(500, 5000))
        msg.set_content(body, charset=charset, cte=rng.choice(["8bit", "quoted-printable", "base64"]))
        if rng.random() < 0.3:
            del msg["Content-Type"]
            msg["Content-Type"] = "text/plain"  # missing charset: the parser must detect it
    else:
        msg.set_content(body, cte=rng.choice(["8bit", "quoted-printable", "base64"]))
        if kind < 0.75:
            msg.add_alternative(_html(body), subtype="html")
        if kind > 0.45:
            for _ in range(rng.randint(1, 2)):
                size = int(rng.expovariate(1 / 22000)) + 2000
                fname = rng.choice(["Счёт №15.pdf", "скриншот.png", "report.docx", "лог ошибки.txt"])
                maintype, subtype = {
                    "pdf": ("application", "pdf"),
                    "png": ("image", "png"),
                    "docx": ("application", "octet-stream"),
                    "txt": ("text", "plain"),
                }[fname.rsplit(".", 1)[1]]
                if maintype == "text":
                    msg.add_attachment(_text(rng, words, size // 3), filename=fname)
                else:
                    msg.add_attachment(
                        rng.randbytes(size), maintype=maintype, subtype=subtype, filename=fname
                    )
    return msg.as_bytes()


def _fixed_date(rng: random.Random) -> dt.datetime:
    base = dt.datetime(2025, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    return base + dt.timedelta(minutes=rng.randint(0, 200000))


def generate_corpus(n: int, seed: int = 4) -> list[bytes]:
    rng = random.Random(seed)
    return [make_message(rng) for _ in range(n)]


def reference_parse(raw: bytes) -> int:
    """What the stdlib gives for the same job: structure plus every leaf transfer-decoded."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    total = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            total += len(payload)
    return total


def _rate(fn: object, corpus: list[bytes], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for raw in corpus:
            fn(raw)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return len(corpus) / best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    corpus = generate_corpus(args.n)
    sizes = [len(r) for r in corpus]
    print(
        f"corpus: {len(corpus)} messages, avg {statistics.mean(sizes) / 1024:.1f} KB, "
        f"median {statistics.median(sizes) / 1024:.1f} KB, total {sum(sizes) / 2**20:.1f} MB"
    )
    ref = _rate(reference_parse, corpus, args.rounds)
    ours = _rate(parse_message, corpus, args.rounds)
    print(f"stdlib compat32 + walk + decode (reference): {ref:8.0f} msg/s")
    print(f"parse_message (ours, full result):           {ours:8.0f} msg/s")
    print(f"ratio ours / reference: {ours / ref:.2f}")


if __name__ == "__main__":
    main()
