"""Campaigns: create, list with counts by status, rename, delete."""

import unicodedata
from dataclasses import dataclass, field

from ..store import campaigns as campaign_store
from ..store.connection import ReadOnlyDatabaseError, require_writable
from ..store.statuses import NAMES as STATUSES
from ..store.transaction import write_transaction
from .wording import quoted

MAX_NAME = 200


class CampaignError(Exception):
    """Bad input for a campaign (a 400); the message is for people."""


class CampaignReadOnly(CampaignError):
    """The database was opened read-only, so campaigns cannot be changed."""


def _require_writable() -> None:
    try:
        require_writable()
    except ReadOnlyDatabaseError as exc:
        raise CampaignReadOnly(str(exc)) from None


class CampaignNotFound(Exception):
    def __init__(self, campaign_id):
        super().__init__(f"Campaign {campaign_id} was not found.")
        self.campaign_id = campaign_id


@dataclass
class CampaignSummary:
    id: int
    name: str
    total_contacts: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "total_contacts": self.total_contacts,
            "by_status": dict(self.by_status),
        }


def _clean_name(name: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", name or "").split())
    if not cleaned or not comparison_key(cleaned):
        raise CampaignError("A campaign needs a name.")
    if len(cleaned) > MAX_NAME:
        raise CampaignError(f"A campaign name can be at most {MAX_NAME} characters.")
    return cleaned


# Invisible characters that make two names look the same: zero-width characters and the
# controls that change text direction (U+202E shows "gnirpS" as "Spring").
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
    + [0xFEFF]
)


def comparison_key(name: str) -> str:
    """What two campaign names are compared by: NFC, no invisible characters, case folded, spaces collapsed."""
    visible = unicodedata.normalize("NFC", name).translate(_INVISIBLE)
    return " ".join(visible.casefold().split())


def _name_taken(name: str, except_id: int | None = None) -> bool:
    wanted = comparison_key(name)
    return any(comparison_key(taken) == wanted for _, taken in campaign_store.names(except_id))


def create_campaign(name: str, notes: str = "") -> CampaignSummary:
    _require_writable()
    cleaned = _clean_name(name)
    with write_transaction():
        if _name_taken(cleaned):
            raise CampaignError(f"A campaign named {quoted(cleaned)} already exists.")
        campaign_id = campaign_store.create(cleaned, notes)
    return CampaignSummary(campaign_id, cleaned)


def unique_campaign_name(base: str) -> str:
    """``base``, or ``base (2)``, ``base (3)``... whichever is free (for a campaign named after a file)."""
    base = _clean_name(base)[: MAX_NAME - 6]
    candidate, counter = base, 2
    while _name_taken(candidate):
        candidate, counter = f"{base} ({counter})", counter + 1
    return candidate


def get_campaign(campaign_id: int):
    """The campaign's row (id, name, notes, ...); CampaignNotFound when there is none."""
    campaign = campaign_store.find(campaign_id)
    if campaign is None:
        raise CampaignNotFound(campaign_id)
    return campaign


def rename_campaign(campaign_id: int, name: str) -> CampaignSummary:
    _require_writable()
    cleaned = _clean_name(name)
    with write_transaction():
        get_campaign(campaign_id)
        if _name_taken(cleaned, except_id=campaign_id):
            raise CampaignError(f"A campaign named {quoted(cleaned)} already exists.")
        campaign_store.rename(campaign_id, cleaned)
    return campaign_summary(campaign_id)


def delete_campaign(campaign_id: int) -> int:
    """Delete the campaign with its contacts and import history; returns the contacts removed."""
    _require_writable()
    with write_transaction():
        get_campaign(campaign_id)
        return campaign_store.delete_with_contacts(campaign_id)


def _summary(campaign_id: int, name: str, counts: dict[int, dict[str, int]]) -> CampaignSummary:
    by_status = counts.get(campaign_id, dict.fromkeys(STATUSES, 0))
    return CampaignSummary(campaign_id, name, sum(by_status.values()), by_status)


def campaign_summary(campaign_id: int) -> CampaignSummary:
    campaign = get_campaign(campaign_id)
    return _summary(campaign.id, campaign.name, campaign_store.status_counts(campaign_id))


def list_campaigns() -> list[CampaignSummary]:
    counts = campaign_store.status_counts()
    return [_summary(campaign_id, name, counts) for campaign_id, name in campaign_store.names()]
