"""Making manifest-supplied strings safe to show. Hosts, paths, header values, names and rule
paths come from untrusted manifests (and deployed templates may have been edited by hand)."""

from __future__ import annotations

# Characters that mean something inline in GitHub Markdown or HTML: emphasis, code, links and
# images, tables, HTML, math, issue references, mentions. They become numeric character
# references, which GitHub shows as the character itself.
_MARKDOWN = frozenset("\\`*_~[]<>&|!$#@")


def _control(c: str) -> bool:
    return ord(c) < 32 or 0x7F <= ord(c) < 0xA0


def _autolink(text: str, i: int) -> bool:
    """`scheme://` and `www.` would become links."""
    c = text[i]
    return (c == ":" and text.startswith("//", i + 1)) or (c == "." and text[max(0, i - 3) : i].lower() == "www")


def markdown(text: object) -> str:
    """Plain text for a Markdown table cell, list item or HTML element content: one line."""
    value = str(text)
    out = []
    for i, c in enumerate(value):
        if c in "\r\n\t":
            out.append(" ")
        elif c in _MARKDOWN or _control(c) or _autolink(value, i):
            out.append(f"&#{ord(c)};")
        else:
            out.append(c)
    return "".join(out)


def terminal(text: object) -> str:
    """No control characters (escape sequences could rewrite the terminal)."""
    return "".join(f"\\x{ord(c):02x}" if _control(c) else c for c in str(text))
