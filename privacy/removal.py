"""Removing forms and cases with everything recorded on them, in the order the
protecting links allow. One piece serves the retention purge and an import that
replaces a changed episode. Callers own the transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError

from audits.models import CaseAudit
from casework.models import Case, ImportedEpisode, SocialCareReferral
from casework.services.documents import case_documents_remove
from families.models import Family, Person
from family_connect.models import FamilyConnectForm, FormMember


def records_remove(
    *, forms: Collection[int], cases: Collection[int], households: bool = True
) -> tuple[Counter[str], list[str]]:
    """Delete the forms and the cases (assessment, plan, reviews, notes,
    closure, team, history, referrals, audits, documents and their files,
    import episodes), then (with
    ``households``) any household left with no case, form or other reference.
    A form outside the set that was closed as a duplicate of one inside it
    keeps its own record and loses the link. Returns the rows removed by model
    and the external ids of the import episodes removed."""
    removed: Counter[str] = Counter()

    def add(result: tuple[int, dict[str, int]]) -> None:
        removed.update({label: n for label, n in result[1].items() if n})

    families = set(
        Case.objects.filter(pk__in=cases).values_list("family_id", flat=True)
    )
    families |= set(
        FamilyConnectForm.objects.filter(
            pk__in=forms, family__isnull=False
        ).values_list("family_id", flat=True)
    )
    families |= set(
        FormMember.objects.filter(form_id__in=forms, person__isnull=False).values_list(
            "person__family_id", flat=True
        )
    )
    cleared = (
        FamilyConnectForm.objects.filter(duplicate_of__in=forms)
        .exclude(pk__in=forms)
        .update(duplicate_of=None)
    )
    if cleared:
        removed["family_connect.FamilyConnectForm.duplicate_of"] += cleared
    add(
        SocialCareReferral.objects.filter(
            Q(case_id__in=cases) | Q(form_id__in=forms)
        ).delete()
    )
    episodes = ImportedEpisode.objects.filter(form_id__in=forms)
    episode_ids = list(episodes.values_list("external_id", flat=True))
    add(episodes.delete())
    add(CaseAudit.objects.filter(case_id__in=cases).delete())
    # The documents' files go with their rows, once the removal commits.
    add(case_documents_remove(case_ids=cases))
    add(FamilyConnectForm.objects.filter(pk__in=forms).delete())
    add(Case.objects.filter(pk__in=cases).delete())
    for family_id in sorted(families - {None}) if households else []:
        add(family_remove_if_unused(family_id))
    return removed, episode_ids


def family_remove_if_unused(family_id: int) -> tuple[int, dict[str, int]]:
    """Delete a household and its people when no case, form, assessment,
    review, closure or referral refers to them any more; otherwise nothing."""
    if (
        Case.objects.filter(family_id=family_id).exists()
        or FamilyConnectForm.objects.filter(family_id=family_id).exists()
    ):
        return 0, {}
    try:
        with transaction.atomic():
            people = Person.objects.filter(family_id=family_id).delete()
            family = Family.objects.filter(pk=family_id).delete()
    except (ProtectedError, RestrictedError):
        return 0, {}  # someone in it is still named on another record
    merged = Counter(people[1]) + Counter(family[1])
    return people[0] + family[0], dict(merged)
