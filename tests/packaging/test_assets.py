"""The shipped files: the app icon in every format and the Linux desktop-integration files."""

import configparser
import re
import struct
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contactdesk.assets import (
    APP_ID,
    ICON_SIZES,
    app_icon_files,
    get_asset,
    resources_dir,
)

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = f"linux/{APP_ID}.desktop"
METAINFO = f"linux/{APP_ID}.metainfo.xml"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_svg_icon_renders_as_a_rounded_tile(qapp):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(get_asset("icons/contactdesk.svg")))
    assert renderer.isValid()
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert image.pixelColor(32, 32).alpha() == 255  # the middle is drawn
    assert image.pixelColor(0, 0).alpha() == 0  # the corners are rounded off


def test_every_png_render_is_there_at_its_size():
    files = app_icon_files()
    assert [png_size(path) for path in files] == [(size, size) for size in ICON_SIZES]
    assert files[-1] == get_asset("icons/contactdesk-512.png")


def test_windows_and_macos_icons_hold_every_size():
    ico = get_asset("icons/contactdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    sides = sorted(ico[6 + 16 * index] or 256 for index in range(count))
    assert (reserved, kind, sides) == (0, 1, [16, 24, 32, 48, 64, 128, 256])
    icns = get_asset("icons/contactdesk.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert all(kind in icns for kind in (b"ic07", b"ic08", b"ic09", b"ic10", b"ic11", b"ic12", b"ic13", b"ic14"))


def test_desktop_file_opens_csv_and_tsv_files_with_the_app():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(get_asset(DESKTOP), encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "contactdesk %F"
    assert section["Icon"] == APP_ID
    assert section["MimeType"] == "text/csv;text/tab-separated-values;"
    assert section["Terminal"] == "false"


def test_metainfo_names_the_desktop_file_and_the_current_version():
    component = ET.parse(get_asset(METAINFO)).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    newest = component.find("releases/release")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert newest.get("version") == project["version"], "add a <release> for the new version to the metainfo"


def test_frozen_app_finds_assets_in_the_bundle(tmp_path, monkeypatch):
    bundled = tmp_path / "contactdesk" / "resources" / "icons" / "contactdesk.svg"
    bundled.parent.mkdir(parents=True)
    bundled.write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert get_asset("icons/contactdesk.svg") == bundled
    with pytest.raises(FileNotFoundError, match="contactdesk-16.png"):
        get_asset("icons/contactdesk-16.png")


def test_asset_paths_stay_inside_the_resources_folder():
    for bad in ("../assets.py", "/etc/passwd", ""):
        with pytest.raises(ValueError):
            get_asset(bad)
    with pytest.raises(FileNotFoundError, match=re.escape(str(resources_dir()))):
        get_asset("icons/no-such-icon.png")
