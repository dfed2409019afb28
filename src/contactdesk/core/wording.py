"""Counts in sentences, the same way in the CLI, the importer's messages and the window."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``plural(1, "contact")`` -> "1 contact"; ``plural(1200, "contact")`` -> "1,200 contacts"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
