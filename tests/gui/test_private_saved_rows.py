"""Files the window writes with contact data are readable by their user only."""

import os
import stat


def test_invalid_rows_saved_as_csv_are_private(tmp_path):
    from contactdesk.gui.invalid_rows_dialog import write_invalid_rows_csv

    out = tmp_path / "invalid.csv"
    write_invalid_rows_csv([{"row": 2, "column": "phone", "value": "+1 212", "reason": "too short"}], out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
