"""What the audit log covers (issue 13, NEN 7513): sign-in events, refused accesses (web and
API), writes to questions and what hangs on them, with actor, client address, request id and
result; and never a resident's identity in it."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from tests.consultation.cast import CANARY_STRINGS
from tests.helpers import current_token
from wijkteam.models import AuditEvent

pytestmark = pytest.mark.django_db

A = AuditEvent.Action
R = AuditEvent.Result


def _login(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


# --- Sign-in events -------------------------------------------------------------------------------
def test_a_password_sign_in_and_the_second_factor_are_audited(client):
    user = UserFactory()
    device = TOTPDeviceFactory(user=user)
    assert _login(client, user.email, REMOTE_ADDR="192.0.2.7").status_code == 302
    client.post(
        reverse("accounts:otp-verify"), {"token": current_token(device)}, REMOTE_ADDR="192.0.2.7"
    )
    events = list(
        AuditEvent.objects.filter(actor=user).order_by("seq").values_list("action", "result")
    )
    assert events == [(A.SIGN_IN, R.SUCCESS), (A.SECOND_FACTOR, R.SUCCESS)]
    event = AuditEvent.objects.filter(actor=user).latest("seq")
    assert event.ip_address == "192.0.2.7"
    assert event.object_type == "accounts.User" and event.object_id == user.pk
    assert len(event.request_id) == 32


def test_a_wrong_second_factor_is_audited(client, make_user):
    user = make_user(Role.EXPERT)
    device = TOTPDeviceFactory(user=user)
    client.force_login(user)
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"
    client.post(reverse("accounts:otp-verify"), {"token": wrong})
    assert AuditEvent.objects.filter(actor=user, action=A.SECOND_FACTOR, result=R.FAILURE).exists()


def test_failed_sign_ins_and_the_lock_out_are_audited(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.email.upper(), password="not the password")
    failures = AuditEvent.objects.filter(actor=user, action=A.SIGN_IN, result=R.FAILURE)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert AuditEvent.objects.filter(actor=user, action=A.LOCK_OUT, result=R.REFUSED).exists()


def test_a_sign_in_with_an_unknown_account_stores_not_what_was_typed(client):
    _login(client, "Jan.Jansen@example.org", password="x")
    event = AuditEvent.objects.get(action=A.SIGN_IN, result=R.FAILURE)
    assert event.actor is None and event.object_id is None
    assert event.detail == "unknown account"
    assert "Jansen" not in str(AuditEvent.objects.values().get(pk=event.pk))


def test_a_refused_api_token_is_audited(client):
    response = client.get("/api/v1/questions/", headers={"authorization": "Token not-a-token"})
    assert response.status_code in (401, 403)
    event = AuditEvent.objects.get(action=A.SIGN_IN, result=R.FAILURE)
    assert (event.actor, event.channel, event.object_type) == (None, "api", "accounts.ApiToken")


def test_signing_out_is_audited(verified_client, make_user):
    user = make_user(Role.EXPERT)
    client = verified_client(user)
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(actor=user, action=A.SIGN_OUT).exists()


# --- Refused accesses -----------------------------------------------------------------------------
def test_another_teams_case_is_a_404_and_is_audited_as_refused(cast, verified_client):
    client = verified_client(cast.generalist)
    pseudonym = cast.other_case.pseudonym
    response = client.get(reverse("wijkteam:case", args=[pseudonym]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=cast.generalist, action=A.ACCESS)
    assert event.result == R.REFUSED
    assert event.object_type == "url:wijkteam:case"
    assert event.case_pseudonym == pseudonym
    assert event.detail == "GET answered 404"
    assert event.path == reverse("wijkteam:case", args=[pseudonym])


def test_a_question_outside_scope_over_the_api_is_audited_as_refused(cast, api):
    question = cast.ask()
    response = api(cast.other_generalist).get(f"/api/v1/questions/{question.pk}/")
    assert response.status_code == 404
    event = AuditEvent.objects.get(actor=cast.other_generalist, action=A.ACCESS)
    assert (event.result, event.object_id, event.channel) == (R.REFUSED, question.pk, "api")


def test_a_page_of_another_role_is_audited_as_refused(verified_client, make_user):
    expert = make_user(Role.EXPERT)
    response = verified_client(expert).get(reverse("wijkteam:resident-new"))
    assert response.status_code in (403, 404)
    assert AuditEvent.objects.filter(actor=expert, action=A.ACCESS, result=R.REFUSED).exists()


# --- Writes ---------------------------------------------------------------------------------------
def test_writes_to_a_question_are_audited_with_actor_and_request(cast, api):
    client = api(cast.generalist)
    question = cast.ask(submit=False)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/api/v1/questions/{question.pk}/submit/",
        {},
        format="json",
        headers={"x-request-id": "from-the-client-12345"},
    )
    assert response.status_code == 200, response.json()
    events = AuditEvent.objects.filter(seq__gt=before, object_type="consultation.Question")
    assert events.exists()
    event = events.latest("seq")
    assert (event.actor, event.action, event.channel) == (cast.generalist, A.UPDATE, "api")
    assert event.object_id == question.pk
    assert event.detail.startswith("status ")
    # No trusted proxy: the client's own request id is not taken, a fresh one is.
    assert event.request_id != "from-the-client-12345" and len(event.request_id) == 32
    assert response["X-Request-ID"] == event.request_id


def test_no_resident_identity_in_the_audit_log_after_a_journey(cast, api, verified_client):
    client = verified_client(cast.generalist)
    client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))  # an identity read
    cast.ask()
    api(cast.generalist).get(f"/api/v1/cases/{cast.case.pk}/")
    dump = " ".join(str(row) for row in AuditEvent.objects.values())
    assert AuditEvent.objects.filter(action=A.VIEW_IDENTITY).exists()
    for canary in CANARY_STRINGS:
        assert canary not in dump


# --- Client address and request id through trusted proxies ----------------------------------------
@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy of ours: the header is the client's say
        (1, "203.0.113.9", "203.0.113.9"),
        # One proxy: it appended what it saw; anything before that is spoofable.
        (1, "198.51.100.66, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.66, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    client, settings, trusted, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = trusted
    user = UserFactory()
    _login(client, user.email, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert AuditEvent.objects.get(actor=user, action=A.SIGN_IN).ip_address == expected


def test_a_request_id_is_taken_from_the_trusted_proxy_and_checked(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get(reverse("accounts:login"), headers={"x-request-id": "proxy-abc-123"})
    assert response["X-Request-ID"] == "proxy-abc-123"
    response = client.get(reverse("accounts:login"), headers={"x-request-id": "bad id\r\nx"})
    assert response["X-Request-ID"] != "bad id\r\nx" and len(response["X-Request-ID"]) == 32


def test_log_lines_carry_the_request_id(client, caplog):
    import logging

    from accounts.request_context import RequestIdLogFilter

    def view_logs(*args, **kwargs):
        logging.getLogger("tests.audit").warning("inside the request")

    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(view_logs, dispatch_uid="tests-audit-log")
    try:
        with caplog.at_level(logging.WARNING, logger="tests.audit"):
            caplog.handler.addFilter(RequestIdLogFilter())
            response = _login(client, "nobody@example.org", password="x")
    finally:
        user_login_failed.disconnect(dispatch_uid="tests-audit-log")
    record = next(r for r in caplog.records if r.getMessage() == "inside the request")
    assert record.request_id == response["X-Request-ID"]


def test_a_change_in_the_django_admin_is_audited_without_the_objects_name(
    verified_client, make_user, cast
):
    admin = make_user(Role.EXPERT, is_superuser=True, is_staff=True)
    client = verified_client(admin)
    url = reverse("admin:wijkteam_region_change", args=[cast.org["region"].pk])
    response = client.post(url, {"name": "Regio Anders", "admins": [], "privacy_officers": []})
    assert response.status_code == 302, response.context and response.context["errors"]
    event = AuditEvent.objects.get(actor=admin, channel="admin")
    assert (event.action, event.object_type) == (A.UPDATE, "wijkteam.region")
    assert event.object_id == cast.org["region"].pk
    assert "Anders" not in event.detail
