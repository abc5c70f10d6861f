"""The Family Connect Form's journey, public and for partners (phone and
step-down too): the start page, one page per step, the children and adults,
check your answers, and the confirmation.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, NotAllowed, TooMany
from core.view_access import public
from family_connect import journey
from family_connect.forms import (
    CHILD_PARTS,
    AdultForm,
    ChildForm,
    SubmitForm,
    child_part_missing,
)
from family_connect.journey import LOOP_STEPS, STEP_BY_SLUG, Answers
from family_connect.models import FormDraft
from family_connect.references import status_token
from family_connect.services.drafts import draft_save, draft_start
from family_connect.services.submission import form_submit
from family_connect.summary import check_rows
from family_connect.validation import MAX_MEMBERS, submission_validate
from family_connect.views import session

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


def _context(draft: FormDraft, routes: list[str]) -> dict[str, Any]:
    return {
        "route": draft.route,
        "routes": routes,
        "request_type": draft.answers.get("request_type", "support"),
    }


def step_url(slug: str, change: bool = False) -> str:
    """The page of a step, or of adding a child or adult; ``change`` comes back
    to check your answers."""
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
            step_url(missing.slug, True) if missing else reverse("family_connect:check")
        )
    _, following = journey.neighbours(slug, draft.route, answers, routes)
    return step_url(following.slug) if following else reverse("family_connect:check")


def _back_url(draft: FormDraft, slug: str, routes: list[str], change: bool) -> str:
    if change:
        return reverse("family_connect:check")
    previous, _ = journey.neighbours(slug, draft.route, draft.answers, routes)
    return step_url(previous.slug) if previous else reverse("family_connect:start")


@never_cache
@require_http_methods(["GET", "POST"])
@public("the Family Connect Form: families and professionals, by their own draft")
def start(request: HttpRequest) -> HttpResponse:
    """The start page; "Start now" opens a draft for the user's route."""
    routes = session.routes_for(request)
    if request.method == "POST":
        if not routes:
            raise Http404
        if slow_down := session.too_many(request, "fc-page", session.PAGE_LIMIT):
            return slow_down
        started = draft_start(
            route=routes[0],
            user=request.user if request.user.is_authenticated else None,
        )
        request.session[session.DRAFT_ID] = started.draft.pk
        request.session[session.DRAFT_TOKEN] = started.token
        first = journey.first_unanswered(started.draft.route, {}, routes)
        return redirect(step_url(first.slug if first else "safeguarding"))
    return render(
        request,
        "family_connect/start.html",
        {
            "routes": routes,
            "draft": session.draft_in_session(request),
            "signed_in": request.user.is_authenticated,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_sent_meanwhile
@public("the Family Connect Form: families and professionals, by their own draft")
def step(request: HttpRequest, slug: str) -> HttpResponse:
    draft = session.draft_in_session(request)
    if draft is None:
        return session.no_draft(request)
    routes = session.routes_for(request)
    the_step = STEP_BY_SLUG.get(slug)
    if the_step is None or not the_step.applies(draft.route, draft.answers, routes):
        raise Http404
    change = request.GET.get("change") == "1"
    if slug in LOOP_STEPS:
        return _loop(request, draft, slug, routes, change)
    context = _context(draft, routes)
    if request.method == "POST":
        if slow_down := session.too_many(request, "fc-page", session.PAGE_LIMIT):
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
            "title": the_step.title_for(draft.route),
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
    if kind == "child":
        for i, child in enumerate(people):
            missing = child_part_missing(child)
            if missing is not None:
                url = (
                    reverse("family_connect:person_part", args=[kind, i, missing])
                    if missing
                    else reverse("family_connect:person_change", args=[kind, i])
                )
                return redirect(f"{url}?change=1" if change else url)
    form_class = STEP_BY_SLUG[slug].form_class
    if request.method == "POST":
        if slow_down := session.too_many(request, "fc-page", session.PAGE_LIMIT):
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
def person(
    request: HttpRequest, kind: str, index: int | None = None, part: str = ""
) -> HttpResponse:
    """Add or change one child or adult. A child is asked over three short
    pages (``CHILD_PARTS``): the name and date of birth add the child, the
    other two complete it."""
    if kind not in PERSON_FORMS or (part and (kind != "child" or index is None)):
        raise Http404
    if kind == "child" and part not in CHILD_PARTS:
        raise Http404
    draft = session.draft_in_session(request)
    if draft is None:
        return session.no_draft(request)
    key = PERSON_FORMS[kind][1]
    people: list[Answers] = list(draft.answers.get(key, []))
    if index is not None and not 0 <= index < len(people):
        raise Http404
    routes = session.routes_for(request)
    change = request.GET.get("change") == "1"
    if request.method == "POST":
        if slow_down := session.too_many(request, "fc-page", session.PAGE_LIMIT):
            return slow_down
        form = _person_form(kind, part, request.POST, context=_context(draft, routes))
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
                index = len(people) - 1
            else:
                people[index] = {**people[index], **answers}
            draft_save(draft_id=draft.pk, answers={key: people})
            following = _next_part(kind, part)
            if following is not None:
                url = reverse(
                    "family_connect:person_part", args=[kind, index, following]
                )
            else:
                url = reverse("family_connect:step", args=[key])
            return redirect(f"{url}?change=1" if change else url)
    else:
        initial = (
            people[index]
            if index is not None
            # A second child or an adult usually shares the family name: offer it.
            else {"family_name": _suggested_family_name(draft.answers)}
        )
        form = _person_form(
            kind, part, initial=initial, context=_context(draft, routes)
        )
    if part:
        assert index is not None
        previous = list(CHILD_PARTS)[list(CHILD_PARTS).index(part) - 1]
        back = (
            reverse("family_connect:person_part", args=[kind, index, previous])
            if previous
            else reverse("family_connect:person_change", args=[kind, index])
        )
        back = f"{back}?change=1" if change else back
    elif index is None and kind == "child" and not people:
        back = _back_url(draft, "children", routes, change)
    else:
        back = reverse("family_connect:step", args=[key])
    return render(
        request,
        "family_connect/person.html",
        {
            "form": form,
            "title": _person_title(kind, index, part, people),
            "kind": kind,
            "back_url": back,
            # Which of a child's pages this is, for "Page 2 of 3".
            "part_number": list(CHILD_PARTS).index(part) + 1
            if kind == "child"
            else None,
            "parts": len(CHILD_PARTS),
        },
    )


def _person_form(kind: str, part: str, *args: Any, **kwargs: Any) -> Any:
    if kind == "child":
        return ChildForm(*args, part=part, **kwargs)
    return AdultForm(*args, **kwargs)


def _next_part(kind: str, part: str) -> str | None:
    if kind != "child":
        return None
    parts = list(CHILD_PARTS)
    i = parts.index(part)
    return parts[i + 1] if i + 1 < len(parts) else None


def _person_title(
    kind: str, index: int | None, part: str, people: list[Answers]
) -> str:
    if part:
        assert index is not None
        name = people[index].get("given_name", "")
        if part == "about":
            return _("About %(name)s") % {"name": name}
        return _("%(name)s's school and support") % {"name": name}
    if index is None:
        return _("Add a child") if kind == "child" else _("Add an adult")
    return (
        _("Change a child's details")
        if kind == "child"
        else _("Change an adult's details")
    )


@never_cache
@require_POST
@_sent_meanwhile
@public("the Family Connect Form: families and professionals, by their own draft")
def person_remove(request: HttpRequest, kind: str, index: int) -> HttpResponse:
    if kind not in PERSON_FORMS:
        raise Http404
    draft = session.draft_in_session(request)
    if draft is None:
        return session.no_draft(request)
    if slow_down := session.too_many(request, "fc-page", session.PAGE_LIMIT):
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
    draft = session.draft_in_session(request)
    if draft is None:
        submitted = session.submitted_form(request)
        if submitted is not None:
            return redirect("family_connect:confirmation")
        return session.no_draft(request)
    routes = session.routes_for(request)
    missing = journey.first_unanswered(draft.route, draft.answers, routes)
    if missing is not None:
        return redirect(step_url(missing.slug, change=True))
    form = SubmitForm(request.POST or None)
    problems: list[tuple[str, str]] = []
    refused: TooMany | None = None
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # Only a script fills the hidden field; tell it nothing useful.
            return render(request, "family_connect/slow_down.html", status=400)
        # Signed-in users are held to their own number of forms (form_submit).
        if not request.user.is_authenticated and (
            slow_down := session.too_many(request, "fc-submit", session.SUBMIT_LIMIT)
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
            "problems": [(step_url(slug, True), message) for slug, message in problems],
            "route": draft.route,
        },
        status=429 if refused else 200,
    )
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@never_cache
@public("the Family Connect Form: families and professionals, by their own draft")
def confirmation(request: HttpRequest) -> HttpResponse:
    form = session.submitted_form(request)
    if form is None:
        return redirect("family_connect:start")
    status_url = request.build_absolute_uri(
        reverse("family_connect:status", args=[status_token(form.status_key)])
    )
    return render(
        request,
        "family_connect/confirmation.html",
        {
            "reference": form.reference,
            "status_url": status_url,
            "route": form.route,
            # The receipt e-mail carries the link too (services.submission).
            "emailed": form.requester_id is None and bool(form.contact_email),
        },
    )
