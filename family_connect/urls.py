from django.urls import path

from family_connect import bulk_views, views

app_name = "family_connect"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:slug>/", views.step, name="step"),
    path("person/<str:kind>/", views.person, name="person_add"),
    path("person/<str:kind>/<int:index>/", views.person, name="person_change"),
    path(
        "person/<str:kind>/<int:index>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("check/", views.check, name="check"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("save/", views.save_for_later, name="save"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("status/<str:token>/", views.status, name="status"),
    path("forms/", views.my_forms, name="my_forms"),
    path("bulk/", bulk_views.bulk_upload, name="bulk"),
    path("bulk/template.csv", bulk_views.bulk_template, name="bulk_template"),
]
