"""A form's status page, by its private link, with the one feedback question."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.forms import GovukFormMixin
from core.view_access import public
from family_connect.models import FamilyConnectForm, FormFeedback, FormStatus
from family_connect.references import status_key_from_token
from family_connect.services.feedback import form_feedback_give
from family_connect.views import session


class FeedbackForm(GovukFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("How easy was it to get help?"),
        choices=[
            (5, _("5: very easy")),
            (4, _("4: easy")),
            (3, _("3: neither easy nor hard")),
            (2, _("2: hard")),
            (1, _("1: very hard")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how easy it was to get help")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@public("a form's status, by its unguessable status link")
def status(request: HttpRequest, token: str) -> HttpResponse:
    """A form's status and decision, and nothing else, for whoever holds the
    link; once decided, the one feedback question."""
    if slow_down := session.too_many(request, "fc-status", session.PAGE_LIMIT):
        return slow_down
    key = status_key_from_token(token)
    form = (
        FamilyConnectForm.objects.only(
            "reference", "status", "received_at", "updated_at"
        )
        .filter(status_key=key)
        .first()
        if key
        else None
    )
    if form is None:
        return render(request, "family_connect/link_expired.html", status=404)
    answered = FormFeedback.objects.filter(form=form).exists()
    feedback = FeedbackForm(request.POST or None)
    if (
        request.method == "POST"
        and form.status != FormStatus.SUBMITTED
        and not answered
        and feedback.is_valid()
    ):
        form_feedback_give(form_id=form.pk, score=feedback.cleaned_data["score"])
        messages.success(request, _("Thank you for telling us."))
        return redirect(request.path)
    return render(
        request,
        "family_connect/status.html",
        {
            "form": feedback,
            "record": form,
            "decided": form.status != FormStatus.SUBMITTED,
            "answered": answered,
        },
    )
