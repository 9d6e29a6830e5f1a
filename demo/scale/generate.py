"""`manage.py generate_scale_data`: build the synthetic data set in one transaction.

1. Refuse where demo data is not allowed, and where the database holds other data (unless asked
   to reset); do nothing when it already holds exactly this data set (the marker below).
2. Plan the world (demo.scale.plan) and write it; set aside the indexes and foreign keys of the
   big tables (demo.scale.copy); live through every case and question (demo.scale.lifecycle),
   streaming the rows with COPY; build the indexes and check the foreign keys again; move the id
   sequences past the explicit ids; ANALYZE; leave the marker; commit, then VACUUM (FREEZE).

The marker is a comment on the question table: the arguments, the generator's version and the
range of question ids it wrote. A database "holds this data set" when the comment matches and
that range still holds N questions (questions made later, e.g. by a benchmark, come after it).
Reading it costs one catalog lookup and one index range count.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext

from accounts.roles import roles_changed
from consultation.bell import forget_bells
from consultation.models import Question
from demo.scale.copy import Loader, restore, set_aside
from demo.scale.lifecycle import Consultations
from demo.scale.model import Ids
from demo.scale.plan import Planner
from demo.scale.rows import TABLES as LIFE_TABLES
from demo.scale.timeline import BASE_DATE, Timeline
from demo.scale.world import TABLES as WORLD_TABLES
from demo.scale.world import write_world
from expertise.models import LifeDomain, TargetGroup
from wijkteam.models import Resident

# Bump when the generator writes other rows for the same arguments: a database built by an
# older version is then not "this data set" any more.
VERSION = 1
DEFAULT_SEED = 1
MARKER_TABLE = Question._meta.db_table
MARKER_PREFIX = "wijkexpert scale data "
# Tables that keep their rows on --reset: what the migrations put there.
KEEP = {"django_migrations", "django_content_type", "auth_permission"}
KEEP |= {LifeDomain._meta.db_table, TargetGroup._meta.db_table}
FLUSH_EVERY = 4000  # questions between two COPY batches
TABLES = {**WORLD_TABLES, **LIFE_TABLES}


class ScaleDataError(Exception):
    """Why the data set cannot be built here (the command shows it as an error)."""


@dataclass
class Outcome:
    built: bool
    marker: dict
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


Report = Callable[[str], None]


def generate_scale_data(
    *, questions: int, seed: int = DEFAULT_SEED, reset: bool = False, report: Report = print
) -> Outcome:
    if not settings.DEMO_DATA_ALLOWED:
        raise ScaleDataError("Demo data (with public passwords) is never loaded here.")
    if questions < 1:
        raise ScaleDataError("--questions must be at least 1.")
    wanted = {"version": VERSION, "questions": questions, "seed": seed, "base": str(BASE_DATE)}
    with connection.cursor() as cursor:
        marker = read_marker(cursor)
        if not reset:
            if marker is not None and _same(marker, wanted) and _intact(cursor, marker):
                report(
                    f"The database already holds this data set ({questions:,} questions, "
                    f"seed {seed}): nothing to do."
                )
                return Outcome(built=False, marker=marker)
            held = _holds_data(cursor)
            if held:
                what = (
                    f"the scale data set with {marker['questions']:,} questions and seed "
                    f"{marker['seed']} (version {marker['version']})"
                    if marker is not None and _intact(cursor, marker)
                    else held
                )
                raise ScaleDataError(
                    f"The database already holds {what}. Run with --reset to replace it "
                    "(everything but the migrations' reference data is deleted)."
                )
    started = time.monotonic()
    outer = connection.in_atomic_block
    with transaction.atomic():
        outcome = _build(questions=questions, seed=seed, reset=reset, report=report)
    if outer:
        report("Written inside the caller's transaction (VACUUM left out: it needs its own).")
    else:
        report(f"Committed ({time.monotonic() - started:.0f} s).")
        # Every row was written by one transaction: without this, the first reads of each page
        # set its hint bits (writes, in the middle of a benchmark), index-only scans find no
        # visible pages, and autovacuum would soon go over all of it anyway. FREEZE spares a
        # later anti-wraparound pass too.
        with _Step("VACUUM (FREEZE) of the big tables", report), connection.cursor() as cursor:
            cursor.execute(f"VACUUM (FREEZE) {', '.join(LIFE_TABLES)}")
    outcome.seconds = time.monotonic() - started
    report(f"{questions:,} questions in {outcome.seconds:.0f} s.")
    return outcome


class _Steps:
    def __init__(self, report: Report):
        self.report = report

    def __call__(self, label: str):
        return _Step(label, self.report)


class _Step:
    def __init__(self, label: str, report: Report):
        self.label, self.report = label, report

    def __enter__(self):
        self.started = time.monotonic()
        self.report(f"{self.label}…")
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.report(f"{self.label}… done ({time.monotonic() - self.started:.1f} s)")


def _build(*, questions: int, seed: int, reset: bool, report: Report) -> Outcome:
    step = _Steps(report)
    cursor = connection.cursor()
    # One long transaction of bulk work: no JIT for the checks, room to sort in memory.
    cursor.execute("SET LOCAL jit = off")
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")
    if reset:
        with step("Deleting the data in the database"):
            _reset(cursor)
    _check_columns(cursor)
    refs = _references()
    rng = random.Random(seed)
    ids = Ids(_next_ids(cursor))
    timeline = Timeline()
    with step("Planning regions, municipalities, teams, people and pools"):
        world = Planner(questions=questions, rng=rng, ids=ids).build()
    report(
        f"  {len(world.regions)} regions, {len(world.municipalities)} municipalities, "
        f"{len(world.teams)} teams, {len(world.pools)} pools, {len(world.people):,} people"
    )
    with step("Setting aside the indexes and foreign keys of the big tables"):
        aside = set_aside(cursor, LIFE_TABLES)
    loader = Loader(connection, tables=TABLES)
    try:
        with step("Writing the world"):
            write_world(
                world=world,
                loader=loader,
                ids=ids,
                timeline=timeline,
                refs=refs,
                seed=seed,
                questions=questions,
            )
            loader.flush()
        with translation.override(settings.LANGUAGE_CODE):
            triage_discipline = gettext("triage worker")
        life = Consultations(
            world=world,
            timeline=timeline,
            rng=rng,
            ids=ids,
            loader=loader,
            refs=refs,
            discipline_triage=triage_discipline,
        )
        with step(f"Planning {questions:,} questions"):
            drafts = life.plan(questions)
        first_question = ids.peek("consultation_question")
        with step("Cases and questions, lived through"):
            started = time.monotonic()
            tenth = max(1, questions // 10)
            for done, (moment, case, force) in enumerate(drafts, start=1):
                life.question(moment, case, force)
                if done % FLUSH_EVERY == 0:
                    loader.flush()
                if done % tenth == 0 or done == questions:
                    rows = sum(loader.counts.values()) + sum(map(len, loader.buffers.values()))
                    seconds = time.monotonic() - started
                    report(
                        f"  {done:,}/{questions:,} questions, {rows:,} rows "
                        f"({seconds:.0f} s, {done / max(seconds, 0.001):,.0f} questions/s)"
                    )
            loader.finish()
    except BaseException:
        loader.abandon()
        raise
    last_question = ids.peek("consultation_question") - 1
    with step("Building the indexes and checking the foreign keys"):
        restore(cursor, aside, report=report)
    with step("Moving the id sequences past the new rows"):
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our tables
                f"coalesce(max(id), 0) + 1, false) FROM {table}"
            )
    with step("ANALYZE"):
        cursor.execute(f"ANALYZE {', '.join(TABLES)}")
    marker = {
        "version": VERSION,
        "questions": questions,
        "seed": seed,
        "base": str(BASE_DATE),
        "first_question_id": first_question,
        "last_question_id": last_question,
    }
    write_marker(cursor, marker)
    cursor.close()
    # Caches keyed on user ids (roles, the bell) may hold another data set's answers (--reset
    # reuses the ids): both forget them when this commits, as a membership change would.
    roles_changed()
    forget_bells(person.id for person in world.people)
    report("Rows written:")
    for table, count in sorted(loader.counts.items(), key=lambda item: -item[1]):
        if count:
            report(f"  {table:<45} {count:>12,}")
    report(f"  {'total':<45} {sum(loader.counts.values()):>12,}")
    return Outcome(built=True, marker=marker, counts=dict(loader.counts))


# --- the marker ----------------------------------------------------------------------------------
def read_marker(cursor) -> dict | None:
    cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [MARKER_TABLE])
    comment = cursor.fetchone()[0] or ""
    if not comment.startswith(MARKER_PREFIX):
        return None
    try:
        return json.loads(comment.removeprefix(MARKER_PREFIX))
    except ValueError:
        return None


def write_marker(cursor, marker: dict | None) -> None:
    text = MARKER_PREFIX + json.dumps(marker, sort_keys=True) if marker else None
    cursor.execute(f"COMMENT ON TABLE {MARKER_TABLE} IS %s", [text])


def _same(marker: dict, wanted: dict) -> bool:
    return all(marker.get(key) == value for key, value in wanted.items())


def _intact(cursor, marker: dict) -> bool:
    cursor.execute(
        f"SELECT count(*) FROM {MARKER_TABLE} WHERE id BETWEEN %s AND %s",  # noqa: S608
        [marker.get("first_question_id", 0), marker.get("last_question_id", -1)],
    )
    return cursor.fetchone()[0] == marker.get("questions")


# --- what is there -------------------------------------------------------------------------------
def _anonymous_email() -> str:
    from guardian.conf import settings as guardian_settings

    return guardian_settings.ANONYMOUS_USER_NAME


def _holds_data(cursor) -> str:
    """A description of what the database holds, or '' when it is empty (migrations aside)."""
    cursor.execute(
        """
        SELECT (SELECT count(*) FROM accounts_user WHERE email <> %s),
               (SELECT count(*) FROM wijkteam_districtteam),
               (SELECT count(*) FROM consultation_question)
        """,
        [_anonymous_email()],
    )
    users, teams, questions = cursor.fetchone()
    if not (users or teams or questions):
        return ""
    return f"data ({users:,} users, {teams:,} district teams, {questions:,} questions)"


def _reset(cursor) -> None:
    """Empty every table of the apps but the migrations' reference data (content types,
    permissions, life domains, target groups); the anonymous user of django-guardian is put
    back as it was (if it was there). TRUNCATE, so it takes a moment whatever the size (and it
    is undone with the transaction if the build fails)."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - KEEP)
    cursor.execute(
        "SELECT id, password, date_joined FROM accounts_user WHERE email = %s",
        [_anonymous_email()],
    )
    anonymous = cursor.fetchone()
    # Checks still pending from earlier in this transaction (a caller's own writes) would make
    # PostgreSQL refuse the TRUNCATE: run them now, then defer again as the constraints say.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    write_marker(cursor, None)
    if anonymous is not None:
        cursor.execute(
            """
            INSERT INTO accounts_user (id, password, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, is_demo_account,
                notification_email_mode)
            VALUES (%s, %s, false, '', '', false, true, %s, %s, false, 'immediate')
            """,
            [anonymous[0], anonymous[1], anonymous[2], _anonymous_email()],
        )


def _check_columns(cursor) -> None:
    """Every column a table requires is one the generator fills: a new NOT NULL column without
    a default (a later migration) stops the build here, with its name, not halfway a COPY."""
    cursor.execute(
        """
        SELECT table_name, column_name, is_nullable = 'NO' AND column_default IS NULL
               AND is_identity = 'NO'
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY(%s)
        """,
        [list(TABLES)],
    )
    existing: dict[str, set[str]] = {}
    required: dict[str, set[str]] = {}
    for table, column, needed in cursor.fetchall():
        existing.setdefault(table, set()).add(column)
        if needed:
            required.setdefault(table, set()).add(column)
    problems = []
    for table, columns in TABLES.items():
        if table not in existing:
            problems.append(f"{table} does not exist")
            continue
        if unknown := set(columns) - existing[table]:
            problems.append(f"{table} has no column {', '.join(sorted(unknown))}")
        if missing := required.get(table, set()) - set(columns):
            problems.append(f"{table}.{', '.join(sorted(missing))} is required")
    if problems:
        raise ScaleDataError(
            "The models changed since demo/scale was written: " + "; ".join(problems) + "."
        )


def _references() -> dict:
    domains = dict(LifeDomain.objects.values_list("slug", "pk"))
    groups = dict(TargetGroup.objects.values_list("slug", "pk"))
    if len(domains) < 7 or len(groups) < 8:
        raise ScaleDataError(
            "The life domains and target groups of the migrations are missing: run migrate."
        )

    def permission(model, codename: str) -> int:
        content_type = ContentType.objects.get_for_model(model)
        return Permission.objects.get(content_type=content_type, codename=codename).pk

    return {
        "domains": domains,
        "groups": groups,
        "view_question": permission(Question, "view_question"),
        "advise_question": permission(Question, "advise_question"),
        "view_resident": permission(Resident, "view_resident"),
    }


def _next_ids(cursor) -> dict[str, int]:
    start = {}
    for table in TABLES:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608 - ours
        start[table] = cursor.fetchone()[0]
    return start
