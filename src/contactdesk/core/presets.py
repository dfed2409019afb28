"""Named column mappings, saved and loaded by name (the wizard's presets)."""

import json

from ..store import presets as preset_store
from ..store.transaction import write_transaction
from .mapping import MappingError, parse_column_targets


def list_presets() -> list[str]:
    return preset_store.names()


def save_preset(name: str, column_targets: dict) -> None:
    """Create or replace the preset called ``name``."""
    name = " ".join((name or "").split())
    if not name:
        raise MappingError("A preset needs a name.")
    text = json.dumps(parse_column_targets(column_targets) or {}, ensure_ascii=False)
    preset_store.save(name, text)


def load_preset(name: str) -> dict:
    text = preset_store.mapping_json(name)
    if text is None:
        raise MappingError(f"There is no preset named {name!r}.")
    return parse_column_targets(text) or {}


def delete_preset(name: str) -> bool:
    return preset_store.delete(name)


def rename_preset(old_name: str, new_name: str) -> str:
    """Give the preset ``old_name`` the name ``new_name``; returns the cleaned new name."""
    new_name = " ".join((new_name or "").split())
    if not new_name:
        raise MappingError("A preset needs a name.")
    with write_transaction():
        if not preset_store.exists(old_name):
            raise MappingError(f"There is no preset named {old_name!r}.")
        if new_name != old_name and preset_store.exists(new_name):
            raise MappingError(f"There is already a preset named {new_name!r}.")
        preset_store.rename(old_name, new_name)
    return new_name


def preset_for_columns(headers: list[str]) -> str | None:
    """The preset saved for exactly these columns (the most recently saved one), if any."""
    wanted = set(headers)
    for name, text in preset_store.newest_first():
        try:
            mapping = parse_column_targets(text) or {}
        except MappingError:
            continue
        if mapping and set(mapping) == wanted:
            return name
    return None
