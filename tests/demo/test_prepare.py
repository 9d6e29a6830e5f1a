"""`manage.py prepare_demo` (what `make run` runs first): migrate, load the demo once, and on a
second start see from the marker that it is loaded and not load it again."""

import io

import pytest
from django.core.management import CommandError, call_command

from consultation.models import Question
from demo import marker
from demo.data.cases import CASES
from demo.data.people import DEMO_PASSWORD, ROLE_ACCOUNTS
from demo.history import history_q
from tests.helpers import shared_transaction
from wijkteam.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def first_start(django_db_setup, django_db_blocker):
    """The first start: an empty (migrated) database, prepared once for this module and rolled
    back after it; its output."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            assert marker.demo_loaded() is None
            out = io.StringIO()
            call_command("prepare_demo", stdout=out, no_color=True)
        yield out.getvalue().splitlines()


@pytest.fixture
def loads(monkeypatch):
    """Every load of the demo prepare_demo starts, recorded instead of performed."""
    calls = []
    monkeypatch.setattr(
        "demo.management.commands.prepare_demo.load_demo", lambda **kw: calls.append(kw)
    )
    return calls


def _prepare(*args) -> list[str]:
    out = io.StringIO()
    call_command("prepare_demo", *args, stdout=out, no_color=True)
    return out.getvalue().splitlines()


def test_the_first_start_loads_the_demo_and_lists_the_accounts(first_start):
    assert first_start[0] == "The database is up to date."
    assert first_start[1] == "Loading the demo data…"
    assert f"Cases and questions: {len(CASES)}/{len(CASES)}… done ({len(CASES)} new)" in first_start
    assert first_start[-len(ROLE_ACCOUNTS) - 2].startswith("Loading the demo data… done (")
    assert first_start[-len(ROLE_ACCOUNTS) - 1] == f"Demo accounts (password: {DEMO_PASSWORD}):"
    assert [line.split()[-1] for line in first_start[-len(ROLE_ACCOUNTS) :]] == [
        email for _, email in ROLE_ACCOUNTS
    ]
    assert Question.objects.exclude(history_q()).count() == len(CASES)
    assert Question.objects.filter(history_q()).count() > 500
    assert marker.demo_loaded()["fingerprint"] == marker.demo_fingerprint()


def test_a_second_start_does_not_load_again(first_start, loads, django_assert_max_num_queries):
    questions = Question.objects.count()
    # migrate's post_migrate handlers (content types and permissions, per app) and the marker:
    # some 60 queries, not the loader's 4,800.
    with django_assert_max_num_queries(100):
        lines = _prepare()
    assert loads == []
    assert lines[0] == "The database is up to date."
    assert lines[1].startswith("The demo data is loaded already (")
    assert lines[1].endswith("); not loaded again.")
    assert lines[2] == f"Demo accounts (password: {DEMO_PASSWORD}):"
    assert Question.objects.count() == questions


def test_a_changed_demo_is_loaded_again(first_start, loads, monkeypatch):
    monkeypatch.setattr(marker, "demo_fingerprint", lambda: "another-demo")
    assert "Loading the demo data…" in _prepare()
    assert len(loads) == 1


def test_a_demo_that_is_not_all_there_any_more_is_loaded_again(first_start, loads):
    """A flush (or someone in the admin) took rows away; the comment on the table stayed."""
    spec = CASES[0]
    Resident.objects.filter(
        team__name=spec.team, first_name=spec.first_name, last_name=spec.last_name
    ).update(last_name="Anders")
    _prepare()
    assert len(loads) == 1


def test_without_a_marker_the_demo_is_loaded(first_start, loads):
    """A database whose demo was loaded before the marker existed: loaded again (idempotent)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON TABLE {marker.MARKER_TABLE} IS NULL")
    _prepare()
    assert len(loads) == 1


def test_make_run_gets_the_accounts_in_a_file_to_print_them_last(first_start, tmp_path):
    accounts = tmp_path / "accounts.txt"
    lines = _prepare("--accounts-file", str(accounts))
    assert not any("eemland.example" in line for line in lines)
    listed = accounts.read_text().splitlines()
    assert listed[0] == f"Demo accounts (password: {DEMO_PASSWORD}):"
    assert "generalist@eemland.example" in accounts.read_text()


def test_prepare_demo_refuses_where_demo_data_is_not_allowed(settings, loads):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="never loaded here"):
        _prepare()
    assert loads == []
