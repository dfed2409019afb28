"""The import wizard: preview the files, map their columns, check (dry run), import.

The pages share one ``ImportSession`` (import_session.py): the choices made so far and the
one plan they make. The check and the import run that plan on the worker (a ``TaskSlot``),
so nothing on the worker thread ever touches a widget.
"""

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from ...core.campaigns import CampaignNotFound, campaign_summary
from ...core.phone import DEFAULT_REGION
from ...core.wording import quoted
from .. import messages
from ..results_dialog import ImportResultsDialog
from .check_page import CheckPage
from .import_page import ImportPage
from .import_session import ImportSession
from .mapping_page import MappingPage
from .preview_page import PreviewPage

log = logging.getLogger(__name__)

PAGE_PREVIEW, PAGE_MAPPING, PAGE_CHECK, PAGE_IMPORT = range(4)


class ImportWizard(QWizard):
    """Window-modal to its parent; show it with ``open()``. objectName ``importWizard``."""

    imported = Signal(dict)  # ImportResult.to_dict() after a successful (non-dry-run) import

    def __init__(
        self,
        campaign_id: int,
        paths: str | Path | list,
        *,
        region: str = DEFAULT_REGION,
        strict: bool = False,
        caller: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.resize(QSize(900, 640))
        self.setMinimumSize(QSize(720, 520))
        self.results_dialog: ImportResultsDialog | None = None

        paths = list(paths) if isinstance(paths, list | tuple) else [paths]
        self.session = ImportSession(campaign_id, paths, region, strict, caller=caller)
        try:
            self.session.campaign_name = campaign_summary(campaign_id).name
        except CampaignNotFound:
            self.session.campaign_name = ""  # the check says so in plain words
        title = (
            f"Import contacts into {quoted(self.session.campaign_name)}"
            if self.session.campaign_name
            else "Import contacts"
        )
        self.setWindowTitle(title)
        self.setAccessibleName(title)

        self.preview_page = PreviewPage(self.session)
        self.mapping_page = MappingPage(self.session)
        self.check_page = CheckPage(self.session)
        self.import_page = ImportPage(self.session)
        self.setPage(PAGE_PREVIEW, self.preview_page)
        self.setPage(PAGE_MAPPING, self.mapping_page)
        self.setPage(PAGE_CHECK, self.check_page)
        self.setPage(PAGE_IMPORT, self.import_page)
        self.setStartId(PAGE_PREVIEW)
        self.import_page.started.connect(lambda: self.check_page.setCommitPage(True))
        self.import_page.ended.connect(lambda: self.check_page.setCommitPage(False))
        self.import_page.succeeded.connect(self._import_succeeded)
        for which, text in (
            (QWizard.WizardButton.BackButton, "< &Back"),
            (QWizard.WizardButton.NextButton, "&Next >"),
            (QWizard.WizardButton.CancelButton, "Cancel"),
            (QWizard.WizardButton.FinishButton, "&Finish"),
        ):
            self.setButtonText(which, text)
            self.button(which).setAccessibleName(text.replace("&", "").strip("<> "))

    def page_ids(self) -> dict[str, int]:
        return {"preview": PAGE_PREVIEW, "mapping": PAGE_MAPPING, "check": PAGE_CHECK, "import": PAGE_IMPORT}

    def is_busy(self) -> bool:
        return self.preview_page.is_reading() or self.check_page.is_running() or self.import_page.is_running()

    # -- finishing -------------------------------------------------------------------------

    def _import_succeeded(self, result: dict) -> None:
        log.info("import into campaign %s: %s", self.session.campaign_id, result.get("message"))
        self.imported.emit(result)
        # The results dialog outlives the wizard: it belongs to the wizard's parent window.
        dialog = ImportResultsDialog(result, self.parentWidget(), write_invalid_rows=self.session.invalid_rows_writer())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.results_dialog = dialog
        self.accept()
        dialog.open()

    def reject(self) -> None:
        # Cancel during the import stops the import; the page then says nothing was changed.
        if self.import_page.is_running():
            self.import_page.cancel_import()
            return
        if self.has_user_changes() and not messages.confirm(
            self,
            "Discard your changes?",
            "Discard your changes to the mapping? The file has not been imported.",
            "Discard changes",
        ):
            return
        super().reject()

    def has_user_changes(self) -> bool:
        """The person changed how the file is read or what its columns become, and has not imported yet."""
        if self.currentId() == PAGE_IMPORT:
            return False  # the import ran (or was cancelled): Close closes
        return bool(self.session.read_options) or self.mapping_page.has_user_changes()

    def done(self, result: int) -> None:
        self._stop_tasks()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the window (not the Cancel button) really closes it: stop the work first.
        self._stop_tasks()
        super().closeEvent(event)

    def _stop_tasks(self) -> None:
        self.preview_page.stop_task()
        self.check_page.stop_task()
        self.import_page.stop_task()
