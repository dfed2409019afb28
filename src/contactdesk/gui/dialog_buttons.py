"""The button row of a dialog that does one thing: Cancel, and a default button that says what."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLayout, QPushButton


def add_accept_and_cancel(dialog: QDialog, layout: QLayout, accept_text: str) -> QPushButton:
    """Add the row to ``layout``; returns the accepting button, which Return presses."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    accept = buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    # Only once the buttons are in the dialog: before, the dialog does not know them and makes Cancel its default.
    accept.setDefault(True)
    return accept
