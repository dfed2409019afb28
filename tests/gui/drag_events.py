"""Drag and drop events as a person's drag makes them, built the way this Qt wants them.

Qt 6.12 takes the position of a drag-enter or drag-move event as a QPointF and deprecates the
QPoint form; the earlier releases the app still supports take only the QPoint.
"""

from functools import cache

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

COPY, LEFT, NO_MODIFIER = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


@cache
def _drag_takes_pointf() -> bool:
    try:
        QDragMoveEvent(QPointF(), COPY, QMimeData(), LEFT, NO_MODIFIER)
    except TypeError:
        return False
    return True


def _drag_position(pos: QPoint | QPointF) -> QPoint | QPointF:
    pos = QPointF(pos)
    return pos if _drag_takes_pointf() else pos.toPoint()


def drag_enter_event(pos: QPoint | QPointF, mime: QMimeData, actions=COPY, buttons=LEFT, modifiers=NO_MODIFIER):
    """The caller keeps ``mime`` alive: the event does not own it."""
    return QDragEnterEvent(_drag_position(pos), actions, mime, buttons, modifiers)


def drag_move_event(pos: QPoint | QPointF, mime: QMimeData, actions=COPY, buttons=LEFT, modifiers=NO_MODIFIER):
    return QDragMoveEvent(_drag_position(pos), actions, mime, buttons, modifiers)


def drop_event(pos: QPoint | QPointF, mime: QMimeData, actions=COPY, buttons=LEFT, modifiers=NO_MODIFIER):
    return QDropEvent(QPointF(pos), actions, mime, buttons, modifiers)
