"""``pip install reglament`` gets a program that works: the wheel carries resources/ (templates,
fonts, translations, icons) and the migrations, and its version is pyproject.toml's.

The wheel is built from this checkout and installed into a fresh virtual environment without its
dependencies; those are borrowed from the environment running the tests through a ``.pth`` line
(fast, and offline once the build requirements are cached). The program then runs from the fresh
environment, outside the checkout, and renders an act.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.packaging.conftest import ROOT, VERSION, run, user_env

pytestmark = pytest.mark.packaging


def _pip_env() -> dict[str, str]:
    """Without the checkout on PYTHONPATH: pip would take it for the installed project."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the sources, as from a clean checkout: setuptools builds in the source
    # folder, and a stale build/ there could slip files into the wheel (or this build into it).
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
                   check=True, cwd=out, capture_output=True, env=_pip_env())
    (found,) = out.glob("reglament-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment holding the wheel; returns its ``bin`` folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", str(wheel)], check=True, capture_output=True, env=_pip_env())
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed-dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    return env_dir / "bin"


def test_the_wheel_carries_resources_and_migrations(wheel: Path) -> None:
    assert wheel.name.startswith(f"reglament-{VERSION}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("desktop/_resources/acts/ru/acceptance.html.j2", "desktop/_resources/fonts/DejaVuSans.ttf",
                   "desktop/_resources/translations/reglament_ru.qm", "desktop/_resources/mail/ru/ack.txt",
                   "desktop/_resources/locale/ru/LC_MESSAGES/reglament.mo",
                   "desktop/_resources/icons/reglament.svg", "desktop/store/migrations/env.py",
                   "desktop/store/migrations/versions/0001_initial_schema.py", "ui/app.py"):
        assert needed in names, needed
    assert not [n for n in names if n.endswith(".ts") or "/screenshots/" in n]


def test_the_installed_wheel_renders_an_act_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    env = user_env(tmp_path)
    where = run([installed / "python", "-c", "import desktop, desktop.resources as r; "
                 "print(desktop.__file__); print(r.resources_dir()); print(desktop.__version__)"],
                env, tmp_path)
    assert where.returncode == 0, where.stderr
    package, resources, version = where.stdout.split()
    assert package.startswith(str(installed.parent)) and resources.startswith(str(installed.parent))
    assert version == VERSION
    reglament = installed / "reglament"
    assert run([reglament, "--version"], env, tmp_path).stdout.strip() == f"reglament {VERSION}"
    done = run([reglament, "demo"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    tickets = json.loads(run([reglament, "tickets", "--json"], env, tmp_path).stdout)
    tid = next(t["tid"] for t in tickets if t["status"] in ("resolved", "closed"))
    act = run([reglament, "act", tid, "--out", tmp_path], env, tmp_path)
    assert act.returncode == 0, act.stderr
    pdf = Path(act.stdout.strip().splitlines()[-1])
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert tid in text and "Акт" in text
