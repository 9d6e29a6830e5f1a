"""config/validators.py: names are one plain line. Control characters, CR/LF, bidirectional
overrides/isolates and the traces of invalid UTF-8 (U+FFFD, lone surrogates) are refused with a
Dutch message, through the real forms, views and API: a form error or a 400, nothing stored,
never a 500. Ordinary names from everywhere pass."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.roles import Role
from config.validators import BIDI_CONTROLS, validate_name
from municipality.models import TeamInvitation
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session
from wijkteam.models import DistrictTeam, Resident

BAD = {
    "line feed": "Jan\nJansen",
    "carriage return": "Jan\r\nJansen",
    "vertical tab": "Jan\x0bJansen",
    "line separator": "Jan\u2028Jansen",
    "tab": "Jan\tJansen",
    "bell": "Jan\x07",
    "escape": "Jan\x1b[31m",
    "delete": "Jan\x7f",
    "C1 control": "Jan\x9bJansen",
    "right-to-left override": "Jan\u202esnesnaJ",
    "left-to-right embedding": "\u202aJan",
    "pop directional": "Jan\u202c",
    "right-to-left isolate": "Jan\u2067x\u2069",
    "first strong isolate": "\u2068Jan",
    "right-to-left mark": "Jan\u200f",
    "replacement character (invalid UTF-8)": "Jan\ufffdsen",
    "lone surrogate": "Jan\ud800",
}
GOOD = [
    "Jan",
    "Anne-Marie",
    "van 't Hek",
    "O'Brien",
    "Zoë Çelik",
    "Łukasz Żółć",
    "Nguyễn Thị",
    "محمد",  # right-to-left by itself is fine: no override characters
    "Ærøskøbing",
    "J. de Vries-van Dam",
]

DUTCH = json.loads(
    (Path(__file__).parents[2] / "locale/nl/interface.d/security-web.json").read_text("utf-8")
)["messages"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_bad_names_are_refused_with_a_dutch_message(value):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_name(value)
    message = refused.value.messages[0]
    assert message in DUTCH.values(), message  # the Dutch text, not the English msgid


@pytest.mark.parametrize("value", GOOD)
def test_ordinary_names_pass(value):
    validate_name(value)


def test_every_bidi_override_and_isolate_is_covered():
    for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        assert chr(code) in BIDI_CONTROLS


# --- Through the real pages ----------------------------------------------------------------------
RESIDENT = {
    "first_name": "Henk",
    "last_name": "Stapelberg",
    "date_of_birth": "1956-02-29",
    "postcode": "3812 AB",
    "household": "single",
}
WEB_BAD = {k: v for k, v in BAD.items() if k != "lone surrogate"}  # a form post carries bytes


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("value", WEB_BAD.values(), ids=WEB_BAD.keys())
def test_registering_a_resident_refuses_a_bad_name(client, cast, field, value):
    verify_session(client, cast.generalist)
    before = Resident.objects.count()
    data = {**RESIDENT, "team": cast.org["team"].pk, field: value}
    response = client.post(reverse("wijkteam:resident-new"), data)
    assert response.status_code in (200, 400)
    assert list(response.context["form"].errors) == [field]
    assert 'aria-invalid="true"' in response.text
    assert Resident.objects.count() == before


def test_registering_a_resident_with_an_ordinary_name_works(client, cast):
    verify_session(client, cast.generalist)
    data = {**RESIDENT, "team": cast.org["team"].pk, "first_name": "Zoë", "last_name": "محمد"}
    response = client.post(reverse("wijkteam:resident-new"), data)
    assert response.status_code == 302
    assert Resident.objects.filter(first_name="Zoë", last_name="محمد").exists()


def test_invalid_utf8_in_a_form_post_is_refused_not_stored_as_mojibake(client, cast):
    verify_session(client, cast.generalist)
    before = Resident.objects.count()
    # What a browser sends for text that was not UTF-8 (Latin-1 "é", half a sequence):
    # Django decodes it with U+FFFD in place of the bytes it cannot read.
    body = (
        b"first_name=Henk%FF%FE&last_name=Stapel%E9berg&date_of_birth=1956-02-29"
        b"&postcode=3812+AB&household=single&team=" + str(cast.org["team"].pk).encode()
    )
    response = client.generic(
        "POST",
        reverse("wijkteam:resident-new"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert "first_name" in errors and "last_name" in errors
    assert "gelezen" in str(errors["first_name"])  # "could not be read", in Dutch
    assert Resident.objects.count() == before


def test_correcting_a_resident_refuses_a_bad_name(client, cast):
    verify_session(client, cast.generalist)
    resident = cast.case.resident
    url = reverse("wijkteam:resident-edit", args=[cast.case.pseudonym])
    response = client.post(url, {**RESIDENT, "last_name": "Stapel\u202eberg"})
    assert response.status_code in (200, 400)
    assert list(response.context["form"].errors) == ["last_name"]
    resident.refresh_from_db()
    assert "\u202e" not in resident.last_name


@pytest.mark.parametrize("field", ["first_name", "last_name"])
@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_the_api_refuses_a_bad_resident_name_with_a_400(api, cast, field, value):
    client = api(cast.generalist)
    before = Resident.objects.count()
    # json.dumps writes a lone surrogate as the escape "\ud800", as a client would send it.
    body = json.dumps({**RESIDENT, field: value})
    response = client.post(
        "/api/v1/residents/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Resident.objects.count() == before


def test_the_api_refuses_a_body_that_is_not_utf8_with_a_400(api, cast):
    client = api(cast.generalist)
    before = Resident.objects.count()
    body = b'{"first_name": "Henk\xff", "last_name": "Stapelberg", "date_of_birth": "1956-02-29"}'
    response = client.post("/api/v1/residents/", body, content_type="application/json")
    assert response.status_code == 400
    assert Resident.objects.count() == before


def test_the_api_still_takes_an_ordinary_name(api, cast):
    response = api(cast.generalist).post(
        "/api/v1/residents/", {**RESIDENT, "first_name": "Zoë", "last_name": "محمد"}, format="json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_inviting_a_team_member_refuses_a_bad_name(client, org, make_user, field):
    verify_session(client, make_user(Role.MUNICIPALITY_ADMIN))
    response = client.post(
        reverse("municipality:invite", args=[org["team"].pk]),
        {"email": "nieuw@example.nl", "role": "generalist", field: "Nieuw\r\nBcc: x@example.org"},
    )
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert not TeamInvitation.objects.exists()
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_the_admin_refuses_bad_user_and_team_names(client, org):
    staff = UserFactory(is_staff=True, is_superuser=True)
    verify_session(client, staff)
    person = UserFactory(first_name="Piet", last_name="Puk")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    response = client.post(
        url,
        {
            "email": person.email,
            "first_name": "Piet\x00\u202e",
            "last_name": "Puk\nJansen",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "first_name" in errors and "last_name" in errors
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Piet", "Puk")

    team = org["team"]
    url = reverse("admin:wijkteam_districtteam_change", args=[team.pk])
    response = client.post(
        url,
        {
            "name": "Wijkteam \u202eNoord",
            "municipality": team.municipality_id,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert DistrictTeam.objects.get(pk=team.pk).name == team.name
