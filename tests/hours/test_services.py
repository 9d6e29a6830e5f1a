"""Time entries: per written advice and per session attended, the monthly cap per pool at its
boundary, approval beyond it, signed corrections, and the invoice export that locks a month."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from hours.invoice import as_csv, as_xlsx, invoice_of
from hours.models import InvoiceExport, TimeEntry
from hours.selectors import effective_minutes, entries_visible_to, usage_of
from hours.services import (
    invoice_export_create,
    time_entry_confirm,
    time_entry_correct,
    time_entry_decide,
    time_entry_decline,
    time_entry_propose_attendance,
    time_entry_register_advice,
)
from meetings.services.outcomes import outcome_record
from meetings.services.planning import session_hold
from tests.hours.helpers import advice_by, held_session, planned_session, started
from tests.meetings.helpers import ask_team, build_team_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    return build_team_pool(cast)


def _confirmed(entry, **kwargs):
    return time_entry_confirm(expert=entry.expert, entry=entry, **kwargs)


def test_a_held_session_proposes_its_length_to_each_expert_who_came(cast, team):
    session = held_session(cast, team, minutes=120, declined=1)
    proposals = TimeEntry.objects.filter(session=session).order_by("expert_id")
    # Three invited, the first declined: two proposals of the session's two hours.
    assert {e.expert_id for e in proposals} == {u.pk for u in team.experts[1:]}
    assert all(e.status == TimeEntry.Status.PROPOSED and e.minutes == 120 for e in proposals)
    assert all(e.activity == TimeEntry.Activity.SESSION for e in proposals)
    # Proposed again (beat, a second outcome): still one each.
    time_entry_propose_attendance(session=session)
    assert TimeEntry.objects.filter(session=session).count() == 2
    # A proposal counts for nothing until the expert confirms it.
    assert usage_of(expert=team.experts[1])[0].used == 0


def test_an_outcome_naming_a_decliner_proposes_their_time_too(cast, team):
    session = planned_session(cast, team, declined=1)
    question = ask_team(cast, team, title="Voor het overleg")
    item = session.agenda.get(question=question)
    started(session)
    outcome_record(
        actor=team.coordinator, item=item, advice="Samen optrekken.", participants=team.experts[:1]
    )
    session_hold(planner=team.coordinator, session=session)
    assert TimeEntry.objects.filter(session=session).count() == 3


def test_an_outcome_recorded_after_the_hold_proposes_its_participants(cast, team):
    session = planned_session(cast, team, declined=1)
    question = ask_team(cast, team, title="Voor het overleg")
    item = session.agenda.get(question=question)
    session = session_hold(planner=team.coordinator, session=started(session))
    assert TimeEntry.objects.filter(session=session).count() == 2
    outcome_record(
        actor=team.coordinator, item=item, advice="Samen optrekken.", participants=team.experts[:1]
    )
    assert TimeEntry.objects.filter(session=session, expert=team.experts[0]).exists()


def test_the_expert_confirms_with_the_minutes_they_were_there_or_declines(cast, team):
    session = held_session(cast, team, declined=0)
    first, second, third = TimeEntry.objects.filter(session=session).order_by("expert_id")
    assert _confirmed(first).status == TimeEntry.Status.CONFIRMED
    assert _confirmed(second, minutes=90).minutes == 90
    assert time_entry_decline(expert=third.expert, entry=third).status == TimeEntry.Status.DECLINED
    # A second confirm (double click) changes nothing; a declined one cannot be confirmed.
    assert _confirmed(second, minutes=30).minutes == 90
    assert _confirmed(third).status == TimeEntry.Status.DECLINED
    with pytest.raises(PermissionDenied):
        time_entry_confirm(expert=first.expert, entry=second)
    TimeEntry.objects.filter(pk=third.pk).update(status=TimeEntry.Status.PROPOSED)
    with pytest.raises(ValidationError) as error:
        _confirmed(third, minutes=0)
    assert "minutes" in error.value.message_dict


def test_the_cap_at_its_boundary_exactly_240_counts_one_minute_over_needs_approval(cast):
    pool = cast.pool
    assert pool.monthly_cap_minutes == 240
    first = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=200)
    exactly = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Tweede"), minutes=40
    )
    assert (first.status, exactly.status) == ("confirmed", "confirmed")
    usage = next(u for u in usage_of(expert=cast.expert) if u.pool == pool)
    assert (usage.used, usage.left, usage.percent, usage.warn) == (240, 0, 100, True)
    over = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="Derde"), minutes=1
    )
    assert over.status == TimeEntry.Status.AWAITING_APPROVAL
    usage = next(u for u in usage_of(expert=cast.expert) if u.pool == pool)
    assert (usage.used, usage.waiting) == (240, 1)


def test_the_warning_starts_at_80_percent(cast):
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=191)
    assert not next(u for u in usage_of(expert=cast.expert) if u.pool == cast.pool).warn
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast, title="B"), minutes=1)
    assert next(u for u in usage_of(expert=cast.expert) if u.pool == cast.pool).warn  # 192 = 80 %


def test_advice_time_is_registered_once_and_only_by_its_author(cast):
    message = advice_by(cast)
    entry = time_entry_register_advice(expert=cast.expert, message=message, minutes=30)
    again = time_entry_register_advice(expert=cast.expert, message=message, minutes=45)
    assert again.pk == entry.pk and again.minutes == 30
    assert entry.question_id == message.question_id and entry.date == timezone.localdate()
    assert entry.organisation_id == cast.expert.expert_profile.organisation_id
    with pytest.raises(PermissionDenied):
        time_entry_register_advice(expert=cast.second_expert, message=message, minutes=30)
    for bad in (0, -5, 601, "30", True):
        with pytest.raises(ValidationError):
            time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=bad)


def test_beyond_the_cap_the_pools_planner_approves_or_rejects_with_a_reason(cast, team):
    cast.pool.triage_workers.add(cast.triage)
    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=240)
    over = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="B"), minutes=30
    )
    other = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="C"), minutes=20
    )
    for outsider in (cast.expert, team.coordinator, cast.generalist, cast.municipality_admin):
        with pytest.raises(PermissionDenied):
            time_entry_decide(actor=outsider, entry=over, approve=True)
    with pytest.raises(ValidationError):
        time_entry_decide(actor=cast.triage, entry=other, approve=False, note=" ")
    approved = time_entry_decide(actor=cast.triage, entry=over, approve=True)
    rejected = time_entry_decide(actor=cast.triage, entry=other, approve=False, note="Dubbel")
    assert (approved.status, approved.decided_by) == ("approved", cast.triage)
    assert (rejected.status, rejected.decision_note) == ("rejected", "Dubbel")
    assert next(u for u in usage_of(expert=cast.expert) if u.pool == cast.pool).used == 270


def test_a_correction_is_a_new_signed_entry_holding_the_difference(cast):
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=60)
    less = time_entry_correct(expert=cast.expert, entry=entry, minutes=45, reason="Te veel")
    assert (less.minutes, less.corrects, less.note, less.created_by) == (
        -15,
        entry,
        "Te veel",
        cast.expert,
    )
    entry.refresh_from_db()
    assert entry.minutes == 60  # never edited
    assert effective_minutes(entry) == 45
    more = time_entry_correct(expert=cast.expert, entry=entry, minutes=50, reason="Toch")
    assert more.minutes == 5 and effective_minutes(entry) == 50
    with pytest.raises(ValidationError):
        time_entry_correct(expert=cast.expert, entry=entry, minutes=50, reason="Nog eens")
    with pytest.raises(ValidationError):
        time_entry_correct(expert=cast.expert, entry=entry, minutes=40, reason="")
    with pytest.raises(ValidationError):
        time_entry_correct(expert=cast.expert, entry=less, minutes=10, reason="Correctie")
    with pytest.raises(PermissionDenied):
        time_entry_correct(
            expert=cast.second_expert, entry=entry, minutes=10, reason="Niet van mij"
        )


def test_the_export_locks_the_month_and_holds_exactly_the_billable_entries(cast, team):
    cast.pool.triage_workers.add(cast.triage)
    organisation = cast.expert.expert_profile.organisation_id
    kept = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=200)
    time_entry_correct(expert=cast.expert, entry=kept, minutes=180, reason="Pauze eraf")
    waiting = time_entry_register_advice(
        expert=cast.expert, message=advice_by(cast, title="B"), minutes=90
    )
    assert waiting.status == "awaiting_approval"
    month = timezone.localdate()
    with pytest.raises(PermissionDenied):
        invoice_export_create(
            actor=cast.expert, pool=cast.pool, organisation_id=organisation, month=month
        )
    export = invoice_export_create(
        actor=cast.triage, pool=cast.pool, organisation_id=organisation, month=month
    )
    assert set(export.entries.values_list("minutes", flat=True)) == {200, -20}
    # A double click makes no second export.
    again = invoice_export_create(
        actor=cast.triage, pool=cast.pool, organisation_id=organisation, month=month
    )
    assert again.pk == export.pk and InvoiceExport.objects.count() == 1
    # Approved later: it goes into a second export of the month, the first stays as it was.
    time_entry_decide(actor=cast.triage, entry=waiting, approve=True)
    second = invoice_export_create(
        actor=cast.triage, pool=cast.pool, organisation_id=organisation, month=month
    )
    assert second.number == 2 and list(second.entries.values_list("minutes", flat=True)) == [90]
    assert export.entries.count() == 2
    kept.refresh_from_db()
    assert kept.is_locked
    # The invoice: rows, totals per expert and overall, in CSV and XLSX alike.
    invoice = invoice_of(export)
    name = cast.expert.get_full_name()
    assert [(r.expert, r.minutes) for r in invoice.rows] == [(name, 200), (name, -20)]
    assert invoice.totals == [(name, 180)] and invoice.total == 180
    pseudonym = kept.question.case.pseudonym
    assert pseudonym in invoice.rows[0].reference
    text = as_csv(invoice).decode("utf-8-sig")
    assert f"{name};{month:%d-%m-%Y};" in text and text.rstrip().endswith(";180")
    book = load_workbook(io.BytesIO(as_xlsx(invoice)))
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[-1] is not None]
    assert [r[-1] for r in rows if isinstance(r[-1], int)] == [200, -20]
    totals = list(book.worksheets[1].iter_rows(values_only=True))
    assert totals[1:] == [(name, 180), ("Totaal", 180)] or totals[1:] == [
        (name, 180),
        ("Total", 180),
    ]
    # The resident's name appears nowhere in the invoice.
    assert cast.resident.last_name not in text


def test_nothing_to_export_and_a_month_to_come_are_refused(cast):
    cast.pool.triage_workers.add(cast.triage)
    organisation = cast.expert.expert_profile.organisation_id
    with pytest.raises(ValidationError):
        invoice_export_create(
            actor=cast.triage,
            pool=cast.pool,
            organisation_id=organisation,
            month=timezone.localdate(),
        )
    with pytest.raises(ValidationError) as error:
        invoice_export_create(
            actor=cast.triage,
            pool=cast.pool,
            organisation_id=organisation,
            month=timezone.localdate() + timedelta(days=40),
        )
    assert "month" in error.value.message_dict


def test_entries_are_seen_by_their_expert_and_the_pools_planners_only(cast, team):
    cast.pool.triage_workers.add(cast.triage)
    entry = time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=30)
    assert entries_visible_to(user=cast.expert).filter(pk=entry.pk).exists()
    assert entries_visible_to(user=cast.triage).filter(pk=entry.pk).exists()
    for outsider in (
        cast.second_expert,
        team.coordinator,
        cast.generalist,
        cast.team_lead,
        cast.municipality_admin,
    ):
        assert not entries_visible_to(user=outsider).filter(pk=entry.pk).exists()


def test_the_triage_suggestions_hours_left_come_from_the_entries(cast):
    from triage.selectors import suggest_experts

    time_entry_register_advice(expert=cast.expert, message=advice_by(cast), minutes=90)
    question = cast.ask(title="Nieuw")
    with translation.override("en"):
        by_user = {s.profile.user: s for s in suggest_experts(question=question, limit=20)}
    assert "2.5 hours left this month" in by_user[cast.expert].reasons
    assert "4.0 hours left this month" in by_user[cast.second_expert].reasons
