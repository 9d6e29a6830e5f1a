import factory

from consultation.models import Message, Notification, Question, QuestionExpert
from expertise.models import LifeDomain, TargetGroup
from tests.wijkteam.factories import CaseFactory


def life_domain(slug: str = "financien", name: str = "Financiën") -> LifeDomain:
    """A seeded life domain. get_or_create: a transactional test flushes the seeded rows."""
    return LifeDomain.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def target_group(slug: str = "jeugd", name: str = "Jeugd") -> TargetGroup:
    return TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name})[0]


class QuestionFactory(factory.django.DjangoModelFactory):
    """A draft question. Pass `case` (its team is taken over) and a `pool` serving that team."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    team = factory.SelfAttribute("case.team")
    pool = factory.SubFactory("tests.expertise.factories.ExpertPoolFactory")
    asked_by = factory.SelfAttribute("case.owner")
    title = "Huurachterstand en stress in het gezin"
    situation = "Moeder met twee kinderen, drie maanden huurachterstand, slaapt slecht."
    tried = "Budgetgesprek gevoerd, aanmelding bij de voedselbank."
    question = "Welke route past bij schuldhulp als de verhuurder met ontruiming dreigt?"

    @factory.post_generation
    def life_domains(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.life_domains.set(extracted)

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.target_groups.set(extracted)


class QuestionExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionExpert

    question = factory.SubFactory(QuestionFactory)
    expert = factory.SubFactory("tests.accounts.factories.UserFactory")
    kind = QuestionExpert.Kind.PICKED_UP


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory("tests.accounts.factories.UserFactory")
    kind = Message.Kind.ADVICE
    body = "Neem contact op met de schuldhulpverlening van de gemeente."


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory("tests.accounts.factories.UserFactory")
    question = factory.SubFactory(QuestionFactory)
    kind = Notification.Kind.NEW_QUESTION
    channel = Notification.Channel.EMAIL
    event_key = factory.Sequence(lambda n: f"test-event:{n}")
    state = Notification.State.PENDING
    digest = factory.LazyAttribute(lambda row: row.state == Notification.State.IN_DIGEST)
