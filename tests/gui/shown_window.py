"""A main window shown as a person sees it, for the GUI tests."""


def show_window(qtbot, window, size: tuple[int, int] | None = None):
    """Show a main window as a person sees it: exposed, at ``size``, its contacts loaded."""
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.contacts.model.is_loading())
    return window
