"""Writes for the team side: residents, cases, team groups, and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from wijkteam.audit import audit_event, audit_write
from wijkteam.models import AuditEvent, Case, DistrictTeam, Resident, TeamMembership, new_pseudonym
from wijkteam.selectors import may_steer_case, teams_of

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from accounts.models import User


def team_group_ensure(*, team: DistrictTeam) -> Group:
    """The team's auth group (row-level grants go to it), created on first use."""
    if team.group_id is None:
        with transaction.atomic():
            team = DistrictTeam.objects.select_for_update().get(pk=team.pk)
            if team.group_id is None:
                group, _ = Group.objects.get_or_create(name=f"wijkteam:{team.pk}")
                team.group = group
                team.save(update_fields=["group"])
    return team.group


def team_membership_sync(*, user: User, team: DistrictTeam) -> None:
    """Keep the team group's members equal to the team's members (called on membership change)."""
    group = team_group_ensure(team=team)
    if TeamMembership.objects.filter(user=user, team=team).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj,
    case: Case | None = None,
    detail: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
    result: str = AuditEvent.Result.SUCCESS,
    on_behalf_of: User | None = None,
) -> AuditEvent:
    """One audit event about `obj` (wijkteam.audit: ids and pseudonyms only in `detail`)."""
    return audit_write(
        actor=actor,
        action=action,
        object_type=obj._meta.label,
        object_id=obj.pk,
        case_pseudonym=case.pseudonym if case else "",
        detail=detail,
        request=request,
        channel=channel,
        result=result,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
    )


def audit_identity_reads(
    *,
    actor: User,
    reads,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> list[AuditEvent]:
    """One audit event per (resident, case) read, written in one INSERT: a page of a list that
    shows identities costs one statement, not one per row (DESIGN §4.6)."""
    events, seen = [], set()
    for resident, case in reads:
        key = (resident.pk, case.pk if case else None)
        if key in seen:
            continue
        seen.add(key)
        events.append(
            audit_event(
                actor=actor,
                action=AuditEvent.Action.VIEW_IDENTITY,
                object_type=resident._meta.label,
                object_id=resident.pk,
                case_pseudonym=case.pseudonym if case else "",
                channel=channel,
                request=request,
            )
        )
    return AuditEvent.objects.bulk_create(events) if events else []


def audit_identity_read(
    *,
    actor: User,
    resident: Resident,
    case: Case | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> AuditEvent:
    """Every read of a resident's identity is written down (DESIGN §4.6)."""
    return audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW_IDENTITY,
        obj=resident,
        case=case,
        request=request,
        channel=channel,
    )


def _require_member(*, actor: User, team: DistrictTeam) -> None:
    if not TeamMembership.objects.filter(user=actor, team=team).exists():
        raise PermissionDenied


def _team_for(*, actor: User, team: DistrictTeam | None) -> DistrictTeam:
    """The team given, or, when none is given, the only team the actor works in (the rule
    for every caller: the form hides the choice then, the API lets it be left out)."""
    if team is not None:
        return team
    teams = list(teams_of(user=actor)[:2])
    if len(teams) != 1:
        raise ValidationError({"team": _("Choose the district team the resident belongs to.")})
    return teams[0]


def _resident_fields(
    *, first_name: str, last_name: str, date_of_birth: date, postcode: str, household: str
) -> dict:
    """The identity as stored, the same on registering and editing: names trimmed, the
    postcode as "3811 AB"."""
    compact = postcode.replace(" ", "").upper()
    return {
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth,
        "postcode": f"{compact[:4]} {compact[4:]}",
        "household": household,
    }


@transaction.atomic
def resident_register(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    postcode: str,
    household: str,
    team: DistrictTeam | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Resident:
    team = _team_for(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    resident = Resident.objects.create(
        team=team,
        created_by=actor,
        **_resident_fields(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            postcode=postcode,
            household=household,
        ),
    )
    group = team_group_ensure(team=team)
    # The team's one grant: seeing the identity. Correcting it (resident_update) is for the
    # members who find it through this grant.
    assign_perm("wijkteam.view_resident", group, resident)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=resident,
        request=request,
        channel=channel,
    )
    return resident


@transaction.atomic
def case_open(
    *, actor: User, resident: Resident, request: HttpRequest | None = None, channel: str = "web"
) -> Case:
    _require_member(actor=actor, team=resident.team)
    for _attempt in range(10):
        try:
            with transaction.atomic():  # a savepoint: a pseudonym collision retries cleanly
                case = Case.objects.create(
                    team=resident.team, resident=resident, owner=actor, pseudonym=new_pseudonym()
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 10 collisions in a space of 10^9
        raise RuntimeError("could not find a free case pseudonym")
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=case,
        case=case,
        request=request,
        channel=channel,
    )
    return case


@transaction.atomic
def case_open_with_resident(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    postcode: str,
    household: str,
    team: DistrictTeam | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Case:
    """Register a resident and open their case: one use case, one transaction (the form and
    the API both do this; neither is left with a resident without a case)."""
    resident = resident_register(
        actor=actor,
        team=team,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        household=household,
        request=request,
        channel=channel,
    )
    return case_open(actor=actor, resident=resident, request=request, channel=channel)


@transaction.atomic
def resident_update(
    *,
    actor: User,
    resident: Resident,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    postcode: str,
    household: str,
    case: Case | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> list[str]:
    """Correct a resident's details (a member of the resident's own team). Returns the names of
    the fields that changed; the audit row names them too, never their old or new values (the
    audit log must not become a second copy of the identity). Nothing changed: no row."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    _require_member(actor=actor, team=resident.team)
    if resident.anonymised_at is not None:
        raise ValidationError(_("This resident's details have been anonymised."))
    wanted = _resident_fields(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        household=household,
    )
    changed = [name for name, value in wanted.items() if getattr(resident, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(resident, name, wanted[name])
    resident.save(update_fields=changed)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=resident,
        case=case,
        detail="changed: " + ", ".join(changed),
        request=request,
        channel=channel,
    )
    return changed


@transaction.atomic
def case_hand_over(
    *,
    actor: User,
    case: Case,
    to: User,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Case:
    """Hand the casusregie to another member of the case's team: the team lead may, and so may
    the owner with their own case. Audited, with who had it and who has it now (user ids)."""
    # Locked: two handovers at once end with one owner, and each audit row says from whom.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_steer_case(user=actor, case=case):
        raise PermissionDenied(_("Only the case owner or the team lead can hand the case over."))
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("A closed case cannot be handed over."))
    if not to.is_active or not TeamMembership.objects.filter(user=to, team=case.team_id).exists():
        raise ValidationError({"owner": _("Choose a member of the case's district team.")})
    if to.pk == case.owner_id:
        raise ValidationError({"owner": _("This person already holds the case.")})
    previous = case.owner_id
    case.owner = to
    case.save(update_fields=["owner"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        case=case,
        detail=f"owner: user {previous} -> user {to.pk}",
        request=request,
        channel=channel,
    )
    return case
