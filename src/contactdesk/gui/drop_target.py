"""Dragging files onto ContactDesk: which drags can be imported (and why not), and the highlight shown."""

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ..core.campaigns import MAX_NAME
from ..core.csv_dialect import SAMPLE_BYTES, binary_message

IMPORTABLE_SUFFIXES = (".csv", ".tsv", ".txt")
WHAT_WE_IMPORT = "ContactDesk imports .csv, .tsv and .txt files"


@dataclass
class DropCheck:
    """The importable files of a drag, and why the rest (or everything) was refused."""

    paths: list[Path] = field(default_factory=list)
    reason: str = ""
    refused: list[Path] = field(default_factory=list)  # local files and folders that cannot be imported

    @property
    def ok(self) -> bool:
        return bool(self.paths)

    @property
    def droppable(self) -> bool:
        """Local files or folders: the drop is taken, and what cannot be imported is explained after it."""
        return bool(self.paths or self.refused)

    def dropped(self) -> list[Path]:
        return self.paths + self.refused


def check_drop(mime) -> DropCheck:
    """Look at a drag's QMimeData: local .csv/.tsv/.txt files are importable."""
    if mime is None or not mime.hasUrls():
        return DropCheck(reason=f"Only files can be dropped here: {WHAT_WE_IMPORT}.")
    paths, refused, remote, folders = [], [], 0, 0
    refused_paths: list[Path] = []
    for url in mime.urls():
        if not url.isLocalFile():
            remote += 1
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            folders += 1
            refused_paths.append(path)
        elif path.suffix.lower() in IMPORTABLE_SUFFIXES:
            paths.append(path)
        else:
            refused.append(path.name)
            refused_paths.append(path)
    reasons = []
    if refused:
        names = ", ".join(refused[:3]) + (f" and {len(refused) - 3} more" if len(refused) > 3 else "")
        reasons.append(f"{names} cannot be imported: {WHAT_WE_IMPORT}.")
    if folders:
        reasons.append("Folders cannot be imported; drop the CSV files themselves.")
    if remote:
        reasons.append("Only files on this computer can be imported; download the file first.")
    return DropCheck(paths, " ".join(reasons), refused_paths)


_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xltx")
SAVE_AS_CSV = "save it as CSV (in Excel: File > Save As > CSV UTF-8) and import that file"


def refusal_for(path: Path) -> str | None:
    """Why ``path`` cannot be imported, in one sentence naming it; None when it may be tried.

    Dropped files and files chosen in the file dialog get these same words."""
    if path.is_dir():
        return f"{path.name} is a folder; choose or drop the CSV files in it instead."
    if path.suffix.lower() in IMPORTABLE_SUFFIXES or not path.exists():
        return None
    if not path.is_file():  # a pipe, socket or device: opening it could wait forever
        return f"{path.name} cannot be imported: it is not a file. {WHAT_WE_IMPORT}."
    try:
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError:
        head = b""
    known = binary_message(head, str(path))
    if known is None and path.suffix.lower() in _EXCEL_SUFFIXES:
        known = f"This is an Excel workbook ({path.suffix.lower()}); {SAVE_AS_CSV}."
    return f"{path.name}: {known}" if known else f"{path.name} cannot be imported: {WHAT_WE_IMPORT}."


def split_importable(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The paths worth opening in the wizard, and the reasons for the rest."""
    importable, reasons = [], []
    for path in paths:
        reason = refusal_for(path)
        if reason is None:
            importable.append(path)
        else:
            reasons.append(reason)
    return importable, reasons


def campaign_name_for(path: Path) -> str:
    """A campaign named after a dropped file: "leads 2024.csv" -> "leads 2024"."""
    name = " ".join(path.stem.replace("_", " ").split()) or "Imported contacts"
    return name[:MAX_NAME]


class DropOverlay(QWidget):
    """A translucent frame with a message, drawn over ``cover`` while a valid drag hovers it.

    It is a child of ``cover``'s window, not of ``cover`` itself: a QSplitter (the main window's
    central widget) would take any child widget in as one more pane.
    """

    def __init__(self, cover: QWidget):
        super().__init__(cover.window())
        self.setObjectName("dropOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.cover = cover
        self.message = ""
        cover.installEventFilter(self)
        self.hide()

    def _place(self) -> None:
        self.setGeometry(QRect(self.cover.mapTo(self.parentWidget(), QPoint(0, 0)), self.cover.size()))

    def show_message(self, message: str) -> None:
        self.message = message
        self._place()
        self.raise_()
        self.show()
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move) and self.isVisible():
            self._place()
        return False

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = self.palette().highlight().color()
        wash = QColor(accent)
        wash.setAlpha(28)
        frame = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        painter.setBrush(wash)
        pen = QPen(accent, 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRoundedRect(frame, 10, 10)
        if self.message:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 1.35)
            font.setBold(True)
            painter.setFont(font)
            metrics = painter.fontMetrics()
            width = min(frame.width() - 40, metrics.horizontalAdvance(self.message) + 48)
            box = QRectF(0, 0, width, metrics.height() * 2.4)
            box.moveCenter(frame.center())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(box, 8, 8)
            painter.setPen(self.palette().highlightedText().color())
            text = metrics.elidedText(self.message, Qt.TextElideMode.ElideMiddle, int(box.width()) - 24)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
