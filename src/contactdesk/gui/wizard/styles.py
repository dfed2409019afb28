"""How the wizard's pages look: the label styles and rich-text helpers the pages share."""

import html

ERROR_STYLE = (
    "QLabel { background: #fdecea; border: 1px solid #f1aeb5; border-radius: 4px; padding: 8px; color: #842029; }"
)
NOTE_STYLE = (
    "QLabel { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px; padding: 6px 8px; color: #5d4300; }"
)
CANCELLED_STYLE = (
    "QLabel { background: #fff8e1; border: 1px solid #f0d48a; border-radius: 4px; padding: 8px; color: #5d4300; }"
)


def bullet_list_html(items: list[str], bullet: str = "⚠") -> str:
    """Rich text for a list whose wrapped lines line up under the text, not under the bullet."""
    rows = "".join(
        f"<tr><td style='padding-right:6px'>{bullet}</td><td>{html.escape(item)}</td></tr>" for item in items
    )
    return f"<table cellspacing='0' cellpadding='1'>{rows}</table>"
