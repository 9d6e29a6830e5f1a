"""The shared world of the URL permission matrix (tests/security/test_url_matrix.py): one of
everything a URL of the project can point at, built through the services where they exist.

The consultation cast (tests/consultation/cast.py) with a team pool (tests/meetings/helpers.py)
beside it, and the cast's expert made a member of all three pools (network, triage, team), so
"the expert" is in scope of every object here and "the other expert" (same network pool, other
expertise) of none. On top: a question in several states, a triage claim and an assignment, a
planned session with an agenda item and a held one with time proposals, time entries and an
invoice export, a notification, an absence, an API token, a calendar feed, a team invitation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from accounts.tokens import api_token_create
from consultation import services as consultation
from consultation.models import Notification
from expertise.services import absence_add
from hours.services import (
    invoice_export_create,
    time_entry_confirm,
    time_entry_propose_attendance,
    time_entry_register_advice,
)
from meetings.feeds import feed_create
from meetings.services.agenda import invite_experts
from meetings.services.planning import session_hold, session_plan
from municipality import links
from municipality.services import member_invite
from tests.accounts.factories import UserFactory
from tests.consultation.cast import build_cast
from tests.helpers import build_org, user_maker
from tests.hours.helpers import started
from tests.meetings.helpers import ask_in, ask_team, build_team_pool, moment
from tests.wijkteam.factories import DistrictTeamFactory, MunicipalityFactory
from triage import services as triage
from wijkteam.models import TeamMembership

# The roles of the matrix, in the order the report lists them.
ROLES = (
    "anonymous",  # not signed in
    "unverified",  # signed in (the generalist), second factor not given
    "generalist",  # of the team that owns the case
    "other_generalist",  # of another team of the same municipality
    "team_lead",  # of the owning team
    "expert",  # in every pool, picked up / assigned / invited / has the time entries
    "other_expert",  # same network pool, expertise that does not match: sees none of it
    "triage",  # triage worker of the triage pool serving the team
    "coordinator",  # coordinator of the team pool
    "municipality_admin",
    "other_municipality_admin",  # of a municipality in another region
    "region_admin",
    "privacy_officer",  # of the region: reads the audit log
    "staff",  # superuser (functioneel beheerder) without any role
)


@dataclass
class World:
    cast: object
    team: object  # tests.meetings.helpers.TeamPool
    users: dict = field(default_factory=dict)  # role -> user (no entry for anonymous)
    objects: dict = field(default_factory=dict)  # name -> object or value

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    org = build_org()
    # Any: the cast and the team pool type their people as `object` (they are Users).
    cast: Any = build_cast(org, user_maker(org))
    team: Any = build_team_pool(cast)
    expert: Any = cast.expert
    # The expert works for all three pools: in scope of every object of the world.
    expert.expert_profile.pools.add(org["pool"], team.pool)
    region_admin = user_maker(org)(Role.REGION_ADMIN)
    staff = UserFactory(is_staff=True, is_superuser=True)
    privacy_officer = UserFactory()
    org["region"].privacy_officers.add(privacy_officer)
    elsewhere: Any = MunicipalityFactory()  # in a region of its own, with a team
    DistrictTeamFactory(municipality=elsewhere)
    other_admin = UserFactory()
    elsewhere.admins.add(other_admin)
    users = {
        "unverified": cast.generalist,
        "generalist": cast.generalist,
        "other_generalist": cast.other_generalist,
        "team_lead": cast.team_lead,
        "expert": expert,
        "other_expert": cast.unmatched_expert,
        "triage": cast.triage,
        "coordinator": team.coordinator,
        "municipality_admin": cast.municipality_admin,
        "other_municipality_admin": other_admin,
        "region_admin": region_admin,
        "privacy_officer": privacy_officer,
        "staff": staff,
    }
    o: dict = {}

    # Questions in several states.
    o["draft"] = cast.ask(title="Nog een concept", submit=False)
    answered = cast.ask()
    consultation.question_pick_up(actor=expert, question=answered)
    o["advice"] = consultation.question_advise(
        actor=expert, question=answered, body="Bel de verhuurder."
    )
    o["attachment"] = consultation.attachment_add(
        actor=expert,
        question=answered,
        upload=SimpleUploadedFile("regeling.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    o["answered"] = answered
    closed = cast.ask(title="Al afgerond")
    consultation.question_pick_up(actor=expert, question=closed)
    consultation.question_advise(actor=expert, question=closed, body="Zo doen.")
    closed.refresh_from_db()
    consultation.question_close(
        actor=cast.generalist, question=closed, direction="confirmed", escalation="avoided"
    )
    o["closed"] = closed
    # In the triage pool: one claimed by the triage worker, one assigned to the expert.
    in_triage = ask_in(cast, org["pool"], title="Wachtrij")
    triage.triage_claim(worker=cast.triage, question=in_triage)
    o["in_triage"] = in_triage
    assigned = ask_in(cast, org["pool"], title="Toegewezen")
    triage.triage_claim(worker=cast.triage, question=assigned)
    triage.triage_assign(
        worker=cast.triage, question=assigned, experts=[expert], reason="Past bij de expert"
    )
    o["assigned"] = assigned

    # The team pool: a planned session with the question on its agenda and the expert invited.
    scheduled = ask_team(cast, team, title="Voor het overleg")
    session = session_plan(
        planner=team.coordinator,
        pool=team.pool,
        data=moment(days=7),
        questions=[scheduled],
        experts=[expert, *team.experts],
    )
    o["session"] = session
    o["item"] = session.agenda.get(question=scheduled)
    o["invitation"] = session.invitations.get(user=expert)
    # A held session: the expert's attendance proposed (hours:proposal) ...
    held = session_plan(planner=team.coordinator, pool=team.pool, data=moment(days=2))
    invite_experts(actor=team.coordinator, session=held, experts=[expert])
    held = session_hold(planner=team.coordinator, session=started(held))
    o["proposal"] = next(
        e for e in time_entry_propose_attendance(session=held) if e.expert_id == expert.pk
    )
    # ... and a second one whose proposal is confirmed and exported on an invoice.
    billed = session_plan(
        planner=team.coordinator, pool=team.pool, data=moment(days=3, hour=9, minutes=60)
    )
    invite_experts(actor=team.coordinator, session=billed, experts=[expert])
    billed = session_hold(planner=team.coordinator, session=started(billed, minutes=60))
    entry = next(
        e for e in time_entry_propose_attendance(session=billed) if e.expert_id == expert.pk
    )
    o["entry"] = time_entry_confirm(expert=expert, entry=entry)
    o["export"] = invoice_export_create(
        actor=team.coordinator,
        pool=team.pool,
        organisation_id=expert.expert_profile.organisation_id,
        month=timezone.localdate().replace(day=1),
    )
    # Time of a written advice beyond nothing: the advice on the answered question.
    o["advice_entry"] = time_entry_register_advice(expert=expert, message=o["advice"], minutes=30)

    # Personal things: a notification, an absence, an API token, a calendar feed.
    o["notification"] = Notification.objects.create(
        recipient=cast.generalist,
        question=answered,
        kind=Notification.Kind.NEW_ADVICE,
        channel=Notification.Channel.IN_APP,
        event_key=f"advice:{o['advice'].pk}",
    )
    today = timezone.localdate()
    o["absence"] = absence_add(
        expert=expert.expert_profile,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=31),
        kind="holiday",
    )
    o["token"], _secret = api_token_create(user=cast.generalist, name="matrix")
    o["feed"], o["feed_secret"] = feed_create(user=expert)

    # The municipality: a team invitation (a new person) and a membership to manage.
    invitation = member_invite(
        actor=cast.municipality_admin,
        team=org["team"],
        email="nina.nieuw@example.nl",
        first_name="Nina",
        role="generalist",
    )
    o["team_invitation"] = invitation
    o["invitation_key"] = links.invitation_key(invitation)
    o["invitation_token"] = links.make_token(invitation)
    o["membership"] = TeamMembership.objects.get(user=cast.generalist, team=org["team"])
    return World(cast=cast, team=team, users=users, objects=o)
