"""Every file holding contact data is readable by its user only, like the database."""

import os
import stat
import subprocess
import sys


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_log_file_is_readable_by_its_user_only_also_after_rotating(tmp_path):
    script = (
        "import logging, sys\n"
        "from contactdesk.log import setup_logging\n"
        "path = setup_logging()\n"
        "for n in range(30000): logging.getLogger('x').warning('contact +12125550147 Ann %d', n)\n"
        "print(path)\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    log_file = done.stdout.strip()
    rotated = [p for p in os.listdir(os.path.dirname(log_file))]
    assert len(rotated) > 1  # it rotated
    for name in rotated:
        assert mode(os.path.join(os.path.dirname(log_file), name)) == 0o600, name
