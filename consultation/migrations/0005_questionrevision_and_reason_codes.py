"""Takes QuestionRevision over from triage (its table was renamed there, rows kept), and turns
the English sentences the system wrote into the history into reason codes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# What the system wrote before reasons were codes (consultation.models.Reason).
SENTENCES = {
    "draft saved": "draft_saved",
    "routed by the pool's collaboration model (network)": "routed_network",
    "routed by the pool's collaboration model (team)": "routed_team",
    "routed by the pool's collaboration model (triage)": "routed_triage",
    "clarification given": "clarification_given",
    "clarification asked": "clarification_asked",
    "advice given": "advice_given",
    "closed": "closed",
    "reopened": "reopened",
    "withdrawn": "withdrawn",
    "answered directly by triage": "triage_answered",
    "clarification asked by triage": "triage_clarification",
    "sharpened by triage": "sharpened",
    "assigned": "assigned",
    "multidisciplinary session wanted": "session_wanted",
    "redirected: regular care / voorliggend veld": "redirected_regular_care",
    "redirected: another expert pool": "redirected_other_pool",
    "redirected: back to the GP": "redirected_gp",
}
# Sentences that carried a detail after a fixed start.
PREFIXES = {
    "privacy check confirmed by the generalist: ": "privacy_confirmed",
    "sharpened by triage: ": "sharpened",
    "declined by ": "declined",
    "assigned (": "assigned",
}


def sentences_to_codes(apps, schema_editor):
    QuestionTransition = apps.get_model("consultation", "QuestionTransition")
    for sentence, code in SENTENCES.items():
        QuestionTransition.objects.filter(reason=sentence).update(reason_code=code, reason="")
    for prefix, code in PREFIXES.items():
        for step in QuestionTransition.objects.filter(reason__startswith=prefix, reason_code=""):
            detail = step.reason[len(prefix) :]
            if code == "assigned":
                detail = detail.removesuffix(")")
            step.reason_code, step.reason = code, detail
            step.save(update_fields=["reason_code", "reason"])


# Moves whose reason was what a person typed (no sentence of the system's): the code says
# which move it was, the typed words stay as they are.
TYPED_BY_MOVE = [
    ({"from_status": "in_triage", "to_status": "assigned"}, "assigned"),
    ({"from_status": "in_triage", "to_status": "answered"}, "triage_answered"),
    ({"from_status": "in_triage", "to_status": "scheduled"}, "session_wanted"),
    ({"from_status": "closed"}, "reopened"),
    ({"to_status": "withdrawn"}, "withdrawn"),
]


def typed_reasons_to_codes(apps, schema_editor):
    QuestionTransition = apps.get_model("consultation", "QuestionTransition")
    for move, code in TYPED_BY_MOVE:
        QuestionTransition.objects.filter(reason_code="", **move).exclude(reason="").update(
            reason_code=code
        )


def move_content_type(apps, schema_editor):
    """Keep the content type (and any permission rows on it) under the model's new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="consultation", model="questionrevision").exists():
        ContentType.objects.filter(app_label="triage", model="questionrevision").update(
            app_label="consultation"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultation", "0004_question_summary_questionexpert_accepted_at_and_more"),
        ("triage", "0002_move_questionrevision_to_consultation"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QuestionRevision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=160)),
                        ("summary", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "question",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="revisions",
                                to="consultation.question",
                            ),
                        ),
                        (
                            "revised_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "earlier version",
                        "verbose_name_plural": "earlier versions",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
        migrations.AddField(
            model_name="questiontransition",
            name="reason_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft_saved", "draft saved"),
                    ("privacy_confirmed", "privacy check confirmed by the generalist"),
                    ("routed_network", "sent to the expert network"),
                    ("routed_team", "put on the expert team's agenda"),
                    ("routed_triage", "put in the triage queue"),
                    ("clarification_given", "clarification given"),
                    ("clarification_asked", "clarification asked"),
                    ("advice_given", "advice given"),
                    ("closed", "closed"),
                    ("reopened", "reopened"),
                    ("withdrawn", "withdrawn"),
                    ("triage_answered", "answered directly by triage"),
                    ("triage_clarification", "clarification asked by triage"),
                    ("sharpened", "sharpened by triage"),
                    ("assigned", "assigned"),
                    ("session_wanted", "multidisciplinary session wanted"),
                    ("redirected_regular_care", "redirected: regular care / voorliggend veld"),
                    ("redirected_other_pool", "redirected: another expert pool"),
                    ("redirected_gp", "redirected: back to the GP"),
                    ("declined", "declined by"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(sentences_to_codes, migrations.RunPython.noop),
        migrations.RunPython(typed_reasons_to_codes, migrations.RunPython.noop),
    ]
