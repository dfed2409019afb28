"""Text for the terminal, shared by the command modules: user strings never act on the terminal."""

import sys


def shown(text: str) -> str:
    """``text`` for a terminal: control and formatting characters (escape sequences, bidi
    overrides) are written as escapes instead of acting on the terminal."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def say(message: str) -> None:
    """A message for people on stderr, each line escaped (line breaks stay line breaks)."""
    print("\n".join(shown(line) for line in str(message).split("\n")), file=sys.stderr)
