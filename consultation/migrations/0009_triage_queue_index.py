from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking the table against writes: it holds a region's questions.
    atomic = False

    dependencies = [
        ("consultation", "0008_question_pool_activity_index"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="question",
            index=models.Index(
                condition=models.Q(("status", "in_triage")),
                fields=["pool", "urgency", "submitted_at", "created_at"],
                include=("id",),
                name="question_queue",
            ),
        ),
    ]
