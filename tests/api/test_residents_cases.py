"""Residents and cases: identity, so only for members of the owning team, and every read that
returns identity is in the audit log (DESIGN §4.1, §4.6)."""

import pytest

from tests.consultation.cast import CANARY_LAST
from wijkteam.models import AuditEvent, Case, Resident

pytestmark = pytest.mark.django_db

NEW_RESIDENT = {
    "first_name": "Henk",
    "last_name": "Stapelberg",
    "date_of_birth": "1956-02-29",
    "postcode": "3812ab",
    "household": "single",
}


def _identity_reads(**filters):
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_IDENTITY, **filters)


@pytest.mark.parametrize("who", ["generalist", "team_lead"])
def test_team_members_list_and_read_their_residents_and_cases(cast, api, who):
    client = api(getattr(cast, who))
    residents = client.get("/api/v1/residents/").json()["results"]
    assert [r["last_name"] for r in residents] == [CANARY_LAST]
    assert residents[0]["cases"] == [cast.case.pseudonym]

    cases = client.get("/api/v1/cases/").json()["results"]
    assert [c["pseudonym"] for c in cases] == [cast.case.pseudonym]
    assert cases[0]["resident"]["last_name"] == CANARY_LAST
    assert cases[0]["resident"]["date_of_birth"] == "2009-11-23"

    case = client.get(f"/api/v1/cases/{cast.case.pseudonym}/").json()
    assert case["resident"]["postcode"] == "3817 ZW"
    resident = client.get(f"/api/v1/residents/{cast.resident.pk}/").json()
    assert resident["first_name"] == cast.resident.first_name


def test_every_identity_read_through_the_api_is_audited(cast, api):
    client = api(cast.generalist)
    before = _identity_reads().count()
    client.get("/api/v1/residents/")
    client.get("/api/v1/cases/")
    client.get(f"/api/v1/cases/{cast.case.pseudonym}/")
    client.get(f"/api/v1/residents/{cast.resident.pk}/", HTTP_USER_AGENT="Zaaksysteem/1.0")
    events = list(_identity_reads(actor=cast.generalist).order_by("created_at", "pk"))
    assert len(events) - before == 4
    assert {e.channel for e in events[-4:]} == {"api"}
    assert {e.object_id for e in events[-4:]} == {cast.resident.pk}
    assert events[-3].case_pseudonym == cast.case.pseudonym
    assert events[-1].path == f"/api/v1/residents/{cast.resident.pk}/"
    assert events[-1].user_agent == "Zaaksysteem/1.0"


def test_a_list_audits_one_event_per_resident(cast, api):
    client = api(cast.generalist)
    client.post("/api/v1/cases/", {"resident": NEW_RESIDENT}, format="json")
    before = _identity_reads().count()
    client.get("/api/v1/cases/")
    assert _identity_reads().count() - before == 2


@pytest.mark.parametrize(
    "who",
    ["expert", "second_expert", "triage", "municipality_admin", "other_generalist"],
)
def test_everyone_else_sees_no_resident_and_no_case(cast, api, who):
    client = api(getattr(cast, who))
    before = _identity_reads().count()
    for url in ("/api/v1/residents/", "/api/v1/cases/"):
        response = client.get(url)
        assert response.status_code == 200
        if who == "other_generalist":
            assert CANARY_LAST not in response.content.decode()
        else:
            assert response.json()["results"] == []
    assert client.get(f"/api/v1/residents/{cast.resident.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{cast.case.pseudonym}/").status_code == 404
    if who != "other_generalist":
        assert _identity_reads().count() == before


@pytest.mark.parametrize("who", ["expert", "triage", "municipality_admin"])
def test_only_team_members_register_residents_and_open_cases(cast, api, who):
    client = api(getattr(cast, who))
    assert client.post("/api/v1/residents/", NEW_RESIDENT, format="json").status_code == 403
    response = client.post("/api/v1/cases/", {"resident": NEW_RESIDENT}, format="json")
    assert response.status_code == 403
    assert not Resident.objects.filter(last_name="Stapelberg").exists()


def test_register_a_resident_and_open_a_case_in_one_go(cast, api):
    client = api(cast.generalist)
    response = client.post("/api/v1/cases/", {"resident": NEW_RESIDENT}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["pseudonym"].startswith("C-")
    assert body["resident"]["postcode"] == "3812 AB"
    assert body["team"] == cast.org["team"].pk
    case = Case.objects.get(pseudonym=body["pseudonym"])
    assert case.owner == cast.generalist
    created = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, actor=cast.generalist)
    assert created.filter(object_type="wijkteam.Resident", object_id=case.resident_id).exists()
    assert created.filter(object_type="wijkteam.Case", object_id=case.pk).exists()


def test_register_then_open_a_case_for_the_resident(cast, api):
    client = api(cast.generalist)
    response = client.post("/api/v1/residents/", NEW_RESIDENT, format="json")
    assert response.status_code == 201, response.json()
    resident_id = response.json()["id"]
    before = _identity_reads().count()
    response = client.post("/api/v1/cases/", {"resident_id": resident_id}, format="json")
    assert response.status_code == 201
    assert response.json()["resident"]["id"] == resident_id
    # The answer shows a stored identity: that is a read.
    assert _identity_reads().count() == before + 1


def test_a_case_for_another_teams_resident_is_refused(cast, api):
    other_resident = cast.other_case.resident
    response = api(cast.generalist).post(
        "/api/v1/cases/", {"resident_id": other_resident.pk}, format="json"
    )
    assert response.status_code == 400
    assert "resident_id" in response.json()
    assert Case.objects.filter(resident=other_resident).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "12345"}, "postcode"),
        ({"postcode": "0812 AB"}, "postcode"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "31-12-1990"}, "date_of_birth"),
        ({"household": "commune"}, "household"),
        ({"first_name": ""}, "first_name"),
        ({"team": 999999}, "team"),
    ],
)
def test_bad_resident_input_is_a_400_with_field_errors(cast, api, change, field):
    client = api(cast.generalist)
    response = client.post("/api/v1/residents/", {**NEW_RESIDENT, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    response = client.post(
        "/api/v1/cases/", {"resident": {**NEW_RESIDENT, **change}}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["resident"]
    assert not Resident.objects.filter(last_name="Stapelberg").exists()


def test_a_case_needs_exactly_one_of_resident_and_resident_id(cast, api):
    client = api(cast.generalist)
    for body in ({}, {"resident_id": cast.resident.pk, "resident": NEW_RESIDENT}):
        response = client.post("/api/v1/cases/", body, format="json")
        assert response.status_code == 400
        assert "non_field_errors" in response.json()


def test_malformed_json_is_a_400(cast, api):
    response = api(cast.generalist).post(
        "/api/v1/cases/", data='{"resident": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_member_of_two_teams_must_choose(cast, api):
    from tests.wijkteam.factories import TeamMembershipFactory

    TeamMembershipFactory(team=cast.other_case.team, user=cast.generalist)
    client = api(cast.generalist)
    response = client.post("/api/v1/residents/", NEW_RESIDENT, format="json")
    assert response.status_code == 400
    assert "team" in response.json()
    response = client.post(
        "/api/v1/residents/", {**NEW_RESIDENT, "team": cast.other_case.team_id}, format="json"
    )
    assert response.status_code == 201
    assert Resident.objects.get(pk=response.json()["id"]).team_id == cast.other_case.team_id


def test_a_member_of_two_teams_pages_through_both_teams_cases_newest_first(cast, api):
    """The case list reads each team from its own index (wijkteam.selectors.case_list) and
    merges them: one order over both teams, no case twice, no case of a third team."""
    from django.utils import timezone

    from tests.wijkteam.factories import CaseFactory, DistrictTeamFactory, TeamMembershipFactory

    person = cast.generalist
    second = cast.other_case.team
    TeamMembershipFactory(team=second, user=person)
    third = DistrictTeamFactory(municipality=cast.org["municipality"])
    now = timezone.now()
    for n in range(12):
        team = (cast.case.team, second, third)[n % 3]
        case = CaseFactory(team=team)
        Case.objects.filter(pk=case.pk).update(created_at=now - timezone.timedelta(hours=n % 5))
    expected = list(
        Case.objects.filter(team__in=[cast.case.team, second])
        .order_by("-created_at", "-pk")
        .values_list("pseudonym", flat=True)
    )
    client = api(person)
    seen, url = [], "/api/v1/cases/?page_size=4"
    while url:
        body = client.get(url).json()
        seen += [case["pseudonym"] for case in body["results"]]
        url = body["next"]
    assert seen == expected
