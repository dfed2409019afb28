"""``contactdesk selftest``: run the desktop app's import path headless and check what it reports.

A temporary database and CSV file; the real MainWindow; a synthetic drop of the file on the
window; the real ImportWizard stepped through every page (its check and import run on the
worker as usual); the results dialog read and compared with the counts the file was built
to produce and with the database. Packaging runs this in the frozen build, so it needs no
display (Qt's offscreen platform) and never waits for a person: every wait has a timeout.
"""

import html
import json
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__

ROWS = 200
US_VALID, UK_VALID, INVALID, DUPLICATES = 170, 15, 8, 7
INVALID_VALUES = (
    "12345",
    "not a number",
    "",
    "+1 (212) 55",
    "999999999999999999999",
    "2.12555E+9",
    "+999 123 456",
    "0000",
)
WAIT_FOR_WIZARD_S = 15
WAIT_FOR_PAGE_S = 60


class SelftestFailure(Exception):
    pass


@dataclass
class Step:
    name: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "detail": self.detail, "seconds": round(self.seconds, 3)}


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)
    result: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)
    error: str = ""
    started: float = field(default_factory=time.monotonic)
    _step_started: float = field(default_factory=time.monotonic)

    def ok(self, name: str, detail: str = "") -> None:
        now = time.monotonic()
        self.steps.append(Step(name, True, detail, now - self._step_started))
        self._step_started = now

    def fail(self, name: str, detail: str) -> None:
        now = time.monotonic()
        self.steps.append(Step(name, False, detail, now - self._step_started))
        self._step_started = now
        self.error = self.error or f"{name}: {detail}"

    @property
    def success(self) -> bool:
        return not self.error and bool(self.steps) and all(step.ok for step in self.steps)


# The test file ----------------------------------------------------------------------------
def build_csv(path: Path) -> dict:
    """Write the file; return the counts an import of it must report (checked with the normalizer)."""
    from ..core.phone import PhoneNormalizer

    normalize = PhoneNormalizer("US").normalize
    rng = random.Random(2024)
    areas = ("212", "415", "617", "303", "206", "312", "713", "404", "305", "503")
    us = []
    for index in range(US_VALID):
        exchange = 201 + (index * 7) % 700
        if exchange in (555, 211, 311, 411, 511, 611, 711, 811, 911):
            exchange += 1
        us.append(f"({areas[index % len(areas)]}) {exchange}-{1000 + index:04d}")
    uk = [f"+44 20 7946 {index:04d}" for index in range(UK_VALID)]
    duplicates = ["+1 " + number.replace("(", "").replace(")", "").replace(" ", "-") for number in us[:DUPLICATES]]
    phones = [*us, *uk, *INVALID_VALUES, *duplicates]
    rng.shuffle(phones)
    seen, valid_unique, invalid, repeated, unassigned = set(), 0, 0, 0, 0
    for raw in phones:
        phone = normalize(raw)
        if phone.e164 is None:
            invalid += 1
        elif phone.e164 in seen:
            repeated += 1
        else:
            seen.add(phone.e164)
            valid_unique += 1
            unassigned += not phone.assigned
    built = {
        "rows_read": len(phones),
        "imported_count": US_VALID + UK_VALID,
        "invalid_count": INVALID,
        "duplicates_in_file": DUPLICATES,
        "total_contacts": US_VALID + UK_VALID,
    }
    measured = {
        "rows_read": len(phones),
        "imported_count": valid_unique,
        "invalid_count": invalid,
        "duplicates_in_file": repeated,
        "total_contacts": valid_unique,
    }
    if built != measured:
        raise SelftestFailure(f"the generated file is not what it should be: built {built}, normalizer says {measured}")
    lines = ["Phone,Name,Email,Company,City"]
    for index, raw in enumerate(phones):
        city = "London" if raw.startswith("+44") else rng.choice(("Boston", "Denver", "Seattle", "Austin"))
        lines.append(f'"{raw}",Person {index},person{index}@example.com,"Company {index % 17}, Inc.",{city}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    built["unassigned_count"] = unassigned
    return built


# Waiting without a person ---------------------------------------------------------------------
def wait_until(predicate, timeout_s: float, what: str) -> None:
    """Run the event loop until ``predicate()`` is true; SelftestFailure after ``timeout_s``."""
    from PySide6.QtCore import QEventLoop, QTimer

    if predicate():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    outcome = {"ok": False}

    def check() -> None:
        if predicate():
            outcome["ok"] = True
            loop.quit()
        elif time.monotonic() >= deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not outcome["ok"]:
        raise SelftestFailure(f"timed out after {timeout_s:g} s waiting for {what}")


def _count_in(text: str) -> int | None:
    found = re.search(r"\d[\d,]*", text or "")
    return int(found.group().replace(",", "")) if found else None


def _visible_text(widget) -> str:
    from PySide6.QtWidgets import QLabel

    texts = (
        html.unescape(re.sub(r"<[^>]+>", "", label.text())).replace("&", "")
        for label in widget.findChildren(QLabel)
        if label.isVisible() and label.text()
    )
    return " | ".join(" ".join(text.split()) for text in texts if text.strip())


# The run --------------------------------------------------------------------------------------
def _drop_file(window, path: Path, report: Report) -> None:
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = window.contacts
    where = target.mapTo(window, QPoint(target.width() // 2, target.height() // 2))
    enter = QDragEnterEvent(
        where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        raise SelftestFailure(f"the window refused the drag: {window.statusBar().currentMessage()!r}")
    highlighted = window.overlay.isVisible()
    drop = QDropEvent(
        QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    if not drop.isAccepted():
        raise SelftestFailure(f"the window refused the drop: {window.statusBar().currentMessage()!r}")
    report.ok("drop", f"{path.name} dropped on the window" + (" (drop highlight shown)" if highlighted else ""))


def _step_through_wizard(wizard, report: Report, recorded: list) -> None:
    from PySide6.QtWidgets import QWizard

    names = {page_id: name for name, page_id in wizard.page_ids().items()}
    visited = []
    deadline = time.monotonic() + WAIT_FOR_PAGE_S * 3
    while wizard.results_dialog is None:
        if time.monotonic() > deadline:
            raise SelftestFailure("the wizard did not finish in time")
        if recorded:
            kind, title, text = recorded[-1]
            raise SelftestFailure(f"the app showed a message ({kind}) {title!r}: {text}")
        page_id = wizard.currentId()
        name = names.get(page_id, str(page_id))
        if not visited or visited[-1] != name:
            visited.append(name)
        page = wizard.currentPage()
        next_button = wizard.button(QWizard.WizardButton.NextButton)
        finish_button = wizard.button(QWizard.WizardButton.FinishButton)

        def ready(page_id=page_id, page=page) -> bool:
            return (
                wizard.results_dialog is not None
                or wizard.currentId() != page_id
                or bool(recorded)
                or (not wizard.is_busy() and page.isComplete())
            )

        try:
            wait_until(ready, WAIT_FOR_PAGE_S, f"the {name} page to be ready")
        except SelftestFailure as exc:
            raise SelftestFailure(f"{exc}; the page says: {_visible_text(page)[:600]}") from None
        if wizard.results_dialog is not None or wizard.currentId() != page_id or recorded:
            continue
        if name == "import" or wizard.nextId() == -1:
            if finish_button.isVisible() and finish_button.isEnabled():
                finish_button.click()
            wait_until(lambda: wizard.results_dialog is not None, WAIT_FOR_PAGE_S, "the results dialog")
            break
        text = _visible_text(page)
        report.ok(f"wizard: {name}", text[:300])
        if not next_button.isEnabled():
            raise SelftestFailure(f"the {name} page is complete but Next is disabled")
        wizard.next()
    report.ok("wizard: import", f"pages visited: {' > '.join(visited)}")


def _read_results(dialog) -> dict:
    from PySide6.QtWidgets import QLabel

    seen = {}
    for key in ("imported_count", "total_contacts", "skipped_duplicates", "invalid_count"):
        label = dialog.findChild(QLabel, f"result_{key}")
        if label is None:
            raise SelftestFailure(f"the results dialog has no {key!r} field")
        seen[key] = _count_in(label.text())
    message = dialog.findChild(QLabel, "resultMessage")
    seen["message"] = message.text() if message is not None else ""
    return seen


def _run(folder: Path, report: Report) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    from .excepthook import route_qt_messages_to_log
    from .main_thread_gc import MainThreadCollector

    app = QApplication.instance() or QApplication(["contactdesk-selftest"])
    route_qt_messages_to_log()
    report.result["qt"] = qVersion()
    report.result["pyside"] = pyside_version
    report.result["platform"] = QApplication.platformName()
    report.ok("qt", f"Qt {qVersion()}, PySide6 {pyside_version}, platform {app.platformName()}")

    from ..core.campaigns import create_campaign
    from ..core.contacts import ContactFilter, count_contacts
    from ..store import close_db, init_db
    from . import messages
    from .main_window import MainWindow
    from .settings import AppSettings, use_settings_folder
    from .worker import stop_all_tasks

    use_settings_folder(folder / "settings")  # never the person's own settings
    recorded: list = []
    messages.record_instead_of_showing(recorded)
    window = None
    db_path = folder / "selftest.sqlite3"
    collector = MainThreadCollector(app)  # as the app: the window and its workers are the app's
    try:
        init_db(db_path)
        campaign = create_campaign("Selftest campaign")
        csv_path = folder / "selftest contacts.csv"
        report.expected = build_csv(csv_path)
        report.ok("setup", f"database {db_path.name}, campaign {campaign.id}, {ROWS} rows in {csv_path.name}")

        window = MainWindow(AppSettings(), db_path=db_path)
        window.resize(1200, 760)
        window.show()
        wait_until(lambda: not window.contacts.model.is_loading(), 10, "the main window to load")
        report.ok("main window", f"campaign {window.current_campaign_id()} selected")

        _drop_file(window, csv_path, report)
        wait_until(lambda: window.wizard is not None or recorded, WAIT_FOR_WIZARD_S, "the import wizard to open")
        if window.wizard is None:
            raise SelftestFailure(f"no wizard opened; the app said: {recorded[-1]}")
        wizard = window.wizard
        if wizard.objectName() != "importWizard":
            raise SelftestFailure(f"the wizard's objectName is {wizard.objectName()!r}")
        report.ok("wizard opened", f"{wizard.windowTitle()}")

        imported: list[dict] = []
        wizard.imported.connect(imported.append)
        _step_through_wizard(wizard, report, recorded)
        dialog = wizard.results_dialog
        wait_until(lambda: dialog.isVisible(), 10, "the results dialog to show")
        if dialog.objectName() != "importResultsDialog":
            raise SelftestFailure(f"the results dialog's objectName is {dialog.objectName()!r}")
        seen = _read_results(dialog)
        report.result.update(seen)
        report.ok("results dialog", seen["message"])

        expected = report.expected
        problems = []
        for key, want in (
            ("imported_count", expected["imported_count"]),
            ("total_contacts", expected["total_contacts"]),
            ("skipped_duplicates", expected["duplicates_in_file"]),
            ("invalid_count", expected["invalid_count"]),
        ):
            if seen.get(key) != want:
                problems.append(f"{key}: the dialog shows {seen.get(key)}, expected {want}")
        signal = imported[-1] if imported else {}
        for key in ("imported_count", "invalid_count", "duplicates_in_file", "rows_read"):
            if signal.get(key) != expected[key]:
                problems.append(f"{key}: the import reported {signal.get(key)}, expected {expected[key]}")
        in_db = count_contacts(ContactFilter(campaign.id))
        report.result["contacts_in_database"] = in_db
        if in_db != expected["total_contacts"]:
            problems.append(f"the database holds {in_db} contacts, expected {expected['total_contacts']}")
        if problems:
            raise SelftestFailure("; ".join(problems))
        report.ok(
            "counts",
            f"{in_db} contacts imported, {expected['duplicates_in_file']} duplicates and "
            f"{expected['invalid_count']} invalid rows reported, as built",
        )

        model = window.contacts.model
        wait_until(
            lambda: not model.is_loading() and model.rowCount() == in_db,
            10,
            f"the contacts table to show {in_db} contacts",
        )
        summary = window.current_summary()
        if summary is None or summary.total_contacts != in_db:
            raise SelftestFailure(f"the campaign list shows {summary.total_contacts if summary else None} contacts")
        report.ok("main window refreshed", f"table and campaign list show {in_db} contacts")
        dialog.accept()
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        try:
            if not stop_all_tasks(15_000):
                report.fail("cleanup", "background tasks did not end within 15 s")
        finally:
            messages.record_instead_of_showing(None)
            route_qt_messages_to_log(False)
            close_db()
            collector.stop()


def run_selftest(as_json: bool = False, keep: bool = False) -> int:
    """Exit code 0 when the whole import path works; 1 with the reason otherwise."""
    report = Report()
    folder = Path(tempfile.mkdtemp(prefix="contactdesk-selftest-"))
    try:
        _run(folder, report)
    except SelftestFailure as exc:
        report.fail("selftest", str(exc))
    except Exception as exc:  # the selftest reports every failure; it never shows a traceback alone
        report.fail("selftest", f"unexpected error: {exc.__class__.__name__}: {exc}")
        report.result["traceback"] = traceback.format_exc()
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.monotonic() - report.started
    if as_json:
        document = {
            "success": report.success,
            "message": "selftest passed" if report.success else report.error,
            "steps": [step.to_dict() for step in report.steps],
            "result": report.result,
            "expected": report.expected,
            "qt": report.result.get("qt"),
            "pyside": report.result.get("pyside"),
            "python": platform.python_version(),
            "version": __version__,
            "frozen": bool(getattr(sys, "frozen", False)),
            "folder": str(folder) if keep else None,
            "elapsed_seconds": round(elapsed, 3),
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"ContactDesk {__version__} selftest")
        for step in report.steps:
            print(f"  [{'ok' if step.ok else 'FAILED'}] {step.name}: {step.detail}")
        if keep:
            print(f"  files kept in {folder}")
        if report.success:
            print(f"Selftest passed in {elapsed:.1f} s.")
        else:
            print(f"Selftest FAILED: {report.error}", file=sys.stderr)
    return 0 if report.success else 1
