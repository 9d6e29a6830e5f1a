"""The restructuring's migrations keep the data: earlier versions move from triage to
consultation with their ids, and the sentences the system wrote become reason codes."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("consultation", "0004_question_summary_questionexpert_accepted_at_and_more"),
    ("triage", "0001_initial"),
    ("wijkteam", "0003_auditevent_append_only"),
]
AFTER = [
    ("consultation", "0005_questionrevision_and_reason_codes"),
    ("triage", "0002_move_questionrevision_to_consultation"),
    ("wijkteam", "0004_drop_unused_change_resident_grants"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_revisions_and_reasons_survive_the_move(org, make_user):
    from accounts.roles import Role
    from tests.consultation.factories import QuestionFactory
    from tests.wijkteam.factories import CaseFactory

    generalist = make_user(Role.GENERALIST)
    case = CaseFactory(resident__team=org["team"], owner=generalist)
    question_pk = QuestionFactory(case=case, pool=org["pool"], asked_by=generalist).pk
    try:
        old = _migrate(BEFORE)
        Revision = old.get_model("triage", "QuestionRevision")
        Transition = old.get_model("consultation", "QuestionTransition")
        Decision = old.get_model("triage", "TriageDecision")
        revision = Revision.objects.create(
            question_id=question_pk, title="Eerder", summary="s", revised_by_id=generalist.pk
        )
        rows = {
            "advice given": ("open", "answered"),
            "redirected: back to the GP": ("in_triage", "redirected"),
            "declined by Karin Jansen: geen uren": ("assigned", "in_triage"),
            "privacy check confirmed by the generalist: name, phone": ("draft", "submitted"),
            "Nieuwe brief van de verhuurder": ("closed", "answered"),
        }
        for reason, (source, target) in rows.items():
            Transition.objects.create(
                question_id=question_pk, from_status=source, to_status=target, reason=reason
            )
        Decision.objects.create(
            question_id=question_pk,
            worker_id=generalist.pk,
            kind="redirect",
            reason="back to the GP",
        )

        new = _migrate(AFTER)
        moved = new.get_model("consultation", "QuestionRevision").objects.get()
        assert (moved.pk, moved.title, moved.question_id) == (revision.pk, "Eerder", question_pk)
        stored = {
            (t.reason_code, t.reason)
            for t in new.get_model("consultation", "QuestionTransition").objects.all()
        }
        assert stored == {
            ("advice_given", ""),
            ("redirected_gp", ""),
            ("declined", "Karin Jansen: geen uren"),
            ("privacy_confirmed", "name, phone"),
            ("reopened", "Nieuwe brief van de verhuurder"),
        }
        decision = new.get_model("triage", "TriageDecision").objects.get()
        assert (decision.redirect_target, decision.reason) == ("gp", "")
    finally:
        # Leave the schema as the rest of the suite expects it: every app at its newest.
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
