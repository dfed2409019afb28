"""Who started each import is kept with it, on a file and on a team server."""

import json


def test_the_history_says_who_started_each_import(engine_cli, tmp_path):
    engine_cli("campaign", "create", "Spring")
    path = tmp_path / "spring.csv"
    path.write_text("phone,name\n2125550101,Ann\n", encoding="utf-8")
    assert engine_cli("import", 1, path, "--caller", "Bo Ek")[0] == 0
    assert engine_cli("import", 1, path, "--caller", "Ann Lee", "--keep-pending")[0] == 0

    code, out, err = engine_cli("history", 1, "--json")

    assert code == 0, err
    assert [run["started_by"] for run in json.loads(out)] == ["Ann Lee", "Bo Ek"]  # newest first
    code, out, _ = engine_cli("history", 1)
    assert "by Bo Ek" in out and "by Ann Lee" in out
