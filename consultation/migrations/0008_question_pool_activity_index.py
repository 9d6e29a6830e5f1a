from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking the table against writes: it holds a region's questions.
    atomic = False

    dependencies = [
        ("consultation", "0007_notification_list_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="question",
            index=models.Index(
                fields=["pool", "-last_activity_at", "-id"], name="question_pool_act"
            ),
        ),
    ]
