import factory
from django.utils import timezone

from expertise.models import (
    Absence,
    Dagdeel,
    ExpertPool,
    ExpertProfile,
    Organisation,
    WeeklyAvailability,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Zorgaanbieder {n}")
    city = "Amersfoort"


class ExpertPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertPool

    name = factory.Sequence(lambda n: f"Expertisepool {n}")
    region = factory.SubFactory("tests.wijkteam.factories.RegionFactory")
    collaboration_model = ExpertPool.CollaborationModel.NETWORK


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "schuldhulpverlener"

    @factory.post_generation
    def pools(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.pools.set(extracted)


class WeeklyAvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyAvailability

    expert = factory.SubFactory(ExpertProfileFactory)
    weekday = 1
    dagdeel = Dagdeel.AFTERNOON


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    expert = factory.SubFactory(ExpertProfileFactory)
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda absence: absence.starts_on)
    kind = Absence.Kind.HOLIDAY
