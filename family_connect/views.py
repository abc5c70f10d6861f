"""The Family Connect journey pages: public, partner, phone and step-down."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.access_log import access_log_record_many
from core.errors import DomainError, NotAllowed, TooMany
from core.forms import GovukFormMixin
from core.http import client_ip
from core.ratelimit import rate_take
from core.view_access import public, scoped
from family_connect import journey
from family_connect.access import (
    form_queryset_for_user,
    form_shows_details,
    routes_for_user,
)
from family_connect.forms import AdultForm, ChildForm, SubmitForm
from family_connect.journey import LOOP_STEPS, STEP_BY_SLUG, Answers
from family_connect.models import (
    FamilyConnectForm,
    FormDraft,
    FormFeedback,
    FormStatus,
    Route,
)
from family_connect.references import status_key_from_token, status_token
from family_connect.selectors import form_list_for_user
from family_connect.services import (
    draft_owner,
    draft_resume,
    draft_save,
    draft_start,
    form_feedback_give,
    form_submit,
)
from family_connect.summary import check_rows
from family_connect.validation import MAX_MEMBERS, submission_validate

DRAFT_ID = "family_connect_draft"
DRAFT_TOKEN = "family_connect_draft_token"
# Public pages: generous for a person, tight for a script.
PAGE_LIMIT = (120, 600)  # POSTs per 10 minutes per address
SUBMIT_LIMIT = (10, 3600)  # submissions per hour per address

PERSON_FORMS = {"child": (ChildForm, "children"), "adult": (AdultForm, "adults")}
INTROS = {
    "front-door": "family_connect/intro/front_door.html",
    "consent": "family_connect/intro/consent.html",
}


def _sent_meanwhile(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """If the draft was sent from another tab meanwhile, show its confirmation
    instead of failing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotAllowed:
            return redirect("family_connect:confirmation")

    return wrapper


def _routes(request: HttpRequest) -> list[str]:
    return routes_for_user(request.user)


def _draft(request: HttpRequest) -> FormDraft | None:
    draft_id = request.session.get(DRAFT_ID)
    if draft_id is None:
        return None
    user = request.user if request.user.is_authenticated else None
    return FormDraft.objects.filter(
        draft_owner(user),
        pk=draft_id,
        expires_at__gt=timezone.now(),
        submitted_form__isnull=True,
    ).first()


def _too_many(
    request: HttpRequest, scope: str, limit: tuple[int, int]
) -> HttpResponse | None:
    """The "slow down" page (429, with ``Retry-After``) once the caller is over
    ``limit`` in ``scope``; None while it may go ahead."""
    # Colleagues behind one school or hospital address are counted each on their
    # own; families, who have no account, by their address.
    if request.user.is_authenticated:
        ident = f"user:{request.user.pk}"
    else:
        ident = client_ip(request) or "-"
    allowance = rate_take(scope, ident, limit=limit[0], window_seconds=limit[1])
    if allowance.allowed:
        return None
    response = render(request, "family_connect/slow_down.html", status=429)
    response["Retry-After"] = str(allowance.retry_after)
    return response


def _context(draft: FormDraft, routes: list[str]) -> dict[str, Any]:
    return {
        "route": draft.route,
        "routes": routes,
        "request_type": draft.answers.get("request_type", "support"),
    }


def _step_url(slug: str, change: bool = False) -> str:
    if slug in PERSON_FORMS:
        url = reverse("family_connect:person_add", args=[slug])
    else:
        url = reverse("family_connect:step", args=[slug])
    return f"{url}?change=1" if change else url


def _next_url(draft: FormDraft, slug: str, routes: list[str], change: bool) -> str:
    answers = draft.answers
    if change:
        missing = journey.first_unanswered(draft.route, answers, routes)
        return (
            _step_url(missing.slug, True)
            if missing
            else reverse("family_connect:check")
        )
    _, following = journey.neighbours(slug, draft.route, answers, routes)
    return _step_url(following.slug) if following else reverse("family_connect:check")


def _back_url(draft: FormDraft, slug: str, routes: list[str], change: bool) -> str:
    if change:
        return reverse("family_connect:check")
    previous, _ = journey.neighbours(slug, draft.route, draft.answers, routes)
    return _step_url(previous.slug) if previous else reverse("family_connect:start")


@never_cache
@require_http_methods(["GET", "POST"])
@public("the Family Connect Form: families and professionals, by their own draft")
def start(request: HttpRequest) -> HttpResponse:
    """The start page; "Start now" opens a draft for the user's route."""
    routes = _routes(request)
    if request.method == "POST":
        if not routes:
            raise Http404
        if slow_down := _too_many(request, "fc-page", PAGE_LIMIT):
            return slow_down
        started = draft_start(
            route=routes[0],
            user=request.user if request.user.is_authenticated else None,
        )
        request.session[DRAFT_ID] = started.draft.pk
        request.session[DRAFT_TOKEN] = started.token
        first = journey.first_unanswered(started.draft.route, {}, routes)
        return redirect(_step_url(first.slug if first else "safeguarding"))
    return render(
        request,
        "family_connect/start.html",
        {
            "routes": routes,
            "draft": _draft(request),
            "signed_in": request.user.is_authenticated,
        },
    )


def _no_draft(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        _(
            "Your answers were not found. Start again, or use your link to come "
            "back to a saved form."
        ),
    )
    return redirect("family_connect:start")


@never_cache
@require_http_methods(["GET", "POST"])
@_sent_meanwhile
@public("the Family Connect Form: families and professionals, by their own draft")
def step(request: HttpRequest, slug: str) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return _no_draft(request)
    routes = _routes(request)
    the_step = STEP_BY_SLUG.get(slug)
    if the_step is None or not the_step.applies(draft.route, draft.answers, routes):
        raise Http404
    change = request.GET.get("change") == "1"
    if slug in LOOP_STEPS:
        return _loop(request, draft, slug, routes, change)
    context = _context(draft, routes)
    if request.method == "POST":
        if slow_down := _too_many(request, "fc-page", PAGE_LIMIT):
            return slow_down
        form = the_step.form_class(request.POST, context=context)
        if form.is_valid():
            answers = journey.answers_from_form(form)
            draft = draft_save(
                draft_id=draft.pk,
                answers=answers,
                route=answers["route"] if slug == "route" else None,
                user=request.user if request.user.is_authenticated else None,
            )
            return redirect(_next_url(draft, slug, routes, change))
    else:
        form = the_step.form_class(
            initial=journey.initial_for(the_step, draft.answers, draft.route),
            context=context,
        )
    visible = list(form.visible_fields())
    return render(
        request,
        "family_connect/step.html",
        {
            "form": form,
            "step": the_step,
            "single": visible[0] if len(visible) == 1 else None,
            "hints": getattr(form, "choice_hints", None),
            "intro": INTROS.get(slug),
            "back_url": _back_url(draft, slug, routes, change),
            "route": draft.route,
        },
    )


def _loop(
    request: HttpRequest, draft: FormDraft, slug: str, routes: list[str], change: bool
) -> HttpResponse:
    """The list of children (or adults) with "add another?"."""
    kind = "child" if slug == "children" else "adult"
    people = draft.answers.get(slug, [])
    if kind == "child" and not people:
        return redirect("family_connect:person_add", kind=kind)
    form_class = STEP_BY_SLUG[slug].form_class
    if request.method == "POST":
        if slow_down := _too_many(request, "fc-page", PAGE_LIMIT):
            return slow_down
        form = form_class(request.POST, context=_context(draft, routes))
        if form.is_valid():
            if form.cleaned_data["add_another"] == "yes":
                url = reverse("family_connect:person_add", args=[kind])
                return redirect(f"{url}?change=1" if change else url)
            draft = draft_save(draft_id=draft.pk, answers={f"{slug}_done": True})
            return redirect(_next_url(draft, slug, routes, change))
    else:
        form = form_class(context=_context(draft, routes))
    question = {
        ("child", True): _("Do you need to add another child?"),
        ("adult", True): _("Do you need to add another adult?"),
        ("adult", False): _(
            "Do you want to tell us about the adults in the household?"
        ),
    }[(kind, bool(people))]
    form.fields["add_another"].label = question
    return render(
        request,
        "family_connect/loop.html",
        {
            "form": form,
            "kind": kind,
            "slug": slug,
            "people": people,
            "title": STEP_BY_SLUG[slug].title,
            "back_url": _back_url(draft, slug, routes, change),
            "change": change,
        },
    )


def _suggested_family_name(answers: Answers) -> str:
    for person in answers.get("children", []) + answers.get("adults", []):
        if person.get("family_name"):
            return str(person["family_name"])
    return ""


@never_cache
@require_http_methods(["GET", "POST"])
@_sent_meanwhile
@public("the Family Connect Form: families and professionals, by their own draft")
def person(request: HttpRequest, kind: str, index: int | None = None) -> HttpResponse:
    """Add or change one child or adult."""
    if kind not in PERSON_FORMS:
        raise Http404
    draft = _draft(request)
    if draft is None:
        return _no_draft(request)
    form_class, key = PERSON_FORMS[kind]
    people: list[Answers] = list(draft.answers.get(key, []))
    if index is not None and not 0 <= index < len(people):
        raise Http404
    routes = _routes(request)
    change = request.GET.get("change") == "1"
    if request.method == "POST":
        if slow_down := _too_many(request, "fc-page", PAGE_LIMIT):
            return slow_down
        form = form_class(request.POST, context=_context(draft, routes))
        everyone = draft.answers.get("children", []) + draft.answers.get("adults", [])
        if index is None and len(everyone) >= MAX_MEMBERS:
            form.add_error(
                None,
                _(
                    "You can add up to %(max)d people. Tell us about the others in "
                    "your own words later in the form."
                )
                % {"max": MAX_MEMBERS},
            )
        if form.is_valid():
            answers = journey.answers_from_form(form)
            if index is None:
                people.append(answers)
            else:
                people[index] = answers
            draft_save(draft_id=draft.pk, answers={key: people})
            url = reverse("family_connect:step", args=[key])
            return redirect(f"{url}?change=1" if change else url)
    else:
        initial = (
            people[index]
            if index is not None
            # A second child or an adult usually shares the family name: offer it.
            else {"family_name": _suggested_family_name(draft.answers)}
        )
        form = form_class(initial=initial, context=_context(draft, routes))
    if index is None and kind == "child" and not people:
        back = _back_url(draft, "children", routes, change)
    else:
        back = reverse("family_connect:step", args=[key])
    titles = {"child": _("Add a child"), "adult": _("Add an adult")}
    if index is not None:
        titles = {
            "child": _("Change a child's details"),
            "adult": _("Change an adult's details"),
        }
    return render(
        request,
        "family_connect/person.html",
        {"form": form, "title": titles[kind], "kind": kind, "back_url": back},
    )


@never_cache
@require_POST
@_sent_meanwhile
@public("the Family Connect Form: families and professionals, by their own draft")
def person_remove(request: HttpRequest, kind: str, index: int) -> HttpResponse:
    if kind not in PERSON_FORMS:
        raise Http404
    draft = _draft(request)
    if draft is None:
        return _no_draft(request)
    if slow_down := _too_many(request, "fc-page", PAGE_LIMIT):
        return slow_down
    _, key = PERSON_FORMS[kind]
    people = list(draft.answers.get(key, []))
    if not 0 <= index < len(people):
        raise Http404
    people.pop(index)
    answers: Answers = {key: people}
    if key == "children" and not people:
        answers["children_done"] = None
    draft_save(draft_id=draft.pk, answers=answers)
    return redirect("family_connect:step", slug=key)


@never_cache
@require_http_methods(["GET", "POST"])
@public("the Family Connect Form: families and professionals, by their own draft")
def check(request: HttpRequest) -> HttpResponse:
    """Check your answers, then send the form (once, however often it is sent)."""
    draft = _draft(request)
    if draft is None:
        submitted = _submitted_form(request)
        if submitted is not None:
            return redirect("family_connect:confirmation")
        return _no_draft(request)
    routes = _routes(request)
    missing = journey.first_unanswered(draft.route, draft.answers, routes)
    if missing is not None:
        return redirect(_step_url(missing.slug, change=True))
    form = SubmitForm(request.POST or None)
    problems: list[tuple[str, str]] = []
    refused: TooMany | None = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # Only a script fills the hidden field; tell it nothing useful.
            return render(request, "family_connect/slow_down.html", status=400)
        # Signed-in users are held to their own number of forms (form_submit).
        if not request.user.is_authenticated and (
            slow_down := _too_many(request, "fc-submit", SUBMIT_LIMIT)
        ):
            return slow_down
        data, errors = submission_validate(
            journey.payload_from_answers(draft.route, draft.answers)
        )
        if data is not None:
            try:
                form_submit(
                    data=data,
                    actor=request.user if request.user.is_authenticated else None,
                    draft_id=draft.pk,
                )
            except DomainError as exc:
                # Over the limit the answers stay in the draft, to send later.
                refused = exc if isinstance(exc, TooMany) else None
                problems = [("check", exc.message)]
            else:
                return redirect("family_connect:confirmation")
        else:
            problems = journey.errors_to_steps(errors)
    response = render(
        request,
        "family_connect/check.html",
        {
            "sections": check_rows(draft.route, draft.answers, routes),
            "form": form,
            "problems": [
                (_step_url(slug, True), message) for slug, message in problems
            ],
            "route": draft.route,
        },
        status=429 if refused else 200,
    )
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


def _submitted_form(request: HttpRequest) -> FamilyConnectForm | None:
    draft_id = request.session.get(DRAFT_ID)
    if draft_id is None:
        return None
    user = request.user if request.user.is_authenticated else None
    draft = (
        FormDraft.objects.select_related("submitted_form")
        .filter(draft_owner(user), pk=draft_id, submitted_form__isnull=False)
        .first()
    )
    return draft.submitted_form if draft else None


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def confirmation(request: HttpRequest) -> HttpResponse:
    form = _submitted_form(request)
    if form is None:
        return redirect("family_connect:start")
    status_url = request.build_absolute_uri(
        reverse("family_connect:status", args=[status_token(form.status_key)])
    )
    return render(
        request,
        "family_connect/confirmation.html",
        {"reference": form.reference, "status_url": status_url, "route": form.route},
    )


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def save_for_later(request: HttpRequest) -> HttpResponse:
    """The private link to come back to the answers saved so far."""
    draft = _draft(request)
    token = request.session.get(DRAFT_TOKEN)
    if draft is None or not token:
        return _no_draft(request)
    resume_url = request.build_absolute_uri(
        reverse("family_connect:resume", args=[token])
    )
    return render(
        request,
        "family_connect/save.html",
        {"resume_url": resume_url, "expires_at": draft.expires_at},
    )


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """Open a saved draft from its private link, in this browser."""
    if slow_down := _too_many(request, "fc-resume", PAGE_LIMIT):
        return slow_down
    user = request.user if request.user.is_authenticated else None
    opened = draft_resume(token=token, user=user)
    if opened is None:
        return render(request, "family_connect/link_expired.html", status=404)
    draft = opened.draft
    request.session[DRAFT_ID] = draft.pk
    request.session[DRAFT_TOKEN] = opened.token
    messages.info(
        request,
        _(
            "You are continuing your saved answers. The link you used has "
            "stopped working: use “Save and come back later” for a new one."
        ),
    )
    routes = _routes(request)
    missing = journey.first_unanswered(draft.route, draft.answers, routes)
    if missing is not None:
        return redirect(_step_url(missing.slug))
    return redirect("family_connect:check")


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
    if slow_down := _too_many(request, "fc-status", PAGE_LIMIT):
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


@never_cache
@login_required
@scoped(form_queryset_for_user)
def my_forms(request: HttpRequest) -> HttpResponse:
    """The forms the user's organisation (or the user) sent, with status and
    decision."""
    forms = form_list_for_user(request.user)
    query = request.GET.get("q", "").strip().upper()
    if query:
        forms = forms.filter(Q(reference=query))
    page = Paginator(forms, 25).get_page(request.GET.get("page"))
    for form in page.object_list:
        form.shows_details = form_shows_details(request.user, form)
        # Whoever sent a form follows it by its status link, as from the
        # confirmation page and the decision e-mail.
        form.status_url = (
            reverse("family_connect:status", args=[status_token(form.status_key)])
            if form.shows_details
            else None
        )
    access_log_record_many(user=request.user, objs=page.object_list, request=request)
    return render(
        request,
        "family_connect/my_forms.html",
        {
            "page": page,
            "can_submit": bool(_routes(request)),
            "service_email": settings.DEFAULT_FROM_EMAIL,
            "Route": Route,
        },
    )
