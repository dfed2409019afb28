"""Search that ignores accents and case: ``muller`` finds Müller, ``MULLER`` and ``Muller``.

SQLite's LIKE already ignores the case of ASCII letters, so only contacts whose name, email
or company has a non-ASCII letter need a folded copy: ``contact.search_text`` holds it (empty
for the rest, which keeps the column small). An import fills it as it reads (core/contact_rows.py):
a ``str.isascii`` check per row, and Python folds only the other rows, with the contact's insert.
The migration that added the column fills it with one UPDATE, where a C-level GLOB picks the
non-ASCII rows.
"""

import unicodedata

FOLD_FUNCTION = "contactdesk_fold"
# Letters that do not decompose into a base letter and a mark.
_NO_DECOMPOSITION = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"})
# GLOB pattern for "has a character outside printable ASCII"; SQLite compares code points.
_NON_ASCII_GLOB = "'*[^' || char(1) || '-' || char(127) || ']*'"


def fold(text: str) -> str:
    """Lower case without accents: "Müller" -> "muller", "ØSTER" -> "oster", "Straße" -> "strasse"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_NO_DECOMPOSITION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _FoldedCharacters(dict):
    """Each character's fold, worked out the first time the character is met (for ``str.translate``)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        return folded


_FOLDED_CHARACTERS = _FoldedCharacters()


def fold_contact(name: str | None, email: str | None, company: str | None) -> str:
    """The folded copy stored for search: name, email and company on three lines.

    ``fold`` works character by character (case folding and NFKD decomposition do, and every
    combining mark is dropped, whatever order NFKD would put them in), so the text is folded
    by one ``str.translate`` through a table of the characters met so far: unique emails with
    accents cost no Python call per word. A plain ASCII part (most emails) is only lower-cased."""
    table = _FOLDED_CHARACTERS
    name, email, company = name or "", email or "", company or ""
    return "\n".join(
        (
            name.lower() if name.isascii() else name.translate(table),
            email.lower() if email.isascii() else email.translate(table),
            company.lower() if company.isascii() else company.translate(table),
        )
    )


def add_fold_function(database) -> None:
    """The fold function on every connection of a peewee database (the migrations use it too)."""
    database.register_function(fold_contact, FOLD_FUNCTION, 3, deterministic=True)


def fill_search_text_sql(where: str = "1") -> str:
    """The UPDATE that (re)fills ``search_text`` for the contacts matching ``where``."""
    return (
        f"UPDATE contact SET search_text = {FOLD_FUNCTION}(name, email, company)"
        f" WHERE ({where}) AND (name || email || company) GLOB {_NON_ASCII_GLOB}"
    )
