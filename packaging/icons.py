"""Every icon the installers need, rendered from the one source, resources/icons/reglament.svg.

    python packaging/icons.py [OUT]        (OUT defaults to build/icons)

writes
  OUT/hicolor/<N>x<N>/apps/ru.reglament.Workstation.png  and  scalable/apps/…svg   (Linux)
  OUT/reglament.ico    16–256 px, PNG-compressed entries (Windows Vista and later)
  OUT/reglament.icns   16–1024 px, PNG entries (macOS 10.7 and later)

Qt renders the SVG (QtSvg ships with PySide6), so nothing beyond the project's own dependencies is
needed on any build machine. Both containers hold PNG images, which is what the systems' own
tools (``iconutil``, Visual Studio) write today; their headers are a few fixed-size fields.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "reglament.svg"
APP_ID = "ru.reglament.Workstation"

#: Sizes the freedesktop icon theme spec and desktops ask for.
LINUX_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
WINDOWS_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
#: The OSType of each PNG entry an .icns may hold, by pixel size (the @2x kinds reuse a size).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)

_QT: list[object] = []


def render_png(size: int, source: Path = SOURCE) -> bytes:
    """The SVG drawn into a transparent square of ``size`` pixels, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        _QT.append(QGuiApplication(sys.argv[:1]))  # kept: one application per process
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"icons: {source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file: a 6-byte header, a 16-byte directory entry per image, then the PNGs."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in a one-byte field
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: 'icns' and the total length, then (type, length, PNG) per entry."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def build(out: Path, source: Path = SOURCE) -> list[Path]:
    """Render every size once and write the Linux tree, the .ico and the .icns; returns the files."""
    sizes = sorted({*LINUX_SIZES, *WINDOWS_SIZES, *(size for _kind, size in ICNS_TYPES)})
    pngs = {size: render_png(size, source) for size in sizes}
    written: list[Path] = []
    for size in LINUX_SIZES:
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable)
    written.append(scalable)
    for name, data in (("reglament.ico", ico({s: pngs[s] for s in WINDOWS_SIZES})),
                       ("reglament.icns", icns(pngs))):
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    files = build(target)
    print(f"icons: {len(files)} files in {target}")
