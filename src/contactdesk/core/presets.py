"""Named column mappings, saved and loaded by name (the wizard's presets)."""

import json

from ..store.models import MappingPreset, db, local_now
from .mapping import MappingError, parse_column_targets


def list_presets() -> list[str]:
    return [preset.name for preset in MappingPreset.select(MappingPreset.name).order_by(MappingPreset.name)]


def save_preset(name: str, column_targets: dict) -> None:
    """Create or replace the preset called ``name``."""
    name = " ".join((name or "").split())
    if not name:
        raise MappingError("A preset needs a name.")
    text = json.dumps(parse_column_targets(column_targets) or {}, ensure_ascii=False)
    with db.atomic():
        MappingPreset.insert(name=name, mapping_json=text, updated_at=local_now()).on_conflict(
            conflict_target=[MappingPreset.name],
            update={MappingPreset.mapping_json: text, MappingPreset.updated_at: local_now()},
        ).execute()


def load_preset(name: str) -> dict:
    preset = MappingPreset.get_or_none(MappingPreset.name == name)
    if preset is None:
        raise MappingError(f"There is no preset named {name!r}.")
    return parse_column_targets(preset.mapping_json) or {}


def delete_preset(name: str) -> bool:
    return MappingPreset.delete().where(MappingPreset.name == name).execute() > 0


def rename_preset(old_name: str, new_name: str) -> str:
    """Give the preset ``old_name`` the name ``new_name``; returns the cleaned new name."""
    new_name = " ".join((new_name or "").split())
    if not new_name:
        raise MappingError("A preset needs a name.")
    with db.atomic():
        preset = MappingPreset.get_or_none(MappingPreset.name == old_name)
        if preset is None:
            raise MappingError(f"There is no preset named {old_name!r}.")
        if new_name != old_name and MappingPreset.get_or_none(MappingPreset.name == new_name) is not None:
            raise MappingError(f"There is already a preset named {new_name!r}.")
        preset.name, preset.updated_at = new_name, local_now()
        preset.save()
    return new_name


def preset_for_columns(headers: list[str]) -> str | None:
    """The preset saved for exactly these columns (the most recently saved one), if any."""
    wanted = set(headers)
    for preset in MappingPreset.select().order_by(MappingPreset.updated_at.desc(), MappingPreset.id.desc()):
        try:
            mapping = parse_column_targets(preset.mapping_json) or {}
        except MappingError:
            continue
        if mapping and set(mapping) == wanted:
            return preset.name
    return None
