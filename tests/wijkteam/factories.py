import factory

from wijkteam.models import DistrictTeam, Municipality, Region, TeamMembership


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
