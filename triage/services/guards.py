"""What every action on a form checks first: that the manager runs the form's
locality (under the form's lock), that the reason is written, and that the
form has not changed since the version they saw.
"""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from core.errors import InvalidInput, NotAllowed, Stale
from core.history import Mode, Rule
from family_connect import events as form_events
from family_connect.models import FamilyConnectForm, FormStatus
from triage.access import manages


def form_locked(form_id: int, actor: User, mode: Mode) -> FamilyConnectForm:
    form = FamilyConnectForm.objects.select_for_update().get(pk=form_id)
    # History names the manager who decided, who may have left since.
    if mode.holds(Rule.DECIDER_MANAGES_NOW) and not manages(actor, form.locality_id):
        raise NotAllowed("Only a manager of the form's locality can decide it.")
    return form


def reason_checked(reason: str, mode: Mode) -> str:
    reason = (reason or "").strip()
    if not reason and mode.holds(Rule.REASON_WRITTEN):
        raise InvalidInput("Enter the reason for the decision", field="reason")
    if len(reason) > 5000:
        raise InvalidInput(
            "The reason must be 5,000 characters or fewer", field="reason"
        )
    return reason


def refuse_if_stale(form: FamilyConnectForm, seen_version: str | None) -> None:
    """The manager acted on the version they saw; any change since (a decision,
    a transfer, a closure) means they must look again first."""
    if seen_version is not None and seen_version != form.version:
        raise Stale(changed_since_message(form))


def changed_since_message(form: FamilyConnectForm) -> str:
    """Who last changed the form and when, for a manager whose request it
    refused: they review what happened and decide again."""
    last = form.events.select_related("actor").order_by("-at", "-pk").first()
    if last is None:
        return "This form has changed. Review it and decide again. Nothing was changed."
    who = f" by {last.actor.display_name}" if last.actor else ""
    at = timezone.localtime(last.at)
    when = f"{at.day} {at:%B %Y} at {at:%H:%M}"
    status = FormStatus(form.status).label.lower()
    if last.kind == form_events.Kind.DECIDED:
        what = f"This form was already decided{who} on {when} ({status})"
    elif last.kind == form_events.Kind.STATUS_CHANGED:
        what = f"This form was closed{who} on {when} ({status})"
    else:
        what = (
            f"This form was changed{who} on {when} ({last.get_kind_display().lower()})"
        )
    return f"{what}: review it and decide again. Nothing was changed."
