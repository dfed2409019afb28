""" "Do not call…": a note and the scope, asked before numbers go on the do-not-call list."""

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..core.wording import plural
from .dialog_buttons import add_accept_and_cancel


class DoNotCallDialog(QDialog):
    def __init__(self, count: int, campaign_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("doNotCallDialog")
        self.setWindowTitle("Do not call")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        intro = QLabel(
            f"{plural(count, 'number')} will go on the do-not-call list: never imported again, and marked "
            "do not call wherever pending. A person's request is kept for five years."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("&Note (what the person said, when, who took it):"))
        self.note = QLineEdit()
        self.note.setObjectName("dncNote")
        self.note.setPlaceholderText("e.g. asked on the phone, 3 May")
        layout.itemAt(layout.count() - 1).widget().setBuddy(self.note)
        layout.addWidget(self.note)
        self.this_campaign_only = QCheckBox(f"For this campaign only ({campaign_name})")
        self.this_campaign_only.setObjectName("dncThisCampaignOnly")
        self.this_campaign_only.setToolTip("Unchecked: no campaign may call these numbers")
        layout.addWidget(self.this_campaign_only)
        self.add_button = add_accept_and_cancel(self, layout, "Add to Do-Not-Call List")

    def answer(self) -> tuple[str, bool]:
        return self.note.text().strip(), self.this_campaign_only.isChecked()


def ask_do_not_call(parent: QWidget, count: int, campaign_name: str) -> tuple[str, bool] | None:
    """(note, this campaign only), or None when the person cancels (tests replace this)."""
    dialog = DoNotCallDialog(count, campaign_name, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.answer()
