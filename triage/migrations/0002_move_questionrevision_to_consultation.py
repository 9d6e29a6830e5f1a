"""A question's earlier versions belong to the question: the model moves to consultation.

The table is renamed, not copied, so every row (and its id) stays; consultation's next migration
takes the model over in Django's state. Redirect decisions get their target as a code instead of
an English sentence in `reason`."""

from django.db import migrations, models

OLD_TARGETS = {
    "regular care / voorliggend veld": "regular_care",
    "another expert pool": "other_pool",
    "back to the GP": "gp",
}


def targets_to_codes(apps, schema_editor):
    TriageDecision = apps.get_model("triage", "TriageDecision")
    for sentence, code in OLD_TARGETS.items():
        TriageDecision.objects.filter(kind="redirect", reason=sentence).update(
            redirect_target=code, reason=""
        )


def codes_to_targets(apps, schema_editor):
    TriageDecision = apps.get_model("triage", "TriageDecision")
    for sentence, code in OLD_TARGETS.items():
        TriageDecision.objects.filter(kind="redirect", redirect_target=code).update(reason=sentence)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("consultation", "0004_question_summary_questionexpert_accepted_at_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("QuestionRevision", "consultation_questionrevision"),
            ],
            state_operations=[migrations.DeleteModel("QuestionRevision")],
        ),
        migrations.AddField(
            model_name="triagedecision",
            name="redirect_target",
            field=models.CharField(
                blank=True,
                choices=[
                    ("regular_care", "regular care / voorliggend veld"),
                    ("other_pool", "another expert pool"),
                    ("gp", "back to the GP"),
                ],
                max_length=20,
                verbose_name="redirected to",
            ),
        ),
        migrations.RunPython(targets_to_codes, codes_to_targets),
    ]
