"""Closing a case. The case is wijkteam's; the rule that it waits for its questions is
consultation's, which knows when a question is done (workflow.FINAL), so the service is here.

The rule: a case is closed only when every question about it is closed, withdrawn or
redirected. Closing refuses otherwise and names the open questions: a question the team still
waits on, or that experts still advise on, is not silently dropped. And while a case is closed
nothing new starts on it: no new question, no reopened one (`require_open_case`).

Locks: case_close locks the case and only reads its questions; question_create locks the case
before it inserts, question_reopen locks the question and then the case. Close never waits on a
question, so they never deadlock, and whichever locks the case first wins: a question asked or
reopened in the same instant either makes the close refuse, or is itself refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultation import workflow
from consultation.models import Status
from wijkteam.models import AuditEvent, Case
from wijkteam.selectors import may_steer_case
from wijkteam.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

LISTED = 5  # open questions named in the refusal; the rest are counted


def require_open_case(*, case_id: int) -> None:
    """Refuse work that starts something on a closed case; holds the case's row lock until the
    end of the transaction (see the module docstring)."""
    status = (
        Case.objects.select_for_update(no_key=True)
        .filter(pk=case_id)
        .values_list("status", flat=True)
        .first()
    )
    if status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: nothing new can start on it."))


def _open_questions_refusal(titles: list[tuple[str, str]]) -> ValidationError:
    named = "; ".join(f"“{title}” ({Status(status).label})" for title, status in titles[:LISTED])
    rest = len(titles) - LISTED
    if rest > 0:
        more = ngettext("and %(count)s more question", "and %(count)s more questions", rest) % {
            "count": rest
        }
        named = f"{named}; {more}"
    return ValidationError(
        _("The case still has open questions. Close or withdraw them first: %(questions)s.")
        % {"questions": named}
    )


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Case:
    """Close the case (its owner or the team lead), once every question about it is done."""
    # Locked: a second close (a double click without a token, two people at once) finds it
    # closed and refuses, so the audit log says "closed" once.
    case = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    if not may_steer_case(user=actor, case=case):
        raise PermissionDenied(_("Only the case owner or the team lead can close the case."))
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is already closed."))
    still_open = list(
        case.questions.exclude(status__in=workflow.FINAL)
        .order_by("created_at", "pk")
        .values_list("title", "status")
    )
    if still_open:
        raise _open_questions_refusal(still_open)
    case.status = Case.Status.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=case,
        case=case,
        detail="closed",
        request=request,
        channel=channel,
    )
    return case
