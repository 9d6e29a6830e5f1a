"""An expert's own availability in the API (/api/v1/availability/, /api/v1/absences/): read and
write one's own only; someone else's absence is a 404, and so is the whole endpoint to a non-expert
(a role's own endpoint, DESIGN §4.2); bad input a 400."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from expertise.models import Absence, WeeklyAvailability
from tests.expertise.factories import AbsenceFactory, WeeklyAvailabilityFactory

pytestmark = pytest.mark.django_db

WEEK = "/api/v1/availability/"
ABSENCES = "/api/v1/absences/"


@pytest.fixture
def a(make_user):
    return make_user(Role.EXPERT)


@pytest.fixture
def b(make_user):
    return make_user(Role.EXPERT)


def _days(first: int, last: int, **extra) -> dict:
    today = timezone.localdate()
    return {
        "starts_on": (today + timedelta(first)).isoformat(),
        "ends_on": (today + timedelta(last)).isoformat(),
        "kind": "holiday",
        **extra,
    }


def test_an_expert_reads_and_sets_their_week(api, a, b):
    WeeklyAvailabilityFactory(expert=b.expert_profile, weekday=0, dagdeel="morning")
    client = api(a)
    assert client.get(WEEK).json() == {"slots": []}

    response = client.put(
        WEEK,
        {"slots": [{"weekday": 3, "dagdeel": "morning"}, {"weekday": 1, "dagdeel": "afternoon"}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["slots"] == [
        {
            "weekday": 1,
            "dagdeel": "afternoon",
            "name": "dinsdagmiddag",
            "starts": "13:00",
            "ends": "17:00",
        },
        {
            "weekday": 3,
            "dagdeel": "morning",
            "name": "donderdagochtend",
            "starts": "09:00",
            "ends": "12:30",
        },
    ]
    assert client.get(WEEK).json() == response.json()
    # B's week is B's: untouched, and not in A's answer.
    assert set(
        WeeklyAvailability.objects.filter(expert__user=b).values_list("weekday", "dagdeel")
    ) == {(0, "morning")}


@pytest.mark.parametrize(
    "body",
    [
        {"slots": [{"weekday": 7, "dagdeel": "morning"}]},
        {"slots": [{"weekday": 1, "dagdeel": "night"}]},
        {"slots": [{"weekday": "dinsdag"}]},
        {"slots": "everything"},
        {},
    ],
)
def test_a_bad_week_is_a_400_with_field_errors_and_nothing_is_lost(api, a, body):
    WeeklyAvailabilityFactory(expert=a.expert_profile, weekday=1, dagdeel="afternoon")
    response = api(a).put(WEEK, body, format="json")
    assert response.status_code == 400
    assert "slots" in response.json()
    assert WeeklyAvailability.objects.filter(expert__user=a).count() == 1


def test_absences_own_only_current_and_coming_unless_past_is_asked(api, a, b):
    past = AbsenceFactory(
        expert=a.expert_profile,
        starts_on=timezone.localdate() - timedelta(9),
        ends_on=timezone.localdate() - timedelta(2),
    )
    AbsenceFactory(expert=b.expert_profile, note="B's private note")
    client = api(a)
    created = client.post(ABSENCES, _days(3, 5, note="Bruiloft zus"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["kind"], body["note"]) == ("holiday", "Bruiloft zus")

    listed = client.get(ABSENCES).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    with_past = client.get(ABSENCES, {"past": "true"}).json()["results"]
    assert [row["id"] for row in with_past] == [past.pk, body["id"]]
    assert "B's private note" not in client.get(ABSENCES, {"past": "true"}).content.decode()


def test_expert_a_cannot_see_or_remove_bs_absence(api, a, b):
    theirs = AbsenceFactory(expert=b.expert_profile)
    client = api(a)
    assert client.get(f"{ABSENCES}{theirs.pk}/").status_code == 404
    assert client.delete(f"{ABSENCES}{theirs.pk}/").status_code == 404
    assert client.put(f"{ABSENCES}{theirs.pk}/", _days(1, 2), format="json").status_code == 405
    assert Absence.objects.filter(pk=theirs.pk).exists()
    # B can.
    assert api(b).delete(f"{ABSENCES}{theirs.pk}/").status_code == 204
    assert not Absence.objects.exists()


@pytest.mark.parametrize("role", [Role.GENERALIST, Role.TRIAGE, Role.MUNICIPALITY_ADMIN])
def test_someone_who_is_not_an_expert_gets_a_404(api, make_user, role):
    client = api(make_user(role))
    assert client.get(WEEK).status_code == 404
    assert client.put(WEEK, {"slots": []}, format="json").status_code == 404
    assert client.get(ABSENCES).status_code == 404
    assert client.post(ABSENCES, _days(1, 2), format="json").status_code == 404
    assert not Absence.objects.exists()


def test_signed_out_is_refused(client):
    assert client.get(WEEK).status_code in (401, 403)
    assert client.get(ABSENCES).status_code in (401, 403)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"starts_on": "morgen", "ends_on": "2027-03-01", "kind": "holiday"}, "starts_on"),
        ({"starts_on": "2027-03-01", "kind": "holiday"}, "ends_on"),
        ({"starts_on": "2027-03-10", "ends_on": "2027-03-01", "kind": "holiday"}, "ends_on"),
        ({"starts_on": "2020-03-01", "ends_on": "2020-03-02", "kind": "holiday"}, "ends_on"),
        ({"starts_on": "2027-03-01", "ends_on": "2027-03-02", "kind": "sabbatical"}, "kind"),
        (
            {
                "starts_on": "2027-03-01",
                "ends_on": "2027-03-02",
                "kind": "leave",
                "note": "x" * 201,
            },
            "note",
        ),
    ],
)
def test_a_bad_absence_is_a_400_with_field_errors(api, a, body, field):
    response = api(a).post(ABSENCES, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Absence.objects.exists()


def test_an_overlap_is_a_400(api, a):
    client = api(a)
    assert client.post(ABSENCES, _days(3, 5), format="json").status_code == 201
    response = client.post(ABSENCES, _days(5, 7), format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_an_idempotency_key_makes_one_absence(token_client, a):
    client = token_client(a)
    first = client.post(ABSENCES, _days(3, 5), format="json", HTTP_IDEMPOTENCY_KEY="abs-1")
    second = client.post(ABSENCES, _days(3, 5), format="json", HTTP_IDEMPOTENCY_KEY="abs-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert Absence.objects.count() == 1


def test_the_schema_documents_the_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert {"get", "put"} <= set(paths[WEEK])
    assert {"get", "post"} <= set(paths[ABSENCES])
    assert {"get", "delete"} <= set(paths[f"{ABSENCES}{{id}}/"])
    # Nothing reads someone else's availability.
    assert not [p for p in paths if "availability" in p and "{" in p]
