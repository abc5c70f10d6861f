from __future__ import annotations

from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("case-audits/<int:audit_id>/", views.case_audit, name="case_audit"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("reports/", views.report, name="report"),
    path("reports/pdf/", views.report_pdf_request, name="report_pdf_request"),
    path(
        "reports/pdf/<str:period>/status/",
        views.report_pdf_status,
        name="report_pdf_status",
    ),
    path("reports/pdf/<str:period>/", views.report_pdf, name="report_pdf"),
]
