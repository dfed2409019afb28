"""Campaign > Calling Hours…: the campaign's hours per weekday, saved through core.campaign_hours."""

import sqlite3

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.calling_hours import DAY_NAMES, DAYS, HoursError, Span, state_rules
from ..core.campaign_hours import campaign_hours, set_campaign_hours
from ..core.campaigns import CampaignNotFound
from ..store.connection import ReadOnlyDatabaseError
from ..store.driver import peewee as pw
from . import messages

# Each day's Alt letter, once in the dialog (O and C are OK and Cancel).
DAY_LABELS = ("&Monday", "&Tuesday", "&Wednesday", "T&hursday", "&Friday", "&Saturday", "S&unday")
DEFAULT_OPEN, DEFAULT_CLOSE = QTime(8, 0), QTime(21, 0)


def _time(minutes: int) -> QTime:
    return QTime(min(minutes, 23 * 60 + 59) // 60, min(minutes, 23 * 60 + 59) % 60)


def state_rules_note() -> str:
    """The stricter state rules, states with the same hours together: 'FL, MD, OK, WA: daily 08:00-20:00'."""
    by_hours: dict[str, list[str]] = {}
    for rule in state_rules().values():
        by_hours.setdefault(", ".join(rule.hours.specs()), []).append(rule.state)
    lines = "\n".join(f"   {', '.join(states)}: {hours}" for hours, states in by_hours.items())
    return (
        "Contacts in states with stricter rules get the narrower window, in their own time zone:\n"
        f"{lines}\nNot legal advice: check the laws that apply to your calls."
    )


class DayRow:
    """One weekday: open or closed, and from when to when."""

    def __init__(self, grid: QGridLayout, row: int, day: int, span: Span):
        self.day = day
        self.open = QCheckBox(DAY_LABELS[day])
        self.open.setObjectName(f"hoursOpen_{DAYS[day]}")
        self.open.setToolTip(f"Unchecked: no calls on {DAY_NAMES[day]}")
        self.start, self.end = QTimeEdit(), QTimeEdit()
        for edit, which in ((self.start, "from"), (self.end, "until")):
            edit.setDisplayFormat("HH:mm")
            edit.setObjectName(f"hours_{which}_{DAYS[day]}")
            edit.setAccessibleName(f"{DAY_NAMES[day]} calls {which}")
        self.start.setTime(DEFAULT_OPEN if span is None else _time(span[0]))
        self.end.setTime(DEFAULT_CLOSE if span is None else _time(span[1]))
        self.closed_note = QLabel("closed")
        self.closed_note.setStyleSheet("color: palette(placeholder-text);")
        self.open.toggled.connect(self._toggled)
        self.open.setChecked(span is not None)
        self._toggled(span is not None)
        grid.addWidget(self.open, row, 0)
        grid.addWidget(self.start, row, 1)
        grid.addWidget(QLabel("to"), row, 2)
        grid.addWidget(self.end, row, 3)
        grid.addWidget(self.closed_note, row, 4)

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.closed_note.setVisible(not on)

    def spec(self) -> str:
        if not self.open.isChecked():
            return f"{DAYS[self.day]} closed"
        return f"{DAYS[self.day]} {self.start.time().toString('HH:mm')}-{self.end.time().toString('HH:mm')}"


class CallingHoursDialog(QDialog):
    """Non-blocking: ``open()`` it; ``accepted`` means the hours were saved."""

    def __init__(self, campaign_id: int, campaign_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("callingHoursDialog")
        self.setWindowTitle(f"Calling hours – {campaign_name}")
        self.campaign_id = campaign_id
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        intro = QLabel("When this campaign's contacts may be called, in each contact's local time:")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        hours = campaign_hours(campaign_id)
        for column, title in ((1, "From"), (3, "Until")):
            heading = QLabel(title)
            heading.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(heading, 0, column)
        self.rows = [DayRow(grid, day + 1, day, hours.days[day]) for day in range(7)]
        grid.setColumnStretch(5, 1)
        layout.addLayout(grid)
        note = QLabel(state_rules_note())
        note.setObjectName("stateRulesNote")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)  # keeps its line breaks, one line per group of states
        note.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)  # Return saves, from any control
        self.setMinimumWidth(520)
        self.rows[0].open.setFocus()

    def specs(self) -> list[str]:
        return [row.spec() for row in self.rows]

    def accept(self) -> None:
        """Save, then close; a day that ends before it starts is said, and nothing is saved."""
        wrong = [DAY_NAMES[row.day] for row in self.rows if row.open.isChecked() and row.end.time() <= row.start.time()]
        if wrong:
            messages.warn(self, "Check the hours", f"On {', '.join(wrong)} the calls end before they start.")
            return
        try:
            set_campaign_hours(self.campaign_id, self.specs())
        except (HoursError, CampaignNotFound, ReadOnlyDatabaseError) as exc:
            messages.warn(self, "The hours were not saved", str(exc))
            return
        except (pw.DatabaseError, sqlite3.Error) as exc:  # locked by another program, disk full…
            messages.warn(
                self, "The hours were not saved", f"The database could not be written: {exc}. Nothing changed."
            )
            return
        super().accept()
