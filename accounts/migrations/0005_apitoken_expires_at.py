"""API tokens expire (issue 13): every token gets an expiry, the ones that exist already
API_TOKEN_DAYS after they were made (so a token older than that stops working now)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def expire_from_creation(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + timedelta(days=settings.API_TOKEN_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_dutch_admin_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(expire_from_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
