"""The expert's feedback pages in the browser (issue 10): the team's rating and comment at their
advice, and "Mijn beantwoorde vragen", accessible and without sideways scrolling at 320 px."""

import pytest

from consultation import services
from tests.browser.helpers import (
    assert_accessible,
    assert_reflows_at_320,
    screenshot,
    sign_in_verified,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _rated(cast):
    """Three questions the expert advised on: one closed with a rating and a comment, one
    closed without a comment, one still open."""
    for title, score, comment in [
        ("Beslag op inkomen en een beslagvrije voet die niet klopt", 2, ""),
        (
            "Huurachterstand en dreigende ontruiming bij een alleenstaande ouder",
            4,
            "Het budgetplan werkte; de verhuurder ging akkoord met een regeling.",
        ),
    ]:
        question = cast.ask(title=title)
        advice = services.question_advise(
            actor=cast.expert, question=question, body="Meld het gezin vandaag bij schuldhulp aan."
        )
        services.question_close(
            actor=cast.generalist,
            question=question,
            direction="confirmed",
            escalation="avoided",
            comment=comment,
            ratings={advice.pk: score},
        )
    services.question_advise(
        actor=cast.expert, question=cast.ask(title="Nog open"), body="Eerst de vaste lasten."
    )
    return question


def test_the_expert_reads_the_feedback_on_their_advice(cast, page):
    commented = _rated(cast)
    sign_in_verified(page, cast.expert)
    page.get_by_role("link", name="Mijn beantwoorde vragen").click()
    page.wait_for_load_state()
    table = page.get_by_role("table")
    assert "4 van 5" in table.inner_text() and "nog niet beoordeeld" in table.inner_text()
    assert_accessible(page)
    screenshot(page, "expert-answered-1280")
    assert_reflows_at_320(page, "expert-answered")

    page.get_by_role("link", name=commented.title).click()
    page.wait_for_load_state()
    feedback = page.locator(".wx-feedback")
    assert "Nut volgens het wijkteam: ★★★★☆ 4 van 5" in feedback.inner_text()
    assert "Het budgetplan werkte" in feedback.inner_text()
    assert_accessible(page)
    screenshot(page, "expert-advice-feedback-1280")
    assert_reflows_at_320(page, "expert-advice-feedback")
