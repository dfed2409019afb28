"""The CSV import wizard: preview, mapping, check (dry run), import."""

from .import_session import ImportSession
from .import_wizard import ImportWizard

__all__ = ["ImportSession", "ImportWizard"]
