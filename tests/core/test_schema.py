"""The peewee models and the schema the migrations build must not drift apart."""

import re
import sqlite3

import peewee as pw

from contactdesk.store import close_db, init_db
from contactdesk.store.models import BaseModel


def described(conn: sqlite3.Connection) -> dict:
    """Tables with their columns, foreign keys, checks and indexes, as comparable data."""
    schema = {}
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        if table.startswith("sqlite_") or table == "schema_version":
            continue
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        schema[table] = {
            "columns": [(c[1], c[2], c[3], c[5]) for c in conn.execute(f'PRAGMA table_info("{table}")')],
            "foreign_keys": sorted(
                (f[2], f[3], f[4], f[6]) for f in conn.execute(f'PRAGMA foreign_key_list("{table}")')
            ),
            "checks": sorted(re.sub(r"\s+", " ", check) for check in re.findall(r"CHECK \((.*?)\)\)?", sql)),
            "indexes": sorted(
                (
                    tuple(col[2] for col in conn.execute(f'PRAGMA index_info("{index[1]}")')),
                    bool(index[2]),
                )
                for index in conn.execute(f'PRAGMA index_list("{table}")')
                if not index[1].startswith("sqlite_autoindex")
            ),
        }
    return schema


def all_models() -> list[type[pw.Model]]:
    found, queue = [], list(BaseModel.__subclasses__())
    while queue:
        model = queue.pop(0)
        found.append(model)
        queue.extend(model.__subclasses__())
    return found


def test_models_match_the_schema_the_migrations_build(tmp_path):
    migrated_path = tmp_path / "migrated.sqlite3"
    init_db(migrated_path)
    close_db()
    models_path = tmp_path / "models.sqlite3"
    database = pw.SqliteDatabase(str(models_path))
    models = all_models()
    with database.bind_ctx(models):
        database.create_tables(models)
    database.close()

    migrated = described(sqlite3.connect(migrated_path))
    from_models = described(sqlite3.connect(models_path))
    assert sorted(migrated) == sorted(from_models)
    for table in migrated:
        assert migrated[table] == from_models[table], table
