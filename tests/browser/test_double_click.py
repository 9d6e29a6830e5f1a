"""A double click on "Bericht versturen" in headless Chromium: the first click sends the form,
the second, while the first is still on its way, sends it again (the browser drops the first
answer and shows the second). Both reach the server; the thread shows one message."""

import pytest
from django.urls import reverse

from consultation.models import Message
from submissions import web
from submissions.models import Submission
from tests.browser.helpers import assert_accessible, screenshot, sign_in_verified
from tests.submissions.together import holding_claims

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Aanvulling: de verhuurder belde vanochtend."
SENT, ALREADY_SENT = "Je bericht is verstuurd.", "Dit was al verstuurd."


def test_double_clicking_send_makes_one_message(page, cast, monkeypatch):
    question = cast.ask()
    question_url = reverse("consultation:question", args=[question.pk])
    reply_url = reverse("consultation:reply", args=[question.pk])
    # The first submit holds its claim a moment, as a busy server would: the second click
    # lands while the first is still being handled.
    holding_claims(monkeypatch, web)
    held, arrived = web.submission_claim, []
    monkeypatch.setattr(web, "submission_claim", lambda **kw: arrived.append(kw) or held(**kw))
    sign_in_verified(page, cast.generalist)
    page.goto(question_url)
    page.get_by_label("Bericht", exact=True).fill(BODY)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    send = page.get_by_role("button", name="Bericht versturen")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The mouse itself, twice: Chromium folds two clicks within one task into one submission;
    # a person's second click comes a moment later, after the first request has left, and
    # that is the one that duplicated.
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(reply_url)):
        page.mouse.click(x, y)
    page.mouse.click(x, y)

    told = page.locator(".wx-messages")
    told.wait_for()
    assert page.url.endswith(question_url)
    assert [url.endswith(reply_url) for url in posts] == [True, True]
    assert len(arrived) == 2, "the server did not get both submits"
    assert Message.objects.filter(question=question, body=BODY).count() == 1
    assert Submission.objects.count() == 1
    assert page.get_by_text(BODY).count() == 1
    # The page the browser kept is the second submit's answer: "already sent" when the first
    # made the message (the usual order), "sent" when the second got in first.
    shown = told.locator(".utrecht-alert__message").all_inner_texts()
    assert shown and set(shown) <= {SENT, ALREADY_SENT}, shown
    assert_accessible(page)
    screenshot(page, "double-click-reply")
