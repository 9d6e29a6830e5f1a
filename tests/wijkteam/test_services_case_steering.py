"""Handing a case over (casusregie) and correcting a resident's details, on real PostgreSQL:
who may, to whom, and what the audit log says (field names and user ids, never the identity)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import AuditEvent, Case
from wijkteam.services import case_hand_over, resident_update

pytestmark = pytest.mark.django_db


def _case_updates(case):
    return AuditEvent.objects.filter(
        object_type="wijkteam.Case", object_id=case.pk, action=AuditEvent.Action.UPDATE
    )


@pytest.fixture
def colleague(make_user):
    return make_user(Role.GENERALIST, first_name="Joris", last_name="Collega")


@pytest.fixture
def team_lead(make_user):
    return make_user(Role.TEAM_LEAD)


# --- Handing over ----------------------------------------------------------------------------
def test_the_team_lead_hands_the_case_to_a_colleague_and_it_is_audited(
    case, generalist, colleague, team_lead
):
    case_hand_over(actor=team_lead, case=case, to=colleague)
    case.refresh_from_db()
    assert case.owner == colleague
    (event,) = _case_updates(case)
    assert (event.actor, event.case_pseudonym) == (team_lead, case.pseudonym)
    assert event.detail == f"owner: user {generalist.pk} -> user {colleague.pk}"


def test_the_owner_may_hand_over_their_own_case(case, generalist, colleague):
    case_hand_over(actor=generalist, case=case, to=colleague)
    case.refresh_from_db()
    assert case.owner == colleague
    # ...and then it is no longer theirs to hand over.
    with pytest.raises(PermissionDenied):
        case_hand_over(actor=generalist, case=case, to=generalist)


def test_a_colleague_who_does_not_own_the_case_may_not_hand_it_over(case, colleague, team_lead):
    with pytest.raises(PermissionDenied):
        case_hand_over(actor=colleague, case=case, to=team_lead)
    assert not _case_updates(case).exists()


def test_a_team_lead_of_another_team_may_not_hand_it_over(case, colleague):
    other_lead = TeamMembershipFactory(team=DistrictTeamFactory(), role="team_lead").user
    with pytest.raises(PermissionDenied):
        case_hand_over(actor=other_lead, case=case, to=colleague)


def test_the_case_goes_only_to_a_member_of_its_team(case, generalist, team_lead):
    outsider = TeamMembershipFactory(team=DistrictTeamFactory()).user
    with pytest.raises(ValidationError) as refused:
        case_hand_over(actor=team_lead, case=case, to=outsider)
    assert "owner" in refused.value.error_dict
    case.refresh_from_db()
    assert case.owner == generalist
    assert not _case_updates(case).exists()


def test_handing_over_to_the_owner_or_a_closed_case_is_refused(case, generalist, colleague):
    with pytest.raises(ValidationError):
        case_hand_over(actor=generalist, case=case, to=generalist)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    with pytest.raises(ValidationError):
        case_hand_over(actor=generalist, case=case, to=colleague)
    assert not _case_updates(case).exists()


# --- Correcting the resident -----------------------------------------------------------------
DETAILS = {
    "first_name": "Zoë",
    "last_name": "van der Berg",
    "date_of_birth": date(2010, 3, 7),
    "postcode": "3811 AB",
    "household": "single_parent",
}


def _resident_updates(resident):
    return AuditEvent.objects.filter(
        object_type="wijkteam.Resident", object_id=resident.pk, action=AuditEvent.Action.UPDATE
    )


def test_a_team_member_corrects_the_resident_and_the_audit_names_only_the_fields(
    resident, case, colleague
):
    changed = resident_update(
        actor=colleague,
        resident=resident,
        case=case,
        **{**DETAILS, "last_name": " Vermeulen ", "postcode": "3812cd"},
    )
    assert changed == ["last_name", "postcode"]
    resident.refresh_from_db()
    assert (resident.last_name, resident.postcode) == ("Vermeulen", "3812 CD")  # as registered
    (event,) = _resident_updates(resident)
    assert (event.actor, event.case_pseudonym) == (colleague, case.pseudonym)
    assert event.detail == "changed: last_name, postcode"
    for value in ("Vermeulen", "Berg", "3812", "3811"):
        assert value not in event.detail


def test_saving_unchanged_details_writes_no_audit_row(resident, generalist):
    assert resident_update(actor=generalist, resident=resident, **DETAILS) == []
    assert not _resident_updates(resident).exists()


def test_only_the_residents_own_team_corrects_the_details(resident):
    outsider = TeamMembershipFactory(team=DistrictTeamFactory()).user
    with pytest.raises(PermissionDenied):
        resident_update(actor=outsider, resident=resident, **{**DETAILS, "first_name": "X"})
    resident.refresh_from_db()
    assert resident.first_name == "Zoë"
    assert not _resident_updates(resident).exists()
