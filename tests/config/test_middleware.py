"""config/middleware.py: no response to a signed-in person is kept by a browser or proxy cache,
and /admin/ is a 404 (not a redirect loop) for a signed-in person who is not staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from consultation import services
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session

pytestmark = pytest.mark.django_db


def assert_no_store(response, what):
    header = response.get("Cache-Control", "")
    directives = {d.strip().split("=")[0] for d in header.split(",")}
    assert {"no-store", "private"} <= directives, (what, response.status_code, header)
    assert not {"public", "max-age", "s-maxage"} & directives, (what, header)


def test_every_page_holding_a_resident_says_no_store(client, cast):
    question = cast.ask()
    attachment = services.attachment_add(
        actor=cast.generalist,
        question=question,
        upload=SimpleUploadedFile("brief.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    case = cast.case.pseudonym
    verify_session(client, cast.generalist)
    pages = {
        "team home": reverse("wijkteam:home"),
        "case page": reverse("wijkteam:case", args=[case]),
        "resident form": reverse("wijkteam:resident-edit", args=[case]),
        "register form": reverse("wijkteam:resident-new"),
        "question page": reverse("consultation:question", args=[question.pk]),
        "attachment download": reverse(
            "consultation:attachment", args=[question.pk, attachment.pk]
        ),
    }
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (what, response.status_code)
        assert_no_store(response, what)
    # Refusals and redirects of a signed-in person too: they are about an account.
    assert_no_store(client.get(reverse("consultation:question", args=[question.pk + 999])), "404")
    assert_no_store(client.get(reverse("home")), "home redirect")


def test_api_answers_say_no_store_with_a_session_and_with_a_token(api, token_client, cast):
    resident = cast.case.resident
    for client in (api(cast.generalist), token_client(cast.generalist)):
        for url in (
            "/api/v1/residents/",
            f"/api/v1/residents/{resident.pk}/",
            "/api/v1/cases/",
            f"/api/v1/cases/{cast.case.pseudonym}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert_no_store(response, url)


def test_a_refused_token_gets_no_store_too():
    client = Client(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/residents/")
    assert response.status_code in (401, 403)
    assert_no_store(response, "bad token")


def test_a_report_export_says_no_store(client, make_user):
    verify_session(client, make_user(Role.MUNICIPALITY_ADMIN))
    for url in (reverse("reports:export", args=["csv"]), reverse("reports:home")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_no_store(response, url)


def test_anonymous_answers_are_left_as_they_are(client):
    # The sign-in page says never_cache itself (Django's LoginView); nothing is added or taken.
    sign_in = client.get(reverse("accounts:login"))
    assert sign_in.status_code == 200
    assert sign_in["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_view_that_said_public_is_made_private_for_a_signed_in_person(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from config.middleware import NoStoreForSignedInMiddleware

    def public_view(request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    middleware = NoStoreForSignedInMiddleware(public_view)
    request = rf.get("/")
    request.user = UserFactory()
    assert_no_store(middleware(request), "public view")
    request = rf.get("/")
    request.user = AnonymousUser()
    assert middleware(request)["Cache-Control"] == "public, max-age=3600"


# --- /admin/ -------------------------------------------------------------------------------------
ADMIN_URLS = [
    "/admin/",
    "/admin/login/",
    "/admin/accounts/user/",
    "/admin/wijkteam/resident/",
    "/admin/no-such-page/",
]


@pytest.mark.parametrize("role", [Role.GENERALIST, Role.EXPERT, Role.MUNICIPALITY_ADMIN])
def test_admin_is_a_404_for_a_signed_in_person_who_is_not_staff(client, make_user, role):
    verify_session(client, make_user(role))
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
    # No redirect loop: following from /admin/ ends at once, on the 404.
    followed = client.get("/admin/", follow=True)
    assert followed.status_code == 404 and followed.redirect_chain == []
    # A POST is no way in either.
    assert client.post("/admin/accounts/user/add/", {"email": "x@example.org"}).status_code == 404


def test_admin_sends_an_anonymous_visitor_to_the_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    followed = client.get("/admin/", follow=True)
    assert followed.status_code == 200
    assert followed.redirect_chain[-1][0].startswith(reverse("accounts:login"))


def test_staff_reach_the_admin(client):
    verify_session(client, UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_no_store(response, "admin index")
    assert client.get("/admin/accounts/user/").status_code == 200
