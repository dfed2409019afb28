"""The main window: campaigns on the left, the selected campaign's contacts on the right.

Files dropped anywhere on the window (or on a campaign) go to the import wizard, several
files as one list; ``open_import_wizard`` is the one place a wizard is opened.
"""

import html
import logging
import platform
from pathlib import Path

import shiboken6
from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import (
    QSize,
    Qt,
    QTimer,
    Signal,
    qVersion,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..core.campaigns import (
    CampaignError,
    CampaignNotFound,
    CampaignSummary,
    campaign_summary,
    create_campaign,
    delete_campaign,
    rename_campaign,
    unique_campaign_name,
)
from ..core.wording import plural, quoted, visible
from ..store.connection import is_read_only
from . import messages
from .backup_actions import BackupActions
from .calling_hours_dialog import CallingHoursDialog
from .campaign_list import CampaignListModel, CampaignListView, legend_html
from .contacts_panel import ContactsPanel
from .dnc_actions import DncActions
from .drop_target import IMPORTABLE_SUFFIXES, campaign_name_for, split_importable
from .help_menu import HelpMenu
from .plain_text import tooltip
from .settings import AppSettings
from .settings_dialog import SettingsDialog
from .window_drops import WindowDrops
from .worker import run_task, stop_all_tasks

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
        self.hours_dialog = None  # Campaign > Calling Hours…, while open
        self._import_queue: list[tuple[int, list[Path]]] = []  # files dropped while a wizard is open
        self._created_for_import: set[int] = set()  # campaigns made for a dropped file, still empty
        self._busy_task = None

        self.campaign_model = CampaignListModel(self)
        self.campaign_view = CampaignListView()
        self.campaign_view.setModel(self.campaign_model)
        self.contacts = ContactsPanel(self.settings)
        self._build_layout()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.drops = WindowDrops(self)
        self.overlay = self.drops.overlay

        self.campaign_view.selectionModel().currentRowChanged.connect(lambda *_: self._campaign_selected())
        self.campaign_view.filesDropped.connect(self.import_files)
        self.campaign_view.dropRefused.connect(lambda reason: self.statusBar().showMessage(reason, 8000))
        self.campaign_view.dragHover.connect(
            lambda text: self.statusBar().showMessage(text) if text else self.statusBar().clearMessage()
        )
        self.campaign_view.doubleClicked.connect(lambda _index: self.rename_campaign())
        self.campaign_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (self.rename_action, self.delete_action, self.import_action, self.export_action):
            self.campaign_view.addAction(action)
        self.contacts.statusesChanged.connect(self.refresh_campaigns)
        self.contacts.message.connect(lambda text, ms: self.statusBar().showMessage(text, ms))
        self.contacts.busyChanged.connect(self.set_busy)
        self.contacts.importRequested.connect(self.choose_and_import)
        self.contacts.newCampaignRequested.connect(self.new_campaign)
        # Calling hours: the list's "callable now" counts, worked out again as the clock moves.
        self.contacts.calling.countsChanged.connect(self.campaign_model.set_callable_counts)
        self.campaignsRefreshed.connect(self.contacts.calling.refresh)

        self.resize(DEFAULT_SIZE)
        self._restore_layout()
        self.refresh_campaigns()
        if not self.campaign_view.select_campaign(self.settings.last_campaign_id()):
            first = self.campaign_model.summary(0)
            self.campaign_view.select_campaign(first.id if first else None)
        self._campaign_selected()

    # Building ------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        heading = QLabel("Campaigns")
        heading.setObjectName("campaignsHeading")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.new_button = QToolButton()
        self.new_button.setText("+ New")
        self.new_button.setAccessibleName("New campaign")
        self.new_button.setToolTip("Create a campaign (Ctrl+N)")
        self.new_button.setAutoRaise(True)
        self.new_button.clicked.connect(lambda: self.new_campaign())
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("statusLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setToolTip("The bar under each campaign shows how its contacts divide by status")

        head = QHBoxLayout()
        head.addWidget(heading, 1)
        head.addWidget(self.new_button)
        left = QWidget()
        left.setObjectName("campaignPanel")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(10, 10, 4, 8)
        left_layout.setSpacing(6)
        left_layout.addLayout(head)
        left_layout.addWidget(self.campaign_view, 1)
        left_layout.addWidget(self.legend)
        left.setMinimumWidth(240)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.contacts)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([300, 900])
        self.setCentralWidget(self.splitter)

    def _action(self, text: str, slot, shortcut=None, tip: str = "", icon=None) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            "&New Campaign…",
            self.new_campaign,
            QKeySequence.StandardKey.New,
            "Create a campaign",
            QStyle.StandardPixmap.SP_FileDialogNewFolder,
        )
        self.rename_action = self._action(
            "&Rename Campaign…", self.rename_campaign, "F2", "Rename the selected campaign"
        )
        self.delete_action = self._action(
            "&Delete Campaign…",
            self.delete_campaign,
            QKeySequence.StandardKey.Delete,
            "Delete the selected campaign and its contacts",
        )
        # Delete acts only while the campaign list has the focus: in the table or the search
        # field, the Delete key must never offer to delete a whole campaign.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.import_action = self._action(
            "&Import Contacts…",
            self.choose_and_import,
            "Ctrl+I",
            "Import a CSV file into the selected campaign",
            QStyle.StandardPixmap.SP_DialogOpenButton,
        )
        self.export_action = self.contacts.export_action
        self.export_action.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.export_filtered_action = self.contacts.export_filtered_action
        self.settings_action = self._action(
            "&Settings…", self.show_settings, "Ctrl+,", "Default country for numbers, validation, where your data is"
        )
        self.hours_action = self._action(
            "&Calling Hours…", self.show_calling_hours, tip="When the campaign's contacts may be called, per weekday"
        )
        self.backups = BackupActions(self, self._after_restore)
        self.dnc = DncActions(self)
        # Ctrl+Q everywhere (the platform's Quit key is empty on some), as Help lists it.
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")
        self.about_action = self._action("&About ContactDesk", self.show_about)

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for action in (
            self.new_action,
            self.import_action,
            self.dnc.import_list_action,
            self.dnc.list_action,
            None,
            self.export_action,
            self.export_filtered_action,
            None,
            self.backups.backup_action,
            self.backups.restore_action,
            None,
            self.settings_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        campaign_menu = bar.addMenu("&Campaign")
        for action in (
            self.new_action,
            self.rename_action,
            self.delete_action,
            None,
            self.hours_action,
            self.dnc.history_action,
        ):
            campaign_menu.addSeparator() if action is None else campaign_menu.addAction(action)
        contacts_menu = bar.addMenu("C&ontacts")
        for item in self.contacts.actions_for_menu():
            if item is None:
                contacts_menu.addSeparator()
            elif isinstance(item, QAction):
                contacts_menu.addAction(item)
            else:
                contacts_menu.addMenu(item)
        self.help = HelpMenu(self, bar.addMenu("&Help"), self.log_path, self.about_action)
        # Shortcuts of actions that live only in menus still work when the menu is closed;
        # the panel's own actions need the window to know them too.
        for action in (
            self.contacts.find_action,
            self.contacts.next_action,
            *self.contacts.mark_selected_actions.values(),
        ):
            self.addAction(action)

        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.export_action)
        toolbar.addSeparator()
        mark = QToolButton()
        mark.setAccessibleName("Mark the selected contacts as")
        # Bound to the menu's own action: enabled exactly when contacts are selected.
        self.contacts.mark_menu.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton))
        mark.setDefaultAction(self.contacts.mark_menu.menuAction())
        mark.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        mark.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(mark)
        self.toolbar_mark_button = mark
        toolbar.addSeparator()
        toolbar.addAction(self.settings_action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.busy_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        for widget in (self.busy_label, self.busy_bar):
            widget.hide()
            status.addPermanentWidget(widget)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("campaignCounts")
        self.counts_label.setContentsMargins(8, 0, 12, 0)
        status.addPermanentWidget(self.counts_label)
        self.db_label = QLabel()
        self.db_label.setObjectName("databasePath")
        path = str(self.db_path) if self.db_path else "(no database)"
        read_only = " (read-only)" if is_read_only() else ""
        self.db_label.setText(f"Database: {self._short_path(path)}{read_only}")
        self.db_label.setToolTip(tooltip(path))
        status.addPermanentWidget(self.db_label)

    @staticmethod
    def _short_path(path: str) -> str:
        home = str(Path.home())
        path = "~" + path[len(home) :] if home != "/" and path.startswith(home) else path
        return path if len(path) <= 60 else path[:22] + "…" + path[-36:]

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
        self.contacts.restore_sort(self.settings.contacts_sort())  # the arrow and the order it shows

    def save_layout(self) -> None:
        self.settings.save_geometry("main", self)
        self.settings.save_bytes("main_state", self.saveState())
        self.settings.save_bytes("main_splitter", self.splitter.saveState())
        self.settings.save_bytes(CONTACTS_HEADER_KEY, self.contacts.view.horizontalHeader().saveState())
        self.settings.set_last_campaign_id(self.current_campaign_id())
        self.settings.set_contacts_sort(self.contacts.sort_state())
        self.settings.sync()

    def closeEvent(self, event) -> None:
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

    def refresh_campaigns(self) -> None:
        selected = self.current_campaign_id()
        # A new or renamed campaign resets the list (silently dropping the selection): select
        # the same campaign again, which leaves the contacts and their search as they were.
        self.campaign_model.refresh()
        if selected is not None and self.current_campaign_id() != selected:
            self.campaign_view.select_campaign(selected)
        if self.current_campaign_id() != self.contacts.campaign_id():
            self._campaign_selected()
        self.contacts.update_summary(self.current_summary())
        summaries = self.campaign_model.summaries()
        self.legend.setVisible(bool(summaries))
        total = sum(s.total_contacts for s in summaries)
        self.counts_label.setText(f"{plural(len(summaries), 'campaign')} · {plural(total, 'contact')}")
        self._update_actions()
        self.campaignsRefreshed.emit()

    def _campaign_selected(self) -> None:
        summary = self.current_summary()
        self.contacts.set_campaign(summary)
        self.setWindowTitle(f"{visible(summary.name)} – ContactDesk" if summary else "ContactDesk")
        self._update_actions()

    def _update_actions(self) -> None:
        has = self.current_campaign_id() is not None
        idle = self._busy_task is None
        self.rename_action.setEnabled(has and idle)
        self.delete_action.setEnabled(has and idle)
        self.dnc.history_action.setEnabled(has)
        self.hours_action.setEnabled(has)

    def new_campaign(self, name: str | None = None) -> int | None:
        if name is None:
            name = messages.ask_text(
                self, "New campaign", "Name of the new campaign:", unique_campaign_name("New campaign")
            )
            if name is None:
                return None
        try:
            summary = create_campaign(name)
        except CampaignError as exc:
            messages.warn(self, "Cannot create the campaign", str(exc))
            return None
        self.refresh_campaigns()
        self.campaign_view.select_campaign(summary.id)
        self.statusBar().showMessage(f"Created campaign {quoted(summary.name)}.", 5000)
        return summary.id

    def rename_campaign(self) -> None:
        summary = self.current_summary()
        if summary is None:
            return
        name = messages.ask_text(self, "Rename campaign", "New name:", summary.name)
        if name is None or name.strip() == summary.name:
            return
        try:
            renamed = rename_campaign(summary.id, name)
        except (CampaignError, CampaignNotFound) as exc:
            messages.warn(self, "Cannot rename the campaign", str(exc))
            return
        self.refresh_campaigns()
        self.campaign_view.select_campaign(renamed.id)
        self._campaign_selected()

    def delete_campaign(self) -> None:
        summary = self.current_summary()
        if summary is None or self._busy_task is not None:
            return
        if summary.total_contacts:
            text = (
                f"Delete the campaign {quoted(summary.name)} and its {plural(summary.total_contacts, 'contact')}?\n\n"
                "Their statuses and the import history go with it. This cannot be undone."
            )
        else:
            text = f"Delete the empty campaign {quoted(summary.name)}?"
        if not messages.confirm(self, "Delete campaign", text, "Delete campaign"):
            return
        row = self.campaign_model.row_of(summary.id)
        self.contacts.set_campaign(None)  # stop reading contacts that are about to go

        def deleted(removed: int) -> None:
            self.refresh_campaigns()
            next_row = min(row, self.campaign_model.rowCount() - 1)
            if next_row >= 0:
                self.campaign_view.select_campaign(self.campaign_model.summary(next_row).id)
            self._campaign_selected()
            self.statusBar().showMessage(
                f"Deleted campaign {quoted(summary.name)} and {plural(removed, 'contact')}.", 6000
            )

        def failed(message: str, details: str) -> None:
            self._campaign_selected()
            messages.error(self, "Cannot delete the campaign", message, details)

        self._run_busy(
            lambda report, cancelled: delete_campaign(summary.id), f"Deleting {quoted(summary.name)}…", deleted, failed
        )

    def _run_busy(self, work, text: str, on_success, on_failure) -> None:
        self._busy_task = run_task(work, on_success=on_success, on_failure=on_failure)
        self._busy_task.done.connect(self._busy_done)
        self.set_busy(text)
        self._update_actions()

    def _busy_done(self) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy_task = None
        self.set_busy("")
        self._update_actions()

    def set_busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy_label.setVisible(bool(text))
        self.busy_bar.setVisible(bool(text))

    # Import ----------------------------------------------------------------------------------
    def choose_and_import(self) -> None:
        """File > Import: pick files, then one wizard for them all."""
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
        campaign_id = self.new_campaign(name)
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
    def show_calling_hours(self) -> CallingHoursDialog | None:
        summary = self.current_summary()
        if summary is None:
            return None
        try:
            dialog = CallingHoursDialog(summary.id, summary.name, self)
        except CampaignNotFound as exc:
            messages.warn(self, "Cannot show the calling hours", str(exc))
            self.refresh_campaigns()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda name=summary.name: self._hours_saved(name))
        self.hours_dialog = dialog
        dialog.open()
        return dialog

    def _hours_saved(self, name: str) -> None:
        self.contacts.hours_changed()
        self.statusBar().showMessage(f"Saved the calling hours of {quoted(name)}.", 6000)

    def show_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings, self.db_path, self.log_path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.contacts.apply_settings)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About ContactDesk")
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>ContactDesk {__version__}</h3>"
            "<p>Run calling campaigns offline: import contacts from CSV files and keep track of "
            "who was called.</p>"
        )
        lines = [f"Qt {qVersion()} · PySide6 {PYSIDE_VERSION} · Python {platform.python_version()}"]
        if self.db_path:
            lines.append(f"Database: {self.db_path}")
        if self.log_path:
            lines.append(f"Log file: {self.log_path}")
        box.setInformativeText("<br>".join(html.escape(line) for line in lines))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box
