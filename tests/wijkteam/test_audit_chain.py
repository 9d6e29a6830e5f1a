"""The audit log holds in PostgreSQL itself: the application's role may only read and append
(privileges, not only the trigger), every row is chained to the one before, `audit_verify`
finds the first broken link, and two concurrent inserts never fork the chain."""

import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.utils import ProgrammingError

from wijkteam.audit import audit_chain_verify, audit_write
from wijkteam.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event(n: int = 0, **fields) -> AuditEvent:
    return audit_write(
        action=AuditEvent.Action.UPDATE, object_type="tests.Thing", object_id=n, **fields
    )


def _as_app_role(sql: str):
    """Run `sql` as the application's role (SET LOCAL ROLE: the test connects as the owner)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_APP_ROLE}")
        cursor.execute(sql)
        return cursor.fetchall() if cursor.description else None


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wijkteam_auditevent SET detail = 'changed'",
        "DELETE FROM wijkteam_auditevent",
        "TRUNCATE wijkteam_auditevent",
        "ALTER TABLE wijkteam_auditevent DISABLE TRIGGER wijkteam_auditevent_no_update_delete",
    ],
)
def test_the_application_role_may_not_change_or_remove_audit_rows(sql):
    _event()
    with pytest.raises(ProgrammingError) as refused:
        _as_app_role(sql)
    # Refused by privileges (before any trigger runs), not by the append-only trigger.
    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
    assert AuditEvent.objects.count() == 1


def test_the_application_role_reads_and_appends_and_writes_other_tables():
    _event()
    rows = _as_app_role(
        "INSERT INTO wijkteam_auditevent (action, object_type, case_pseudonym, detail, channel,"
        " path, user_agent, created_at) VALUES ('create', 'tests.Thing', '', '', 'web', '', '',"
        " now()) RETURNING seq"
    )
    assert rows == [(2,)]
    assert _as_app_role("SELECT count(*) FROM wijkteam_auditevent") == [(2,)]
    # Everything else it may change as before (its privileges are no blanket read-only).
    assert _as_app_role("UPDATE django_session SET expire_date = expire_date") is None


def test_the_trigger_refuses_changes_even_for_the_owner():
    event = _event()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")


def test_every_row_links_to_the_one_before():
    for n in (1, 2, 3):
        _event(n)
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "row_hash"))
    assert [seq for seq, _, _ in rows] == [1, 2, 3]
    assert rows[0][1] == ""
    assert rows[1][1] == rows[0][2] and rows[2][1] == rows[1][2]
    assert all(len(row_hash) == 64 for _, _, row_hash in rows)
    assert audit_chain_verify().holds


def _tamper(sql: str) -> None:
    """As the owner, with the append-only trigger switched off (inside the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER may run
        cursor.execute(
            "ALTER TABLE wijkteam_auditevent DISABLE TRIGGER wijkteam_auditevent_no_update_delete"
        )
        cursor.execute(sql)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "ALTER TABLE wijkteam_auditevent ENABLE TRIGGER wijkteam_auditevent_no_update_delete"
        )


def test_audit_verify_reports_a_changed_row_as_the_first_broken_link(capsys):
    events = [_event(n) for n in range(5)]
    call_command("audit_verify")
    assert "Audit chain holds: 5 rows" in capsys.readouterr().out
    _tamper(f"UPDATE wijkteam_auditevent SET detail = 'nothing to see' WHERE id = {events[2].pk}")
    with pytest.raises(CommandError, match=r"broken at seq 3 .*content was changed"):
        call_command("audit_verify")


def test_audit_verify_reports_a_removed_row():
    events = [_event(n) for n in range(4)]
    _tamper(f"DELETE FROM wijkteam_auditevent WHERE id = {events[1].pk}")
    check = audit_chain_verify()
    assert (check.broken_seq, check.reason) == (3, "rows missing before it")


def test_audit_verify_reports_a_rehashed_row_that_no_longer_links():
    events = [_event(n) for n in range(3)]
    # A forger recomputes one row's own hash after changing it: the next row no longer links.
    _tamper(
        f"UPDATE wijkteam_auditevent SET detail = 'x' WHERE id = {events[1].pk};"
        f"UPDATE wijkteam_auditevent t SET row_hash = wijkteam_auditevent_hash(t.prev_hash, t)"
        f" WHERE id = {events[1].pk}"
    )
    check = audit_chain_verify()
    assert (check.broken_seq, check.reason) == (3, "does not link to the row before")


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_do_not_fork_the_chain():
    """Eight threads, each with its own connection, insert at once, each in a transaction that
    stays open a moment after its insert: the advisory lock orders them into one chain."""
    barrier = threading.Barrier(8)
    errors = []

    def insert(n):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                for i in range(3):
                    _event(n * 10 + i)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_sleep(0.02)")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 25))
    check = audit_chain_verify()
    assert check.holds, check
    assert check.rows == 24
