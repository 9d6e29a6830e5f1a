from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking the table against writes: it holds a region's messages.
    atomic = False

    dependencies = [
        ("consultation", "0010_redirect_pool_and_accepted"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="message",
            index=models.Index(
                condition=models.Q(("kind", "advice")),
                fields=["author", "-created_at", "-id"],
                include=("question",),
                name="message_advice_by_author",
            ),
        ),
    ]
