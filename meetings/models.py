"""A session (expertiseoverleg / MDO) of an expert pool, its agenda and who is invited.

A session never holds case content of its own: its agenda points at questions, which stay
behind their one visibility chokepoint (consultation.selectors.questions_visible_to); invited
experts reach them through row-level grants (meetings.services.agenda)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingSeries(models.Model):
    """The recurring meeting of a `team` pool, as an RFC 5545 RRULE ("FREQ=WEEKLY;INTERVAL=2;
    BYDAY=TU"), counted from `first_date`; Celery beat creates its sessions `weeks_ahead`
    weeks ahead (meetings.services.recurring), each occurrence once."""

    pool = models.OneToOneField(
        "expertise.ExpertPool",
        on_delete=models.CASCADE,
        related_name="meeting_series",
        verbose_name=_("expert pool"),
    )
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=200,
        help_text=_(
            "RFC 5545, for example FREQ=WEEKLY;INTERVAL=2;BYDAY=TU (every second Tuesday)."
        ),
    )
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("questions per session"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    weeks_ahead = models.PositiveSmallIntegerField(
        _("sessions created ahead (weeks)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recurring meeting")
        verbose_name_plural = _("recurring meetings")

    def __str__(self) -> str:
        return f"{self.pool}: {self.rrule}"


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    pool = models.ForeignKey(
        "expertise.ExpertPool",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("expert pool"),
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("recurring meeting"),
    )
    # The occurrence of the series this session is (its date by the rule, kept when the session
    # is moved): beat creates each occurrence once.
    occurrence = models.DateField(_("occurrence"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("questions on the agenda at most"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # iCalendar: one UID for the session's life, SEQUENCE raised by every change sent out.
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=models.Q(series__isnull=False),
                name="session_once_per_occurrence",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["pool", "starts_at"], name="session_pool_starts")]

    def __str__(self) -> str:
        return f"{self.pool} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PLANNED


class AgendaItem(models.Model):
    """A question on a session's agenda, with its time slot and, once discussed, the outcome."""

    class Status(models.TextChoices):
        ON_AGENDA = "on_agenda", _("on the agenda")
        DISCUSSED = "discussed", _("discussed")
        CARRIED_OVER = "carried_over", _("carried over to the next session")
        REMOVED = "removed", _("taken off the agenda")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("session")
    )
    question = models.ForeignKey(
        "consultation.Question",
        on_delete=models.CASCADE,
        related_name="agenda_items",
        verbose_name=_("question"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    minutes = models.PositiveSmallIntegerField(
        _("time slot (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ON_AGENDA
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    # The advice agreed, posted on the question as a message (advice from the session).
    outcome = models.OneToOneField(
        "consultation.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("advice agreed"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("experts who took part"),
    )
    carried_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_from",
        verbose_name=_("carried over to"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "question"], name="agenda_question_once_per_session"
            )
        ]
        indexes = [models.Index(fields=["question", "status"], name="agenda_question_status")]

    def __str__(self) -> str:
        return f"{self.session}: #{self.question_id}"


class Invitation(models.Model):
    """Someone invited to a session: an expert (takes part) or an asking generalist (may join
    for their question). One per person per session."""

    class Role(models.TextChoices):
        EXPERT = "expert", _("expert")
        GENERALIST = "generalist", _("asking generalist")

    class Response(models.TextChoices):
        PENDING = "pending", _("not answered yet")
        ACCEPTED = "accepted", _("coming")
        DECLINED = "declined", _("not coming")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_invitations",
        verbose_name=_("invited"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    response = models.CharField(
        _("response"), max_length=20, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    # The sequence of the session the person was last sent (0: nothing sent yet).
    sent_sequence = models.PositiveIntegerField(_("calendar sequence sent"), default=0)
    # The reminder the day before: stored when due, sent once by a periodic task (never an ETA
    # task days ahead: it would outlive the broker's visibility timeout and run twice).
    reminder_due_at = models.DateTimeField(_("reminder due at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["session", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="invitation_once_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "session"], name="invitation_user_session"),
            models.Index(
                fields=["reminder_due_at"],
                condition=models.Q(reminded_at__isnull=True, reminder_due_at__isnull=False),
                name="invitation_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session}"


# The session's e-mails (an outbox) and the calendar feed are in a module of their own; imported
# here so that Django registers them with this app.
from meetings.mail_models import CalendarFeed, SessionMail  # noqa: E402

__all__ = [
    "AgendaItem",
    "CalendarFeed",
    "Invitation",
    "MeetingSeries",
    "Session",
    "SessionMail",
]
