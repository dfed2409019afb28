"""File > Export Campaign… and Export Filtered Contacts…: the contacts the panel shows, written as CSV on the worker."""

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from ..core.contacts import ContactFilter
from ..core.export import ExportRefused, check_destination, export_contacts
from ..core.wording import plural
from . import messages


class ContactsExport(QObject):
    """The export actions of ``panel`` (a ContactsPanel): its campaign, filter and task slot are used."""

    def __init__(self, panel, settings):
        super().__init__(panel)
        self.panel = panel
        self._settings = settings
        self.export_action = QAction("&Export Campaign…", panel)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: self.export(filtered=False))
        self.export_filtered_action = QAction("Export &Filtered Contacts…", panel)
        self.export_filtered_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_filtered_action.triggered.connect(lambda: self.export(filtered=True))

    def update_enabled(self, idle: bool, has_contacts: bool, filtered: bool) -> None:
        self.export_action.setEnabled(idle and has_contacts)
        self.export_filtered_action.setEnabled(idle and filtered)

    def ask_save_path(self, suggested: str) -> str | None:
        """Where to export; a file dialog (tests replace this)."""
        start = str(Path(self._settings.last_folder()) / suggested)
        path, _filter = QFileDialog.getSaveFileName(
            self.panel, "Export contacts", start, "CSV files (*.csv);;All files (*)"
        )
        return path or None

    def export(self, filtered: bool) -> None:
        panel = self.panel
        summary = panel.summary()
        if summary is None or panel.slot.is_busy():
            return
        contact_filter = panel.current_filter() if filtered else ContactFilter(summary.id)
        base = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in summary.name).strip() or "contacts"
        suggested = f"{base} (filtered).csv" if filtered and panel.is_filtered() else f"{base}.csv"
        chosen = self.ask_save_path(suggested)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".csv")
        self._settings.remember_folder_of(path)
        overwrite = False
        try:
            check_destination(path)
        except ExportRefused as refused:
            if not refused.needs_confirmation:
                messages.error(panel, "Export not written", str(refused))
                return
            if not messages.confirm(
                panel, "Replace a file that is not a CSV file?", f"{refused}\n\nReplace it with the export?", "Replace"
            ):
                return
            overwrite = True

        def done(count: int) -> None:
            panel.message.emit(f"Exported {plural(count, 'contact')} to {path}", 10_000)

        def work(report, cancelled) -> int:
            try:
                return export_contacts(contact_filter, path, overwrite=overwrite)
            except ExportRefused as exc:
                raise OSError(str(exc)) from exc
            except OSError as exc:
                raise OSError(f"Cannot write {path}: {(exc.strerror or str(exc)).lower()}.") from exc

        panel.run(work, f"Exporting to {path.name}…", done, "Export failed")
