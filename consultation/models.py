import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The question's statuses and the reasons of its history: their own module, named here too.
from consultation.choices import Reason, Status
from consultation import indexes as ix
from consultation.listing import ShownOnLists


class Question(ShownOnLists, models.Model):
    """A consultatievraag from a generalist about a case, to an expert pool. Holds no resident
    identity: the case is referred to by its pseudonym. The free-text fields are checked for
    identity leaks before they are sent (consultation.privacy)."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class HelpForm(models.TextChoices):
        WRITTEN = "written", _("written advice")
        PHONE = "phone", _("phone call")
        HOME_VISIT = "home_visit", _("joint home visit")
        SESSION = "session", _("multidisciplinary session")

    case = models.ForeignKey(
        "wijkteam.Case", on_delete=models.PROTECT, related_name="questions", verbose_name=_("case")
    )
    # Denormalised from the case: every visibility query filters on it.
    team = models.ForeignKey(
        "wijkteam.DistrictTeam",
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("team"),
    )
    pool = models.ForeignKey(
        "expertise.ExpertPool",
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("expert pool"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="questions_asked",
        verbose_name=_("asked by"),
    )
    title = models.CharField(_("title"), max_length=160)
    situation = models.TextField(_("situation"), max_length=5000)
    tried = models.TextField(_("what has been tried"), max_length=3000, blank=True)
    question = models.TextField(_("question"), max_length=3000)
    # Written by the triage worker when sharpening; experts read it first (triage pools).
    summary = models.TextField(_("summary for the experts"), max_length=3000, blank=True)
    life_domains = models.ManyToManyField(
        "expertise.LifeDomain", blank=True, related_name="questions", verbose_name=_("life domains")
    )
    target_groups = models.ManyToManyField(
        "expertise.TargetGroup",
        blank=True,
        related_name="questions",
        verbose_name=_("target groups"),
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    help_form = models.CharField(
        _("wanted form of help"), max_length=20, choices=HelpForm.choices, default=HelpForm.WRITTEN
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Where a question returns after the generalist answers a clarification request.
    status_before_clarification = models.CharField(
        _("status before clarification"), max_length=30, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # The pool triage sent a redirected question on to: the team asks it again there.
    redirect_pool = models.ForeignKey(
        "expertise.ExpertPool", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("redirected to pool"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-last_activity_at"]
        permissions = [("advise_question", _("Can advise on the question"))]
        indexes = ix.QUESTION_INDEXES

    def __str__(self) -> str:
        return f"{self.case_id and self.case.pseudonym}: {self.title}"

    @property
    def is_urgent(self) -> bool:
        return self.urgency == self.Urgency.URGENT


class QuestionExpert(models.Model):
    """An expert working on a question: picked it up (network) or assigned (triage)."""

    class Kind(models.TextChoices):
        PICKED_UP = "picked_up", _("picked up")
        ASSIGNED = "assigned", _("assigned")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="experts", verbose_name=_("question")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="question_roles",
        verbose_name=_("expert"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Assigned experts accept or decline (with a reason); a decline returns the question to
    # the triage queue.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("decline reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("expert on question")
        verbose_name_plural = _("experts on questions")
        constraints = [
            models.UniqueConstraint(fields=["question", "expert"], name="unique_question_expert")
        ]

    def __str__(self) -> str:
        return f"{self.expert} – {self.question_id} ({self.get_kind_display()})"


class Message(models.Model):
    """One entry in a question's thread: advice, a clarification request, a reply, a follow-up."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("advice")
        CLARIFICATION_REQUEST = "clarification_request", _("clarification request")
        REPLY = "reply", _("reply")
        FOLLOW_UP = "follow_up", _("follow-up")
        TRIAGE_NOTE = "triage_note", _("note from triage")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="messages", verbose_name=_("question")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="messages", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    body = models.TextField(_("message"), max_length=8000)
    # The expert's discipline at the time of writing ("schuldhulpverlener"), never the
    # organisation: the platform is not a marketing tool (seed 001).
    author_discipline = models.CharField(_("author discipline"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = ix.MESSAGE_INDEXES

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} on question {self.question_id}"


def _attachment_path(instance, filename: str) -> str:
    # Stored under a random name: the uploaded file name may name the resident.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("question")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=160)
    note = models.CharField(_("note"), max_length=500, blank=True)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(verbose_name=_("size in bytes"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} on question {self.question_id}"


class QuestionTransition(models.Model):
    """The question's history: every status change, who, when, from, to, why. Written only by
    consultation.workflow."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("question")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    from_status = models.CharField(
        _("from status"), max_length=30, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=30, choices=Status.choices)
    reason_code = models.CharField(
        _("reason code"), max_length=40, choices=Reason.choices, blank=True
    )
    # Free text: what the person wrote (a reopening's reason), or the detail of a system reason
    # (the experts assigned, the kinds the privacy check found): never case content.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]
        indexes = ix.TRANSITION_INDEXES

    def __str__(self) -> str:
        return (
            f"{self.question_id}: {self.get_from_status_display()} → {self.get_to_status_display()}"
        )

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language: the system's label, then what was written."""
        if not self.reason_code:
            return self.reason
        label = str(Reason(self.reason_code).label)
        if not self.reason:
            return label
        joiner = " " if self.reason_code in (Reason.DECLINED, Reason.ACCEPTED) else ": "
        return f"{label}{joiner}{self.reason}"


class QuestionRevision(models.Model):
    """The version before a triage worker sharpened the question: the generalist sees both."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("question")
    )
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), blank=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("revised by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return gettext("earlier version of question %s") % self.question_id


class QuestionRead(models.Model):
    """When a user last opened a question: drives the unread markers in lists."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="reads", verbose_name=_("question")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("question read")
        verbose_name_plural = _("question reads")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="unique_question_read")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.question_id}"


class CloseOut(models.Model):
    """The close-out form (after Champlain BASE eConsult). A reopened question keeps its
    earlier close-outs: the newest one is current."""

    class Direction(models.TextChoices):
        CONFIRMED = "confirmed", _("the advice confirmed my plan")
        NEW_DIRECTION = "new_direction", _("the advice gave a new direction")

    class Escalation(models.TextChoices):
        AVOIDED = "avoided", _("avoided")
        STILL_NEEDED = "still_needed", _("still needed")
        NEWLY_TRIGGERED = "newly_triggered", _("newly triggered")
        NOT_CONSIDERED = "not_considered", _("not considered")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="close_outs", verbose_name=_("question")
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    direction = models.CharField(
        _("effect of the advice"), max_length=20, choices=Direction.choices
    )
    escalation = models.CharField(
        _("escalation to specialised care or a maatwerkvoorziening"),
        max_length=20,
        choices=Escalation.choices,
    )
    comment = models.TextField(_("comment"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("close-out")
        verbose_name_plural = _("close-outs")
        ordering = ["-created_at"]
        indexes = ix.CLOSE_OUT_INDEXES

    def __str__(self) -> str:
        return gettext("close-out of question %s") % self.question_id


class AdviceRating(models.Model):
    close_out = models.ForeignKey(
        CloseOut, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("close-out")
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("message")
    )
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("advice rating")
        verbose_name_plural = _("advice ratings")
        constraints = [
            models.UniqueConstraint(fields=["close_out", "message"], name="unique_rating"),
            models.CheckConstraint(
                condition=models.Q(usefulness__gte=1, usefulness__lte=5), name="usefulness_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usefulness}/5 for message {self.message_id}"


class Notification(models.Model):
    """A transactional outbox row, written in the transaction of the event it reports; unique per
    (event, recipient, channel). E-mail rows go pending → sending → sent, at most one e-mail per
    row (consultation/delivery.py). Carries no case content (DESIGN §4.5)."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("in the app")
        EMAIL = "email", _("e-mail")

    class Kind(models.TextChoices):
        NEW_QUESTION = "new_question", _("new question")
        NEW_ADVICE = "new_advice", _("new advice")
        CLARIFICATION_REQUESTED = "clarification_requested", _("clarification requested")
        REPLY = "reply", _("reply from the district team")
        FOLLOW_UP = "follow_up", _("follow-up from the district team")
        QUESTION_CLOSED = "question_closed", _("question closed")
        REOPENED = "reopened", _("question reopened")
        NEW_IN_QUEUE = "new_in_queue", _("new question in the triage queue")
        ASSIGNED = "assigned", _("question assigned to you")
        DECLINED = "declined", _("an expert declined")
        TRIAGE_LATE = "triage_late", _("triage is late")
        ADVICE_LATE = "advice_late", _("first advice is late")
        SHARPENED = "sharpened", _("question sharpened by triage")
        REDIRECTED = "redirected", _("question redirected")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("being handed to the mail server")
        SENT = "sent", _("sent")
        IN_DIGEST = "in_digest", _("waiting for the daily digest")
        FAILED = "failed", _("could not be sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event_key = models.CharField(_("event key"), max_length=120)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    # E-mail rows of a daily-digest reader go out in the digest, not one by one.
    digest = models.BooleanField(_("in the daily digest"), default=False, db_default=False)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0
    )  # hand-offs that reached the server
    # Set when a hand-off was not confirmed (its sender died, or lost the server after sending
    # the data) and the row was handed off again: the one resend allowed has been made.
    resent_once = models.BooleanField(_("resent once"), default=False, db_default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    handed_off_at = models.DateTimeField(_("handed off at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"], name="unique_notification_per_event"
            )
        ]
        indexes = ix.NOTIFICATION_INDEXES

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.channel}, {self.state})"


# The object permissions of a question (guardian) are in a module of their own; imported here so
# that Django registers them with this app.
from consultation.object_permissions import (  # noqa: E402
    QuestionGroupObjectPermission,
    QuestionUserObjectPermission,
)

__all__ = [
    "QuestionGroupObjectPermission",
    "QuestionUserObjectPermission",
    "Reason",
    "Status",
]
