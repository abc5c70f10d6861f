from django.urls import path

from family_connect.views import bulk, journey_pages, my_forms, resume, status

app_name = "family_connect"

urlpatterns = [
    path("", journey_pages.start, name="start"),
    path("step/<slug:slug>/", journey_pages.step, name="step"),
    path("person/<str:kind>/", journey_pages.person, name="person_add"),
    path("person/<str:kind>/<int:index>/", journey_pages.person, name="person_change"),
    path(
        "person/<str:kind>/<int:index>/remove/",
        journey_pages.person_remove,
        name="person_remove",
    ),
    path(
        "person/<str:kind>/<int:index>/<slug:part>/",
        journey_pages.person,
        name="person_part",
    ),
    path("check/", journey_pages.check, name="check"),
    path("confirmation/", journey_pages.confirmation, name="confirmation"),
    path("save/", resume.save_for_later, name="save"),
    path("resume/<str:token>/", resume.resume, name="resume"),
    path("status/<str:token>/", status.status, name="status"),
    path("forms/", my_forms.my_forms, name="my_forms"),
    path("bulk/", bulk.bulk_upload, name="bulk"),
    path("bulk/template.csv", bulk.bulk_template, name="bulk_template"),
]
