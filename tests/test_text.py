"""Text from data or a URL is shown as typed: Markdown never runs it, links it or styles it."""
from __future__ import annotations

import re

import pytest

from monitor.text import ZWSP, md_escape, md_link

# What GitHub-flavoured Markdown would turn into a link if it saw it intact.
AUTOLINKABLE = re.compile(r"(?i)https?://|www\.|\w@\w")


@pytest.mark.parametrize("text", [
    "https://evil.example.com/login",  # a query value once became a clickable link inside a warning
    "see www.evil.example.com now",
    "write to admin@evil.example.com",
    "HTTP://SHOUTING.EXAMPLE",
])
def test_urls_and_addresses_in_text_never_become_links(text):
    shown = md_escape(text)
    assert not AUTOLINKABLE.search(shown.replace("\\", ""))
    assert shown.replace("\\", "").replace(ZWSP, "") == text  # and they still read exactly as typed


@pytest.mark.parametrize("text,shown", [
    ("plain words", "plain words"),
    ("<b>x</b>", "\\<b\\>x\\</b\\>"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"),
    (":material/home:", "\\:material/home\\:"),  # a Streamlit icon directive would fetch a font
])
def test_markdown_syntax_is_escaped(text, shown):
    assert md_escape(text) == shown


def test_sources_stay_real_links_with_inert_labels():
    assert md_link("https://www.dawn.com/news/1").startswith("[https\\:" + ZWSP + "//www" + ZWSP)
    assert md_link("https://www.dawn.com/news/1").endswith("](https://www.dawn.com/news/1)")
    assert md_link("javascript:alert(1)") == "javascript\\:alert\\(1\\)"
