"""Reading a page's GOV.UK error summary in tests: every problem listed, each
a link to the field it is about."""

from __future__ import annotations

import html
import re


def error_summary(page: bytes | str) -> list[tuple[str, str]]:
    """The (field id, message) of each link in the page's error summary; fails
    the test when a link points at nothing on the page."""
    text = page.decode() if isinstance(page, bytes) else page
    match = re.search(
        r'<div class="govuk-error-summary".*?<ul[^>]*>(.*?)</ul>', text, re.DOTALL
    )
    if match is None:
        return []
    links = [
        (target, html.unescape(re.sub(r"\s+", " ", message).strip()))
        for target, message in re.findall(
            r'<a href="#([^"]*)">(.*?)</a>', match.group(1), re.DOTALL
        )
    ]
    for target, message in links:
        assert f'id="{target}"' in text, f"{message!r} links to #{target}: not found"
    return links


def summary_messages(page: bytes | str) -> list[str]:
    return [message for _, message in error_summary(page)]
