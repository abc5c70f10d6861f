"""How every view declares who may reach it.

Each view carries one declaration, checked by the access meta-test
(``tests/test_access_matrix.py``), which walks the URL resolver and fails on a
view without one:

- ``public(reason)``: reachable without signing in (the public form, signing
  in, the health check), with the reason written down;
- ``signed_in(reason)``: any signed-in user, for pages about the user's own
  account that show no case records;
- ``scoped(*choke_points)``: everything else. The view reaches its records, or
  is allowed at all, only through the named functions of an app's
  ``access.py`` — the one choke point per resource (STYLE.md).

The declaration is data, not a check: the checks are the choke points
themselves, and the access matrix test asserts what each role gets from each
URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

V = TypeVar("V")

Kind = Literal["public", "signed_in", "scoped"]


@dataclass(frozen=True)
class Access:
    kind: Kind
    reason: str = ""
    choke_points: tuple[str, ...] = ()


def _declare(access: Access) -> Callable[[V], V]:
    def declare(view: V) -> V:
        # Function views keep it through functools.wraps; class-based views
        # carry it on the class, which as_view() exposes.
        setattr(view, "access", access)  # noqa: B010
        return view

    return declare


def public(reason: str) -> Callable[[V], V]:
    return _declare(Access("public", reason=reason))


def signed_in(reason: str) -> Callable[[V], V]:
    return _declare(Access("signed_in", reason=reason))


def scoped(*choke_points: Callable[..., Any]) -> Callable[[V], V]:
    names = tuple(f"{f.__module__}.{f.__qualname__}" for f in choke_points)
    return _declare(Access("scoped", choke_points=names))


def access_of(callback: Any) -> Access | None:
    """The declaration of a resolved URL's view, whether a function or a
    class-based view."""
    for holder in (
        callback,
        getattr(callback, "view_class", None),
        getattr(callback, "cls", None),
    ):
        access = getattr(holder, "access", None)
        if isinstance(access, Access):
            return access
    return None
