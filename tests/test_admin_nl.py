"""The admin is in Dutch, the third-party apps' pages too (issue 10, config/third_party.py): a
functional administrator walks the index and every page of axes and django-otp with Dutch
active and meets no English heading, column, label, filter or help text."""

import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import third_party
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session

THIRD_PARTY = [AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice]
# What a person reads as a heading or a label; the rest (rows of data) is left alone.
TEXT_TAGS = {"h1", "h2", "h3", "th", "label", "caption", "legend", "summary", "a", "button"}
# Texts that read the same in Dutch.
SAME_IN_DUTCH = {
    "Wijkexpert beheer", "Accounts", "Expertise", "Triage", "Authenticator", "ID", "Status",
    "Team", "Postcode", "Slug", "Expert", "Detail",
}  # fmt: skip


class _Texts(HTMLParser):
    """The texts inside `tags` and inside class="help" elements, less what is data: the cells
    of a change list's rows (class "field-..."), the choices of a field (label for="id_x_3")."""

    def __init__(self, tags):
        super().__init__()
        self.tags = tags
        self.open: list[tuple[str, bool, bool]] = []  # (tag, is help, is data)
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "input", "img", "meta", "link", "hr"}:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        data = any(c.startswith("field-") for c in classes) and tag in {"th", "td"}
        data = data or bool(tag == "label" and re.search(r"_\d+$", attributes.get("for") or ""))
        self.open.append((tag, "help" in classes, data))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or any(is_data for _, _, is_data in self.open):
            return
        if any(tag in self.tags or is_help for tag, is_help, _ in self.open):
            self.found.add(text.rstrip(":"))


# What names things on any admin page, rows of data left out (see _Texts).
LABEL_TAGS = {"h1", "th", "label", "caption", "legend", "summary"}


def _texts(response, tags=TEXT_TAGS) -> set[str]:
    parser = _Texts(tags)
    parser.feed(response.content.decode())
    return parser.found


def english_left(client, url) -> set[str]:
    """The names on the admin page at `url` that read the same in Dutch as in English, less
    those that are Dutch too."""
    nl, en = _get(client, url, "nl"), _get(client, url, "en")
    same = _texts(nl, LABEL_TAGS) & _texts(en, LABEL_TAGS)
    return {text for text in same if re.search("[a-z]{2}", text)} - SAME_IN_DUTCH


def _get(client, url, language):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.fixture
def admin_client_nl(client, db):
    user = UserFactory(is_staff=True, is_superuser=True, email="beheer@wijkexpert.test")
    verify_session(client, user)
    # One row of each, so that the change pages exist too.
    AccessAttempt.objects.create(
        username="iemand@wijkexpert.test", ip_address="127.0.0.1", user_agent="test",
        http_accept="*/*", path_info="/inloggen/", get_data="", post_data="",
        failures_since_start=2,
    )  # fmt: skip
    AccessLog.objects.create(
        username="iemand@wijkexpert.test", ip_address="127.0.0.1", user_agent="test",
        http_accept="*/*", path_info="/inloggen/",
    )  # fmt: skip
    AccessFailureLog.objects.create(
        username="iemand@wijkexpert.test", ip_address="127.0.0.1", user_agent="test",
        http_accept="*/*", path_info="/inloggen/",
    )  # fmt: skip
    return client


def test_the_index_names_the_third_party_apps_and_models_in_dutch(admin_client_nl):
    texts = _texts(_get(admin_client_nl, reverse("admin:index"), "nl"))
    assert {
        "Inlogpogingen",
        "Mislukte inlogpogingen",
        "Inlogregistraties",
        "Tweestapsverificatie",
        "Authenticator-apps (TOTP)",
    } <= texts
    english = {"Axes", "Otp_Totp", "Access attempts", "Access failures", "Access logs"}
    assert not english & texts
    assert "TOTP devices" not in texts


@pytest.mark.parametrize("model", THIRD_PARTY, ids=lambda m: m._meta.label)
def test_every_page_of_a_third_party_app_is_in_dutch(admin_client_nl, model):
    meta = model._meta
    urls = [
        reverse("admin:app_list", args=[meta.app_label]),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[model.objects.first().pk]
        ),
    ]
    if admin.site._registry[model].has_add_permission(_request(admin_client_nl)):
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    for url in urls:
        assert _get(admin_client_nl, url, "nl").headers["Content-Language"] == "nl"
        assert english_left(admin_client_nl, url) == set(), url


def test_the_totp_device_form_shows_dutch_labels_help_and_fieldsets(admin_client_nl):
    device = TOTPDevice.objects.get()
    url = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    texts = _texts(_get(admin_client_nl, url, "nl"))
    assert {"Identiteit", "Instellingen", "Geheime sleutel", "Aantal cijfers"} <= texts
    assert "Het aantal cijfers van een code." in texts
    assert not {"Identity", "Configuration", "Key", "Digits", "Confirmed"} & texts


def test_no_name_or_help_text_of_a_model_in_the_admin_stays_english():
    """Every registered model, its app and its fields have Dutch names (and help texts): the
    admin's index, titles, columns, labels and filters are made of these."""

    def names():
        for model in admin.site._registry:
            meta = model._meta
            yield meta.label, meta.app_config.verbose_name
            yield meta.label, meta.verbose_name
            yield meta.label, meta.verbose_name_plural
            for field in meta.get_fields():
                if getattr(field, "auto_created", False) and not field.concrete:
                    continue  # a reverse relation: named by the other model
                yield f"{meta.label}.{field.name}", getattr(field, "verbose_name", "")
                yield f"{meta.label}.{field.name}", getattr(field, "help_text", "")

    english = []
    for where, text in names():
        with translation.override("en"):
            in_english = str(text)
        with translation.override("nl"):
            in_dutch = str(text)
        if in_english and in_english == in_dutch and capfirst(in_english) not in SAME_IN_DUTCH:
            english.append((where, in_english))
    assert english == []


def test_the_package_help_texts_are_still_the_ones_we_translate():
    """A package upgrade that rewords a help text leaves English: this says which one."""
    with translation.override("en"):
        for name, (_verbose, help_text) in third_party.TOTP_FIELDS.items():
            assert str(TOTPDevice._meta.get_field(name).help_text) == help_text, name
    with translation.override("nl"):
        for name, (_verbose, help_text) in third_party.TOTP_FIELDS.items():
            assert str(TOTPDevice._meta.get_field(name).help_text) != help_text, name


def test_django_s_own_gaps_in_dutch_are_filled():
    """Django 6.1's Dutch leaves the admin's hidden headings and the blank choice English."""
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("nl"):
        assert str(BLANK_CHOICE_LABEL) == "- Kies een optie -"
        assert translation.gettext("Pagination %(name)s") == "Paginanavigatie %(name)s"
        assert translation.gettext("Object permissions") == "Objectrechten"


def _request(client):
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request
