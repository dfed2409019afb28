"""Reading and updating a campaign's contacts: filtered counts, windows of rows, status changes.

Everything here pages through SQLite; nothing loads a whole campaign into memory.
"""

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from ..store.connection import require_writable
from ..store.models import STATUSES, ImportRun, db, local_now_text
from .mapping import STANDARD_FIELDS
from .phone import DEFAULT_REGION, PhoneNormalizer

SORTABLE_COLUMNS = ("phone_number", "name", "email", "company", "status", "source_row", "id")
_COLUMNS = "id, phone_number, name, email, company, status, variables, source_row"


class ContactRow(NamedTuple):
    id: int
    phone_number: str
    name: str
    email: str
    company: str
    status: str
    variables: str  # JSON text; decode with .variables_dict() only when shown
    source_row: int | None

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

    def where(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.statuses:
            clauses.append(f"status IN ({', '.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
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
            pattern = "%" + _escape_like(text) + "%"
            alternatives = ["name LIKE ? ESCAPE '\\'", "email LIKE ? ESCAPE '\\'", "company LIKE ? ESCAPE '\\'"]
            params.extend([pattern] * 3)
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
    return [ContactRow(*row) for row in db.execute_sql(sql, [*params, limit, offset])]


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
        for row in rows:
            yield ContactRow(*row)
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
