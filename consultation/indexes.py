"""The indexes of the busiest tables, with why each exists (docs/performance.md has the figures).
They are listed in the models' Meta; kept here so that each can say what reads it."""

from django.db import models

QUESTION_INDEXES = [
    models.Index(fields=["pool", "status", "-submitted_at"]),
    models.Index(fields=["team", "-last_activity_at"]),
    # A triage worker's lists, newest activity first, per pool (selectors.visible_question_list).
    models.Index(fields=["pool", "-last_activity_at", "-id"], name="question_pool_act"),
    # The triage queue sorted on the index alone, without reading the questions
    # (triage.selectors.listed): at 500k, 9.5 ms -> 2.4 ms for a queue of 2,300.
    models.Index(
        fields=["pool", "urgency", "submitted_at", "created_at"],
        include=["id"],
        condition=models.Q(status="in_triage"),
        name="question_queue",
    ),
]

NOTIFICATION_INDEXES = [
    # The bell's unread count on every page (partial: only the unread in-app rows).
    models.Index(
        fields=["recipient"],
        name="notification_unread_in_app",
        condition=models.Q(channel="in_app", read_at__isnull=True),
    ),
    # The notifications list, newest first.
    models.Index(fields=["recipient", "channel", "-created_at", "-id"], name="notification_list"),
    # The outbox sweep.
    models.Index(fields=["channel", "state", "created_at"]),
]

MESSAGE_INDEXES = [
    # An expert's answered questions, their newest advice first (consultation.answered): read
    # in order and stopped at the page's end, however many advices they gave over the years;
    # with the question next to it, the advice rows themselves are not read to find the page.
    models.Index(
        fields=["author", "-created_at", "-id"],
        include=["question"],
        condition=models.Q(kind="advice"),
        name="message_advice_by_author",
    ),
]
