"""A question through triage, in headless Chromium: submitted → claimed → clarification asked
→ answered by the generalist → back in the queue → sharpened → assigned to two suggested
experts → one declines, one advises → the generalist closes. axe-core on every page."""

from datetime import date

import pytest

from accounts.roles import Role
from consultation import services
from consultation.models import Question, QuestionRevision, Status
from expertise.models import LifeDomain, TargetGroup
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)
from tests.expertise.factories import ExpertProfileFactory
from triage.models import TriageDecision
from wijkteam.models import TeamMembership
from wijkteam.services import case_open, resident_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    assert_accessible(page)
    screenshot(page, f"triage-{name}")


@pytest.fixture
def triage_cast(org, make_user):
    pool = org["pool"]  # a triage pool serving org["team"]
    generalist = make_user(Role.GENERALIST)
    worker = make_user(Role.TRIAGE, first_name="Miriam", last_name="Akkerman")

    def expert(first, job):
        user = make_user(Role.GENERALIST, first_name=first, last_name="Expert")
        TeamMembership.objects.filter(user=user).delete()
        profile = ExpertProfileFactory(user=user, job_title=job, pools=[pool])
        profile.life_domains.set(LifeDomain.objects.filter(slug="psychische-gezondheid"))
        profile.target_groups.set(TargetGroup.objects.filter(slug="lvb"))
        return user

    first, second = expert("Karin", "gedragsdeskundige LVB"), expert("Dennis", "SPV")
    resident = resident_register(
        actor=generalist,
        team=org["team"],
        first_name="Olaf",
        last_name="Triagetest",
        date_of_birth=date(2004, 2, 2),
        postcode="3831 AA",
        household="with_parents",
    )
    case = case_open(actor=generalist, resident=resident)
    question = services.question_create(
        actor=generalist,
        case=case,
        pool=pool,
        data=services.QuestionInput(
            title="Jongen met LVB raakt zijn dagbesteding kwijt",
            situation="Twintiger met een licht verstandelijke beperking, woont bij zijn ouders. "
            "Hij is gestopt met de dagbesteding en zit veel op zijn kamer.",
            tried="Gesprek met ouders; aanmelding bij een andere dagbesteding afgewezen.",
            question="Hoe krijgen we hem weer in beweging zonder hem te overvragen?",
        ),
        life_domains=LifeDomain.objects.filter(slug="psychische-gezondheid"),
        target_groups=TargetGroup.objects.filter(slug="lvb"),
    )
    services.question_submit(actor=generalist, question=question)
    return {
        "generalist": generalist,
        "worker": worker,
        "first": first,
        "second": second,
        "question": question,
    }


def test_question_through_triage(open_page, triage_cast):
    cast = triage_cast
    question = cast["question"]

    # --- The triage worker takes the next question from the queue.
    worker = open_page()
    sign_in_verified(worker, cast["worker"])
    worker.wait_for_url("**/triage/")
    assert worker.get_by_role("link", name=question.title).is_visible()
    _shot(worker, "01-queue")
    worker.get_by_role("button", name="Geef mij de volgende vraag").click()
    worker.wait_for_url(f"**/triage/vragen/{question.pk}/")
    assert worker.get_by_text("Jij hebt deze vraag geclaimd.").is_visible()
    _shot(worker, "02-claimed")

    # --- Asks the generalist for clarification.
    worker.get_by_text("De generalist om verduidelijking vragen").click()
    worker.get_by_label("Wat wil je weten?").fill(
        "Wat wil hij zelf, en wie is zijn vaste contactpersoon?"
    )
    worker.get_by_role("button", name="Vraag versturen").click()
    worker.wait_for_url("**/triage/")
    assert Question.objects.get(pk=question.pk).status == Status.NEEDS_CLARIFICATION

    # --- The generalist answers; the question returns to the queue.
    generalist = open_page()
    sign_in_verified(generalist, cast["generalist"])
    generalist.goto(f"/vragen/{question.pk}/")
    _shot(generalist, "03-clarification-asked")
    generalist.get_by_role("textbox", name="Bericht").fill(
        "Hij wil graag met zijn handen werken; zijn zus is zijn vaste contactpersoon."
    )
    generalist.get_by_role("button", name="Bericht versturen").click()
    generalist.get_by_text("Je bericht is verstuurd.").wait_for()
    assert Question.objects.get(pk=question.pk).status == Status.IN_TRIAGE

    # --- Back in the queue: claimed again, sharpened, assigned to two suggested experts.
    worker.goto("/triage/")
    worker.get_by_role("link", name=question.title).click()
    worker.get_by_role("button", name="Deze vraag claimen").click()
    worker.get_by_text("De vraag aanscherpen").click()
    worker.get_by_label("Titel voor de experts").fill(
        "LVB: weer in beweging na uitval dagbesteding"
    )
    worker.get_by_label("Samenvatting voor de experts").fill(
        "Jongvolwassene met LVB, thuiswonend, wil met zijn handen werken. Gevraagd: een "
        "aanpak die aansluit bij zijn niveau, met de zus als vaste contactpersoon."
    )
    worker.get_by_role("button", name="Opslaan").click()
    worker.get_by_text("De vraag is aangescherpt.").wait_for()
    assert_reflows_at_320(worker, "triage-question")
    _shot(worker, "04-sharpened")
    worker.get_by_text("Toewijzen aan experts").click()
    assert worker.get_by_text("past bij").first.is_visible()  # why each is suggested
    worker.get_by_label("Karin Expert", exact=False).check()
    worker.get_by_label("Dennis Expert", exact=False).check()
    _shot(worker, "05-assign")
    worker.get_by_role("button", name="Toewijzen", exact=True).click()
    worker.wait_for_url("**/triage/")
    _shot(worker, "06-decisions-today")
    assert worker.get_by_text("toegewezen aan experts").first.is_visible()

    # --- One expert declines (with a reason), the other accepts and advises.
    first = open_page()
    sign_in_verified(first, cast["first"])
    first.goto(f"/vragen/{question.pk}/")
    assert first.get_by_role("heading", name="Deze vraag is aan jou toegewezen").is_visible()
    assert first.get_by_text("Jongvolwassene met LVB").is_visible()  # the sharpened summary
    _shot(first, "07-assigned-expert")
    first.get_by_label("Waarom zeg je af?").fill("Deze maand geen uren meer over.")
    first.get_by_role("button", name="Afzeggen").click()
    first.wait_for_url("**/expert/")

    second = open_page()
    sign_in_verified(second, cast["second"])
    second.goto(f"/vragen/{question.pk}/")
    second.get_by_role("button", name="Accepteren").click()
    second.get_by_label("Je advies, of wat je nog wilt weten").fill(
        "Kies een werkplek met vaste begeleider en korte dagdelen; bouw samen met de zus op."
    )
    second.get_by_role("button", name="Advies versturen").click()
    second.get_by_text("Je advies is naar het wijkteam gestuurd.").wait_for()
    _shot(second, "08-advised")

    # --- The generalist sees the sharpened version next to the earlier one, and closes.
    generalist.goto(f"/vragen/{question.pk}/")
    generalist.get_by_text("Aangescherpt door de triage: eerdere versies").click()
    assert generalist.get_by_text("Jongen met LVB raakt zijn dagbesteding kwijt").is_visible()
    _shot(generalist, "09-generalist-sees-versions")
    assert_reflows_at_320(generalist, "triage-09-question-page")
    generalist.get_by_role("link", name="Vraag afsluiten").click()
    generalist.get_by_label("4", exact=True).check()
    generalist.get_by_label("het advies gaf een nieuwe richting").check()
    generalist.get_by_label("voorkomen").check()
    generalist.get_by_role("button", name="Vraag afsluiten").click()
    generalist.get_by_text("De vraag is afgesloten.").wait_for()
    _shot(generalist, "10-closed")

    question.refresh_from_db()
    assert question.status == Status.CLOSED
    assert QuestionRevision.objects.filter(question=question).count() == 1
    kinds = list(
        TriageDecision.objects.filter(question=question)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == ["clarify", "sharpen", "assign"]
    history = list(question.transitions.values_list("to_status", flat=True))
    assert history == [
        "draft",
        "submitted",
        "in_triage",
        "needs_clarification",
        "in_triage",
        "in_triage",  # sharpened: in the history, without a status change
        "assigned",
        "assigned",  # the first expert declined, the other stays assigned: in the history too
        "assigned",  # the second accepted
        "answered",
        "closed",
    ]
