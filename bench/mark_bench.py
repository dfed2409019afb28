"""Marking many selected contacts completed from the window (offscreen), as a person does it.

A campaign of --rows contacts is imported, the main window opens on it, the first row is
clicked and, after scrolling, row --selected is Shift+clicked; then Ctrl+2 (Mark Selected as
Completed) is pressed. Measured: the time until the view shows the last selected row as
Completed with the marking finished, and the longest gap of a 10 ms QTimer meanwhile (the
worst freeze a person would feel). Each round marks a fresh copy of the imported database.

    python bench/mark_bench.py --rows 1000000 --selected 100000 --repeat 3
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from gui_bench import EventLoopWatch, wait_until  # noqa: E402


def imported_database(rows: int, work: Path) -> Path:
    """A database with one campaign of the benchmark's file of ``rows`` rows, made once."""
    from contactdesk.core.campaigns import create_campaign
    from contactdesk.core.importer import import_file
    from contactdesk.store import close_db, init_db

    template = work / f"mark-{rows}.sqlite3"
    if template.exists():
        return template
    data = work / f"contacts-{rows}.csv"
    if not data.exists():
        generate(rows, str(data))
    init_db(template)
    result = import_file(create_campaign("Marked from the window").id, data)
    assert result.success, result.message
    close_db()
    return template


def mark_once(app, database: Path, selected: int, settings_folder: Path) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from contactdesk.gui.campaign_list import STATUS_LABELS
    from contactdesk.gui.contacts_model import STATUS_COLUMN
    from contactdesk.gui.main_window import MainWindow
    from contactdesk.gui.settings import AppSettings, use_settings_folder
    from contactdesk.gui.worker import running_tasks
    from contactdesk.store import close_db, db, init_db

    init_db(database)
    use_settings_folder(settings_folder)
    window = MainWindow(AppSettings(), db_path=database)
    window.resize(1200, 800)
    window.show()
    panel = window.contacts
    model, view = panel.model, panel.view
    wait_until(app, lambda: model.rowCount() > 0 and model.is_row_loaded(0) and not model.is_loading(), 120)
    contacts = model.rowCount()
    last = min(selected, contacts) - 1

    def click(row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        view.scrollTo(model.index(row, 0))
        wait_until(app, lambda: model.is_row_loaded(row))
        point = view.visualRect(model.index(row, 0)).center()
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, point)

    click(0)
    click(last, Qt.KeyboardModifier.ShiftModifier)
    assert panel.marking.selected_ranges() == [(0, last)], panel.marking.selected_ranges()
    completed = STATUS_LABELS["completed"]
    # The window's own start-up work (counts of callable contacts, pages) is done, as it would be
    # by the time a person has selected 100,000 rows.
    wait_until(app, lambda: not running_tasks())

    watch = EventLoopWatch()
    marked = []
    panel.statusesChanged.connect(lambda: marked.append(time.perf_counter()))
    watch.start()
    started = time.perf_counter()
    QTest.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    shown = wait_until(
        app,
        lambda: (
            bool(marked)
            and not model.is_loading()
            and model.is_row_loaded(last)
            and model.data(model.index(last, STATUS_COLUMN)) == completed
        ),
    )
    watch.stop()
    count = db.execute_sql("SELECT count(*) FROM contact WHERE status = 'completed'").fetchone()[0]
    window.close()
    wait_until(app, lambda: not panel.slot.is_busy())
    close_db()
    assert count == last + 1, (count, last + 1)
    return {
        "contacts": contacts,
        "selected": last + 1,
        "marked_s": marked[0] - started,
        "shown_s": shown,
        **watch.figures(),
    }


def run_mark_bench(rows: int, selected: int, repeat: int, work: Path) -> list[dict]:
    from PySide6.QtWidgets import QApplication

    from contactdesk.gui.main_thread_gc import MainThreadCollector

    template = imported_database(rows, work)
    app = QApplication.instance() or QApplication(["contactdesk-bench"])
    MainThreadCollector(app)  # as the app collects garbage
    results = []
    for run in range(repeat):
        database = work / f"mark-run-{run}.sqlite3"
        for leftover in work.glob(f"mark-run-{run}.sqlite3*"):
            leftover.unlink()
        shutil.copyfile(template, database)
        results.append(mark_once(app, database, selected, work / f"settings-{run}"))
        for leftover in work.glob(f"mark-run-{run}.sqlite3*"):
            leftover.unlink()
    first = results[0]
    print(
        f"\nmarking {first['selected']:,} selected of {first['contacts']:,} contacts completed (Ctrl+2), {repeat} runs"
    )
    print(f"| {'figure':<44} | {'median':>8} | {'worst':>8} | {'target':>8} |")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 10}|{'-' * 10}|")
    for label, key, scale, target in (
        ("until the marking is saved (ms)", "marked_s", 1000, ""),
        ("until the view shows them completed (ms)", "shown_s", 1000, "<= 1000"),
        ("longest event-loop stall (ms)", "longest_stall_ms", 1, "<= 50"),
        ("stalls over 50 ms", "stalls_over_50ms", 1, "0"),
    ):
        values = [result[key] * scale for result in results]
        print(f"| {label:<44} | {statistics.median(values):>8.0f} | {max(values):>8.0f} | {target:>8} |")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="contacts in the campaign")
    parser.add_argument("--selected", type=int, default=100_000, help="rows selected and marked")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-mark-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    run_mark_bench(args.rows, args.selected, args.repeat, work)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
