"""Files the app ships beside its code: the icon and the Linux desktop-integration files.

They live in ``src/contactdesk/resources/`` and travel with the package, so one lookup works
in every way ContactDesk runs:

- from a checkout or an editable install: next to this module in the source tree;
- from a wheel (``pip install .``): next to this module in site-packages (package data);
- frozen by PyInstaller: ``sys._MEIPASS/contactdesk/resources``, where packaging/contactdesk.spec
  puts them.

No Qt here: the CLI and the tests use it too.
"""

import sys
from pathlib import Path

RESOURCES_PACKAGE_DIR = "resources"
APP_ID = "io.contactdesk.ContactDesk"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def resources_dir() -> Path:
    """The folder that holds ``icons/`` and ``linux/``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "contactdesk" / RESOURCES_PACKAGE_DIR
    return Path(__file__).resolve().parent / RESOURCES_PACKAGE_DIR


def get_asset(relative: str) -> Path:
    """The path of a shipped file, e.g. ``get_asset("icons/contactdesk.svg")``.

    Raises FileNotFoundError (naming the folder searched) when the file is not there, which
    means a packaging mistake; a caller for whom the file is only cosmetic may catch it.
    """
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts:
        raise ValueError(f"an asset path is relative to the resources folder: {relative!r}")
    path = resources_dir().joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(f"asset {relative!r} is not in {resources_dir()}")
    return path


def app_icon_files() -> list[Path]:
    """The app icon's PNG renders, smallest first (for ``QIcon.addFile``), that are present."""
    folder = resources_dir() / "icons"
    return [path for size in ICON_SIZES if (path := folder / f"contactdesk-{size}.png").is_file()]
