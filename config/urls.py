from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import MeView
from audits.api import GradeDistributionView
from casework.api import CaseDetailView, CaseListView, SocialCareReferralCreateView
from core.view_access import public, signed_in
from family_connect.api.forms import FormDetailView, FormListCreateView
from scorecard.api import ScorecardPDFView, ScorecardView
from search.api import PeopleSearchView
from triage.api.decisions import DecisionView
from triage.api.matches import MatchDecisionView, MatchListView

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("family-connect/", FormListCreateView.as_view(), name="form_list"),
    path(
        "family-connect/<str:reference>/",
        FormDetailView.as_view(),
        name="form_detail",
    ),
    path("cases/", CaseListView.as_view(), name="case_list"),
    path("people/", PeopleSearchView.as_view(), name="people"),
    path("cases/<int:case_id>/", CaseDetailView.as_view(), name="case_detail"),
    path(
        "social-care-referrals/",
        SocialCareReferralCreateView.as_view(),
        name="social_care_referrals",
    ),
    path(
        "family-connect/<str:reference>/decision/",
        DecisionView.as_view(),
        name="form_decision",
    ),
    path(
        "family-connect/<str:reference>/matches/",
        MatchListView.as_view(),
        name="form_matches",
    ),
    path(
        "family-connect/<str:reference>/matches/<int:candidate_id>/",
        MatchDecisionView.as_view(),
        name="form_match_decision",
    ),
    path(
        "audits/grade-distribution/",
        GradeDistributionView.as_view(),
        name="audit_grade_distribution",
    ),
    path("scorecard/<str:period>/", ScorecardView.as_view(), name="scorecard"),
    path(
        "scorecard/<str:period>/pdf/", ScorecardPDFView.as_view(), name="scorecard_pdf"
    ),
]

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path(
        "i18n/setlang/",
        public("choosing the language of the pages")(set_language),
        name="set_language",
    ),
    # One way in: the administration site signs in through the service's own page.
    path(
        "admin/login/",
        public("the administration site's sign-in, sent to the service's own")(
            RedirectView.as_view(pattern_name="accounts:sign_in", query_string=True)
        ),
    ),
    # Changing one's own password has one page, which ends other sessions,
    # revokes API tokens and tells the user by e-mail.
    path(
        "admin/password_change/",
        public("the administration site's password page, sent to the service's own")(
            RedirectView.as_view(pattern_name="accounts:password_change")
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path(
        "api/schema/",
        signed_in("the API's description")(SpectacularAPIView.as_view()),
        name="api_schema",
    ),
    path(
        "api/docs/",
        signed_in("the API's description")(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema")
        ),
        name="api_docs",
    ),
    path("family-connect/", include("family_connect.urls")),
    path("triage/", include("triage.urls")),
    path("cases/", include("casework.urls")),
    path("privacy/", include("privacy.urls")),
    path("audits/", include("audits.urls")),
    path("scorecard/", include("scorecard.urls")),
    path("search/", include("search.urls")),
]

handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
