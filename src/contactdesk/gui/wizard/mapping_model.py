"""The mapping table: one row per CSV column, with what it becomes in a contact.

Rules kept here (not in the page): at most one column per standard field (choosing a
field another column has moves it; that column becomes a template variable), and a
column detected automatically stays marked as such until the person changes it.
"""

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QWidget,
)

from ...core.mapping import FIELD_LABELS, STANDARD_FIELDS
from ...core.wording import quoted
from ..plain_text import tooltip

_ROOT = QModelIndex()  # the default parent of a table model's items

VARIABLE, IGNORE = "variable", "ignore"
KINDS = (*STANDARD_FIELDS, VARIABLE, IGNORE)
KIND_LABELS = {**FIELD_LABELS, VARIABLE: "Template variable", IGNORE: "Ignore"}
_AUTO_MARK = {False: "  · auto", True: " · detected from values"}
SAMPLES_SHOWN = 3
MAX_SAMPLE_TEXT = 40


@dataclass
class ColumnChoice:
    header: str
    samples: list[str]
    kind: str  # one of KINDS
    variable: str  # the template variable name (used when kind == VARIABLE)
    auto: bool = False  # detected from the header or the values, not chosen by the person
    from_values: bool = False  # detected from the values (no header named it)

    def target(self) -> str | None:
        """The value for the column targets ({"CSV column": target})."""
        if self.kind == IGNORE:
            return None
        if self.kind == VARIABLE:
            return self.variable.strip() or self.header
        return self.kind


def choice_from_target(
    header: str, samples: list[str], target: str | None, auto: bool = False, from_values: bool = False
) -> ColumnChoice:
    if target is None or target == "":
        return ColumnChoice(header, samples, IGNORE, header)
    if target in STANDARD_FIELDS:
        return ColumnChoice(header, samples, target, header, auto, auto and from_values)
    return ColumnChoice(header, samples, VARIABLE, target)


def samples_of(sample_rows: list[list[str]], column: int) -> list[str]:
    values = []
    for row in sample_rows:
        value = row[column].strip() if column < len(row) else ""
        if value and value not in values:
            values.append(value)
            if len(values) == SAMPLES_SHOWN:
                break
    return values


class ColumnChoicesModel(QAbstractTableModel):
    COLUMN, SAMPLES, TARGET, VARIABLE_NAME = range(4)
    HEADERS = ("Column in the file", "Sample values", "Imports as", "Variable name")
    KIND_ROLE = Qt.ItemDataRole.UserRole + 1

    mappingChanged = Signal()
    moved = Signal(str, str, str)  # field label, from column, to column: a field changed hands

    def __init__(self, parent=None):
        super().__init__(parent)
        self._choices: list[ColumnChoice] = []

    # -- contents --------------------------------------------------------------------------

    def set_choices(self, choices: list[ColumnChoice]) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        self.endResetModel()
        self.mappingChanged.emit()

    def choices(self) -> list[ColumnChoice]:
        return list(self._choices)

    def headers(self) -> list[str]:
        return [choice.header for choice in self._choices]

    def row_of(self, header: str) -> int:
        for row, choice in enumerate(self._choices):
            if choice.header == header:
                return row
        raise KeyError(header)

    def column_targets(self) -> dict[str, str | None]:
        return {choice.header: choice.target() for choice in self._choices}

    def rows_with(self, kind: str) -> list[int]:
        return [row for row, choice in enumerate(self._choices) if choice.kind == kind]

    # -- changing --------------------------------------------------------------------------

    def set_kind(self, row: int, kind: str) -> None:
        """What a person's choice in the combo does: a standard field taken elsewhere moves here."""
        if kind not in KINDS:
            raise ValueError(f"unknown target {kind!r}")
        choice = self._choices[row]
        if choice.kind == kind:
            return  # the same choice again (Return in the open list) is no change: it stays "auto"
        if kind in STANDARD_FIELDS:
            for other_row in self.rows_with(kind):
                if other_row != row:
                    other = self._choices[other_row]
                    other.kind, other.auto = VARIABLE, False
                    other.variable = other.variable or other.header
                    self._row_changed(other_row)
                    self.moved.emit(KIND_LABELS[kind], other.header, choice.header)
        choice.kind, choice.auto, choice.from_values = kind, False, False
        if kind == VARIABLE and not choice.variable.strip():
            choice.variable = choice.header
        self._row_changed(row)
        self.mappingChanged.emit()

    def set_variable_name(self, row: int, name: str) -> None:
        choice = self._choices[row]
        choice.variable = name.strip()
        choice.auto = False
        self._row_changed(row)
        self.mappingChanged.emit()

    def apply_targets(self, targets: dict) -> list[str]:
        """Apply a preset's entries for the columns this file has; returns the preset columns it lacks.

        A column is matched by its exact name, else by its name ignoring case and spaces around.
        """
        by_name = {choice.header: row for row, choice in enumerate(self._choices)}
        by_folded: dict[str, list[int]] = {}
        for row, choice in enumerate(self._choices):
            by_folded.setdefault(choice.header.strip().casefold(), []).append(row)
        missing: list[str] = []
        assigned: list[tuple[int, str | None]] = []
        for name, target in targets.items():
            row = by_name.get(name)
            if row is None:
                folded = by_folded.get(str(name).strip().casefold(), [])
                row = folded[0] if len(folded) == 1 else None
            if row is None:
                missing.append(str(name))
            else:
                assigned.append((row, target))
        preset_fields = {target for _, target in assigned if target in STANDARD_FIELDS}
        for row, choice in enumerate(self._choices):
            if choice.kind in preset_fields and row not in {r for r, _ in assigned}:
                choice.kind, choice.auto = VARIABLE, False  # the preset names another column for it
                choice.variable = choice.variable or choice.header
        for row, target in assigned:
            choice = self._choices[row]
            self._choices[row] = choice_from_target(choice.header, choice.samples, target)
        self.beginResetModel()
        self.endResetModel()
        self.mappingChanged.emit()
        return missing

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._choices)

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # The variable name is only editable for a column that is a template variable.
        variable_name = index.column() == self.VARIABLE_NAME and self._choices[index.row()].kind == VARIABLE
        if index.column() == self.TARGET or variable_name:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        choice = self._choices[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COLUMN:
                return choice.header
            if column == self.SAMPLES:
                shown = [s if len(s) <= MAX_SAMPLE_TEXT else s[:MAX_SAMPLE_TEXT] + "…" for s in choice.samples]
                return ",  ".join(shown) if shown else "(empty in the first rows)"
            if column == self.TARGET:
                return KIND_LABELS[choice.kind] + (_AUTO_MARK[choice.from_values] if choice.auto else "")
            if column == self.VARIABLE_NAME:
                return choice.variable if choice.kind == VARIABLE else ""
        if role == Qt.ItemDataRole.EditRole:
            if column == self.TARGET:
                return choice.kind
            if column == self.VARIABLE_NAME:
                return choice.variable
        if role == self.KIND_ROLE:
            return choice.kind
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._tooltip(choice, column))
        if role == Qt.ItemDataRole.FontRole and column == self.TARGET and choice.auto:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.SAMPLES and not choice.samples:
                return QApplication.palette().placeholderText()
            if choice.kind == IGNORE and column in (self.COLUMN, self.SAMPLES):
                return QApplication.palette().placeholderText()
        return None

    def _tooltip(self, choice: ColumnChoice, column: int) -> str | None:
        if column == self.SAMPLES:
            return "\n".join(choice.samples) or "No values in the first rows"
        if column == self.TARGET:
            if choice.auto and choice.from_values:
                return (
                    f"No column is named like a phone column; the values of {quoted(choice.header)} are phone "
                    "numbers, so they are used. Click to choose something else."
                )
            if choice.auto:
                return f"Chosen automatically from the column {quoted(choice.header)}. Click to choose something else."
            return "Click (or press Space or F2) to choose what this column becomes."
        if column == self.VARIABLE_NAME and choice.kind == VARIABLE:
            return f"Use {{{{{choice.variable}}}}} in a call script to insert this value. Click to rename."
        if column == self.COLUMN:
            return choice.header
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() == self.TARGET and value in KINDS:
            self.set_kind(index.row(), value)
            return True
        if index.column() == self.VARIABLE_NAME and self._choices[index.row()].kind == VARIABLE:
            self.set_variable_name(index.row(), str(value))
            return True
        return False

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class _ChoiceCombo(QComboBox):
    """The cell's editor; says when its list closes without a choice."""

    dismissed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.committed = False

    def showPopup(self) -> None:
        super().showPopup()
        container = self.view().window()  # the list's own top-level frame
        if container is not self.window():
            container.removeEventFilter(self)
            container.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Qt closes the list on Escape or a click outside without calling hidePopup().
        if event.type() == QEvent.Type.Hide and watched is self.view().window():
            # Later: when a choice closes the list, activated (and the commit) come after the hide.
            QTimer.singleShot(0, self, lambda: self.committed or self.dismissed.emit())
        return super().eventFilter(watched, event)


class TargetDelegate(QStyledItemDelegate):
    """Draws the target cell as a combo box (so it looks choosable) and edits it with one."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        combo = _ChoiceCombo(parent)
        combo.setAccessibleName("Imports as")
        for kind in KINDS:
            combo.addItem(KIND_LABELS[kind], kind)
        # One choice is the whole edit: commit as soon as it is made.
        combo.activated.connect(lambda _: self._commit(combo))
        # The list closed without a choice (Escape, a click outside): close the cell too, so the
        # next Return means Next again instead of reaching a half-open editor.
        combo.dismissed.connect(lambda: self._dismiss(combo))
        return combo

    def _dismiss(self, combo: "_ChoiceCombo") -> None:
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)
        view = self.parent()
        if isinstance(view, QWidget) and view.isVisible():
            # The closed list can leave no window active: give the keys back to the table.
            view.activateWindow()
            view.setFocus(Qt.FocusReason.PopupFocusReason)

    def _commit(self, combo: "_ChoiceCombo") -> None:
        combo.committed = True
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.SubmitModelCache)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        kind = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentIndex(max(0, editor.findData(kind)))

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        editor.setGeometry(option.rect)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        # The selection background first, then a combo box look inside the cell.
        background = QStyleOptionViewItem(option)
        background.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        combo = QStyleOptionComboBox()
        combo.rect = QRect(option.rect.adjusted(3, 2, -3, -2))
        combo.state = option.state & ~QStyle.StateFlag.State_HasFocus
        combo.state |= QStyle.StateFlag.State_Enabled
        combo.palette = option.palette
        combo.currentText = option.text
        combo.frame = True
        painter.save()
        painter.setFont(option.font)
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, combo, painter, widget)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, combo, painter, widget)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 40, max(hint.height(), 30))
