"""Page 1: the first rows of the file, and how ContactDesk reads it (each choice can be changed).

Reading the head of a file (up to 16 MB) and detecting its columns runs on the worker: the
window keeps answering meanwhile, and the page says it is reading. What was read becomes
the session's plan for that file; nothing reads the file again until a choice here changes.
"""

import html
import logging

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ...core.csv_reader import DELIMITERS, ENCODINGS, SniffResult
from ...core.import_plan import SAMPLE_ROWS, SourcePlan
from ...core.wording import quoted
from ..plain_text import tooltip
from ..worker import TaskSlot
from .import_session import ImportSession
from .styles import ERROR_STYLE, NOTE_STYLE, bullet_list_html

log = logging.getLogger(__name__)
_ROOT = QModelIndex()  # the default parent of a table model's items

PREVIEW_ROWS = SAMPLE_ROWS
MAX_CELL_TEXT = 200  # a cell longer than this is cut in the preview (the import keeps it whole)

_DELIMITER_LABELS = {",": "Comma  ( , )", ";": "Semicolon  ( ; )", "\t": "Tab", "|": "Pipe  ( | )"}


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:,.1f} {unit}"
    return f"{size:,.1f} GB"


class PreviewModel(QAbstractTableModel):
    """The sniffed rows, read-only; the vertical header shows the row numbers a spreadsheet shows."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._numbers: list[int] = []

    def set_preview(self, sniffed: SniffResult | None) -> None:
        self.beginResetModel()
        if sniffed is None:
            self._headers, self._rows, self._numbers = [], [], []
        else:
            self._headers = list(sniffed.headers)
            self._rows = sniffed.sample_rows[:PREVIEW_ROWS]
            self._numbers = sniffed.sample_row_numbers[:PREVIEW_ROWS]
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._rows[index.row()]
            value = row[index.column()] if index.column() < len(row) else ""
            if role == Qt.ItemDataRole.DisplayRole and len(value) > MAX_CELL_TEXT:
                return value[:MAX_CELL_TEXT] + "…"
            return value.replace("\n", " ⏎ ") if role == Qt.ItemDataRole.DisplayRole else tooltip(value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if section < len(self._headers) else None
        return str(self._numbers[section]) if section < len(self._numbers) else None


SUBTITLE = (
    "These are the first rows of your file. If the columns look wrong or the letters are garbled, "
    "change how the file is read below."
)
PROBLEM_SUBTITLE = "ContactDesk cannot read this file as a list of contacts."


class PreviewPage(QWizardPage):
    def __init__(self, session: ImportSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("previewPage")
        self.setTitle("Check how the file is read")
        self.setSubTitle(SUBTITLE)
        self.error: str | None = None
        self._slot = TaskSlot(self)

        self.file_label = QLabel()
        self.file_label.setObjectName("fileLabel")
        self.file_label.setAccessibleName("File")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Several files: which one is shown (each has its own preview and read options).
        self.file_combo = QComboBox()
        self.file_combo.setObjectName("previewFileCombo")
        self.file_combo.setAccessibleName("File shown")
        for index in range(len(session.paths)):
            self.file_combo.addItem(session.file_label(index))
        self.file_combo.setVisible(session.several)
        self.file_combo.activated.connect(self.show_file)

        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("encodingCombo")
        self.encoding_combo.setAccessibleName("Text encoding")
        self.encoding_combo.setToolTip(
            "How the letters are stored. Change it if accents look garbled (Ã© instead of é)."
        )
        for codec, label in ENCODINGS.items():
            self.encoding_combo.addItem(label, codec)
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("delimiterCombo")
        self.delimiter_combo.setAccessibleName("Column separator")
        self.delimiter_combo.setToolTip("The character between two values. Change it if everything is in one column.")
        for char in DELIMITERS:
            self.delimiter_combo.addItem(_DELIMITER_LABELS.get(char, DELIMITERS[char]), char)
        self.header_check = QCheckBox("&Column names on row")
        self.header_check.setObjectName("headerCheck")
        self.header_check.setAccessibleName("The file has a row of column names")
        self.header_check.setToolTip("Untick it if the file has no column names: its first row is already a contact.")
        self.header_row_spin = QSpinBox()
        self.header_row_spin.setObjectName("headerRowSpin")
        self.header_row_spin.setAccessibleName("Row with the column names")
        self.header_row_spin.setToolTip(
            "The row that holds the column names, as a spreadsheet numbers it. Rows above it (a title, "
            "a date) are skipped."
        )
        self.header_row_spin.setRange(1, 9999)
        self.header_row_spin.setKeyboardTracking(False)  # typed digits count once Enter or Tab confirms them

        encoding_label = QLabel("&Encoding:")
        encoding_label.setBuddy(self.encoding_combo)
        delimiter_label = QLabel("&Separator:")
        delimiter_label.setBuddy(self.delimiter_combo)
        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(encoding_label)
        controls.addWidget(self.encoding_combo)
        controls.addSpacing(16)
        controls.addWidget(delimiter_label)
        controls.addWidget(self.delimiter_combo)
        controls.addSpacing(16)
        controls.addWidget(self.header_check)
        controls.addWidget(self.header_row_spin)
        controls.addStretch(1)

        self.note_label = QLabel()
        self.note_label.setObjectName("previewWarnings")
        self.note_label.setAccessibleName("Warnings about the file")
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.RichText)
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("previewError")
        self.error_label.setAccessibleName("Problem with the file")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()

        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setObjectName("previewTable")
        self.table.setAccessibleName("First rows of the file")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(140)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

        self.footer_label = QLabel()
        self.footer_label.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.footer_label.setObjectName("previewFooter")
        self.footer_label.setStyleSheet("color: #5f6368;")

        self.problem_hint = QLabel()
        self.problem_hint.setTextFormat(Qt.TextFormat.PlainText)  # may show file and campaign names
        self.problem_hint.setObjectName("previewProblemHint")
        self.problem_hint.setWordWrap(True)
        problem_panel = QWidget()
        problem_layout = QVBoxLayout(problem_panel)
        problem_layout.setContentsMargins(0, 8, 0, 0)
        problem_layout.setSpacing(10)
        problem_layout.addWidget(self.error_label)
        problem_layout.addWidget(self.problem_hint)
        problem_layout.addStretch(1)
        preview_panel = QWidget()
        preview_layout = QVBoxLayout(preview_panel)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.setSpacing(8)
        preview_layout.addWidget(self.note_label)
        preview_layout.addWidget(self.table, 1)
        preview_layout.addWidget(self.footer_label)
        self.stack = QStackedWidget()
        self.stack.addWidget(preview_panel)
        self.stack.addWidget(problem_panel)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_combo)
        file_row.addWidget(self.file_label, 1)
        layout.addLayout(file_row)
        layout.addLayout(controls)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.stack, 1)

        self.encoding_combo.activated.connect(lambda _: self._force("encoding", self.encoding_combo.currentData()))
        self.delimiter_combo.activated.connect(lambda _: self._force("delimiter", self.delimiter_combo.currentData()))
        # clicked (not toggled): only the person's own click forces the value.
        self.header_check.clicked.connect(lambda checked: self._force("has_header", bool(checked)))
        self.setTabOrder(self.file_combo, self.encoding_combo)
        self.header_row_spin.valueChanged.connect(lambda row: self._force("header_row", int(row)))
        self.setTabOrder(self.encoding_combo, self.delimiter_combo)
        self.setTabOrder(self.delimiter_combo, self.header_check)
        self.setTabOrder(self.header_check, self.header_row_spin)
        self.setTabOrder(self.header_row_spin, self.table)
        self._loaded = False

    # -- QWizardPage -----------------------------------------------------------------------

    def initializePage(self) -> None:
        if not self._loaded:  # going back to this page keeps the person's choices
            self._loaded = True
            self._read(list(range(len(self.session.paths))), first_load=True)
        (self.file_combo if self.session.several else self.encoding_combo).setFocus()

    def isComplete(self) -> bool:
        return not self._slot.is_busy() and self.error is None and self.session.all_read()

    def validatePage(self) -> bool:
        return self.isComplete()  # QWizard.next() does not ask isComplete by itself

    def is_reading(self) -> bool:
        return self._slot.is_busy()

    def stop_task(self) -> None:
        self._slot.stop()

    def show_file(self, index: int) -> None:
        """Show file ``index`` of several (as choosing it in the list does)."""
        self.session.current = index
        self.file_combo.setCurrentIndex(index)
        if not self._slot.is_busy():
            self.refresh()

    # -- reading the file ------------------------------------------------------------------

    def _force(self, key: str, value) -> None:
        self.session.read_options[key] = value
        if key == "has_header":  # ticked again: the row is detected again; unticked: there is none
            self.session.read_options.pop("header_row", None)
        # The current file again, and any file a stopped first reading left unread.
        unread = [index for index, source in enumerate(self.session.sources) if source is None]
        self._read(sorted({self.session.current, *unread}))

    def _read(self, indexes: list[int], first_load: bool = False) -> None:
        """Read the files ``indexes`` on the worker, then show the current one."""
        self._show_file_info()
        self.footer_label.setText(f"Reading {self.session.files_text() if first_load else self.session.path.name}…")
        if first_load:  # nothing detected yet: the controls would show defaults, not the file's format
            self._set_controls_enabled(False)
        self._slot.start(
            self.session.read_work(indexes),
            on_success=lambda sources: self._files_read(sources, first_load),
            on_failure=self._read_crashed,
        )
        self.completeChanged.emit()

    def _files_read(self, sources: dict[int, SourcePlan], first_load: bool) -> None:
        for index, source in sources.items():
            self.session.set_source(index, source)
        if first_load:
            self._set_controls_enabled(True)
            if self.isVisible() and self.focusWidget() is None:
                (self.file_combo if self.session.several else self.encoding_combo).setFocus()
            unreadable = [i for i, source in enumerate(self.session.sources) if source is None or source.read.error]
            if unreadable and unreadable[0] != 0:
                self.show_file(unreadable[0])  # the problem first
                return
        self.refresh()

    def _set_controls_enabled(self, enabled: bool) -> None:
        for control in (self.encoding_combo, self.delimiter_combo, self.header_check, self.header_row_spin):
            control.setEnabled(enabled)

    def _read_crashed(self, message: str, details: str) -> None:
        self._set_controls_enabled(True)
        log.error("reading %s crashed: %s\n%s", self.session.path, message, details)
        self._show_problem(f"The file cannot be read: {message}")

    def refresh(self) -> None:
        """Show the current file as it was read (or the problem)."""
        session = self.session
        self._show_file_info()
        read = session.read
        if read is None or read.sniffed is None:
            error = read.error if read is not None else None
            log.info("cannot preview %s: %s", session.path, error)
            self._show_problem(error or "The file cannot be read.")
            return
        sniffed = read.sniffed
        self.error = None
        self.error_label.hide()
        self.stack.setCurrentIndex(0)
        self.setSubTitle(SUBTITLE)
        self._show_format(sniffed)
        self.model.set_preview(sniffed)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            width = self.table.columnWidth(column)
            self.table.setColumnWidth(column, max(80, min(width + 12, 260)))
        if sniffed.warnings:
            self.note_label.setText(bullet_list_html(sniffed.warnings))
            self.note_label.show()
        else:
            self.note_label.hide()
        shown = len(sniffed.sample_rows)
        columns = f"{len(sniffed.headers)} column{'s' if len(sniffed.headers) != 1 else ''}"
        if shown >= PREVIEW_ROWS:
            self.footer_label.setText(f"{columns}. Showing the first {PREVIEW_ROWS} rows; every row is imported.")
        else:
            self.footer_label.setText(f"{columns}. Showing all {shown} row{'s' if shown != 1 else ''} of the file.")
        self.completeChanged.emit()

    def _show_file_info(self) -> None:
        path = self.session.path
        try:
            size = format_size(path.stat().st_size)
        except OSError:
            size = "size unknown"
        target = f" into {quoted(self.session.campaign_name)}" if self.session.campaign_name else ""
        if self.session.several:
            target = f" (one list of {len(self.session.paths)} files){target}"
        self.file_label.setText(
            f"<b>{_escape(path.name)}</b> &nbsp;·&nbsp; {size} &nbsp;·&nbsp; importing{_escape(target)}"
        )
        self.file_label.setToolTip(tooltip(str(path)))

    def _show_format(self, sniffed: SniffResult) -> None:
        fmt = sniffed.format
        for combo, value, labels in (
            (self.encoding_combo, fmt.encoding, ENCODINGS),
            (self.delimiter_combo, fmt.delimiter, DELIMITERS),
        ):
            index = combo.findData(value)
            if index < 0:  # a value detected but not in the list (e.g. a sep= line naming ':')
                combo.addItem(labels.get(value, repr(value)), value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        self.header_check.setChecked(fmt.has_header)
        self.header_row_spin.blockSignals(True)  # showing the detected row is not the person's choice
        self.header_row_spin.setValue(fmt.header_row or 1)
        self.header_row_spin.blockSignals(False)
        self.header_row_spin.setEnabled(fmt.has_header)

    def _show_problem(self, message: str) -> None:
        self.error = message
        self.error_label.setText(message)
        self.error_label.show()
        self.model.set_preview(None)
        self.stack.setCurrentIndex(1)
        self.setSubTitle(PROBLEM_SUBTITLE)
        forced = bool(self.session.read_options)
        self.problem_hint.setText(
            "Change how the file is read above, or cancel and choose another file."
            if forced
            else "Cancel, fix the file (or choose another one), and drop it on the window again."
        )
        self.completeChanged.emit()


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
