"""The URL matrix's world, built once per module (tests/security/matrix_world.py)."""

from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.accounts.factories import TOTPDeviceFactory
from tests.helpers import shared_transaction
from tests.security.matrix_world import ROLES, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
            # One signed-in client per role, made once: the sessions (and the verified second
            # factor) are part of the world. A test's own writes are undone after it.
            built.clients = {role: _signed_in(built, role) for role in ROLES}
        yield built


def _signed_in(world, role: str) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    user = world.users[role]
    client.force_login(user)
    if role != "unverified":
        device: Any = TOTPDeviceFactory(user=user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
