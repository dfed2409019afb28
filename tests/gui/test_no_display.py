"""Starting the window where there is no screen: one clear line and exit 1, never Qt's abort."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is how Linux finds a screen")


def start_window(tmp_path, **display) -> subprocess.CompletedProcess:
    env = {
        key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(display)
    env.update(
        CONTACTDESK_DB=str(tmp_path / "contacts.sqlite3"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_RUNTIME_DIR=str(tmp_path / "run"),
    )
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "contactdesk"], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("display", [{}, {"DISPLAY": ":87"}], ids=["no DISPLAY", "DISPLAY that does not answer"])
def test_without_a_display_the_window_says_so_in_one_line(tmp_path, display):
    done = start_window(tmp_path, **display)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "needs a desktop session" in lines[0]
    assert "contactdesk --help" in lines[0]
    assert "xcb-cursor" not in done.stderr
    assert not (tmp_path / "contacts.sqlite3").exists()  # nothing was started
