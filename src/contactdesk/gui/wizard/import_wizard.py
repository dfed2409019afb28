"""The import wizard: preview the files, map their columns, check (dry run), import.

The pages share one ``ImportSession``: the choices made so far, as plain values. The
check and the import run the real importer on the worker (a ``TaskSlot``) with copies of
those values, so nothing on the worker thread ever touches a widget.

Several files are one list: each file has its own read options and preview; files with
the same columns share one mapping. The pages work on the *current* file (``path``,
``sniffed``, ``read_options``, ``column_mappings`` are those of the current file).
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget, QWizard

from ...core.campaigns import CampaignNotFound, campaign_summary
from ...core.csvfile import SniffResult
from ...core.importer import FileChoice, prepare_import_files, run_import
from ...core.invalid_rows import write_invalid_rows
from ...core.phone import DEFAULT_REGION
from ...core.wording import quoted
from ...store.models import REPLACE
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
    paths: list[Path]
    region: str = DEFAULT_REGION
    strict: bool = False
    campaign_name: str = ""
    mode: str = REPLACE  # or KEEP_PENDING: add to the campaign
    current: int = 0  # the file the preview and mapping pages show
    # Per file: only the values the person forced on the preview page; the rest is detected again.
    read_options_by_file: list[dict] = field(default_factory=list)
    sniffed_by_file: list[SniffResult | None] = field(default_factory=list)
    # One mapping per set of columns: files with the same columns share it.
    mappings_by_columns: dict[tuple, dict | None] = field(default_factory=dict)

    def __post_init__(self):
        self.paths = [Path(path) for path in self.paths]
        self.read_options_by_file = self.read_options_by_file or [{} for _ in self.paths]
        self.sniffed_by_file = self.sniffed_by_file or [None for _ in self.paths]

    # -- the current file --------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.paths[self.current]

    @property
    def read_options(self) -> dict:
        return self.read_options_by_file[self.current]

    @property
    def sniffed(self) -> SniffResult | None:
        return self.sniffed_by_file[self.current]

    @sniffed.setter
    def sniffed(self, value: SniffResult | None) -> None:
        self.sniffed_by_file[self.current] = value

    @property
    def column_mappings(self) -> dict | None:
        return self.mappings_by_columns.get(self.columns_of(self.current))

    @column_mappings.setter
    def column_mappings(self, value: dict | None) -> None:
        self.mappings_by_columns[self.columns_of(self.current)] = value

    # -- the files together ------------------------------------------------------------------

    @property
    def several(self) -> bool:
        return len(self.paths) > 1

    def file_label(self, index: int) -> str:
        """'File 1 of 3: name.csv', or the name alone for a single file."""
        name = self.paths[index].name
        return f"File {index + 1} of {len(self.paths)}: {name}" if self.several else name

    def files_text(self) -> str:
        """The file's name, or 'N files' for several."""
        return f"{len(self.paths)} files" if self.several else self.paths[0].name

    def columns_of(self, index: int) -> tuple:
        sniffed = self.sniffed_by_file[index]
        return (sniffed.format.has_header, *sniffed.headers) if sniffed is not None else ("file", index)

    def column_groups(self) -> list[list[int]]:
        """The files' indexes, grouped by their set of columns, in file order."""
        groups: dict[tuple, list[int]] = {}
        for index in range(len(self.paths)):
            groups.setdefault(self.columns_of(index), []).append(index)
        return list(groups.values())

    def import_key(self) -> tuple:
        """Changes whenever the import would do something different (the check re-runs then)."""
        return (self.campaign_id, self.region, self.strict, self.mode, repr(self._file_choices()))

    def _file_choices(self) -> list[FileChoice]:
        choices = []
        for index, path in enumerate(self.paths):
            mappings = self.mappings_by_columns.get(self.columns_of(index))
            choices.append(
                FileChoice(
                    path, dict(mappings) if mappings is not None else None, dict(self.read_options_by_file[index])
                )
            )
        return choices

    def invalid_rows_writer(self):
        """``write(path) -> count``: the files' rows with an unusable number, whole, with the reason."""
        campaign_id, region, strict, mode = self.campaign_id, self.region, self.strict, self.mode
        files = self._file_choices()

        def write(path: Path) -> int:
            plan = prepare_import_files(campaign_id, files, region=region, strict=strict, mode=mode)
            return write_invalid_rows(plan, path)

        return write

    def import_work(self, *, dry_run: bool):
        """``work(report, cancelled)`` for a task slot: prepare and run the real importer."""
        campaign_id, region, strict, mode = self.campaign_id, self.region, self.strict, self.mode
        files = self._file_choices()

        def work(report, cancelled) -> dict:
            plan = prepare_import_files(campaign_id, files, region=region, strict=strict, mode=mode)
            return run_import(plan, report, cancelled, dry_run=dry_run).to_dict()

        return work


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
        self.session = ImportSession(campaign_id, paths, (region or DEFAULT_REGION).upper(), bool(strict))
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
        self.check_page.stop_task()
        self.import_page.stop_task()
