from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("", views.triage_index, name="triage"),
    path("<slug:slug>/", views.queue, name="queue"),
]
