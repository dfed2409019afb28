"""Undo an import from the window: the one confirmation (what goes, what comes back, which called
contacts stay) and the undo run off the GUI thread. Used by the import history and the results dialog."""

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ..core import undo
from . import messages
from .worker import TaskSlot


def confirm_and_undo(
    parent: QWidget, slot: TaskSlot, campaign_id: int, import_id: int, on_undone: Callable[[dict], None]
) -> bool:
    """Ask first, then undo the import in ``slot`` (the caller's, which shows it busy); ``on_undone``
    gets the result (plain data) when it worked. False when nothing started (refused, or the person said no)."""
    plan = undo.plan_undo(campaign_id, import_id)
    if not plan.undoable:
        messages.warn(parent, "This import cannot be undone", plan.describe())
        return False
    if not messages.confirm(parent, "Undo this import?", plan.describe(), "Undo Import"):
        return False

    def finished(result: dict) -> None:
        if result["success"]:
            on_undone(result)
        else:
            messages.warn(parent, "The import was not undone", result["message"])

    slot.start(
        lambda report, cancelled: undo.run_undo(plan).to_dict(),
        on_success=finished,
        on_failure=lambda message, details: messages.error(parent, "The undo failed", message, details),
    )
    return True
