"""What the batched path has made for each episode of a batch."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from casework.models import Case, ImportedEpisode
from families.models import Family
from family_connect.models import FamilyConnectForm
from records_import.episodes import Episode


@dataclass(slots=True)
class Written:
    """What the batch has made for one episode, in the order it is made."""

    episode: Episode
    digest: str
    family: Family
    decider: User | None = None
    system: User | None = None  # the import's own user, where it acts
    lead: User | None = None  # only for an allocated episode
    auditors: list[User] = field(default_factory=list)
    case: Case | None = None
    form: FamilyConnectForm = field(init=False)
    imported: ImportedEpisode = field(init=False)
