"""Persistence: peewee models over one embedded SQLite file. No Qt here."""

# First, before any module here imports peewee: it loads without the PostgreSQL driver.
from . import driver  # noqa: F401
from .connection import DatabaseError, close_db, init_db
from .models import STATUSES, Campaign, Contact, ImportRun, MappingPreset, db
from .paths import default_db_path, resolve_db_path

__all__ = [
    "STATUSES",
    "Campaign",
    "Contact",
    "DatabaseError",
    "ImportRun",
    "MappingPreset",
    "close_db",
    "db",
    "default_db_path",
    "init_db",
    "resolve_db_path",
]
