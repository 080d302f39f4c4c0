"""The files the installers are made of: one version everywhere, icons rendered from the one SVG,
and a menu entry and AppStream metainfo that the freedesktop validators accept."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "ru.reglament.Workstation"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: tests/run.sh installs it (Debian packages appstream, desktop-file-utils)")
    return path


def test_the_desktop_entry_validates() -> None:
    done = subprocess.run([_tool("desktop-file-validate"), str(LINUX / f"{APP_ID}.desktop")],
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_metainfo_validates_and_names_the_current_release() -> None:
    path = LINUX / f"{APP_ID}.metainfo.xml"
    done = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    releases = [r.get("version") for r in ET.parse(path).getroot().iter("release")]
    assert releases[0] == VERSION, "add a <release> for the version in pyproject.toml"
    assert "invalid" not in path.read_text(encoding="utf-8")  # no placeholder address


def test_the_version_is_written_only_in_pyproject() -> None:
    """Everything else reads it: the package metadata, the spec, the build scripts."""
    import desktop

    assert desktop.__version__ == VERSION
    written = []
    for path in [*ROOT.joinpath("desktop").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"),
                 *ROOT.joinpath("packaging").rglob("*.*"), ROOT / "setup.py"]:
        source = path.suffix in (".py", ".spec", ".iss", ".sh", ".in", ".plist", ".ps1", ".desktop")
        if source and re.search(rf"(?<![\d.]){re.escape(VERSION)}(?![\d.])", path.read_text(encoding="utf-8")):
            written.append(str(path.relative_to(ROOT)))
    assert written == []


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("icons")
    subprocess.run([sys.executable, str(ROOT / "packaging" / "icons.py"), str(out)], check=True,
                   capture_output=True)
    return out


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_linux_icons_in_every_theme_size(icons: Path) -> None:
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        png = icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png.read_bytes()) == (size, size)
    svg = icons / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == (ROOT / "resources" / "icons" / "reglament.svg").read_bytes()


def test_the_ico_holds_each_windows_size_as_png(icons: Path) -> None:
    data = (icons / "reglament.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _c, _r, planes, bits, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i: 22 + 16 * i])
        side = width or 256
        assert (width, planes, bits) == (height, 1, 32)
        assert _png_size(data[offset: offset + length]) == (side, side)
        sizes.append(side)
    assert {16, 24, 32, 48, 256} <= set(sizes)


def test_the_icns_holds_the_macos_sizes_as_png(icons: Path) -> None:
    data = (icons / "reglament.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    entries, at = {}, 8
    while at < len(data):
        kind, length = data[at: at + 4], struct.unpack(">I", data[at + 4: at + 8])[0]
        entries[kind] = _png_size(data[at + 8: at + length])
        at += length
    assert entries[b"ic10"] == (1024, 1024) and entries[b"ic07"] == (128, 128)
    assert entries[b"icp4"] == (16, 16) and entries[b"ic14"] == (512, 512)


def test_qt_reads_the_ico_and_icns_back(icons: Path) -> None:
    """The system's own image readers (Qt's ICO and ICNS plugins) take both files."""
    script = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication, QImageReader\n"
        "app = QGuiApplication(['x'])\n"
        "for name in sys.argv[1:]:\n"
        "    r = QImageReader(name)\n"
        "    sizes = []\n"
        "    for i in range(r.imageCount()):\n"
        "        r.jumpToImage(i); sizes.append(r.read().width())\n"
        "    print(name.rsplit('.', 1)[1], max(sizes), len(sizes))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(icons / "reglament.ico"),
                           str(icons / "reglament.icns")], capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    read = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert read["ico"].split()[0] == "256" and int(read["ico"].split()[1]) >= 5
    assert int(read["icns"].split()[0]) >= 512
