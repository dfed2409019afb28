"""The saved column mappings (the import wizard's presets), by name."""

from .models import MappingPreset, local_now
from .transaction import write_transaction


def names() -> list[str]:
    return [preset.name for preset in MappingPreset.select(MappingPreset.name).order_by(MappingPreset.name)]


def save(name: str, mapping_json: str) -> None:
    """Create or replace the preset called ``name``."""
    with write_transaction():
        MappingPreset.insert(name=name, mapping_json=mapping_json, updated_at=local_now()).on_conflict(
            conflict_target=[MappingPreset.name],
            update={MappingPreset.mapping_json: mapping_json, MappingPreset.updated_at: local_now()},
        ).execute()


def mapping_json(name: str) -> str | None:
    """The preset's mapping as saved (None: no preset has that name)."""
    preset = MappingPreset.get_or_none(MappingPreset.name == name)
    return None if preset is None else preset.mapping_json


def delete(name: str) -> bool:
    return MappingPreset.delete().where(MappingPreset.name == name).execute() > 0


def exists(name: str) -> bool:
    return MappingPreset.select().where(MappingPreset.name == name).exists()


def rename(old_name: str, new_name: str) -> None:
    MappingPreset.update(name=new_name, updated_at=local_now()).where(MappingPreset.name == old_name).execute()


def newest_first() -> list[tuple[str, str]]:
    """(name, mapping JSON) of every preset, the most recently saved first."""
    query = MappingPreset.select(MappingPreset.name, MappingPreset.mapping_json).order_by(
        MappingPreset.updated_at.desc(), MappingPreset.id.desc()
    )
    return list(query.tuples())
