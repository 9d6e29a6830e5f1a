"""The municipality admin manages their teams (issue 12): scope (their own municipality only,
everyone else 404), invitations through the real Celery path, role changes, deactivation
(sessions, tokens, cases to the team lead), the audit rows of each change, and the query counts
of the lists. The invitation's link: test_invitation_link.py; the pools: test_pools.py."""

from urllib.parse import urlparse

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import api_token_create
from config.pagination import PER_PAGE
from meetings.feeds import active_feed_of, feed_create
from municipality import links, mail
from municipality.models import TeamInvitation
from municipality.services import member_invite
from municipality.tasks import send_invitation_mail
from tests.accounts.factories import UserFactory
from tests.consultation.test_query_budgets import REQUEST_OVERHEAD
from tests.expertise.factories import ExpertPoolFactory, ExpertProfileFactory
from tests.helpers import run_on_worker, verify_session, worker_caught_up
from tests.municipality.helpers import (
    POOLS,
    TEAMS,
    audit_rows,
    deactivate_url,
    invite_url,
    link_path,
    membership_of,
    role_url,
    team_url,
)
from tests.wijkteam.factories import DistrictTeamFactory, TeamMembershipFactory
from wijkteam.models import AuditEvent, Case, TeamMembership

pytestmark = pytest.mark.django_db


# --- Scope ---------------------------------------------------------------------------------------
def test_the_admin_sees_their_teams_with_member_counts_and_members(as_admin, team, make_user):
    lead = make_user(Role.TEAM_LEAD, first_name="Lotte", last_name="Leider")
    make_user(Role.GENERALIST, first_name="Gijs", last_name="Generalist")
    response = as_admin.get(TEAMS)
    assert response.status_code == 200
    (row,) = response.context["teams"]
    assert row == team and row.member_count == 2
    response = as_admin.get(team_url(team))
    body = response.content.decode()
    assert "Lotte Leider" in body and lead.email in body and "Gijs Generalist" in body
    assert "nooit" in body  # neither has signed in yet


def test_another_municipality_is_a_404(as_admin, elsewhere):
    member = elsewhere["member"]
    assert elsewhere["team"] not in as_admin.get(TEAMS).context["teams"]
    assert as_admin.get(team_url(elsewhere["team"])).status_code == 404
    assert as_admin.get(invite_url(elsewhere["team"])).status_code == 404
    assert (
        as_admin.post(invite_url(elsewhere["team"]), {"email": "x@example.nl"}).status_code == 404
    )
    assert as_admin.post(role_url(member), {f"m{member.pk}-role": "team_lead"}).status_code == 404
    assert as_admin.post(deactivate_url(member)).status_code == 404
    assert (
        as_admin.get(reverse("municipality:pool", args=[elsewhere["pool"].pk])).status_code == 404
    )
    assert elsewhere["pool"] not in as_admin.get(POOLS).context["pools"]
    member.refresh_from_db()
    assert member.role == TeamMembership.Role.GENERALIST
    # No change is audited (none happened); each 404 is, as a refused access (issue 13).
    audited = AuditEvent.objects.exclude(action=AuditEvent.Action.SIGN_IN)
    assert set(audited.values_list("action", "result")) == {("access", "refused")}
    assert audited.count() == 6


def test_a_member_of_my_municipality_addressed_through_another_team_is_a_404(
    as_admin, team, org, make_user
):
    sister = DistrictTeamFactory(municipality=org["municipality"])
    member = membership_of(make_user(Role.GENERALIST), team)
    wrong = reverse("municipality:deactivate", args=[sister.pk, member.pk])
    assert as_admin.post(wrong).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.GENERALIST, Role.TEAM_LEAD, Role.EXPERT, Role.TRIAGE, Role.COORDINATOR]
)
def test_other_roles_get_a_404(client, make_user, team, org, role):
    user = make_user(role)
    verify_session(client, user)
    member = TeamMembershipFactory(team=team)
    for url in (
        TEAMS,
        team_url(team),
        invite_url(team),
        POOLS,
        reverse("municipality:pool", args=[org["pool"].pk]),
        deactivate_url(member),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(deactivate_url(member)).status_code == 404
    assert TeamMembership.objects.filter(pk=member.pk).exists()


def test_the_navigation_has_manage_teams_for_the_admin_only(as_admin):
    items = as_admin.get(TEAMS).context["nav_items"]
    assert {"label": "Teams beheren", "url": TEAMS, "current": True} in items


# --- Inviting ------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_an_invitation_is_mailed_once_through_the_worker(
    client, org, make_user, celery_worker, mailoutbox, case
):
    admin = make_user(Role.MUNICIPALITY_ADMIN)
    verify_session(client, admin)
    team = org["team"]
    form = {
        "email": "Nieuw.Lid@Example.nl",
        "first_name": "Nina",
        "last_name": "Nieuw",
        "role": "generalist",
        "submission_token": "a" * 32,
    }
    response = client.post(invite_url(team), form)
    assert response.status_code == 302
    assert client.post(invite_url(team), form).status_code == 302  # a double click
    worker_caught_up()
    person = User.objects.get(email="nieuw.lid@example.nl")
    assert not person.is_active and not person.has_usable_password()
    assert membership_of(person, team).role == "generalist"
    invitation = TeamInvitation.objects.get(user=person)
    assert invitation.state == "sent" and invitation.needs_setup
    (mail,) = mailoutbox
    assert mail.to == ["nieuw.lid@example.nl"]
    assert "Uitnodiging" in mail.subject and team.name in mail.subject
    path = urlparse(links.invitation_url(invitation)).path
    assert path in mail.body
    # No case content: not the generalist's case, not its resident.
    assert case.pseudonym not in mail.body and case.resident.last_name not in mail.body
    # Running the task again sends nothing more.
    assert run_on_worker(send_invitation_mail, invitation.pk) == "skipped"
    worker_caught_up()
    assert len(mailoutbox) == 1
    (event,) = audit_rows("invite", "wijkteam.TeamMembership")
    assert event.actor == admin and event.ip_address == "127.0.0.1"
    assert f"user {person.pk} to team {team.pk} as generalist" in event.detail
    assert "nieuw" not in event.detail.lower()  # ids, not names or addresses

    # Inviting again (the link was lost): a fresh link, the old one withdrawn; one account.
    response = client.post(invite_url(team), {**form, "submission_token": "b" * 32})
    assert response.status_code == 302
    worker_caught_up()
    assert User.objects.filter(email__iexact="nieuw.lid@example.nl").count() == 1
    assert TeamMembership.objects.filter(user=person, team=team).count() == 1
    first, second = TeamInvitation.objects.filter(user=person).order_by("pk")
    assert first.withdrawn_at is not None and second.is_open
    assert len(mailoutbox) == 2 and path not in mailoutbox[1].body


def test_an_existing_colleague_is_added_at_once_and_told(team, admin):
    expert = ExpertProfileFactory().user
    invitation = member_invite(actor=admin, team=team, email=expert.email.upper(), role="team_lead")
    assert not invitation.needs_setup and invitation.accepted_at is not None
    assert invitation.state == "pending"  # its mail goes out after the commit
    assert membership_of(expert, team).role == "team_lead"
    expert.refresh_from_db()
    assert expert.is_active and expert.has_usable_password()
    message = mail.message(invitation)
    assert "toegevoegd" in message.subject
    assert reverse("accounts:login") in message.body and "/uitnodiging/" not in message.body


def test_inviting_a_member_again_is_refused(as_admin, team, make_user):
    member = make_user(Role.GENERALIST)
    response = as_admin.post(invite_url(team), {"email": member.email, "role": "generalist"})
    assert response.status_code == 400
    assert "al lid van dit team" in response.content.decode()
    assert not TeamInvitation.objects.exists()


def test_bad_invitation_input_is_a_400(as_admin, team):
    response = as_admin.post(invite_url(team), {"email": "geen-adres", "role": "boss"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "role"}
    assert not User.objects.filter(email="geen-adres").exists()


# --- Role and deactivation -----------------------------------------------------------------------
def test_the_role_changes_and_is_audited(as_admin, team, make_user, admin):
    member = membership_of(make_user(Role.GENERALIST), team)
    response = as_admin.post(role_url(member), {f"m{member.pk}-role": "team_lead"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "team_lead"
    (event,) = audit_rows("update", "wijkteam.TeamMembership")
    assert event.actor == admin and event.object_id == member.pk
    assert event.detail.endswith("role generalist -> team_lead")
    # The same role again changes nothing and writes nothing.
    as_admin.post(role_url(member), {f"m{member.pk}-role": "team_lead"})
    assert len(audit_rows("update", "wijkteam.TeamMembership")) == 1
    bad = as_admin.post(role_url(member), {f"m{member.pk}-role": "chef"})
    assert bad.status_code == 400


def test_deactivation_ends_sessions_and_tokens_and_hands_the_cases_to_the_lead(
    as_admin, team, make_user, admin, generalist, case
):
    lead = make_user(Role.TEAM_LEAD)
    closed = Case.objects.create(
        team=team, resident=case.resident, owner=generalist, pseudonym="C-CLOSED", status="closed"
    )
    browsers = [Client(), Client()]
    for browser in browsers:
        verify_session(browser, generalist)
        assert browser.get(reverse("wijkteam:home")).status_code == 200
    token, secret = api_token_create(user=generalist, name="koppeling")
    feed_create(user=generalist)  # the calendar feed is a credential too
    member = membership_of(generalist, team)

    page = as_admin.get(deactivate_url(member))
    assert page.status_code == 200 and page.context["open_cases"] == 1
    for page_of_the_admin in (page, as_admin.get(team_url(team))):  # no resident, no case
        body = page_of_the_admin.content.decode()
        assert case.resident.last_name not in body and case.pseudonym not in body
    assert page.context["lead"].user == lead
    response = as_admin.post(deactivate_url(member))
    assert response.status_code == 302

    assert not TeamMembership.objects.filter(pk=member.pk).exists()
    case.refresh_from_db()
    closed.refresh_from_db()
    assert case.owner == lead and closed.owner == generalist  # only open cases move
    generalist.refresh_from_db()
    assert not generalist.is_active  # no role left
    token.refresh_from_db()
    assert token.revoked_at is not None
    for browser in browsers:
        assert browser.get(reverse("wijkteam:home")).status_code == 302  # signed out
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(generalist.pk)
    ]
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/questions/").status_code == 401
    assert active_feed_of(user=generalist) is None

    (handed,) = audit_rows("update", "wijkteam.Case")
    assert handed.case_pseudonym == case.pseudonym and handed.actor == admin
    assert handed.detail == f"owner: user {generalist.pk} -> user {lead.pk} (membership ended)"
    left, account = AuditEvent.objects.filter(action="deactivate").order_by("pk")
    assert left.object_type == "wijkteam.TeamMembership" and left.object_id == member.pk
    assert "2 session(s) ended; 1 token(s) revoked" in left.detail
    assert account.object_type == "accounts.User" and account.object_id == generalist.pk
    for event in AuditEvent.objects.filter(actor=admin):
        assert case.resident.last_name not in event.detail


def test_someone_with_another_role_keeps_their_account(as_admin, team, make_user):
    person = make_user(Role.GENERALIST)
    ExpertProfileFactory(user=person)
    as_admin.post(deactivate_url(membership_of(person, team)))
    person.refresh_from_db()
    assert person.is_active
    assert not TeamMembership.objects.filter(user=person).exists()


def test_without_a_team_lead_open_cases_block_deactivation(as_admin, generalist, case, team):
    member = membership_of(generalist, team)
    page = as_admin.get(deactivate_url(member))
    assert "geen andere teamleider" in page.content.decode()
    response = as_admin.post(deactivate_url(member))
    assert response.status_code == 400
    assert "Maak eerst iemand teamleider" in response.content.decode()
    assert TeamMembership.objects.filter(pk=member.pk).exists()
    case.refresh_from_db()
    assert case.owner == generalist
    assert not AuditEvent.objects.filter(action="deactivate").exists()


def test_the_admin_cannot_deactivate_themselves(as_admin, admin, team):
    member = TeamMembershipFactory(team=team, user=admin, role="team_lead")
    response = as_admin.post(deactivate_url(member))
    assert response.status_code == 400
    assert "Je kunt jezelf niet deactiveren" in response.content.decode()
    assert TeamMembership.objects.filter(pk=member.pk).exists()


def test_deactivating_an_invitee_withdraws_their_link(as_admin, invitation, client):
    member = TeamMembership.objects.get(user=invitation.user)
    as_admin.post(deactivate_url(member))
    assert "ingetrokken" in Client().get(link_path(invitation)).content.decode()


# --- Query counts --------------------------------------------------------------------------------
@pytest.mark.parametrize("extra", [0, 30])
def test_teams_list_budget(as_admin, org, django_assert_num_queries, extra):
    for _ in range(extra):
        TeamMembershipFactory(team=DistrictTeamFactory(municipality=org["municipality"]))
    as_admin.get(TEAMS)  # warm the session and the roles' cache
    # the teams with their member counts and municipality (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 1):
        response = as_admin.get(TEAMS)
    assert len(response.context["teams"]) == min(extra + 1, PER_PAGE)


@pytest.mark.parametrize("extra", [1, 30])
def test_team_members_budget(as_admin, team, django_assert_num_queries, extra):
    for _ in range(extra):
        TeamMembershipFactory(team=team, user=UserFactory(last_login=timezone.now()))
    as_admin.get(team_url(team))
    # the team in the admin's municipality (1); the members with their people and open
    # invitation (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 2):
        response = as_admin.get(team_url(team))
    assert len(response.context["members"]) == min(extra, PER_PAGE)


@pytest.mark.parametrize("extra", [0, 30])
def test_pools_list_budget(as_admin, org, django_assert_num_queries, extra):
    for _ in range(extra):
        ExpertPoolFactory(region=org["region"]).teams.add(org["team"])
    as_admin.get(POOLS)
    # the pools serving the admin's teams, with whether each is theirs to set (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 1):
        response = as_admin.get(POOLS)
    assert len(response.context["pools"]) == min(extra + 1, PER_PAGE)
