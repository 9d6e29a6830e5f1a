"""The expert's own hours (issue 11): "Mijn uren" (the month against each pool's cap, the
attendance to confirm or decline, the month's entries), a correction as a new signed entry;
who sees what (an expert only their own), bad input as form errors, a double submit once, and
the query counts. The advice time on the question page: test_advice_time.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hours.models import TimeEntry
from hours.selectors import month_of
from hours.services import (
    invoice_export_create,
    time_entry_confirm,
    time_entry_correct,
    time_entry_register_advice,
)
from submissions.web import FIELD, new_token
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session
from tests.hours.helpers import advice_by, held_session
from tests.meetings.helpers import build_team_pool

pytestmark = pytest.mark.django_db
REQUEST_OVERHEAD = 2  # the user and the OTP device (tests/consultation/test_query_budgets.py)
MINE = reverse("hours:mine")


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


@pytest.fixture
def proposed(cast, team):
    """A held session of two hours: its attendance proposed to the two experts who came."""
    session = held_session(cast, team, minutes=120, declined=1)
    return TimeEntry.objects.get(session=session, expert=team.experts[1])


def _html(response) -> str:
    return response.content.decode()


def _month(day=None) -> str:
    return f"{day or timezone.localdate():%Y-%m}"


def _last_month():
    return month_of(timezone.localdate())[0] - timedelta(days=1)


# --- The month against the cap -------------------------------------------------------------
def test_the_month_against_the_cap_with_the_warning_from_80_percent(client, cast):
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=190)
    verify_session(client, cast.expert)
    page = client.get(MINE)
    assert page.status_code == 200
    html = _html(page)
    assert "3 u 10 min van 4 u" in html
    assert '<meter class="wx-usage__meter" min="0" max="240"' in html
    assert "Je hebt" not in html and "Het plafond is bereikt" not in html  # 79 %: no warning
    # The entry: date, activity, the case's pseudonym, minutes, status; never the question's
    # title or the resident.
    assert entry.question.case.pseudonym in html
    assert "Schulden en huur" not in html and cast.resident.last_name not in html
    assert "Schriftelijk advies" in html and "Bevestigd" in html
    assert f'href="{reverse("hours:correct", args=[entry.pk])}"' in html

    time_entry_register_advice(expert=cast.expert, message=advice_by(cast, title="B"), minutes=2)
    html = _html(client.get(MINE))
    assert "Je hebt 80 % van het plafond gebruikt: nog 48 min over." in html


def test_over_the_cap_the_page_says_that_more_needs_approval(client, cast):
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=240)
    over = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Tweede"), minutes=25
    )
    assert over.status == TimeEntry.Status.AWAITING_APPROVAL
    verify_session(client, cast.expert)
    html = _html(client.get(MINE))
    assert "4 u van 4 u" in html and "Het plafond is bereikt." in html
    assert "pas mee na goedkeuring door de triagist of coördinator" in html
    assert "25 min wacht op goedkeuring." in html
    assert "Boven het plafond: wacht op goedkeuring" in html


def test_the_month_chooser_and_values_that_are_no_month(client, cast):
    earlier = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    TimeEntry.objects.filter(pk=earlier.pk).update(date=_last_month())
    now = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Nu"), minutes=20
    )
    verify_session(client, cast.expert)
    this_month = client.get(MINE)
    assert [e.pk for e in this_month.context["page"]] == [now.pk]
    before = client.get(MINE, {"maand": _month(_last_month())})
    assert before.status_code == 200
    assert [e.pk for e in before.context["page"]] == [earlier.pk]
    assert "Volgende maand" in _html(before) and "Volgende maand" not in _html(this_month)
    future = month_of(timezone.localdate())[1]
    for bad in ("2024-13", "gisteren", "2024-1", "1999-12", _month(future), "9999-99" * 50):
        response = client.get(MINE, {"maand": bad})
        assert response.status_code == 200, bad
        assert "Die maand kon niet worden gelezen" in _html(response)
        assert response.context["month"] == month_of(timezone.localdate())[0]


# --- Proposals -------------------------------------------------------------------------------
def test_the_expert_confirms_a_proposal_with_the_minutes_they_were_there(client, team, proposed):
    expert = team.experts[1]
    verify_session(client, expert)
    html = _html(client.get(MINE))
    assert html.count('<article class="wx-card wx-proposed"') == 1
    assert 'name="minutes" value="120"' in html
    assert ">Bevestigen<" in html and ">Ik was er niet<" in html
    url = reverse("hours:proposal", args=[proposed.pk])
    data = {"action": "confirm", "minutes": "110", FIELD: new_token()}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == MINE
    assert client.post(url, data).status_code == 302  # the double click: nothing more
    proposed.refresh_from_db()
    assert (proposed.minutes, proposed.status) == (110, TimeEntry.Status.CONFIRMED)
    page = client.get(MINE)
    html = _html(page)
    assert "Bevestigd: 110 minuten voor het overleg van" in html
    assert "wx-proposed" not in html
    assert [e.pk for e in page.context["page"]] == [proposed.pk]
    # A later submit of another token changes nothing either: it was confirmed already.
    again = client.post(url, {"action": "decline", FIELD: new_token()})
    assert again.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == TimeEntry.Status.CONFIRMED


def test_the_expert_who_was_not_there_declines(client, team, proposed):
    verify_session(client, team.experts[1])
    back = f"{MINE}?maand={_month()}"
    response = client.post(
        f"{reverse('hours:proposal', args=[proposed.pk])}?maand={_month()}",
        {"action": "decline", "minutes": "", FIELD: new_token()},
    )
    assert response.status_code == 302 and response.url in (MINE, back)
    proposed.refresh_from_db()
    assert proposed.status == TimeEntry.Status.DECLINED
    assert "je was niet bij het overleg van" in _html(client.get(MINE))


def test_bad_minutes_are_a_form_error_at_the_field(client, team, proposed):
    verify_session(client, team.experts[1])
    url = reverse("hours:proposal", args=[proposed.pk])
    token = new_token()
    for bad in ("", "abc", "0", "-5", "601", "1.5"):
        response = client.post(url, {"action": "confirm", "minutes": bad, FIELD: token})
        assert response.status_code == 400, bad
        html = _html(response)
        assert "Vul de minuten in als een heel getal van 1 tot en met 600." in html
        assert 'aria-invalid="true"' in html and 'value="' in html
    assert client.post(url, {"action": "maybe", "minutes": "60"}).status_code == 400
    proposed.refresh_from_db()
    assert proposed.status == TimeEntry.Status.PROPOSED
    # The same token, the minutes fixed: one confirmation.
    assert client.post(url, {"action": "confirm", "minutes": "60", FIELD: token}).status_code == 302
    proposed.refresh_from_db()
    assert (proposed.minutes, proposed.status) == (60, TimeEntry.Status.CONFIRMED)


# --- Corrections -----------------------------------------------------------------------------
def test_a_correction_is_a_new_signed_entry_never_an_edit(client, cast):
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    verify_session(client, cast.expert)
    url = reverse("hours:correct", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["minutes"].value() == 30
    data = {"minutes": "45", "reason": "Het gesprek liep uit", FIELD: new_token()}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == MINE
    assert client.post(url, data).status_code == 302  # the double click
    entry.refresh_from_db()
    assert entry.minutes == 30  # never changed
    (correction,) = entry.corrections.all()
    assert (correction.minutes, correction.note, correction.created_by) == (
        15,
        "Het gesprek liep uit",
        cast.expert,
    )
    html = _html(client.get(MINE))
    assert "Gecorrigeerd naar 45 minuten: het verschil (+15) is een nieuwe regel." in html
    assert ">+15<" in html and "Het gesprek liep uit" in html
    # A correction itself is not corrected: the page says so, a POST is refused (400).
    page = client.get(reverse("hours:correct", args=[correction.pk]))
    assert "Alleen bevestigde of goedgekeurde tijd kan worden gecorrigeerd." in _html(page)
    refused = client.post(
        reverse("hours:correct", args=[correction.pk]), {"minutes": "10", "reason": "x"}
    )
    assert refused.status_code == 400
    assert TimeEntry.objects.filter(activity=TimeEntry.Activity.CORRECTION).count() == 1


def test_bad_corrections_are_form_errors(client, cast):
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    verify_session(client, cast.expert)
    url = reverse("hours:correct", args=[entry.pk])
    cases = [
        ({"minutes": "45", "reason": ""}, "Geef aan waarom de tijd is gecorrigeerd."),
        ({"minutes": "45", "reason": "   "}, "Geef aan waarom de tijd is gecorrigeerd."),
        ({"minutes": "45", "reason": "x" * 201}, "Houd de reden onder de 200 tekens."),
        ({"minutes": "30", "reason": "Niets"}, "Dat is de tijd die al geregistreerd is."),
        ({"minutes": "zes", "reason": "Typo"}, "Vul de minuten in als een heel getal"),
        ({"minutes": "0", "reason": "Typo"}, "Vul de minuten in als een heel getal"),
    ]
    for data, error in cases:
        response = client.post(url, {**data, FIELD: new_token()})
        assert response.status_code == 400, data
        assert error in _html(response), data
    assert not entry.corrections.exists()


def test_an_exported_entry_is_locked_but_can_still_be_corrected(client, cast):
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    planner = UserFactory()
    cast.pool.triage_workers.add(planner)
    invoice_export_create(
        actor=planner,
        pool=cast.pool,
        organisation_id=entry.organisation_id,
        month=timezone.localdate(),
    )
    verify_session(client, cast.expert)
    assert "Gefactureerd: staat vast" in _html(client.get(MINE))
    url = reverse("hours:correct", args=[entry.pk])
    assert "de correctie komt in de volgende export" in _html(client.get(url))
    response = client.post(url, {"minutes": "20", "reason": "Te veel", FIELD: new_token()})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.minutes == 30 and entry.export_id is not None
    assert entry.corrections.get().minutes == -10


# --- Who sees what ---------------------------------------------------------------------------
def test_experts_see_only_their_own_and_others_get_a_404(client, cast, team, proposed):
    mine = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    theirs = time_entry_register_advice(
        expert=cast.second_expert, message=advice_by(cast, cast.second_expert), minutes=40
    )
    planner = UserFactory()
    cast.pool.triage_workers.add(planner)  # sees the pool's entries, to approve and export
    verify_session(client, cast.expert)
    page = client.get(MINE)
    assert [e.pk for e in page.context["page"]] == [mine.pk]
    assert not page.context["cards"]  # another expert's proposal is not here
    for url, method in (
        (reverse("hours:correct", args=[theirs.pk]), "get"),
        (reverse("hours:correct", args=[theirs.pk]), "post"),
        (reverse("hours:proposal", args=[proposed.pk]), "post"),
        (reverse("hours:advice-time", args=[theirs.message_id]), "post"),
    ):
        response = getattr(client, method)(url, {"action": "confirm", "minutes": "5"})
        assert response.status_code == 404, url
    proposed.refresh_from_db()
    assert proposed.status == TimeEntry.Status.PROPOSED
    outsiders = (
        cast.generalist,
        cast.team_lead,
        cast.triage,
        cast.municipality_admin,
        team.coordinator,
        planner,
    )
    for outsider in outsiders:
        verify_session(client, outsider)
        for url in (
            MINE,
            reverse("hours:correct", args=[mine.pk]),
            reverse("hours:advice-time", args=[mine.message_id]),
        ):
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(reverse("hours:correct", args=[mine.pk]), {}).status_code == 404
    assert not mine.corrections.exists()


def test_the_expert_navigation_has_my_hours(client, cast):
    verify_session(client, cast.expert)
    html = _html(client.get(MINE))
    assert f'href="{MINE}" aria-current="page">Mijn uren' in html
    verify_session(client, cast.generalist)
    assert f'href="{MINE}"' not in _html(client.get(reverse("wijkteam:home")))


# --- Query counts ----------------------------------------------------------------------------
def _fill(cast, team, n):
    """n entries of the expert this month, of every kind the list shows."""
    question = advice_by(cast).question
    session = held_session(cast, team, declined=0)
    expert = cast.expert
    organisation_id = expert.expert_profile.organisation_id
    base = time_entry_confirm(
        expert=team.experts[0], entry=TimeEntry.objects.get(session=session, expert=team.experts[0])
    )
    first = TimeEntry.objects.create(
        expert=expert,
        pool=cast.pool,
        organisation_id=organisation_id,
        date=timezone.localdate(),
        activity=TimeEntry.Activity.ADVICE,
        question=question,
        minutes=5,
        created_by=expert,
    )
    rows = []
    for i in range(n - 1):
        kind = i % 3
        rows.append(
            TimeEntry(
                expert=expert,
                pool=cast.pool if kind != 1 else team.pool,
                organisation_id=organisation_id,
                date=timezone.localdate(),
                activity=("advice", "session", "correction")[kind],
                question=question if kind != 1 else None,
                session=None,
                corrects=first if kind == 2 else None,
                minutes=5,
                note="Bijgesteld" if kind == 2 else "",
                created_by=expert,
            )
        )
    TimeEntry.objects.bulk_create(rows)
    return base


@pytest.mark.parametrize("entries", [1, 50])
def test_my_hours_budget(client, cast, team, django_assert_num_queries, entries):
    _fill(cast, team, entries)
    verify_session(client, cast.expert)
    client.get(MINE)  # warm the session, roles and bell
    # the month's usage per pool (2: hours.selectors.usage_of), the proposals (1), the page of
    # entries with their pool, care provider, question and case, session and corrected entry (1)
    with django_assert_num_queries(REQUEST_OVERHEAD + 4):
        response = client.get(MINE)
    assert len(response.context["page"]) == min(entries, 25)
    assert response.context["page"].has_next == (entries > 25)


def test_time_entry_correct_is_what_the_page_calls(cast):
    """The page's "correctable" is the service's rule (hours.personal.correctable)."""
    from hours.personal import correctable

    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    assert correctable(entry)
    correction = time_entry_correct(expert=cast.expert, entry=entry, minutes=40, reason="Uitloop")
    assert not correctable(correction)
