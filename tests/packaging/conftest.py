"""Shared helpers of the packaging tests: the built artefacts, and running a program as a user
would — from its installed place, in a scratch home, never from the source tree."""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("REGLAMENT_DIST", ROOT / "dist"))
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment: none of the checkout's paths, a home and data folder of its own."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "REGLAMENT_", "VIRTUAL_ENV", "QT_", "XDG_"))}
    env.update(HOME=str(home), REGLAMENT_HOME=str(home / "data"), QT_QPA_PLATFORM="offscreen",
               LANG="C.UTF-8", **extra)
    return env


def run(argv: Sequence[str | Path], env: dict[str, str], cwd: Path, stdin: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], env=env, cwd=cwd, input=stdin, text=True,
                          capture_output=True, timeout=timeout, check=False)


def artefact(pattern: str) -> Path:
    found = sorted(DIST.glob(pattern))
    if not found:
        pytest.fail(f"no {pattern} in {DIST}: build it first with 'bash packaging/build-linux.sh'")
    return found[-1]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """An empty database on a throw-away PostgreSQL cluster (tests/servers), dropped after."""
    from tests.servers.postgres import PostgresServer

    with PostgresServer() as server:
        server.start()
        url = server.create_database()
        yield url
        server.drop_database(url.rsplit("/", 1)[1])
