"""Teams were granted change_resident on their residents, but nothing ever checked it (a
resident is not edited outside the admin): a grant that is never checked only misleads."""

from django.db import migrations


def drop_grants(apps, schema_editor):
    ResidentGroupObjectPermission = apps.get_model("wijkteam", "ResidentGroupObjectPermission")
    ResidentUserObjectPermission = apps.get_model("wijkteam", "ResidentUserObjectPermission")
    for model in (ResidentGroupObjectPermission, ResidentUserObjectPermission):
        model.objects.filter(permission__codename="change_resident").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("wijkteam", "0003_auditevent_append_only"),
    ]

    operations = [migrations.RunPython(drop_grants, migrations.RunPython.noop)]
