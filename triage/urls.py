from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.triage_index, name="index"),
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
