"""Only demo accounts skip the second factor, and only while DEMO_MODE is on."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_generalist(make_user):
    user = make_user(Role.GENERALIST)
    User.objects.filter(pk=user.pk).update(is_demo_account=True)
    user.refresh_from_db()
    return user


def test_demo_account_skips_second_factor_in_demo_mode(client, settings, demo_generalist):
    settings.DEMO_MODE = True
    client.force_login(demo_generalist)
    response = client.get(reverse("wijkteam:home"))
    assert response.status_code == 200
    assert "demo-omgeving" in response.text


def test_demo_account_cannot_skip_when_demo_mode_is_off(client, settings, demo_generalist):
    settings.DEMO_MODE = False
    client.force_login(demo_generalist)
    response = client.get(reverse("wijkteam:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))
    assert "demo-omgeving" not in client.get(reverse("accounts:login")).text


def test_ordinary_account_cannot_skip_in_demo_mode(client, settings, make_user):
    settings.DEMO_MODE = True
    client.force_login(make_user(Role.GENERALIST))
    response = client.get(reverse("wijkteam:home"))
    assert response["Location"].startswith(reverse("accounts:otp-enrol"))


def test_demo_flag_cannot_be_set_through_the_admin_form():
    from accounts.admin import UserAdmin

    assert "is_demo_account" in UserAdmin.readonly_fields
    assert User._meta.get_field("is_demo_account").editable is False
    assert UserFactory().is_demo_account is False


def test_demo_account_cannot_even_sign_in_outside_demo_mode(client, settings, demo_generalist):
    """Demo passwords are public: outside demo mode the account cannot enrol a factor either."""
    settings.DEMO_MODE = False
    response = client.post(
        reverse("accounts:login"), {"username": demo_generalist.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "demo-omgeving" in response.text
    assert "_auth_user_id" not in client.session
