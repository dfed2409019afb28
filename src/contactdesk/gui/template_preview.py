"""Contacts > Preview Script…: a call script with {placeholders}, filled with the selected contact's
fields and imported columns, as the caller will read it. Placeholders the contact has no value
for stay as written and are named below the result, so a typo or a missing column shows at once."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.templates import render
from ..core.wording import visible
from .contacts_model import PHONE_COLUMN

STANDARD_FIELDS = ("name", "phone_number", "email", "company")
CHOOSE_TEXT = "Insert a field…"


class TemplatePreviewDialog(QDialog):
    """Non-modal; follows the current row of ``view`` (the contacts table) while it is open."""

    def __init__(self, view: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("templatePreviewDialog")
        self.setWindowTitle("Preview a call script")
        self.view = view
        self.model = view.model()
        self.resize(560, 460)

        intro = QLabel("Script: write {name}, {company} or any imported column in braces.")
        intro.setWordWrap(True)
        self.template_edit = QPlainTextEdit()
        self.template_edit.setObjectName("templateEdit")
        self.template_edit.setAccessibleName("Script template")
        self.template_edit.setPlaceholderText("Hello {name}, I am calling about your order with {company}.")
        self.template_edit.setTabChangesFocus(True)
        intro.setBuddy(self.template_edit)
        self.field_picker = QComboBox()
        self.field_picker.setObjectName("templateFieldPicker")
        self.field_picker.setAccessibleName("Insert a field into the script")
        self.field_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        picker_row = QHBoxLayout()
        picker_row.addWidget(self.field_picker)
        picker_row.addStretch(1)

        self.contact_label = QLabel()
        self.contact_label.setObjectName("templateContact")
        self.contact_label.setTextFormat(Qt.TextFormat.PlainText)  # shows names from a file
        self.contact_label.setWordWrap(True)
        font = self.contact_label.font()
        font.setBold(True)
        self.contact_label.setFont(font)
        self.result_view = QPlainTextEdit()
        self.result_view.setObjectName("templateResult")
        self.result_view.setAccessibleName("The script for this contact")
        self.result_view.setReadOnly(True)
        self.result_view.setTabChangesFocus(True)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("templateMissing")
        self.missing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.template_edit, 2)
        layout.addLayout(picker_row)
        layout.addSpacing(6)
        layout.addWidget(self.contact_label)
        layout.addWidget(self.result_view, 3)
        layout.addWidget(self.missing_label)
        layout.addWidget(buttons)

        self.template_edit.textChanged.connect(self.update_preview)
        self.field_picker.activated.connect(self._insert_field)
        view.selectionModel().currentRowChanged.connect(lambda *_: self.update_preview())
        view.selectionModel().selectionChanged.connect(lambda *_: self.update_preview())
        for signal in (self.model.dataChanged, self.model.modelReset, self.model.layoutChanged):
            signal.connect(lambda *_: self.update_preview())  # the contact's page arrives, or the list changes
        self.model.columnsInserted.connect(lambda *_: self._fill_fields())
        self.model.modelReset.connect(self._fill_fields)
        self._fill_fields()
        self.update_preview()

    def _fill_fields(self) -> None:
        self.field_picker.clear()
        self.field_picker.addItem(CHOOSE_TEXT, "")
        for name in (*STANDARD_FIELDS, *self.model.variable_names()):
            self.field_picker.addItem(f"{{{name}}}", name)

    def _insert_field(self, index: int) -> None:
        name = self.field_picker.itemData(index)
        self.field_picker.setCurrentIndex(0)
        if name:
            self.template_edit.insertPlainText(f"{{{name}}}")
            self.template_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def selected_row(self) -> int | None:
        """The current row when it is selected, else the first selected row; None with no selection."""
        selection = self.view.selectionModel()
        current = self.view.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()):
            return current.row()
        rows = sorted(index.row() for index in selection.selectedRows())
        return rows[0] if rows else None

    def update_preview(self) -> None:
        row = self.selected_row()
        values = self.model.template_values(row) if row is not None else None
        template = self.template_edit.toPlainText()
        if values is None:
            self.contact_label.setText(
                "Select a contact in the table to see the script filled in." if row is None else "Loading the contact…"
            )
            self.result_view.setPlainText("")
            self.missing_label.hide()
            return
        phone = self.model.index(row, PHONE_COLUMN).data()  # as the table shows it
        name = visible(values.get("name") or "")
        self.contact_label.setText(f"For {name} ({phone}):" if name else f"For {phone}:")
        rendered = render(template, {key: value for key, value in values.items() if value not in (None, "")})
        self.result_view.setPlainText(rendered.text if template.strip() else "Type a script above to see it here.")
        missing = list(dict.fromkeys(rendered.missing))  # each name once, in the order of the script
        self.missing_label.setText(
            "No value for this contact: " + ", ".join(f"{{{name}}}" for name in missing) if missing else ""
        )
        self.missing_label.setVisible(bool(missing))
