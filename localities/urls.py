from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("", views.triage_index, name="triage"),
    path("forms/<str:reference>/", views.form_triage, name="form"),
    path(
        "forms/<str:reference>/matches/<int:candidate_id>/",
        views.candidate_decide,
        name="candidate",
    ),
    path("<slug:slug>/", views.queue, name="queue"),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/services/", views.community_services, name="services"),
]
