"""What a change of role or localities takes away.

Access to records is granted by the apps that hold them (team places and case
grants in ``casework``, audit assignments in ``audits``), which sit above
``accounts``. So that ``user_save`` can revisit that access without importing
them, each of those apps registers one function here from its
``AppConfig.ready()``; ``user_save`` calls every registered function, in the
order they were registered (the order of ``INSTALLED_APPS``, lower layers
first), inside its own transaction, whenever a user's role or localities
change.

A revisit function removes what the new role and localities cannot hold and
returns a line for each thing it removed (for the change log). It raises
``core.errors.InvalidInput`` to refuse the change; the whole save is then
rolled back and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class RoleChange:
    """A user's role and localities before and after a save. ``user`` is
    already saved with the new role and localities."""

    user: User
    actor: User | None
    role_before: str
    role_after: str
    localities_before: frozenset[int]
    localities_after: frozenset[int]

    @property
    def changed(self) -> bool:
        return (self.role_before, self.localities_before) != (
            self.role_after,
            self.localities_after,
        )


Revisit = Callable[[RoleChange], list[str]]

_revisits: dict[str, Revisit] = {}


def access_revisit_register(name: str, revisit: Revisit) -> None:
    """Register (or replace, so a reloaded app registers once) a revisit."""
    _revisits[name] = revisit


def access_revisit(change: RoleChange) -> list[str]:
    """Run every registered revisit; what they removed, in order. Preconditions:
    inside the caller's transaction, with the user's row locked."""
    removed: list[str] = []
    for revisit in _revisits.values():
        removed += revisit(change)
    return removed


def access_revisit_names() -> list[str]:
    return list(_revisits)
