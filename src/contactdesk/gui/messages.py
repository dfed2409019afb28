"""Every message box ContactDesk shows goes through here, so tests (and the selftest) can answer them.

``info``, ``warn`` and ``error`` open their box without blocking and return it; ``confirm`` and
``ask_text`` need an answer, so they wait. Tests monkeypatch these functions; the selftest
calls ``record_instead_of_showing`` so nothing ever waits for a person who is not there.
"""

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

# When a list: messages are appended here as (kind, title, text) instead of being shown.
_recorded: list[tuple[str, str, str]] | None = None


def record_instead_of_showing(messages: list | None) -> None:
    """Headless runs: collect messages in ``messages`` (confirm answers no); ``None`` shows them again."""
    global _recorded
    _recorded = messages


def _record(kind: str, title: str, text: str) -> bool:
    if _recorded is None:
        return False
    _recorded.append((kind, title, text))
    log.info("%s (not shown): %s: %s", kind, title, text)
    return True


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.open()
    return box


def info(parent: QWidget | None, title: str, text: str) -> QMessageBox | None:
    if _record("info", title, text):
        return None
    return _box(parent, QMessageBox.Icon.Information, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> QMessageBox | None:
    if _record("warn", title, text):
        return None
    return _box(parent, QMessageBox.Icon.Warning, title, text)


def error(
    parent: QWidget | None, title: str, text: str, details: str | None = None, *, wait: bool = False
) -> QDialog | None:
    """A plain-language error; ``details`` (technical text) sit behind "Show details" with a copy button.

    ``wait`` blocks until closed: only for start-up failures, when there is no window to keep alive.
    """
    if _record("error", title, text):
        return None
    dialog = ErrorDialog(title, text, details, parent)
    if wait:
        dialog.exec()
        return dialog
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def confirm(parent: QWidget | None, title: str, text: str, ok_label: str) -> bool:
    """Ask before doing something; Cancel is the default so a stray Enter does nothing harmful."""
    if _record("confirm", title, text):
        return False
    box, ok = confirm_box(parent, title, text, ok_label)
    box.exec()
    return box.clickedButton() is ok


def confirm_box(parent: QWidget | None, title: str, text: str, ok_label: str) -> tuple[QMessageBox, QPushButton]:
    """The question ``confirm`` asks, not yet shown (also for screenshots)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    ok = box.addButton(ok_label, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, ok


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text from the person (a campaign name); None when they cancel."""
    if _record("ask_text", title, label):
        return None
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    dialog.setMinimumWidth(380)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


class ErrorDialog(QDialog):
    """An error in plain words, with the technical details hidden until asked for and easy to copy."""

    def __init__(self, title: str, text: str, details: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addWidget(self.message, 1)

        self.details = QPlainTextEdit(details or "")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Error details")
        self.details.setMinimumHeight(180)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setVisible(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setAccessibleName("Copy details")
        self.copy_button.clicked.connect(self.copy_details)
        self.toggle_button = QPushButton("Show details")
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._toggle_details)
        if details:
            buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
            buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message.text()}\n\n{self.details.toPlainText()}")
        self.copy_button.setText("Copied")

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle_button.setText("Hide details" if shown else "Show details")
        self.adjustSize()
