"""Named column mappings, saved and loaded by name (the wizard's presets)."""

import json

from ..store.models import MappingPreset, db, local_now
from .mapping import MappingError, parse_column_mappings


def list_presets() -> list[str]:
    return [preset.name for preset in MappingPreset.select(MappingPreset.name).order_by(MappingPreset.name)]


def save_preset(name: str, column_mappings: dict) -> None:
    """Create or replace the preset called ``name``."""
    name = " ".join((name or "").split())
    if not name:
        raise MappingError("A preset needs a name.")
    text = json.dumps(parse_column_mappings(column_mappings) or {}, ensure_ascii=False)
    with db.atomic():
        MappingPreset.insert(name=name, mapping_json=text, updated_at=local_now()).on_conflict(
            conflict_target=[MappingPreset.name],
            update={MappingPreset.mapping_json: text, MappingPreset.updated_at: local_now()},
        ).execute()


def load_preset(name: str) -> dict:
    preset = MappingPreset.get_or_none(MappingPreset.name == name)
    if preset is None:
        raise MappingError(f"There is no preset named {name!r}.")
    return parse_column_mappings(preset.mapping_json) or {}


def delete_preset(name: str) -> bool:
    return MappingPreset.delete().where(MappingPreset.name == name).execute() > 0
