"""What an import did, in numbers a person can check: shown when an import has finished.

Takes a plain result dict (``ImportResult.to_dict()``), so it can also show a result
that came from anywhere else (the selftest, an earlier run).
"""

import html

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..core.wording import plural
from .invalid_rows_dialog import InvalidRowsDialog
from .plain_text import tooltip
from .undo_import import confirm_and_undo
from .worker import TaskSlot


def format_import_date(value: str) -> str:
    """An ISO timestamp as the person's locale writes a date and time; the text itself if unreadable."""
    when = QDateTime.fromString(value or "", Qt.DateFormat.ISODate)
    if not when.isValid():
        return value or "unknown"
    when = when.toLocalTime()
    locale = QLocale()
    return (
        f"{locale.toString(when.date(), QLocale.FormatType.LongFormat)}, "
        f"{locale.toString(when.time(), QLocale.FormatType.ShortFormat)}"
    )


def bullet_list_html(items: list[str], bullet: str = "•") -> str:
    """Rich text for a list whose wrapped lines line up under the text, not under the bullet."""
    rows = "".join(
        f"<tr><td style='padding-right:6px'>{bullet}</td><td>{html.escape(item)}</td></tr>" for item in items
    )
    return f"<table cellspacing='0' cellpadding='1'>{rows}</table>"


def files_text(result: dict) -> str:
    """One line per file of a several-file import: 'File 1 of 3: name.csv: 40 rows, ...'."""
    files = result.get("files") or []
    lines = []
    for number, file in enumerate(files, 1):
        parts = [plural(int(file.get("rows_read") or 0), "row"), f"{int(file.get('imported_count') or 0):,} new"]
        if file.get("skipped_duplicates"):
            parts.append(plural(int(file["skipped_duplicates"]), "duplicate"))
        if file.get("invalid_count"):
            parts.append(f"{int(file['invalid_count']):,} invalid")
        lines.append(f"File {number} of {len(files)}: {file.get('file_name', '')}: {', '.join(parts)}")
    return "\n".join(lines)


def _count(value) -> str:
    return f"{int(value or 0):,}"


class ImportResultsDialog(QDialog):
    """Non-blocking: show it with ``open()``. objectName ``importResultsDialog``."""

    undone = Signal(dict)  # the import was undone from here: the undo's result, as plain data

    def __init__(self, result: dict, parent: QWidget | None = None, write_invalid_rows=None):
        super().__init__(parent)
        self._write_invalid_rows = write_invalid_rows  # (path) -> count: the original rows, whole
        self.setObjectName("importResultsDialog")
        self.result = dict(result)
        success = bool(result.get("success"))
        self.setWindowTitle("Import finished" if success else "Import failed")
        self.setMinimumWidth(620)
        self.invalid_rows_dialog: InvalidRowsDialog | None = None
        self.undo_slot = TaskSlot(self)  # the undo, while it runs
        self.undo_slot.busy.connect(self._undo_busy)
        self.labels: dict[str, QLabel] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 14)
        layout.setSpacing(14)
        layout.addLayout(self._headline(success))
        layout.addWidget(self._separator())
        layout.addLayout(self._numbers())
        warnings = self._warnings()
        if warnings is not None:
            layout.addWidget(warnings)
        layout.addStretch(1)
        layout.addWidget(self._buttons())
        # Never smaller than what it shows (a backup path is long and cannot wrap).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)

    # -- building --------------------------------------------------------------------------

    def _headline(self, success: bool) -> QHBoxLayout:
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_DialogApplyButton if success else QStyle.StandardPixmap.SP_MessageBoxCritical
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(32, 32))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        message = QLabel(self.result.get("message") or ("Import finished." if success else "Import failed."))
        message.setTextFormat(Qt.TextFormat.PlainText)  # shows the file name
        message.setObjectName("resultMessage")
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = message.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        message.setFont(font)
        message.setAccessibleName("Result")
        self.labels["message"] = message
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(icon)
        row.addWidget(message, 1)
        return row

    @staticmethod
    def _separator() -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def _add(self, form: QFormLayout, key: str, label: str, value: str, tip: str = "") -> QLabel:
        field = QLabel(value)
        field.setObjectName(f"result_{key}")
        field.setTextFormat(Qt.TextFormat.PlainText)
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        field.setAccessibleName(label.rstrip(":"))
        field.setAccessibleDescription(value)
        if tip:
            field.setToolTip(tooltip(tip))
        form.addRow(label, field)
        self.labels[key] = field
        return field

    def _numbers(self) -> QFormLayout:
        r = self.result
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(7)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._add(form, "file_name", "File:", r.get("file_name") or "—")
        self._add(form, "import_date", "Imported on:", format_import_date(r.get("import_date", "")))
        self._add(form, "imported_count", "Contacts imported:", _count(r.get("imported_count")))
        self._add(form, "total_contacts", "Contacts in the campaign now:", _count(r.get("total_contacts")))
        in_file, in_campaign = int(r.get("duplicates_in_file") or 0), int(r.get("duplicates_in_campaign") or 0)
        skipped = int(r.get("skipped_duplicates") or in_file + in_campaign)
        self._add(
            form,
            "skipped_duplicates",
            "Duplicates skipped:",
            f"{skipped:,}  ({in_file:,} repeated in the file{'s' if r.get('files') else ''}, {in_campaign:,} already in the campaign)"
            if skipped
            else "0",
            "A number that appears twice is imported once; a number already called in this campaign is kept as it is.",
        )
        self._add(
            form,
            "invalid_count",
            "Rows with an invalid number:",
            _count(r.get("invalid_count")),
            "These rows were not imported; use “Show invalid rows” to see why.",
        )
        suppressed = int(r.get("suppressed_count") or 0)
        if suppressed:
            self._add(
                form,
                "suppressed_count",
                "On your do-not-call list:",
                f"{plural(suppressed, 'number')}, not imported",
                "These rows were not imported; “Show invalid rows” lists them with the list entry's reason.",
            )
        keeping = r.get("mode") == "keep_pending"
        removed, kept = int(r.get("removed_count") or 0), int(r.get("kept_count") or 0)
        self._add(
            form,
            "removed_count",
            "Earlier contacts replaced:",
            "0: the pending contacts were kept" if keeping else plural(removed, "pending or skipped contact"),
            "Contacts not called yet (pending or skipped) are replaced by an import, unless you choose to keep them.",
        )
        self._add(
            form,
            "kept_count",
            "Contacts kept:" if keeping else "Call history kept:",
            plural(kept, "contact") + " already in the campaign"
            if keeping
            else plural(kept, "completed, failed or do-not-call contact"),
            "Contacts already called (completed or failed) or marked do not call are never removed by an import.",
        )
        if r.get("backup_path"):
            # Where to go back to: the copy taken before the pending contacts were replaced.
            self._add(
                form,
                "backup_path",
                "Backup before the import:",
                str(r["backup_path"]),
                "Restoring this backup (File menu) puts the campaign back as it was before this import.",
            )  # not wrapped: a path has no place to break, so the dialog grows to show it whole
        if r.get("files"):
            self._add(form, "files", "Each file:", files_text(r))
        return form

    def _warnings(self) -> QLabel | None:
        warnings = list(self.result.get("warnings") or [])
        if not warnings:
            return None
        label = QLabel(bullet_list_html(warnings, "⚠"))
        label.setObjectName("resultWarnings")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName("Warnings")
        label.setStyleSheet(
            "QLabel#resultWarnings { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px;"
            " padding: 8px; color: #5d4300; }"
        )
        self.labels["warnings"] = label
        return label

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("closeResultsButton")
        self.close_button.setAccessibleName("Close")
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.invalid_rows_button = QPushButton("Show in&valid rows…")
        self.invalid_rows_button.setObjectName("showInvalidRowsButton")
        self.invalid_rows_button.setAccessibleName("Show or save the rows with invalid numbers")
        self.invalid_rows_button.setAutoDefault(False)
        left_out = int(self.result.get("invalid_count") or 0) + int(self.result.get("suppressed_count") or 0)
        has_invalid = bool(self.result.get("errors")) and left_out > 0
        self.invalid_rows_button.clicked.connect(self.show_invalid_rows)
        buttons.addButton(self.invalid_rows_button, QDialogButtonBox.ButtonRole.ActionRole)
        # After addButton: the button box shows every button it is given.
        self.invalid_rows_button.setVisible(has_invalid)
        self.invalid_rows_button.setEnabled(has_invalid)
        self.undo_button = QPushButton("&Undo this import…")
        self.undo_button.setObjectName("undoThisImportButton")
        self.undo_button.setToolTip(
            tooltip("Remove the contacts this import added and bring back the ones it replaced; asks first")
        )
        self.undo_button.setAutoDefault(False)  # Return closes the dialog; it never starts an undo
        self.undo_button.clicked.connect(self.undo_import)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setVisible(self._can_undo())
        return buttons

    def _can_undo(self) -> bool:
        r = self.result
        return (
            bool(r.get("success")) and not r.get("dry_run") and bool(r.get("import_id")) and bool(r.get("campaign_id"))
        )

    # -- actions ---------------------------------------------------------------------------

    def show_invalid_rows(self) -> InvalidRowsDialog:
        if self.invalid_rows_dialog is None:
            self.invalid_rows_dialog = InvalidRowsDialog(
                self.result.get("errors") or [],
                int(self.result.get("error_count") or self.result.get("invalid_count") or 0),
                self.result.get("file_name", ""),
                self,
                write_rows=self._write_invalid_rows,
            )
        self.invalid_rows_dialog.open()
        return self.invalid_rows_dialog

    def undo_import(self) -> None:
        if not self._can_undo() or self.undo_slot.is_busy():
            return
        confirm_and_undo(
            self, self.undo_slot, int(self.result["campaign_id"]), int(self.result["import_id"]), self._undone
        )

    def _undo_busy(self, busy: bool) -> None:
        self.undo_button.setEnabled(not busy)
        if busy:
            self.labels["message"].setText("Undoing this import…")
        elif not self.result.get("undone"):  # refused or failed: the import still stands
            self.labels["message"].setText(self.result.get("message") or "Import finished.")

    def _undone(self, result: dict) -> None:
        self.result["undone"] = True
        self.setWindowTitle("Import undone")
        self.labels["message"].setText(result["message"])
        self.undo_button.hide()
        # The other numbers say what the import did; this one said what the campaign holds, which changed.
        total = self.labels["total_contacts"]
        now = int(self.result.get("total_contacts") or 0) - int(result.get("removed_count") or 0)
        total.setText(f"{now + int(result.get('restored_count') or 0):,} (after the undo)")
        total.setAccessibleDescription(total.text())
        self.undone.emit(result)
