"""Claims: callers sharing one campaign never get the same contact.

"Next contact" claims the first pending contact that nobody holds (or whose claim is older
than CLAIM_MINUTES: a caller who walked away) for one caller; marking its result records who
and when, and ends the claim. On PostgreSQL the pick locks its row with ``FOR UPDATE SKIP
LOCKED``, so callers pressing Next at the same moment each get a different contact without
waiting for one another; on SQLite ``BEGIN IMMEDIATE`` makes the claims take turns.

Claim and mark times are UTC (naive), so callers in different time zones compare them rightly.
"""

import getpass
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from .dnc import listed_sql
from .models import PENDING, db, local_now_text
from .server import is_server

CLAIM_MINUTES = 15


def default_caller() -> str:
    """The operating system's user name: the caller when none is given."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return "caller"


def _utc_text(moment: datetime) -> str:
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    return utc.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _transaction():
    return db.atomic() if is_server() else db.atomic(lock_type="IMMEDIATE")


def claim_next(
    campaign_id: int,
    caller: str,
    now: datetime,
    location_ids: Sequence[int] | None = None,
    where: tuple[str, Sequence] | None = None,
) -> int | None:
    """Claim the next pending contact for ``caller``; its id, or None when none is free.

    ``location_ids``: only contacts at these locations (the ones callable now, see
    core.campaign_hours.callable_location_ids); None: any. A number on the do-not-call list
    is never claimed. ``where``: an SQL condition on the contact with its ``?`` parameters (the
    window's search and filter: only a contact the caller sees). A contact someone holds, the caller included, is not offered: asking for
    the next one again skips to another and leaves the first claimed until its claim expires,
    so two windows with the same caller name never share a contact either.
    """
    if location_ids is not None and not location_ids:
        return None
    conditions = [
        "campaign_id = ?",
        "status = ?",
        "(claimed_by IS NULL OR claimed_at < ?)",
        "NOT " + listed_sql("contact.phone_number", "contact.campaign_id", "?"),
    ]
    params: list = [campaign_id, PENDING, _utc_text(now - timedelta(minutes=CLAIM_MINUTES)), local_now_text()]
    if location_ids is not None:
        conditions.append(f"location_id IN ({', '.join('?' * len(location_ids))})")
        params.extend(location_ids)
    if where is not None and where[0]:
        conditions.append(f"({where[0]})")
        params.extend(where[1])
    # Walks the (campaign_id, status) index in id order: SQLite's indexes end with the row id,
    # PostgreSQL's carries it (store/pg_schema.py), so the pick reads few rows, not the campaign.
    pick = f"SELECT id FROM contact WHERE {' AND '.join(conditions)} ORDER BY id LIMIT 1" + (
        " FOR UPDATE SKIP LOCKED" if is_server() else ""
    )
    with _transaction():
        found = db.execute_sql(pick, params).fetchone()
        if found is None:
            return None
        db.execute_sql(
            "UPDATE contact SET claimed_by = ?, claimed_at = ? WHERE id = ?", (caller, _utc_text(now), found[0])
        )
    return found[0]


def mark_result(contact_id: int, status: str, caller: str, now: datetime) -> bool:
    """Record a call's result on a contact: its status, who marked it and when; the claim ends.
    False when there is no such contact."""
    with _transaction():
        return (
            db.execute_sql(
                "UPDATE contact SET status = ?, updated_at = ?, marked_by = ?, marked_at = ?,"
                " claimed_by = NULL, claimed_at = NULL WHERE id = ?",
                (status, local_now_text(), caller, _utc_text(now), contact_id),
            ).rowcount
            > 0
        )


def record_marks(campaign_id: int, phone_numbers: Iterable[str], caller: str, now: datetime) -> int:
    """Who marked these contacts (E.164 numbers) and when, ending their claims, in the caller's
    transaction (after the status change itself); returns how many contacts."""
    numbers = sorted(set(phone_numbers))
    changed = 0
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        changed += db.execute_sql(
            "UPDATE contact SET marked_by = ?, marked_at = ?, claimed_by = NULL, claimed_at = NULL"
            f" WHERE campaign_id = ? AND phone_number IN ({', '.join('?' * len(chunk))})",
            [caller, _utc_text(now), campaign_id, *chunk],
        ).rowcount
    return changed


def record_marks_by_ids(campaign_id: int, contact_ids: Iterable[int], caller: str, now: datetime) -> int:
    """Who marked these contacts (by id) and when, ending their claims, in the caller's transaction."""
    ids = sorted(set(contact_ids))
    changed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        changed += db.execute_sql(
            "UPDATE contact SET marked_by = ?, marked_at = ?, claimed_by = NULL, claimed_at = NULL"
            f" WHERE campaign_id = ? AND id IN ({', '.join('?' * len(chunk))})",
            [caller, _utc_text(now), campaign_id, *chunk],
        ).rowcount
    return changed


def record_marks_where(where: str, params: Sequence, status: str, caller: str, now: datetime) -> int:
    """Who marks the contacts matching ``where`` that are not ``status`` yet, and when, ending their
    claims; run it in the caller's transaction just before the status change itself."""
    return db.execute_sql(
        "UPDATE contact SET marked_by = ?, marked_at = ?, claimed_by = NULL, claimed_at = NULL"
        f" WHERE {where} AND status != ?",
        [caller, _utc_text(now), *params, status],
    ).rowcount


def claim_of(contact_id: int) -> tuple[str | None, str | None, str | None, str | None]:
    """(claimed_by, claimed_at, marked_by, marked_at) of a contact, times as UTC text."""
    row = db.execute_sql(
        "SELECT claimed_by, claimed_at, marked_by, marked_at FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        return (None, None, None, None)
    by, at, marked_by, marked_at = row
    return (by, _shown_time(at), marked_by, _shown_time(marked_at))


def _shown_time(value) -> str | None:
    """A stored time as "YYYY-MM-DD HH:MM:SS[.ffffff]": SQLite gives text, PostgreSQL a datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.isoformat(sep=" ")
