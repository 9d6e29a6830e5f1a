"""/api/v1/. URL names start with "api-" and are not namespaced: the sign-in tests treat every
"api-…" page as an API endpoint (it answers 403 instead of redirecting to the second factor)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api import views
from api.views.availability import AbsenceViewSet, OwnAvailabilityView

router = SimpleRouter()
router.register("residents", views.ResidentViewSet, basename="api-resident")
router.register("cases", views.CaseViewSet, basename="api-case")
router.register("questions", views.QuestionViewSet, basename="api-question")
router.register("notifications", views.NotificationViewSet, basename="api-notification")
# An expert's own availability (issue 11): the week, and the absences.
router.register("absences", AbsenceViewSet, basename="api-absence")

urlpatterns = [
    path("availability/", OwnAvailabilityView.as_view(), name="api-availability"),
    *router.urls,
]
