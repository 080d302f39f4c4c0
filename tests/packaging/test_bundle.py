"""The Linux release as an agent gets it: the .deb unpacked into a throw-away root, the tarball
unpacked and installed for one user, and the program run from there — never from the checkout.

Run after ``bash packaging/build-linux.sh`` (``.ci/run`` does both). Every command the README lists
is found in ``reglament --help`` and run from the bundle; a module the bundle forgot (a hidden
import, psycopg for team mode) fails here instead of on an agent's machine.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.conftest import VERSION, artefact, run, user_env

pytestmark = pytest.mark.packaging

APP_ID = "ru.reglament.Workstation"


@pytest.fixture(scope="module")
def deb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .deb's files, extracted as dpkg would install them, into a root of their own."""
    root = tmp_path_factory.mktemp("debroot")
    subprocess.run(["dpkg-deb", "-x", str(artefact("reglament_*.deb")), str(root)], check=True)
    return root


@pytest.fixture(scope="module")
def reglament(deb_root: Path) -> Path:
    return deb_root / "usr" / "bin" / "reglament"


@pytest.fixture(scope="module")
def demo_home(reglament: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's home whose data folder the bundle filled with the demo."""
    home = tmp_path_factory.mktemp("home")
    done = run([reglament, "demo"], user_env(home), home)
    assert done.returncode == 0, done.stderr
    assert "tickets added" in done.stdout
    return home


def _tid(reglament: Path, home: Path) -> str:
    done = run([reglament, "tickets", "--json"], user_env(home), home)
    assert done.returncode == 0, done.stderr
    tickets = json.loads(done.stdout)
    return next(t["tid"] for t in tickets if t["status"] in ("resolved", "closed"))


def test_the_deb_installs_the_command_menu_entry_metainfo_and_icons(deb_root: Path) -> None:
    control = subprocess.run(["dpkg-deb", "-f", str(artefact("reglament_*.deb")), "Version", "Package"],
                             capture_output=True, text=True, check=True).stdout
    assert f"Version: {VERSION}" in control and "Package: reglament" in control
    link = deb_root / "usr" / "bin" / "reglament"
    assert link.is_symlink() and link.resolve() == (deb_root / "usr/lib/reglament/reglament").resolve()
    share = deb_root / "usr" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for tool, path in (("desktop-file-validate", share / "applications" / f"{APP_ID}.desktop"),
                       ("appstreamcli", share / "metainfo" / f"{APP_ID}.metainfo.xml")):
        argv = [tool, str(path)] if tool != "appstreamcli" else [tool, "validate", "--no-net", str(path)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_version_is_the_package_version(reglament: Path, tmp_path: Path) -> None:
    done = run([reglament, "--version"], user_env(tmp_path), tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"reglament {VERSION}")


def test_act_renders_a_pdf_and_a_docx_from_the_bundle(reglament: Path, demo_home: Path,
                                                      tmp_path: Path) -> None:
    tid = _tid(reglament, demo_home)
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK")):
        done = run([reglament, "act", tid, "--format", fmt, "--out", tmp_path], user_env(demo_home),
                   demo_home)
        assert done.returncode == 0, done.stderr
        path = Path(done.stdout.strip().splitlines()[-1])
        assert path.suffix == f".{fmt}" and path.read_bytes().startswith(magic)


def test_report_json(reglament: Path, demo_home: Path) -> None:
    done = run([reglament, "report", "--json"], user_env(demo_home), demo_home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert sum(report["backlog_by_status"].values()) > 0


def _commands(reglament: Path, home: Path) -> list[str]:
    done = run([reglament, "--help"], user_env(home), home)
    assert done.returncode == 0, done.stderr
    listing = done.stdout.split("options:")[0].split("COMMAND", 2)[-1]
    commands = re.findall(r"^ {4}([a-z][a-z-]*)(?:\s|$)", listing, flags=re.MULTILINE)
    assert commands, done.stdout
    return commands


#: A real run of each command that works offline on the demo's data folder (TID: a closed
#: ticket's number), with the exit code it must give; any other command shows its --help (which
#: imports its module too). Commands that change or send are not run for real here, and ``demo``
#: has run already (it made the data folder).
RUNS: dict[str, tuple[list[str], int]] = {
    "client": (["list", "--json"], 0), "plan": (["list", "--json"], 0),
    "tickets": (["--status", "new"], 0), "ticket": (["show", "TID", "--json"], 0),
    "stats": (["--json"], 0), "acts": (["TID"], 0), "account": (["list"], 0),
    "sync": (["--once"], 1),  # no mailbox yet: said in one line
    "outbox": ([], 0), "run-timers": ([], 0), "calendar": (["list"], 0),
    "sla": (["explain", "TID"], 0), "settings": (["list"], 0), "report": (["--csv", "OUT"], 0),
}


def test_every_command_in_help_runs_from_the_bundle(reglament: Path, demo_home: Path,
                                                     tmp_path: Path) -> None:
    tid = _tid(reglament, demo_home)
    commands = _commands(reglament, demo_home)
    assert {"demo", "act", "report", "account", "tickets", "stats"} <= set(commands)
    failed = []
    for command in commands:
        args, code = RUNS.get(command, (["--help"], 0))
        args = [tid if a == "TID" else str(tmp_path) if a == "OUT" else a for a in args]
        done = run([reglament, command, *args], user_env(demo_home), demo_home)
        one_line = code == 0 or (len(done.stderr.splitlines()) == 1 and done.stderr.startswith("reglament: "))
        if done.returncode != code or not one_line or "Traceback" in done.stderr:
            failed.append(f"{command} {' '.join(args)}: {done.returncode} {done.stderr.strip()}")
    assert failed == []


def test_account_add_against_a_dead_host_keeps_the_password_in_the_keyring(
        reglament: Path, tmp_path: Path) -> None:
    """With a real Secret Service (gnome-keyring in a private D-Bus session): checked before it
    is saved, the account is refused in one line; added with --no-check (a script while the
    server is down), it is saved, and testing it says in one line that the server cannot be
    reached."""
    if not shutil.which("dbus-run-session") or not shutil.which("gnome-keyring-daemon"):
        pytest.fail("needs dbus-run-session and gnome-keyring (tests/run.sh installs them)")
    script = (
        'export XDG_DATA_HOME="$HOME/share" XDG_RUNTIME_DIR="$HOME/run"; mkdir -p "$XDG_RUNTIME_DIR"; '
        'eval "$(printf pw | gnome-keyring-daemon --unlock --components=secrets)"; '
        'echo "пароль" | "$1" account add --name Dead --email agent@example.ru '
        '--imap-host 127.0.0.1 --imap-port 9 --smtp-port 9 --security none --password-stdin; echo "check=$?"; '
        'echo "пароль" | "$1" account add --name Dead --email agent@example.ru '
        '--imap-host 127.0.0.1 --imap-port 9 --smtp-port 9 --security none --password-stdin --no-check || exit 10; '
        '"$1" account test Dead; echo "test=$?"'
    )
    done = run(["dbus-run-session", "--", "sh", "-c", script, "sh", reglament], user_env(tmp_path),
               tmp_path, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "account Dead added" in done.stdout and "system keyring" in done.stdout
    assert "check=1" in done.stdout and "test=1" in done.stdout
    errors = [line for line in done.stderr.splitlines() if line.startswith("reglament:")]
    assert len(errors) == 2 and "not saved" in errors[0]
    assert all("cannot reach 127.0.0.1:9" in e for e in errors)
    assert "Traceback" not in done.stderr


@pytest.fixture
def window(reglament: Path, demo_home: Path) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([str(reglament)], env=user_env(demo_home), cwd=demo_home, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_the_window_runs_offscreen_for_three_seconds(window: subprocess.Popen[str],
                                                     demo_home: Path) -> None:
    time.sleep(3)
    alive = window.poll() is None
    window.send_signal(signal.SIGTERM)
    _out, err = window.communicate(timeout=15)
    assert alive, err
    assert "Traceback" not in err and "Error" not in err, err
    logs = demo_home / "data" / "logs"
    text = (logs / "reglament.log").read_text(encoding="utf-8") if (logs / "reglament.log").exists() else ""
    assert "Traceback" not in text, text


def test_team_mode_on_postgresql_from_the_bundle(reglament: Path, postgres_url: str,
                                                 tmp_path: Path) -> None:
    """psycopg travels with the bundle: a team database is migrated, filled and counted."""
    env = user_env(tmp_path, REGLAMENT_DB_URL=postgres_url)
    done = run([reglament, "demo"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    stats = run([reglament, "stats", "--json"], env, tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["tickets"] > 0


def test_the_tarball_installs_for_one_user(tmp_path: Path) -> None:
    with tarfile.open(artefact("reglament-*-linux-*.tar.gz")) as tar:
        tar.extractall(tmp_path / "opt", filter="tar")
    folder = tmp_path / "opt" / "reglament"
    home = tmp_path / "home"
    home.mkdir()
    env = user_env(home)
    done = run([folder / "install-user.sh"], env, home)
    assert done.returncode == 0, done.stderr
    command = home / ".local" / "bin" / "reglament"
    assert run([command, "--version"], env, home).stdout.strip() == f"reglament {VERSION}"
    entry = home / ".local" / "share" / "applications" / f"{APP_ID}.desktop"
    assert f'Exec="{folder}/reglament"' in entry.read_text(encoding="utf-8")
    assert subprocess.run(["desktop-file-validate", str(entry)], check=False).returncode == 0
    assert (home / ".local/share/icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    assert run([folder / "install-user.sh", "--remove"], env, home).returncode == 0
    assert not entry.exists() and not command.exists()


def test_the_bundle_holds_no_translation_sources_or_screenshots(deb_root: Path) -> None:
    bundle = deb_root / "usr" / "lib" / "reglament" / "_internal" / "resources"
    assert (bundle / "icons" / "reglament.svg").is_file()
    assert not (bundle / "screenshots").exists()
    assert not list(bundle.rglob("*.ts"))
