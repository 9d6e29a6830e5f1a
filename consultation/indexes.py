"""The indexes of the busiest tables, with why each exists (docs/performance.md has the figures).
They are listed in the models' Meta; kept here so that each can say what reads it."""

from django.db import models

from consultation.choices import Status

# A question still running: submitted and not closed, withdrawn or redirected (the reports'
# "open now", reports.queries.OPEN_NOW; consultation.workflow.FINAL).
RUNNING = sorted(
    set(Status.values) - {Status.DRAFT, Status.CLOSED, Status.WITHDRAWN, Status.REDIRECTED}
)

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
    # The municipality dashboard (reports): the questions its teams asked in a period, read
    # from the index alone with what the figures need (timing, close-outs, triage decisions).
    # At 500,000 questions the municipality's year was a scan of the whole table (150-300 ms a
    # figure, nine figures); docs/performance.md has the before and after.
    models.Index(
        fields=["team", "submitted_at"],
        include=["id", "status", "pool", "closed_at"],
        name="question_team_submitted",
    ),
    # ... and the teams' questions running now (supply and demand, open questions per expert):
    # a few percent of the questions, in a small index.
    models.Index(
        fields=["team"],
        include=["id", "status"],
        condition=models.Q(status__in=RUNNING),
        name="question_running",
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
    # A question's first advice (reports.timing: time to first advice, per question asked).
    models.Index(
        fields=["question", "created_at"],
        condition=models.Q(kind="advice"),
        name="message_first_advice",
    ),
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

TRANSITION_INDEXES = [
    # When a question left the triage queue first (reports.timing: the triage clock's on-time
    # share, per question asked).
    models.Index(
        fields=["question", "created_at"],
        condition=models.Q(from_status="in_triage"),
        name="transition_out_of_triage",
    ),
]

CLOSE_OUT_INDEXES = [
    # The close-outs given in a period, with what the dashboard counts (reports.outcomes) ...
    models.Index(
        fields=["created_at"],
        include=["question", "id", "direction", "escalation"],
        name="closeout_created",
    ),
    # ... of which the newest of each question counts: "is there a newer one?"
    models.Index(fields=["question", "created_at"], name="closeout_question_created"),
]
