from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
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
    monthly_hour_cap = models.DecimalField(
        _("monthly hour cap"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Hours per month the expert can be paid for (Eemland: 4)."),
    )
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
