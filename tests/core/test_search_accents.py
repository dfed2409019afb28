"""Search ignores accents and case, on imported contacts and on a database from before."""

from hypothesis import given, settings
from hypothesis import strategies as st

from contactdesk.core.contacts import ContactFilter, count_contacts, fetch_contacts
from contactdesk.core.importer import import_file
from contactdesk.store import close_db, init_db
from contactdesk.store.models import db
from contactdesk.store.search import fill_search_text_sql, fold, fold_contact

ACCENTED_CSV = (
    "name,phone,company\n"
    "Jürgen Müller,+4930123456,Bäckerei Groß\n"
    "ÉLODIE Brontë,+33142685300,Société Générale\n"
    "Ann Muller,+12127365001,Acme\n"
    "Bob Smith,+12127365002,Ørsted\n"
)


def names_found(campaign_id: int, text: str) -> list[str]:
    rows = fetch_contacts(ContactFilter(campaign_id, search=text), 0, 100, order_by="source_row")
    return [row.name for row in rows]


def test_fold():
    assert fold("Müller") == "muller" and fold("ØRSTED") == "orsted" and fold("Straße") == "strasse"
    assert fold("Plain ASCII") == "plain ascii"


def test_search_ignores_accents_and_case(campaign, write_csv):
    import_file(campaign.id, write_csv(ACCENTED_CSV))
    assert names_found(campaign.id, "muller") == ["Jürgen Müller", "Ann Muller"]
    assert names_found(campaign.id, "MÜLLER") == ["Jürgen Müller", "Ann Muller"]
    assert names_found(campaign.id, "elodie") == ["ÉLODIE Brontë"]
    assert names_found(campaign.id, "bronte") == ["ÉLODIE Brontë"]
    assert names_found(campaign.id, "societe generale") == ["ÉLODIE Brontë"]
    assert names_found(campaign.id, "gross") == ["Jürgen Müller"]
    assert names_found(campaign.id, "orsted") == ["Bob Smith"]
    assert names_found(campaign.id, "smith") == ["Bob Smith"]
    assert count_contacts(ContactFilter(campaign.id, search="zz")) == 0


def test_a_database_from_before_finds_accented_names_after_the_upgrade(tmp_path, old_database):
    path = tmp_path / "before-search.sqlite3"
    conn = old_database(path, 3)  # the last schema without the folded copy
    conn.execute("INSERT INTO campaign (id, name, notes, created_at) VALUES (1, 'Old', '', '2024-05-01')")
    conn.executemany(
        "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
        " source_row, created_at, updated_at) VALUES (1, ?, '', ?, '', ?, '{}', 'pending', ?, '2024-05-01', '2024-05-01')",
        [
            (phone, name, company, row)
            for row, (name, phone, company) in enumerate([line.split(",") for line in ACCENTED_CSV.splitlines()[1:]], 2)
        ],
    )
    conn.commit()
    conn.close()
    init_db(path)
    try:
        assert names_found(1, "muller") == ["Jürgen Müller", "Ann Muller"]
        assert names_found(1, "orsted") == ["Bob Smith"]
    finally:
        close_db()


def test_the_folded_copy_filled_while_importing_equals_the_one_sql_computes(campaign, write_csv):
    # Over two batches of rows: accents in the name, only in the email, only in the company, or nowhere.
    names = ["José Álvarez", "Ann Smith", "Zoë Brontë", "Bob Jones"]
    emails = ["a@example.com", "renée@exämple.com"]
    companies = ["Acme", "Société Générale", "Ørsted"]
    lines = ["name,phone,email,company"]
    for row in range(5000):
        lines.append(f"{names[row % 4]},+1212736{row:04d},{emails[row // 4 % 2]},{companies[row % 3]}")
    import_file(campaign.id, write_csv("\n".join(lines) + "\n"))
    conn = db.connection()
    stored = dict(conn.execute("SELECT id, search_text FROM contact WHERE campaign_id = ?", (campaign.id,)))
    assert len(stored) == 5000
    plain = sum(1 for line in lines[1:] if line.isascii())
    assert plain > 0 and sum(1 for text in stored.values() if not text) == plain  # plain ASCII rows stay empty
    conn.execute("SAVEPOINT recompute")
    conn.execute("UPDATE contact SET search_text = ''")
    conn.execute(fill_search_text_sql())
    recomputed = dict(conn.execute("SELECT id, search_text FROM contact WHERE campaign_id = ?", (campaign.id,)))
    conn.execute("ROLLBACK TO recompute")
    conn.execute("RELEASE recompute")
    assert stored == recomputed
    row = conn.execute("SELECT name, email, company, search_text FROM contact WHERE source_row = 8").fetchone()
    assert row[:3] == ("Zoë Brontë", "renée@exämple.com", "Acme") and row[3] == fold_contact(*row[:3])
    assert names_found(campaign.id, "renee@example") and names_found(campaign.id, "zoe bronte")


def _fold_word_by_word(name: str, email: str, company: str) -> str:
    """How the copy was folded before: each space-separated word of the three lines as a whole."""
    return " ".join(map(fold, "\n".join((name, email, company)).split(" ")))


# Letters with accents, combining marks (in and out of canonical order), ß, ligatures, Hangul, Greek sigma.
_TRICKY = "aeEoßÆØŁıİΣσςﬁÅåé\u0301\u0308\u0323\u0327 .@-xyz한글ǅⅫ①ｆ"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_TRICKY, max_size=12) | st.text(max_size=12), min_size=3, max_size=3))
def test_folding_character_by_character_equals_folding_each_word(fields):
    assert fold_contact(*fields) == _fold_word_by_word(*fields)
