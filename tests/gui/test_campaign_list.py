"""The campaign list: counts, the status bar each row draws, and files dropped on a row."""

from pathlib import Path

import pytest
from drag_events import drag_enter_event, drag_move_event, drop_event
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from contactdesk.core.campaigns import create_campaign
from contactdesk.gui.campaign_list import STATUS_COLORS, CampaignListModel, CampaignListView
from contactdesk.gui.drop_target import campaign_name_for, check_drop
from contactdesk.gui.settings import use_settings_folder
from contactdesk.gui.worker import running_tasks
from contactdesk.store import db

INSERT = (
    "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
    " created_at, updated_at) VALUES (?, ?, '', '', '', '', '{}', ?, '2024-05-01', '2024-05-01')"
)


def add_contacts(campaign_id: int, statuses: dict[str, int], first_number: int = 0) -> None:
    rows, number = [], first_number
    for status, count in statuses.items():
        for _ in range(count):
            rows.append((campaign_id, f"+1415{campaign_id:03d}{number:04d}", status))
            number += 1
    with db.atomic():
        db.connection().executemany(INSERT, rows)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    use_settings_folder(tmp_path / "settings")
    yield
    assert running_tasks() == []


@pytest.fixture
def campaigns(db_path):
    first = create_campaign("Alpha calls")
    second = create_campaign("Beta leads")
    add_contacts(first.id, {"completed": 60, "failed": 20, "skipped": 0, "pending": 20})
    add_contacts(second.id, {"pending": 7})
    return first, second


@pytest.fixture
def view(qtbot, campaigns):
    model = CampaignListModel()
    model.refresh()
    view = CampaignListView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    view.select_campaign(campaigns[1].id)
    return view


def mime_for(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) if not str(p).startswith("http") else QUrl(str(p)) for p in paths])
    return mime


def row_center(view, row) -> QPoint:
    return view.visualRect(view.model().index(row)).center()


def drag_over(view, mime, pos) -> QDragMoveEvent:
    enter = drag_enter_event(pos, mime)
    QApplication.sendEvent(view.viewport(), enter)
    move = drag_move_event(pos, mime)
    QApplication.sendEvent(view.viewport(), move)
    return move


def drop_on(view, mime, pos) -> QDropEvent:
    """A whole drag: enter, move, drop (an item view ignores a drop that never entered)."""
    drag_over(view, mime, pos)
    drop = drop_event(pos, mime)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def test_each_campaign_shows_its_name_count_and_status_breakdown(view, campaigns):
    model = view.model()
    assert [model.data(model.index(row)) for row in range(2)] == ["Alpha calls", "Beta leads"]
    tip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "100 contacts" in tip
    assert "Completed: 60 (60%)" in tip and "Failed: 20 (20%)" in tip and "Pending: 20 (20%)" in tip
    assert model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole) == "Beta leads, 7 contacts"


def _bar_colors(view, row) -> set[str]:
    """The colours along the middle of the row's status bar, as drawn on screen."""
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.model().index(row))
    delegate = view.itemDelegate()
    y = rect.top() + delegate.PADDING + view.fontMetrics().height() + 6 + delegate.BAR_HEIGHT // 2
    return {QColor(image.pixel(x, y)).name() for x in range(rect.left() + 20, rect.right() - 20)}


def test_the_status_bar_is_drawn_in_the_status_colours(view):
    view.clearSelection()  # selection colours would blend in
    first = _bar_colors(view, 0)
    assert {STATUS_COLORS[s].name() for s in ("completed", "failed", "pending")} <= first
    assert STATUS_COLORS["skipped"].name() not in first  # none skipped: no sliver
    second = _bar_colors(view, 1)
    assert STATUS_COLORS["pending"].name() in second and STATUS_COLORS["completed"].name() not in second


def test_refresh_in_place_keeps_the_selection(view, campaigns):
    add_contacts(campaigns[1].id, {"completed": 3}, first_number=100)
    view.model().refresh()
    assert view.selected_campaign_id() == campaigns[1].id
    assert view.model().summary_by_id(campaigns[1].id).by_status["completed"] == 3


def test_files_dropped_on_a_row_go_to_that_campaign_with_a_highlight_while_dragging(qtbot, view, campaigns, tmp_path):
    csv_file = tmp_path / "leads.csv"
    csv_file.write_text("phone\n+14155550100\n")
    hovered = []
    view.dragHover.connect(hovered.append)
    move = drag_over(view, mime_for(csv_file), row_center(view, 0))
    assert move.isAccepted()
    assert view.drop_row == 0  # the hovered row is outlined
    assert hovered[-1] == "Drop to import leads.csv into “Alpha calls”"

    with qtbot.waitSignal(view.filesDropped) as dropped:
        drop_on(view, mime_for(csv_file), row_center(view, 0))
    assert dropped.args == [campaigns[0].id, [csv_file]]
    assert view.selected_campaign_id() == campaigns[0].id
    assert view.drop_row == -1 and hovered[-1] == ""


def test_drag_leaving_the_list_removes_the_highlight(view, tmp_path):
    csv_file = tmp_path / "a.tsv"
    csv_file.write_text("x")
    drag_over(view, mime_for(csv_file), row_center(view, 1))
    assert view.drop_row == 1
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())
    assert view.drop_row == -1


def test_a_picture_is_taken_and_handed_on_to_be_explained(qtbot, view, tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    hovering = []
    view.dragHover.connect(hovering.append)
    mime = mime_for(picture)  # the event does not own it: keep it alive
    enter = drag_enter_event(row_center(view, 0), mime)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    assert hovering[-1] == "photo.png cannot be imported: ContactDesk imports .csv, .tsv and .txt files."
    with qtbot.waitSignal(view.filesDropped) as dropped:
        drop_on(view, mime, row_center(view, 0))
    assert dropped.args[1] == [picture]  # the window explains it, as for a file chosen in the dialog


def test_a_mixed_drop_hands_on_the_csv_and_what_was_left_out(qtbot, view, campaigns, tmp_path):
    csv_file, picture = tmp_path / "LIST.CSV", tmp_path / "logo.png"
    csv_file.write_text("phone\n")
    picture.write_bytes(b"")
    with qtbot.waitSignal(view.filesDropped) as dropped:
        drop_on(view, mime_for(picture, csv_file), row_center(view, 1))
    assert dropped.args == [campaigns[1].id, [csv_file, picture]]


def test_what_a_drag_may_hold(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    text_file = tmp_path / "numbers.txt"
    text_file.write_text("")
    assert check_drop(mime_for(text_file)).paths == [text_file]
    assert "Folders cannot be imported" in check_drop(mime_for(folder)).reason
    assert "Only files on this computer" in check_drop(mime_for("https://example.com/x.csv")).reason
    no_urls = QMimeData()
    no_urls.setText("+1 415 555 0100")
    assert not check_drop(no_urls).ok and "Only files can be dropped here" in check_drop(no_urls).reason
    assert campaign_name_for(Path("/data/spring_leads 2024.csv")) == "spring leads 2024"


def test_the_bar_and_its_key_show_do_not_call_contacts(qtbot, db_path):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QPalette

    from contactdesk.core.campaigns import list_campaigns
    from contactdesk.gui.campaign_list import CampaignDelegate, legend_html
    from contactdesk.store import db

    campaign = create_campaign("Spring")
    with db.atomic():
        db.connection().executemany(
            "INSERT INTO contact (campaign_id, phone_number, phone_raw, name, email, company, variables, status,"
            " created_at, updated_at) VALUES (?, ?, '', '', '', '', '{}', ?, '2024-05-01', '2024-05-01')",
            [(campaign.id, f"+1212555{i:04d}", "do_not_call" if i < 5 else "pending") for i in range(10)],
        )
    [summary] = list_campaigns()
    image = QImage(200, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    CampaignDelegate()._paint_bar(painter, QRectF(0, 0, 200, 6), summary, False, QPalette())
    painter.end()
    row = [image.pixelColor(x, 3).name() for x in range(200)]
    # Half the contacts are on the do-not-call list: about half the bar shows it, the rest pending.
    assert 80 <= row.count(STATUS_COLORS["do_not_call"].name()) <= 120
    assert 80 <= row.count(STATUS_COLORS["pending"].name()) <= 120
    assert "Do&nbsp;not&nbsp;call" in legend_html()
