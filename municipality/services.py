"""Writes of the municipality admin's team management: invitations, roles, deactivation, and
pool settings. Every change is written to the audit log (wijkteam.AuditEvent) with ids only:
the detail names people by user id, never a resident (there is none here) or a case's content.

Each service checks the actor's scope itself (the views 404 before that; this is the second
lock), locks what it changes, and queues its e-mail on commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import roles_of
from accounts.services import credentials_end
from expertise.models import ExpertPool
from municipality.models import TeamInvitation
from municipality.selectors import open_cases_of, pool_editable_by, team_lead_for_handover
from municipality.tasks import queue_invitation_mail
from wijkteam.audit import audit_event
from wijkteam.models import AuditEvent, Case, DistrictTeam, Municipality, TeamMembership
from wijkteam.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

ROLES = TeamMembership.Role


def _require_admin(*, actor: User, team: DistrictTeam) -> None:
    if not Municipality.admins.through.objects.filter(
        municipality_id=team.municipality_id, user_id=actor.pk
    ).exists():
        raise PermissionDenied


def _valid_role(role: str) -> str:
    if role not in ROLES.values:
        raise ValidationError({"role": _("Choose generalist or team lead.")})
    return role


def _person(*, email: str, first_name: str, last_name: str) -> User:
    """The account with this e-mail address, or a new one that cannot sign in yet: inactive,
    without a usable password, until the invitation is accepted."""
    users = get_user_model().objects
    email = users.normalize_email(email.strip()).lower()
    found = users.filter(email__iexact=email).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: two invitations at once make one account
            return users.create_user(
                email=email,
                password=None,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                is_active=False,
            )
    except IntegrityError:
        return users.get(email__iexact=email)


def _withdraw_open(*, team_id: int, user_id: int) -> int:
    """Withdraw the person's open invitations to the team: their links stop working, and one
    not yet sent is not sent any more."""
    open_ones = TeamInvitation.objects.filter(
        team_id=team_id, user_id=user_id, accepted_at__isnull=True, withdrawn_at__isnull=True
    )
    open_ones.filter(state=TeamInvitation.State.PENDING).update(
        state=TeamInvitation.State.SUPERSEDED
    )
    return open_ones.update(withdrawn_at=timezone.now())


def _queue_mail(invitation_id: int) -> None:
    transaction.on_commit(lambda: queue_invitation_mail([invitation_id]))


@transaction.atomic
def member_invite(
    *,
    actor: User,
    team: DistrictTeam,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    request: HttpRequest | None = None,
) -> TeamInvitation:
    """Invite a person to the team with a role. A new person gets an account that waits for
    the invitation's link (password, then second factor); someone who already works in
    Wijkexpert becomes a member at once and is told by e-mail. Inviting again someone who has
    not accepted yet sends a fresh link and withdraws the old one: never a second account or
    membership."""
    _require_admin(actor=actor, team=team)
    role = _valid_role(role)
    # Invitations to one team one at a time: a double submit finds the first one's rows.
    team = DistrictTeam.objects.select_for_update().get(pk=team.pk)
    user = _person(email=email, first_name=first_name, last_name=last_name)
    needs_setup = not (user.is_active and user.has_usable_password())
    membership = TeamMembership.objects.filter(team=team, user=user).first()
    if membership is not None and not needs_setup:
        raise ValidationError({"email": _("This person is already a member of this team.")})
    if membership is None:
        membership = TeamMembership.objects.create(team=team, user=user, role=role)
    elif membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    withdrawn = _withdraw_open(team_id=team.pk, user_id=user.pk)
    now = timezone.now()
    invitation = TeamInvitation.objects.create(
        team=team,
        user=user,
        role=role,
        invited_by=actor,
        needs_setup=needs_setup,
        created_at=now,
        expires_at=now + timedelta(days=settings.TEAM_INVITATION_VALID_DAYS),
        # Nothing to accept for someone who signs in already: the membership is there.
        accepted_at=None if needs_setup else now,
    )
    detail = f"user {user.pk} to team {team.pk} as {role}; invitation {invitation.pk}"
    if withdrawn:
        detail += f"; {withdrawn} earlier invitation(s) withdrawn"
    if not needs_setup:
        detail += "; existing account, added at once"
    audit_record(
        actor=actor, action=AuditEvent.Action.INVITE, obj=membership, detail=detail, request=request
    )
    _queue_mail(invitation.pk)
    return invitation


class InvitationUnusable(ValidationError):
    """The link no longer works; `reason` is "used", "withdrawn" or "expired"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def invitation_check(invitation: TeamInvitation) -> None:
    """Raise InvitationUnusable when the invitation's link no longer works."""
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.withdrawn_at is not None:
        raise InvitationUnusable("withdrawn")
    if invitation.has_expired:
        raise InvitationUnusable("expired")


@transaction.atomic
def invitation_accept(
    *, invitation: TeamInvitation, password: str, request: HttpRequest | None = None
) -> User:
    """The invitee sets their password through the link (once): the account is active, any
    earlier second factor is dropped (the next step sets up a new one: accounts' enrolment)."""
    invitation = (
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=invitation.pk)
    )
    invitation_check(invitation)
    if not TeamMembership.objects.filter(team_id=invitation.team_id, user=invitation.user).exists():
        raise InvitationUnusable("withdrawn")
    user = invitation.user
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    TOTPDevice.objects.filter(user=user).delete()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.ACCEPT_INVITATION,
        obj=invitation,
        detail=f"user {user.pk} joined team {invitation.team_id}",
        request=request,
    )
    return user


@transaction.atomic
def membership_role_change(
    *, actor: User, membership: TeamMembership, role: str, request: HttpRequest | None = None
) -> bool:
    """Generalist <-> team lead. Returns whether anything changed (nothing changed: no row)."""
    membership = (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=membership.pk)
    )
    _require_admin(actor=actor, team=membership.team)
    role = _valid_role(role)
    if membership.role == role:
        return False
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=membership,
        detail=f"user {membership.user_id} in team {membership.team_id}: role {previous} -> {role}",
        request=request,
    )
    return True


@dataclass(frozen=True)
class Deactivation:
    cases_handed: int
    handed_to: User | None
    sessions_ended: int
    tokens_revoked: int
    account_deactivated: bool


@transaction.atomic
def membership_deactivate(
    *, actor: User, membership: TeamMembership, request: HttpRequest | None = None
) -> Deactivation:
    """End a person's membership of a team: their open cases of the team go to its team lead
    (refused when there is none), their sessions end and their API tokens are revoked, and
    when no role is left to them (no other team, pool or municipality) their account is
    deactivated too. One cannot deactivate oneself."""
    membership = (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("team", "user")
        .get(pk=membership.pk)
    )
    _require_admin(actor=actor, team=membership.team)
    person = membership.user
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    cases = list(open_cases_of(membership=membership).select_for_update().order_by("pk"))
    lead = team_lead_for_handover(membership=membership)
    if cases and lead is None:
        raise ValidationError(
            _(
                "%(name)s still holds %(count)s open case(s) and the team has no other team "
                "lead to hand them to. Make someone team lead first."
            )
            % {"name": person.get_full_name() or person.email, "count": len(cases)}
        )
    if cases:
        assert lead is not None
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(owner=lead.user)
        AuditEvent.objects.bulk_create(
            audit_event(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type=Case._meta.label,
                object_id=case.pk,
                case_pseudonym=case.pseudonym,
                detail=f"owner: user {person.pk} -> user {lead.user_id} (membership ended)",
                request=request,
            )
            for case in cases
        )
    _withdraw_open(team_id=membership.team_id, user_id=person.pk)
    membership_id, role = membership.pk, membership.role
    membership.delete()
    # Whatever else they do in Wijkexpert stays; with nothing left, the account ends too.
    account_deactivated = person.is_active and not roles_of(person)
    if account_deactivated:
        person.is_active = False
        person.save(update_fields=["is_active"])
    # Sessions, API tokens and the calendar feed end with the membership.
    ended_credentials = credentials_end(user=person)
    ended, revoked = ended_credentials.sessions, ended_credentials.tokens
    detail = (
        f"user {person.pk} left team {membership.team_id} (was {role}); "
        f"{len(cases)} open case(s) to user {lead.user_id if cases and lead else '-'}; "
        f"{ended} session(s) ended; {revoked} token(s) revoked"
    )
    membership.pk = membership_id  # deleted: the audit row still names it
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DEACTIVATE,
        obj=membership,
        detail=detail + ("; account deactivated" if account_deactivated else ""),
        request=request,
    )
    if account_deactivated:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DEACTIVATE,
            obj=person,
            detail=f"no role left after leaving team {membership.team_id}",
            request=request,
        )
    return Deactivation(
        cases_handed=len(cases),
        handed_to=lead.user if cases and lead else None,
        sessions_ended=ended,
        tokens_revoked=revoked,
        account_deactivated=account_deactivated,
    )


POOL_SETTINGS = ("triage_target_days", "advice_target_days", "monthly_cap_minutes")


@transaction.atomic
def pool_settings_update(
    *, actor: User, pool: ExpertPool, request: HttpRequest | None = None, **values: int
) -> list[str]:
    """Change a pool's service levels and hour cap: only a pool that serves the actor's
    municipalities alone (municipality.selectors.pools_serving). Returns the fields changed;
    the audit row has their old and new values (settings, no personal data)."""
    if pool_editable_by(user=actor, pool_id=pool.pk) is None:
        raise PermissionDenied
    pool = ExpertPool.objects.select_for_update().get(pk=pool.pk)
    changed = [
        name for name in POOL_SETTINGS if name in values and getattr(pool, name) != values[name]
    ]
    if not changed:
        return []
    detail = "; ".join(f"{name}: {getattr(pool, name)} -> {values[name]}" for name in changed)
    for name in changed:
        setattr(pool, name, values[name])
    pool.save(update_fields=changed)
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=pool, detail=detail, request=request
    )
    return changed
