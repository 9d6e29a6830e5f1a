"""Team-side writes: the append-only audit log, and team groups that follow memberships."""

import pytest
from django.db import DatabaseError, transaction
from django.db.utils import InternalError

from tests.accounts.factories import UserFactory
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import AuditEvent, TeamMembership
from wijkteam.services import (
    audit_identity_read,
    audit_record,
    team_group_ensure,
    team_membership_sync,
)


@pytest.fixture
def event(generalist, resident):
    return audit_identity_read(actor=generalist, resident=resident)


# --- The audit log is append-only ----------------------------------------------------------------
def test_audit_events_cannot_be_updated_in_the_database(event):
    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="weggepoetst")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.detail == ""
    assert stored.action == AuditEvent.Action.VIEW_IDENTITY


def test_audit_events_cannot_be_deleted_in_the_database(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_is_refused_too(event):
    from django.db import connection

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE wijkteam_auditevent SET actor_id = actor_id")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM wijkteam_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_saving_an_existing_event_is_refused_before_the_database(event):
    event.detail = "anders"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_appending_still_works(generalist, resident, event, rf):
    request = rf.get("/wijkteam/inwoner/1/?tab=x", HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.7")
    second = audit_identity_read(
        actor=generalist, resident=resident, request=request, channel="api"
    )
    assert AuditEvent.objects.count() == 3  # registration, `event`, `second`
    assert (second.object_type, second.object_id) == ("wijkteam.Resident", resident.pk)
    assert (second.path, second.ip_address, second.user_agent, second.channel) == (
        "/wijkteam/inwoner/1/?tab=x",
        "10.0.0.7",
        "pytest",
        "api",
    )


def test_audit_detail_is_cut_to_the_column_length(generalist, resident):
    event = audit_record(actor=generalist, action="update", obj=resident, detail="x" * 500)
    assert AuditEvent.objects.get(pk=event.pk).detail == "x" * 200


# --- Team groups follow memberships --------------------------------------------------------------
def test_team_group_is_created_once(org):
    team = DistrictTeamFactory()
    group = team_group_ensure(team=team)
    team.refresh_from_db()
    assert team.group == group
    assert team_group_ensure(team=team) == group
    assert group.name == f"wijkteam:{team.pk}"


def test_a_new_membership_joins_the_team_group(org):
    user = UserFactory()
    TeamMembershipFactory(team=org["team"], user=user)
    org["team"].refresh_from_db()
    assert user.groups.filter(pk=org["team"].group_id).exists()


def test_removing_a_membership_leaves_the_team_group(org, generalist):
    team = org["team"]
    team.refresh_from_db()
    assert generalist.groups.filter(pk=team.group_id).exists()

    TeamMembership.objects.get(user=generalist, team=team).delete()

    assert not generalist.groups.filter(pk=team.group_id).exists()


def test_removing_memberships_in_bulk_leaves_the_team_group(org, generalist):
    team = org["team"]
    TeamMembership.objects.filter(team=team).delete()
    team.refresh_from_db()
    assert not generalist.groups.filter(pk=team.group_id).exists()


def test_membership_of_one_team_does_not_touch_another(org, generalist):
    other = DistrictTeamFactory()
    TeamMembershipFactory(team=other, user=generalist)
    TeamMembership.objects.get(user=generalist, team=other).delete()
    org["team"].refresh_from_db()
    assert generalist.groups.filter(pk=org["team"].group_id).exists()


def test_sync_repairs_a_group_that_drifted(org, generalist):
    team = org["team"]
    team.refresh_from_db()
    generalist.groups.clear()
    team_membership_sync(user=generalist, team=team)
    assert generalist.groups.filter(pk=team.group_id).exists()
    stranger = UserFactory()
    stranger.groups.add(team.group)
    team_membership_sync(user=stranger, team=team)
    assert not stranger.groups.filter(pk=team.group_id).exists()
