"""/api/v1/. URL names start with "api-" and are not namespaced: the sign-in tests treat every
"api-…" page as an API endpoint (it answers 403 instead of redirecting to the second factor)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from api import views
from api.views.availability import AbsenceViewSet, OwnAvailabilityView
from api.views.invoice_exports import InvoiceExportViewSet
from api.views.session_items import AgendaItemViewSet, InvitationViewSet
from api.views.sessions import SessionViewSet
from api.views.time_entries import TimeEntryViewSet, TimeUsageView
from api.views.triage import TriageQuestionViewSet

router = SimpleRouter()
router.register("residents", views.ResidentViewSet, basename="api-resident")
router.register("cases", views.CaseViewSet, basename="api-case")
router.register("questions", views.QuestionViewSet, basename="api-question")
router.register("notifications", views.NotificationViewSet, basename="api-notification")
# Sessions (issue 11): the sessions, the writes on their agenda items, one's own invitations.
router.register("sessions", SessionViewSet, basename="api-session")
router.register("agenda-items", AgendaItemViewSet, basename="api-agenda-item")
router.register("invitations", InvitationViewSet, basename="api-invitation")
# Triage: the queue of one's own pools, claims and decisions.
router.register("triage/questions", TriageQuestionViewSet, basename="api-triage-question")
# An expert's own availability (issue 11): the week, and the absences.
router.register("absences", AbsenceViewSet, basename="api-absence")
# Hours (issue 11): time entries (own; a pool's planners also the pool's), invoice exports.
router.register("time-entries", TimeEntryViewSet, basename="api-time-entry")
router.register("invoice-exports", InvoiceExportViewSet, basename="api-invoice-export")

urlpatterns = [
    path("availability/", OwnAvailabilityView.as_view(), name="api-availability"),
    path("time-usage/", TimeUsageView.as_view(), name="api-time-usage"),
    *router.urls,
]
