"""Before a do-not-call list is imported: what the file holds (its format, the first numbers) and for which campaigns."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QVBoxLayout, QWidget

from ..core.dnc_import import ListPreview
from .dialog_buttons import add_accept_and_cancel


class DncImportDialog(QDialog):
    def __init__(self, preview: ListPreview, campaign_name: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dncImportDialog")
        self.setWindowTitle("Import a do-not-call list")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        source = preview.file_name + (f" ({preview.zipped_member} inside)" if preview.zipped_member else "")
        shape = (
            "one number per line, as national registries deliver them"
            if preview.format == "lines"
            else f"a CSV file; the numbers are in the column “{preview.phone_column}”"
        )
        intro = QLabel(
            f"{source}: {shape}. Every number goes on the do-not-call list with no expiry, is left out "
            "of every later import, and is marked do not call wherever it is pending."
        )
        intro.setObjectName("dncImportIntro")
        intro.setTextFormat(Qt.TextFormat.PlainText)  # a file's name and column are shown as written
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("The first numbers, as they will be listed:"))
        sample = QLabel("\n".join(preview.numbers) or "(none found)")
        sample.setObjectName("dncImportSample")
        sample.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        sample.setStyleSheet("QLabel { padding: 6px 10px; border: 1px solid palette(mid); }")
        layout.addWidget(sample)
        self.this_campaign_only = QCheckBox(f"For this campaign only ({campaign_name})" if campaign_name else "")
        self.this_campaign_only.setObjectName("dncImportThisCampaignOnly")
        self.this_campaign_only.setVisible(campaign_name is not None)
        layout.addWidget(self.this_campaign_only)
        self.import_button = add_accept_and_cancel(self, layout, "&Import List")
