"""Phone numbers as tap-to-call links."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def tel(number: str) -> SafeString:
    """``{% tel "0121 303 1888" as front_door %}``: a link a phone dials when
    tapped. Written left to right, so that an Urdu page keeps the groups of
    digits in their order."""
    dialled = "".join(c for c in number if c.isdigit() or c == "+")
    return format_html(
        '<a class="govuk-link" href="tel:{}" dir="ltr">{}</a>', dialled, number
    )
