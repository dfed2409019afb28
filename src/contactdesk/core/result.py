"""The outcome of an import, as plain data (it crosses threads and goes out as JSON)."""

from dataclasses import asdict, dataclass, field

OK = 200
BAD_REQUEST = 400  # invalid or empty file, bad mapping
NOT_FOUND = 404  # campaign not found
FAILED = 500  # import processing failed
CANCELLED = 499  # stopped by the person; nothing was changed

ERRORS_SHOWN = 1000  # row errors listed in a result; the count covers all of them


class ImportFailure(Exception):
    """Ends an import with a status and a message for people; nothing is changed."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str
    file: str = ""  # which file, when several are imported as one list


@dataclass
class ImportResult:
    success: bool
    message: str
    imported_count: int = 0
    total_contacts: int = 0
    file_name: str = ""
    import_date: str = ""
    status: int = OK
    campaign_id: int | None = None
    dry_run: bool = False
    mode: str = "replace"  # or "keep_pending": the campaign's pending and skipped contacts stay
    rows_read: int = 0
    skipped_duplicates: int = 0
    duplicates_in_file: int = 0
    duplicates_in_campaign: int = 0
    invalid_count: int = 0
    suppressed_count: int = 0  # rows left out because their number is on the do-not-call list
    removed_count: int = 0
    kept_count: int = 0
    claimed_kept_count: int = 0  # pending or skipped contacts a caller holds now: a replace keeps them
    unassigned_count: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    detected: dict = field(default_factory=dict)
    mapping: dict = field(default_factory=dict)
    import_id: int | None = None
    elapsed_seconds: float = 0.0
    backup_path: str | None = None  # the copy taken before pending contacts were replaced
    files: list[dict] = field(default_factory=list)  # per file, when several were imported as one list

    def to_dict(self) -> dict:
        document = asdict(self)
        for error in document["errors"]:
            if not error["file"]:  # one file: row, column, value, reason, as specified
                del error["file"]
        return document
