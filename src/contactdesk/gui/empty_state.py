"""A centred message with up to two buttons, shown instead of an empty contacts table."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A centred message with up to two buttons, shown instead of an empty table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("contactsEmptyState")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.button = QPushButton()
        self.second_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.button, self.second_button):
            button.setMinimumWidth(170)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addSpacing(6)
        layout.addWidget(self.hint)
        layout.addSpacing(14)
        layout.addLayout(buttons)
        layout.addStretch(3)
        self._actions = [None, None]
        self.button.clicked.connect(lambda: self._run(0))
        self.second_button.clicked.connect(lambda: self._run(1))

    def _run(self, which: int) -> None:
        if self._actions[which] is not None:
            self._actions[which]()

    def show_state(self, title: str, hint: str, *buttons: tuple[str, object]) -> None:
        """``buttons``: up to two (text, action) pairs."""
        self.title.setText(title)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        for index, button in enumerate((self.button, self.second_button)):
            text, action = buttons[index] if index < len(buttons) else ("", None)
            button.setText(text)
            button.setAccessibleName(text)
            button.setVisible(bool(text))
            self._actions[index] = action
