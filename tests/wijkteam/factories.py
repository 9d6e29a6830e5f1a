import datetime

import factory

from wijkteam.models import (
    Case,
    DistrictTeam,
    Municipality,
    Region,
    Resident,
    TeamMembership,
    new_pseudonym,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Regio {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    code = factory.Sequence(lambda n: f"GM{n:04d}")


class DistrictTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictTeam

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wijkteam {n}")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(DistrictTeamFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    role = TeamMembership.Role.GENERALIST


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident as stored; grants and audit come from wijkteam.services.resident_register."""

    class Meta:
        model = Resident

    team = factory.SubFactory(DistrictTeamFactory)
    first_name = "Zoë"
    last_name = "van der Berg"
    date_of_birth = datetime.date(2010, 3, 7)
    postcode = "3811 AB"
    household = Resident.Household.SINGLE_PARENT


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    resident = factory.SubFactory(ResidentFactory)
    team = factory.SelfAttribute("resident.team")
    owner = factory.SubFactory("tests.accounts.factories.UserFactory")
    pseudonym = factory.LazyFunction(new_pseudonym)
