"""The CSV import wizard: preview, mapping, check (dry run), import."""

from .import_wizard import ImportSession, ImportWizard

__all__ = ["ImportSession", "ImportWizard"]
