"""The requester's one feedback answer once the form is decided."""

from __future__ import annotations

from django.db import transaction

from core import clock
from core.errors import InvalidInput, NotAllowed
from family_connect import events as form_events
from family_connect.models import FamilyConnectForm, FormFeedback, FormStatus


def form_feedback_give(*, form_id: int, score: int) -> FormFeedback:
    """Record the requester's 1–5 answer once the form is decided; the first
    answer stands (a second one changes nothing)."""
    if score not in range(1, 6):
        raise InvalidInput("Choose a number from 1 to 5", field="score")
    with transaction.atomic():
        form = FamilyConnectForm.objects.select_for_update().get(pk=form_id)
        if form.status == FormStatus.SUBMITTED:
            raise NotAllowed("You can say how it went once a decision is made.")
        feedback, created = FormFeedback.objects.get_or_create(
            form=form, defaults={"score": score, "given_at": clock.now()}
        )
        if created:
            form_events.feedback_given(form, at=feedback.given_at, score=score).save()
    return feedback
