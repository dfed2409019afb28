"""User data (campaign names, file names, CSV cells, headers) is shown as text, never as markup.

A QLabel guesses: text that looks like HTML is drawn as HTML, so a cell holding
``<img src=x width=30000 height=30000>`` would allocate a 30000x30000 image, and
``<h1><font color=red>`` would restyle the window. Labels showing user data are set to
``Qt.PlainText``; tooltips cannot be, so their text is escaped into rich text here.
"""

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace

from ..core.wording import visible


def tooltip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` exactly as written, whatever it contains."""
    if not text:
        return text
    return QtGuiNamespace.convertFromPlainText(visible(text), Qt.WhiteSpaceMode.WhiteSpaceNormal)
