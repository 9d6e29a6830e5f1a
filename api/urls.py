"""/api/v1/. URL names start with "api-" and are not namespaced: the sign-in tests treat every
"api-…" page as an API endpoint (it answers 403 instead of redirecting to the second factor)."""

from rest_framework.routers import SimpleRouter

from api import views

router = SimpleRouter()
router.register("residents", views.ResidentViewSet, basename="api-resident")
router.register("cases", views.CaseViewSet, basename="api-case")
router.register("questions", views.QuestionViewSet, basename="api-question")
router.register("notifications", views.NotificationViewSet, basename="api-notification")

urlpatterns = router.urls
