"""The team server of Settings as a libpq URI, and its line in libpq's password file."""

import pytest

from contactdesk.store.team_connection import ServerChoice, save_password


@pytest.mark.parametrize(
    ("choice", "uri"),
    [
        (
            ServerChoice("db.example.com", 5432, "calls", "ann", "require"),
            "postgresql://ann@db.example.com:5432/calls?sslmode=require",
        ),
        (ServerChoice("::1", 6000, "calls", "ann", "disable"), "postgresql://ann@[::1]:6000/calls?sslmode=disable"),
        (
            ServerChoice("/var/run/postgresql", 5432, "calls", "ann", "prefer"),
            "postgresql://ann@/calls?sslmode=prefer&host=%2Fvar%2Frun%2Fpostgresql&port=5432",
        ),
        (
            ServerChoice("db", 5432, "sales/2026", "ann@corp", "verify-full"),
            "postgresql://ann%40corp@db:5432/sales%2F2026?sslmode=verify-full",
        ),
    ],
)
def test_the_uri_names_the_server_and_never_a_password(choice, uri):
    assert choice.uri() == uri


def test_a_password_with_colons_and_backslashes_is_escaped_as_libpq_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pass"))
    save_password(ServerChoice("db", 5432, "calls", "ann"), r"a:b\c")
    save_password(ServerChoice("db", 5432, "calls", "ann"), r"x:y\z")  # replaces the line
    assert (tmp_path / "pass").read_text() == "db:5432:calls:ann:x\\:y\\\\z\n"
