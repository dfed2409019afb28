"""Digits searched on the command line are read as a number of the --region country."""

import json


def _campaign_with_a_british_and_an_american_number(cli, tmp_path):
    cli("campaign", "create", "Mixed")
    path = tmp_path / "mixed.csv"
    path.write_text("phone,name\n+44 7700 900123,Olivia\n+1 212 555 0147,Ann\n", encoding="utf-8")
    code, _out, err = cli("import", 1, path)
    assert code == 0, err


def _names(out: str) -> list[str]:
    return [row["name"] for row in json.loads(out)]


def test_a_british_number_typed_with_its_trunk_zero_is_found_with_region_gb(cli, tmp_path):
    _campaign_with_a_british_and_an_american_number(cli, tmp_path)

    code, out, err = cli("contacts", "list", 1, "--search", "07700 900123", "--region", "gb", "--json")

    assert code == 0, err
    assert _names(out) == ["Olivia"]


def test_export_searches_digits_in_the_region_given(cli, tmp_path):
    _campaign_with_a_british_and_an_american_number(cli, tmp_path)
    out_file = tmp_path / "found.csv"

    code, _out, err = cli("contacts", "export", 1, out_file, "--search", "07700900123", "--region", "GB")

    assert code == 0, err
    rows = out_file.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and "Olivia" in rows[1]


def test_an_unknown_region_is_refused_in_one_line(cli, tmp_path):
    _campaign_with_a_british_and_an_american_number(cli, tmp_path)

    code, out, err = cli("contacts", "list", 1, "--search", "0770", "--region", "XX")

    assert code == 3
    assert "Unknown country code for phone numbers: 'XX'." in out + err
    assert "Traceback" not in out + err
