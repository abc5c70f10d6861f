from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("who-viewed/", views.who_viewed_view, name="who_viewed"),
    path("subject-access/", views.subject_access_view, name="subject_access"),
    path("anomalies/", views.anomalies_view, name="anomalies"),
    path(
        "subject-access/<int:person_id>/export.json",
        views.subject_access_json,
        name="subject_access_json",
    ),
    path(
        "subject-access/<int:person_id>/pdf/",
        views.subject_access_pdf_request_view,
        name="subject_access_pdf_request",
    ),
    path(
        "subject-access/pdf/<int:job_id>/",
        views.subject_access_pdf_status,
        name="subject_access_pdf_status",
    ),
    path(
        "subject-access/pdf/<int:job_id>/download/",
        views.subject_access_pdf_download,
        name="subject_access_pdf_download",
    ),
]
