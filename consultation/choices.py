"""The question's statuses and the reasons of its history entries (fields of
consultation.models, which names them too: `from consultation.models import Status` works)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The question life cycle (DESIGN §3). Transitions live in consultation.workflow."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    IN_TRIAGE = "in_triage", _("in triage")
    OPEN = "open", _("open")
    ASSIGNED = "assigned", _("assigned")
    SCHEDULED = "scheduled", _("scheduled")
    ANSWERED = "answered", _("answered")
    NEEDS_CLARIFICATION = "needs_clarification", _("needs clarification")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REDIRECTED = "redirected", _("redirected")


class Reason(models.TextChoices):
    """Why the system wrote a history entry. Stored as a code, shown in the reader's language;
    what a person typed goes into `QuestionTransition.reason` as typed."""

    DRAFT_SAVED = "draft_saved", _("draft saved")
    PRIVACY_CONFIRMED = "privacy_confirmed", _("privacy check confirmed by the generalist")
    ROUTED_NETWORK = "routed_network", _("sent to the expert network")
    ROUTED_TEAM = "routed_team", _("put on the expert team's agenda")
    ROUTED_TRIAGE = "routed_triage", _("put in the triage queue")
    CLARIFICATION_GIVEN = "clarification_given", _("clarification given")
    CLARIFICATION_ASKED = "clarification_asked", _("clarification asked")
    ADVICE_GIVEN = "advice_given", _("advice given")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")
    WITHDRAWN = "withdrawn", _("withdrawn")
    TRIAGE_ANSWERED = "triage_answered", _("answered directly by triage")
    TRIAGE_CLARIFICATION = "triage_clarification", _("clarification asked by triage")
    SHARPENED = "sharpened", _("sharpened by triage")
    ASSIGNED = "assigned", _("assigned")
    SESSION_WANTED = "session_wanted", _("multidisciplinary session wanted")
    REDIRECTED_REGULAR_CARE = (
        "redirected_regular_care",
        _("redirected: regular care / voorliggend veld"),
    )
    REDIRECTED_OTHER_POOL = "redirected_other_pool", _("redirected: another expert pool")
    REDIRECTED_GP = "redirected_gp", _("redirected: back to the GP")
    DECLINED = "declined", _("declined by")
    ACCEPTED = "accepted", _("accepted by")
