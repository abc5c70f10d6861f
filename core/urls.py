from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("benchmark/floor/", views.benchmark_floor, name="benchmark_floor"),
    path("benchmark/insert/", views.benchmark_insert, name="benchmark_insert"),
]
