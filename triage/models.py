from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TriageClaim(models.Model):
    """A triage worker holds a question before working on it. One per question (the database
    says so), taken with select_for_update(skip_locked=True) so no two workers get the same."""

    question = models.OneToOneField(
        "consultation.Question",
        on_delete=models.CASCADE,
        related_name="triage_claim",
        verbose_name=_("question"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="triage_claims",
        verbose_name=_("triage worker"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    # Any action by the holder refreshes this; an idle claim returns to the queue.
    touched_at = models.DateTimeField(_("last touched at"), default=timezone.now)

    class Meta:
        verbose_name = _("triage claim")
        verbose_name_plural = _("triage claims")

    def __str__(self) -> str:
        return gettext("%(worker)s holds question %(question)s") % {
            "worker": self.worker,
            "question": self.question_id,
        }


class RedirectTarget(models.TextChoices):
    REGULAR_CARE = "regular_care", _("regular care / voorliggend veld")
    OTHER_POOL = "other_pool", _("another expert pool")
    GP = "gp", _("back to the GP")


class TriageDecision(models.Model):
    """What the triage worker decided, with the reason (also in the question's history)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("answered directly")
        CLARIFY = "clarify", _("asked for clarification")
        SHARPEN = "sharpen", _("sharpened the question")
        ASSIGN = "assign", _("assigned to experts")
        SESSION = "session", _("planned a multidisciplinary session")
        REDIRECT = "redirect", _("redirected")

    question = models.ForeignKey(
        "consultation.Question",
        on_delete=models.CASCADE,
        related_name="triage_decisions",
        verbose_name=_("question"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("triage worker"),
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Where a redirected question went (redirect decisions only).
    redirect_target = models.CharField(
        _("redirected to"), max_length=20, choices=RedirectTarget.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("triage decision")
        verbose_name_plural = _("triage decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("%(kind)s on question %(question)s") % {
            "kind": self.get_kind_display(),
            "question": self.question_id,
        }
