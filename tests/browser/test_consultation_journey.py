"""The consultation journey in headless Chromium, as the people involved click through it.

Generalist registers a resident and a case, asks (the privacy guard catches the resident's
name, the generalist fixes it), an expert of the network pool is notified, picks it up and
advises; a second expert advises; the generalist replies and closes with feedback. Every page
visited passes axe-core; each step leaves a screenshot in test-artifacts/.
"""

import pytest
from django.core import mail

from consultation.models import CloseOut, Message, Question, Status
from tests.browser.helpers import assert_accessible, screenshot, sign_in_verified
from tests.consultation.cast import CANARY_FIRST, CANARY_LAST

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_FIRST, NEW_LAST = "Brennagh", "Vellekoop"


def _shot(page, name):
    assert_accessible(page)
    screenshot(page, f"journey-{name}")


def test_consultation_journey(open_page, cast, celery_worker):
    # --- The generalist registers a resident and opens a case.
    generalist = open_page()
    sign_in_verified(generalist, cast.generalist)
    generalist.wait_for_url("**/wijkteam/")
    _shot(generalist, "01-team-home")
    generalist.get_by_role("link", name="Inwoner aanmelden").click()
    generalist.get_by_label("Voornaam").fill(NEW_FIRST)
    generalist.get_by_label("Achternaam").fill(NEW_LAST)
    generalist.get_by_label("Geboortedatum").fill("2008-05-14")
    generalist.get_by_label("Postcode").fill("3818 KL")
    generalist.get_by_label("Samenstelling huishouden").select_option("single_parent")
    _shot(generalist, "02-register-resident")
    generalist.get_by_role("button", name="Aanmelden en casus openen").click()
    generalist.wait_for_url("**/wijkteam/casussen/C-*/")
    assert generalist.get_by_text(f"{NEW_FIRST} {NEW_LAST}").is_visible()
    pseudonym = generalist.url.rstrip("/").rsplit("/", 1)[-1]
    _shot(generalist, "03-case")

    # --- Asks a question; the guard catches the resident's first name.
    generalist.get_by_role("link", name="Vraag stellen aan de expertisepool").click()
    generalist.get_by_label("Titel").fill("Huurachterstand en dreigende ontruiming")
    generalist.get_by_label("Situatie").fill(
        f"{NEW_FIRST} heeft vier maanden huurachterstand en opent de post niet meer."
    )
    generalist.get_by_label("Jouw vraag").fill("Hoe voorkomen we de ontruiming?")
    generalist.get_by_label("Financiën").check()
    generalist.get_by_label("Schulden").check()
    generalist.get_by_label("Expertisepool").select_option(label=cast.pool.name)
    generalist.get_by_role("button", name="Vraag versturen").click()
    findings = generalist.locator("#privacy-findings")
    findings.wait_for()
    assert NEW_FIRST in findings.inner_text()
    assert "de naam van de inwoner" in findings.inner_text()
    _shot(generalist, "04-privacy-guard")
    # The draft was kept; the generalist removes the name and sends again.
    generalist.get_by_label("Situatie").fill(
        "Moeder heeft vier maanden huurachterstand en opent de post niet meer."
    )
    generalist.get_by_role("button", name="Vraag versturen").click()
    generalist.wait_for_url("**/vragen/*/")
    assert generalist.get_by_text("open", exact=True).first.is_visible()
    _shot(generalist, "05-question-sent")
    question = Question.objects.get(case__pseudonym=pseudonym)
    assert question.status == Status.OPEN
    assert NEW_FIRST not in question.situation

    # --- The matching expert is notified (bell and e-mail), picks it up and advises.
    expert = open_page()
    sign_in_verified(expert, cast.expert)
    expert.wait_for_url("**/expert/")
    assert expert.get_by_role("link", name="Meldingen").inner_text().startswith("Meldingen")
    assert "1" in expert.locator(".wx-bell").inner_text()
    _shot(expert, "06-expert-inbox")
    expert.get_by_role("link", name="Huurachterstand en dreigende ontruiming").click()
    expert.wait_for_url("**/vragen/*/")
    assert pseudonym in expert.content()
    _shot(expert, "07-expert-question")
    expert.get_by_role("button", name="Ik pak dit op").click()
    assert expert.get_by_text(cast.expert.get_full_name()).first.is_visible()
    expert.get_by_label("Je advies, of wat je nog wilt weten").fill(
        "Neem vandaag contact op met de verhuurder en vraag om een betalingsregeling; "
        "meld aan bij vroegsignalering."
    )
    expert.get_by_role("button", name="Advies versturen").click()
    expert.get_by_text("Je advies is naar het wijkteam gestuurd.").wait_for()
    _shot(expert, "08-expert-advised")
    expert_mails = [m for m in mail.outbox if cast.expert.email in m.to]
    assert len(expert_mails) == 1
    assert pseudonym in expert_mails[0].body

    # --- A second expert advises from another angle.
    second = open_page()
    sign_in_verified(second, cast.second_expert)
    second.goto(f"/vragen/{question.pk}/")
    second.get_by_label("Je advies, of wat je nog wilt weten").fill(
        "Kijk ook naar budgetbeheer: vaste lasten eerst, dan de achterstand."
    )
    second.get_by_role("button", name="Advies versturen").click()
    second.get_by_text("Je advies is naar het wijkteam gestuurd.").wait_for()
    _shot(second, "09-second-expert-advised")

    # --- The generalist reads both advices (disciplines, no organisations), replies, closes.
    generalist.goto(f"/vragen/{question.pk}/")
    thread = generalist.locator("#thread-heading").locator("..").inner_text()
    assert "schuldhulpverlener" in thread and "budgetcoach" in thread
    _shot(generalist, "10-two-advices")
    generalist.get_by_role("textbox", name="Bericht").fill(
        "Dank jullie wel, we gaan morgen samen bellen."
    )
    generalist.get_by_role("button", name="Bericht versturen").click()
    generalist.get_by_text("Je bericht is verstuurd.").wait_for()
    generalist.get_by_role("link", name="Vraag afsluiten").click()
    generalist.wait_for_url("**/afsluiten/")
    for advice in question.messages.filter(kind=Message.Kind.ADVICE):
        group = generalist.get_by_role("group", name=f"advies van de {advice.author_discipline}")
        group.get_by_label(
            "5" if advice.author_discipline == "schuldhulpverlener" else "4", exact=True
        ).check()
    generalist.get_by_label("het advies gaf een nieuwe richting").check()
    generalist.get_by_label("voorkomen").check()
    _shot(generalist, "11-close-out")
    generalist.get_by_role("button", name="Vraag afsluiten").click()
    generalist.get_by_text("De vraag is afgesloten.").wait_for()
    _shot(generalist, "12-closed")

    question.refresh_from_db()
    assert question.status == Status.CLOSED
    close_out = CloseOut.objects.get(question=question)
    assert close_out.escalation == "avoided"
    assert sorted(close_out.ratings.values_list("usefulness", flat=True)) == [4, 5]
    # The canary of the other resident (from the fixture) was never involved; this one
    # must not have reached any expert's e-mail.
    for message in mail.outbox:
        for secret in (NEW_FIRST, NEW_LAST, CANARY_FIRST, CANARY_LAST, "3818", "2008"):
            assert secret not in message.body + message.subject
