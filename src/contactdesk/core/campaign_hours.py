"""A campaign's calling hours: read, change, and who is callable at an instant."""

from collections.abc import Iterable
from datetime import datetime

from ..store import locations
from ..store.connection import require_writable
from .calling_hours import CallingWindows, WeeklyHours
from .campaigns import CampaignNotFound


def campaign_hours(campaign_id: int) -> WeeklyHours:
    stored = locations.read_calling_hours(campaign_id)
    if stored is None:
        raise CampaignNotFound(campaign_id)
    return WeeklyHours.from_json(stored)


def has_calling_hours(campaign_id: int) -> bool:
    """Whether the campaign is open on any day (False for one that is gone)."""
    try:
        return any(span is not None for span in campaign_hours(campaign_id).days)
    except CampaignNotFound:
        return False


def set_campaign_hours(campaign_id: int, specs: Iterable[str]) -> WeeklyHours:
    """Apply specs ('mon-fri 09:00-20:00', 'sun closed') to the campaign's hours; raises HoursError
    (and changes nothing) for a spec that cannot be read."""
    hours = WeeklyHours.parse(specs, base=campaign_hours(campaign_id))
    require_writable()
    stored = "" if hours == WeeklyHours() else hours.to_json()
    if not locations.write_calling_hours(campaign_id, stored):
        raise CampaignNotFound(campaign_id)
    return hours


def calling_windows(campaign_id: int) -> CallingWindows:
    return CallingWindows(campaign_hours(campaign_id))


def _callable_ids(groups, windows: CallingWindows, at: datetime) -> list[tuple[int, int]]:
    """(location id, how many) of the groups callable at ``at``."""
    found = locations.locations_by_id(location_id for location_id, _ in groups)
    callable_now = []
    for location_id, count in groups:
        zones, state, _source = found.get(location_id, ("", "", ""))
        if windows.status(zones, state, at).callable:
            callable_now.append((location_id, count))
    return callable_now


def callable_pending_count(campaign_id: int, at: datetime, windows: CallingWindows | None = None) -> int:
    """How many pending contacts may be called at ``at`` (one SQL group per location)."""
    windows = windows or calling_windows(campaign_id)
    return sum(count for _, count in _callable_ids(locations.pending_location_groups(campaign_id), windows, at))


def callable_pending_counts(at: datetime) -> dict[int, int]:
    """Every campaign's count of pending contacts callable at ``at``."""
    return {
        campaign_id: sum(count for _, count in _callable_ids(groups, calling_windows(campaign_id), at))
        for campaign_id, groups in locations.pending_location_groups_by_campaign().items()
    }


def callable_location_ids(campaign_id: int, at: datetime, windows: CallingWindows | None = None) -> list[int]:
    """The locations of pending contacts callable at ``at``: a filter for SQL."""
    windows = windows or calling_windows(campaign_id)
    return [
        location_id for location_id, _ in _callable_ids(locations.pending_location_groups(campaign_id), windows, at)
    ]
