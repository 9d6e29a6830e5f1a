"""The availability services (expertise.services): the week replaced as a whole, absences with
their rules; bad input is a ValidationError keyed by field."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from expertise import services
from expertise.models import Absence, Dagdeel, WeeklyAvailability
from tests.expertise.factories import AbsenceFactory, ExpertProfileFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


def _week(expert):
    return set(WeeklyAvailability.objects.filter(expert=expert).values_list("weekday", "dagdeel"))


def test_the_week_is_replaced_as_a_whole_and_setting_it_twice_changes_nothing():
    expert = ExpertProfileFactory()
    other = ExpertProfileFactory()
    services.weekly_availability_set(expert=other, slots=[(0, Dagdeel.MORNING)])
    services.weekly_availability_set(
        expert=expert, slots=[(1, Dagdeel.AFTERNOON), (3, Dagdeel.MORNING)]
    )
    services.weekly_availability_set(
        expert=expert, slots=[(1, Dagdeel.AFTERNOON), (4, Dagdeel.EVENING)]
    )
    services.weekly_availability_set(
        expert=expert, slots=[(1, Dagdeel.AFTERNOON), (4, Dagdeel.EVENING)]
    )
    assert _week(expert) == {(1, "afternoon"), (4, "evening")}
    assert _week(other) == {(0, "morning")}
    services.weekly_availability_set(expert=expert, slots=[])
    assert _week(expert) == set()


@pytest.mark.parametrize("slot", [(7, "morning"), (-1, "morning"), (1, "night")])
def test_an_unknown_day_or_dagdeel_is_refused(slot):
    expert = ExpertProfileFactory()
    services.weekly_availability_set(expert=expert, slots=[(1, "afternoon")])
    with pytest.raises(ValidationError) as error:
        services.weekly_availability_set(expert=expert, slots=[(2, "morning"), slot])
    assert "slots" in error.value.message_dict
    assert _week(expert) == {(1, "afternoon")}  # nothing stored is lost


def test_an_absence_may_have_begun_and_may_end_today():
    expert = ExpertProfileFactory()
    absence = services.absence_add(
        expert=expert,
        starts_on=TODAY - timedelta(days=3),
        ends_on=TODAY,
        kind=Absence.Kind.ILLNESS,
        note="  griep  ",
        today=TODAY,
    )
    assert (absence.starts_on, absence.ends_on, absence.note) == (
        TODAY - timedelta(days=3),
        TODAY,
        "griep",
    )


@pytest.mark.parametrize(
    "first, last, kind, field",
    [
        (TODAY + timedelta(5), TODAY + timedelta(4), "holiday", "ends_on"),  # last before first
        (TODAY - timedelta(5), TODAY - timedelta(1), "holiday", "ends_on"),  # over already
        (TODAY, TODAY + timedelta(days=800), "holiday", "ends_on"),  # a typo of a year
        (TODAY, TODAY, "sabbatical", "kind"),
    ],
)
def test_bad_absences_are_refused_by_field(first, last, kind, field):
    expert = ExpertProfileFactory()
    with pytest.raises(ValidationError) as error:
        services.absence_add(expert=expert, starts_on=first, ends_on=last, kind=kind, today=TODAY)
    assert field in error.value.message_dict
    assert not Absence.objects.exists()


def test_an_absence_may_not_overlap_another_of_the_same_expert_but_may_touch_it():
    expert = ExpertProfileFactory()
    AbsenceFactory(expert=expert, starts_on=TODAY + timedelta(10), ends_on=TODAY + timedelta(20))
    AbsenceFactory(starts_on=TODAY, ends_on=TODAY + timedelta(30))  # someone else's
    with pytest.raises(ValidationError) as error:
        services.absence_add(
            expert=expert,
            starts_on=TODAY + timedelta(20),  # the other's last day, included
            ends_on=TODAY + timedelta(22),
            kind="leave",
            today=TODAY,
        )
    assert "overlapt" in " ".join(error.value.messages)  # Dutch, the default language
    services.absence_add(
        expert=expert,
        starts_on=TODAY + timedelta(21),
        ends_on=TODAY + timedelta(22),
        kind="leave",
        today=TODAY,
    )
    assert Absence.objects.filter(expert=expert).count() == 2


def test_only_ones_own_absence_is_removed():
    mine = AbsenceFactory()
    theirs = AbsenceFactory()
    with pytest.raises(PermissionDenied):
        services.absence_remove(expert=mine.expert, absence=theirs)
    services.absence_remove(expert=mine.expert, absence=mine)
    assert list(Absence.objects.all()) == [theirs]
