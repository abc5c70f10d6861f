from django.urls import path

from accounts import home, views

app_name = "accounts"

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("account/details/", views.details_view, name="details"),
    path("account/password/", views.password_change_view, name="password_change"),
    path(
        "account/set-password/<str:uidb64>/<str:token>/",
        views.password_set_view,
        name="password_set",
    ),
    path("account/api-tokens/", views.api_tokens_view, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"
    ),
]
