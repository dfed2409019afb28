"""Settings > Team: the caller name, this computer's file or a team server, the connection test,
and the password kept in libpq's password file, never in the settings file."""

import stat
import urllib.parse

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QTabBar

from contactdesk.gui.app import chosen_database
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.settings_dialog import SettingsDialog
from contactdesk.store.paths import default_db_path

pytestmark = pytest.mark.usefixtures("isolated_gui")


@pytest.fixture
def dialog(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    settings = AppSettings()
    shown = SettingsDialog(settings, tmp_path / "contactdesk.sqlite3")
    qtbot.addWidget(shown)
    shown.resize(720, 600)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def open_team_tab(qtbot, dialog) -> None:
    bar = dialog.tabs.findChild(QTabBar)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: dialog.tabs.currentWidget() is dialog.team_page)


def type_into(field, text: str) -> None:
    """Click the field, select what is there, type ``text`` over it."""
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(QApplication.focusWidget(), text)


def click_ok(dialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(ok, Qt.MouseButton.LeftButton)


def fill_server(page, host: str, port: int, database: str, user: str) -> None:
    radio = page.server_choice  # clicked on its circle (the button is wider than its label)
    QTest.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    type_into(page.host_field, host)
    type_into(page.port_field.lineEdit(), str(port))
    type_into(page.database_field, database)
    type_into(page.user_field, user)


def test_the_team_server_is_kept_but_never_its_password(qtbot, dialog, tmp_path):
    page = dialog.team_page
    open_team_tab(qtbot, dialog)
    assert not page.server_fields.isEnabled()  # this computer's file until the server is chosen
    fill_server(page, "db.example.com", 6543, "calls", "ann")
    assert page.server_fields.isEnabled()
    type_into(page.password_field, "s3cret:pw")
    page.ssl_combo.setCurrentIndex(page.ssl_combo.findData("require"))
    type_into(page.caller_field, "Ann Lee")
    click_ok(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    settings = AppSettings()
    settings.sync()
    assert settings.server_uri() == "postgresql://ann@db.example.com:6543/calls?sslmode=require"
    assert settings.caller_name() == "Ann Lee"
    ini_text = "".join(path.read_text() for path in (tmp_path / "settings").rglob("*.ini"))
    assert "db.example.com" in ini_text and "s3cret" not in ini_text
    pgpass = tmp_path / "pgpass"
    assert pgpass.read_text() == "db.example.com:6543:calls:ann:s3cret\\:pw\n"  # libpq's escape for ':'
    assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600  # libpq ignores a file others can read


def test_a_new_password_replaces_the_old_line_and_keeps_the_others(qtbot, dialog, tmp_path):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text("other.example.com:5432:*:bob:keep\ndb.example.com:5432:calls:ann:old\n")
    page = dialog.team_page
    open_team_tab(qtbot, dialog)
    fill_server(page, "db.example.com", 5432, "calls", "ann")
    type_into(page.password_field, "new")
    click_ok(dialog)
    assert pgpass.read_text() == "other.example.com:5432:*:bob:keep\ndb.example.com:5432:calls:ann:new\n"


def test_an_incomplete_server_is_not_saved_and_says_what_is_missing(qtbot, dialog):
    page = dialog.team_page
    open_team_tab(qtbot, dialog)
    fill_server(page, "db.example.com", 5432, "calls", "")
    click_ok(dialog)
    assert dialog.isVisible()
    assert page.test_result.text() == "Enter your user name on the server."
    assert not AppSettings().uses_server()


@pytest.mark.postgresql
def test_test_connection_says_which_postgresql_answered(qtbot, dialog, pg_server_uri):
    parts = urllib.parse.urlsplit(pg_server_uri)
    query = dict(urllib.parse.parse_qsl(parts.query))
    page = dialog.team_page
    open_team_tab(qtbot, dialog)
    fill_server(
        page, query.get("host") or parts.hostname, int(query.get("port") or parts.port or 5432), "postgres", "postgres"
    )
    page.ssl_combo.setCurrentIndex(page.ssl_combo.findData("disable"))
    QTest.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_result.text().startswith(("Connected", "Cannot")), timeout=10_000)
    assert page.test_result.text().startswith("Connected to PostgreSQL 16.")
    assert page.test_button.isEnabled()


def test_test_connection_gives_the_server_s_reason_in_one_line(qtbot, dialog):
    page = dialog.team_page
    open_team_tab(qtbot, dialog)
    fill_server(page, "127.0.0.1", 1, "calls", "ann")  # nothing listens on port 1
    page.ssl_combo.setCurrentIndex(page.ssl_combo.findData("disable"))
    QTest.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.test_result.text().startswith("Cannot connect"), timeout=10_000)
    text = page.test_result.text()
    assert "\n" not in text and "Traceback" not in text
    assert "127.0.0.1" in text and "refused" in text.lower()


def test_the_command_line_and_the_environment_choose_over_settings(tmp_path, monkeypatch):
    settings = AppSettings()
    monkeypatch.delenv("CONTACTDESK_DB", raising=False)
    assert chosen_database(None, settings) == default_db_path()
    from contactdesk.store.team_connection import ServerChoice

    settings.set_database(True, ServerChoice("db.example.com", 5432, "calls", "ann", "verify-full"))
    assert chosen_database(None, settings) == "postgresql://ann@db.example.com:5432/calls?sslmode=verify-full"
    monkeypatch.setenv("CONTACTDESK_DB", str(tmp_path / "env.sqlite3"))
    assert chosen_database(None, settings) == tmp_path / "env.sqlite3"
    assert chosen_database(str(tmp_path / "cli.sqlite3"), settings) == tmp_path / "cli.sqlite3"
