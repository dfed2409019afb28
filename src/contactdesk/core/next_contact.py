"""Team mode's "Next contact": claim the next contact that may be called now, for one caller."""

from dataclasses import dataclass
from datetime import datetime

from ..store import claims
from ..store.connection import require_writable
from . import campaign_hours, campaigns
from .calling_hours import CallStatus
from .contacts import ContactFilter, ContactRow, contact_by_id


@dataclass(frozen=True)
class ClaimedContact:
    row: ContactRow
    caller: str
    claimed_at: str  # UTC
    call_status: CallStatus

    def to_dict(self) -> dict:
        return {
            "id": self.row.id,
            **self.row.to_dict(),
            "source_row": self.row.source_row,
            "claimed_by": self.caller,
            "claimed_at": self.claimed_at,
            **self.call_status.to_dict(),
        }


def claim_next_contact(
    campaign_id: int, caller: str, at: datetime, contact_filter: ContactFilter | None = None
) -> ClaimedContact | None:
    """Claim for ``caller`` the next pending contact of the campaign that may be called at ``at``
    (its calling hours, the state rules, the do-not-call list); None when none is left.
    ``contact_filter``: only among these contacts (the window's search and status filter)."""
    campaigns.get_campaign(campaign_id)  # CampaignNotFound
    require_writable()
    windows = campaign_hours.calling_windows(campaign_id)
    location_ids = campaign_hours.callable_location_ids(campaign_id, at, windows)
    among = contact_filter.query() if contact_filter is not None else None
    contact_id = claims.claim_next(campaign_id, caller, at, location_ids, among)
    if contact_id is None:
        return None
    row = contact_by_id(contact_id)
    claimed_by, claimed_at, _marked_by, _marked_at = claims.claim_of(contact_id)
    return ClaimedContact(row, claimed_by or caller, claimed_at or "", windows.status(row.time_zones, row.state, at))
