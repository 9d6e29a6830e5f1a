import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class Region(models.Model):
    """Municipalities that share an expertise pool, e.g. Regio Eemland."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    # A region admin reads the figures of all the region's municipalities side by side; they
    # manage nothing (each municipality manages its own teams).
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="administered_regions",
        verbose_name=_("region administrators"),
    )
    # The region's privacy officers (functionaris gegevensbescherming): they read the audit log
    # and get its weekly summary (accounts.roles.Role.PRIVACY_OFFICER).
    privacy_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="privacy_officer_of",
        verbose_name=_("privacy officers"),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=120, unique=True)
    # CBS municipality code (e.g. GM0307 for Amersfoort): stable across renames.
    code = models.CharField(_("CBS code"), max_length=6, unique=True)
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="administered_municipalities",
        verbose_name=_("municipality administrators"),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DistrictTeam(models.Model):
    """A wijkteam / buurtteam / sociaal team of generalists."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="district_teams",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=160)
    is_active = models.BooleanField(_("active"), default=True)
    # The team's auth group: row-level grants (django-guardian) go to the group, and
    # TeamMembership keeps its members in sync.
    group = models.OneToOneField(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="district_team",
        verbose_name=_("group"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="TeamMembership",
        related_name="district_teams",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("district team")
        verbose_name_plural = _("district teams")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        GENERALIST = "generalist", _("generalist")
        TEAM_LEAD = "team_lead", _("team lead")

    team = models.ForeignKey(
        DistrictTeam, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "user"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_team_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team} ({self.get_role_display()})"


POSTCODE_VALIDATOR = RegexValidator(
    r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Enter a Dutch postcode, e.g. 3811 AB.")
)

# Age bands shown outside the team instead of a birth date.
AGE_BANDS = [(0, 3), (4, 11), (12, 17), (18, 22), (23, 44), (45, 66), (67, 79), (80, None)]


def age_band_label(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if high is None and age >= low:
            return _("%(low)s years and older") % {"low": low}
        if high is not None and low <= age <= high:
            return _("%(low)s–%(high)s years") % {"low": low, "high": high}
    return ""


def household_label(value: str) -> str:
    """What experts see of the household: its composition, as a label."""
    return str(Resident.Household(value).label) if value else ""


class Resident(models.Model):
    """An inwoner. The ONLY place a resident's identity lives (DESIGN §4.1); no BSN is stored.

    Everyone outside the owning team sees a case pseudonym, an age band and the household
    composition, never these fields. Read through wijkteam.selectors.residents_visible_to.
    """

    class Household(models.TextChoices):
        SINGLE = "single", _("single person")
        SINGLE_PARENT = "single_parent", _("single parent with children")
        COUPLE = "couple", _("couple without children")
        COUPLE_WITH_CHILDREN = "couple_with_children", _("couple with children")
        WITH_PARENTS = "with_parents", _("living with parent(s) or carers")
        SHARED = "shared", _("shared or supported housing")
        OTHER = "other", _("other")

    team = models.ForeignKey(
        DistrictTeam, on_delete=models.PROTECT, related_name="residents", verbose_name=_("team")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    postcode = models.CharField(_("postcode"), max_length=7, validators=[POSTCODE_VALIDATOR])
    household = models.CharField(
        _("household composition"), max_length=30, choices=Household.choices
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        # Deliberately not the name: str() ends up in logs, admin messages and errors.
        return f"Inwoner #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date | None = None) -> int:
        day = day or timezone.localdate()
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ResidentUserObjectPermission(UserObjectPermissionBase):
    # guardian's fields again, with a name in the admin (guardian leaves them unnamed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    permission = models.ForeignKey(
        Permission, on_delete=models.CASCADE, verbose_name=_("permission")
    )
    content_object = models.ForeignKey(
        Resident, on_delete=models.CASCADE, verbose_name=_("resident")
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("resident user object permission")
        verbose_name_plural = _("resident user object permissions")


class ResidentGroupObjectPermission(GroupObjectPermissionBase):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, verbose_name=_("group"))
    permission = models.ForeignKey(
        Permission, on_delete=models.CASCADE, verbose_name=_("permission")
    )
    content_object = models.ForeignKey(
        Resident, on_delete=models.CASCADE, verbose_name=_("resident")
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("resident group object permission")
        verbose_name_plural = _("resident group object permissions")


PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


def new_pseudonym() -> str:
    """Random, not derived from the resident: C- and six characters (32^6 ≈ 10^9)."""
    return "C-" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))


class Case(models.Model):
    """A casus: a resident's support trajectory in a team, known outside it by its pseudonym."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    team = models.ForeignKey(
        DistrictTeam, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="cases", verbose_name=_("resident")
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=8, unique=True, editable=False)
    # Casusregie stays with the generalist: experts advise, they never own a case.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("case owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "-created_at"])]

    def __str__(self) -> str:
        return self.pseudonym


class AuditEvent(models.Model):
    """Append-only audit log (DESIGN §4.6, NEN 7513): reads of resident identity, refused
    accesses, sign-in events and every write to cases, questions, triage decisions, sessions,
    time entries, memberships and settings. Ids and pseudonyms only, never a resident's identity.

    In the database (migrations 0003 and 0010): a trigger refuses UPDATE and DELETE; the
    application's role may only INSERT and SELECT; a BEFORE INSERT trigger gives each row its
    place in the chain (`seq`) and `row_hash` = sha256(previous row's hash + this row's content),
    under an advisory lock, so two concurrent inserts cannot fork it (`manage.py audit_verify`).
    """

    class Action(models.TextChoices):
        VIEW_IDENTITY = "view_identity", _("viewed resident identity")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        INVITE = "invite", _("invited")
        ACCEPT_INVITATION = "accept_invitation", _("accepted an invitation")
        DEACTIVATE = "deactivate", _("deactivated")
        ACCESS = "access", _("opened")
        SIGN_IN = "sign_in", _("signed in (password)")
        SECOND_FACTOR = "second_factor", _("second factor")
        LOCK_OUT = "lock_out", _("locked out")
        SIGN_OUT = "sign_out", _("signed out")
        EXPORT = "export", _("exported")

    class Result(models.TextChoices):
        SUCCESS = "success", _("success")
        FAILURE = "failure", _("failure")
        REFUSED = "refused", _("refused")

    # Null for events without a known person: a failed sign-in with an unknown account, a
    # write by a periodic task.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("actor"),
    )
    # The person the actor acted for (a planner recording an expert's hours, ...).
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("on behalf of"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    result = models.CharField(
        _("result"),
        max_length=10,
        choices=Result.choices,
        default=Result.SUCCESS,
        db_default=Result.SUCCESS,  # bulk loads (demo.scale's COPY) leave it out
    )
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    case_pseudonym = models.CharField(_("case"), max_length=8, blank=True, db_index=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, default="web")
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_default="")
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    # Filled by the database's BEFORE INSERT trigger (whatever the ORM sends).
    seq = models.PositiveBigIntegerField(
        _("chain position"), null=True, unique=True, editable=False
    )
    prev_hash = models.CharField(
        _("previous hash"), max_length=64, blank=True, db_default="", editable=False
    )
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, db_default="", editable=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="wx_audit_actor_at")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)


class AuditSummary(models.Model):
    """One weekly summary of unusual patterns per privacy officer (wijkteam.tasks): the row makes
    the task safe to run twice in a week."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("privacy officer"),
    )
    week = models.DateField(_("week (Monday)"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit summary")
        verbose_name_plural = _("audit summaries")
        constraints = [
            models.UniqueConstraint(fields=["officer", "week"], name="wx_audit_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.officer_id}"


class ResidentErasure(models.Model):
    """The record that a resident's identity was removed (AVG art. 5(1)(e) and 17): which fields
    and how much free text, when, why, and by whom. Names of fields and counts only, never the
    values: this record must not become a copy of what it says was removed."""

    class Ground(models.TextChoices):
        RETENTION = "retention", _("retention period ended")
        REQUEST = "request", _("erasure request")

    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="erasures", verbose_name=_("resident")
    )
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    # The team lead's reason for an erasure request (required then); empty for retention.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Who erased on request; nobody for retention (the periodic task).
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    fields_removed = models.JSONField(_("fields removed"), default=list)
    # {"redacted_texts": 3, "attachments_deleted": 1, ...}: what was done beyond the fields.
    counts = models.JSONField(_("counts"), default=dict)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("resident erasure")
        verbose_name_plural = _("resident erasures")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_ground_display()}: {self.resident} ({self.created_at:%Y-%m-%d})"
