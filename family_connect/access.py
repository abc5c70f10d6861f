"""Who may submit which kind of form, and who may see which forms.

The one choke point for Family Connect Forms: every list, detail, API and export
resolves forms through ``form_queryset_for_user`` / ``form_get_for_user``. Scope
fails closed: no role, no organisation or no locality means nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from accounts.access import Viewer, active_user, has_localities, locality_scope
from accounts.models import OrganisationKind
from accounts.roles import Role
from family_connect.models import FamilyConnectForm, Route

SCHOOL_KINDS = frozenset(
    {OrganisationKind.SCHOOL, OrganisationKind.NURSERY, OrganisationKind.COLLEGE}
)


def routes_for_user(user: Viewer | None) -> list[str]:
    """The routes this user may submit a form by, the usual one first.

    Families (no account) use the public route; requesters submit for their
    organisation; locality staff key phone calls; children's trust users step
    families down from social care; bulk lists come from requesters and managers.
    """
    if not active_user(user):
        return [Route.FAMILY]
    organisation = user.organisation
    childrens_trust = (
        organisation is not None
        and organisation.kind == OrganisationKind.CHILDRENS_TRUST
    )
    routes: list[str] = []
    if user.role == Role.REQUESTER and organisation is not None:
        routes.append(
            Route.SCHOOL if organisation.kind in SCHOOL_KINDS else Route.PROFESSIONAL
        )
    elif user.role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER):
        routes.append(Route.PHONE)
    if routes and childrens_trust:
        routes.append(Route.STEP_DOWN)
    return routes


def may_bulk_upload(user: Viewer | None) -> bool:
    return active_user(user) and (
        (user.role == Role.REQUESTER and user.organisation_id is not None)
        or user.role == Role.LOCALITY_MANAGER
    )


def form_queryset_for_user(user: Viewer) -> QuerySet[FamilyConnectForm]:
    """Every form this user may see.

    Requesters: their organisation's forms. Practitioners: the forms they keyed or
    requested. Locality managers: forms in their localities, and the city-wide
    unresolved queue when given city-wide triage. Everyone else: none.
    """
    forms = FamilyConnectForm.objects.all()
    if not active_user(user) or not user.is_active:
        return forms.none()
    if user.role == Role.REQUESTER:
        if user.organisation_id is None:
            return forms.filter(requester=user)
        return forms.filter(organisation_id=user.organisation_id)
    if user.role == Role.PRACTITIONER:
        return forms.filter(Q(requester=user) | Q(entered_by=user))
    if user.role == Role.LOCALITY_MANAGER:
        if not has_localities(user):
            return forms.none()
        in_scope = Q(locality_id__in=locality_scope(user))
        if triages_citywide(user):
            in_scope |= Q(locality__isnull=True)
        return forms.filter(in_scope)
    return forms.none()


CITYWIDE_TRIAGE = "family_connect.triage_citywide"
CITYWIDE_KNOWN = "_triages_citywide"


def triages_citywide(user: Viewer) -> bool:
    """A locality manager given the city-wide unresolved queue (a permission an
    administrator grants, directly or through a group)."""
    if not (
        active_user(user) and user.is_active and user.role == Role.LOCALITY_MANAGER
    ):
        return False
    # Asked several times a page: read once for the request's user (as
    # ``has_perm`` keeps what it read), by one query for this permission
    # rather than two for all of the user's.
    known = getattr(user, CITYWIDE_KNOWN, None)
    if known is None:
        app_label, codename = CITYWIDE_TRIAGE.split(".")
        known = user.is_superuser or (
            Permission.objects.filter(
                Q(user=user) | Q(group__user=user),
                content_type__app_label=app_label,
                codename=codename,
            ).exists()
        )
        setattr(user, CITYWIDE_KNOWN, known)
    return bool(known)


def form_get_for_user(user: Viewer, reference: str) -> FamilyConnectForm | None:
    """The form with this reference if the user may see it; else None (as 404)."""
    return (
        form_queryset_for_user(user)
        .select_related(
            "locality", "organisation", "requester", "decision", "duplicate_of"
        )
        .filter(reference=str(reference).upper())
        .first()
    )


def form_shows_details(user: Viewer, form: FamilyConnectForm) -> bool:
    """Whether the user may read the family's details on a form they can see, or
    only its reference, status and decision.

    Requesters read the details of the forms they sent or keyed in themselves;
    for the rest of their organisation's forms they see the status and decision
    only. Staff reach forms only through ``form_queryset_for_user`` and see them
    whole.
    """
    return shows_details(user, form.requester_id, form.entered_by_id)


def shows_details(
    user: Viewer, requester_id: int | None, entered_by_id: int | None
) -> bool:
    """``form_shows_details`` for a form read as a row: who sent it and who
    keyed it in."""
    if not active_user(user):
        return False
    if user.role == Role.REQUESTER:
        return user.pk in (requester_id, entered_by_id)
    return True


def form_details_filter(user: Viewer) -> Q:
    """``form_shows_details`` as a filter on forms already within
    ``form_queryset_for_user``: the forms whose family details the user may
    read, so that a search by name or postcode matches only those (a
    colleague's form found by a child's name would give the name away)."""
    if not active_user(user):
        return Q(pk__in=[])
    if user.role == Role.REQUESTER:
        return Q(requester_id=user.pk) | Q(entered_by_id=user.pk)
    return Q()


def form_details_limited(user: Viewer) -> bool:
    """Whether some of the forms the user sees show their status only (a
    requester's colleagues' forms)."""
    return active_user(user) and user.role == Role.REQUESTER
