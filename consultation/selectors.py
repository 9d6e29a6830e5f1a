"""Reads for questions. `questions_visible_to` is the one visibility chokepoint (DESIGN §4.2):
every list, detail, API endpoint and export starts from it; what it leaves out is a 404."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, reduce
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from config.pagination import OrderedUnion
from consultation.feedback import with_feedback
from consultation.models import (
    Attachment,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionRead,
    QuestionRevision,
    QuestionTransition,
    QuestionUserObjectPermission,
    Status,
)
from consultation.workflow import NOT_FINAL, OPEN_TO_NETWORK
from expertise.models import ExpertPool, ExpertProfile, LifeDomain, TargetGroup
from wijkteam.selectors import AgeInYears, team_ids_of

# The row-level grants an expert gets on a question they picked up or were assigned.
VIEW_GRANT = "view_question"
ADVISE_GRANT = "advise_question"


def _granted_question_ids(*, user, codename: str = VIEW_GRANT) -> QuerySet:
    """Questions the user holds a row-level grant on (picked up / assigned experts)."""
    return QuestionUserObjectPermission.objects.filter(
        user=user, permission__codename=codename
    ).values("content_object_id")


@dataclass(frozen=True)
class Keys:
    """The ids that decide which questions a user sees: subqueries (`keys_of`) where a
    question is tested, or the ids themselves (`keys_read`) where a list is read. Both come from
    the same filters below."""

    teams: Any
    network_pools: Any  # network pools the user is an active expert in
    domains: Any  # the expert's life domains
    groups: Any  # the expert's target groups
    triage_pools: Any  # pools the user triages
    # Pools the user coordinates (a `team` pool's sessions, issue 11); a default, so keys built
    # by hand without it (tests) leave that source out.
    coordinated_pools: Any = field(default_factory=list)


class KeyQueries:
    """The keys as subqueries, each built when first used: team_questions_q needs only the
    teams (building all five for every Q was a fifth of the triage home's Python time)."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def teams(self) -> QuerySet:
        return team_ids_of(user=self.user)

    @cached_property
    def network_pools(self) -> QuerySet:
        return ExpertPool.objects.filter(
            experts__user=self.user,
            experts__is_active=True,
            is_active=True,
            collaboration_model=ExpertPool.CollaborationModel.NETWORK,
        ).values("pk")

    @cached_property
    def domains(self) -> QuerySet:
        return LifeDomain.objects.filter(experts__user=self.user).values("pk")

    @cached_property
    def groups(self) -> QuerySet:
        return TargetGroup.objects.filter(experts__user=self.user).values("pk")

    @cached_property
    def triage_pools(self) -> QuerySet:
        return ExpertPool.objects.filter(triage_workers=self.user, is_active=True).values("pk")

    @cached_property
    def coordinated_pools(self) -> QuerySet:
        return ExpertPool.objects.filter(coordinators=self.user, is_active=True).values("pk")


def _key_queries(*, user) -> Any:
    """Keys-shaped (the same attributes), as subqueries."""
    return KeyQueries(user)


def keys_read(*, user) -> Keys:
    """The keys as lists of ids, in one query. A list needs them: with a subquery PostgreSQL
    guesses how many questions a life domain has (300 instead of 190,000 at 500k) and walks
    the domain's questions instead of the few open ones of the pool."""
    queries = _key_queries(user=user)
    names = [key.name for key in fields(Keys)]
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**{f"keys_{name}": ArraySubquery(getattr(queries, name)) for name in names})
        .values_list(*(f"keys_{name}" for name in names))
        .first()
    )
    return Keys(*row) if row else Keys(*([] for _ in names))


def _may_match(*keys) -> bool:
    """False when one of `keys` is known to be empty (a list of ids): that source is left out."""
    return all(not isinstance(key, list) or key for key in keys)


def _open_to_expert_by(keys: Keys) -> tuple[Q, Q]:
    """Network-pool questions open to the expert: (matching one of their life domains, matching
    one of their target groups). Two, not one OR: as separate sources of a list each EXISTS is
    a semi-join on its own index, where inside an OR it reads every question of the domain."""
    matches_domain = Exists(
        Question.life_domains.through.objects.filter(
            question_id=OuterRef("pk"), lifedomain_id__in=keys.domains
        )
    )
    matches_group = Exists(
        Question.target_groups.through.objects.filter(
            question_id=OuterRef("pk"), targetgroup_id__in=keys.groups
        )
    )
    open_in_my_pools = {"pool_id__in": keys.network_pools, "status__in": OPEN_TO_NETWORK}
    return Q(matches_domain, **open_in_my_pools), Q(matches_group, **open_in_my_pools)


def _open_to_expert(*, user) -> Q:
    """Network-pool questions matching the expert's life domains or target groups."""
    by_domain, by_group = _open_to_expert_by(_key_queries(user=user))
    return by_domain | by_group


def _granted_to_expert(*, user) -> Q:
    return Q(pk__in=_granted_question_ids(user=user))


def expert_questions_q(*, user) -> Q:
    """What an expert sees as an expert: open to them, or granted to them."""
    return _open_to_expert(user=user) | _granted_to_expert(user=user)


def expert_advice_q(*, user) -> Q:
    """What an expert may advise on: open to them, or granted advising (a declined assignment
    takes both grants away)."""
    return _open_to_expert(user=user) | Q(
        pk__in=_granted_question_ids(user=user, codename=ADVISE_GRANT)
    )


def _team_q(keys: Keys) -> Q:
    return Q(team_id__in=keys.teams)


def team_questions_q(*, user) -> Q:
    return _team_q(_key_queries(user=user))


def _triage_q(keys: Keys) -> Q:
    """A triage worker sees the submitted questions of their own pools (never a draft), and
    through them only the case pseudonym, age band and household, like an expert."""
    return Q(pool_id__in=keys.triage_pools) & ~Q(status=Status.DRAFT)


def triage_questions_q(*, user) -> Q:
    return _triage_q(_key_queries(user=user))


def _coordinator_q(keys: Keys) -> Q:
    """A pool's coordinator plans its sessions and keeps its agenda: like its triage worker,
    they see the pool's submitted questions, pseudonym only (never a draft)."""
    return Q(pool_id__in=keys.coordinated_pools) & ~Q(status=Status.DRAFT)


def coordinator_questions_q(*, user) -> Q:
    return _coordinator_q(_key_queries(user=user))


def _visibility_sources(*, user, keys: Keys) -> list[Q]:
    """The ways a question becomes visible to `user`; their OR is what they may see. With the
    keys read (keys_read), the sources that cannot match anything are left out."""
    by_domain, by_group = _open_to_expert_by(keys)
    sources = [
        (_may_match(keys.network_pools, keys.domains), by_domain),
        (_may_match(keys.network_pools, keys.groups), by_group),
        (True, _granted_to_expert(user=user)),
    ]
    return [
        *_each(keys, "teams", _team_q),
        *(source for may_match, source in sources if may_match),
        *_each(keys, "triage_pools", _triage_q),
        *_each(keys, "coordinated_pools", _coordinator_q),
    ]


def _each(keys: Keys, name: str, source) -> list[Q]:
    """`source` for each id of keys.<name> when they are read: a team's or a pool's questions
    then come from the index (team or pool, last activity) in the list's order, and need no
    sort of all of them (PostgreSQL 15 cannot read an IN list from an index in order)."""
    ids = getattr(keys, name)
    if not isinstance(ids, list):
        return [source(keys)]
    return [source(replace(keys, **{name: [one]})) for one in ids]


def questions_visible_to(*, user, keys: Keys | None = None) -> QuerySet[Question]:
    """Every question `user` may see: their teams' questions, as an expert the questions open to
    them or granted to them, as a triage worker or a coordinator their pools' submitted
    questions. Municipality admins see none (reports are aggregates); superusers get no
    shortcut. With `keys` read
    (keys_read) the same questions, tested on lists of ids: cheaper per row where a list read
    from elsewhere (an expert's own advice) tests each of its rows."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    sources = _visibility_sources(user=user, keys=keys or _key_queries(user=user))
    return Question.objects.filter(reduce(operator.or_, sources))


# Lists of questions: the newest activity first; pk: pages never overlap.
NEWEST_ACTIVITY = ("-last_activity_at", "-pk")
INBOX_ORDER = ("-urgency", "-last_activity_at", "-pk")


def _merged(sources: list[Q], *, rows: QuerySet[Question], order) -> OrderedUnion:
    """A list of questions as the union of its sources (config.pagination.OrderedUnion: a
    LIMIT per source instead of an OR over the whole table). `rows` reads the page again, from
    the visibility chokepoint: whatever a source let through, a row must still be visible."""
    return OrderedUnion([Question.objects.filter(q) for q in sources], rows=rows, order=order)


def visible_question_list(
    *, user, rows: QuerySet[Question] | None = None, keys: Keys | None = None
) -> OrderedUnion:
    """questions_visible_to as a list, newest activity first, to be read a page at a time.
    `rows` (from questions_visible_to) adds what the page shows; `keys` (keys_read), when the
    caller has read them already."""
    if rows is None:
        rows = questions_visible_to(user=user)
    if not getattr(user, "is_authenticated", False):
        return _merged([], rows=rows, order=NEWEST_ACTIVITY)
    keys = keys or keys_read(user=user)
    sources = _visibility_sources(user=user, keys=keys)
    return _merged(sources, rows=rows, order=NEWEST_ACTIVITY)


def with_unread(queryset: QuerySet[Question], *, user) -> QuerySet[Question]:
    """Annotate `is_unread`: activity since the user last opened the question."""
    read_since = QuestionRead.objects.filter(
        question=OuterRef("pk"), user=user, read_at__gte=OuterRef("last_activity_at")
    )
    return queryset.annotate(is_unread=~Exists(read_since))


def with_case_profile(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """Pseudonym, age in years (for the age band) and household: all an expert learns of the
    resident. The birth date itself never leaves the database."""
    return queryset.annotate(
        case_pseudonym=F("case__pseudonym"),
        resident_age=AgeInYears("case__resident__date_of_birth"),
        resident_household=F("case__resident__household"),
    )


def question_prefetches(*, experts: bool = True) -> list[Prefetch]:
    """What every list of questions shows beside the row: its life domains and target groups,
    and (unless left out) the experts on it with their discipline. One query each, as plain
    lists: read them through Question.shown_life_domains, shown_target_groups, shown_experts."""
    domains = LifeDomain.objects.only("pk", "name", "order")
    prefetches = [
        Prefetch("life_domains", queryset=domains, to_attr="life_domain_list"),
        Prefetch(
            "target_groups",
            queryset=TargetGroup.objects.only("pk", "name"),
            to_attr="target_group_list",
        ),
    ]
    if experts:
        on_it = QuestionExpert.objects.select_related("expert__expert_profile")
        prefetches.append(
            Prefetch("experts", queryset=on_it.order_by("created_at", "pk"), to_attr="expert_links")
        )
    return prefetches


def _expert_sources(*, user) -> list[Q]:
    keys = keys_read(user=user)
    by_domain, by_group = _open_to_expert_by(keys)
    sources = [
        (_may_match(keys.network_pools, keys.domains), by_domain),
        (_may_match(keys.network_pools, keys.groups), by_group),
        (True, _granted_to_expert(user=user)),
    ]
    return [source for may_match, source in sources if may_match]


def expert_inbox(
    *,
    user,
    life_domain: int | None = None,
    target_group: int | None = None,
    urgency: str | None = None,
    status: str | None = None,
) -> OrderedUnion:
    """The expert's inbox: questions open to them and assigned to them, urgent first, then the
    newest activity. Read a page at a time: 1 query for the page + 3 prefetches."""
    filters: dict = {}
    if life_domain:
        filters["life_domains"] = life_domain  # (question, domain) is unique: no duplicates
    if target_group:
        filters["target_groups"] = target_group
    if urgency:
        filters["urgency"] = urgency
    if status:
        filters["status"] = status
    rows = with_unread(
        with_case_profile(Question.objects.filter(expert_questions_q(user=user))), user=user
    )
    inbox = _merged(
        _expert_sources(user=user),
        rows=rows.select_related("pool").prefetch_related(*question_prefetches()),
        order=INBOX_ORDER,
    )
    return inbox.filter(**filters) if filters else inbox


CASE_QUESTIONS = 5  # questions per case on the team's home


def team_cases(*, user):
    """The team's cases with their questions (pseudonyms and statuses; no identity): 2 queries."""
    from wijkteam.selectors import cases_visible_to

    # Per case its newest questions, one more than the page shows (CASE_QUESTIONS) to say that
    # there are more (on the case page): a sliced prefetch, still one query.
    questions = with_unread(Question.objects.order_by("-last_activity_at", "-pk"), user=user)
    return (
        cases_visible_to(user=user)
        .select_related("team", "owner")
        .prefetch_related(
            Prefetch(
                "questions", queryset=questions[: CASE_QUESTIONS + 1], to_attr="recent_questions"
            )
        )
        .order_by("-created_at", "-pk")
    )


def team_open_questions(
    *, user, team_ids: list[int], owner_id: int | None = None, statuses=NOT_FINAL
) -> OrderedUnion:
    """The team lead's overview: the questions of `team_ids` that are not final, newest
    activity first, each with its case owner, asker, and since when it is in its status (the
    latest transition that changed it). One query a page: a source per team, each read from the
    index (team, last activity); `owner_id` narrows to one generalist's cases."""
    changed = (
        QuestionTransition.objects.filter(question=OuterRef("pk"))
        .exclude(from_status=F("to_status"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    rows = (
        questions_visible_to(user=user)
        .select_related("case__owner", "asked_by")
        .annotate(case_pseudonym=F("case__pseudonym"), status_since=Subquery(changed))
    )
    sources = [Question.objects.filter(team_id=team, status__in=statuses) for team in team_ids]
    overview = OrderedUnion(sources, rows=rows, order=NEWEST_ACTIVITY)
    return overview.filter(case__owner_id=owner_id) if owner_id else overview


def question_detail(*, user, pk: int) -> Question:
    """One question with everything its page shows, or Question.DoesNotExist (→ 404). Its
    messages carry the close-out feedback `user` may read (consultation.feedback)."""
    messages = with_feedback(
        Message.objects.select_related("author").order_by("created_at", "pk"),
        user=user,
        team_ids=team_ids_of(user=user),
    )
    return (
        with_case_profile(questions_visible_to(user=user))
        .select_related("pool", "asked_by", "team", "case", "redirect_pool")
        .prefetch_related(
            Prefetch("messages", queryset=messages),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
            Prefetch("revisions", queryset=QuestionRevision.objects.select_related("revised_by")),
            *question_prefetches(),
        )
        .get(pk=pk)
    )


def expert_profile_of(*, user) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=user, is_active=True).first()


def notifications_for(*, user) -> QuerySet[Notification]:
    """In-app notifications: the bell and its list."""
    return (
        Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP)
        .annotate(case_pseudonym=F("question__case__pseudonym"))
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(*, user) -> int:
    """The bell's number, on every page: Notification alone (no join), from a partial index
    (recipient where in-app and unread), bounded — the bell shows "99+" beyond."""
    unread = Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    )
    return unread[:UNREAD_BOUND].count()


UNREAD_BOUND = 100


def question_history(*, question: Question) -> QuerySet[QuestionTransition]:
    """A question's history, newest first (the page shows it a page at a time)."""
    return question.transitions.select_related("actor").order_by("-created_at", "-pk")


def redirection(*, question: Question) -> QuestionTransition | None:
    """The history entry of a redirected question's last redirect (where triage sent it)."""
    if question.status != Status.REDIRECTED:
        return None
    return question.transitions.filter(to_status=Status.REDIRECTED).order_by("-created_at").first()
