"""Is there a screen to open the window on? Asked before Qt starts: without a display,
Qt's platform plugin aborts the process (exit 134) with a message about libxcb-cursor0."""

import ctypes
import ctypes.util
import os
import sys

NO_DISPLAY_TEXT = (
    "ContactDesk's window needs a desktop session, and none was found (DISPLAY and WAYLAND_DISPLAY {detail}); "
    "every task also works from the command line: contactdesk --help"
)
# Platforms that draw without a desktop session (tests, remote access, screenshots).
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def missing_display(environ=None, platform: str = sys.platform) -> str | None:
    """The one-line reason the window cannot open here, or None when it can (or we cannot tell)."""
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return None
    requested = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip().lower()
    if requested in _HEADLESS_PLATFORMS:
        return None
    wayland, x11 = environ.get("WAYLAND_DISPLAY", ""), environ.get("DISPLAY", "")
    if requested.startswith("wayland"):
        return None if wayland else NO_DISPLAY_TEXT.format(detail="are not set")
    if wayland and not requested:
        return None
    if not x11:
        return NO_DISPLAY_TEXT.format(detail="are not set")
    if not _x11_reachable(x11):
        return NO_DISPLAY_TEXT.format(detail=f"name {x11!r}, which does not answer")
    return None


def _x11_reachable(display: str) -> bool:
    """Connect to the X server the way Qt will (libxcb); True when libxcb is not there to ask."""
    name = ctypes.util.find_library("xcb")
    if not name:
        return True
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = (ctypes.c_char_p, ctypes.c_void_p)
    xcb.xcb_connection_has_error.argtypes = (ctypes.c_void_p,)
    xcb.xcb_disconnect.argtypes = (ctypes.c_void_p,)
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(connection) and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
