"""The campaign rows: names, creating, renaming, deleting, and contacts counted by status."""

import peewee as pw

from . import archive
from .models import STATUSES, Campaign, Contact, db


def find(campaign_id: int) -> Campaign | None:
    return Campaign.get_or_none(Campaign.id == campaign_id)


def exists(campaign_id: int) -> bool:
    return find(campaign_id) is not None


def names(except_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of every campaign (but ``except_id``), by name without regard to case."""
    query = Campaign.select(Campaign.id, Campaign.name).order_by(pw.fn.lower(Campaign.name))
    if except_id is not None:
        query = query.where(Campaign.id != except_id)
    return [(campaign.id, campaign.name) for campaign in query]


def create(name: str, notes: str = "") -> int:
    return Campaign.create(name=name, notes=notes).id


def rename(campaign_id: int, name: str) -> None:
    Campaign.update(name=name).where(Campaign.id == campaign_id).execute()


def delete_with_contacts(campaign_id: int) -> int:
    """Delete the campaign, its contacts and import history; returns the contacts removed."""
    archive.drop_campaign_archives(db.connection(), campaign_id)
    removed = Contact.delete().where(Contact.campaign == campaign_id).execute()
    Campaign.delete().where(Campaign.id == campaign_id).execute()  # cascades to import runs
    return removed


def status_counts(campaign_id: int | None = None) -> dict[int, dict[str, int]]:
    """Contacts per status of each campaign that has any (or of one campaign)."""
    query = Contact.select(Contact.campaign, Contact.status, pw.fn.count(Contact.id)).group_by(
        Contact.campaign, Contact.status
    )
    if campaign_id is not None:
        query = query.where(Contact.campaign == campaign_id)
    counts: dict[int, dict[str, int]] = {}
    for cid, status, count in query.tuples():
        counts.setdefault(cid, dict.fromkeys(STATUSES, 0))[status] = count
    return counts
