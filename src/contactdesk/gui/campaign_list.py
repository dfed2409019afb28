"""The campaign list: a model of campaign summaries, a delegate that draws each campaign's
progress as a small status bar, and the view that takes dropped files onto a campaign."""

from PySide6.QtCore import QAbstractListModel, QModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..core.campaigns import CampaignSummary, list_campaigns
from ..core.wording import plural, quoted, visible
from ..store.statuses import BAR_ORDER
from ..store.statuses import TABLE as STATUS_TABLE
from .drop_target import check_drop
from .plain_text import tooltip

_ROOT = QModelIndex()  # the invisible root: the list is flat

# Labels, colours and the bar's order come from the one status table (store/statuses.py).
STATUS_COLORS = {status.name: QColor(status.colour) for status in STATUS_TABLE}
STATUS_LABELS = {status.name: status.label for status in STATUS_TABLE}
# The statuses every campaign's tooltip lists; do not call is added when some contacts have it.
STATUS_ORDER = tuple(name for name in BAR_ORDER if name != "do_not_call")

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
CALLABLE_ROLE = Qt.ItemDataRole.UserRole + 3  # pending contacts callable now (None: not known yet)


def status_breakdown(summary: CampaignSummary) -> str:
    """Plain-text tooltip: every status with its count and share."""
    lines = [summary.name, plural(summary.total_contacts, "contact")]
    # Do not call only when some are: the shares then still add up to the whole campaign.
    shown = (*STATUS_ORDER, "do_not_call") if summary.by_status.get("do_not_call") else STATUS_ORDER
    for status in shown:
        count = summary.by_status.get(status, 0)
        share = f" ({count * 100 / summary.total_contacts:.0f}%)" if summary.total_contacts else ""
        lines.append(f"■ {STATUS_LABELS[status]}: {count:,}{share}")
    return "\n".join(lines)


def legend_html() -> str:
    """The colour key shown under the list; it wraps between entries, never inside one."""
    return " &nbsp;".join(
        f"<span style='color:{STATUS_COLORS[s].name()}'>■</span>&nbsp;{STATUS_LABELS[s].replace(' ', '&nbsp;')}"
        for s in BAR_ORDER
    )


class CampaignListModel(QAbstractListModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._summaries: list[CampaignSummary] = []
        self._callable: dict[int, int] | None = None

    def set_callable_counts(self, counts: dict) -> None:
        """How many pending contacts of each campaign may be called now (gui/calling_now.py)."""
        if counts != self._callable:
            self._callable = dict(counts)
            if self._summaries:
                self.dataChanged.emit(self.index(0), self.index(len(self._summaries) - 1))

    def refresh(self) -> None:
        self.set_summaries(list_campaigns())

    def set_summaries(self, summaries: list[CampaignSummary]) -> None:
        # Same campaigns in the same order (the common case after an import): update in place,
        # so the view keeps its selection and scroll position.
        if [s.id for s in summaries] == [s.id for s in self._summaries]:
            self._summaries = list(summaries)
            if summaries:
                self.dataChanged.emit(self.index(0), self.index(len(summaries) - 1))
            return
        self.beginResetModel()
        self._summaries = list(summaries)
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._summaries)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._summaries):
            return None
        summary = self._summaries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                visible(summary.name)
                if role == Qt.ItemDataRole.DisplayRole
                else f"{visible(summary.name)}, {plural(summary.total_contacts, 'contact')}"
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(status_breakdown(summary))
        if role == SUMMARY_ROLE:
            return summary
        if role == ID_ROLE:
            return summary.id
        if role == CALLABLE_ROLE:
            return None if self._callable is None else self._callable.get(summary.id, 0)
        return None

    def summary(self, row: int) -> CampaignSummary | None:
        return self._summaries[row] if 0 <= row < len(self._summaries) else None

    def summary_by_id(self, campaign_id: int | None) -> CampaignSummary | None:
        return next((s for s in self._summaries if s.id == campaign_id), None)

    def row_of(self, campaign_id: int | None) -> int:
        return next((row for row, s in enumerate(self._summaries) if s.id == campaign_id), -1)

    def summaries(self) -> list[CampaignSummary]:
        return list(self._summaries)


class CampaignDelegate(QStyledItemDelegate):
    """Name and contact count on the first line, the status bar under them, a short caption last."""

    PADDING = 10
    BAR_HEIGHT = 6

    def __init__(self, parent=None):
        super().__init__(parent)
        self.painted_captions: dict[int, str] = {}  # row -> the caption last drawn (what is on screen)

    def sizeHint(self, option, index) -> QSize:
        metrics = option.fontMetrics
        height = self.PADDING * 2 + metrics.height() * 2 + self.BAR_HEIGHT + 12
        return QSize(220, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        summary: CampaignSummary | None = index.data(SUMMARY_ROLE)
        if summary is None:
            return super().paint(painter, option, index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        active = bool(option.state & QStyle.StateFlag.State_Active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = option.palette.color(group, role)
        muted = QColor(text_color)
        muted.setAlphaF(0.72)

        rect = option.rect.adjusted(self.PADDING + 2, self.PADDING, -self.PADDING - 2, -self.PADDING)
        metrics = option.fontMetrics
        line = metrics.height()

        count_text = plural(summary.total_contacts, "contact")
        painter.setFont(option.font)
        count_width = metrics.horizontalAdvance(count_text)
        painter.setPen(muted)
        painter.drawText(
            QRectF(rect.right() - count_width, rect.top(), count_width, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            count_text,
        )
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        name_width = rect.width() - count_width - 12
        name = painter.fontMetrics().elidedText(visible(summary.name), Qt.TextElideMode.ElideRight, name_width)
        painter.setPen(text_color)
        painter.drawText(
            QRectF(rect.left(), rect.top(), name_width, line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name,
        )

        bar = QRectF(rect.left(), rect.top() + line + 6, rect.width(), self.BAR_HEIGHT)
        self._paint_bar(painter, bar, summary, selected, option.palette)

        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.88))
        painter.setFont(small)
        painter.setPen(muted)
        caption = self._fitting_caption(summary, index.data(CALLABLE_ROLE), painter.fontMetrics(), rect.width())
        self.painted_captions[index.row()] = caption
        painter.drawText(
            QRectF(rect.left(), bar.bottom() + 4, rect.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            caption,
        )

        view = opt.widget
        if getattr(view, "drop_row", -1) == index.row():
            accent = option.palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(accent.darker(130) if selected else accent)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = painter.pen()
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(option.rect).adjusted(2, 2, -2, -2), 6, 6)
        painter.restore()

    def _fitting_caption(self, summary: CampaignSummary, callable_now: int | None, metrics, width: int) -> str:
        """The longest caption that fits: in a narrow list the failed count and the share done go
        before the callable count does (the full breakdown is in the tooltip)."""
        captions = self._captions(summary, callable_now)
        for caption in captions:
            if metrics.horizontalAdvance(caption) <= width:
                return caption
        return metrics.elidedText(captions[-1], Qt.TextElideMode.ElideRight, width)

    @classmethod
    def _captions(cls, summary: CampaignSummary, callable_now: int | None) -> list[str]:
        full = cls._caption(summary, callable_now)
        pending = summary.by_status.get("pending", 0)
        if not summary.total_contacts or callable_now is None or not pending:
            return [full]
        done = (summary.total_contacts - pending) * 100 // summary.total_contacts
        return [
            full,
            f"{done}% done · {pending:,} pending ({callable_now:,} callable now)",
            f"{pending:,} pending · {callable_now:,} callable now",
            f"{callable_now:,} callable now",
        ]

    @staticmethod
    def _caption(summary: CampaignSummary, callable_now: int | None = None) -> str:
        if not summary.total_contacts:
            return "No contacts yet: drop a CSV file here"
        pending = summary.by_status.get("pending", 0)
        done = summary.total_contacts - pending
        share = done * 100 // summary.total_contacts
        failed = summary.by_status.get("failed", 0)
        parts = [f"{share}% done", f"{pending:,} pending"]
        if callable_now is not None and pending:
            parts[1] = f"{pending:,} pending ({callable_now:,} callable now)"
        if failed:
            parts.append(f"{failed:,} failed")
        return " · ".join(parts)

    def _paint_bar(self, painter: QPainter, bar: QRectF, summary: CampaignSummary, selected: bool, palette) -> None:
        track = QColor(palette.color(QPalette.ColorRole.Mid))
        track.setAlpha(70)
        radius = self.BAR_HEIGHT / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(bar, radius, radius)
        total = summary.total_contacts
        if not total:
            return
        painter.save()
        clip = QRectF(bar)
        painter.setClipRect(clip)
        x = bar.left()
        for status in BAR_ORDER:
            count = summary.by_status.get(status, 0)
            if not count:
                continue
            width = max(2.0, bar.width() * count / total)  # a sliver stays visible
            painter.setBrush(STATUS_COLORS[status])
            painter.drawRect(QRectF(x, bar.top(), min(width, bar.right() - x), bar.height()))
            x += width
        painter.restore()
        if selected:  # a thin outline keeps the bar readable on the selection colour
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QColor(255, 255, 255, 160))
            painter.drawRoundedRect(bar, radius, radius)


class CampaignListView(QListView):
    """objectName campaignList. Files dropped on a row go to that campaign."""

    filesDropped = Signal(int, list)  # campaign id (0: not over a campaign), list[Path]
    dropRefused = Signal(str)  # why, for the status bar
    dragHover = Signal(str)  # what a drop here would do ("" when the drag left)

    EMPTY_HINT = "No campaigns yet.\n\nCreate a campaign (Ctrl+N)\nor drop a CSV file here."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("campaignList")
        self.setAccessibleName("Campaigns")
        self.setItemDelegate(CampaignDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.drop_row = -1
        self._dragged_paths: list = []
        self._refusal = ""

    # Drag and drop ------------------------------------------------------------------------
    def _row_for(self, event) -> int:
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            return index.row()
        return self.currentIndex().row()

    def _set_drop_row(self, row: int) -> None:
        if row != self.drop_row:
            self.drop_row = row
            self.viewport().update()

    def dragEnterEvent(self, event) -> None:
        check = check_drop(event.mimeData())
        if not check.droppable:
            event.ignore()
            self.dropRefused.emit(check.reason)
            return
        self._dragged_paths = check.paths
        self._refusal = "" if check.ok else check.reason
        event.acceptProposedAction()
        self._hover(event)

    def dragMoveEvent(self, event) -> None:
        if not check_drop(event.mimeData()).droppable:
            event.ignore()
            return
        event.acceptProposedAction()
        self._hover(event)

    def _hover(self, event) -> None:
        row = self._row_for(event)
        self._set_drop_row(row)
        summary = self.model().summary(row) if row >= 0 else None
        files = self._dragged_paths
        if not files:  # only files that cannot be imported: say why now; the drop explains again
            self.dragHover.emit(self._refusal)
            return
        what = files[0].name if len(files) == 1 else plural(len(files), "file")
        if summary is not None:
            self.dragHover.emit(f"Drop to import {what} into {quoted(summary.name)}")
        else:
            self.dragHover.emit(f"Drop to create a campaign and import {what}")

    def dragLeaveEvent(self, event) -> None:
        self._set_drop_row(-1)
        self.dragHover.emit("")
        event.accept()

    def dropEvent(self, event) -> None:
        check = check_drop(event.mimeData())
        row = self._row_for(event)
        self._set_drop_row(-1)
        self.dragHover.emit("")
        if not check.droppable:
            event.ignore()
            self.dropRefused.emit(check.reason)
            return
        event.acceptProposedAction()
        summary = self.model().summary(row) if row >= 0 else None
        if summary is not None and check.ok:
            self.setCurrentIndex(self.model().index(row))
        # Files that cannot be imported go along: the window explains them as the file dialog's do.
        self.filesDropped.emit(summary.id if summary else 0, check.dropped())

    # Empty state --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0:
            painter = QPainter(self.viewport())
            color = self.palette().color(QPalette.ColorRole.Text)
            color.setAlphaF(0.6)
            painter.setPen(color)
            area = self.viewport().rect().adjusted(16, 24, -16, -16)
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                self.EMPTY_HINT,
            )

    def selected_campaign_id(self) -> int | None:
        # The current index is the one source of truth: a mouse click moves it before the
        # selection follows, so reading the selection in currentRowChanged sees the old row.
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_campaign(self, campaign_id: int | None) -> bool:
        row = self.model().row_of(campaign_id)
        if row < 0:
            return False
        index = self.model().index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True
