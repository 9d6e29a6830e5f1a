from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import admin_login_redirect, home
from config.health import health

# The admin signs in through our own two-factor flow, never its own password-only form.
admin.site.login = admin_login_redirect
admin.site.site_header = "Wijkexpert beheer"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("wijkteam/", include("wijkteam.urls")),
    path("expert/", include("expertise.urls")),
    path("triage/", include("triage.urls")),
    path("gemeente/", include("reports.urls")),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
