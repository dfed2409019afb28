"""Reading and updating a campaign's contacts: filtered counts, windows of rows, status changes.

Everything here pages through SQLite; nothing loads a whole campaign into memory.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

import phonenumbers

from ..store import claims, import_runs
from ..store import contacts as contact_store
from ..store.connection import require_writable
from ..store.contacts import SORTABLE_COLUMNS as SORTABLE_COLUMNS  # the window sorts by these
from ..store.contacts import ContactQuery
from ..store.locations import locations_by_id
from ..store.models import local_now
from ..store.search import fold
from ..store.statuses import NAMES as STATUSES
from ..store.transaction import write_transaction
from .mapping import STANDARD_FIELDS
from .phone import DEFAULT_REGION, PhoneNormalizer, UnknownRegion, phone_settings
from .timezones import expand_zones


def decode_variables(text: str | None) -> dict:
    """A contact's stored template variables (JSON text) as a dict; {} for anything else."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class ContactRow(NamedTuple):
    id: int
    phone_number: str
    name: str
    email: str
    company: str
    status: str
    variables: str  # JSON text; decode with .variables_dict() only when shown
    source_row: int | None
    time_zones: str = ""  # IANA names separated by spaces (core/timezones.py)
    state: str = ""
    location_source: str = ""

    def variables_dict(self) -> dict:
        return decode_variables(self.variables)

    def to_dict(self) -> dict:
        return {
            "phone_number": self.phone_number,
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "status": self.status,
            "variables": self.variables_dict(),
            **location_dict(self.time_zones, self.state, self.location_source),
        }


def location_dict(time_zones: str, state: str, source: str) -> dict:
    zones = expand_zones(time_zones)
    return {
        "time_zone": zones[0] if len(zones) == 1 else None,
        "time_zones": zones,
        "state": state or None,
        "time_zone_source": source or None,
    }


class StatusError(ValueError):
    pass


def check_status(status: str) -> str:
    cleaned = (status or "").strip().lower()
    if cleaned not in STATUSES:
        raise StatusError(f"Unknown status {status!r}; use one of {', '.join(STATUSES)}.")
    return cleaned


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts of a campaign: an optional status and a free-text search."""

    campaign_id: int
    statuses: tuple[str, ...] = ()
    search: str = ""
    # Only pending contacts at these locations (ids): the ones callable now
    # (core.campaign_hours.callable_location_ids). None: no such restriction.
    callable_location_ids: tuple[int, ...] | None = None

    # The default region: digits typed without a country code are read as a number of it.
    region: str = DEFAULT_REGION

    def query(self) -> ContactQuery:
        """The store's query for these contacts."""
        text = self.search.strip()
        prefixes: tuple[str, ...] = ()
        folded = ""
        if text and _PHONE_LIKE.fullmatch(text):
            prefixes = phone_prefixes(text, self.region)
        elif text:
            folded = fold(text)
        return ContactQuery(self.campaign_id, tuple(self.statuses), self.callable_location_ids, prefixes, folded)


_PHONE_LIKE = re.compile(r"\+?[\d\s().\-]*\d[\d\s().\-]*")


def phone_prefixes(text: str, region: str = DEFAULT_REGION) -> tuple[str, ...]:
    """The starts of stored (E.164) numbers that digits typed in a search mean.

    "+4420" means +4420... only. Without "+" the digits are either a number with its country
    code ("4420" finds +4420...) or a number of the default region as people dial it at home:
    "212 555" finds +1212555... for US, "07700 900" finds +447700900... for GB (the trunk 0
    dropped)."""
    digits = re.sub(r"\D", "", text)
    if text.lstrip().startswith("+"):
        return ("+" + digits,)
    country_code, trunk_prefix = _dialling(region)
    national = digits[len(trunk_prefix) :] if trunk_prefix and digits.startswith(trunk_prefix) else digits
    prefixes = ["+" + digits]
    if country_code and national:
        home = f"+{country_code}{national}"
        if home not in prefixes:
            prefixes.append(home)
    return tuple(prefixes)


@lru_cache(maxsize=32)
def _dialling(region: str) -> tuple[int, str]:
    """The region's country calling code and trunk prefix ("" when it has none)."""
    try:
        region, _strict = phone_settings(region)
    except UnknownRegion:  # digits then only match as written with their country code
        return 0, ""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return 0, ""
    return metadata.country_code, metadata.national_prefix or ""


def count_contacts(contact_filter: ContactFilter) -> int:
    return contact_store.count(contact_filter.query())


def fetch_contacts(
    contact_filter: ContactFilter, offset: int, limit: int, order_by: str = "id", descending: bool = False
) -> list[ContactRow]:
    return _contact_rows(contact_store.page(contact_filter.query(), offset, limit, order_by, descending))


def _contact_rows(rows: list[tuple]) -> list[ContactRow]:
    """Rows of the store's ROW_FIELDS as ContactRows, each with its location's values."""
    found = locations_by_id(row[-1] for row in rows)
    nowhere = ("", "", "")
    return [ContactRow(*row[:-1], *found.get(row[-1], nowhere)) for row in rows]


def contact_by_id(contact_id: int) -> ContactRow | None:
    row = contact_store.row_by_id(contact_id)
    return _contact_rows([row])[0] if row is not None else None


def next_contact_id(contact_filter: ContactFilter, after_id: int) -> int | None:
    """The first matching contact after ``after_id`` in import order, wrapping round to the start."""
    query = contact_filter.query()
    found = contact_store.first_id(query, after=after_id)
    return found if found is not None else contact_store.first_id(query, up_to=after_id)


def row_of_contact(
    contact_filter: ContactFilter, contact_id: int, order_by: str = "id", descending: bool = False
) -> int | None:
    """The row of a contact in the filtered list sorted as given (None: not in it)."""
    return contact_store.position(contact_filter.query(), contact_id, order_by, descending)


def iter_contacts(contact_filter: ContactFilter, order_by: str = "id", page_size: int = 5000) -> Iterator[ContactRow]:
    """Every matching contact, a page at a time (keyset paging on id: stable and fast at any depth)."""
    if order_by != "id":
        offset = 0
        while page := fetch_contacts(contact_filter, offset, page_size, order_by):
            yield from page
            offset += len(page)
        return
    query = contact_filter.query()
    last_id = 0
    while rows := contact_store.page_after_id(query, last_id, page_size):
        yield from _contact_rows(rows)
        last_id = rows[-1][0]


def variable_names(campaign_id: int) -> list[str]:
    """Template variables this campaign's imports produced, in the order the files had them."""
    names: dict[str, None] = {}
    for variables_json in import_runs.produced_variables(campaign_id):
        try:
            produced = json.loads(variables_json)
        except ValueError:
            continue
        for name in produced if isinstance(produced, list) else ():
            if isinstance(name, str) and name not in STANDARD_FIELDS:
                names.setdefault(name, None)
    return list(names)


def set_status_where(
    contact_filter: ContactFilter, status: str, caller: str | None = None, at: datetime | None = None
) -> int:
    """Set the status of every contact matching the filter; returns how many changed. With a
    ``caller``, who marked them and when (UTC ``at``) is recorded and their claims end, in the
    same transaction."""
    require_writable()
    status, query = check_status(status), contact_filter.query()
    with write_transaction():
        if caller is not None:
            claims.record_marks_where(query, status, caller, at or datetime.now(UTC))
        return contact_store.set_status_where(query, status)


def set_status_by_ids(
    campaign_id: int, contact_ids: Iterable[int], status: str, caller: str | None = None, at: datetime | None = None
) -> int:
    """As set_status_where, for the campaign's contacts with these ids."""
    require_writable()
    status, ids = check_status(status), list(contact_ids)
    with write_transaction():
        if caller is not None:
            claims.record_marks_by_ids(campaign_id, ids, caller, at or datetime.now(UTC))
        return contact_store.set_status_by_ids(campaign_id, ids, status)


def set_status_at_rows(
    contact_filter: ContactFilter,
    ranges: Sequence[tuple[int, int]],
    order: tuple[str, bool],
    status: str,
    caller: str | None = None,
    at: datetime | None = None,
) -> int:
    """As set_status_by_ids, for the contacts at these (first, last) rows of the filter's contacts
    sorted by ``order`` (a column of SORTABLE_COLUMNS, descending): a selection in the window."""
    require_writable()
    status, query = check_status(status), contact_filter.query()
    order_by, descending = order
    with write_transaction():
        if len(ranges) > contact_store.RANGES_PER_STATEMENT:
            # Many separate rows (Ctrl+clicks): their ids, all read before anything changes.
            ids = contact_store.ids_of_rows(query, ranges, order_by, descending)
            if caller is not None:
                claims.record_marks_by_ids(contact_filter.campaign_id, ids, caller, at or datetime.now(UTC))
            return contact_store.set_status_by_ids(contact_filter.campaign_id, ids, status)
        if caller is not None:  # first: the status change may move the rows
            claims.record_marks_at_rows(query, ranges, order_by, descending, caller, at or datetime.now(UTC))
        return contact_store.set_status_at_rows(query, ranges, order_by, descending, status)


@dataclass
class MarkResult:
    status: str
    updated: int = 0
    not_found: list[str] = field(default_factory=list)
    invalid: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"status": self.status, "updated": self.updated, "not_found": self.not_found, "invalid": self.invalid}


def mark_phones(
    campaign_id: int,
    status: str,
    phones: Sequence[str],
    region: str = DEFAULT_REGION,
    strict: bool = False,
    *,
    caller: str | None = None,
) -> MarkResult:
    """Set the status of the contacts with these numbers (written in any format). With a
    ``caller``, who marked them and when is recorded and their claims end, in the same transaction."""
    require_writable()
    status = check_status(status)
    normalize = PhoneNormalizer(region, strict).normalize
    result = MarkResult(status)
    stamp = local_now()
    marked: list[str] = []
    with write_transaction():
        for raw in phones:
            phone = normalize(raw)
            if phone.e164 is None:
                result.invalid.append({"value": raw, "reason": phone.reason})
            elif contact_store.set_status_by_phone(campaign_id, phone.e164, status, stamp):
                result.updated += 1
                marked.append(phone.e164)
            else:
                result.not_found.append(phone.e164)
        if caller is not None:
            claims.record_marks(campaign_id, marked, caller, datetime.now(UTC))
    return result
