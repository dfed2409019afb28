"""Choosing a menu command with the mouse, as a person does: click the menu's title, then the item."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu


def _plain(text: str) -> str:
    return text.replace("&", "").split("\t")[0]


def click_item(qtbot, menu: QMenu, *path: str) -> None:
    """Click ``path`` (an item, or submenu titles then an item) in the open ``menu``."""
    qtbot.waitUntil(menu.isVisible)
    for position, text in enumerate(path):
        action = next((a for a in menu.actions() if _plain(a.text()) == text), None)
        assert action is not None, f"no item {text!r} in {[_plain(a.text()) for a in menu.actions()]}"
        assert action.isEnabled(), f"{text!r} is disabled"
        QTest.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        if position < len(path) - 1:
            menu = action.menu()
            qtbot.waitUntil(menu.isVisible)
    QApplication.processEvents()


def choose(qtbot, window, title: str, *path: str) -> None:
    """Click ``title`` in the menu bar, then the item (through submenus): ``choose(qtbot, w, "Campaign", "Rename Campaign…")``."""
    assert window.isVisible(), "show the window first: its menus are clicked"
    bar = window.menuBar()
    top = next(a for a in bar.actions() if _plain(a.text()) == title)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    click_item(qtbot, top.menu(), *path)


def right_click(qtbot, panel, *path: str, row: int = 0) -> None:
    """Right-click ``row`` of the contacts table (a real context-menu event), then click ``path`` in its menu."""
    view = panel.view
    pos = view.visualRect(view.model().index(row, 0)).center() + QPoint(4, 0)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    click_item(qtbot, panel.context_menu, *path)
