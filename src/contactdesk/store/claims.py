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

import peewee as pw
from peewee import fn

from .contacts import ContactQuery, ids_at_rows
from .contacts import matching as contact_condition
from .models import PENDING, Contact, DncEntry, db, local_now_text
from .server import is_server
from .transaction import write_transaction

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


def live_claim_cutoff(now: datetime | None = None) -> str:
    """Claims made after this (UTC text) are live: someone may be calling that contact now."""
    return _utc_text((now or datetime.now(UTC)) - timedelta(minutes=CLAIM_MINUTES))


def _listed_now(now_text: str) -> pw.Node:
    """The contact's number is on the do-not-call list for its campaign now (one index probe)."""
    entry = DncEntry.alias("dnc")
    return fn.EXISTS(
        entry.select(pw.SQL("1")).where(
            (entry.phone_number == Contact.phone_number)
            & (entry.campaign.is_null() | (entry.campaign == Contact.campaign))
            & (entry.expires_at.is_null() | (entry.expires_at > now_text))
        )
    )


def claim_next(
    campaign_id: int,
    caller: str,
    now: datetime,
    location_ids: Sequence[int] | None = None,
    among: ContactQuery | None = None,
) -> int | None:
    """Claim the next pending contact for ``caller``; its id, or None when none is free.

    ``location_ids``: only contacts at these locations (the ones callable now, see
    core.campaign_hours.callable_location_ids); None: any. A number on the do-not-call list
    is never claimed. ``among``: only the contacts this query finds (the window's search and
    filter: a contact the caller sees). A contact someone holds, the caller included, is not
    offered: asking for the next one again skips to another and leaves the first claimed until
    its claim expires, so two windows with the same caller name never share a contact either.
    """
    if location_ids is not None and not location_ids:
        return None
    condition = (
        (Contact.campaign == campaign_id)
        & (Contact.status == PENDING)
        & (Contact.claimed_by.is_null() | (Contact.claimed_at < live_claim_cutoff(now)))
        & ~_listed_now(local_now_text())
    )
    if location_ids is not None:
        condition &= Contact.location_id.in_(list(location_ids))
    if among is not None:
        condition &= contact_condition(among)
    # Walks the (campaign_id, status) index in id order: SQLite's indexes end with the row id,
    # PostgreSQL's carries it (store/pg_schema.py), so the pick reads few rows, not the campaign.
    pick = Contact.select(Contact.id).where(condition).order_by(Contact.id).limit(1)
    if is_server():
        pick = pick.for_update("FOR UPDATE SKIP LOCKED")
    with write_transaction():
        found = pick.scalar()
        if found is None:
            return None
        Contact.update(claimed_by=caller, claimed_at=_utc_text(now)).where(Contact.id == found).execute()
    return found


def mark_result(contact_id: int, status: str, caller: str, now: datetime) -> bool:
    """Record a call's result on a contact: its status, who marked it and when; the claim ends.
    False when there is no such contact."""
    mark = db.param
    with write_transaction():
        return (
            db.execute_sql(
                f"UPDATE contact SET status = {mark}, updated_at = {mark}, marked_by = {mark}, marked_at = {mark},"
                f" claimed_by = NULL, claimed_at = NULL WHERE id = {mark}",
                (status, local_now_text(), caller, _utc_text(now), contact_id),
            ).rowcount
            > 0
        )


def record_marks(campaign_id: int, phone_numbers: Iterable[str], caller: str, now: datetime) -> int:
    """Who marked these contacts (E.164 numbers) and when, ending their claims, in the caller's
    transaction (after the status change itself); returns how many contacts."""
    return _record_marks_in(campaign_id, Contact.phone_number, phone_numbers, caller, now)


def record_marks_by_ids(campaign_id: int, contact_ids: Iterable[int], caller: str, now: datetime) -> int:
    """Who marked these contacts (by id) and when, ending their claims, in the caller's transaction."""
    return _record_marks_in(campaign_id, Contact.id, contact_ids, caller, now)


def _record_marks_in(campaign_id: int, key: pw.Field, values: Iterable, caller: str, now: datetime) -> int:
    """The marking record of the campaign's contacts whose ``key`` is one of ``values``, 500 per statement."""
    return sum(
        _record_marks((Contact.campaign == campaign_id) & key.in_(chunk), caller, now)
        for chunk in pw.chunked(sorted(set(values)), 500)
    )


def _record_marks(condition: pw.Node, caller: str, now: datetime) -> int:
    return (
        Contact.update(marked_by=caller, marked_at=_utc_text(now), claimed_by=None, claimed_at=None)
        .where(condition)
        .execute()
    )


def record_marks_at_rows(
    query: ContactQuery, ranges: Sequence[tuple[int, int]], order_by: str, descending: bool, caller: str, now: datetime
) -> int:
    """Who marked the contacts at these positions of the view's order (see contacts.ids_at_rows) and
    when, ending their claims; run it in the caller's transaction before the status change itself."""
    return _record_marks(Contact.id.in_(ids_at_rows(query, ranges, order_by, descending)), caller, now)


def record_marks_where(query: ContactQuery, status: str, caller: str, now: datetime) -> int:
    """Who marks the contacts ``query`` finds that are not ``status`` yet, and when, ending their
    claims; run it in the caller's transaction just before the status change itself."""
    return _record_marks(contact_condition(query) & (Contact.status != status), caller, now)


def claim_of(contact_id: int) -> tuple[str | None, str | None, str | None, str | None]:
    """(claimed_by, claimed_at, marked_by, marked_at) of a contact, times as UTC text."""
    row = db.execute_sql(
        f"SELECT claimed_by, claimed_at, marked_by, marked_at FROM contact WHERE id = {db.param}", (contact_id,)
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
