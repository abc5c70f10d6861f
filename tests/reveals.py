"""Reading a page's GOV.UK conditional reveals in tests: which option controls
which reveal, what each reveal asks, and which options are checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}
_FIELDS = {"input", "select", "textarea"}


@dataclass
class Reveals:
    # option input id → the id of the reveal it opens (``data-aria-controls``)
    controls: dict[str, str] = field(default_factory=dict)
    # reveal id → ids of the inputs, selects and textareas inside it
    asks: dict[str, list[str]] = field(default_factory=dict)
    # reveal id → ids of the error messages inside it
    errors: dict[str, list[str]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    disabled: list[str] = field(default_factory=list)

    def open_on_load(self) -> set[str]:
        """The reveals GOV.UK Frontend shows when the page loads: those whose
        option is checked."""
        return {self.controls[i] for i in self.checked if i in self.controls}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found = Reveals()
        self._stack: list[tuple[str, str | None]] = []

    def _inside(self) -> list[str]:
        return [reveal for _, reveal in self._stack if reveal]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        ident = a.get("id", "")
        if tag == "input" and "data-aria-controls" in a:
            self.found.controls[ident] = a["data-aria-controls"]
        if tag == "input" and "checked" in a:
            self.found.checked.add(ident)
        if tag in _FIELDS and ("disabled" in a or "readonly" in a):
            self.found.disabled.append(ident or a.get("name", ""))
        if tag in _FIELDS and ident:
            for inside in self._inside():
                self.found.asks[inside].append(ident)
        if "govuk-error-message" in a.get("class", "").split() and ident:
            for inside in self._inside():
                self.found.errors[inside].append(ident)
        if tag in _VOID:
            return
        classes = a.get("class", "").split()
        conditional = any(
            c in classes
            for c in ("govuk-radios__conditional", "govuk-checkboxes__conditional")
        )
        if conditional:
            self.found.asks[ident] = []
            self.found.errors[ident] = []
        self._stack.append((tag, ident if conditional else None))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return


def reveals(page: bytes | str) -> Reveals:
    parser = _Parser()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    return parser.found
