"""The claim itself (submissions.services), the day's retention and its beat task, and the
token field (submissions.templatetags)."""

import threading
import time
from datetime import timedelta

import pytest
from django import forms
from django.db import connection, transaction
from django.template import Context, Template
from django.utils import timezone

from submissions import services
from submissions.models import Submission
from submissions.services import submission_claim, submission_record, submissions_clear_expired
from submissions.tasks import clear_expired_submissions
from submissions.web import FIELD, new_token
from tests.accounts.factories import UserFactory

FORM = Submission.Channel.FORM


def claim(user, key="k" * 20, **extra):
    return submission_claim(user=user, channel=FORM, key=key, scope="/x/", **extra)


@pytest.mark.django_db
def test_the_first_claim_is_first_and_a_repeat_finds_its_result():
    user = UserFactory()
    with transaction.atomic():
        first = claim(user)
        submission_record(submission=first.submission, url="/vragen/1/")
    with transaction.atomic():
        repeat = claim(user)
    assert first.first and not repeat.first
    assert repeat.submission.pk == first.submission.pk
    assert repeat.submission.result_url == "/vragen/1/"


@pytest.mark.django_db
def test_keys_are_per_user_and_per_channel():
    one, other = UserFactory(), UserFactory()
    with transaction.atomic():
        assert claim(one).first
        assert claim(other).first
        api = submission_claim(user=one, channel=Submission.Channel.API, key="k" * 20, scope="/x/")
        assert api.first


@pytest.mark.django_db(transaction=True)
def test_a_claim_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        claim(UserFactory())


@pytest.mark.django_db
def test_a_failed_claim_leaves_the_transaction_usable():
    """The unique violation is caught in a savepoint: the caller's transaction goes on."""
    user = UserFactory()
    with transaction.atomic():
        claim(user)
        assert not claim(user).first
        assert Submission.objects.filter(user=user).count() == 1


# --- Two claims at once, on two connections ------------------------------------------------------
def _claim_in_thread(user, *, results: dict, name: str, barrier, delay=0.0, hold=0.0, commit=True):
    try:
        barrier.wait(timeout=10)
        time.sleep(delay)
        with transaction.atomic():
            started = time.monotonic()
            result = claim(user)
            results[name] = (result, time.monotonic() - started)
            time.sleep(hold)
            if not commit:
                transaction.set_rollback(True)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_commits", [True, False], ids=["commits", "rolls-back"])
def test_the_second_claim_waits_for_the_first_and_follows_its_outcome(first_commits):
    user = UserFactory()
    barrier, results = threading.Barrier(2), {}
    shared = {"results": results, "barrier": barrier}
    holder = threading.Thread(
        target=_claim_in_thread,
        args=(user,),
        kwargs={"name": "first", "hold": 0.5, "commit": first_commits, **shared},
    )
    # A moment later: the first has inserted its row and holds it, uncommitted.
    waiter = threading.Thread(
        target=_claim_in_thread, args=(user,), kwargs={"name": "second", "delay": 0.15, **shared}
    )
    holder.start()
    waiter.start()
    holder.join(10)
    waiter.join(10)

    first, _ = results["first"]
    second, waited = results["second"]
    assert first.first
    # It blocked on the unique index until the first's transaction ended.
    assert waited >= 0.25
    # Committed: the second finds the first's row. Rolled back: the second is first itself.
    assert second.first is (not first_commits)
    assert Submission.objects.filter(user=user).count() == 1


# --- A day, no longer -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_rows_older_than_a_day_are_cleared_in_batches_and_twice_is_harmless(monkeypatch):
    user = UserFactory()
    now = timezone.now()
    ages = [timedelta(hours=h) for h in (1, 23, 25, 26, 48, 100)]
    with transaction.atomic():
        for i, age in enumerate(ages):
            row = claim(user, key=f"key-{i:020d}").submission
            Submission.objects.filter(pk=row.pk).update(created_at=now - age)
    monkeypatch.setattr(services, "DELETE_BATCH", 2)

    assert clear_expired_submissions() == 4
    assert clear_expired_submissions() == 0
    assert submissions_clear_expired(older_than=timedelta(hours=12)) == 1
    assert Submission.objects.count() == 1


@pytest.mark.django_db
def test_the_clean_up_deletes_by_an_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [Submission._meta.db_table]
        )
        indexes = [row[0] for row in cursor.fetchall()]
    assert any("(created_at)" in index for index in indexes), indexes
    assert any("UNIQUE" in index and "(user_id, channel, key)" in index for index in indexes)


def test_the_clean_up_is_on_the_beat_schedule():
    from django.conf import settings

    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "submissions.tasks.clear_expired_submissions" in entries


# --- The hidden field -----------------------------------------------------------------------------
class _Form(forms.Form):
    body = forms.CharField()


def _rendered(form=None) -> str:
    template = Template("{% load submissions %}{% submission_token form %}")
    return template.render(Context({"form": form}))


def test_a_fresh_form_gets_a_fresh_token_every_time():
    assert _rendered(_Form()) != _rendered(_Form())
    assert f'type="hidden" name="{FIELD}"' in _rendered()


def test_a_form_shown_again_keeps_the_token_it_was_sent_with():
    token = new_token()
    assert f'value="{token}"' in _rendered(_Form({"body": "", FIELD: token}))


def test_a_tampered_token_is_not_echoed():
    rendered = _rendered(_Form({FIELD: '"><script>alert(1)</script>'}))
    assert "<script>" not in rendered
    assert rendered.count("<input") == 1
