"""Seed the seven BCP life domains (exact Dutch names) and an editable list of target groups."""

from django.db import migrations

LIFE_DOMAINS = [
    ("financien", "Financiën"),
    ("wonen-en-leefbaarheid", "Wonen en leefbaarheid"),
    ("werk-opleiding-en-activiteiten", "Werk, opleiding en activiteiten"),
    ("sociale-relaties", "Sociale relaties"),
    ("lichamelijke-gezondheid", "Lichamelijke gezondheid"),
    ("psychische-gezondheid", "Psychische gezondheid"),
    ("zingeving", "Zingeving"),
]

TARGET_GROUPS = [
    ("jeugd", "Jeugd", "Kinderen, jongeren en hun ouders"),
    ("ouderen", "Ouderen", "Ouderen, ook in combinatie met eenzaamheid"),
    ("lvb", "LVB", "Mensen met een licht verstandelijke beperking"),
    ("nah", "NAH", "Mensen met niet-aangeboren hersenletsel"),
    ("dementie", "Dementie", "Mensen met dementie en hun mantelzorgers"),
    ("ggz", "GGZ", "Mensen met psychische problemen"),
    ("verslaving", "Verslaving", "Mensen met een verslaving"),
    ("schulden", "Schulden", "Huishoudens met geldzorgen of schulden"),
]


def seed(apps, schema_editor):
    LifeDomain = apps.get_model("expertise", "LifeDomain")
    TargetGroup = apps.get_model("expertise", "TargetGroup")
    for order, (slug, name) in enumerate(LIFE_DOMAINS, start=1):
        LifeDomain.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for slug, name, description in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("expertise", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
