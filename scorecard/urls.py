from __future__ import annotations

from django.urls import path

from scorecard import views

app_name = "scorecard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export, name="export"),
    path("run/", views.run, name="run"),
    path("runs/<int:release_id>/", views.run_status, name="run_status"),
    path("runs/<int:release_id>/pdf/", views.pdf_status, name="pdf_status"),
    path("runs/<int:release_id>/pdf/make/", views.pdf_request, name="pdf_request"),
    path(
        "runs/<int:release_id>/pdf/download/",
        views.pdf_download,
        name="pdf_download",
    ),
    path("indicators/<str:ref>/", views.indicator, name="indicator"),
    path("partner-figures/", views.partner_figures, name="partner_figures"),
    path(
        "partner-figures/template.csv",
        views.partner_figures_template,
        name="partner_figures_template",
    ),
]
