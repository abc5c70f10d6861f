"""The data protection officer's pages: who viewed a person's records."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework.access import may_answer_for_records
from casework.models import Person
from casework.privacy import who_viewed
from core.access_log import access_log_record
from core.forms import GovukFormMixin
from core.view_access import scoped

RECORD_KINDS = {
    "casework.person": "Person",
    "casework.family": "Household",
    "casework.case": "Case",
    "family_connect.familyconnectform": "Family Connect Form",
}


class PersonLookupForm(GovukFormMixin, forms.Form):
    person = forms.IntegerField(
        label="Person number",
        help_text="As shown on the person's page.",
        min_value=1,
        error_messages={
            "required": "Enter the person number",
            "invalid": "Enter the person number as digits, like 1234",
            "min_value": "Enter the person number as digits, like 1234",
        },
    )


@never_cache
@login_required
@require_GET
@scoped(may_answer_for_records)
def who_viewed_view(request: HttpRequest) -> HttpResponse:
    """Who viewed a person's records, and when, through which page or export."""
    if not may_answer_for_records(request.user):
        raise Http404
    form = PersonLookupForm(request.GET or None)
    person = page = None
    if form.is_valid():
        person = (
            Person.objects.select_related("family")
            .filter(pk=form.cleaned_data["person"])
            .first()
        )
        if person is None:
            form.add_error("person", "There is no person with this number")
        else:
            # Looking is itself a read of the person's record.
            access_log_record(user=request.user, obj=person, request=request)
            page = Paginator(who_viewed(person), 100).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "kind": RECORD_KINDS.get(entry.object_type, entry.object_type)}
        for entry in (page.object_list if page else [])
    ]
    return render(
        request,
        "casework/who_viewed.html",
        {"form": form, "person": person, "page": page, "rows": rows},
    )
