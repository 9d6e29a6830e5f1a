"""Time an expert spends for a pool (urenregistratie) and the monthly invoice exports.

An entry is never edited once it counts: it is confirmed (within the pool's monthly cap),
waits for approval (beyond it) or is approved/rejected by the pool's triage worker or
coordinator. Once a month is exported for a care provider its entries are locked; a correction
is a new entry with a signed difference, by whom and why (hours.services.time_entry_correct)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvoiceExport(models.Model):
    """One export of a month's time entries of one care provider's experts in one pool. The
    entries it holds are locked; a later export of the same month holds only what was added
    since (corrections, late approvals)."""

    pool = models.ForeignKey(
        "expertise.ExpertPool",
        on_delete=models.PROTECT,
        related_name="invoice_exports",
        verbose_name=_("expert pool"),
    )
    organisation = models.ForeignKey(
        "expertise.Organisation",
        on_delete=models.PROTECT,
        related_name="invoice_exports",
        verbose_name=_("care provider"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    number = models.PositiveSmallIntegerField(_("number within the month"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exported by"),
    )
    created_at = models.DateTimeField(_("exported at"), default=timezone.now)

    class Meta:
        verbose_name = _("invoice export")
        verbose_name_plural = _("invoice exports")
        ordering = ["-month", "organisation__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "organisation", "month", "number"], name="invoice_export_once"
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="invoice_export_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.month:%Y-%m} #{self.number}"


class TimeEntry(models.Model):
    class Activity(models.TextChoices):
        ADVICE = "advice", _("written advice")
        SESSION = "session", _("session")
        CORRECTION = "correction", _("correction")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed, to confirm")
        CONFIRMED = "confirmed", _("confirmed")
        AWAITING_APPROVAL = "awaiting_approval", _("beyond the cap: awaiting approval")
        APPROVED = "approved", _("approved beyond the cap")
        REJECTED = "rejected", _("not approved")
        DECLINED = "declined", _("declined")

    # What is paid: confirmed within the cap, or approved beyond it.
    BILLABLE = (Status.CONFIRMED, Status.APPROVED)

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("expert"),
    )
    pool = models.ForeignKey(
        "expertise.ExpertPool",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("expert pool"),
    )
    # The care provider that invoices it: the expert's employer when the entry was made.
    organisation = models.ForeignKey(
        "expertise.Organisation",
        on_delete=models.PROTECT,
        related_name="time_entries",
        verbose_name=_("care provider"),
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    question = models.ForeignKey(
        "consultation.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("question"),
    )
    message = models.ForeignKey(
        "consultation.Message",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("advice"),
    )
    session = models.ForeignKey(
        "meetings.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("session"),
    )
    # Signed: a correction may take minutes off (-30) or add them.
    minutes = models.IntegerField(
        _("minutes"), validators=[MinValueValidator(-600), MaxValueValidator(600)]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=200, blank=True)
    export = models.ForeignKey(
        InvoiceExport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("invoice export"),
    )

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-date", "-pk"]
        constraints = [
            # One entry per written advice and one attendance per session per expert: what makes
            # a double submit and a re-run of the proposal harmless.
            models.UniqueConstraint(
                fields=["message"],
                condition=models.Q(message__isnull=False, activity="advice"),
                name="time_entry_once_per_advice",
            ),
            models.UniqueConstraint(
                fields=["session", "expert"],
                condition=models.Q(session__isnull=False, activity="session"),
                name="time_entry_once_per_session",
            ),
            models.CheckConstraint(
                condition=~models.Q(minutes=0), name="time_entry_minutes_not_zero"
            ),
            models.CheckConstraint(
                condition=models.Q(activity="correction", corrects__isnull=False)
                | (~models.Q(activity="correction") & models.Q(minutes__gt=0)),
                name="time_entry_correction_points_back",
            ),
        ]
        indexes = [
            # The month's usage of an expert in a pool (the cap), and the export's selection.
            models.Index(fields=["expert", "pool", "date"], name="time_entry_expert_month"),
            models.Index(fields=["pool", "organisation", "date"], name="time_entry_invoice"),
            models.Index(
                fields=["pool", "created_at"],
                condition=models.Q(status="awaiting_approval"),
                name="time_entry_awaiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} {self.date:%Y-%m-%d} {self.minutes} min"

    @property
    def is_locked(self) -> bool:
        return self.export_id is not None
