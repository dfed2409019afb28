import hashlib
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contactdesk.core.campaigns import create_campaign, delete_campaign
from contactdesk.core.contacts import ContactFilter, fetch_contacts, mark_phones
from contactdesk.core.import_plan import prepare_import
from contactdesk.core.importer import import_file, run_import
from contactdesk.store import Contact, ImportRun

SPEC_FILE = """phone,name,email,company,plan
5551234567,Ann Example,ann@example.com,Acme,gold
"1-555-123-4567",Ann Again,,,
(555) 123-4567,Ann Third,,,
+15551234567,Ann Fourth,,,
(212) 555-0147,Bob Builder,bob@example.com,Builders Inc,silver
"""


def contacts_of(campaign_id):
    return {c.phone_number: c for c in Contact.select().where(Contact.campaign == campaign_id)}


# Every test of this module runs on both engines: SQLite, and a PostgreSQL server (tests/pg_server.py).


@pytest.fixture
def db_path(engine_db):
    """The test's database, bound: a file, or a database on the session's PostgreSQL server."""
    return engine_db.location


@pytest.fixture
def schema_of(engine_db, schema_of):
    """The tables and indexes of the test's database (without the import archives), on its engine."""
    if engine_db.engine == "sqlite":
        return schema_of  # tests/conftest.py's

    def server_schema(_location):
        from contactdesk.store.models import db

        return sorted(
            db.execute_sql(
                "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename NOT LIKE 'import_archive_%%'"
            ).fetchall()
        )

    return server_schema


def sqlite_only(engine_db, why: str) -> None:
    if engine_db.engine != "sqlite":
        pytest.skip(why)


def snapshot(_db_path=None):
    """The contacts and the number of import runs, read through the bound database (either engine)."""
    fields = (Contact.campaign, Contact.phone_number, Contact.name, Contact.status, Contact.variables)
    return list(Contact.select(*fields).order_by(Contact.id).tuples()), ImportRun.select().count()


def test_specification_shapes_are_one_contact_and_the_rest_are_skipped(campaign, write_csv):
    result = import_file(campaign.id, write_csv(SPEC_FILE, "leads.csv"))
    assert result.success and result.status == 200
    assert result.imported_count == 2
    assert result.skipped_duplicates == 3 and result.duplicates_in_file == 3
    assert result.total_contacts == 2
    assert result.file_name == "leads.csv"
    assert result.import_date[:4].isdigit() and "T" in result.import_date
    saved = contacts_of(campaign.id)
    assert saved["+15551234567"].name == "Ann Example"  # the first occurrence wins
    assert saved["+15551234567"].source_row == 2
    assert json.loads(saved["+12125550147"].variables) == {"plan": "silver"}
    assert saved["+12125550147"].company == "Builders Inc"


def test_result_reports_what_was_detected_and_the_mapping(campaign, write_csv):
    result = import_file(campaign.id, write_csv(SPEC_FILE))
    assert result.detected == {"encoding": "UTF-8", "delimiter": "comma", "header": True, "header_row": 1}
    assert result.mapping == {
        "phone": "phone_number",
        "name": "name",
        "email": "email",
        "company": "company",
        "plan": "plan",
    }


def test_invalid_rows_are_reported_with_spreadsheet_row_numbers(campaign, write_csv):
    path = write_csv("phone,name\n(212) 555-0147,Ok\nhello,Bad\n5.55123E+09,Sci\n\n555-1234,Local\n")
    result = import_file(campaign.id, path)
    assert result.imported_count == 1
    assert result.invalid_count == result.error_count == 3
    assert [(e.row, e.value) for e in result.errors] == [(3, "hello"), (4, "5.55123E+09"), (6, "555-1234")]
    assert all(e.column == "phone" for e in result.errors)
    assert "scientific notation" in result.errors[1].reason


def test_reimport_replaces_pending_and_skipped_but_keeps_history(campaign, write_csv):
    first = write_csv("phone,name\n2125550101,A\n2125550102,B\n2125550103,C\n2125550104,D\n")
    import_file(campaign.id, first)
    mark_phones(campaign.id, "completed", ["2125550101"])
    mark_phones(campaign.id, "failed", ["2125550102"])
    mark_phones(campaign.id, "skipped", ["2125550103"])

    second = write_csv("phone,name\n2125550101,A new\n2125550103,C new\n2125550105,E\n")
    result = import_file(campaign.id, second)

    assert result.removed_count == 2  # D (pending) and C (skipped)
    assert result.kept_count == 2
    assert result.imported_count == 2  # C again and E
    assert result.duplicates_in_campaign == 1 and result.skipped_duplicates == 1  # A is history
    saved = contacts_of(campaign.id)
    assert {k: v.status for k, v in saved.items()} == {
        "+12125550101": "completed",
        "+12125550102": "failed",
        "+12125550103": "pending",
        "+12125550105": "pending",
    }
    assert saved["+12125550101"].name == "A"  # history untouched
    assert result.total_contacts == 4


def test_dry_run_reports_the_same_counts_and_changes_nothing(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv("phone\n2125550101\n2125550102\n"))
    before = snapshot(db_path)
    path = write_csv(SPEC_FILE)
    dry = import_file(campaign.id, path, dry_run=True)
    assert snapshot(db_path) == before
    real = import_file(campaign.id, path)
    for key in ("imported_count", "skipped_duplicates", "invalid_count", "removed_count", "total_contacts"):
        assert getattr(dry, key) == getattr(real, key), key
    assert dry.dry_run and dry.message.startswith("Ready to import")


def test_import_is_recorded(campaign, write_csv):
    path = write_csv(SPEC_FILE, "leads.csv")
    result = import_file(campaign.id, path, '{"plan": null}')
    run = ImportRun.get_by_id(result.import_id)
    assert run.file_name == "leads.csv" and run.outcome == "success"
    assert run.imported_count == 2 and run.skipped_duplicates == 3
    assert json.loads(run.mapping_json)["plan"] is None
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_mapping_overrides_change_what_is_imported(campaign, write_csv):
    path = write_csv("Work,Cell,Who,Notes\n2125550101,2125550199,Ann,vip\n")
    result = import_file(campaign.id, path, {"Cell": "phone_number", "Notes": None, "Who": "name"})
    assert result.success
    contact = contacts_of(campaign.id)["+12125550199"]
    assert contact.name == "Ann"
    assert json.loads(contact.variables) == {"Work": "2125550101"}


def test_extension_is_kept_as_a_variable(campaign, write_csv):
    import_file(campaign.id, write_csv("phone\n212-555-0147 ext. 23\n"))
    assert json.loads(contacts_of(campaign.id)["+12125550147"].variables) == {"extension": "23"}


def test_region_option(campaign, write_csv):
    result = import_file(campaign.id, write_csv("phone\n020 7946 0958\n"), region="GB")
    assert result.success and "+442079460958" in contacts_of(campaign.id)


def test_strict_rejects_unassigned_numbers_and_default_warns(campaign, write_csv):
    path = write_csv("phone\n5551234567\n2125550147\n")
    lenient = import_file(campaign.id, path, dry_run=True)
    assert lenient.imported_count == 2 and lenient.unassigned_count == 1
    assert any("not assigned" in warning for warning in lenient.warnings)
    strict = import_file(campaign.id, path, strict=True)
    assert strict.imported_count == 1 and strict.invalid_count == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"phone,name\n", "header row but no contacts"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    ],
)
def test_invalid_or_empty_files_are_400_and_change_nothing(campaign, write_csv, db_path, content, message):
    before = snapshot(db_path)
    result = import_file(campaign.id, write_csv(content))
    assert not result.success and result.status == 400
    assert message in result.message.lower() or message in result.message
    assert snapshot(db_path) == before


def test_every_row_invalid_is_400_and_keeps_pending_contacts(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv("phone\n2125550101\n"))
    before = snapshot(db_path)
    result = import_file(campaign.id, write_csv("phone\nabc\n123\n"))
    assert result.status == 400 and "None of the 2 rows" in result.message
    assert snapshot(db_path) == before


def test_missing_file_is_400(campaign, tmp_path):
    result = import_file(campaign.id, tmp_path / "nope.csv")
    assert result.status == 400 and not result.success


def test_unknown_campaign_is_404(db_path, write_csv):
    result = import_file(999, write_csv(SPEC_FILE))
    assert result.status == 404 and not result.success and "999" in result.message


def test_campaign_deleted_between_prepare_and_run_is_404(campaign, write_csv, db_path):
    plan = prepare_import(campaign.id, write_csv(SPEC_FILE))
    delete_campaign(campaign.id)
    result = run_import(plan)
    assert result.status == 404
    assert snapshot(db_path) == ([], 0)


def test_bad_mapping_is_400(campaign, write_csv):
    result = import_file(campaign.id, write_csv(SPEC_FILE), '{"Fax": "phone_number"}')
    assert result.status == 400 and "Fax" in result.message


def test_unknown_region_is_400(campaign, write_csv):
    assert import_file(campaign.id, write_csv(SPEC_FILE), region="XX").status == 400


def test_cancel_rolls_back(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv("phone\n2125550101\n"))
    before = snapshot(db_path)
    rows = "".join(f"21255{n:05d}\n" for n in range(30_000))  # several batches on either engine
    calls = []
    result = import_file(
        campaign.id, write_csv("phone\n" + rows), should_cancel=lambda: calls.append(1) or len(calls) > 2
    )
    assert result.status == 499 and not result.success
    assert "nothing was changed" in result.message
    assert snapshot(db_path) == before


def test_a_cancelled_first_import_leaves_the_campaign_empty_and_the_next_one_lands(campaign, write_csv, db_path):
    before = snapshot(db_path)
    path = write_csv("phone,name\n" + "".join(f"21255{n:05d},Person {n}\n" for n in range(30_000)))
    calls = []
    result = import_file(campaign.id, path, should_cancel=lambda: calls.append(1) or len(calls) > 2)
    assert result.status == 499 and snapshot(db_path) == before
    again = import_file(campaign.id, path)
    assert again.success and again.imported_count == again.total_contacts == 30_000


def test_progress_reports_rows_and_bytes(campaign, write_csv):
    path = write_csv("phone\n" + "".join(f"212555{n:04d}\n" for n in range(5000)))
    seen = []
    import_file(campaign.id, path, progress=lambda rows, done, total: seen.append((rows, done, total)))
    assert seen[-1][0] == 5000
    assert seen[-1][2] == path.stat().st_size
    assert all(b[0] >= a[0] and b[1] >= a[1] for a, b in zip(seen, seen[1:]))


def test_database_failure_is_500_and_changes_nothing(campaign, write_csv, db_path, monkeypatch):
    import_file(campaign.id, write_csv("phone\n2125550101\n"))
    before = snapshot(db_path)
    import contactdesk.core.importer as importer

    def failing_checkpoint(self):  # rows are in, then the disk fills up
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(importer._ImportRun, "_checkpoint", failing_checkpoint)
    result = import_file(campaign.id, write_csv("phone\n2125550102\n"))
    assert result.status == 500 and "disk is full" in result.message and "nothing was changed" in result.message.lower()
    assert snapshot(db_path) == before


def test_imports_into_other_campaigns_are_independent(db_path, write_csv):
    one, two = create_campaign("One"), create_campaign("Two")
    path = write_csv("phone\n2125550101\n")
    assert import_file(one.id, path).imported_count == 1
    assert import_file(two.id, path).imported_count == 1


def test_contacts_keep_file_order(campaign, write_csv):
    import_file(campaign.id, write_csv("phone\n2125550103\n2125550101\n2125550102\n"))
    rows = fetch_contacts(ContactFilter(campaign.id), 0, 10)
    assert [r.phone_number[-1] for r in rows] == ["3", "1", "2"]


def test_in_a_long_file_with_repeats_the_first_occurrence_wins_and_the_list_keeps_file_order(campaign, write_csv):
    # Numbers in a shuffled order, each written three times with a different name: one statement holds thousands.
    numbers = [f"2125{(n * 7919) % 10_000:06d}" for n in range(2000)]
    lines = [
        f"{number},{copy} {index}" for copy in ("First", "Second", "Third") for index, number in enumerate(numbers)
    ]
    result = import_file(campaign.id, write_csv("phone,name\n" + "\n".join(lines) + "\n"))
    assert result.imported_count == 2000 and result.duplicates_in_file == 4000
    rows = fetch_contacts(ContactFilter(campaign.id), 0, 3000)
    assert [row.phone_number for row in rows] == ["+1" + number for number in numbers]
    assert [row.name for row in rows] == [f"First {index}" for index in range(2000)]


def test_a_statement_whose_plan_sorts_is_not_taken_to_keep_the_rows_in_order():
    from contactdesk.store.contact_import import _scans_values_in_order

    conn = sqlite3.connect(":memory:")
    assert _scans_values_in_order(conn, "SELECT column1 FROM (VALUES (?), (?)) AS batch")
    assert not _scans_values_in_order(conn, "SELECT column1 FROM (VALUES (?), (?)) AS batch ORDER BY column1 DESC")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400))
def test_arbitrary_bytes_end_in_a_result_or_a_400_and_never_a_partial_write(campaign, tmp_path, db_path, content):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)
    before = snapshot(db_path)
    result = import_file(campaign.id, path)
    assert result.status in (200, 400)
    if result.status == 400:
        assert snapshot(db_path) == before
    else:
        # undo, so every example starts from the same database
        Contact.delete().execute()
        ImportRun.delete().execute()


CSV_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(
            st.one_of(CSV_CELL, st.from_regex(r"\+?1?[2-9]\d{2}[2-9]\d{6}", fullmatch=True)), min_size=1, max_size=4
        ),
        max_size=12,
    ),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_random_csv_structures_import_or_fail_cleanly(campaign, tmp_path, db_path, rows, delimiter):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["phone", "name", "x", "y"])
    writer.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    before = snapshot(db_path)
    result = import_file(campaign.id, path)
    assert result.status in (200, 400), result.message
    if result.status == 200:
        assert result.imported_count + result.skipped_duplicates + result.invalid_count == result.rows_read
        Contact.delete().execute()
        ImportRun.delete().execute()
    else:
        assert snapshot(db_path) == before


def test_variable_names_list_the_columns_and_extension(campaign, write_csv):
    from contactdesk.core.contacts import variable_names

    import_file(campaign.id, write_csv("phone,plan,city\n212-555-0147 x9,gold,Austin\n"))
    import_file(campaign.id, write_csv("phone,tier\n2125550148,b\n"))
    assert variable_names(campaign.id) == ["plan", "city", "extension", "tier"]


def test_search_finds_numbers_by_their_start_with_or_without_country_code(campaign, write_csv):
    from contactdesk.core.contacts import ContactFilter, count_contacts

    import_file(
        campaign.id, write_csv("phone,name\n(212) 555-0147,Ann\n(646) 555-0110,Bob 212\n+44 20 7946 0958,Cat\n")
    )

    def found(text, statuses=()):
        return sorted(r.name for r in fetch_contacts(ContactFilter(campaign.id, statuses, text), 0, 10))

    assert found("212") == ["Ann"]  # +1 212..., not Bob, whose name merely has the digits
    assert found("(212) 555") == ["Ann"]
    assert found("+4420") == ["Cat"]
    assert found("4420") == ["Cat"]
    assert found("+1646") == ["Bob 212"]
    assert found("bob") == ["Bob 212"]
    assert found("212", ("completed",)) == []
    assert count_contacts(ContactFilter(campaign.id, (), "+1")) == 2


# --- the ways an import can run --------------------------------------------------------
# Small files take the same paths as large ones here: the index rebuild is forced by a
# zero threshold, small batches make several statements of a small file, and a low variable
# limit (SQLite before 3.32) reads the rows on the importing thread.


@pytest.fixture(params=["one batch", "many small batches", "low variable limit", "rebuilt indexes"])
def import_path(request, monkeypatch, engine_db):
    from contactdesk.core import batch_insert
    from contactdesk.store import bulk_delete, contact_import, pg_import

    if request.param == "many small batches":
        monkeypatch.setattr(contact_import, "MAX_BATCH_ROWS", 64)
        monkeypatch.setattr(pg_import, "ROWS_PER_COPY", 64)
        monkeypatch.setattr(batch_insert, "MIN_THREADED_ROWS", 1)
    if request.param in ("low variable limit", "rebuilt indexes"):
        sqlite_only(engine_db, "an SQLite path")
    if request.param == "low variable limit":
        monkeypatch.setattr(contact_import, "variable_limit", lambda conn: 999)
    if request.param == "rebuilt indexes":
        monkeypatch.setattr(bulk_delete, "MIN_ROWS_TO_REBUILD", 0)
    return request.param


def test_every_path_imports_and_replaces_the_same_way(import_path, campaign, write_csv, db_path, schema_of):
    schema = schema_of(db_path)
    first = import_file(campaign.id, write_csv(SPEC_FILE))
    assert (first.imported_count, first.duplicates_in_file) == (2, 3)
    mark_phones(campaign.id, "completed", ["(212) 555-0147"])
    again = import_file(
        campaign.id, write_csv("phone,name\n2125550147,Bob again\n2125550148,Cy\n2125550148,Cy twice\n")
    )
    assert again.removed_count == 1 and again.kept_count == 1
    assert (again.imported_count, again.duplicates_in_campaign, again.duplicates_in_file) == (1, 1, 1)
    saved = contacts_of(campaign.id)
    assert {k: (v.name, v.status) for k, v in saved.items()} == {
        "+12125550147": ("Bob Builder", "completed"),
        "+12125550148": ("Cy", "pending"),
    }
    assert schema_of(db_path) == schema  # the indexes are all there, as they were
    third = import_file(campaign.id, write_csv("phone\n2125550148\n2125550148\n"))
    assert third.imported_count == 1 and third.total_contacts == 2  # the unique index still holds


def test_every_path_rolls_back_a_cancel(import_path, campaign, write_csv, db_path, schema_of):
    import_file(campaign.id, write_csv("phone\n" + "".join(f"212555{n:04d}\n" for n in range(3000))))
    before, schema = snapshot(db_path), schema_of(db_path)
    rows = "".join(f"212556{n:04d}\n" for n in range(10_000))
    calls = []
    result = import_file(
        campaign.id, write_csv("phone\n" + rows), should_cancel=lambda: calls.append(1) or len(calls) > 1
    )
    assert result.status == 499
    assert snapshot(db_path) == before and schema_of(db_path) == schema


def test_after_imports_deleting_the_campaign_still_removes_its_import_history(campaign, write_csv, db_path):
    import_file(campaign.id, write_csv(SPEC_FILE))
    import_file(campaign.id, write_csv("phone\n2125550199\n"), should_cancel=lambda: True)
    assert ImportRun.select().count() == 1
    delete_campaign(campaign.id)
    assert ImportRun.select().count() == 0 and Contact.select().count() == 0


def test_a_long_file_keeps_its_order_and_the_first_of_each_number(import_path, campaign, write_csv):
    numbers = [f"212555{(n * 7919) % 10_000:04d}" for n in range(450)]  # not in sorted order
    lines = [f"{number},Person {i}" for i, number in enumerate(numbers)]
    lines.insert(300, f"{numbers[120]},Later copy")
    result = import_file(campaign.id, write_csv("phone,name\n" + "\n".join(lines) + "\n"))
    assert result.imported_count == 450 and result.duplicates_in_file == 1
    rows = fetch_contacts(ContactFilter(campaign.id), 0, 500)
    assert [r.phone_number for r in rows] == ["+1" + n for n in numbers]
    assert contacts_of(campaign.id)["+1" + numbers[120]].name == "Person 120"


def test_variables_hold_the_non_empty_values_of_the_other_columns(campaign, write_csv):
    path = write_csv(
        'phone,plan,city,note\n2125550101,gold,Denver,"says ""hi"""\n2125550102,,Paris,\n'
        '2125550103,,,\n2125550104 ext. 7,silver,,\n2125550105 x12,gold,Rome,"a \\ b"\n2125550106 #3,bronze,Oslo,plain\n'
    )
    import_file(campaign.id, path)
    saved = {k: json.loads(v.variables) for k, v in contacts_of(campaign.id).items()}
    assert saved == {
        "+12125550101": {"plan": "gold", "city": "Denver", "note": 'says "hi"'},
        "+12125550102": {"city": "Paris"},
        "+12125550103": {},
        "+12125550104": {"plan": "silver", "extension": "7"},
        "+12125550105": {"plan": "gold", "city": "Rome", "note": "a \\ b", "extension": "12"},
        "+12125550106": {"plan": "bronze", "city": "Oslo", "note": "plain", "extension": "3"},
    }


# Quotes, backslashes, tabs and line breaks must be escaped in the variables' JSON; other text is kept.
VARIABLE_VALUE = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from('"\\\t\n')),
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(VARIABLE_VALUE, min_size=3, max_size=3), min_size=1, max_size=6),
    columns=st.sampled_from([1, 3]),
)
def test_any_variable_value_is_stored_as_it_was_written(campaign, tmp_path, rows, columns):
    import csv

    path = tmp_path / "variables.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["phone", "plan", "city", "note"][: columns + 1])
        for index, values in enumerate(rows):
            writer.writerow([f"21255501{index:02d}", *values[:columns]])
    result = import_file(campaign.id, path)
    assert result.success, result.message
    stored = {number: json.loads(contact.variables) for number, contact in contacts_of(campaign.id).items()}
    names = ["plan", "city", "note"][:columns]
    # A value is stored as the reader gives it: without the spaces around it; an empty one is left out.
    assert stored == {
        f"+121255501{index:02d}": {name: value.strip() for name, value in zip(names, values) if value.strip()}
        for index, values in enumerate(rows)
    }


def test_the_recorded_checksum_covers_the_whole_of_a_long_file(campaign, write_csv):
    path = write_csv("phone,name,notes\n" + "".join(f"212555{n:04d},Person {n},{'x' * 20}\n" for n in range(9000)))
    assert path.stat().st_size > 300_000  # several read chunks
    result = import_file(campaign.id, path)
    assert ImportRun.get_by_id(result.import_id).file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_dry_run_on_200_000_phone_like_columns_stays_linear(campaign, tmp_path, engine_db):
    import time

    sqlite_only(engine_db, "reading the file is the same on both engines")
    path = tmp_path / "wide.csv"
    columns = 200_000
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(f"Phone {i}" for i in range(columns)) + "\n")
        for row in range(3):
            handle.write(",".join(f"(212) 555-{(i + row) % 10000:04d}" for i in range(columns)) + "\n")
    started = time.perf_counter()
    result = import_file(campaign.id, path, dry_run=True)
    assert result.success and result.mapping["Phone 0"] == "phone_number"
    assert time.perf_counter() - started < 10  # about 2 s here; quadratic detection took minutes
