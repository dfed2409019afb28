"""Page 2: what each column of the file becomes (phone number, name, ..., template variable, ignored).

The page shows the plan's mapping of the file (detected with its sample rows and region, as
the import uses it); every change the person makes becomes the session's new plan for the
files with these columns, so what this page accepts is exactly what the import accepts.
"""

import json
import logging

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
    QWidget,
    QWizardPage,
)

from ...core.import_plan import SourcePlan
from ...core.mapping import PHONE, MappingError, guess_phone_column
from ...core.presets import (
    delete_preset,
    list_presets,
    load_preset,
    preset_for_columns,
    rename_preset,
    save_preset,
)
from ...core.wording import quoted
from .. import messages
from .import_session import ImportSession
from .mapping_model import ColumnChoice, ColumnChoicesModel, TargetDelegate, choice_from_target, samples_of
from .styles import ERROR_STYLE

log = logging.getLogger(__name__)

OK_STYLE = (
    "QLabel { background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 4px; padding: 6px 8px; color: #1b5e20; }"
)
NOTE_STYLE = "QLabel { color: palette(window-text); padding: 2px 0; }"


def _quote(name: str) -> str:
    return quoted(name)


class MappingPage(QWizardPage):
    def __init__(self, session: ImportSession, parent=None):
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
        self._columns_shown: tuple | None = None
        self.applied_preset: str | None = None  # the preset chosen for the person because it fits

        # Several files with different columns: which set of columns is being mapped.
        self.columns_combo = QComboBox()
        self.columns_combo.setObjectName("columnsCombo")
        self.columns_combo.setAccessibleName("Files whose columns are shown")
        self.columns_combo.activated.connect(self.show_group)
        self.columns_label = QLabel("&Mapping for:")
        self.columns_label.setBuddy(self.columns_combo)

        # Said when a saved preset fits the file and was applied, with the way back.
        self.preset_banner = QLabel()
        self.preset_banner.setObjectName("presetBanner")
        self.preset_banner.setAccessibleName("Preset in use")
        self.preset_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.auto_button = QPushButton("Use a&utomatic detection")
        self.auto_button.setObjectName("useAutoDetectionButton")
        self.auto_button.setAccessibleName("Use automatic detection instead of the preset")
        self.auto_button.setAutoDefault(False)
        self.auto_button.clicked.connect(self.use_automatic_detection)
        self.preset_row = QWidget()
        banner = QHBoxLayout(self.preset_row)
        banner.setContentsMargins(0, 0, 0, 0)
        banner.addWidget(self.preset_banner, 1)
        banner.addWidget(self.auto_button)
        self.preset_row.hide()
        # What detection (and a fitting preset) chose for each set of columns, to tell the person's changes.
        self._detected_by_columns: dict[tuple, dict] = {}

        self.status_label = QLabel()
        self.status_label.setObjectName("mappingStatus")
        self.status_label.setAccessibleName("Mapping status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.model = ColumnChoicesModel(self)
        self.table = QTableView()
        self.table.setObjectName("mappingTable")
        self.table.setAccessibleName("Columns of the file and what they become")
        self.table.setModel(self.model)
        self.delegate = TargetDelegate(self.table)
        self.table.setItemDelegateForColumn(ColumnChoicesModel.TARGET, self.delegate)
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
        header.setSectionResizeMode(ColumnChoicesModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ColumnChoicesModel.SAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ColumnChoicesModel.TARGET, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ColumnChoicesModel.VARIABLE_NAME, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(ColumnChoicesModel.COLUMN, 170)
        self.table.setColumnWidth(ColumnChoicesModel.TARGET, 270)  # room for "Phone number · detected from values"
        self.table.setColumnWidth(ColumnChoicesModel.VARIABLE_NAME, 160)
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
        columns_row = QHBoxLayout()
        columns_row.addWidget(self.columns_label)
        columns_row.addWidget(self.columns_combo, 1)
        layout.addLayout(columns_row)
        layout.addWidget(self.preset_row)
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
        self.setTabOrder(self.save_preset_button, self.rename_preset_button)
        self.setTabOrder(self.rename_preset_button, self.delete_preset_button)
        self.setTabOrder(self.delete_preset_button, self.json_text)
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
        self.rename_preset_button = QPushButton("Rena&me…")
        self.rename_preset_button.setObjectName("renamePresetButton")
        self.rename_preset_button.setAccessibleName("Rename the preset")
        self.rename_preset_button.setAutoDefault(False)
        self.delete_preset_button = QPushButton("&Delete")
        self.delete_preset_button.setObjectName("deletePresetButton")
        self.delete_preset_button.setAccessibleName("Delete the preset")
        self.delete_preset_button.setAutoDefault(False)
        label = QLabel("&Preset:")
        label.setBuddy(self.preset_combo)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.preset_combo, 1)
        row.addWidget(self.load_preset_button)
        row.addWidget(self.save_preset_button)
        manage = QHBoxLayout()
        hint = QLabel("Save this mapping to reuse it: files with the same columns get it automatically.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        manage.addWidget(hint, 1)
        manage.addWidget(self.rename_preset_button, 0, Qt.AlignmentFlag.AlignTop)
        manage.addWidget(self.delete_preset_button, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addLayout(manage)
        column.addStretch(1)
        self.load_preset_button.clicked.connect(lambda: self.load_preset(self.preset_combo.currentText()))
        self.save_preset_button.clicked.connect(lambda: self.save_preset(self.preset_combo.currentText()))
        self.rename_preset_button.clicked.connect(lambda: self.rename_preset(self.preset_combo.currentText()))
        self.delete_preset_button.clicked.connect(lambda: self.delete_preset(self.preset_combo.currentText()))
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
        session = self.session
        groups = session.column_groups()
        self.columns_combo.clear()
        for group in groups:
            self.columns_combo.addItem(self._group_text(group))
        several_sets = len(groups) > 1
        self.columns_label.setVisible(several_sets)
        self.columns_combo.setVisible(several_sets)
        self._show_current_file()
        self._refresh_presets()
        self.table.setFocus()
        first = self.model.index(0, ColumnChoicesModel.TARGET)
        self.table.setCurrentIndex(first)

    def _group_text(self, group: list[int]) -> str:
        names = ", ".join(self.session.paths[index].name for index in group)
        numbers = [str(index + 1) for index in group]
        which = f"file {numbers[0]}" if len(group) == 1 else f"files {', '.join(numbers[:-1])} and {numbers[-1]}"
        return f"Columns of {which} of {len(self.session.paths)} ({names})"

    def show_group(self, group_number: int) -> None:
        """Map the columns of another set of files (as choosing it in the list does)."""
        self.session.current = self.session.column_groups()[group_number][0]
        self.columns_combo.setCurrentIndex(group_number)
        self._show_current_file()

    def _show_current_file(self) -> None:
        session = self.session
        read = session.read
        assert read is not None and read.sniffed is not None, "the preview page lets nobody on without a readable file"
        groups = session.column_groups()
        self.columns_combo.setCurrentIndex(next(n for n, group in enumerate(groups) if session.current in group))
        headers = read.headers
        samples = [samples_of(read.sniffed.sample_rows, column) for column in range(len(headers))]
        columns = session.columns_of(session.current)
        if columns == self._columns_shown:
            # Same columns (e.g. only the encoding changed): keep the person's choices, new samples.
            for choice, values in zip(self.model.choices(), samples):
                choice.samples = values
            self.model.set_choices(self.model.choices())
            return
        chosen = session.column_targets  # this set of columns was mapped before
        self._columns_shown = columns
        self.note_label.hide()  # before detection, which may show what it found from the values
        self.model.set_choices(self._detected_choices(session.source, samples))
        self.applied_preset = None
        if chosen is not None:
            self.model.apply_targets(chosen)
        elif read.sniffed.format.has_header:
            self._apply_fitting_preset(headers)
        if chosen is None:
            self._detected_by_columns[columns] = self.model.column_targets()
        self._show_preset_banner()

    def _apply_fitting_preset(self, headers: list[str]) -> None:
        try:
            name = preset_for_columns(headers)
            if name is not None:
                self.model.apply_targets(load_preset(name))
                self.applied_preset = name
        except Exception:  # a database problem must not stop the import
            log.exception("cannot look for a preset")

    def _show_preset_banner(self) -> None:
        if self.applied_preset:
            self.preset_banner.setText(
                f"Using preset {_quote(self.applied_preset)}: it was saved for files with these columns."
            )
        self.preset_row.setVisible(bool(self.applied_preset))

    def use_automatic_detection(self) -> None:
        """Drop the preset that was applied and go back to what ContactDesk detects."""
        read = self.session.read
        samples = [samples_of(read.sniffed.sample_rows, column) for column in range(len(read.headers))]
        self.model.set_choices(self._detected_choices(self.session.detect_columns(), samples))
        self._detected_by_columns[self._columns_shown] = self.model.column_targets()  # not a change to discard
        name, self.applied_preset = self.applied_preset, None
        self._show_preset_banner()
        self._mapping_changed()
        self.show_note(f"The preset {_quote(name)} is no longer used; the columns are as detected." if name else "")

    def isComplete(self) -> bool:
        return self.problem is None

    def validatePage(self) -> bool:
        self._mapping_changed()
        if self.problem is not None:
            return False
        # Every set of columns must be usable, not only the one shown.
        for number, group in enumerate(self.session.column_groups()):
            if self.session.problem_of(group[0]) is not None:
                self.show_group(number)
                self._mapping_changed()
                return False
        return True

    # -- the first mapping: the plan's ---------------------------------------------------------

    def _detected_choices(self, source: SourcePlan, samples: list[list[str]]) -> list[ColumnChoice]:
        """The rows of the table as the file's plan maps its columns (with no phone column: as detected)."""
        mapping = source.mapping or source.draft
        if mapping is None:
            targets, auto, from_values = {}, set(), set()
        else:
            targets, auto, from_values = mapping.targets, mapping.auto, mapping.from_values
            if mapping.warnings:
                self.show_note(" ".join(mapping.warnings))
        return [
            choice_from_target(header, values, targets.get(header, header), header in auto, header in from_values)
            for header, values in zip(source.read.headers, samples)
        ]

    # -- reacting to changes ---------------------------------------------------------------

    def _mapping_changed(self) -> None:
        targets = self.model.column_targets()
        self.session.set_column_targets(targets)
        self.json_text.setPlainText(json.dumps(targets, ensure_ascii=False))
        self.problem = self._find_problem()
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

    def _find_problem(self) -> str | None:
        if not self.model.rows_with(PHONE):
            text = "Choose which column holds the phone numbers (in “Imports as”, pick Phone number)."
            read = self.session.read
            guess = guess_phone_column(read.headers, read.sniffed.sample_rows, self.session.detection_region)
            if guess is not None:
                text += f" Column {_quote(guess)} looks like phone numbers."
            return text
        return self.session.problem_of(self.session.current)

    def _field_moved(self, label: str, from_header: str, to_header: str) -> None:
        self.show_note(f"{label} now comes from {_quote(to_header)}; {_quote(from_header)} became a template variable.")

    def show_note(self, text: str) -> None:
        self.note_label.setText(text)
        self.note_label.show()

    # -- table editing by mouse and keyboard -------------------------------------------------

    def _clicked(self, index: QModelIndex) -> None:
        # One click opens the choice; the cell is drawn as a combo box, so that is what people expect.
        if index.column() == ColumnChoicesModel.TARGET:
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
                self.table.setCurrentIndex(self.model.index(max(0, index.row()), ColumnChoicesModel.TARGET))
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key, modifiers = event.key(), event.modifiers()
            index = self.table.currentIndex()
            opens_choice = key in (Qt.Key.Key_Space, Qt.Key.Key_F2) and not modifiers
            opens_choice |= key == Qt.Key.Key_Down and bool(modifiers & Qt.KeyboardModifier.AltModifier)
            if (
                opens_choice
                and index.isValid()
                and index.column() == ColumnChoicesModel.TARGET
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
        """The person changed a mapping that was detected (Escape then asks before closing)."""
        session, detected = self.session, self._detected_by_columns
        current = self._columns_shown
        if current in detected and self.model.column_targets() != detected[current]:
            return True
        return any(
            mappings is not None and columns != current and columns in detected and mappings != detected[columns]
            for columns, mappings in session.targets_by_columns.items()
        )

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
        exists = self.preset_combo.findText(name) >= 0
        self.load_preset_button.setEnabled(exists)
        self.rename_preset_button.setEnabled(exists)
        self.delete_preset_button.setEnabled(exists)
        self.save_preset_button.setEnabled(bool(name))

    def rename_preset(self, name: str) -> bool:
        name = name.strip()
        new_name = messages.ask_text(self, "Rename preset", f"New name for the preset {_quote(name)}:", name)
        if new_name is None or " ".join(new_name.split()) == name:
            return False
        try:
            new_name = rename_preset(name, new_name)
        except MappingError as exc:
            self.show_note(str(exc))
            return False
        if self.applied_preset == name:
            self.applied_preset = new_name
            self._show_preset_banner()
        self._refresh_presets()
        self.preset_combo.setEditText(new_name)
        self.show_note(f"Renamed the preset {_quote(name)} to {_quote(new_name)}.")
        return True

    def delete_preset(self, name: str) -> bool:
        name = name.strip()
        if not messages.confirm(
            self, "Delete preset?", f"Delete the preset {_quote(name)}? The mapping shown stays as it is.", "Delete"
        ):
            return False
        delete_preset(name)
        self._refresh_presets()
        self.preset_combo.setEditText("")
        self.show_note(f"Deleted the preset {_quote(name)}.")
        return True

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
            save_preset(name, self.model.column_targets())
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
        missing = self.model.apply_targets(mappings)
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
