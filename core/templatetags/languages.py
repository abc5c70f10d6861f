"""English inside a page in another language: marked, so that screen readers
say it in English and an Urdu page keeps it left to right."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def english(text: str) -> SafeString:
    """``{{ service_name|english }}``: an English name inside translated text."""
    return format_html('<span lang="en" dir="ltr">{}</span>', text)
