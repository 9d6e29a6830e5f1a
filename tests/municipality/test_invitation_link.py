"""The invitation's one-time link: password, then the second factor (accounts' enrolment), and
signed in; a used, expired, withdrawn or tampered link says so."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from municipality import links
from municipality.models import TeamInvitation
from municipality.services import member_invite
from tests.municipality.helpers import (
    NEW_PASSWORD,
    audit_rows,
    link_path,
)

pytestmark = pytest.mark.django_db


def test_the_link_sets_the_password_then_the_second_factor_and_signs_in(client, invitation):
    response = client.get(link_path(invitation))
    assert response.status_code == 302 and response.url == reverse("invitation:welcome")
    page = client.get(response.url)
    assert page.status_code == 200 and "nina@example.nl" in page.content.decode()
    # Django's password validators hold.
    weak = client.post(response.url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 400
    response = client.post(
        reverse("invitation:welcome"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp-enrol"))
    person = User.objects.get(email="nina@example.nl")
    assert person.is_active and person.check_password(NEW_PASSWORD)
    # Signed in, but nothing opens before the second factor.
    assert client.get(reverse("wijkteam:home")).status_code == 302
    assert client.get(response.url).status_code == 200  # the existing enrolment page
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    response = client.post(
        response.url, {"token": f"{totp(device.bin_key):06d}", "next": reverse("home")}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("wijkteam:home")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    (event,) = audit_rows("accept_invitation", "municipality.TeamInvitation")
    assert event.actor == person and event.object_id == invitation.pk

    # The link again: used.
    fresh = Client()
    page = fresh.get(link_path(invitation))
    assert "al gebruikt" in page.content.decode()


def test_an_expired_link_says_so(client, invitation):
    TeamInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(link_path(invitation))
    assert page.status_code == 200 and "verlopen" in page.content.decode()
    assert "_team_invitation" not in client.session


def test_a_link_expiring_while_the_form_is_open_is_refused(client, invitation):
    client.get(link_path(invitation))
    TeamInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.post(
        reverse("invitation:welcome"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "verlopen" in page.content.decode()
    assert not User.objects.get(email="nina@example.nl").is_active


def test_a_withdrawn_or_tampered_link_says_so(client, invitation, team, admin):
    member_invite(actor=admin, team=team, email="nina@example.nl", role="generalist")
    assert "ingetrokken" in client.get(link_path(invitation)).content.decode()
    key = links.invitation_key(invitation)
    tampered = reverse("invitation:open", args=[key, "0" * 40])
    page = client.get(tampered)
    assert page.status_code == 404 and "niet geldig" in page.content.decode()
    assert client.get(reverse("invitation:open", args=["!!", "x"])).status_code == 404
    assert client.get(reverse("invitation:welcome")).status_code == 404
