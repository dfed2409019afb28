"""Campaign > New, Rename, Delete and Calling Hours, for the main window.

Deleting a big campaign takes a while: it runs on the worker, one at a time, with the
window's busy indicator, and Rename and Delete wait for it.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from ..core.campaigns import (
    CampaignError,
    CampaignNotFound,
    create_campaign,
    delete_campaign,
    rename_campaign,
    unique_campaign_name,
)
from ..core.wording import plural, quoted
from . import messages
from .calling_hours_dialog import CallingHoursDialog
from .worker import TaskSlot


def window_action(window, text: str, slot, shortcut=None, tip: str = "", icon=None) -> QAction:
    """An action of the main window: its menu text, key, status-bar tip and toolbar icon."""
    action = QAction(text, window)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class CampaignActions:
    """``window`` is the main window: its selected campaign, campaign list and status bar are used."""

    def __init__(self, window):
        self.window = window
        self.hours_dialog: CallingHoursDialog | None = None  # Campaign > Calling Hours…, while open
        self.slot = TaskSlot(window)  # one deletion at a time
        self.slot.busy.connect(lambda busy: busy or window.statusBar().set_busy(""))
        self.slot.busy.connect(lambda _busy: self.update_enabled())
        self.new_action = window_action(
            window,
            "&New Campaign…",
            self.new_campaign,
            QKeySequence.StandardKey.New,
            "Create a campaign",
            QStyle.StandardPixmap.SP_FileDialogNewFolder,
        )
        self.rename_action = window_action(
            window, "&Rename Campaign…", self.rename_campaign, "F2", "Rename the selected campaign"
        )
        self.delete_action = window_action(
            window,
            "&Delete Campaign…",
            self.delete_campaign,
            QKeySequence.StandardKey.Delete,
            "Delete the selected campaign and its contacts",
        )
        # Delete acts only while the campaign list has the focus: in the table or the search
        # field, the Delete key must never offer to delete a whole campaign.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.hours_action = window_action(
            window,
            "&Calling Hours…",
            self.show_calling_hours,
            tip="When the campaign's contacts may be called, per weekday",
        )

    def update_enabled(self) -> None:
        has = self.window.current_campaign_id() is not None
        idle = not self.slot.is_busy()
        self.rename_action.setEnabled(has and idle)
        self.delete_action.setEnabled(has and idle)
        self.hours_action.setEnabled(has)

    def _status(self, text: str, ms: int) -> None:
        self.window.statusBar().showMessage(text, ms)

    def new_campaign(self, name: str | None = None) -> int | None:
        window = self.window
        if name is None:
            name = messages.ask_text(
                window, "New campaign", "Name of the new campaign:", unique_campaign_name("New campaign")
            )
            if name is None:
                return None
        try:
            summary = create_campaign(name)
        except CampaignError as exc:
            messages.warn(window, "Cannot create the campaign", str(exc))
            return None
        window.refresh_campaigns()
        window.campaign_view.select_campaign(summary.id)
        self._status(f"Created campaign {quoted(summary.name)}.", 5000)
        return summary.id

    def rename_campaign(self) -> None:
        window = self.window
        summary = window.current_summary()
        if summary is None or self.slot.is_busy():
            return
        name = messages.ask_text(window, "Rename campaign", "New name:", summary.name)
        if name is None or name.strip() == summary.name:
            return
        try:
            renamed = rename_campaign(summary.id, name)
        except (CampaignError, CampaignNotFound) as exc:
            messages.warn(window, "Cannot rename the campaign", str(exc))
            return
        window.refresh_campaigns()
        window.campaign_view.select_campaign(renamed.id)
        window.campaign_selected()

    def delete_campaign(self) -> None:
        window = self.window
        summary = window.current_summary()
        if summary is None or self.slot.is_busy():
            return
        if summary.total_contacts:
            text = (
                f"Delete the campaign {quoted(summary.name)} and its {plural(summary.total_contacts, 'contact')}?\n\n"
                "Their statuses and the import history go with it. This cannot be undone."
            )
        else:
            text = f"Delete the empty campaign {quoted(summary.name)}?"
        if not messages.confirm(window, "Delete campaign", text, "Delete campaign"):
            return
        row = window.campaign_model.row_of(summary.id)
        window.contacts.set_campaign(None)  # stop reading contacts that are about to go

        def deleted(removed: int) -> None:
            window.refresh_campaigns()
            next_row = min(row, window.campaign_model.rowCount() - 1)
            if next_row >= 0:
                window.campaign_view.select_campaign(window.campaign_model.summary(next_row).id)
            window.campaign_selected()
            self._status(f"Deleted campaign {quoted(summary.name)} and {plural(removed, 'contact')}.", 6000)

        def failed(message: str, details: str) -> None:
            window.campaign_selected()
            messages.error(window, "Cannot delete the campaign", message, details)

        self.slot.start(lambda report, cancelled: delete_campaign(summary.id), on_success=deleted, on_failure=failed)
        window.statusBar().set_busy(f"Deleting {quoted(summary.name)}…")

    def show_calling_hours(self) -> CallingHoursDialog | None:
        window = self.window
        summary = window.current_summary()
        if summary is None:
            return None
        try:
            dialog = CallingHoursDialog(summary.id, summary.name, window)
        except CampaignNotFound as exc:
            messages.warn(window, "Cannot show the calling hours", str(exc))
            window.refresh_campaigns()
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda name=summary.name: self._hours_saved(name))
        self.hours_dialog = dialog
        dialog.open()
        return dialog

    def _hours_saved(self, name: str) -> None:
        self.window.contacts.hours_changed()
        self._status(f"Saved the calling hours of {quoted(name)}.", 6000)
