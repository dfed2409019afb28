"""Page 2: what each column of the file becomes (phone number, name, ..., template variable, ignored).

The edited mapping is checked with the importer's own ``resolve_mapping`` after every
change, so what this page accepts is exactly what the import accepts.
"""

import json
import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from ...core.mapping import PHONE, MappingError, auto_detect, guess_phone_column, resolve_mapping
from ...core.presets import list_presets, load_preset, save_preset
from ...core.wording import quoted
from .. import messages
from .mapping_model import ColumnChoice, MappingModel, TargetDelegate, choice_from_target, samples_of
from .preview_page import ERROR_STYLE

if TYPE_CHECKING:
    from .import_wizard import ImportSession

log = logging.getLogger(__name__)

OK_STYLE = (
    "QLabel { background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 4px; padding: 6px 8px; color: #1b5e20; }"
)
NOTE_STYLE = "QLabel { color: palette(window-text); padding: 2px 0; }"


def _quote(name: str) -> str:
    return quoted(name)


class MappingPage(QWizardPage):
    def __init__(self, session: "ImportSession", parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("mappingPage")
        self.setTitle("Tell ContactDesk what each column holds")
        self.setSubTitle(
            "Pick the column with the phone numbers; name, email and company are optional. Every other column "
            "becomes a template variable you can use in call scripts, unless you choose Ignore."
        )
        self.problem: str | None = None
        self.loaded_preset_missing: list[str] = []
        self._headers_shown: list[str] | None = None
        self._detected_mappings: dict | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("mappingStatus")
        self.status_label.setAccessibleName("Mapping status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.model = MappingModel(self)
        self.table = QTableView()
        self.table.setObjectName("mappingTable")
        self.table.setAccessibleName("Columns of the file and what they become")
        self.table.setModel(self.model)
        self.delegate = TargetDelegate(self.table)
        self.table.setItemDelegateForColumn(MappingModel.TARGET, self.delegate)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MappingModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(MappingModel.SAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MappingModel.TARGET, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(MappingModel.VARIABLE_NAME, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(MappingModel.COLUMN, 170)
        self.table.setColumnWidth(MappingModel.TARGET, 210)
        self.table.setColumnWidth(MappingModel.VARIABLE_NAME, 160)
        self.table.clicked.connect(self._clicked)
        self.table.installEventFilter(self)

        self.note_label = QLabel()
        self.note_label.setObjectName("mappingNote")
        self.note_label.setAccessibleName("Note")
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.hide()

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_label)
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        bottom.addWidget(self._preset_box(), 1)
        bottom.addWidget(self._json_box(), 1)
        layout.addLayout(bottom)

        self.model.mappingChanged.connect(self._mapping_changed)
        self.model.moved.connect(self._field_moved)
        self.setTabOrder(self.table, self.preset_combo)
        self.setTabOrder(self.preset_combo, self.load_preset_button)
        self.setTabOrder(self.load_preset_button, self.save_preset_button)
        self.setTabOrder(self.save_preset_button, self.json_text)
        self.setTabOrder(self.json_text, self.copy_json_button)

    def _preset_box(self) -> QGroupBox:
        box = QGroupBox("Presets")
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        self.preset_combo.setEditable(True)
        self.preset_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.preset_combo.setAccessibleName("Preset name")
        self.preset_combo.lineEdit().setPlaceholderText("Name of a preset")
        self.preset_combo.setToolTip("Pick a saved preset to load it, or type a name to save this mapping.")
        self.preset_combo.setMinimumContentsLength(14)
        self.load_preset_button = QPushButton("&Load")
        self.load_preset_button.setObjectName("loadPresetButton")
        self.load_preset_button.setAccessibleName("Load preset")
        self.load_preset_button.setAutoDefault(False)
        self.save_preset_button = QPushButton("Sa&ve")
        self.save_preset_button.setObjectName("savePresetButton")
        self.save_preset_button.setAccessibleName("Save this mapping as a preset")
        self.save_preset_button.setAutoDefault(False)
        label = QLabel("&Preset:")
        label.setBuddy(self.preset_combo)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.load_preset_button)
        row.addWidget(self.save_preset_button)
        hint = QLabel("Save this mapping to reuse it for files from the same source.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(hint)
        column.addStretch(1)
        self.load_preset_button.clicked.connect(lambda: self.load_preset(self.preset_combo.currentText()))
        self.save_preset_button.clicked.connect(lambda: self.save_preset(self.preset_combo.currentText()))
        self.preset_combo.currentTextChanged.connect(self._update_preset_buttons)
        return box

    def _json_box(self) -> QGroupBox:
        box = QGroupBox("The same mapping as JSON (for the command line)")
        self.json_text = QPlainTextEdit()
        self.json_text.setObjectName("mappingJson")
        self.json_text.setAccessibleName("Column mappings as JSON")
        self.json_text.setReadOnly(True)
        self.json_text.setTabChangesFocus(True)
        self.json_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        margins = 2 * (self.json_text.document().documentMargin() + self.json_text.frameWidth())
        self.json_text.setFixedHeight(int(self.json_text.fontMetrics().lineSpacing() * 4 + margins))
        self.copy_json_button = QPushButton("&Copy")
        self.copy_json_button.setObjectName("copyJsonButton")
        self.copy_json_button.setAccessibleName("Copy the JSON mapping")
        self.copy_json_button.setAutoDefault(False)
        self.copy_json_button.clicked.connect(self.copy_json)
        self._copied_timer = QTimer(self)  # a child timer: it dies with the page
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(1500)
        self._copied_timer.timeout.connect(lambda: self.copy_json_button.setText("&Copy"))
        row = QHBoxLayout(box)
        row.addWidget(self.json_text, 1)
        row.addWidget(self.copy_json_button, 0, Qt.AlignmentFlag.AlignTop)
        return box

    # -- QWizardPage -----------------------------------------------------------------------

    def initializePage(self) -> None:
        sniffed = self.session.sniffed
        assert sniffed is not None, "the preview page lets nobody on without a readable file"
        headers = list(sniffed.headers)
        samples = [samples_of(sniffed.sample_rows, column) for column in range(len(headers))]
        if headers == self._headers_shown:
            # Same columns (e.g. only the encoding changed): keep the person's choices, new samples.
            for choice, values in zip(self.model.choices(), samples):
                choice.samples = values
            self.model.set_choices(self.model.choices())
        else:
            self._headers_shown = headers
            self.model.set_choices(self._detected_choices(headers, samples))
            self._detected_mappings = self.model.column_mappings()
            self.note_label.hide()
        self._refresh_presets()
        self.table.setFocus()
        first = self.model.index(0, MappingModel.TARGET)
        self.table.setCurrentIndex(first)

    def isComplete(self) -> bool:
        return self.problem is None

    def validatePage(self) -> bool:
        self._mapping_changed()
        return self.problem is None

    # -- building the first mapping --------------------------------------------------------

    def _detected_choices(self, headers: list[str], samples: list[list[str]]) -> list[ColumnChoice]:
        sniffed = self.session.sniffed
        has_header = sniffed.format.has_header
        try:
            mapping = resolve_mapping(
                headers, None, has_header=has_header, sample_rows=sniffed.sample_rows, region=self.session.region
            )
            targets, auto = mapping.targets, mapping.auto
        except MappingError:
            # No phone column found: keep what was detected; the page asks for the phone column.
            detected = auto_detect(headers) if has_header else {}
            targets = {header: detected.get(header, header) for header in headers}
            auto = set(detected)
        return [
            choice_from_target(header, values, targets.get(header, header), header in auto)
            for header, values in zip(headers, samples)
        ]

    # -- reacting to changes ---------------------------------------------------------------

    def _mapping_changed(self) -> None:
        mappings = self.model.column_mappings()
        self.session.column_mappings = mappings
        self.json_text.setPlainText(json.dumps(mappings, ensure_ascii=False))
        self.problem = self._find_problem(mappings)
        if self.problem:
            self.status_label.setText(self.problem)
            self.status_label.setStyleSheet(ERROR_STYLE)
        else:
            phone_row = self.model.rows_with(PHONE)[0]
            variables = sum(1 for choice in self.model.choices() if choice.kind == "variable")
            ignored = sum(1 for choice in self.model.choices() if choice.kind == "ignore")
            text = f"✔  Phone numbers come from {_quote(self.model.headers()[phone_row])}."
            if variables == 1:
                text += " 1 column becomes a template variable."
            elif variables:
                text += f" {variables} columns become template variables."
            if ignored:
                text += f" {ignored} ignored."
            self.status_label.setText(text)
            self.status_label.setStyleSheet(OK_STYLE)
        self._update_preset_buttons()
        self.completeChanged.emit()

    def _find_problem(self, mappings: dict) -> str | None:
        if not self.model.rows_with(PHONE):
            text = "Choose which column holds the phone numbers (in “Imports as”, pick Phone number)."
            sniffed = self.session.sniffed
            guess = guess_phone_column(sniffed.headers, sniffed.sample_rows, self.session.region)
            if guess is not None:
                text += f" Column {_quote(guess)} looks like phone numbers."
            return text
        sniffed = self.session.sniffed
        try:
            resolve_mapping(
                sniffed.headers,
                mappings,
                has_header=sniffed.format.has_header,
                sample_rows=sniffed.sample_rows,
                region=self.session.region,
            )
        except MappingError as exc:
            return str(exc)
        return None

    def _field_moved(self, label: str, from_header: str, to_header: str) -> None:
        self.show_note(f"{label} now comes from {_quote(to_header)}; {_quote(from_header)} became a template variable.")

    def show_note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.show()

    # -- table editing by mouse and keyboard -------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        # One click opens the choice; the cell is drawn as a combo box, so that is what people expect.
        if index.column() == MappingModel.TARGET:
            self.table.edit(index)
            editor = self.table.indexWidget(index)
            if isinstance(editor, QComboBox):
                # Guarded: the editor may be closed before the timer fires.
                QTimer.singleShot(0, lambda: shiboken6.isValid(editor) and editor.showPopup())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.FocusIn:
            # The first Tab into the table lands on the first choice, ready for Space/F2/Alt+Down.
            index = self.table.currentIndex()
            if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason) and (
                not index.isValid() or not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable
            ):
                self.table.setCurrentIndex(self.model.index(max(0, index.row()), MappingModel.TARGET))
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key, modifiers = event.key(), event.modifiers()
            index = self.table.currentIndex()
            opens_choice = key in (Qt.Key.Key_Space, Qt.Key.Key_F2) and not modifiers
            opens_choice |= key == Qt.Key.Key_Down and bool(modifiers & Qt.KeyboardModifier.AltModifier)
            if (
                opens_choice
                and index.isValid()
                and index.column() == MappingModel.TARGET
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                self.open_choice(index)
                return True
            # Return and Enter are not handled here: they reach the wizard's default button (Next).
        return super().eventFilter(watched, event)

    def open_choice(self, index: QModelIndex) -> None:
        """Open the cell's combo box with its list showing, as a click or Space/F2/Alt+Down does."""
        self.table.setCurrentIndex(index)
        self.table.edit(index)
        editor = self.table.indexWidget(index)
        if isinstance(editor, QComboBox):
            editor.showPopup()

    def has_user_changes(self) -> bool:
        """The person changed the mapping that was detected (Escape then asks before closing)."""
        return self._detected_mappings is not None and self.model.column_mappings() != self._detected_mappings

    # -- presets -----------------------------------------------------------------------------

    def _refresh_presets(self) -> None:
        current = self.preset_combo.currentText()
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        try:
            names = list_presets()
        except Exception:  # a database problem must not stop the import
            log.exception("cannot list presets")
            names = []
        self.preset_combo.addItems(names)
        self.preset_combo.setEditText(current)
        self.preset_combo.blockSignals(False)
        self._update_preset_buttons()

    def _update_preset_buttons(self, *_ignored) -> None:
        name = self.preset_combo.currentText().strip()
        self.load_preset_button.setEnabled(self.preset_combo.findText(name) >= 0)
        self.save_preset_button.setEnabled(bool(name))

    def save_preset(self, name: str) -> bool:
        name = " ".join(name.split())
        if not name:
            self.show_note("Type a name for the preset first.")
            return False
        if self.preset_combo.findText(name) >= 0 and not messages.confirm(
            self,
            "Replace preset?",
            f"A preset named {_quote(name)} already exists. Replace it with this mapping?",
            "Replace",
        ):
            return False
        try:
            save_preset(name, self.model.column_mappings())
        except MappingError as exc:
            self.show_note(str(exc))
            return False
        except Exception as exc:
            log.exception("cannot save preset %r", name)
            messages.error(
                self, "Could not save the preset", f"The preset {_quote(name)} could not be saved.", str(exc)
            )
            return False
        self._refresh_presets()
        self.preset_combo.setEditText(name)
        self.show_note(f"Saved this mapping as the preset {_quote(name)}.")
        return True

    def load_preset(self, name: str) -> bool:
        name = name.strip()
        try:
            mappings = load_preset(name)
        except MappingError as exc:
            self.show_note(str(exc))
            return False
        missing = self.model.apply_mappings(mappings)
        text = f"Loaded the preset {_quote(name)}."
        if missing:
            listed = ", ".join(_quote(column) for column in missing[:8])
            if len(missing) > 8:
                listed += f" and {len(missing) - 8} more"
            text += (
                f" This file has no column {listed}; {'that entry was' if len(missing) == 1 else 'those entries were'}"
                " skipped."
            )
        self.show_note(text)
        self.loaded_preset_missing = missing
        return True

    # -- JSON --------------------------------------------------------------------------------

    def mapping_json(self) -> str:
        return self.json_text.toPlainText()

    def copy_json(self) -> None:
        QGuiApplication.clipboard().setText(self.mapping_json())
        self.copy_json_button.setText("Copied")
        self._copied_timer.start()
