"""The main window: campaigns on the left, the selected campaign's contacts on the right.

It composes its parts (campaign actions, menus and toolbar, drops, backups, do-not-call lists,
the status bar) and keeps the import queue: files dropped anywhere on the window (or on a
campaign) go to the import wizard, several files as one list; ``open_import_wizard`` is the one
place a wizard is opened.
"""

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QSplitter,
)

from ..core.campaigns import (
    CampaignNotFound,
    CampaignSummary,
    campaign_summary,
    delete_campaign,
    list_campaigns,
    unique_campaign_name,
)
from ..core.wording import plural, quoted, visible
from . import messages
from .backup_actions import BackupActions
from .campaign_actions import CampaignActions
from .campaign_list import CampaignListModel, CampaignListView
from .campaign_sidebar import CampaignSidebar
from .change_watch import ChangeWatch
from .contacts_panel import ContactsPanel
from .dnc_actions import DncActions
from .drop_target import IMPORTABLE_SUFFIXES, campaign_name_for, split_importable
from .settings import AppSettings
from .settings_dialog import SettingsDialog
from .team_mode import available, refused
from .window_drops import WindowDrops
from .window_menus import WindowMenus
from .window_status import WindowStatusBar
from .worker import TaskSlot, stop_all_tasks

log = logging.getLogger(__name__)

DEFAULT_SIZE = QSize(1200, 760)


# The contacts columns' widths and order; a new key when the columns change (the Local time
# column), so a layout saved for the old columns does not push the new one out of sight.
CONTACTS_HEADER_KEY = "contacts_header_2"


class MainWindow(QMainWindow):
    campaignsRefreshed = Signal()  # the campaign list was read again

    def __init__(
        self,
        settings: AppSettings | None = None,
        db_path: Path | None = None,
        log_path: Path | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("ContactDesk")
        self.settings = settings or AppSettings()
        self.db_path = db_path
        self.log_path = log_path
        self.wizard = None  # the import wizard on screen
        self._import_queue: list[tuple[int, list[Path]]] = []  # files dropped while a wizard is open
        self._created_for_import: set[int] = set()  # campaigns made for a dropped file, still empty

        self.setStatusBar(WindowStatusBar(db_path))
        self.campaign_model = CampaignListModel(self)
        self.campaign_view = CampaignListView()
        self.campaign_view.setModel(self.campaign_model)
        self.contacts = ContactsPanel(self.settings)
        self.campaigns = CampaignActions(self)
        self.backups = BackupActions(self, self._after_restore)
        self.dnc = DncActions(self)
        self._build_layout()
        self.menus = WindowMenus(self)
        self.help = self.menus.help
        self.drops = WindowDrops(self)
        self.overlay = self.drops.overlay

        self.campaign_view.selectionModel().currentRowChanged.connect(lambda *_: self.campaign_selected())
        self.campaign_view.filesDropped.connect(self.import_files)
        self.campaign_view.dropRefused.connect(lambda reason: self.statusBar().showMessage(reason, 8000))
        self.campaign_view.dragHover.connect(
            lambda text: self.statusBar().showMessage(text) if text else self.statusBar().clearMessage()
        )
        self.campaign_view.doubleClicked.connect(lambda _index: self.campaigns.rename_campaign())
        self.campaign_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.campaign_view.addActions(
            [
                self.campaigns.rename_action,
                self.campaigns.delete_action,
                self.menus.import_action,
                self.contacts.export_action,
            ]
        )
        self._counts_slot = TaskSlot(self)
        self.contacts.statusesChanged.connect(self._statuses_changed)
        self.contacts.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        self.contacts.busyChanged.connect(self.statusBar().set_busy)
        self.contacts.importRequested.connect(self.choose_and_import)
        self.contacts.newCampaignRequested.connect(self.campaigns.new_campaign)
        # Calling hours: the list's "callable now" counts, worked out again as the clock moves.
        self.contacts.calling.countsChanged.connect(self.campaign_model.set_callable_counts)
        self.campaignsRefreshed.connect(self.contacts.calling.refresh)

        self.resize(DEFAULT_SIZE)
        self._restore_layout()
        self.refresh_campaigns()
        if not self.campaign_view.select_campaign(self.settings.last_campaign_id()):
            first = self.campaign_model.summary(0)
            self.campaign_view.select_campaign(first.id if first else None)
        self.campaign_selected()
        # Other callers' work (another window, another computer on a team server) shows up here.
        self.watch = ChangeWatch(self)
        self.watch.changed.connect(self._others_changed)
        self.watch.start()

    def _build_layout(self) -> None:
        self.sidebar = CampaignSidebar(self.campaign_view)
        self.sidebar.new_button.clicked.connect(lambda: self.campaigns.new_campaign())
        self.new_button = self.sidebar.new_button
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.contacts)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([300, 900])
        self.setCentralWidget(self.splitter)

    # Layout memory ---------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        self.settings.restore_geometry("main", self)
        state = self.settings.load_bytes("main_state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.load_bytes("main_splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.load_bytes(CONTACTS_HEADER_KEY)
        if header is not None:
            self.contacts.view.horizontalHeader().restoreState(header)
            self.contacts.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.contacts.view.restore_sort(self.settings.contacts_sort())  # the arrow and the order it shows

    def save_layout(self) -> None:
        self.settings.save_geometry("main", self)
        self.settings.save_bytes("main_state", self.saveState())
        self.settings.save_bytes("main_splitter", self.splitter.saveState())
        self.settings.save_bytes(CONTACTS_HEADER_KEY, self.contacts.view.horizontalHeader().saveState())
        self.settings.set_last_campaign_id(self.current_campaign_id())
        self.settings.set_contacts_sort(self.contacts.view.sort_state())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        self.watch.stop()
        self.save_layout()
        if self.wizard is not None and shiboken6.isValid(self.wizard):
            self.wizard.close()  # cancels a running import and waits for it
        stop_all_tasks()
        super().closeEvent(event)

    # Campaigns -------------------------------------------------------------------------------
    def current_campaign_id(self) -> int | None:
        return self.campaign_view.selected_campaign_id()

    def current_summary(self) -> CampaignSummary | None:
        return self.campaign_model.summary_by_id(self.current_campaign_id())

    def _after_restore(self) -> None:
        self.refresh_campaigns()
        self.contacts.model.refresh(keep_rows=False, variables=True)

    def _others_changed(self, summaries: list[CampaignSummary]) -> None:
        """Someone else wrote to the database: new counts, and the contacts shown read again in
        place (the selection and the scroll position stay when the rows did not move)."""
        self.refresh_campaigns(summaries)
        self.contacts.refresh_in_place()

    def _statuses_changed(self) -> None:
        """Contacts were marked: the campaigns' counts are read again on the worker (counting a
        million contacts by status takes about 0.25 s, a freeze of the window if read here)."""
        self._counts_slot.start(
            lambda report, cancelled: list_campaigns(),
            on_success=self.refresh_campaigns,
            on_failure=lambda message, details: log.error("campaign counts: %s", message),
        )

    def refresh_campaigns(self, summaries: list[CampaignSummary] | None = None) -> None:
        """Read the campaign list again (or show ``summaries``, read on the worker)."""
        selected = self.current_campaign_id()
        # A new or renamed campaign resets the list (silently dropping the selection): select
        # the same campaign again, which leaves the contacts and their search as they were.
        if summaries is None:
            self.campaign_model.refresh()
        else:
            self.campaign_model.set_summaries(summaries)
        if selected is not None and self.current_campaign_id() != selected:
            self.campaign_view.select_campaign(selected)
        if self.current_campaign_id() != self.contacts.campaign_id():
            self.campaign_selected()
        self.contacts.update_summary(self.current_summary())
        summaries = self.campaign_model.summaries()
        self.sidebar.legend.setVisible(bool(summaries))
        total = sum(s.total_contacts for s in summaries)
        self.statusBar().set_counts(f"{plural(len(summaries), 'campaign')} · {plural(total, 'contact')}")
        self._update_actions()
        self.campaignsRefreshed.emit()

    def campaign_selected(self) -> None:
        """Show the selected campaign's contacts (after a click, a new campaign, a deletion)."""
        summary = self.current_summary()
        self.contacts.set_campaign(summary)
        self.setWindowTitle(f"{visible(summary.name)} – ContactDesk" if summary else "ContactDesk")
        self._update_actions()

    def _update_actions(self) -> None:
        self.campaigns.update_enabled()
        self.dnc.history_action.setEnabled(self.current_campaign_id() is not None and available("history"))

    # Import ----------------------------------------------------------------------------------
    def choose_and_import(self) -> None:
        """File > Import: pick files, then one wizard for them all."""
        if refused(self, "import"):
            return
        paths = self.ask_open_paths()
        if paths:
            self.settings.remember_folder_of(paths[0])
            self.import_files(0, paths)

    def ask_open_paths(self) -> list[Path]:
        """The file dialog (tests replace this)."""
        patterns = " ".join(f"*{suffix}" for suffix in IMPORTABLE_SUFFIXES)
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Import contacts", self.settings.last_folder(), f"Contact files ({patterns});;All files (*)"
        )
        return [Path(name) for name in names]

    def import_files(self, campaign_id: int | None, paths: list) -> None:
        """Import ``paths``, as one list, into ``campaign_id`` (0 or None: the selected campaign, or offer a new one)."""
        if refused(self, "import"):
            return
        paths, refusals = split_importable([Path(p) for p in paths])
        if refusals:
            title = "This file cannot be imported" if len(refusals) == 1 else "Some files cannot be imported"
            messages.warn(self, title, "\n\n".join(refusals))
        if not paths:
            return
        if not campaign_id:
            campaign_id = self.current_campaign_id()
        if not campaign_id and self.campaign_model.rowCount() == 1:
            campaign_id = self.campaign_model.summary(0).id
        if not campaign_id:
            campaign_id = self._offer_campaign_for(paths[0], len(paths))
            if not campaign_id:
                return
        self._import_queue.append((campaign_id, paths))
        if self.wizard is None:
            self._open_next_import()
        else:
            waiting = sum(len(files) for _, files in self._import_queue)
            self.statusBar().showMessage(
                f"{plural(waiting, 'file')} waiting: they open when the current import is done.", 6000
            )

    def _offer_campaign_for(self, path: Path, file_count: int) -> int | None:
        name = unique_campaign_name(campaign_name_for(path))
        what = path.name if file_count == 1 else f"{path.name} and {plural(file_count - 1, 'other file')}"
        if not messages.confirm(
            self,
            "Create a campaign?",
            f"There is no campaign to import {what} into yet.\n\nCreate a campaign named {quoted(name)} and import into it?",
            "Create and import",
        ):
            return None
        campaign_id = self.campaigns.new_campaign(name)
        if campaign_id:
            self._created_for_import.add(campaign_id)
        return campaign_id

    def _open_next_import(self) -> None:
        while self._import_queue and self.wizard is None:
            campaign_id, paths = self._import_queue.pop(0)
            if self.campaign_model.row_of(campaign_id) < 0:
                continue  # deleted meanwhile
            self.campaign_view.select_campaign(campaign_id)
            wizard = self.open_import_wizard(campaign_id, *paths)
            if wizard is not None:
                self.wizard = wizard
                wizard.imported.connect(self._imported)
                wizard.finished.connect(lambda _result, w=wizard, c=campaign_id: self._wizard_closed(w, c))

    def open_import_wizard(self, campaign_id: int, path: Path, *more: Path):
        """The single entry point for an import: opens the wizard (non-blocking) on ``path`` and
        ``more`` files, imported together as one list, and returns it."""
        try:
            from .wizard.import_wizard import ImportWizard
        except ImportError as exc:
            log.exception("the import wizard cannot be loaded")
            messages.error(self, "Import unavailable", "The import wizard could not be loaded.", repr(exc))
            return None
        wizard = ImportWizard(
            campaign_id,
            [path, *more] if more else path,
            region=self.settings.region(),
            strict=self.settings.strict(),
            caller=self.settings.caller_name(),
            parent=self,
        )
        wizard.open()
        return wizard

    def _drop_unused_campaign(self, campaign_id: int) -> None:
        """A campaign made for a file whose import was cancelled goes again, if it is still empty."""
        if campaign_id not in self._created_for_import or any(c == campaign_id for c, _ in self._import_queue):
            return
        self._created_for_import.discard(campaign_id)
        try:
            summary = campaign_summary(campaign_id)  # from the database: someone may have imported meanwhile
            if summary.total_contacts:
                return
            delete_campaign(campaign_id)
        except CampaignNotFound:
            return
        self.refresh_campaigns()
        self.statusBar().showMessage(f"Import cancelled; the empty campaign {quoted(summary.name)} was removed.", 8000)

    def _imported(self, result: dict) -> None:
        self._created_for_import.discard(result.get("campaign_id"))
        self.refresh_campaigns()
        if result.get("campaign_id") == self.current_campaign_id():
            self.contacts.model.refresh(keep_rows=False, variables=True)
        if result.get("message"):
            self.statusBar().showMessage(result["message"], 10_000)

    def after_undo(self, result: dict) -> None:
        """An import was undone (from the history or the results dialog): show the campaign as it is now."""
        self.refresh_campaigns()
        if result.get("campaign_id") == self.current_campaign_id():
            self.contacts.model.refresh(keep_rows=False, variables=True)
        self.contacts.calling.refresh()
        self.statusBar().showMessage(result["message"], 10_000)

    def _wizard_closed(self, wizard, campaign_id: int) -> None:
        if self.wizard is wizard:
            self.wizard = None
        self._drop_unused_campaign(campaign_id)
        # The wizard creates its results dialog just before it closes and shows it just after:
        # the next file waits until the person has read the results.
        results = getattr(wizard, "results_dialog", None)
        if results is not None and shiboken6.isValid(results):
            results.undone.connect(self.after_undo)
            results.finished.connect(lambda _result: QTimer.singleShot(0, self._open_next_import))
        else:
            QTimer.singleShot(0, self._open_next_import)

    # Dialogs -----------------------------------------------------------------------------------
    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self.db_path, self.log_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.contacts.apply_settings)
        dialog.open()
        return dialog
