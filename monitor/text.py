"""Text from data made safe for Markdown: shown as typed, never run as HTML, links only for http(s)."""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from .schema import SOURCE_SEPARATOR

# Every character that Streamlit's Markdown gives a meaning: CommonMark punctuation, HTML, LaTeX ($) and
# colour/emoji directives (:red[...], :material/...:), which would otherwise fetch an icon font.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=])")
SAFE_URL_CHARS = "/:?&=#%@+,;~._-!*'"


# GitHub-flavoured Markdown turns bare URLs, www. names and e-mail addresses into links even when escaped: a
# zero-width space inside each such pattern keeps it looking the same and keeps it text.
ZWSP = "\u200b"
AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)")


def md_escape(text: object) -> str:
    """Text that Markdown shows literally, on one line, never as a link."""
    flat = AUTOLINK.sub(ZWSP, " ".join(str(text).split()))
    return MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url.strip())


def split_sources(text: str) -> list[str]:
    """The URLs of a `sources` cell."""
    return [u.strip() for u in str(text).split(SOURCE_SEPARATOR.strip()) if u.strip()]


def md_link(url: str, label: str | None = None) -> str:
    """A Markdown link for an http(s) URL, or the escaped text when it is anything else."""
    if not is_http_url(url):
        return md_escape(label or url)
    target = quote(url.strip(), safe=SAFE_URL_CHARS).replace("(", "%28").replace(")", "%29")
    return f"[{md_escape(label or url)}]({target})"
