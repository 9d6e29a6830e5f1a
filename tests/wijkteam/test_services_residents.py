"""resident_register and case_open on real PostgreSQL: identity for the team only, a random
case pseudonym, an audit event for each."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from guardian.core import ObjectPermissionChecker

from accounts.roles import Role
from tests.accounts.factories import UserFactory
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import AuditEvent, ResidentGroupObjectPermission
from wijkteam.services import case_open, resident_register

PSEUDONYM = re.compile(r"^C-[2-9A-HJ-NP-Z]{6}$")


# --- Residents and cases -------------------------------------------------------------------------
def test_resident_register_stores_the_identity_and_grants_the_team_group(
    generalist, team, resident
):
    assert (resident.first_name, resident.last_name) == ("Zoë", "van der Berg")
    assert resident.postcode == "3811 AB"  # normalised
    assert resident.team == team and resident.created_by == generalist
    team.refresh_from_db()
    grants = set(
        ResidentGroupObjectPermission.objects.filter(
            group=team.group, content_object=resident
        ).values_list("permission__codename", flat=True)
    )
    assert "view_resident" in grants
    assert generalist.groups.filter(pk=team.group_id).exists()
    assert ObjectPermissionChecker(generalist).has_perm("view_resident", resident)


def test_resident_register_writes_an_audit_event(generalist, resident):
    event = AuditEvent.objects.get(object_type="wijkteam.Resident", object_id=resident.pk)
    assert (event.actor, event.action) == (generalist, AuditEvent.Action.CREATE)
    # The audit log names the object, never the identity.
    assert "Berg" not in event.detail


def test_case_open_gets_a_random_pseudonym_and_an_audit_event(generalist, team, resident, case):
    assert PSEUDONYM.match(case.pseudonym)
    assert (case.team, case.resident, case.owner) == (team, resident, generalist)
    second = case_open(actor=generalist, resident=resident)
    assert PSEUDONYM.match(second.pseudonym) and second.pseudonym != case.pseudonym
    event = AuditEvent.objects.get(object_type="wijkteam.Case", object_id=case.pk)
    assert (event.actor, event.action, event.case_pseudonym) == (
        generalist,
        AuditEvent.Action.CREATE,
        case.pseudonym,
    )


def test_a_non_member_cannot_register_a_resident_or_open_a_case(org, make_user, resident):
    outsider = UserFactory()
    other_team_worker = TeamMembershipFactory(team=DistrictTeamFactory()).user
    expert = make_user(Role.EXPERT)
    for actor in (outsider, other_team_worker, expert):
        with pytest.raises(PermissionDenied):
            resident_register(
                actor=actor,
                team=org["team"],
                first_name="Piet",
                last_name="Bakker",
                date_of_birth=date(1990, 1, 1),
                postcode="3811 AB",
                household="single",
            )
        with pytest.raises(PermissionDenied):
            case_open(actor=actor, resident=resident)
    assert list(resident.team.residents.all()) == [resident]
    assert not resident.cases.exists()
    assert AuditEvent.objects.count() == 1  # only the registration of `resident`
