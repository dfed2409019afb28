"""Counts in sentences, the same way in the CLI, the importer's messages and the window."""


def plural(count: int, one: str, many: str | None = None) -> str:
    """``plural(1, "contact")`` -> "1 contact"; ``plural(1200, "contact")`` -> "1,200 contacts"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


# Invisible characters that change how a name reads (zero-width, bidi embeddings and overrides,
# word joiners, BOM, soft hyphen): shown as their code so lookalike names can be told apart.
_INVISIBLE = frozenset(
    [0x00AD, 0x061C, 0x180E, 0xFEFF]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2065))
    + list(range(0x2066, 0x206A))
)
_SHOW_INVISIBLE = {code: f"[U+{code:04X}]" for code in _INVISIBLE}


def visible(text: str) -> str:
    """``text`` with invisible and direction-changing characters written out: "Ann\u202e" -> "Ann[U+202E]"."""
    return text.translate(_SHOW_INVISIBLE)


def quoted(name: str) -> str:
    """A name inside a sentence, in the one quote style of the window: “Spring outreach”."""
    return f"“{visible(name)}”"
