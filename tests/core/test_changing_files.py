"""Files that are not files, files that change while they are imported, values too long to hold."""

import os
import socket
import sqlite3
import threading

import pytest

from contactdesk.core.importer import import_file
from contactdesk.core.result import BAD_REQUEST


def contact_count(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


def import_in_thread(campaign_id, path):
    """The import's result, or None when it is still blocked after five seconds."""
    results = []
    worker = threading.Thread(target=lambda: results.append(import_file(campaign_id, path)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    return results[0] if results else None


def test_a_named_pipe_called_csv_is_refused_without_waiting(campaign, tmp_path):
    pipe = tmp_path / "contacts.csv"
    os.mkfifo(pipe)
    try:
        result = import_in_thread(campaign.id, pipe)
    finally:
        # unblock a reader that is stuck in open(), if any
        fd = os.open(pipe, os.O_RDWR | os.O_NONBLOCK)
        os.close(fd)
    assert result is not None, "the import waited on the pipe"
    assert result.status == BAD_REQUEST and "is a named pipe, not a file" in result.message


def test_a_socket_called_csv_is_refused(campaign, tmp_path):
    path = tmp_path / "s.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        result = import_in_thread(campaign.id, path)
    finally:
        server.close()
    assert result is not None and result.status == BAD_REQUEST and "is a socket" in result.message


def test_a_device_called_csv_is_refused(campaign):
    result = import_in_thread(campaign.id, "/dev/zero")
    assert result is not None and result.status == BAD_REQUEST and "is a device" in result.message


def big_csv(path, rows=60_000):
    path.write_text(
        "phone,name\n" + "".join(f"212{n // 10000 + 200:03d}{n % 10000:04d},Person {n}\n" for n in range(rows))
    )
    return path


def change_on_first_progress(change):
    done = []

    def progress(rows, read, total):
        if not done:
            done.append(True)
            change()

    return progress


@pytest.mark.parametrize("how", ["truncated", "appended", "rewritten"])
def test_a_file_that_changes_during_its_import_imports_nothing(campaign, db_path, tmp_path, how):
    source = big_csv(tmp_path / "growing.csv")

    def change():
        if how == "truncated":
            os.truncate(source, source.stat().st_size // 3)
        elif how == "appended":
            with source.open("a") as handle:
                handle.write("2125550000,Late arrival\n")
        else:
            stamp = source.stat().st_mtime_ns
            text = source.read_text().replace("Person", "Nosrep")
            source.write_text(text)
            os.utime(source, ns=(stamp + 5_000_000_000, stamp + 5_000_000_000))

    result = import_file(campaign.id, source, progress=change_on_first_progress(change))
    assert result.status == BAD_REQUEST and not result.success
    assert result.message == "The file changed while it was being imported; nothing was imported."
    assert contact_count(db_path) == 0


def test_the_command_line_exits_3_when_the_file_changes(campaign, db_path, tmp_path, monkeypatch, capsys):
    from contactdesk import cli

    source = big_csv(tmp_path / "growing.csv")
    monkeypatch.setattr(cli, "_progress_printer", lambda: change_on_first_progress(lambda: os.truncate(source, 1000)))
    code = cli.run_cli(["import", str(campaign.id), str(source)])
    assert code == 3 and "the file changed while it was being imported" in capsys.readouterr().out.lower()


def test_a_value_over_the_limit_makes_its_row_invalid_and_the_rest_is_imported(campaign, db_path, tmp_path):
    import tracemalloc

    source = tmp_path / "long_note.csv"
    with source.open("wb") as handle:
        handle.write(b"phone,name,Notes\n2125550160,Before,short\n2125550161,Long,")
        block = b"n" * 1_000_000
        for _ in range(60):
            handle.write(block)
        handle.write(b"\n2125550162,After,short\n")
    tracemalloc.start()
    try:
        result = import_file(campaign.id, source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.success and result.imported_count == 2 and result.invalid_count == 1
    [error] = result.errors
    assert error.row == 3 and error.column == "Notes"
    assert "a value of 60 MB in column Notes" in error.reason
    # bounded by the 4 MB line limit, not by the value (reading it whole took over 240 MB)
    assert peak < 100_000_000, f"reading a 60 MB value used {peak / 1e6:.0f} MB"


def test_a_quoted_value_over_the_limit_keeps_the_columns_after_it(campaign, db_path, tmp_path):
    source = tmp_path / "quoted_long.csv"
    source.write_text('phone,Notes,name\n2125550161,"' + "x" * 3_000_000 + '",Ann\n2125550162,"ok",Bob\n')
    result = import_file(campaign.id, source)
    assert result.imported_count == 1 and result.invalid_count == 1
    assert result.errors[0].column == "Notes" and "3 MB" in result.errors[0].reason
