"""Everything is managed in the Django admin, behind the same two-factor sign-in."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import shared_transaction, verify_session

OUR_APPS = ["accounts", "submissions", "wijkteam", "expertise", "consultation", "triage", "reports"]
MODELS = [model for app in OUR_APPS for model in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_is_registered(model):
    assert admin.site.is_registered(model)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for all admin pages (it takes seconds) and rolled back after
    them; each test still runs in its own savepoint on top of it."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo")
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_render(client, demo_data, model):
    verify_session(client, UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    changelist = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    # Append-only models (the audit log) have no add page.
    assert add.status_code == (
        200 if admin.site._registry[model].has_add_permission(_request_for(client)) else 403
    )
    instance = model.objects.first()
    if instance is not None:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
        assert client.get(url).status_code == 200


def _request_for(client):
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelists_read_a_fixed_number_of_queries(client, demo_data, model):
    """A list page of the admin does not read a row's relations one query per row (the demo
    data fills a page): a page answers well under a second however many rows it shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verify_session(client, UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    rows = model._default_manager.count()
    assert len(queries) <= 12, (rows, [q["sql"][:120] for q in queries.captured_queries][:30])


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_page_of_a_model_is_in_dutch(client, demo_data, model):
    """The change list, the add page and a change page name nothing in English (issue 10):
    no heading, column, label, filter title, fieldset or help text reads as on the English
    page (tests/test_admin_nl.py walks the third-party apps' pages the same way)."""
    from tests.test_admin_nl import english_left

    verify_session(client, UserFactory(is_staff=True, is_superuser=True))
    meta = model._meta
    urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
    if admin.site._registry[model].has_add_permission(_request_for(client)):
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    if (instance := model.objects.first()) is not None:
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk]))
    for url in urls:
        assert english_left(client, url) == set(), url
