"""A campaign's calling hours: read, change, and who is callable at an instant."""

from collections.abc import Iterable
from datetime import datetime

from ..store import locations
from .calling_hours import CallingWindows, CallStatus, WeeklyHours
from .campaigns import CampaignNotFound
from .contacts import ContactRow


def campaign_hours(campaign_id: int) -> WeeklyHours:
    stored = locations.read_calling_hours(campaign_id)
    if stored is None:
        raise CampaignNotFound(campaign_id)
    return WeeklyHours.from_json(stored)


def set_campaign_hours(campaign_id: int, specs: Iterable[str]) -> WeeklyHours:
    """Apply specs ('mon-fri 09:00-20:00', 'sun closed') to the campaign's hours; raises HoursError
    (and changes nothing) for a spec that cannot be read."""
    hours = WeeklyHours.parse(specs, base=campaign_hours(campaign_id))
    stored = "" if hours == WeeklyHours() else hours.to_json()
    if not locations.write_calling_hours(campaign_id, stored):
        raise CampaignNotFound(campaign_id)
    return hours


def calling_windows(campaign_id: int) -> CallingWindows:
    return CallingWindows(campaign_hours(campaign_id))


def contact_status(windows: CallingWindows, row: ContactRow, at: datetime) -> CallStatus:
    return windows.status(row.time_zones, row.state, at)


def callable_pending_count(campaign_id: int, at: datetime, windows: CallingWindows | None = None) -> int:
    """How many pending contacts may be called at ``at`` (one SQL group per zone and state)."""
    windows = windows or calling_windows(campaign_id)
    return sum(
        count
        for zones, state, count in locations.pending_location_groups(campaign_id)
        if windows.status(zones, state, at).callable
    )


def callable_pending_counts(at: datetime) -> dict[int, int]:
    """Every campaign's count of pending contacts callable at ``at``."""
    counts = {}
    for campaign_id, groups in locations.pending_location_groups_by_campaign().items():
        windows = calling_windows(campaign_id)
        counts[campaign_id] = sum(count for zones, state, count in groups if windows.status(zones, state, at).callable)
    return counts


def callable_locations(campaign_id: int, at: datetime, windows: CallingWindows | None = None) -> list[tuple[str, str]]:
    """The (time zones, state) pairs of pending contacts callable at ``at``: a filter for SQL."""
    windows = windows or calling_windows(campaign_id)
    return [
        (zones, state)
        for zones, state, _ in locations.pending_location_groups(campaign_id)
        if windows.status(zones, state, at).callable
    ]
