"""``reglament account add|list|remove|test|signin`` (R-CLI, R-MAIL-1, R-MAIL-9).

A password is read from standard input only (``--password-stdin``): on the command line it would
sit in the shell history and in every process listing. An OAuth 2.0 account signs in instead:
in the system browser, or with ``--device-code`` by printing the address and the code to enter
there (for a machine without a browser). ``--provider`` fills the server names, ports, security
and sign-in method of a known provider; anything given explicitly wins.

``account add`` logs in to IMAP and SMTP before it stores anything; a failed check exits 1 with
the cause and stores nothing. ``--no-check`` is for scripts that add accounts while a server is
down.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop import secrets
from desktop.cli.common import opened, print_json, table
from desktop.errors import ReglamentError, ValidationError
from desktop.mail import oauth2
from desktop.mail.presets import PRESETS
from desktop.services import account_checks, account_secrets, accounts

Sub = argparse._SubParsersAction

#: ``--provider``: the mail presets plus "custom" (an OpenID issuer, OAuth 2.0).
PROVIDER_CHOICES = [*PRESETS, "custom"]


def register(sub: Sub[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("account", help="mail accounts (IMAP/SMTP)")
    asub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)

    a = asub.add_parser(
        "add", help="add a mailbox; it is checked before it is saved",
        description="Add a mailbox. A password is read from standard input; --auth oauth2 signs "
        "in at the provider instead. The account logs in to IMAP and SMTP before it is saved.",
    )
    a.add_argument("--name", required=True)
    a.add_argument("--email", required=True)
    a.add_argument(
        "--provider", choices=PROVIDER_CHOICES,
        help="fill servers, ports, security and sign-in for yandex, mailru, google, microsoft; "
        "own: your own server; custom: an OpenID issuer (OAuth 2.0, with --issuer)",
    )
    a.add_argument("--imap-host")
    a.add_argument("--imap-port", type=int)
    a.add_argument("--smtp-host")
    a.add_argument("--smtp-port", type=int)
    a.add_argument("--security", choices=["ssl", "starttls", "none"])
    a.add_argument("--smtp-security", choices=["ssl", "starttls", "none"],
                   help="when SMTP is secured otherwise than IMAP")
    a.add_argument("--user", help="login name (default: the e-mail address)")
    a.add_argument("--smtp-user", help="SMTP login, when it differs from the IMAP one")
    a.add_argument(
        "--smtp-password-stdin", action="store_true",
        help="the SMTP login has its own password: read it from the second line of standard input",
    )
    a.add_argument("--ca-file", help="a company CA certificate (PEM) to trust besides the system's")
    a.add_argument(
        "--password-stdin", action="store_true",
        help="read the password from standard input (it goes to the system keyring)",
    )
    a.add_argument("--auth", choices=["password", "oauth2"],
                   help="sign-in method (default: the provider's, else password)")
    a.add_argument("--issuer", help="OAuth 2.0 issuer URL for --provider custom (OpenID discovery)")
    a.add_argument("--client-id", help="OAuth 2.0 client id of your organisation's registered app")
    a.add_argument("--scope", action="append", help="OAuth 2.0 scope (repeat; custom issuers)")
    a.add_argument("--device-code", action="store_true",
                   help="OAuth 2.0 without a browser here: print an address and a code to enter")
    a.add_argument("--sent-folder", help="where copies of sent mail go (default: the server's Sent)")
    a.add_argument("--no-sent-copies", action="store_true", help="do not keep copies in Sent")
    a.add_argument("--no-check", action="store_true",
                   help="save without logging in first (for scripts, while a server is down)")
    a.add_argument(
        "--allow-insecure", action="store_true",
        help="allow --security none for a host that is not this machine",
    )
    a.set_defaults(handler=cmd_account_add)

    si = asub.add_parser("signin", help="sign an OAuth 2.0 account in again")
    si.add_argument("name")
    si.add_argument("--device-code", action="store_true",
                    help="print an address and a code to enter instead of opening the browser")
    si.set_defaults(handler=cmd_account_signin)

    ls = asub.add_parser("list", help="list mail accounts")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(handler=cmd_account_list)

    rm = asub.add_parser("remove", help="remove an account and its keyring entry")
    rm.add_argument("name")
    rm.set_defaults(handler=cmd_account_remove)

    f = asub.add_parser(
        "forget-passwords",
        help="delete every account's password from this computer's keyring (the accounts stay)",
    )
    f.set_defaults(handler=cmd_account_forget_passwords)

    t = asub.add_parser("test", help="try to log in to IMAP and SMTP and say what happened")
    t.add_argument("name")
    t.set_defaults(handler=cmd_account_test)


def _read_password(prompt: str = "Password: ") -> str:
    if sys.stdin is None or sys.stdin.closed:
        raise ValidationError("no password on standard input (use --password-stdin with a pipe)")
    if sys.stdin.isatty():
        import getpass

        text = getpass.getpass(prompt)
    else:
        text = sys.stdin.readline()
    password = text.rstrip("\r\n")
    if not password:
        raise ValidationError("the password on standard input is empty")
    return password


def _show_code(code: oauth2.DeviceCode) -> None:
    print(
        f"To sign in, open {code.verification_uri} and enter the code {code.user_code}; "
        "waiting…", flush=True,
    )


def _sign_in(client: oauth2.OAuthClient, user: str, device: bool) -> oauth2.Grant:
    if not device:
        print("Opening the sign-in page in the browser; waiting…", flush=True)
    return account_checks.sign_in(client, user, device=device, show_code=_show_code)


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    """The account's fields: the preset's, overridden by what was given explicitly."""
    preset = PRESETS.get(args.provider or "own", PRESETS["own"])
    known = args.provider in PRESETS and args.provider != "own"  # a preset with servers
    auth = args.auth or ("oauth2" if args.provider == "custom" else preset.auth)
    imap_host = args.imap_host or preset.imap_host
    if not imap_host:
        raise ValidationError("give --imap-host (or a --provider that knows it)")
    security = args.security or (preset.security if known else "ssl")
    smtp_security = args.smtp_security or (preset.smtp_security if known and not args.security else security)
    ports = known and not args.security
    return {
        "name": args.name, "email": args.email, "imap_host": imap_host,
        "imap_port": args.imap_port or (preset.imap_port if ports else None),
        "smtp_host": args.smtp_host or preset.smtp_host or None,
        "smtp_port": args.smtp_port or (preset.smtp_port if ports else None),
        "security": security, "smtp_security": smtp_security, "user": args.user,
        "allow_insecure": args.allow_insecure, "smtp_user": args.smtp_user,
        "ca_file": args.ca_file, "auth": auth, "sent_folder": args.sent_folder,
        "sent_copies": not args.no_sent_copies,
    }


def cmd_account_add(args: argparse.Namespace) -> int:
    fields = _fields(args)
    if fields["auth"] == "oauth2":
        provider = "custom" if args.provider in (None, "own", "mailru") else args.provider
        preset = PRESETS.get(args.provider or "")
        provider = preset.oauth_provider if preset and preset.oauth_provider else provider
        client = oauth2.OAuthClient.make(provider, args.client_id, args.issuer, tuple(args.scope or ()))
        fields.update(password="", oauth=client,
                      grant=_sign_in(client, (args.user or args.email).strip(), args.device_code))
    else:
        if not args.password_stdin:
            raise ValidationError("give the password on standard input with --password-stdin")
        preset = PRESETS.get(args.provider or "")
        if preset is not None and preset.app_password_url and sys.stdin.isatty():
            print(f"{preset.note} {preset.app_password_url}", file=sys.stderr)
        fields["password"] = _read_password()
        if args.smtp_password_stdin:
            fields["smtp_password"] = _read_password("SMTP password: ")
    with opened(args) as ws:
        info = account_checks.add_checked_account(ws, check=not args.no_check, **fields)
    where = "the sign-in" if info.auth_method == "oauth2" else "the password"
    checked = "" if args.no_check else "checked, "
    print(
        f"account {info.name} added: IMAP {info.imap_host}:{info.imap_port}, "
        f"SMTP {info.smtp_host}:{info.smtp_port} ({info.security}); "
        f"{checked}{where} is in {secrets.where_stored()}"
    )
    return 0


def cmd_account_signin(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        with ws.db.session() as s:
            acc = accounts.find_account(s, args.name)
            client, user = account_secrets.oauth_client(acc), acc.username
        if client is None:
            raise ValidationError("the account {name} signs in with a password", name=args.name)
        grant = _sign_in(client, user, args.device_code)
        account_checks.store_sign_in(ws, args.name, grant)
    print(f"account {args.name} signed in again")
    return 0


def cmd_account_list(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        infos = accounts.list_accounts(ws)
    if args.json:
        print_json([i.as_json() for i in infos])
        return 0
    rows = [
        [
            i.name, i.email, f"{i.imap_host}:{i.imap_port}", f"{i.smtp_host}:{i.smtp_port}",
            i.security, i.auth_method, i.last_sync_at or "never", i.last_error or "",
        ]
        for i in infos
    ]
    table(rows, ["NAME", "EMAIL", "IMAP", "SMTP", "SECURITY", "SIGN-IN", "LAST SYNC", "LAST ERROR"])
    return 0


def cmd_account_remove(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        info = accounts.remove_account(ws, args.name)
    print(f"account {info.name} removed (its tickets and messages are kept)")
    return 0


def cmd_account_test(args: argparse.Namespace) -> int:
    with opened(args) as ws:
        verdicts = account_checks.test_account(ws, args.name)
    for v in verdicts:
        if v.ok:
            print(f"{v.protocol}: {v.verdict} ({v.detail})" if v.detail else f"{v.protocol}: {v.verdict}")
    failed = [v for v in verdicts if not v.ok]
    if failed:
        raise ReglamentError(
            "{failures}", failures="; ".join(f"{v.protocol}: {v.verdict}" for v in failed)
        )
    return 0


def cmd_account_forget_passwords(args: argparse.Namespace) -> int:
    """What an uninstaller runs when told to remove saved passwords."""
    with opened(args) as ws:
        count = account_secrets.forget_passwords(ws)
    print(f"{count} saved password(s) deleted from the system keyring")
    return 0
