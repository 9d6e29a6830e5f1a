"""Writing the audit log (DESIGN §4.6, issue 13 / NEN 7513): event, object, result, actor (and on
whose behalf), client address, time and request id. Ids and pseudonyms only: never a name, a
birth date, an address or a case's free text (the detail is built from ids, field names and
status codes here and by the services that call audit_record).

Coverage, and where it comes from:
- reads of resident identity: the views/API through wijkteam.services.audit_identity_read(s);
- refused accesses: RefusedAccessAuditMiddleware (a 404 or 403 raised by a view: the scoped
  selectors' lookups raise Http404 for an object outside the user's scope) and, for the API,
  api.errors.handle calling audit_refused;
- sign-in events: Django's user_logged_in / user_logged_out / user_login_failed, axes'
  user_locked_out and accounts' second_factor_checked (receivers below, connected in ready());
- writes: the services of cases, memberships and pool settings record their own events (with a
  detail that says what changed); questions, triage decisions, sessions and time entries are
  recorded by post_save/post_delete receivers their apps connect with audit_writes_of();
  whatever the functional admin changes in the Django admin, from the admin's own log entries.

The chain (seq, prev_hash, row_hash) is the database's work: see migration 0010.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.http import Http404

from accounts.request_context import client_ip, current_request, current_request_id
from wijkteam.models import AuditEvent

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from accounts.models import User

_PSEUDONYM = re.compile(r"C-[0-9A-Z]{6}")


def _channel(request: HttpRequest | None, default: str = "web") -> str:
    if request is None:
        return "task"
    if request.path.startswith("/api/"):
        return "api"
    return default


def audit_event(
    *,
    action: str,
    object_type: str,
    object_id: int | None = None,
    actor: User | None = None,
    actor_id: int | None = None,
    on_behalf_of_id: int | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    case_pseudonym: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
    channel: str | None = None,
) -> AuditEvent:
    """An unsaved event with the request's address, agent, path and id filled in (for one
    create() or a bulk_create() of many)."""
    request = request if request is not None else current_request()
    return AuditEvent(
        actor=actor,
        actor_id=actor.pk if actor is not None else actor_id,
        on_behalf_of_id=on_behalf_of_id,
        action=action,
        result=result,
        object_type=object_type[:40],
        object_id=object_id,
        case_pseudonym=case_pseudonym[:8],
        detail=detail[:200],
        channel=channel or _channel(request),
        path=(request.get_full_path()[:300] if request is not None else ""),
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""),
        request_id=(getattr(request, "request_id", "") if request is not None else "")
        or current_request_id(),
    )


def audit_write(**kwargs: Any) -> AuditEvent:
    event = audit_event(**kwargs)
    event.save()
    return event


def _request_user(request: HttpRequest | None) -> User | None:
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


# --- Refused accesses -----------------------------------------------------------------------------
def audit_refused(request: HttpRequest, exc: Exception) -> AuditEvent | None:
    """A signed-in user was refused an object or a page (404 outside their scope, or 403)."""
    user = _request_user(request)
    if user is None:
        return None
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    object_id = next(
        (int(v) for v in kwargs.values() if isinstance(v, int) or str(v).isdigit()), None
    )
    pseudonym = next((str(v) for v in kwargs.values() if _PSEUDONYM.fullmatch(str(v))), "")
    status = "403" if "PermissionDenied" in type(exc).__name__ else "404"
    return audit_write(
        actor=user,
        action=AuditEvent.Action.ACCESS,
        result=AuditEvent.Result.REFUSED,
        object_type=f"url:{match.view_name}" if match is not None else "url:?",
        object_id=object_id if object_id is None or object_id < 2**63 else None,
        case_pseudonym=pseudonym,
        detail=f"{request.method} answered {status}",
        request=request,
    )


class RefusedAccessAuditMiddleware:
    """Every Http404 / PermissionDenied a view raises for a signed-in user is written down.
    (A URL that matches no pattern never reaches a view and is not an object refused.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404 | PermissionDenied):
            audit_refused(request, exception)
        return None  # Django answers as it would have


# --- Sign-in events -------------------------------------------------------------------------------
def _account_for(username: str | None) -> User | None:
    from accounts.models import User

    if not username:
        return None
    return User.objects.filter(email__iexact=username.strip()).first()


def _on_logged_in(sender, request, user, **kwargs):
    audit_write(
        actor=user,
        action=AuditEvent.Action.SIGN_IN,
        object_type=user._meta.label,
        object_id=user.pk,
        request=request,
    )


def _on_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    audit_write(
        actor=user,
        action=AuditEvent.Action.SIGN_OUT,
        object_type=user._meta.label,
        object_id=user.pk,
        request=request,
    )


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The typed name is not stored (it may be anything, even someone else's name): the account
    # when it exists, else "unknown account".
    account = _account_for((credentials or {}).get("username"))
    audit_write(
        actor=account,
        action=AuditEvent.Action.SIGN_IN,
        result=AuditEvent.Result.FAILURE,
        object_type="accounts.User",
        object_id=account.pk if account else None,
        detail="" if account else "unknown account",
        request=request,
    )


def _on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    account = _account_for(username)
    audit_write(
        actor=account,
        action=AuditEvent.Action.LOCK_OUT,
        result=AuditEvent.Result.REFUSED,
        object_type="accounts.User",
        object_id=account.pk if account else None,
        detail="" if account else "unknown account",
        request=request,
    )


def _on_second_factor(sender, request, user, success, **kwargs):
    audit_write(
        actor=user,
        action=AuditEvent.Action.SECOND_FACTOR,
        result=AuditEvent.Result.SUCCESS if success else AuditEvent.Result.FAILURE,
        object_type=user._meta.label,
        object_id=user.pk,
        request=request,
    )


def audit_api_sign_in_failed(request: HttpRequest) -> AuditEvent:
    """An API request with a token that was refused (unknown, revoked, expired, inactive)."""
    return audit_write(
        action=AuditEvent.Action.SIGN_IN,
        result=AuditEvent.Result.FAILURE,
        object_type="accounts.ApiToken",
        detail="API token refused",
        request=request,
        channel="api",
    )


def _on_admin_log_entry(sender, instance, created, raw=False, **kwargs):
    """A change made in the Django admin (the functional admin's): the admin's own log entry,
    as an audit event. The entry's object_repr may name a resident: it is not copied."""
    if not created or raw:
        return
    from django.contrib.admin.models import ADDITION, DELETION

    action = {ADDITION: AuditEvent.Action.CREATE, DELETION: AuditEvent.Action.DELETE}.get(
        instance.action_flag, AuditEvent.Action.UPDATE
    )
    content_type = instance.content_type
    object_id = str(instance.object_id or "")
    audit_write(
        actor_id=instance.user_id,
        action=action,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "?",
        object_id=int(object_id) if object_id.isdigit() else None,
        detail="in the admin",
        channel="admin",
    )


def connect_sign_in_receivers() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    from accounts.signals import second_factor_checked

    user_logged_in.connect(_on_logged_in, dispatch_uid="audit-logged-in")
    user_logged_out.connect(_on_logged_out, dispatch_uid="audit-logged-out")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="audit-locked-out")
    second_factor_checked.connect(_on_second_factor, dispatch_uid="audit-second-factor")
    from django.contrib.admin.models import LogEntry

    post_save.connect(_on_admin_log_entry, sender=LogEntry, dispatch_uid="audit-admin-log")


# --- Writes recorded from the models' signals -----------------------------------------------------
def _case_pseudonym(instance: Model) -> str:
    """The case's pseudonym when it is at hand without a query (the instance's own or a loaded
    relation's); the object id says the rest."""
    seen: set[int] = set()
    while instance is not None and id(instance) not in seen:
        seen.add(id(instance))
        pseudonym = getattr(instance, "pseudonym", None)
        if isinstance(pseudonym, str):
            return pseudonym
        cache = instance._state.fields_cache
        instance = cache.get("case") or cache.get("question")  # type: ignore[assignment]
    return ""


def _detail(instance: Model, update_fields: Iterable[str] | None) -> str:
    parts = []
    status = getattr(instance, "status", None)
    if isinstance(status, str):
        parts.append(f"status {status}")
    if update_fields:
        parts.append("fields " + ", ".join(sorted(update_fields)))
    return "; ".join(parts)


def audit_writes_of(
    model: type[Model], *, on_behalf_of: Callable[[Any], int | None] | None = None
) -> None:
    """Record every save and delete of `model` (ids, status and changed field names only)."""
    label = model._meta.label

    def _record(instance, action: str, update_fields=None) -> None:
        request = current_request()
        actor = _request_user(request)
        behalf = on_behalf_of(instance) if on_behalf_of is not None else None
        audit_write(
            actor=actor,
            on_behalf_of_id=behalf if actor is None or behalf != actor.pk else None,
            action=action,
            object_type=label,
            object_id=instance.pk,
            case_pseudonym=_case_pseudonym(instance),
            detail=_detail(instance, update_fields),
            request=request,
        )

    def _saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
        if raw:  # fixtures
            return
        action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
        _record(instance, action, update_fields)

    def _deleted(sender, instance, **kwargs):
        _record(instance, AuditEvent.Action.DELETE)

    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"audit-save-{label}")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"audit-delete-{label}")


# --- The chain ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainCheck:
    rows: int
    last_hash: str
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""

    @property
    def holds(self) -> bool:
        return self.broken_id is None


_FIRST_BROKEN_LINK = """
SELECT id, seq, reason FROM (
    SELECT id, seq,
        CASE
            WHEN seq IS NULL THEN 'not in the chain'
            WHEN COALESCE(previous_seq, 0) <> seq - 1 THEN 'rows missing before it'
            WHEN prev_hash <> COALESCE(previous_hash, '') THEN 'does not link to the row before'
            WHEN row_hash <> recomputed THEN 'its content was changed'
        END AS reason
    FROM (
        SELECT e.id, e.seq, e.prev_hash, e.row_hash,
            wijkteam_auditevent_hash(e.prev_hash, e) AS recomputed,
            lag(e.row_hash) OVER w AS previous_hash, lag(e.seq) OVER w AS previous_seq
        FROM wijkteam_auditevent e WINDOW w AS (ORDER BY e.seq NULLS FIRST, e.id)
    ) t
) checked
WHERE reason IS NOT NULL ORDER BY seq NULLS FIRST, id LIMIT 1
"""


def audit_chain_verify() -> ChainCheck:
    """Recompute the chain in the database, with the trigger's own hash function: the first row
    that is out of place, was changed, or follows removed rows (migration 0010)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), (SELECT row_hash FROM wijkteam_auditevent"
            " WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) FROM wijkteam_auditevent"
        )
        rows, last_hash = cursor.fetchone()
        cursor.execute(_FIRST_BROKEN_LINK)
        broken = cursor.fetchone()
    if broken is None:
        return ChainCheck(rows=rows, last_hash=last_hash or "")
    return ChainCheck(
        rows=rows,
        last_hash=last_hash or "",
        broken_id=broken[0],
        broken_seq=broken[1],
        reason=broken[2],
    )
