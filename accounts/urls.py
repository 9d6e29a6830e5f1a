from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import profile, views
from accounts.otp import second_factor_not_required

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path(
        "uitloggen/",
        second_factor_not_required(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path("tweestapsverificatie/", views.otp_verify, name="otp-verify"),
    path("tweestapsverificatie/instellen/", views.otp_enrol, name="otp-enrol"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

# The profile page: e-mail preference and personal API tokens (accounts.profile).
urlpatterns += [
    path("profiel/", profile.profile, name="profile"),
    path("profiel/tokens/", profile.api_token_new, name="token-create"),
    path(
        "profiel/tokens/<int:pk>/intrekken/",
        profile.api_token_revoke_view,
        name="token-revoke",
    ),
]
