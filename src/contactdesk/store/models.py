"""Tables. One proxy, bound by ``init_db`` at start-up (and by each test)."""

from datetime import datetime

import peewee as pw

from .statuses import TABLE as STATUS_TABLE

db = pw.DatabaseProxy()

PENDING, SKIPPED, COMPLETED, FAILED = "pending", "skipped", "completed", "failed"
DO_NOT_CALL = "do_not_call"  # the person is on the do-not-call list: history, like a call result
STATUSES = tuple(status.name for status in STATUS_TABLE)
# Statuses a new import replaces; the others are call history and are kept.
REPLACEABLE_STATUSES = tuple(status.name for status in STATUS_TABLE if not status.history)
HISTORY_STATUSES = tuple(status.name for status in STATUS_TABLE if status.history)
assert {PENDING, SKIPPED, COMPLETED, FAILED, DO_NOT_CALL} == set(STATUSES)  # the names used in code exist
# As the migrations wrote it (schema text is literal there); the same set as the table.
STATUS_CHECK = "status IN ('pending', 'skipped', 'completed', 'failed', 'do_not_call')"
assert set(STATUS_CHECK.removeprefix("status IN (").removesuffix(")").replace("'", "").split(", ")) == set(STATUSES)
# What an import does with the campaign's pending and skipped contacts (ImportRun.mode).
REPLACE, KEEP_PENDING = "replace", "keep_pending"
IMPORT_MODES = (REPLACE, KEEP_PENDING)


def local_now() -> datetime:
    """Local wall-clock time, naive: what a person expects to read back."""
    return datetime.now().astimezone().replace(tzinfo=None)


def local_now_text() -> str:
    """``local_now()`` as stored in a DATETIME column, for raw SQL."""
    return local_now().isoformat(sep=" ")


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class Campaign(BaseModel):
    name = pw.CharField(unique=True)
    notes = pw.TextField(default="")
    created_at = pw.DateTimeField(default=local_now)
    calling_hours = pw.TextField(default="")  # JSON of core.calling_hours.WeeklyHours; "": the default


class ImportRun(BaseModel):
    campaign = pw.ForeignKeyField(Campaign, backref="imports", on_delete="CASCADE")
    file_name = pw.TextField()
    file_size = pw.BigIntegerField(default=0)
    file_sha256 = pw.CharField(default="")
    started_at = pw.DateTimeField(default=local_now)
    finished_at = pw.DateTimeField(null=True)
    mapping_json = pw.TextField(default="{}")
    region = pw.CharField(default="US")
    strict = pw.BooleanField(default=False)
    rows_read = pw.IntegerField(default=0)
    imported_count = pw.IntegerField(default=0)
    skipped_duplicates = pw.IntegerField(default=0)
    invalid_count = pw.IntegerField(default=0)
    removed_count = pw.IntegerField(default=0)
    total_contacts = pw.IntegerField(default=0)
    outcome = pw.CharField(default="success")
    variables_json = pw.TextField(default="[]")  # template variables this import produced
    mode = pw.CharField(default=REPLACE)  # REPLACE or KEEP_PENDING
    suppressed_count = pw.IntegerField(default=0)  # rows left out: their number is on the do-not-call list
    undone_at = pw.DateTimeField(null=True)
    archive_kept = pw.BooleanField(default=False)  # the contacts it replaced are in its archive table
    caller = pw.TextField(default="")  # who started it (Settings > Team, or import --caller)


class Contact(BaseModel):
    # No separate FK indexes: the unique (campaign, phone_number) index serves campaign
    # look-ups, and every extra index slows a million-row import.
    campaign = pw.ForeignKeyField(Campaign, backref="contacts", on_delete="CASCADE", index=False)
    phone_number = pw.CharField()
    phone_raw = pw.TextField(default="")
    name = pw.TextField(default="")
    email = pw.TextField(default="")
    company = pw.TextField(default="")
    variables = pw.TextField(default="{}")  # JSON object of template variables
    status = pw.CharField(
        default=PENDING,
        constraints=[pw.Check(STATUS_CHECK)],
    )
    source_row = pw.IntegerField(null=True)
    import_run = pw.ForeignKeyField(ImportRun, null=True, on_delete="SET NULL", backref="contacts", index=False)
    created_at = pw.DateTimeField(default=local_now)
    updated_at = pw.DateTimeField(default=local_now)
    search_text = pw.TextField(default="")  # folded name/email/company when not plain ASCII (store/search.py)
    location_id = pw.IntegerField(null=True)  # a row of the location table (core/timezones.py); null: unknown
    # Team mode (store/claims.py): the caller working on the contact now (null: nobody; a claim
    # expires after 15 minutes), and who marked its result. Times in UTC.
    claimed_by = pw.TextField(null=True)
    claimed_at = pw.DateTimeField(null=True)
    marked_by = pw.TextField(null=True)
    marked_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("campaign", "phone_number"), True),
            (("campaign", "status"), False),
            (("campaign",), False),
        )


# Claimed contacts only (see the migrations' _CLAIMS_INDEX).
Contact.add_index(Contact.campaign, Contact.claimed_at, where=Contact.claimed_at.is_null(False))


class MappingPreset(BaseModel):
    """A named column mapping saved from the import wizard, in ``column_mappings`` form."""

    name = pw.CharField(unique=True)
    mapping_json = pw.TextField()
    updated_at = pw.DateTimeField(default=local_now)


DNC_REASONS = ("request", "list", "manual")


class DncEntry(BaseModel):
    """A number on the do-not-call list, for every campaign (campaign NULL) or one."""

    phone_number = pw.CharField()
    campaign = pw.ForeignKeyField(Campaign, null=True, on_delete="CASCADE", index=False)
    reason = pw.CharField(constraints=[pw.Check("reason IN ('request', 'list', 'manual')")])
    source = pw.TextField(default="")  # the list's file name, or where the request came from
    note = pw.TextField(default="")
    added_at = pw.DateTimeField(default=local_now)
    expires_at = pw.DateTimeField(null=True)  # NULL: never


# One entry per number and scope; its leading phone_number column serves the suppression join.
DncEntry.add_index(
    pw.SQL('CREATE UNIQUE INDEX "dnc_entry_phone_scope" ON "dnc_entry" ("phone_number", coalesce("campaign_id", 0))')
)


class DncListImport(BaseModel):
    """One imported do-not-call list (a registry download), for its age."""

    file_name = pw.TextField()
    campaign = pw.ForeignKeyField(Campaign, null=True, on_delete="CASCADE", index=False)
    imported_at = pw.DateTimeField(default=local_now)
    numbers = pw.IntegerField(default=0)
    new_numbers = pw.IntegerField(default=0)


class Location(BaseModel):
    """Where contacts are: one row per distinct (time zones, state, source); contacts refer to it
    by id (see core/timezones.py and store/locations.py)."""

    time_zones = pw.TextField()
    state = pw.TextField()
    source = pw.TextField()

    class Meta:
        indexes = ((("time_zones", "state", "source"), True),)
