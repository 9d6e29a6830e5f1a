"""The planning selectors (expertise.availability): who can come when, with why, in a fixed
number of queries; an absence's last day is included, a dagdeel's edges are where they say."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from expertise.availability import (
    AFTERNOON,
    EVENING,
    MORNING,
    Reason,
    absences_current_and_coming,
    available_moments,
    dagdeel_label,
    dagdelen_of,
    who_is_unavailable,
)
from expertise.models import Absence, Dagdeel
from tests.expertise.factories import (
    AbsenceFactory,
    ExpertProfileFactory,
    WeeklyAvailabilityFactory,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2027, 3, 1)
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=AMSTERDAM)


def expert_with(*slots, **fields):
    profile = ExpertProfileFactory(**fields)
    for weekday, dagdeel in slots:
        WeeklyAvailabilityFactory(expert=profile, weekday=weekday, dagdeel=dagdeel)
    return profile


# --- Labels and times ----------------------------------------------------------------------------
def test_the_times_are_module_constants():
    assert (time(9, 0), time(12, 30)) == MORNING
    assert (time(13, 0), time(17, 0)) == AFTERNOON
    assert (time(18, 30), time(21, 0)) == EVENING


def test_a_dagdeel_reads_as_one_dutch_word():
    with translation.override("nl"):
        assert dagdeel_label(1, Dagdeel.AFTERNOON) == "dinsdagmiddag"
        assert dagdeel_label(0, Dagdeel.MORNING) == "maandagochtend"
    with translation.override("en"):
        assert dagdeel_label(4, Dagdeel.EVENING) == "Friday evening"


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ((9, 0), (12, 30), [Dagdeel.MORNING]),
        ((12, 59), (13, 0), [Dagdeel.MORNING]),  # the end is not included
        ((13, 0), (15, 0), [Dagdeel.AFTERNOON]),
        ((12, 0), (14, 0), [Dagdeel.MORNING, Dagdeel.AFTERNOON]),
        ((17, 59), (18, 1), [Dagdeel.AFTERNOON, Dagdeel.EVENING]),
        ((18, 0), (21, 0), [Dagdeel.EVENING]),
    ],
)
def test_which_dagdelen_a_stretch_of_time_touches(start, end, expected):
    touched = dagdelen_of(at(TUESDAY, *start), at(TUESDAY, *end))
    assert touched == [(TUESDAY, d) for d in expected]


def test_a_stretch_past_midnight_touches_the_next_morning():
    assert dagdelen_of(at(TUESDAY, 20), at(WEDNESDAY, 1)) == [
        (TUESDAY, Dagdeel.EVENING),
        (WEDNESDAY, Dagdeel.MORNING),
    ]


def test_an_empty_stretch_is_refused():
    with pytest.raises(ValueError):
        dagdelen_of(at(TUESDAY, 13), at(TUESDAY, 13))


# --- who_is_unavailable --------------------------------------------------------------------------
def test_who_cannot_come_and_why_in_the_order_given():
    free = expert_with((1, Dagdeel.AFTERNOON))
    mornings = expert_with((1, Dagdeel.MORNING))
    silent = ExpertProfileFactory()
    away = expert_with((1, Dagdeel.AFTERNOON))
    AbsenceFactory(expert=away, starts_on=MONDAY, ends_on=TUESDAY, kind=Absence.Kind.ILLNESS)

    found = who_is_unavailable(
        experts=[free, mornings, silent, away],
        starts_at=at(TUESDAY, 13),
        ends_at=at(TUESDAY, 15),
    )

    assert [(u.expert, u.reason, u.until) for u in found] == [
        (mornings, Reason.NOT_AVAILABLE, None),
        (silent, Reason.NO_AVAILABILITY, None),
        (away, Reason.ILLNESS, TUESDAY),
    ]
    with translation.override("nl"):
        labels = [u.label for u in found]
    # Away and until when, not why: "ill" is health data about a colleague.
    assert labels == [
        "niet beschikbaar op dit dagdeel",
        "heeft geen beschikbaarheid opgegeven",
        "afwezig tot en met 2 maart 2027",
    ]


def test_an_absence_includes_its_first_and_its_last_day():
    expert = expert_with(*[(w, Dagdeel.AFTERNOON) for w in range(7)])
    AbsenceFactory(expert=expert, starts_on=TUESDAY, ends_on=WEDNESDAY)

    def absent(day):
        return bool(
            who_is_unavailable(experts=[expert], starts_at=at(day, 13), ends_at=at(day, 14))
        )

    assert not absent(MONDAY)
    assert absent(TUESDAY)  # first day
    assert absent(WEDNESDAY)  # last day, included
    assert not absent(WEDNESDAY + timedelta(days=1))


def test_a_session_over_two_dagdelen_needs_both():
    expert = expert_with((1, Dagdeel.AFTERNOON))
    found = who_is_unavailable(experts=[expert], starts_at=at(TUESDAY, 12), ends_at=at(TUESDAY, 14))
    assert [u.reason for u in found] == [Reason.NOT_AVAILABLE]
    WeeklyAvailabilityFactory(expert=expert, weekday=1, dagdeel=Dagdeel.MORNING)
    assert not who_is_unavailable(
        experts=[expert], starts_at=at(TUESDAY, 12), ends_at=at(TUESDAY, 14)
    )


def test_users_and_profiles_alike_and_unavailable_until_counts_as_away():
    held = expert_with((1, Dagdeel.AFTERNOON), unavailable_until=TUESDAY)
    free = expert_with((1, Dagdeel.AFTERNOON))
    found = who_is_unavailable(
        experts=[held.user, free.user], starts_at=at(TUESDAY, 13), ends_at=at(TUESDAY, 15)
    )
    assert [(u.expert, u.reason, u.until) for u in found] == [(held.user, Reason.OTHER, TUESDAY)]
    assert not who_is_unavailable(
        experts=[held.user],
        starts_at=at(TUESDAY + timedelta(7), 13),
        ends_at=at(TUESDAY + timedelta(7), 15),
    )


def test_someone_without_an_expert_profile_has_no_availability(make_user):
    from accounts.roles import Role

    generalist = make_user(Role.GENERALIST)
    found = who_is_unavailable(
        experts=[generalist], starts_at=at(TUESDAY, 13), ends_at=at(TUESDAY, 14)
    )
    assert [u.reason for u in found] == [Reason.NO_AVAILABILITY]


@pytest.mark.parametrize("n", [1, 20])
def test_who_is_unavailable_reads_three_queries_whatever_the_number(n, django_assert_num_queries):
    experts = []
    for index in range(n):
        expert = expert_with((1, Dagdeel.AFTERNOON), (3, Dagdeel.MORNING))
        AbsenceFactory(expert=expert, starts_on=TUESDAY, ends_on=TUESDAY + timedelta(index))
        experts.append(expert)
    # 1 profiles (and unavailable_until), 2 weekly dagdelen, 3 absences touching the days.
    with django_assert_num_queries(3) as captured:
        found = who_is_unavailable(
            experts=experts, starts_at=at(TUESDAY, 13), ends_at=at(TUESDAY, 14)
        )
    assert len(found) == n
    # The note is never read: it cannot reach a planning page.
    assert not any("note" in q["sql"] for q in captured.captured_queries)


# --- available_moments ---------------------------------------------------------------------------
def test_moments_everyone_can_come_to_come_first_then_the_most():
    tuesday_afternoons = [
        expert_with((1, Dagdeel.AFTERNOON), (3, Dagdeel.MORNING)) for _ in range(2)
    ]
    thursday_only = expert_with((3, Dagdeel.MORNING))
    experts = [*tuesday_afternoons, thursday_only]

    moments = available_moments(experts=experts, start=MONDAY, days=14, limit=4)

    # Thursday mornings: all three. Then Tuesday afternoons: two of three, time order.
    assert [(m.date, m.dagdeel) for m in moments] == [
        (MONDAY + timedelta(3), Dagdeel.MORNING),
        (MONDAY + timedelta(10), Dagdeel.MORNING),
        (TUESDAY, Dagdeel.AFTERNOON),
        (TUESDAY + timedelta(7), Dagdeel.AFTERNOON),
    ]
    assert moments[0].everyone and moments[0].available == tuple(experts)
    assert moments[0].starts_at == at(MONDAY + timedelta(3), 9)
    assert moments[0].ends_at == at(MONDAY + timedelta(3), 12, 30)
    tuesday = moments[2]
    assert not tuesday.everyone
    assert [(u.expert, u.reason) for u in tuesday.unavailable] == [
        (thursday_only, Reason.NOT_AVAILABLE)
    ]
    assert tuesday.starts_at == at(TUESDAY, 13) and tuesday.ends_at == at(TUESDAY, 17)
    with translation.override("nl"):
        assert tuesday.label == "dinsdagmiddag 2 maart, 13:00–17:00"


def test_an_absence_moves_the_moment_and_says_who_is_away():
    a = expert_with((1, Dagdeel.AFTERNOON))
    b = expert_with((1, Dagdeel.AFTERNOON))
    AbsenceFactory(expert=b, starts_on=MONDAY, ends_on=TUESDAY, kind=Absence.Kind.HOLIDAY)

    moments = available_moments(experts=[a, b], start=MONDAY, days=14, limit=2)

    assert [(m.date, m.everyone) for m in moments] == [
        (TUESDAY + timedelta(7), True),
        (TUESDAY, False),
    ]
    assert [(u.expert, u.reason, u.until) for u in moments[1].unavailable] == [
        (b, Reason.HOLIDAY, TUESDAY)
    ]


def test_a_moment_nobody_can_come_to_is_left_out_and_a_datetime_start_skips_what_began():
    expert = expert_with((1, Dagdeel.MORNING), (1, Dagdeel.AFTERNOON))
    moments = available_moments(experts=[expert], start=at(TUESDAY, 10), days=1)
    assert [(m.date, m.dagdeel) for m in moments] == [(TUESDAY, Dagdeel.AFTERNOON)]
    assert available_moments(experts=[expert], start=WEDNESDAY, days=6) == []


def test_weekdays_and_dagdelen_can_be_narrowed():
    expert = expert_with(*[(w, d) for w in range(7) for d in Dagdeel.values])
    moments = available_moments(
        experts=[expert],
        start=MONDAY,
        days=7,
        weekdays=[1, 3],
        dagdelen=[Dagdeel.EVENING],
        limit=10,
    )
    assert [(m.date.weekday(), m.dagdeel) for m in moments] == [(1, "evening"), (3, "evening")]


@pytest.mark.parametrize("n", [1, 20])
def test_available_moments_reads_three_queries_whatever_the_number(n, django_assert_num_queries):
    experts = []
    for _ in range(n):
        expert = expert_with((1, Dagdeel.AFTERNOON), (2, Dagdeel.MORNING))
        AbsenceFactory(expert=expert, starts_on=TUESDAY, ends_on=TUESDAY)
        experts.append(expert)
    # 1 profiles, 2 weekly dagdelen, 3 absences in the window.
    with django_assert_num_queries(3):
        moments = available_moments(experts=experts, start=MONDAY, days=28)
    assert moments and moments[0].everyone


def test_no_experts_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert len(available_moments(experts=[], start=MONDAY, days=1, limit=5)) == 3
        assert who_is_unavailable(experts=[], starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10)) == []


# --- The expert's own list -----------------------------------------------------------------------
def test_the_own_list_holds_current_and_coming_absences_not_past_ones():
    expert = ExpertProfileFactory()
    AbsenceFactory(expert=expert, starts_on=MONDAY - timedelta(9), ends_on=MONDAY - timedelta(1))
    ends_today = AbsenceFactory(expert=expert, starts_on=MONDAY - timedelta(3), ends_on=MONDAY)
    coming = AbsenceFactory(expert=expert, starts_on=WEDNESDAY, ends_on=WEDNESDAY)
    AbsenceFactory(starts_on=WEDNESDAY, ends_on=WEDNESDAY)  # someone else's
    assert list(absences_current_and_coming(expert=expert, today=MONDAY)) == [ends_today, coming]
