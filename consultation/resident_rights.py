"""The resident's rights (AVG): anonymising a resident, when the retention period has ended or
on an erasure request. Here, not in wijkteam, because the resident's identity can also have
reached the free text of the questions about their cases (the privacy guard lets a generalist
confirm a finding), and questions are consultation's.

What anonymising does (SECURITY.md "Retention" lists it for a DPIA):
- the resident's first and last name and postcode are emptied; the date of birth becomes
  1 January of the birth year (the age band experts see on old questions, and the figures, keep
  working); the household composition stays (a category, never identifying on its own);
- in the free text about the resident's cases (question title, situation, tried, question,
  triage summary, earlier versions, messages, close-out comments, status-change and decline
  reasons, attachment names and notes) whatever the privacy guard finds with the resident's own
  identity (name variants, birth date, postcode, BSN-like numbers, phone numbers, e-mail
  addresses) is replaced by REDACTED;
- attachments about the resident's cases are deleted, file and row: their content cannot be
  checked (a scanned letter names the resident);
- one ResidentErasure row says which fields, how many texts and files, when, why, by whom.

What stays: the cases (pseudonym, status, dates), the questions and their history, the figures,
the audit log (which names the resident by id and the case by pseudonym only, never a value),
the team's view grant (ids only; the case page stays reachable for the team).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import (
    Attachment,
    CloseOut,
    Message,
    Question,
    QuestionExpert,
    QuestionRevision,
    QuestionTransition,
)
from consultation.privacy import ResidentIdentity, find_identity_leaks
from wijkteam.models import AuditEvent, Case, Resident, ResidentErasure
from wijkteam.selectors import leads_team
from wijkteam.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

logger = logging.getLogger(__name__)

REDACTED = "[verwijderd]"
REASON_MAX_LENGTH = 500

# The free-text fields about a case, per model, and how each model reaches the case.
_FREE_TEXT = [
    (Question, "case", ("title", "situation", "tried", "question", "summary")),
    (QuestionRevision, "question__case", ("title", "summary")),
    (Message, "question__case", ("body",)),
    (CloseOut, "question__case", ("comment",)),
    (QuestionTransition, "question__case", ("reason",)),
    (QuestionExpert, "question__case", ("decline_reason",)),
]


@dataclass
class Anonymised:
    erasure: ResidentErasure
    fields: list[str] = field(default_factory=list)


def redact(text: str, identity: ResidentIdentity) -> str:
    """`text` with everything the privacy guard finds of `identity` replaced by REDACTED."""
    if not text:
        return text
    found = sorted({f.text for f in find_identity_leaks(text, identity)}, key=len, reverse=True)
    for piece in found:
        text = text.replace(piece, REDACTED)
    return text


def _redact_free_text(*, resident: Resident, identity: ResidentIdentity) -> int:
    """Redact the free text about the resident's cases; returns how many texts changed."""
    changed = 0
    for model, to_case, names in _FREE_TEXT:
        manager = model._default_manager
        rows = manager.filter(**{f"{to_case}__resident": resident}).only("pk", *names)
        for row in rows.iterator(chunk_size=200):
            dirty = []
            for name in names:
                value = getattr(row, name)
                cleaned = redact(value, identity)
                if cleaned != value:
                    limit = getattr(model._meta.get_field(name), "max_length", None)
                    setattr(row, name, cleaned[:limit] if limit else cleaned)
                    dirty.append(name)
            if dirty:
                manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in dirty})
                changed += len(dirty)
    return changed


def _delete_attachments(*, resident: Resident) -> int:
    """Delete the attachments about the resident's cases; the files go once the rows are gone
    for good (after commit: a rollback keeps both)."""
    attachments = list(Attachment.objects.filter(question__case__resident=resident))
    files = [(a.file.storage, a.file.name) for a in attachments if a.file]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()

    def remove_files():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:  # already gone, or the disk refuses: the row is gone either way
                logger.warning("could not delete an attachment file of an anonymised resident")

    transaction.on_commit(remove_files)
    return len(attachments)


def _anonymise_locked(
    *,
    resident: Resident,
    ground: str,
    reason: str = "",
    actor: User | None = None,
) -> Anonymised:
    identity = ResidentIdentity.of(
        resident
    )  # before the fields are emptied: the redaction needs it
    counts = {
        "redacted_texts": _redact_free_text(resident=resident, identity=identity),
        "attachments_deleted": _delete_attachments(resident=resident),
    }
    removed = []
    if resident.first_name:
        removed.append("first_name")
    if resident.last_name:
        removed.append("last_name")
    if resident.postcode:
        removed.append("postcode")
    generalised = date(resident.date_of_birth.year, 1, 1)
    if resident.date_of_birth != generalised:
        removed.append("date_of_birth")
    resident.first_name = resident.last_name = resident.postcode = ""
    resident.date_of_birth = generalised
    resident.anonymised_at = timezone.now()
    resident.save(
        update_fields=["first_name", "last_name", "postcode", "date_of_birth", "anonymised_at"]
    )
    erasure = ResidentErasure.objects.create(
        resident=resident,
        ground=ground,
        reason=reason,
        erased_by=actor,
        fields_removed=removed,
        counts=counts,
    )
    return Anonymised(erasure=erasure, fields=removed)


def retention_cutoff(now=None):
    """Cases closed before this moment are past the retention period."""
    return (now or timezone.now()) - relativedelta(months=settings.RESIDENT_RETENTION_MONTHS)


def residents_past_retention(*, now=None):
    """Residents not yet anonymised with at least one case, every case closed, the last one
    closed before the retention cut-off. A resident with an open case keeps their identity: the
    team still works with it."""
    return (
        Resident.objects.filter(anonymised_at__isnull=True)
        .annotate(
            case_count=Count("cases"),
            open_count=Count("cases", filter=Q(cases__status=Case.Status.OPEN)),
            last_closed=Max("cases__closed_at"),
        )
        .filter(case_count__gt=0, open_count=0, last_closed__lt=retention_cutoff(now))
    )


def resident_anonymise_expired(*, resident_id: int, now=None) -> Anonymised | None:
    """Anonymise one resident past retention; None when there is nothing (left) to do: already
    anonymised (a second run), or a case reopened meanwhile. The resident's row is locked and
    the condition read again under the lock, so two runs at once anonymise once."""
    with transaction.atomic():
        resident = Resident.objects.select_for_update().filter(pk=resident_id).first()
        if resident is None or resident.anonymised_at is not None:
            return None
        if not residents_past_retention(now=now).filter(pk=resident_id).exists():
            return None
        return _anonymise_locked(resident=resident, ground=ResidentErasure.Ground.RETENTION)


@transaction.atomic
def resident_erase(
    *,
    actor: User,
    resident: Resident,
    reason: str,
    case: Case | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Anonymised:
    """Erase the resident's identity now, on their request (AVG art. 17): the team lead of the
    resident's team, with a reason. Audited; a second erasure is refused (nothing left)."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    if not leads_team(user=actor, team_id=resident.team_id):
        raise PermissionDenied(_("Only the team lead can erase a resident's details."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the resident's details are erased.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason to %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}}
        )
    if resident.anonymised_at is not None:
        raise ValidationError(_("This resident's details have already been erased."))
    done = _anonymise_locked(
        resident=resident, ground=ResidentErasure.Ground.REQUEST, reason=reason, actor=actor
    )
    # Field names and the record's id; the reason stays in the record (it may quote the request).
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=resident,
        case=case,
        detail=f"erased on request (record {done.erasure.pk}): " + ", ".join(done.fields),
        request=request,
        channel=channel,
    )
    return done
