"""The pools serving the admin's teams: listed, editable only when they serve this municipality
alone; settings saved and audited, bad input a 400."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.expertise.factories import ExpertPoolFactory
from tests.municipality.helpers import (
    POOLS,
    audit_rows,
)
from wijkteam.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Pools ---------------------------------------------------------------------------------------
def test_pools_serving_the_teams_are_listed_and_only_our_own_are_editable(as_admin, org, elsewhere):
    shared = ExpertPoolFactory(region=org["region"])
    shared.teams.add(org["team"], elsewhere["team"])
    pools = {pool.pk: pool.editable for pool in as_admin.get(POOLS).context["pools"]}
    assert pools == {org["pool"].pk: True, shared.pk: False}
    assert as_admin.get(reverse("municipality:pool", args=[shared.pk])).status_code == 404
    assert as_admin.post(reverse("municipality:pool", args=[shared.pk]), {}).status_code == 404


def test_pool_settings_are_saved_and_audited(as_admin, org, admin):
    pool = org["pool"]
    url = reverse("municipality:pool", args=[pool.pk])
    page = as_admin.get(url)
    assert page.context["form"].initial["monthly_cap_hours"] == Decimal(4)
    response = as_admin.post(
        url, {"triage_target_days": 3, "advice_target_days": 5, "monthly_cap_hours": "4,5"}
    )
    assert response.status_code == 302
    pool.refresh_from_db()
    assert (pool.triage_target_days, pool.advice_target_days, pool.monthly_cap_minutes) == (
        3,
        5,
        270,
    )
    (event,) = audit_rows("update", "expertise.ExpertPool")
    assert event.actor == admin and event.object_id == pool.pk
    assert event.detail == "triage_target_days: 2 -> 3; monthly_cap_minutes: 240 -> 270"


@pytest.mark.parametrize(
    "data",
    [
        {"triage_target_days": 0, "advice_target_days": 5, "monthly_cap_hours": "4"},
        {"triage_target_days": 2, "advice_target_days": "vijf", "monthly_cap_hours": "4"},
        {"triage_target_days": 2, "advice_target_days": 5, "monthly_cap_hours": "-1"},
        {"triage_target_days": 2, "advice_target_days": 5, "monthly_cap_hours": "4,123"},
        {"triage_target_days": 2, "advice_target_days": 5, "monthly_cap_hours": "99999"},
        {},
    ],
)
def test_bad_pool_settings_are_a_400(as_admin, org, data):
    pool = org["pool"]
    response = as_admin.post(reverse("municipality:pool", args=[pool.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    pool.refresh_from_db()
    assert (pool.triage_target_days, pool.monthly_cap_minutes) == (2, 240)
    # Nothing changed, so nothing but the sign-in is in the audit log.
    assert not AuditEvent.objects.exclude(action=AuditEvent.Action.SIGN_IN).exists()
