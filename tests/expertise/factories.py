import factory

from expertise.models import ExpertPool, ExpertProfile, Organisation


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
