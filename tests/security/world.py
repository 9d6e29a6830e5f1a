"""The leak scan's world: two teams' residents with unique canary identities, and the main
journeys of every issue so far, through the real services (the e-mails go out through the test's
Celery worker, so they are really rendered and sent).

- a question to the network pool, picked up, clarified, advised by two experts, with time
  registered, an attachment, and closed with the close-out feedback; the daily digest;
- another team's question about its own (canary) resident to the same network pool;
- triage pool questions: one planned into a multidisciplinary session (MDO) that is held and
  whose outcome is recorded, one assigned to an expert who accepts and advises, one answered by
  triage directly, one redirected;
- a team pool session: planned with its experts (invitations with an .ics), the question put on
  its agenda, moved (updates), one expert declining, held, the outcome recorded, attendance
  proposed and confirmed, and the month's invoice export of the care provider;
- a reminder run, the triage clocks, a team invitation by the municipality admin, a password
  reset mail, an expert's absence, a personal calendar feed for each person who can be
  invited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import password_reset_request
from consultation import services
from consultation.models import Message
from consultation.tasks import send_daily_digests
from expertise.models import LifeDomain, TargetGroup
from expertise.services import absence_add
from hours.models import TimeEntry
from hours.services import invoice_export_create, time_entry_confirm, time_entry_register_advice
from meetings.feeds import feed_create
from meetings.models import Invitation
from meetings.services.agenda import invitation_respond
from meetings.services.outcomes import outcome_record
from meetings.services.planning import session_hold, session_move, session_plan
from meetings.tasks import send_due_reminders
from municipality.services import member_invite
from tests.consultation.cast import CANARY_BIRTH, CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE
from tests.helpers import worker_caught_up
from tests.hours.helpers import started
from tests.meetings.helpers import ask_in, ask_team, build_team_pool, moment
from tests.security.scanner import Canary, spellings
from triage import services as triage
from triage.tasks import check_clocks
from wijkteam.services import case_open, resident_register

# The cast's resident (tests/consultation/cast.py) is the team's canary; the other team's
# resident gets a canary of its own: it must reach nobody outside that team either.
TEAM_CANARY = Canary(
    "the team's resident",
    spellings(first=CANARY_FIRST, last=CANARY_LAST, birth=CANARY_BIRTH, postcode=CANARY_POSTCODE),
)
OTHER_FIRST, OTHER_LAST = "Brommelientje", "Vlaskamporius"
OTHER_BIRTH, OTHER_POSTCODE = date(1941, 7, 29), "9746 KZ"
OTHER_CANARY = Canary(
    "the other team's resident",
    spellings(first=OTHER_FIRST, last=OTHER_LAST, birth=OTHER_BIRTH, postcode=OTHER_POSTCODE),
)
# A PDF the upload check takes for one (its type is checked by content).
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    cast: object
    team: object  # the team pool (tests/meetings/helpers.TeamPool)
    triage_expert: User
    region_admin: User
    other_case: object
    feeds: dict = field(default_factory=dict)  # user pk -> calendar feed secret


def _ask_other_team(cast, case):
    data = services.QuestionInput(
        title="Eenzaamheid na verhuizing",
        situation="Sinds de verhuizing komt er niemand meer over de vloer.",
        tried="Buurtkamer voorgesteld.",
        question="Welke vrijwilligersorganisatie past hier?",
        urgency="normal",
    )
    question = services.question_create(
        actor=cast.other_generalist,
        case=case,
        pool=cast.pool,
        data=data,
        life_domains=[LifeDomain.objects.get(slug="financien")],
        target_groups=[TargetGroup.objects.get(slug="schulden")],
        privacy_confirmed=True,
    )
    return services.question_submit(actor=cast.other_generalist, question=question)


def _close(cast, question):
    advice = list(question.messages.filter(kind=Message.Kind.ADVICE))
    services.question_close(
        actor=cast.generalist,
        question=question,
        direction="confirmed",
        escalation="avoided",
        comment="Goed geholpen, dank.",
        ratings={m.pk: 5 for m in advice},
    )


def _network_journey(cast):
    cast.second_expert.notification_email_mode = User.EmailMode.DAILY
    cast.second_expert.save()
    question = cast.ask()
    services.question_pick_up(actor=cast.expert, question=question)
    services.question_request_clarification(
        actor=cast.expert, question=question, body="Zijn er kinderen in huis?"
    )
    services.question_reply(
        actor=cast.generalist, question=question, body="Twee kinderen, 6 en 9 jaar."
    )
    advice = services.question_advise(
        actor=cast.expert, question=question, body="Bel samen de verhuurder."
    )
    time_entry_register_advice(expert=cast.expert, message=advice, minutes=30)
    services.question_advise(
        actor=cast.second_expert, question=question, body="Vaste lasten eerst."
    )
    services.attachment_add(
        actor=cast.generalist,
        question=question,
        note="Brief van de verhuurder",
        upload=SimpleUploadedFile("brief.pdf", PDF, "application/pdf"),
    )
    _close(cast, question)
    send_daily_digests.apply()


def _triage_journey(cast, triage_expert):
    pool = cast.org["pool"]
    mdo = ask_in(cast, pool, title="Meerdere problemen tegelijk")
    triage.triage_claim(worker=cast.triage, question=mdo)
    triage.triage_plan_session(worker=cast.triage, question=mdo, reason="Drie disciplines nodig")
    session = session_plan(
        planner=cast.triage,
        pool=pool,
        data=moment(days=3),
        questions=[mdo],
        experts=[cast.expert, triage_expert],
    )
    worker_caught_up()  # the invitations are out before the session starts
    session = started(session)
    outcome_record(
        actor=cast.triage,
        item=session.agenda.get(question=mdo),
        advice="Eén plan met schuldhulp en jeugd.",
        participants=[triage_expert],
    )
    session_hold(planner=cast.triage, session=session)

    assigned = ask_in(cast, pool, title="Vraag voor een deskundige")
    triage.triage_claim(worker=cast.triage, question=assigned)
    triage.triage_assign(worker=cast.triage, question=assigned, experts=[triage_expert])
    triage.assignment_accept(expert=triage_expert, question=assigned)
    services.question_advise(actor=triage_expert, question=assigned, body="Wijs op de regeling.")

    direct = ask_in(cast, pool, title="Korte vraag")
    triage.triage_claim(worker=cast.triage, question=direct)
    triage.triage_answer(worker=cast.triage, question=direct, body="De gemeente helpt hierbij.")

    elsewhere = ask_in(cast, pool, title="Past beter bij de huisarts")
    triage.triage_claim(worker=cast.triage, question=elsewhere)
    triage.triage_redirect(
        worker=cast.triage, question=elsewhere, target="gp", note="Bespreek dit met de huisarts."
    )
    check_clocks.apply()


def _team_pool_journey(cast, team):
    provider = team.experts[0].expert_profile.organisation
    for expert in team.experts[1:]:
        expert.expert_profile.organisation = provider
        expert.expert_profile.save()
    session = session_plan(
        planner=team.coordinator, pool=team.pool, data=moment(days=2), experts=team.experts
    )
    question = ask_team(cast, team, title="Zorgen om schooluitval")  # onto the session's agenda
    session = session_move(planner=team.coordinator, session=session, data=moment(days=4))
    declined = Invitation.objects.get(session=session, user=team.experts[2])
    invitation_respond(user=team.experts[2], invitation=declined, response="declined")
    # A reminder for a session still to come: the due time set to now.
    upcoming = session_plan(
        planner=team.coordinator, pool=team.pool, data=moment(days=1), experts=team.experts[:1]
    )
    worker_caught_up()
    upcoming.invitations.update(reminder_due_at=timezone.now())
    send_due_reminders.apply()
    worker_caught_up()

    session = started(session)
    outcome_record(
        actor=team.coordinator,
        item=session.agenda.get(question=question),
        advice="Huisbezoek met de jeugdarts.",
        participants=team.experts[:2],
    )
    session_hold(planner=team.coordinator, session=session)
    for entry in TimeEntry.objects.filter(session=session, status=TimeEntry.Status.PROPOSED):
        time_entry_confirm(expert=entry.expert, entry=entry)
    invoice_export_create(
        actor=team.coordinator,
        pool=team.pool,
        organisation_id=provider.pk,
        month=timezone.localdate(session.starts_at),
    )
    question.refresh_from_db()
    _close(cast, question)


def build_world(cast, make_user) -> World:
    other_team = cast.other_case.resident.team
    other_resident = resident_register(
        actor=cast.other_generalist,
        team=other_team,
        first_name=OTHER_FIRST,
        last_name=OTHER_LAST,
        date_of_birth=OTHER_BIRTH,
        postcode=OTHER_POSTCODE,
        household="single",
    )
    other_case = case_open(actor=cast.other_generalist, resident=other_resident)
    other_question = _ask_other_team(cast, other_case)
    services.question_advise(actor=cast.expert, question=other_question, body="Buurtkamer.")

    triage_expert = make_user(Role.EXPERT)  # an expert of the triage pool
    team = build_team_pool(cast)
    _network_journey(cast)
    _triage_journey(cast, triage_expert)
    _team_pool_journey(cast, team)

    member_invite(
        actor=cast.municipality_admin,
        team=cast.org["team"],
        email="nieuwe.collega@example.org",
        role="generalist",
        first_name="Nieuwe",
        last_name="Collega",
    )
    password_reset_request(email=cast.expert.email)
    day = timezone.localdate() + timedelta(days=20)
    absence_add(expert=team.experts[0].expert_profile, starts_on=day, ends_on=day, kind="holiday")
    world = World(
        cast=cast,
        team=team,
        triage_expert=triage_expert,
        region_admin=make_user(Role.REGION_ADMIN),
        other_case=other_case,
    )
    for person in (cast.expert, triage_expert, *team.experts, cast.triage, team.coordinator):
        world.feeds[person.pk] = feed_create(user=person)[1]
    for person in (cast.generalist, cast.other_generalist):
        world.feeds[person.pk] = feed_create(user=person)[1]
    return world
