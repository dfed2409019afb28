"""The do-not-call list: numbers that no campaign may call, for all campaigns or one.

A person's request is honoured for five years (47 CFR 64.1200(d)(6)); an entry from an
imported list (a national registry) never expires. Adding a number sets every pending
contact with that number to ``do_not_call``, in the same transaction, and every later
import leaves the number out.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..store import campaigns as campaign_store
from ..store import claims
from ..store import contacts as contact_store
from ..store import dnc as dnc_store
from ..store.connection import require_writable
from ..store.models import local_now, local_now_text
from ..store.statuses import DO_NOT_CALL
from ..store.transaction import connection, write_transaction
from .phone import DEFAULT_REGION, PhoneNormalizer, UnknownRegion, phone_settings

REQUEST, LIST, MANUAL = "request", "list", "manual"
REQUEST_YEARS = 5


class DncError(ValueError):
    """Bad input for the list (unknown campaign, unknown country); nothing was changed."""


class DncCampaignNotFound(DncError):
    pass


def expiry_for(reason: str, added: datetime) -> str | None:
    """When an entry added now stops suppressing: five years for a request, never for a list."""
    if reason != REQUEST:
        return None
    try:
        until = added.replace(year=added.year + REQUEST_YEARS)
    except ValueError:  # 29 February
        until = added.replace(year=added.year + REQUEST_YEARS, day=28)
    return until.isoformat(sep=" ")


def normalizer(region: str = DEFAULT_REGION) -> PhoneNormalizer:
    try:
        region, _strict = phone_settings(region)
    except UnknownRegion as exc:
        raise DncError(str(exc)) from None
    return PhoneNormalizer(region)


def check_campaign(campaign_id: int | None) -> None:
    if campaign_id is not None and not campaign_store.exists(campaign_id):
        raise DncCampaignNotFound(f"Campaign {campaign_id} was not found.")


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)  # E.164
    invalid: list[dict] = field(default_factory=list)  # {"value", "reason"}
    marked: int = 0  # pending contacts set to do_not_call
    scope: str = "all"
    expires: str | None = None

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "added_count": len(self.added),
            "invalid": self.invalid,
            "marked_contacts": self.marked,
            "scope": self.scope,
            "expires": self.expires[:10] if self.expires else None,
        }


def add_numbers(
    numbers: Sequence[str],
    *,
    campaign_id: int | None = None,
    note: str = "",
    region: str = DEFAULT_REGION,
    reason: str = REQUEST,
    source: str = "",
) -> AddResult:
    """Put numbers (written in any format) on the list and mark their pending contacts, in one transaction."""
    require_writable()
    normalize = normalizer(region).normalize
    check_campaign(campaign_id)
    added_at = local_now()
    details = dnc_store.EntryDetails(
        campaign_id, reason, source, note.strip(), added_at.isoformat(sep=" "), expiry_for(reason, added_at)
    )
    result = AddResult(scope="all" if campaign_id is None else f"campaign {campaign_id}", expires=details.expires_at)
    for raw in numbers:
        phone = normalize(raw)
        if phone.e164 is None:
            result.invalid.append({"value": raw, "reason": phone.reason})
        elif phone.e164 not in result.added:
            result.added.append(phone.e164)
    if not result.added:
        return result
    with write_transaction() as conn:
        dnc_store.upsert_entries(conn, result.added, details)
        stamp = local_now_text()
        for phone in result.added:
            result.marked += dnc_store.mark_pending_contacts(conn, phone, campaign_id, stamp)
    return result


@dataclass
class RemoveResult:
    removed: list[str] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)
    invalid: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"removed": self.removed, "not_listed": self.not_listed, "invalid": self.invalid}


def remove_numbers(numbers: Sequence[str], region: str = DEFAULT_REGION) -> RemoveResult:
    """Take numbers off the list (every scope). Contacts already marked keep their status: it is history."""
    require_writable()
    normalize = normalizer(region).normalize
    result = RemoveResult()
    with write_transaction() as conn:
        for raw in numbers:
            phone = normalize(raw)
            if phone.e164 is None:
                result.invalid.append({"value": raw, "reason": phone.reason})
            elif dnc_store.delete_entries(conn, phone.e164):
                result.removed.append(phone.e164)
            else:
                result.not_listed.append(phone.e164)
    return result


def is_active(entry: dnc_store.Entry, now: str) -> bool:
    return entry.expires_at is None or entry.expires_at > now


def check_numbers(numbers: Sequence[str], region: str = DEFAULT_REGION) -> list[dict]:
    """For each number: ``listed`` (suppressed now, in some scope), ``scope`` and ``expires``."""
    normalize = normalizer(region).normalize
    now = local_now_text()
    conn = connection()
    answers = []
    for raw in numbers:
        phone = normalize(raw)
        if phone.e164 is None:
            answers.append({"number": raw, "phone_number": None, "listed": False, "scope": None, "expires": None,
                            "invalid": phone.reason})  # fmt: skip
            continue
        entries = [entry for entry in dnc_store.entries_for(conn, phone.e164) if is_active(entry, now)]
        # An all-campaigns entry comes first (campaign NULL sorts first) and is the one that matters most.
        first = entries[0] if entries else None
        answers.append(
            {
                "number": raw,
                "phone_number": phone.e164,
                "listed": first is not None,
                "scope": first.scope if first else None,
                "expires": (first.expires_at[:10] if first.expires_at else None) if first else None,
                "reason": first.reason if first else None,
                "note": first.note if first else None,
                "entries": [entry.to_dict() for entry in entries],
            }
        )
    return answers


def iter_entries() -> Iterator[dnc_store.Entry]:
    return dnc_store.iter_entries(connection())


def count_entries() -> int:
    return dnc_store.count_entries(connection())


def entries_after(after: tuple[str, int], limit: int) -> list[dnc_store.Entry]:
    return dnc_store.entries_after(connection(), after, limit)


def expiring_within(days: int) -> int:
    """Entries in force now that stop suppressing within ``days`` days."""
    now = local_now()
    until = now + timedelta(days=days)
    return dnc_store.count_expiring(connection(), now.isoformat(sep=" "), until.isoformat(sep=" "))


def list_age_days() -> int | None:
    """Days since a list was last imported (None: never): registries change monthly."""
    last = dnc_store.last_list_import(connection())
    if not last:
        return None
    return (local_now() - datetime.fromisoformat(str(last))).days


def mark_contacts(
    campaign_id: int,
    numbers: Sequence[str],
    *,
    note: str = "",
    this_campaign_only: bool = False,
    region=DEFAULT_REGION,
    caller: str | None = None,
):
    """A contact's "Do not call…": the numbers go on the list (all campaigns unless this one only), and
    the campaign's contacts with them become ``do_not_call`` whatever their status was. With a
    ``caller``, who marked them and when is recorded too, in the same transaction."""
    from .contacts import MarkResult

    require_writable()
    scope = campaign_id if this_campaign_only else None
    check_campaign(campaign_id)
    stamp = local_now_text()
    with write_transaction() as conn:  # the list and the contacts change together or not at all
        added = add_numbers(numbers, campaign_id=scope, note=note, region=region)
        result = MarkResult(DO_NOT_CALL, invalid=added.invalid)
        for phone in added.added:
            if dnc_store.mark_contact_do_not_call(conn, campaign_id, phone, stamp):
                result.updated += 1
            else:
                result.not_found.append(phone)
        if caller is not None:
            claims.record_marks(campaign_id, added.added, caller, datetime.now(UTC))
    return result


def mark_contact_ids(campaign_id: int, contact_ids: Sequence[int], *, note: str = "", this_campaign_only: bool = False):
    """The window's "Do not call…" on selected contacts: their numbers go on the list, they become do_not_call."""
    phones = contact_store.phones_of_ids(campaign_id, contact_ids)
    return mark_contacts(campaign_id, phones, note=note, this_campaign_only=this_campaign_only)
