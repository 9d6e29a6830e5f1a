"""Helpers of the API question tests: a draft's JSON, and the resident's identity kept out."""

from expertise.models import LifeDomain, TargetGroup
from tests.consultation.cast import CANARY_STRINGS

RESIDENT_FIELDS = {
    "resident",
    "resident_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
}


def draft_data(cast, **changes):
    return {
        "case": cast.case.pseudonym,
        "pool": cast.pool.pk,
        "title": "Dreigende huisuitzetting",
        "situation": "Huurachterstand van vier maanden; post blijft liggen.",
        "tried": "Samen de post geopend.",
        "question": "Hoe voorkomen we een ontruiming?",
        "life_domains": [LifeDomain.objects.get(slug="financien").pk],
        "target_groups": [TargetGroup.objects.get(slug="schulden").pk],
        "urgency": "urgent",
        "help_form": "phone",
        **changes,
    }


def assert_no_identity(text: str):
    for canary in CANARY_STRINGS:
        assert canary not in text, canary
