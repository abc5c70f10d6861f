from django.urls import path

from casework import privacy_views

app_name = "privacy"

urlpatterns = [
    path("who-viewed/", privacy_views.who_viewed_view, name="who_viewed"),
    path("subject-access/", privacy_views.subject_access_view, name="subject_access"),
    path("anomalies/", privacy_views.anomalies_view, name="anomalies"),
    path(
        "subject-access/<int:person_id>/export.json",
        privacy_views.subject_access_json,
        name="subject_access_json",
    ),
    path(
        "subject-access/<int:person_id>/pdf/",
        privacy_views.subject_access_pdf_request_view,
        name="subject_access_pdf_request",
    ),
    path(
        "subject-access/pdf/<int:job_id>/",
        privacy_views.subject_access_pdf_status,
        name="subject_access_pdf_status",
    ),
    path(
        "subject-access/pdf/<int:job_id>/download/",
        privacy_views.subject_access_pdf_download,
        name="subject_access_pdf_download",
    ),
]
