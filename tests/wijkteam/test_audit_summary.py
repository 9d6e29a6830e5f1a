"""The privacy officer's weekly summary, through the real task path (a Celery worker on the
real Redis): unusual patterns, no resident identity, once per officer per week."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from tests.consultation.cast import CANARY_STRINGS
from wijkteam.audit import audit_write
from wijkteam.models import AuditEvent, AuditSummary
from wijkteam.tasks import _week_start, send_audit_summaries


def _last_week(hour: int) -> datetime:
    monday = _week_start(timezone.localdate()) - timedelta(days=7)
    return monday + timedelta(days=2, hours=hour)


@pytest.mark.django_db(transaction=True)
def test_the_weekly_summary_names_the_patterns_once_per_week(
    celery_worker, make_user, settings, cast
):
    settings.AUDIT_MANY_RESIDENTS = 3
    settings.AUDIT_MANY_REFUSALS = 2
    officer = make_user(Role.PRIVACY_OFFICER)
    reader, refused, night = (make_user(Role.GENERALIST) for _ in range(3))
    dormant = make_user(Role.EXPERT)
    dormant.last_login = timezone.now() - timedelta(days=120)
    dormant.save(update_fields=["last_login"])
    for user in (officer, reader, refused, night, cast.generalist):
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])
    # This week's events are not last week's summary.
    audit_write(actor=night, action=AuditEvent.Action.SIGN_IN, object_type="accounts.User")
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=reader,
                action=AuditEvent.Action.VIEW_IDENTITY,
                object_type="wijkteam.Resident",
                object_id=cast.resident.pk + n,
                created_at=_last_week(10),
            )
            for n in range(4)
        ]
        + [
            AuditEvent(
                actor=refused,
                action=AuditEvent.Action.ACCESS,
                result=AuditEvent.Result.REFUSED,
                object_type="url:wijkteam:case",
                created_at=_last_week(11),
            )
            for _ in range(2)
        ]
        + [
            AuditEvent(
                actor=night,
                action=AuditEvent.Action.SIGN_IN,
                object_type="accounts.User",
                object_id=night.pk,
                created_at=_last_week(23),
            ),
            AuditEvent(  # daytime: not unusual
                actor=cast.generalist,
                action=AuditEvent.Action.SIGN_IN,
                object_type="accounts.User",
                created_at=_last_week(9),
            ),
        ]
    )
    mail.outbox.clear()
    # Through the broker to the worker (results are kept for this call only, to wait on it).
    assert send_audit_summaries.apply_async(ignore_result=False).get(timeout=30) == 1
    assert send_audit_summaries.apply_async(ignore_result=False).get(timeout=30) == 0  # same week
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    body = message.body
    assert f"- {reader.email}: 4" in body
    assert f"- {refused.email}: 2" in body
    assert f"- {night.email}: 1" in body  # 23:00 last week; this week's sign-in not counted
    assert dormant.email in body
    assert f"- {cast.generalist.email}" not in body
    for canary in CANARY_STRINGS:
        assert canary not in body and canary not in message.subject
    assert AuditSummary.objects.filter(officer=officer, sent_at__isnull=False).count() == 1
