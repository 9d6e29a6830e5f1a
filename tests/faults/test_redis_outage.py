"""Redis really stops while generalists submit questions over HTTP (gunicorn, a Celery worker and
beat, all real processes): every page still answers normally and fast, nothing is lost, and once
Redis is back every expected e-mail is sent exactly once — by the worker and beat, which
reconnect by themselves."""

import time

from consultation.delivery import message_id
from consultation.models import Notification, Question, Status
from expertise.models import LifeDomain, TargetGroup
from tests.faults.stack import hidden_fields, wait_until

EMAIL = Notification.Channel.EMAIL
QUESTIONS_DURING_OUTAGE = 10
NORMAL_TIME = 2.0  # seconds: what every response must stay within, outage or not


def _submit_question(browser, stack, cast, number: int) -> float:
    """The generalist fills in and sends a question; returns how long the submit took."""
    form_url = f"{stack.base_url}/wijkteam/casussen/{cast.case.pseudonym}/vraag-stellen/"
    page = browser.get(form_url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    fields = {
        **hidden_fields(page.text),
        "title": f"Schulden en dreigende huisuitzetting ({number})",
        "situation": "Huurachterstand van vier maanden, post blijft ongeopend liggen.",
        "tried": "Samen de post geopend; aanmelding schuldhulp loopt.",
        "question": "Hoe voorkomen we een ontruiming op korte termijn?",
        "urgency": "normal",
        "help_form": "written",
        "pool": str(cast.pool.pk),
        "life_domains": str(LifeDomain.objects.get(slug="financien").pk),
        "target_groups": str(TargetGroup.objects.get(slug="schulden").pk),
        "send": "1",
    }
    started = time.monotonic()
    response = browser.post(form_url, data=fields, timeout=30, allow_redirects=False)
    took = time.monotonic() - started
    assert response.status_code == 302, response.text[:2000]
    shown = browser.get(stack.base_url + response.headers["Location"], timeout=10)
    assert shown.status_code == 200
    assert "gestuurd" in shown.text  # "Je vraag is naar de expertisepool gestuurd."
    return took


def _expected_mails(questions) -> dict[str, str]:
    """Message-ID -> recipient, for every e-mail the questions' events should produce."""
    rows = Notification.objects.filter(question__in=questions, channel=EMAIL, digest=False)
    return {message_id("notification", row.pk): row.recipient.email for row in rows}


def test_a_redis_outage_costs_no_page_and_no_email(stack, own_redis, mail_server, cast):
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    wait_until(lambda: stack.health().status_code == 200, timeout=60, what="a green /health/")
    browser = stack.browser_for(cast.generalist)

    # Redis up: the control. A question's two matching experts get their e-mail.
    _submit_question(browser, stack, cast, 0)
    before = list(Question.objects.all())
    expected = _expected_mails(before)
    assert len(expected) == 2
    wait_until(lambda: len(mail_server.received) == 2, timeout=30, what="the control's e-mails")

    # Redis really stops.
    own_redis.stop()
    durations = [
        _submit_question(browser, stack, cast, n) for n in range(1, QUESTIONS_DURING_OUTAGE + 1)
    ]
    assert max(durations) < NORMAL_TIME, durations
    # Other pages answer in their normal time too.
    for path in ("/wijkteam/", f"/vragen/{before[0].pk}/", "/vragen/meldingen/"):
        started = time.monotonic()
        assert browser.get(stack.base_url + path, timeout=10).status_code == 200, path
        assert time.monotonic() - started < NORMAL_TIME, path
    # /health/ says what is wrong, at once.
    started = time.monotonic()
    health = stack.health()
    assert time.monotonic() - started < NORMAL_TIME
    assert health.status_code == 503
    assert health.json()["checks"]["redis"]["ok"] is False
    assert health.json()["checks"]["database"] == {"ok": True}

    # Nothing is lost: every question is stored and sent, its e-mails wait in the outbox.
    during = Question.objects.exclude(pk__in=[q.pk for q in before])
    assert during.count() == QUESTIONS_DURING_OUTAGE
    assert set(during.values_list("status", flat=True)) == {Status.OPEN}  # a network pool
    waiting = Notification.objects.filter(question__in=during, channel=EMAIL)
    assert waiting.count() == 2 * QUESTIONS_DURING_OUTAGE
    assert set(waiting.values_list("state", flat=True)) == {Notification.State.PENDING}
    assert len(mail_server.received) == 2

    # Redis is back (empty: it kept nothing). Worker and beat reconnect by themselves; the sweep
    # finds the pending rows and every e-mail goes out.
    own_redis.start()
    expected = _expected_mails(Question.objects.all())
    assert len(expected) == 2 * (QUESTIONS_DURING_OUTAGE + 1)
    wait_until(
        lambda: set(mail_server.copies()) == set(expected),
        timeout=90,
        what="every e-mail after Redis returned",
    )
    wait_until(lambda: stack.health().status_code == 200, timeout=30, what="a green /health/")
    # /health/ made a round trip through the worker's queue, behind any duplicate a sweep
    # could have queued: exactly one copy of each, to the right person.
    copies = mail_server.copies()
    assert set(copies.values()) == {1}, copies
    assert {m.message_id: m.to[0] for m in mail_server.received} == expected
    assert not waiting.exclude(state=Notification.State.SENT).exists()


def test_a_redis_that_hangs_costs_no_page_either(stack, own_redis, mail_server, cast):
    """Frozen instead of stopped: connections are accepted, nothing answers. Every wait on it
    is bounded by a socket timeout, so a submit still answers within its normal time."""
    stack.start_web()
    browser = stack.browser_for(cast.generalist)
    _submit_question(browser, stack, cast, 0)  # a first publish, while Redis answers
    own_redis.hang()
    try:
        durations = [_submit_question(browser, stack, cast, n) for n in range(1, 4)]
        started = time.monotonic()
        health = stack.health()
        health_took = time.monotonic() - started
    finally:
        own_redis.unhang()
    assert max(durations) < NORMAL_TIME, durations
    assert health.status_code == 503 and health_took < NORMAL_TIME, health_took
    assert health.json()["checks"]["redis"]["ok"] is False
    assert Question.objects.count() == 4
    # What could not be queued waits in the outbox for the sweep.
    assert Notification.objects.filter(channel=EMAIL, state=Notification.State.PENDING).count() >= 6
