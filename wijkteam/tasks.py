"""The privacy officer's weekly summary of the audit log (issue 13: logs are read).

Beat runs it on Monday morning; it covers the seven days before this week's Monday (local). One
summary per officer per week: the AuditSummary row, locked while its mail is sent and marked
sent in the same transaction, so a second run (or a second worker) that week skips it. Should the
commit fail after the mail went out, the next run sends it again: once too often rather than
never. The mail holds professionals' e-mail addresses and counts, never a resident's identity.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wijkteam.audit_log import UnusualPatterns, unusual_patterns
from wijkteam.models import AuditSummary

logger = logging.getLogger(__name__)


def _week_start(today) -> datetime:
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def _message(officer, patterns: UnusualPatterns) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "officer": officer,
            "patterns": patterns,
            "settings": settings,
            "quiet_from": settings.AUDIT_QUIET_HOURS[0],
            "quiet_until": settings.AUDIT_QUIET_HOURS[1],
            "url": settings.SITE_URL.rstrip("/") + reverse("audit:log"),
            "last_day": (patterns.end - timedelta(days=1)).date(),
        }
        subject = render_to_string("wijkteam/email/audit_summary_subject.txt", context).strip()
        body = render_to_string("wijkteam/email/audit_summary.txt", context)
    return EmailMessage(subject, body, to=[officer.email])


@shared_task(name="wijkteam.tasks.send_audit_summaries", soft_time_limit=240, time_limit=300)
def send_audit_summaries() -> int:
    """Mail every active privacy officer this week's summary, once; how many were sent now."""
    from accounts.models import User

    end = _week_start(timezone.localdate())
    patterns = unusual_patterns(start=end - timedelta(days=7), end=end)
    officers = User.objects.filter(is_active=True, privacy_officer_of__isnull=False).distinct()
    sent = 0
    for officer in officers.order_by("pk"):
        AuditSummary.objects.get_or_create(officer=officer, week=end.date())
        with transaction.atomic():
            summary = AuditSummary.objects.select_for_update().get(officer=officer, week=end.date())
            if summary.sent_at is not None:
                continue  # sent already this week
            _message(officer, patterns).send()
            summary.sent_at = timezone.now()
            summary.save(update_fields=["sent_at"])
            sent += 1
    logger.info("audit summaries sent: %s", sent)
    return sent
