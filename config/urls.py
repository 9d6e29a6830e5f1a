from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import admin_login_redirect
from config.health import health
from consultation.urls import inbox_urlpatterns, team_urlpatterns
from municipality.urls import invitation_urlpatterns
from navigation.views import home
from wijkteam.urls import urlpatterns as wijkteam_urlpatterns

# The admin signs in through our own two-factor flow, never its own password-only form.
admin.site.login = admin_login_redirect  # type: ignore[method-assign]  # deliberate override
admin.site.site_header = "Wijkexpert beheer"

urlpatterns = [
    path("", home, name="home"),
    path("", include("accounts.urls")),
    path("profiel/", include("expertise.urls")),  # the availability section of the profile
    # Each view lives in the app whose data it shows; the areas people know stay as they are.
    path("wijkteam/", include(([*team_urlpatterns, *wijkteam_urlpatterns], "wijkteam"))),
    path("expert/", include((inbox_urlpatterns, "expertise"))),
    path("vragen/", include("consultation.urls")),
    path("triage/", include("triage.urls")),
    path("overleg/", include("meetings.urls")),
    path("overleg/", include("meetings.calendar_urls")),  # the personal calendar feed
    path("uren/", include("hours.urls")),
    # Team management first: /gemeente/ itself and everything else there is reports'.
    path("gemeente/teams/", include("municipality.urls")),
    path("uitnodiging/", include((invitation_urlpatterns, "invitation"))),
    path("gemeente/", include("reports.urls")),
    path("audit/", include("wijkteam.audit_urls")),  # functional admin, privacy officer
    path("health/", health, name="health"),
    # Choosing a language must work on the sign-in and enrolment pages too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
