"""The availability section of the profile page (expertise.profile, a section of
accounts.profile): shown to experts only; the week and absences saved through it; bad input an
inline error, never a 500; someone else's absence a 404; a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from expertise.models import Absence, WeeklyAvailability
from submissions.web import FIELD, new_token
from tests.expertise.factories import AbsenceFactory, WeeklyAvailabilityFactory
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
WEEK = reverse("availability:week")
ADD = reverse("availability:absence-add")


@pytest.fixture
def expert(make_user):
    return make_user(Role.EXPERT)


@pytest.fixture
def signed_in(client, expert):
    verify_session(client, expert)
    return client


def _week(user):
    return set(
        WeeklyAvailability.objects.filter(expert__user=user).values_list("weekday", "dagdeel")
    )


def _absence_data(first, last, kind="holiday", note=""):
    return {"starts_on": first.isoformat(), "ends_on": last.isoformat(), "kind": kind, "note": note}


def test_an_expert_sees_the_section_with_the_week_ticked(signed_in, expert):
    WeeklyAvailabilityFactory(expert=expert.expert_profile, weekday=1, dagdeel="afternoon")
    response = signed_in.get(PROFILE)
    assert response.status_code == 200
    html = response.text
    assert "Beschikbaarheid" in html
    assert 'aria-label="dinsdagmiddag"' in html
    assert 'value="1-afternoon" id="id_slots_1-afternoon"' in html
    assert 'id="id_slots_1-afternoon" class="utrecht-checkbox' in html
    # Ticked: the one stored; not ticked: the others.
    assert len(re.findall(r'name="slots"[^>]* checked>', html)) == 1
    assert "Ochtend 09:00–12:30 · Middag 13:00–17:00 · Avond 18:30–21:00" in html


@pytest.mark.parametrize("role", [Role.GENERALIST, Role.TRIAGE, Role.MUNICIPALITY_ADMIN])
def test_others_see_no_section_and_cannot_post_one(client, make_user, role):
    verify_session(client, make_user(role))
    assert "Beschikbaarheid" not in client.get(PROFILE).text
    assert client.post(WEEK, {"slots": ["1-afternoon"]}).status_code == 404
    assert (
        client.post(ADD, _absence_data(timezone.localdate(), timezone.localdate())).status_code
        == 404
    )
    assert not WeeklyAvailability.objects.exists() and not Absence.objects.exists()


def test_the_week_is_saved_and_replaced(signed_in, expert):
    response = signed_in.post(WEEK, {"slots": ["1-afternoon", "3-morning"]})
    assert response.status_code == 302
    assert response.url == f"{PROFILE}#beschikbaarheid"
    assert _week(expert) == {(1, "afternoon"), (3, "morning")}
    signed_in.post(WEEK, {"slots": ["4-evening"]})
    assert _week(expert) == {(4, "evening")}
    signed_in.post(WEEK, {})  # nothing ticked: available never
    assert _week(expert) == set()


@pytest.mark.parametrize("bad", [["9-morning"], ["1-night"], ["rubbish"], ["1-afternoon", ""]])
def test_a_tampered_week_is_an_inline_error_and_nothing_stored_is_lost(signed_in, expert, bad):
    signed_in.post(WEEK, {"slots": ["1-afternoon"]})
    response = signed_in.post(WEEK, {"slots": bad})
    assert response.status_code == 200
    assert 'id="slots-error"' in response.text
    assert "Kies dagen en dagdelen." in response.text
    assert _week(expert) == {(1, "afternoon")}


def test_an_absence_is_added_listed_and_removed(signed_in, expert):
    today = timezone.localdate()
    response = signed_in.post(
        ADD, _absence_data(today + timedelta(3), today + timedelta(5), "leave", "Verhuizing")
    )
    assert response.status_code == 302
    absence = Absence.objects.get(expert__user=expert)
    assert (absence.kind, absence.note) == ("leave", "Verhuizing")
    page = signed_in.get(PROFILE).text
    assert "verlof" in page and "Verhuizing" in page  # the expert's own note, for them

    remove = reverse("availability:absence-remove", args=[absence.pk])
    assert signed_in.post(remove).status_code == 302
    assert not Absence.objects.exists()
    assert signed_in.post(remove).status_code == 404  # gone (a double click without a token)


def test_a_date_typed_the_dutch_way_is_understood(signed_in, expert):
    day = timezone.localdate() + timedelta(days=2)
    data = {**_absence_data(day, day), "starts_on": day.strftime("%d-%m-%Y")}
    assert signed_in.post(ADD, data).status_code == 302
    assert Absence.objects.get(expert__user=expert).starts_on == day


@pytest.mark.parametrize(
    "data, message",
    [
        ({"starts_on": "", "ends_on": "", "kind": ""}, "Vul de eerste dag in."),
        ({"starts_on": "morgen", "ends_on": "2027-02-30", "kind": "holiday"}, "Vul een datum in"),
        ({"starts_on": "2027-03-10", "ends_on": "2027-03-09", "kind": "holiday"}, "vóór de eerste"),
        ({"starts_on": "2020-03-01", "ends_on": "2020-03-09", "kind": "holiday"}, "al voorbij"),
        ({"starts_on": "2027-03-10", "ends_on": "2027-03-12", "kind": "sabbatical"}, "Kies een"),
        ({"starts_on": "0001-01-01", "ends_on": "9999-12-31", "kind": "holiday"}, "twee jaar"),
    ],
)
def test_bad_absences_are_inline_errors(signed_in, data, message):
    response = signed_in.post(ADD, {"note": "", **data})
    assert response.status_code == 200
    assert message in response.text
    assert (
        "utrecht-form-field-error-message" in response.text
        or "utrecht-alert--error" in response.text
    )
    assert not Absence.objects.exists()


def test_an_overlap_is_a_form_error_and_the_form_keeps_what_was_typed(signed_in, expert):
    today = timezone.localdate()
    AbsenceFactory(
        expert=expert.expert_profile, starts_on=today + timedelta(5), ends_on=today + timedelta(9)
    )
    response = signed_in.post(
        ADD, _absence_data(today + timedelta(9), today + timedelta(12), note="Tweede")
    )
    assert response.status_code == 200
    assert "Dit overlapt met je afwezigheid" in response.text
    assert 'value="Tweede"' in response.text
    assert Absence.objects.count() == 1


def test_a_double_submit_makes_one_absence(signed_in, expert):
    today = timezone.localdate()
    data = {**_absence_data(today + timedelta(20), today + timedelta(22)), FIELD: new_token()}
    first = signed_in.post(ADD, data)
    second = signed_in.post(ADD, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Absence.objects.filter(expert__user=expert).count() == 1


def test_someone_elses_absence_cannot_be_removed(signed_in, make_user):
    other = make_user(Role.EXPERT)
    theirs = AbsenceFactory(expert=other.expert_profile)
    response = signed_in.post(reverse("availability:absence-remove", args=[theirs.pk]))
    assert response.status_code == 404
    assert Absence.objects.filter(pk=theirs.pk).exists()


def test_past_absences_are_not_listed(signed_in, expert):
    today = timezone.localdate()
    profile = expert.expert_profile
    AbsenceFactory(
        expert=profile, starts_on=today - timedelta(9), ends_on=today - timedelta(1), note="Voorbij"
    )
    AbsenceFactory(expert=profile, starts_on=today - timedelta(2), ends_on=today, note="Loopt nog")
    AbsenceFactory(
        expert=profile,
        starts_on=today + timedelta(30),
        ends_on=today + timedelta(31),
        note="Komt nog",
    )
    page = signed_in.get(PROFILE).text
    assert "Voorbij" not in page
    assert "Loopt nog" in page and "Komt nog" in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_profile_page_reads_a_fixed_number_of_queries(
    signed_in, expert, rows, django_assert_num_queries
):
    today = timezone.localdate()
    profile = expert.expert_profile
    for index in range(rows):
        AbsenceFactory(
            expert=profile,
            starts_on=today + timedelta(2 * index),
            ends_on=today + timedelta(2 * index),
        )
    WeeklyAvailabilityFactory(expert=profile, weekday=1, dagdeel="afternoon")
    signed_in.get(PROFILE)  # warm the role cache, as any page would
    # 1 user, 2 second-factor device (as on every page); the section's: 3 expert profile,
    # 4 weekly dagdelen, 5 a page of absences (11 rows at most); the calendar link's section
    # (meetings): 6 the active feed; the profile's own: 7 tokens.
    with django_assert_num_queries(7):
        response = signed_in.get(PROFILE)
    assert response.status_code == 200
    assert len(response.context["sections"][0]["context"]["absences"]) == min(rows, 10)
    assert "afwezigheden=2" in response.text if rows > 10 else True
