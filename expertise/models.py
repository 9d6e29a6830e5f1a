from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.Model):
    """One of the seven life domains (leefgebieden) of the BCP; seeded by a data migration."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class TargetGroup(models.Model):
    """A target group (doelgroep) such as jeugd, LVB or NAH; seeded, editable in the admin."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An expert's employer (moederorganisatie / zorgaanbieder)."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    # What the municipalities pay it per expert hour: the dashboard shows the cost of the hours
    # only when it is set (no rate typed in, no guessed cost).
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Euros per expert hour, excluding VAT. Leave empty when not agreed."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExpertPool(models.Model):
    class CollaborationModel(models.TextChoices):
        NETWORK = "network", _("expertise network")
        TEAM = "team", _("expertise team")
        TRIAGE = "triage", _("triage worker")

    name = models.CharField(_("name"), max_length=160, unique=True)
    region = models.ForeignKey(
        "wijkteam.Region",
        on_delete=models.PROTECT,
        related_name="expert_pools",
        verbose_name=_("region"),
    )
    collaboration_model = models.CharField(
        _("collaboration model"), max_length=20, choices=CollaborationModel.choices
    )
    description = models.TextField(_("description"), blank=True)
    teams = models.ManyToManyField(
        "wijkteam.DistrictTeam",
        blank=True,
        related_name="expert_pools",
        verbose_name=_("district teams served"),
    )
    triage_workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="triage_pools",
        verbose_name=_("triage workers"),
    )
    # A `team` pool's coordinators plan its sessions and keep its agenda (issue 11), like the
    # triage workers of a `triage` pool.
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_pools",
        verbose_name=_("coordinators"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Service levels in working days (DESIGN §3; eConsult: 94 % answered within a week).
    triage_target_days = models.PositiveSmallIntegerField(
        _("triaged within (working days)"), default=2
    )
    advice_target_days = models.PositiveSmallIntegerField(
        _("first advice within (working days)"), default=5
    )
    claim_idle_minutes = models.PositiveSmallIntegerField(
        _("a claim returns to the queue after (minutes idle)"), default=120
    )
    # What an expert of this pool is paid for per month (Eemland: 4 hours); time beyond it
    # needs the approval of the pool's triage worker or coordinator (hours app).
    monthly_cap_minutes = models.PositiveSmallIntegerField(
        _("hour cap per expert per month (minutes)"),
        default=240,
        db_default=240,  # rows written by COPY (demo.scale) get it too
    )

    class Meta:
        verbose_name = _("expert pool")
        verbose_name_plural = _("expert pools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profile",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    pools = models.ManyToManyField(
        ExpertPool, blank=True, related_name="experts", verbose_name=_("expert pools")
    )
    life_domains = models.ManyToManyField(
        LifeDomain, blank=True, related_name="experts", verbose_name=_("life domains")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="experts", verbose_name=_("target groups")
    )
    job_title = models.CharField(
        _("job title"), max_length=120, help_text=_("For example: schuldhulpverlener.")
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    unavailable_until = models.DateField(
        _("unavailable until"),
        null=True,
        blank=True,
        help_text=_("Leave, illness: no new assignments before this date."),
    )

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title})"


# --- Availability (issue 11): the dagdelen an expert keeps free, and when they are away --------
class Dagdeel(models.TextChoices):
    """A part of the day (dagdeel). The concrete times a session is proposed at, and which
    part of the day a session falls in, are in expertise.availability."""

    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class Weekday(models.IntegerChoices):
    """Python's date.weekday(): Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyAvailability(models.Model):
    """One dagdeel of the week the expert is available for sessions ("dinsdagmiddag"). A row
    per ticked box: what is not here, the expert is not available for."""

    expert = models.ForeignKey(
        ExpertProfile,
        on_delete=models.CASCADE,
        related_name="weekly_availability",
        verbose_name=_("expert"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    dagdeel = models.CharField(_("part of the day"), max_length=10, choices=Dagdeel.choices)

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["expert", "weekday", "dagdeel"]
        constraints = [
            # Also what makes setting the week twice (a double submit) harmless.
            models.UniqueConstraint(
                fields=["expert", "weekday", "dagdeel"], name="weekly_availability_once"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="weekly_availability_weekday_0_6",
            ),
            models.CheckConstraint(
                condition=models.Q(dagdeel__in=Dagdeel.values),
                name="weekly_availability_dagdeel_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert}: {self.get_weekday_display()} {self.get_dagdeel_display()}"


class Absence(models.Model):
    """A stretch of days the expert is away (holiday, leave, illness), both days included.
    Others see that the expert is away and the kind; the note is for the expert alone."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        LEAVE = "leave", _("leave")
        ILLNESS = "illness", _("illness")
        OTHER = "other", _("other")

    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.CASCADE, related_name="absences", verbose_name=_("expert")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), help_text=_("The last day away, included."))
    kind = models.CharField(_("reason"), max_length=10, choices=Kind.choices)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Only for yourself: nobody else sees it."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["expert", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_it_starts",
            ),
        ]
        # The reads: an expert's absences still running or to come; who is away on a day.
        indexes = [models.Index(fields=["expert", "ends_on"], name="absence_expert_ends")]

    def __str__(self) -> str:
        return f"{self.expert}: {self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y}"
