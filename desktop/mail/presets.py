"""The mailboxes companies really have: server names, ports, security and sign-in per provider.

An administrator picks "Yandex 360" or "Microsoft 365" and gets the settings the provider
documents, plus a plain note on what the provider wants: an app password (and where to make one),
IMAP switched on in the mail settings, or OAuth 2.0 sign-in because passwords are refused. The
notes carry their Russian wording (:class:`~desktop.errors.Bilingual`), shown in the window's
language. "Own server" fills nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.errors import Bilingual

__all__ = ["PRESETS", "MailPreset", "preset"]


_NO_NOTE = Bilingual("", "")


@dataclass(frozen=True)
class MailPreset:
    key: str
    title: Bilingual
    imap_host: str = ""
    imap_port: int = 993
    security: str = "ssl"
    smtp_host: str = ""
    smtp_port: int = 465
    smtp_security: str = "ssl"
    auth: str = "password"  # "password" | "oauth2"
    oauth_provider: str | None = None
    note: Bilingual = _NO_NOTE
    app_password_url: str | None = None


PRESETS: dict[str, MailPreset] = {
    p.key: p
    for p in (
        MailPreset(
            "yandex",
            Bilingual("Yandex 360", "Яндекс 360"),
            "imap.yandex.ru", 993, "ssl", "smtp.yandex.ru", 465, "ssl",
            auth="password",
            oauth_provider="yandex",
            note=Bilingual(
                "Yandex takes an app password, not the account password: create one in Yandex ID "
                "→ Security → App passwords (type “Mail”), and switch on IMAP in Mail → "
                "Settings → Mail clients. OAuth 2.0 sign-in works too.",
                "Яндекс принимает пароль приложения, а не пароль аккаунта: создайте его в "
                "Яндекс ID → Безопасность → Пароли приложений (тип «Почта») и включите IMAP в "
                "Почте → Настройки → Почтовые программы. Можно войти и через OAuth 2.0.",
            ),
            app_password_url="https://id.yandex.ru/security/app-passwords",
        ),
        MailPreset(
            "mailru",
            Bilingual("Mail.ru", "Mail.ru"),
            "imap.mail.ru", 993, "ssl", "smtp.mail.ru", 465, "ssl",
            note=Bilingual(
                "Mail.ru takes an app password: create one in the account's Security → "
                "Passwords for external applications.",
                "Mail.ru принимает пароль для внешнего приложения: создайте его в настройках "
                "аккаунта → Безопасность → Пароли для внешних приложений.",
            ),
            app_password_url="https://account.mail.ru/user/2-step-auth/passwords/",
        ),
        MailPreset(
            "google",
            Bilingual("Gmail / Google Workspace", "Gmail / Google Workspace"),
            "imap.gmail.com", 993, "ssl", "smtp.gmail.com", 465, "ssl",
            auth="oauth2",
            oauth_provider="google",
            note=Bilingual(
                "Google signs in with OAuth 2.0 in the browser. An app password works only "
                "with 2-Step Verification on (Google Account → Security → App passwords); "
                "Workspace administrators may have switched both off.",
                "Google входит через OAuth 2.0 в браузере. Пароль приложения работает только "
                "при включённой двухэтапной аутентификации (Аккаунт Google → Безопасность → "
                "Пароли приложений); администратор Workspace может запретить и то и другое.",
            ),
            app_password_url="https://myaccount.google.com/apppasswords",
        ),
        MailPreset(
            "microsoft",
            Bilingual("Microsoft 365", "Microsoft 365"),
            "outlook.office365.com", 993, "ssl", "smtp.office365.com", 587, "starttls",
            auth="oauth2",
            oauth_provider="microsoft",
            note=Bilingual(
                "Microsoft 365 refuses passwords for IMAP and SMTP: sign in with OAuth 2.0. "
                "The administrator must allow IMAP and authenticated SMTP for the mailbox.",
                "Microsoft 365 не принимает пароли для IMAP и SMTP: войдите через OAuth 2.0. "
                "Администратор должен разрешить для ящика IMAP и SMTP с аутентификацией.",
            ),
        ),
        MailPreset(
            "own",
            Bilingual("Own server", "Свой сервер"),
            note=Bilingual(
                "Give the server names and ports your administrator uses.",
                "Укажите имена серверов и порты, которые использует ваш администратор.",
            ),
        ),
    )
}


def preset(key: str) -> MailPreset:
    return PRESETS[key]
