"""`manage.py load_demo`: where it refuses, what `--list` prints, and what loading prints."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.data.people import DEMO_PASSWORD, ROLE_ACCOUNTS

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_listed_with_the_password(capsys):
    call_command("load_demo", "--list")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for _, email in ROLE_ACCOUNTS:
        assert email in out


def test_load_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo")
    assert not User.objects.filter(is_demo_account=True).exists()
