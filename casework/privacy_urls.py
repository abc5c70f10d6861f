from django.urls import path

from casework import privacy_views

app_name = "privacy"

urlpatterns = [
    path("who-viewed/", privacy_views.who_viewed_view, name="who_viewed"),
    path("subject-access/", privacy_views.subject_access_view, name="subject_access"),
    path("anomalies/", privacy_views.anomalies_view, name="anomalies"),
    path(
        "subject-access/<int:person_id>/export.<str:fmt>",
        privacy_views.subject_access_download,
        name="subject_access_download",
    ),
]
