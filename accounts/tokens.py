"""Personal API tokens: creation, revocation and the DRF authentication class.

A token is a random secret (secrets.token_urlsafe(32)) shown once; only its SHA-256 hash is
stored, so a copy of the database holds no usable credential. A token can only be made after
the second factor (on the profile page) or by an administrator with
`manage.py create_api_token`, so a request carrying one counts as past the second factor.
A token expires API_TOKEN_DAYS after it was made, and all of a user's tokens are revoked when
their password changes or is reset, and when the account ends (accounts.services.credentials_end).
Requests with a wrong token are throttled per address (accounts.throttle).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, User
from accounts.throttle import client_address, throttle_count, throttle_hit

KEYWORD = "Token"
PREFIX_LENGTH = 8
# last_used_at is written at most this often per token: a busy integration must not turn every
# read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the secret, which is never stored or shown again."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80],
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return token, secret


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent)."""
    if token.user_id != user.pk:
        raise ApiToken.DoesNotExist
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of `user` (their account or membership was ended by an
    administrator); returns how many. Idempotent: revoked tokens keep their first revoked_at."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def active_tokens_of(*, user: User):
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <secret>`.

    Returns None (lets other authenticators try) when there is no Token header; a Token header
    that does not match an active token of an active user fails, it never falls back.

    Every failed Token header counts against the client's address; beyond
    API_TOKEN_ADDRESS_FAILURE_LIMIT in the window that address gets 429 for any Token header,
    right or wrong (else a 429 for the wrong ones would still answer the guess).
    """

    keyword = KEYWORD
    THROTTLE_SCOPE = "api-token-failures"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        address = client_address(request)
        window = settings.API_TOKEN_FAILURE_WINDOW_MINUTES * 60
        if throttle_count(self.THROTTLE_SCOPE, address) >= settings.API_TOKEN_ADDRESS_FAILURE_LIMIT:
            raise exceptions.Throttled(
                wait=window,
                detail=str(_("Too many requests with a wrong API token from this address.")),
            )
        try:
            return self._authenticate_header(header)
        except exceptions.AuthenticationFailed:
            throttle_hit(self.THROTTLE_SCOPE, address, window_seconds=window)
            raise

    def _authenticate_header(self, header: list[bytes]):
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the token after 'Token ', without spaces.")
            )
        try:
            secret = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        return self.authenticate_credentials(secret)

    def authenticate_credentials(self, secret: str):
        digest = hash_secret(secret)
        # The lookup is by hash (an index hit on a value an attacker cannot steer towards a
        # stored one); the final comparison is constant-time all the same.
        token = ApiToken.objects.select_related("user").filter(key_hash=digest).first()
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s. Make a new one on your profile page.")
                % {"date": timezone.localtime(token.expires_at).date().isoformat()}
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is inactive."))
        if user.is_demo_account and not settings.DEMO_MODE:
            # Demo passwords are public; their tokens die with the demo environment.
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        self._touch(token)
        # The token was made after the second factor: count it as passed, for every check that
        # asks the user (accounts.otp.has_second_factor).
        user.otp_device = None
        user.is_verified = lambda: True
        return user, token

    @staticmethod
    def _touch(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
            return
        # Conditional update: concurrent requests write it once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token in the OpenAPI schema (drf-spectacular)."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A personal API token, made on the profile page: `Authorization: Token <secret>`."
            ),
        }


class VerifiedSessionScheme(SessionScheme):
    """accounts.api.VerifiedSessionAuthentication is the session cookie (after the second
    factor); drf-spectacular matches its own SessionScheme on the exact class only."""

    target_class = "accounts.api.VerifiedSessionAuthentication"
