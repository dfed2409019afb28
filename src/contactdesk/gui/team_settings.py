"""Settings > Team: who is calling, and where the data lives (this computer's file or a team
PostgreSQL server), with a connection test that runs off the window's thread.

The choice of database applies the next time ContactDesk starts; ``--db`` and
``CONTACTDESK_DB`` still win over it. A password typed here goes to libpq's password file
(store/team_connection.py), never into the settings file.
"""

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..store.claims import default_caller
from ..store.team_connection import (
    SSL_MODES,
    ConnectionFailed,
    ServerChoice,
    pgpass_path,
    save_password,
    server_version,
)
from .settings import AppSettings
from .worker import TaskSlot

log = logging.getLogger(__name__)

SSL_LABELS = {
    "disable": "disable: no TLS",
    "prefer": "prefer: TLS when the server offers it",
    "require": "require: always TLS",
    "verify-full": "verify-full: TLS, and check the server's certificate and name",
}


class TeamSettingsPage(QWidget):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("teamSettings")
        self._settings = settings
        self.test_slot = TaskSlot(self)

        self.caller_field = QLineEdit(settings.caller_name())
        self.caller_field.setObjectName("callerName")
        self.caller_field.setAccessibleName("Your name as a caller")
        self.caller_field.setPlaceholderText(default_caller())
        caller_box = QGroupBox("You")
        caller_form = QFormLayout(caller_box)
        caller_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        caller_form.addRow("Caller name:", self.caller_field)
        caller_form.addRow("", _hint("Stored with the contacts you take with Next Contact and the results you mark."))

        self.file_choice = QRadioButton("This computer (SQLite file)")
        self.file_choice.setObjectName("useFile")
        self.server_choice = QRadioButton("Team server (PostgreSQL)")
        self.server_choice.setObjectName("useServer")
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.server_choice)
        (self.server_choice if settings.uses_server() else self.file_choice).setChecked(True)

        choice = settings.server_choice()
        self.host_field = _field(choice.host, "serverHost", "Server host name")
        self.port_field = QSpinBox()
        self.port_field.setObjectName("serverPort")
        self.port_field.setAccessibleName("Server port")
        self.port_field.setRange(1, 65535)
        self.port_field.setValue(choice.port)
        self.database_field = _field(choice.database, "serverDatabase", "Database name on the server")
        self.user_field = _field(choice.user, "serverUser", "Your user name on the server")
        self.password_field = _field("", "serverPassword", "Your password on the server")
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_field.setPlaceholderText("empty: the one already in the password file, if any")
        self.ssl_combo = QComboBox()
        self.ssl_combo.setObjectName("serverSslMode")
        self.ssl_combo.setAccessibleName("TLS mode")
        for mode in SSL_MODES:
            self.ssl_combo.addItem(SSL_LABELS[mode], mode)
        self.ssl_combo.setCurrentIndex(max(0, self.ssl_combo.findData(choice.sslmode)))
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel("")
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)  # the server's words, shown as they are
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()  # no empty line under the button before there is something to say

        self.server_fields = QWidget()
        server_form = QFormLayout(self.server_fields)
        server_form.setContentsMargins(24, 0, 0, 0)
        server_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        host_row = QHBoxLayout()
        host_row.addWidget(self.host_field, 1)
        host_row.addWidget(QLabel("Port:"))
        host_row.addWidget(self.port_field)
        server_form.addRow("Host:", host_row)
        server_form.addRow("Database:", self.database_field)
        server_form.addRow("User:", self.user_field)
        server_form.addRow("Password:", self.password_field)
        server_form.addRow(
            "", _hint(f"Kept in libpq's password file ({pgpass_path()}), not in ContactDesk's settings.")
        )
        server_form.addRow("TLS mode:", self.ssl_combo)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        server_form.addRow("", test_row)
        server_form.addRow("", self.test_result)

        database_box = QGroupBox("Where the campaigns are kept")
        database_layout = QVBoxLayout(database_box)
        database_layout.addWidget(self.file_choice)
        database_layout.addWidget(self.server_choice)
        database_layout.addWidget(self.server_fields)
        database_layout.addWidget(
            _hint(
                "A change here applies the next time ContactDesk starts. "
                "contactdesk --db and CONTACTDESK_DB still choose over it."
            )
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(caller_box)
        layout.addWidget(database_box)
        layout.addStretch(1)

        self.server_choice.toggled.connect(self._show_server_fields)
        self._show_server_fields(self.server_choice.isChecked())

    def _show_server_fields(self, server: bool) -> None:
        self.server_fields.setEnabled(server)

    def choice(self) -> ServerChoice:
        return ServerChoice(
            host=self.host_field.text().strip(),
            port=self.port_field.value(),
            database=self.database_field.text().strip(),
            user=self.user_field.text().strip(),
            sslmode=self.ssl_combo.currentData(),
        )

    def test_connection(self) -> None:
        """Connect once, on the worker; the result says the server's version or its reason, in one line."""
        choice = self.choice()
        problem = choice.problem()
        if problem:
            self.say(problem)
            return
        uri, password = choice.uri(), self.password_field.text() or None
        self.test_button.setEnabled(False)
        self.say("Connecting…")

        def failed(message: str, _details: str) -> None:
            self.test_button.setEnabled(True)
            self.say(message)

        def done(outcome: str) -> None:
            self.test_button.setEnabled(True)
            self.say(outcome)

        self.test_slot.start(
            lambda report, cancelled: _version_or_reason(uri, password), on_success=done, on_failure=failed
        )

    def say(self, text: str) -> None:
        """One line under the Test connection button."""
        self.test_result.setText(text)
        self.test_result.setVisible(bool(text))

    def problem(self) -> str | None:
        """Why the page cannot be saved as it is (None: it can)."""
        return self.choice().problem() if self.server_choice.isChecked() else None

    def save(self) -> None:
        """Keep the choices; a typed password goes to the password file. OSError when that cannot be written."""
        choice = self.choice()
        self._settings.set_caller_name(self.caller_field.text())
        self._settings.set_database(self.server_choice.isChecked(), choice)
        if self.server_choice.isChecked() and self.password_field.text():
            save_password(choice, self.password_field.text())

    def stop(self) -> None:
        self.test_slot.drop()  # never wait for a slow server: its answer is simply not shown


def _version_or_reason(uri: str, password: str | None) -> str:
    """What the test says: a refusal is an answer, not a failure of the task."""
    try:
        return f"Connected to PostgreSQL {server_version(uri, password)}"
    except ConnectionFailed as exc:
        return f"Cannot connect: {exc}"


def _field(text: str, name: str, accessible: str) -> QLineEdit:
    field = QLineEdit(text)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    return field


def _hint(text: str) -> QLabel:
    hint = QLabel(text)
    hint.setWordWrap(True)
    hint.setEnabled(False)  # the greyed look of secondary text
    return hint
