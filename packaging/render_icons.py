"""Render the app icon from its SVG source: PNGs, a Windows .ico and a macOS .icns.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Run it after editing src/contactdesk/resources/icons/contactdesk.svg and commit what it writes.
It uses Qt's own SVG renderer (PySide6.QtSvg, part of PySide6-Essentials, so nothing new to
install) and writes the .ico and .icns containers itself: both are a small table of contents
followed by PNG images, which Windows (Vista and later) and macOS (10.7 and later) read.
"""

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "src" / "contactdesk" / "resources" / "icons"
SOURCE = ICONS / "contactdesk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The entries Apple's iconutil writes: (type, pixels). ic11..ic14 are the @2x variants.
ICNS_ENTRIES = (
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render_png(renderer, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter

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
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size (0 means 256), then the PNG images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in pngs.items():
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """'icns', total length, a TOC, then (type, length, PNG) for each entry; big-endian."""
    toc = b"TOC " + struct.pack(">I", 8 + 8 * len(ICNS_ENTRIES))
    body = b""
    for kind, size in ICNS_ENTRIES:
        length = 8 + len(pngs[size])
        toc += kind + struct.pack(">I", length)
        body += kind + struct.pack(">I", length) + pngs[size]
    return b"icns" + struct.pack(">I", 8 + len(toc) + len(body)) + toc + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["render_icons"])  # noqa: F841 (keeps Qt alive)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_ENTRIES)})
    pngs = {size: render_png(renderer, size) for size in sizes}
    for size in PNG_SIZES:
        (ICONS / f"contactdesk-{size}.png").write_bytes(pngs[size])
    (ICONS / "contactdesk.ico").write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    (ICONS / "contactdesk.icns").write_bytes(icns_bytes(pngs))
    for path in sorted(ICONS.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.relative_to(ICONS.parent.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
