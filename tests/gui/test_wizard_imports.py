"""The wizard's pages do not import each other: what they share lives in modules of its own."""

import ast
from pathlib import Path

import contactdesk.gui.wizard as wizard_package

WIZARD = Path(wizard_package.__file__).parent
PAGES = {"preview_page", "mapping_page", "check_page", "import_page"}


def _imported_siblings(module: Path) -> set[str]:
    """Sibling modules imported at run time (imports for type checkers only are left out)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:  # module level only: `if TYPE_CHECKING:` blocks are not run
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.add(node.module)
    return found


def test_no_wizard_page_imports_another_page():
    for page in PAGES:
        assert _imported_siblings(WIZARD / f"{page}.py") & PAGES == set(), page


def test_the_pages_share_styles_and_outcome_texts_from_their_own_modules():
    assert "styles" in _imported_siblings(WIZARD / "check_page.py")
    assert "outcome_text" in _imported_siblings(WIZARD / "check_page.py")
    assert "styles" in _imported_siblings(WIZARD / "mapping_page.py")
