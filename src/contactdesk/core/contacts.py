"""Reading and updating a campaign's contacts: filtered counts, windows of rows, status changes.

Everything here pages through SQLite; nothing loads a whole campaign into memory.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..store.connection import require_writable
from ..store.locations import locations_by_id
from ..store.models import STATUSES, ImportRun, db, local_now_text
from ..store.search import fold
from .mapping import STANDARD_FIELDS
from .phone import DEFAULT_REGION, PhoneNormalizer
from .timezones import expand_zones

SORTABLE_COLUMNS = ("phone_number", "name", "email", "company", "status", "source_row", "id")
_COLUMNS = "id, phone_number, name, email, company, status, variables, source_row, location_id"


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
        try:
            value = json.loads(self.variables or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

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

    def where(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.callable_location_ids is not None:
            ids = self.callable_location_ids
            clauses.append(f"status = 'pending' AND location_id IN ({', '.join('?' * len(ids))})" if ids else "1 = 0")
            params.extend(ids)
        text = self.search.strip()
        if text and _PHONE_LIKE.fullmatch(text):
            # Digits search phone numbers by their start, through the (campaign, phone) index:
            # "+4420" finds +4420..., and "212 555" finds +1212555... (typed without the
            # North American country code) as well as +212555...
            digits = re.sub(r"\D", "", text)
            prefixes = ["+" + digits] if text.startswith("+") else ["+" + digits, "+1" + digits]
            ranges = []
            for prefix in prefixes:
                # The campaign in each range (and not outside) lets SQLite use the index for each.
                ranges.append("(campaign_id = ? AND phone_number >= ? AND phone_number < ?)")
                params.extend([self.campaign_id, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)])
            clauses.append("(" + " OR ".join(ranges) + ")")
            return " AND ".join(clauses), params
        clauses.insert(0, "campaign_id = ?")
        params.insert(0, self.campaign_id)
        if text:
            # LIKE ignores the case of ASCII letters; search_text holds the accent- and case-free
            # copy of contacts that are not plain ASCII, so "muller" also finds "Müller".
            pattern = "%" + _escape_like(fold(text)) + "%"
            columns = ("name", "email", "company", "search_text")
            alternatives = [f"{column} LIKE ? ESCAPE '\\'" for column in columns]
            params.extend([pattern] * len(columns))
            clauses.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(clauses), params


_PHONE_LIKE = re.compile(r"\+?[\d\s().\-]*\d[\d\s().\-]*")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def count_contacts(contact_filter: ContactFilter) -> int:
    where, params = contact_filter.where()
    return db.execute_sql(f"SELECT count(*) FROM contact WHERE {where}", params).fetchone()[0]


def _order_clause(order_by: str, descending: bool) -> str:
    if order_by not in SORTABLE_COLUMNS:
        raise ValueError(f"cannot sort by {order_by!r}")
    direction = "DESC" if descending else "ASC"
    if order_by == "id":
        return f"id {direction}"
    return f"{order_by} {direction}, id {direction}"


def fetch_contacts(
    contact_filter: ContactFilter, offset: int, limit: int, order_by: str = "id", descending: bool = False
) -> list[ContactRow]:
    where, params = contact_filter.where()
    sql = (
        f"SELECT {_COLUMNS} FROM contact WHERE {where} ORDER BY {_order_clause(order_by, descending)} LIMIT ? OFFSET ?"
    )
    return _contact_rows(db.execute_sql(sql, [*params, limit, offset]).fetchall())


def _contact_rows(rows: list[tuple]) -> list[ContactRow]:
    """Rows of _COLUMNS as ContactRows, each with its location's values."""
    found = locations_by_id(row[-1] for row in rows)
    nowhere = ("", "", "")
    return [ContactRow(*row[:-1], *found.get(row[-1], nowhere)) for row in rows]


def next_contact_id(contact_filter: ContactFilter, after_id: int) -> int | None:
    """The first matching contact after ``after_id`` in import order, wrapping round to the start."""
    where, params = contact_filter.where()
    for clause, bound in (("id > ?", after_id), ("id <= ?", after_id)):
        found = db.execute_sql(
            f"SELECT id FROM contact WHERE {where} AND {clause} ORDER BY id LIMIT 1", [*params, bound]
        ).fetchone()
        if found is not None:
            return found[0]
    return None


def row_of_contact(
    contact_filter: ContactFilter, contact_id: int, order_by: str = "id", descending: bool = False
) -> int | None:
    """The row of a contact in the filtered list sorted as given (None: not in it)."""
    where, params = contact_filter.where()
    _order_clause(order_by, descending)  # checks the column name
    column = "id" if order_by == "id" else order_by
    found = db.execute_sql(f"SELECT {column} FROM contact WHERE {where} AND id = ?", [*params, contact_id]).fetchone()
    if found is None:
        return None
    before = ">" if descending else "<"
    if order_by == "id":
        condition, bound = f"id {before} ?", [contact_id]
    else:
        condition, bound = f"({column}, id) {before} (?, ?)", [found[0], contact_id]
    return db.execute_sql(f"SELECT count(*) FROM contact WHERE {where} AND {condition}", [*params, *bound]).fetchone()[
        0
    ]


def iter_contacts(contact_filter: ContactFilter, order_by: str = "id", page_size: int = 5000) -> Iterator[ContactRow]:
    """Every matching contact, a page at a time (keyset paging on id: stable and fast at any depth)."""
    where, params = contact_filter.where()
    if order_by != "id":
        offset = 0
        while page := fetch_contacts(contact_filter, offset, page_size, order_by):
            yield from page
            offset += len(page)
        return
    last_id = 0
    while True:
        rows = db.execute_sql(
            f"SELECT {_COLUMNS} FROM contact WHERE {where} AND id > ? ORDER BY id LIMIT ?",
            [*params, last_id, page_size],
        ).fetchall()
        if not rows:
            return
        yield from _contact_rows(rows)
        last_id = rows[-1][0]


def variable_names(campaign_id: int) -> list[str]:
    """Template variables this campaign's imports produced, in the order the files had them."""
    names: dict[str, None] = {}
    runs = (
        ImportRun.select(ImportRun.variables_json)
        .where((ImportRun.campaign == campaign_id) & (ImportRun.outcome == "success"))
        .order_by(ImportRun.id)
    )
    for run in runs:
        try:
            produced = json.loads(run.variables_json)
        except ValueError:
            continue
        for name in produced if isinstance(produced, list) else ():
            if isinstance(name, str) and name not in STANDARD_FIELDS:
                names.setdefault(name, None)
    return list(names)


def set_status_where(contact_filter: ContactFilter, status: str) -> int:
    """Set the status of every contact matching the filter; returns how many changed."""
    require_writable()
    status = check_status(status)
    where, params = contact_filter.where()
    with db.atomic():
        return db.execute_sql(
            f"UPDATE contact SET status = ?, updated_at = ? WHERE {where} AND status != ?",
            [status, local_now_text(), *params, status],
        ).rowcount


def set_status_by_ids(campaign_id: int, contact_ids: Iterable[int], status: str) -> int:
    require_writable()
    status = check_status(status)
    ids = list(contact_ids)
    changed = 0
    stamp = local_now_text()
    with db.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            changed += db.execute_sql(
                f"UPDATE contact SET status = ?, updated_at = ? WHERE campaign_id = ? AND id IN ({', '.join('?' * len(chunk))})",
                [status, stamp, campaign_id, *chunk],
            ).rowcount
    return changed


@dataclass
class MarkResult:
    status: str
    updated: int = 0
    not_found: list[str] = field(default_factory=list)
    invalid: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"status": self.status, "updated": self.updated, "not_found": self.not_found, "invalid": self.invalid}


def mark_phones(
    campaign_id: int, status: str, phones: Sequence[str], region: str = DEFAULT_REGION, strict: bool = False
) -> MarkResult:
    """Set the status of the contacts with these numbers (written in any format)."""
    require_writable()
    status = check_status(status)
    normalize = PhoneNormalizer(region, strict).normalize
    result = MarkResult(status)
    stamp = local_now_text()
    with db.atomic():
        for raw in phones:
            phone = normalize(raw)
            if phone.e164 is None:
                result.invalid.append({"value": raw, "reason": phone.reason})
                continue
            found = db.execute_sql(
                "SELECT id FROM contact WHERE campaign_id = ? AND phone_number = ?", (campaign_id, phone.e164)
            ).fetchone()
            if found is None:
                result.not_found.append(phone.e164)
                continue
            db.execute_sql("UPDATE contact SET status = ?, updated_at = ? WHERE id = ?", (status, stamp, found[0]))
            result.updated += 1
    return result
