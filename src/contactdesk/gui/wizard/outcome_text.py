"""What the check and import pages say about an import that ran, failed or was cancelled."""

from ...core.result import BAD_REQUEST, CANCELLED, NOT_FOUND

PROGRESS_STEPS = 1000  # the bar counts per mille: byte counts overflow a Qt int above 2 GB

CANCELLED_TEXT = "Import cancelled; nothing was changed."
DELETED_TEXT = "The campaign was deleted meanwhile, so nothing was imported. Close this window and choose a campaign."
FAILED_TEXT = "The import failed and nothing was changed."


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 5:
        return "a few seconds"
    if seconds < 60:
        return f"{seconds} seconds"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s" if minutes < 10 else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def time_left_text(seconds: float) -> str:
    duration = format_duration(seconds)
    return f"{duration} left" if duration == "a few seconds" else f"about {duration} left"


def failure_text(result: dict) -> str:
    """The sentence for a result that did not import anything."""
    status = result.get("status")
    message = (result.get("message") or "").strip()
    if status == CANCELLED:
        return CANCELLED_TEXT
    if status == NOT_FOUND:
        return DELETED_TEXT
    if status == BAD_REQUEST:
        return f"The file could not be imported, so nothing was changed.\n\n{message}" if message else FAILED_TEXT
    # FAILED and anything unexpected: the importer's own words, when it has some.
    return f"{FAILED_TEXT}\n\n{message}" if message else FAILED_TEXT
