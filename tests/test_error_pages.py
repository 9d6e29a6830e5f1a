"""The application's own error pages, in Dutch (issue 10): not Django's English pages."""

import pytest
from django.test import override_settings
from django.urls import path


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("stuk/", _broken)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.test_error_pages", DEBUG=False)
def test_a_server_error_shows_our_own_dutch_page(client):
    client.raise_request_exception = False
    response = client.get("/stuk/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and 'lang="nl"' in page
    assert "Server Error" not in page and "a bug" not in page


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_page_shows_our_own_dutch_page(client):
    from tests.accounts.factories import UserFactory
    from tests.helpers import verify_session

    verify_session(client, UserFactory())
    response = client.get("/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page and "urlpatterns" not in page.lower()


@pytest.mark.django_db
def test_the_language_picker_names_each_language_in_itself(client):
    """Someone who reads no Dutch finds "English", not "Engels" (issue 10)."""
    for accept in ("nl", "en"):
        page = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        options = page.replace(" selected>", ">")
        assert '<option value="en" lang="en">English</option>' in options
        assert '<option value="nl" lang="nl">Nederlands</option>' in options
