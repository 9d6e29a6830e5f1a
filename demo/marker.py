"""Whether the demo is loaded already, so that a second `make run` (`manage.py prepare_demo`)
does not load it again.

The marker is a comment on the residents' table, like the scale data's on the questions' table
(demo.scale.generate): a fingerprint of the demo's definition (the source of demo.data and of the
loaders) and when it was loaded. The demo counts as loaded when the fingerprint is what the code
would load now and its residents and role accounts are all there: a `manage.py flush` empties the
tables but leaves the comment, and a changed demo (a new case, another bio) is loaded again.
Reading it costs a catalog lookup and two counts. COMMENT is transactional in PostgreSQL: the
marker is written in the loader's transaction and rolled back with it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from demo.data.cases import CASES
from demo.data.people import ROLE_ACCOUNTS
from wijkteam.models import Resident

MARKER_TABLE = Resident._meta.db_table
MARKER_PREFIX = "wijkexpert demo data "
# What decides the demo's rows: its data and the code that loads them.
SOURCES = (
    "clock.py",
    "consultation.py",
    "loader.py",
    "script.py",
    "meetings.py",
    "hours.py",
    "history.py",
    "history_journeys.py",
    "history_rows.py",
    "data/cases.py",
    "data/organisation.py",
    "data/people.py",
    "data/history.py",
    "data/scale_texts.py",
    "data/scale_world.py",
)


def demo_fingerprint() -> str:
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def marker_read() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [MARKER_TABLE])
        comment = cursor.fetchone()[0] or ""
    if not comment.startswith(MARKER_PREFIX):
        return None
    try:
        marker = json.loads(comment.removeprefix(MARKER_PREFIX))
    except ValueError:
        return None
    return marker if isinstance(marker, dict) else None


def marker_write() -> None:
    """Record that this demo is loaded (demo.loader.load_demo calls it at its end)."""
    marker = {"fingerprint": demo_fingerprint(), "loaded_at": timezone.now().isoformat()}
    with connection.cursor() as cursor:
        # A constant table name from the model, not input.
        cursor.execute(
            f"COMMENT ON TABLE {MARKER_TABLE} IS %s",
            [MARKER_PREFIX + json.dumps(marker, sort_keys=True)],
        )


def demo_loaded() -> dict | None:
    """The marker when the demo as the code defines it is loaded and still there, else None."""
    marker = marker_read()
    if marker is None or marker.get("fingerprint") != demo_fingerprint():
        return None
    residents = Q()
    for spec in CASES:
        residents |= Q(team__name=spec.team, first_name=spec.first_name, last_name=spec.last_name)
    found = (
        Resident.objects.filter(residents)
        .values_list("team__name", "first_name", "last_name")
        .distinct()
        .count()
    )
    if found != len({(c.team, c.first_name, c.last_name) for c in CASES}):
        return None
    emails = {email for _, email in ROLE_ACCOUNTS}
    if User.objects.filter(email__in=emails, is_demo_account=True).count() != len(emails):
        return None
    return marker
