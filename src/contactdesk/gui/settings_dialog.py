"""Settings: the default country for phone numbers, strict validation, where the data lives;
the Team tab (gui/team_settings.py): the caller name and the team server."""

from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.phone import (
    INTERNATIONAL,
    NATIONAL,
    display_number,
    example_number,
    normalize_phone,
    supported_regions,
)
from ..store.server import is_server_uri, shown_uri
from . import messages
from .settings import AppSettings
from .team_settings import TeamSettingsPage


def region_label(code: str) -> str:
    """ "United Kingdom (GB)"; Qt knows the names of the countries phonenumbers supports."""
    territory = QLocale.codeToTerritory(code)
    name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else ""
    return f"{name} ({code})" if name else code


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: AppSettings,
        db_path: Path | str | None,
        log_path: Path | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(600)
        self._settings = settings

        self.region_combo = QComboBox()
        self.region_combo.setObjectName("regionCombo")
        self.region_combo.setAccessibleName("Default country for phone numbers")
        self.region_combo.setEditable(True)
        self.region_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for label, code in sorted((region_label(code), code) for code in supported_regions()):
            self.region_combo.addItem(label, code)
        completer = QCompleter(self.region_combo.model(), self.region_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "king" finds United Kingdom
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.region_combo.setCompleter(completer)
        self.region_combo.setCurrentIndex(self.region_combo.findData(settings.region()))

        self.strict_check = QCheckBox("Strict: only numbers assigned to a carrier")
        self.strict_check.setObjectName("strictCheck")
        self.strict_check.setAccessibleName("Strict validation")
        self.strict_check.setChecked(settings.strict())

        self.display_combo = QComboBox()
        self.display_combo.setObjectName("phoneDisplayCombo")
        self.display_combo.setAccessibleName("Show phone numbers as")
        self.display_combo.addItem("", NATIONAL)
        self.display_combo.addItem("", INTERNATIONAL)
        self.display_combo.setCurrentIndex(max(0, self.display_combo.findData(settings.phone_display())))

        numbers = QGroupBox("Phone numbers")
        form = QFormLayout(numbers)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Default country:", self.region_combo)
        self.region_hint = self._hint("")
        self.region_hint.setObjectName("regionHint")
        form.addRow("", self.region_hint)
        form.addRow("Show numbers:", self.display_combo)
        form.addRow("Validation:", self.strict_check)
        form.addRow(
            "",
            self._hint(
                "When on, numbers that are possible but not in use (such as 555 numbers) "
                "are rejected instead of imported with a warning."
            ),
        )

        storage = QGroupBox("Your data")
        storage_form = QFormLayout(storage)
        storage_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.db_field = self._path_row(storage_form, "Database:", db_path, "databasePath")
        if log_path is not None:
            self._path_row(storage_form, "Log file:", log_path, "logPath")

        self.region_combo.currentIndexChanged.connect(lambda _index: self._show_examples())
        self._show_examples()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.setContentsMargins(0, 8, 0, 0)
        general_layout.setSpacing(12)
        general_layout.addWidget(numbers)
        general_layout.addWidget(storage)
        general_layout.addStretch(1)
        self.team_page = TeamSettingsPage(settings)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(general, "&General")
        self.tabs.addTab(self.team_page, "&Team")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def _show_examples(self) -> None:
        """The hint and the display choices use a number of the chosen country."""
        region = self.region_combo.currentData() or self._settings.region()
        local = example_number(region)
        self.region_hint.setText(f"For numbers written without a +country code, such as {local}.")
        number = normalize_phone(local, region).e164 or ""
        self.display_combo.setItemText(0, f"As dialled in this country: {display_number(number, region, NATIONAL)}")
        self.display_combo.setItemText(1, f"International: {display_number(number, region, INTERNATIONAL)}")

    @staticmethod
    def _hint(text: str) -> QLabel:
        hint = QLabel(text)
        hint.setWordWrap(True)
        hint.setEnabled(False)  # the greyed look of secondary text
        return hint

    def _path_row(self, form: QFormLayout, label: str, path: Path | str | None, name: str) -> QLineEdit:
        if is_server_uri(path):  # a team server: shown without its password, and no folder to open
            path, shown = None, f"Team server: {shown_uri(path)}"
        else:
            shown = str(path) if path else "(not open)"
        field = QLineEdit(shown)
        field.setObjectName(name)
        field.setAccessibleName(label.rstrip(":"))
        field.setReadOnly(True)
        field.setCursorPosition(0)
        button = QPushButton("Open folder")
        button.setAccessibleName(f"Open the folder of the {label.rstrip(':').lower()}")
        button.setEnabled(path is not None)
        if path is not None:
            button.clicked.connect(lambda: self.open_folder(Path(path).parent))
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(button)
        form.addRow(label, row)
        return field

    def open_folder(self, folder: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def selected_region(self) -> str:
        # The editable combo may hold typed text; accept a code or a matching name.
        text = self.region_combo.currentText().strip()
        index = self.region_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            index = self.region_combo.findData(text.upper())
        if index < 0:
            index = self.region_combo.findData(self._settings.region())
        return self.region_combo.itemData(index)

    def accept(self) -> None:
        problem = self.team_page.problem()
        if problem:
            self.tabs.setCurrentWidget(self.team_page)
            self.team_page.say(problem)
            return
        try:
            self.team_page.save()
        except OSError as exc:
            messages.warn(self, "The password was not saved", f"The password file could not be written: {exc}")
            return
        self._settings.set_region(self.selected_region())
        self._settings.set_strict(self.strict_check.isChecked())
        self._settings.set_phone_display(self.display_combo.currentData())
        super().accept()

    def done(self, result: int) -> None:
        self.team_page.stop()  # a connection test still running is dropped with the dialog
        super().done(result)
