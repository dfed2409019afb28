"""Campaigns and contacts written through the peewee models, on either engine (for tests that
need data before the importer runs on PostgreSQL)."""

from contactdesk.core.campaigns import create_campaign
from contactdesk.store.models import Contact, Location, db

NEW_YORK_MORNING = "2026-07-06T10:00:00-04:00"  # a Monday, inside the default 08:00-21:00
NEW_YORK_NIGHT = "2026-07-06T03:00:00-04:00"


def new_york_location() -> int:
    return Location.get_or_create(time_zones="America/New_York", state="NY", source="number")[0].id


def add_campaign(campaign_name: str, contacts: int, first_number: int = 2125550000, **values) -> int:
    """A campaign of ``contacts`` pending New York contacts (+1212555…), in number order; its id."""
    campaign_id = create_campaign(campaign_name).id
    location_id = new_york_location()
    rows = [
        {
            "campaign": campaign_id,
            "phone_number": f"+1{first_number + index}",
            "name": values.get("name", f"Contact {index}"),
            "email": values.get("email", ""),
            "company": values.get("company", ""),
            "variables": values.get("variables", "{}"),
            "location_id": location_id,
            "source_row": index + 2,
        }
        for index in range(contacts)
    ]
    with db.atomic():
        for start in range(0, len(rows), 1000):
            Contact.insert_many(rows[start : start + 1000]).execute()
    return campaign_id
