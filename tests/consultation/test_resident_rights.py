"""The resident's rights (AVG): retention, access, erasure (consultation.resident_rights,
consultation.dossier, consultation.views.residents).

Retention anonymises the resident of cases closed longer than RESIDENT_RETENTION_MONTHS, and
says so in a record; a second run finds nothing. The team lead of the resident's team downloads
everything stored (PDF, JSON) and erases on request with a reason; both audited. Anyone else
gets a 404, and learns nothing.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from consultation import services
from consultation.models import Attachment, Message, Question
from consultation.resident_rights import REDACTED, resident_anonymise_expired, resident_erase
from consultation.tasks import anonymise_expired_residents
from submissions.web import new_token
from tests.consultation.cast import CANARY_BIRTH, CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE
from tests.helpers import verify_session
from tests.wijkteam.factories import TeamMembershipFactory
from wijkteam.models import AuditEvent, Case, Resident, ResidentErasure, TeamMembership
from wijkteam.services import case_open, resident_register

pytestmark = pytest.mark.django_db

IDENTITY = [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE, CANARY_BIRTH.isoformat()]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _story(cast, *, attach=False):
    """A question about the case whose text names the resident (the generalist confirmed the
    guard's findings), with an expert's question and the reply that repeats the name."""
    question = cast.ask(
        situation=f"{CANARY_FIRST} {CANARY_LAST} (06-12345678, {CANARY_POSTCODE}) heeft "
        "vier maanden huurachterstand.",
        submit=False,
    )
    question = services.question_submit(
        actor=cast.generalist, question=question, privacy_confirmed=True
    )
    services.question_pick_up(actor=cast.expert, question=question)
    services.question_request_clarification(
        actor=cast.expert, question=question, body="Zijn er kinderen in huis?"
    )
    services.question_reply(
        actor=cast.generalist,
        question=question,
        body=f"Ja, twee. Mevrouw {CANARY_LAST} mailt via x.q@voorbeeld.nl.",
        privacy_confirmed=True,
    )
    if attach:
        services.attachment_add(
            actor=cast.generalist,
            question=question,
            note=f"Brief aan {CANARY_LAST}",
            upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            privacy_confirmed=True,
        )
    return question


def _close_case(cast, question, *, months_ago: int, case=None):
    case = case or cast.case
    services.question_withdraw(actor=cast.generalist, question=question)
    services.case_close(actor=cast.generalist, case=case)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=31 * months_ago)
    )


def _identity_left(resident) -> list[str]:
    resident.refresh_from_db()
    return [
        value for value in (resident.first_name, resident.last_name, resident.postcode) if value
    ]


# --- Retention -----------------------------------------------------------------------------------
def test_retention_anonymises_a_resident_closed_longer_than_the_period(
    cast, media, django_capture_on_commit_callbacks
):
    question = _story(cast, attach=True)
    stored = Attachment.objects.get(question=question).file.name
    assert (media / stored).exists()
    _close_case(cast, question, months_ago=13)

    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        assert anonymise_expired_residents() == 1

    resident = Resident.objects.get(pk=cast.resident.pk)
    assert _identity_left(resident) == []
    assert resident.date_of_birth == CANARY_BIRTH.replace(month=1, day=1)
    assert resident.anonymised_at is not None
    assert resident.household == "single_parent"  # a category: the figures keep it
    (record,) = ResidentErasure.objects.filter(resident=resident)
    assert record.ground == ResidentErasure.Ground.RETENTION
    assert record.erased_by is None and record.reason == ""
    assert record.fields_removed == ["first_name", "last_name", "postcode", "date_of_birth"]
    assert record.counts == {"redacted_texts": 2, "attachments_deleted": 1}
    # The record names fields, never values.
    assert not any(
        value in json.dumps([record.fields_removed, record.counts]) for value in IDENTITY
    )

    # The case and the questions stay, pseudonymous.
    question.refresh_from_db()
    assert Case.objects.filter(pk=cast.case.pk, status=Case.Status.CLOSED).exists()
    for canary in (CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE, "06-12345678"):
        assert canary not in question.situation
    assert REDACTED in question.situation and "huurachterstand" in question.situation
    reply = Message.objects.get(question=question, kind=Message.Kind.REPLY)
    assert CANARY_LAST not in reply.body and "x.q@voorbeeld.nl" not in reply.body
    assert (
        "Zijn er kinderen"
        in Message.objects.get(question=question, kind="clarification_request").body
    )
    # Attachments go, file and row (their content cannot be checked).
    assert not Attachment.objects.filter(question=question).exists()
    assert not (media / stored).exists()


def test_retention_runs_twice_and_the_second_run_finds_nothing(cast):
    _close_case(cast, _story(cast), months_ago=13)
    assert anonymise_expired_residents() == 1
    assert anonymise_expired_residents() == 0
    assert resident_anonymise_expired(resident_id=cast.resident.pk) is None
    assert ResidentErasure.objects.count() == 1


def test_retention_waits_for_the_period_and_the_setting_sets_it(cast, settings):
    _close_case(cast, _story(cast), months_ago=11)
    assert anonymise_expired_residents() == 0
    assert _identity_left(cast.resident) == [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE]
    settings.RESIDENT_RETENTION_MONTHS = 6
    assert anonymise_expired_residents() == 1
    assert _identity_left(cast.resident) == []


def test_a_resident_with_an_open_case_keeps_their_identity(cast):
    _close_case(cast, _story(cast), months_ago=13)
    case_open(actor=cast.generalist, resident=cast.resident)  # support starts again
    assert anonymise_expired_residents() == 0
    assert _identity_left(cast.resident) == [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE]


def test_retention_leaves_other_residents_alone(cast):
    _close_case(cast, _story(cast), months_ago=13)
    other = resident_register(
        actor=cast.generalist,
        first_name="Henk",
        last_name="Ongemoeid",
        date_of_birth=CANARY_BIRTH,
        postcode="3811 AB",
        household="single",
    )
    case_open(actor=cast.generalist, resident=other)
    without_case = resident_register(
        actor=cast.generalist,
        first_name="Els",
        last_name="Zonderzaak",
        date_of_birth=CANARY_BIRTH,
        postcode="3811 AB",
        household="single",
    )
    assert anonymise_expired_residents() == 1
    assert _identity_left(other) == ["Henk", "Ongemoeid", "3811 AB"]
    assert _identity_left(without_case) == ["Els", "Zonderzaak", "3811 AB"]
    assert _identity_left(cast.other_case.resident) == ["Piet", "Buurman", "3811 AB"]


def test_the_guard_has_nothing_to_compare_with_after_anonymising(cast):
    from consultation.privacy import ResidentIdentity

    _close_case(cast, _story(cast), months_ago=13)
    anonymise_expired_residents()
    assert ResidentIdentity.of(Resident.objects.get(pk=cast.resident.pk)) == ResidentIdentity()


# --- Who may: the team lead of the resident's team, everyone else a 404 --------------------------
def _urls(cast):
    pseudonym = cast.case.pseudonym
    return [
        reverse("wijkteam:resident-access-pdf", args=[pseudonym]),
        reverse("wijkteam:resident-access-json", args=[pseudonym]),
        reverse("wijkteam:resident-erase", args=[pseudonym]),
    ]


OUTSIDERS = [
    "generalist",  # of the resident's own team: the rights go through the team lead
    "other_generalist",
    "other_team_lead",
    "expert",
    "triage",
    "municipality_admin",
]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_everyone_but_the_team_lead_gets_a_404_and_learns_nothing(client, cast, who):
    if who == "other_team_lead":
        user = TeamMembershipFactory(
            team=cast.other_case.team, role=TeamMembership.Role.TEAM_LEAD
        ).user
    else:
        user = getattr(cast, who)
    verify_session(client, user)
    for url in _urls(cast):
        responses = [client.get(url)]
        if url.endswith("/wissen/"):
            data = {"reason": "Verzoek", "confirm": "on", "submission_token": new_token()}
            responses.append(client.post(url, data))
        for response in responses:
            assert response.status_code == 404, (who, url)
            assert not any(
                canary in response.content.decode(errors="replace") for canary in IDENTITY
            )
    assert _identity_left(cast.resident) == [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE]
    assert not AuditEvent.objects.filter(actor=user, object_type="wijkteam.Resident").exclude(
        action=AuditEvent.Action.CREATE  # the other team's generalist registered their own
    )


def test_the_case_page_offers_the_rights_to_the_team_lead_only(client, cast):
    url = reverse("wijkteam:case", args=[cast.case.pseudonym])
    verify_session(client, cast.team_lead)
    page = client.get(url).text
    for link in _urls(cast):
        assert f'href="{link}"' in page
    client.logout()
    verify_session(client, cast.generalist)
    page = client.get(url).text
    for link in _urls(cast):
        assert link not in page


# --- Right of access -----------------------------------------------------------------------------
def test_the_team_lead_downloads_everything_stored_as_json_audited(client, cast):
    question = _story(cast)
    verify_session(client, cast.team_lead)
    response = client.get(reverse("wijkteam:resident-access-json", args=[cast.case.pseudonym]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["resident"]["first_name"] == CANARY_FIRST
    assert data["resident"]["date_of_birth"] == CANARY_BIRTH.isoformat()
    (case,) = data["cases"]
    assert case["pseudonym"] == cast.case.pseudonym
    (asked,) = case["questions"]
    assert asked["title"] == question.title and CANARY_LAST in asked["situation"]
    bodies = [m["body"] for m in asked["messages"]]
    assert bodies[0] == "Zijn er kinderen in huis?" and CANARY_LAST in bodies[1]
    assert data["access_log"]  # who read the identity: the registration at least
    (event,) = AuditEvent.objects.filter(actor=cast.team_lead, detail="right of access: json")
    assert event.action == AuditEvent.Action.VIEW_IDENTITY
    assert (event.object_id, event.case_pseudonym) == (cast.resident.pk, cast.case.pseudonym)


def test_the_team_lead_downloads_a_readable_pdf_audited(client, cast):
    _story(cast)
    verify_session(client, cast.team_lead)
    response = client.get(reverse("wijkteam:resident-access-pdf", args=[cast.case.pseudonym]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for canary in (CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE, cast.case.pseudonym):
        assert canary in text
    assert "huurachterstand" in text
    assert (
        AuditEvent.objects.filter(actor=cast.team_lead, detail="right of access: pdf").count() == 1
    )


# --- Right to erasure ----------------------------------------------------------------------------
def _erase_url(cast):
    return reverse("wijkteam:resident-erase", args=[cast.case.pseudonym])


def test_the_confirmation_page_shows_no_identity(client, cast):
    verify_session(client, cast.team_lead)
    response = client.get(_erase_url(cast))
    assert response.status_code == 200
    assert not any(canary in response.text for canary in IDENTITY)
    assert not AuditEvent.objects.filter(actor=cast.team_lead, action="view_identity").exists()


@pytest.mark.parametrize(
    "data,field",
    [
        ({"reason": "", "confirm": "on"}, "reason"),
        ({"reason": "   ", "confirm": "on"}, "reason"),
        ({"reason": "x" * 501, "confirm": "on"}, "reason"),
        ({"reason": "Verzoek per brief"}, "confirm"),
    ],
)
def test_erasure_needs_a_reason_and_a_confirmation(client, cast, data, field):
    verify_session(client, cast.team_lead)
    response = client.post(_erase_url(cast), {**data, "submission_token": new_token()})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert _identity_left(cast.resident) == [CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE]
    assert not ResidentErasure.objects.exists()


def test_the_team_lead_erases_on_request_once_audited(client, cast, media):
    question = _story(cast, attach=True)
    verify_session(client, cast.team_lead)
    data = {"reason": "Verzoek van de inwoner, brief van 3 maart", "confirm": "on"}
    data["submission_token"] = new_token()
    response = client.post(_erase_url(cast), data)
    assert response.status_code == 302
    assert response.url == reverse("wijkteam:case", args=[cast.case.pseudonym])
    assert _identity_left(cast.resident) == []
    (record,) = ResidentErasure.objects.all()
    assert record.ground == ResidentErasure.Ground.REQUEST
    assert record.erased_by == cast.team_lead
    assert record.reason == "Verzoek van de inwoner, brief van 3 maart"
    (event,) = AuditEvent.objects.filter(actor=cast.team_lead, action=AuditEvent.Action.UPDATE)
    assert event.detail == (
        f"erased on request (record {record.pk}): first_name, last_name, postcode, date_of_birth"
    )
    assert "Verzoek" not in event.detail  # the reason stays in the record
    question.refresh_from_db()
    assert CANARY_LAST not in question.situation
    assert not Attachment.objects.exists()

    # The same submit again (a double click, a resend): nothing happens twice.
    again = client.post(_erase_url(cast), data)
    assert again.status_code == 302
    # A fresh submit: the details are gone already.
    fresh = client.post(_erase_url(cast), {**data, "submission_token": new_token()})
    assert fresh.status_code == 302
    assert ResidentErasure.objects.count() == 1
    assert AuditEvent.objects.filter(actor=cast.team_lead, action="update").count() == 1

    # The case page stays, for the team, without the identity.
    page = client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))
    assert page.status_code == 200
    assert not any(canary in page.text for canary in IDENTITY)
    assert _erase_url(cast) not in page.text
    # Retention later finds nothing to do.
    _close_case(cast, Question.objects.get(pk=question.pk), months_ago=13)
    assert anonymise_expired_residents() == 0


def test_the_erasure_service_refuses_a_generalist_and_a_second_erasure(cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        resident_erase(actor=cast.generalist, resident=cast.resident, reason="Verzoek")
    resident_erase(actor=cast.team_lead, resident=cast.resident, reason="Verzoek")
    with pytest.raises(ValidationError):
        resident_erase(actor=cast.team_lead, resident=cast.resident, reason="Verzoek")
    assert ResidentErasure.objects.count() == 1
