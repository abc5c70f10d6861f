"""The plan's reviews: when the next is due, and recording one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from casework.access import case_get_for_user, may_work_on
from casework.forms import ReviewForm
from casework.models import Assessment, Review, WheelDomain
from casework.selectors.cases import people_on_case
from casework.selectors.progress import case_progress
from casework.services.reviews import next_review_due, review_record
from casework.views.cases import case_heading, readable_case
from core import clock
from core.access_log import access_log_record, access_log_record_many
from core.errors import DomainError
from core.periods import local_date
from core.templatetags.govuk import govuk_date
from core.view_access import scoped


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@scoped(case_get_for_user, may_work_on)
def reviews(request: HttpRequest, case_id: int) -> HttpResponse:
    """The plan's reviews, when the next is due, and a new review."""
    user, case, can_work = readable_case(request, case_id)
    people = list(people_on_case(case.pk))
    form = ReviewForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            review_record(case_id=case.pk, actor=user, data=form.to_input())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "Review recorded.")
            return redirect("casework:reviews", case_id=case.pk)
    held = list(
        case.reviews.select_related("recorded_by").prefetch_related("people__person")
    )
    assessed_at = (
        Assessment.objects.filter(case=case)
        .values_list("completed_at", flat=True)
        .first()
    )
    due = next_review_due(case, held[-1] if held else None, assessed_at)
    access_log_record(user=user, obj=case, request=request)
    access_log_record_many(user=user, objs=people, action="view", request=request)
    return render(
        request,
        "casework/reviews.html",
        {
            "case": case,
            **case_heading(user, case),
            "reviews": [(review, _review_rows(review)) for review in held],
            "due": due,
            # As My work counts it.
            "overdue": due is not None and due < local_date(clock.now()),
            "form": form,
            "can_work": can_work,
            "progress": case_progress(case, people=people),
        },
    )


def _review_rows(review: Review) -> list[tuple[str, str]]:
    """A review as recorded, for its summary list: it is not changed after."""

    def score(value: int | None) -> str:
        return "Not scored" if value is None else str(value)

    people = sorted(
        review.people.all(), key=lambda row: (row.person.given_name, row.person_id)
    )
    return [
        ("Who attended", review.attendees),
        ("Progress made", review.progress),
        ("Changes to the plan", review.plan_changes or "None"),
        ("Scaling (0 to 10)", str(review.scaling)),
        *[
            (f"Family wheel: {domain.label}", score(getattr(review, domain.value)))
            for domain in WheelDomain
        ],
        *[
            (f"Overall score for {row.person.given_name}", score(row.score))
            for row in people
        ],
        ("Next review", govuk_date(review.next_review_on)),
        ("Recorded by", review.recorded_by.display_name),
    ]
