"""The import wizard: preview the file, map its columns, check (dry run), import.

The pages share one ``ImportSession``: the choices made so far, as plain values. The
check and the import run the real importer on the worker (``run_task``) with copies of
those values, so nothing on the worker thread ever touches a widget.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from ...core.campaigns import CampaignNotFound, campaign_summary
from ...core.csvfile import SniffResult
from ...core.importer import prepare_import, run_import
from ...core.phone import DEFAULT_REGION
from ...core.wording import quoted
from .. import messages
from ..results_dialog import ImportResultsDialog
from .check_page import CheckPage
from .import_page import ImportPage
from .mapping_page import MappingPage
from .preview_page import PreviewPage

log = logging.getLogger(__name__)

PAGE_PREVIEW, PAGE_MAPPING, PAGE_CHECK, PAGE_IMPORT = range(4)


@dataclass
class ImportSession:
    """What the person has chosen so far; read by every page."""

    campaign_id: int
    path: Path
    region: str = DEFAULT_REGION
    strict: bool = False
    campaign_name: str = ""
    # Only the values the person forced on the preview page; the rest is detected again.
    read_options: dict = field(default_factory=dict)
    sniffed: SniffResult | None = None
    column_mappings: dict | None = None

    def import_key(self) -> tuple:
        """Changes whenever the import would do something different (the check re-runs then)."""
        mappings = tuple(sorted((self.column_mappings or {}).items(), key=lambda item: item[0]))
        return (
            self.campaign_id,
            str(self.path),
            self.region,
            self.strict,
            tuple(sorted(self.read_options.items())),
            mappings,
        )

    def import_work(self, *, dry_run: bool):
        """``work(report, cancelled)`` for run_task: prepare and run the real importer."""
        campaign_id, path, region, strict = self.campaign_id, self.path, self.region, self.strict
        mappings = dict(self.column_mappings) if self.column_mappings is not None else None
        options = dict(self.read_options)

        def work(report, cancelled) -> dict:
            plan = prepare_import(campaign_id, path, mappings, region=region, strict=strict, **options)
            return run_import(plan, report, cancelled, dry_run=dry_run).to_dict()

        return work


class ImportWizard(QWizard):
    """Window-modal to its parent; show it with ``open()``. objectName ``importWizard``."""

    imported = Signal(dict)  # ImportResult.to_dict() after a successful (non-dry-run) import

    def __init__(
        self,
        campaign_id: int,
        path: str | Path,
        *,
        region: str = DEFAULT_REGION,
        strict: bool = False,
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

        self.session = ImportSession(campaign_id, Path(path), (region or DEFAULT_REGION).upper(), bool(strict))
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
        return self.check_page.is_running() or self.import_page.is_running()

    # -- finishing -------------------------------------------------------------------------

    def _import_succeeded(self, result: dict) -> None:
        log.info("import into campaign %s: %s", self.session.campaign_id, result.get("message"))
        self.imported.emit(result)
        # The results dialog outlives the wizard: it belongs to the wizard's parent window.
        dialog = ImportResultsDialog(result, self.parentWidget())
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
        self.check_page.stop_task()
        self.import_page.stop_task()
