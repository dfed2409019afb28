"""The contact statuses, defined once: what is stored, what people read, and what each one means.

Everything that needs statuses reads this table: the models and the migrations' check, the
importer (which statuses a new import replaces), the command line's choices, and the window's
labels, colours, status bar and Ctrl+1–4 keys.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str  # as stored and as the command line takes it
    label: str  # as the window shows it
    history: bool  # a call result: kept by every later import (the others are replaced)
    colour: str  # the window's colour for it (#rrggbb)
    mark_key: str = ""  # the window's key for marking contacts with it ("" for none)


# In the order the window lists them: the marking keys first, Ctrl+1 to Ctrl+4.
TABLE = (
    Status("pending", "Pending", history=False, colour="#9aa7b4", mark_key="Ctrl+1"),
    Status("completed", "Completed", history=True, colour="#2f9e5b", mark_key="Ctrl+2"),
    Status("failed", "Failed", history=True, colour="#d64545", mark_key="Ctrl+3"),
    Status("skipped", "Skipped", history=False, colour="#e0a31a", mark_key="Ctrl+4"),
    # On the do-not-call list: set through the list (it asks for a note), so it has no key.
    Status("do_not_call", "Do not call", history=True, colour="#5b4a8a"),
)
BY_NAME = {status.name: status for status in TABLE}
# The campaign's progress bar, left to right: call results first, what is still to call last.
BAR_ORDER = ("completed", "failed", "do_not_call", "skipped", "pending")
NAMES = tuple(status.name for status in TABLE)
# A new import replaces contacts with these statuses; the others are call history and stay.
REPLACEABLE = tuple(status.name for status in TABLE if not status.history)
HISTORY = tuple(status.name for status in TABLE if status.history)
DO_NOT_CALL = "do_not_call"
assert DO_NOT_CALL in NAMES
