from django.urls import path

from casework import privacy_views

app_name = "privacy"

urlpatterns = [
    path("who-viewed/", privacy_views.who_viewed_view, name="who_viewed"),
]
