import pytest

from expertise.models import LifeDomain, TargetGroup

pytestmark = pytest.mark.django_db


def test_the_seven_bcp_life_domains_exist_after_migrate():
    assert list(LifeDomain.objects.values_list("name", flat=True)) == [
        "Financiën",
        "Wonen en leefbaarheid",
        "Werk, opleiding en activiteiten",
        "Sociale relaties",
        "Lichamelijke gezondheid",
        "Psychische gezondheid",
        "Zingeving",
    ]


def test_target_groups_are_seeded_and_editable():
    names = set(TargetGroup.objects.values_list("name", flat=True))
    assert {"Jeugd", "Ouderen", "LVB", "NAH", "Dementie", "GGZ", "Verslaving", "Schulden"} <= names
    group = TargetGroup.objects.get(slug="nah")
    group.description = "Niet-aangeboren hersenletsel"
    group.save()
    TargetGroup.objects.create(name="Statushouders", slug="statushouders")
    assert TargetGroup.objects.filter(slug="statushouders").exists()
