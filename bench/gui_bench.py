"""The window during a big import, and the contacts view on a big campaign (offscreen).

- Event-loop stall: a 10 ms QTimer records the gaps between its ticks while the real
  import runs on the worker thread, as the wizard runs it; the longest gap is the worst
  freeze a person would feel. Progress reports per second are counted too.
- Contacts view: first rows shown after opening the campaign, the last row after jumping
  to the bottom, and a search by phone prefix.

    python bench/gui_bench.py 1000000 [--work FOLDER]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def wait_until(app, condition, timeout_s: float = 60.0) -> float:
    """Run the event loop until ``condition()``; how long that took (raises after ``timeout_s``)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - started


class EventLoopWatch:
    """A 10 ms timer in the event loop; the gaps between its ticks are how long the window froze."""

    TICK_MS = 10

    def __init__(self):
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._previous = self._clock.elapsed()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = self._clock.elapsed()
        self.gaps.append(now - self._previous)
        self._previous = now

    def figures(self) -> dict:
        stalls = [gap - self.TICK_MS for gap in self.gaps]
        return {
            "longest_stall_ms": max(stalls, default=0),
            "stalls_over_50ms": sum(1 for stall in stalls if stall > 50),
        }


def run_gui_bench(rows: int, work: Path) -> dict:
    from PySide6.QtWidgets import QApplication, QTableView

    from contactdesk.core.campaigns import create_campaign
    from contactdesk.core.contacts import ContactFilter
    from contactdesk.core.import_plan import prepare_import
    from contactdesk.core.importer import run_import
    from contactdesk.gui.contacts_model import ContactsTableModel
    from contactdesk.gui.main_thread_gc import MainThreadCollector
    from contactdesk.gui.worker import run_task
    from contactdesk.store import close_db, init_db

    data = work / f"contacts-{rows}.csv"
    if not data.exists():
        generate(rows, str(data))
    db = work / "gui-bench.sqlite3"
    for leftover in work.glob("gui-bench.sqlite3*"):
        leftover.unlink()
    init_db(db)
    app = QApplication.instance() or QApplication(["contactdesk-bench"])
    MainThreadCollector(app)  # as the app collects garbage

    # 1. The event loop while a campaign of `rows` is imported on the worker.
    target = create_campaign("Imported while watching")
    watch = EventLoopWatch()
    progress_times: list[float] = []
    finished: list = []

    def work_fn(report, cancelled):
        plan = prepare_import(target.id, data)
        return run_import(plan, report, cancelled).to_dict()

    watch.start()
    started = time.perf_counter()
    run_task(
        work_fn,
        on_success=finished.append,
        on_failure=lambda m, d: finished.append({"error": m}),
        on_progress=lambda *values: progress_times.append(time.perf_counter()),
    )
    wait_until(app, lambda: bool(finished), timeout_s=600)
    import_seconds = time.perf_counter() - started
    watch.stop()
    assert "error" not in finished[0], finished[0]
    per_second = max((sum(1 for t in progress_times if s <= t < s + 1) for s in progress_times), default=0)

    # 2. The contacts view on that campaign.
    model = ContactsTableModel()
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    started = time.perf_counter()
    model.set_filter(ContactFilter(target.id))
    first_rows = wait_until(app, lambda: model.rowCount() > 0 and model.is_row_loaded(0))
    count = model.rowCount()
    started = time.perf_counter()
    view.scrollToBottom()
    last_row = wait_until(app, lambda: model.is_row_loaded(count - 1))
    loaded: list[int] = []
    model.loaded.connect(loaded.append)
    started = time.perf_counter()
    model.set_filter(ContactFilter(target.id, (), "+1212"))
    search = wait_until(app, lambda: bool(loaded) and (model.rowCount() == 0 or model.is_row_loaded(0)))
    matches = model.rowCount()
    view.close()
    model.set_filter(None)
    wait_until(app, lambda: True)
    close_db()

    figures = {
        "rows": rows,
        "import_seconds": import_seconds,
        **watch.figures(),
        "median_tick_ms": statistics.median(watch.gaps) if watch.gaps else 0,
        "progress_per_second_max": per_second,
        "view_first_rows_ms": first_rows * 1000,
        "view_last_row_ms": last_row * 1000,
        "search_prefix_ms": search * 1000,
        "search_matches": matches,
        "contacts": count,
    }
    print(f"\nwindow during a {rows:,}-row import ({import_seconds:.1f} s) and the view on {count:,} contacts")
    print(f"| {'figure':<44} | {'value':>10} | {'target':>8} |")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 10}|")
    for label, key, target_text in (
        ("longest event-loop stall (ms)", "longest_stall_ms", "<= 50"),
        ("stalls over 50 ms", "stalls_over_50ms", "0"),
        ("progress updates per second (max)", "progress_per_second_max", "<= 10"),
        ("contacts view: first rows (ms)", "view_first_rows_ms", "<= 300"),
        ("contacts view: jump to the last row (ms)", "view_last_row_ms", "<= 300"),
        ("search by phone prefix +1212 (ms)", "search_prefix_ms", "<= 200"),
    ):
        value = figures[key]
        print(f"| {label:<44} | {value:>10.0f} | {target_text:>8} |")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The window during a big import, and the contacts view (offscreen).")
    parser.add_argument("rows", nargs="?", type=int, default=100_000, help="rows of the imported file")
    parser.add_argument("--work", type=Path, help="folder for the file and the database (default: a temporary one)")
    args = parser.parse_args()
    folder = args.work or Path(tempfile.mkdtemp(prefix="contactdesk-gui-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    run_gui_bench(args.rows, folder)
