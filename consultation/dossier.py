"""The right of access (AVG art. 15): everything stored about a resident, for the team lead to
hand over, as JSON and as a readable PDF (config.pdf, as for the dashboard's report).

Served here, not in wijkteam, because most of what is stored about a resident is in the
questions about their cases. Read through the chokepoints: the caller has already fetched the
case and the resident through wijkteam's selectors (cases_visible_to, residents_visible_to);
what is gathered here is that resident's, of that resident's own team.

Not included, and said so in the export: time entries (hours) and triage decisions name a
question only, never the resident (their notes are the professionals', in a layer above this
one); e-mail and in-app notifications carry no case content (DESIGN §4.5).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from config.pdf import html_to_pdf
from consultation.models import Question
from wijkteam.models import AuditEvent, Resident

# The audit rows of the export: who read the identity and changed what (the "recipients" of
# art. 15(1)(c)); the newest first, bounded so a long-lived resident's export stays a document.
AUDIT_ROWS = 500


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _question(question: Question) -> dict[str, Any]:
    return {
        "title": question.title,
        "status": str(question.get_status_display()),
        "pool": question.pool.name,
        "asked_by": _person(question.asked_by),
        "created_at": _when(question.created_at),
        "submitted_at": _when(question.submitted_at),
        "closed_at": _when(question.closed_at),
        "situation": question.situation,
        "tried": question.tried,
        "question": question.question,
        "summary": question.summary,
        "urgency": str(question.get_urgency_display()),
        "help_form": str(question.get_help_form_display()),
        "life_domains": [d.name for d in question.life_domains.all()],
        "target_groups": [g.name for g in question.target_groups.all()],
        "messages": [
            {
                "kind": str(m.get_kind_display()),
                "author": _person(m.author),
                "discipline": m.author_discipline,
                "at": _when(m.created_at),
                "body": m.body,
            }
            for m in question.messages.all()
        ],
        "attachments": [
            {
                "name": a.name,
                "note": a.note,
                "type": a.content_type,
                "size": a.size,
                "at": _when(a.created_at),
            }
            for a in question.attachments.all()
        ],
        "earlier_versions": [
            {"title": r.title, "summary": r.summary, "at": _when(r.created_at)}
            for r in question.revisions.all()
        ],
        "history": [
            {
                "from": str(t.get_from_status_display()),
                "to": str(t.get_to_status_display()),
                "reason": t.reason_display,
                "by": _person(t.actor),
                "at": _when(t.created_at),
            }
            for t in question.transitions.all()
        ],
        "close_outs": [
            {
                "effect": str(c.get_direction_display()),
                "escalation": str(c.get_escalation_display()),
                "comment": c.comment,
                "at": _when(c.created_at),
            }
            for c in question.close_outs.all()
        ],
    }


def resident_dossier(*, resident: Resident) -> dict[str, Any]:
    """Everything stored about `resident` (a resident the caller may see; see the module
    docstring), as plain data for JSON and the PDF alike."""
    cases = list(resident.cases.select_related("owner", "team").order_by("created_at", "pk"))
    questions = (
        Question.objects.filter(case__resident=resident)
        .select_related("pool", "asked_by", "case")
        .prefetch_related(
            "life_domains",
            "target_groups",
            "messages__author",
            "attachments",
            "revisions",
            "transitions__actor",
            "close_outs",
        )
        .order_by("created_at", "pk")
    )
    by_case: dict[int, list] = {}
    for question in questions:
        by_case.setdefault(question.case_id, []).append(_question(question))
    about = Q(object_type=Resident._meta.label, object_id=resident.pk) | Q(
        case_pseudonym__in=[c.pseudonym for c in cases]
    )
    audit = AuditEvent.objects.filter(about).select_related("actor").order_by("-created_at")
    audit = audit[:AUDIT_ROWS]
    return {
        "generated_at": _when(timezone.now()),
        "controller": resident.team.municipality.name,
        "team": resident.team.name,
        "resident": {
            "first_name": resident.first_name,
            "last_name": resident.last_name,
            "date_of_birth": resident.date_of_birth.isoformat(),
            "postcode": resident.postcode,
            "household": str(resident.get_household_display()),
            "registered_by": _person(resident.created_by),
            "registered_at": _when(resident.created_at),
            "anonymised_at": _when(resident.anonymised_at),
        },
        "cases": [
            {
                "pseudonym": case.pseudonym,
                "status": str(case.get_status_display()),
                "owner": _person(case.owner),
                "created_at": _when(case.created_at),
                "closed_at": _when(case.closed_at),
                "questions": by_case.get(case.pk, []),
            }
            for case in cases
        ],
        "erasures": [
            {
                "ground": str(e.get_ground_display()),
                "reason": e.reason,
                "by": _person(e.erased_by),
                "fields_removed": e.fields_removed,
                "counts": e.counts,
                "at": _when(e.created_at),
            }
            for e in resident.erasures.select_related("erased_by")
        ],
        "access_log": [
            {
                "at": _when(event.created_at),
                "who": _person(event.actor),
                "action": str(event.get_action_display()),
                "case": event.case_pseudonym,
                "channel": event.channel,
            }
            for event in audit
        ],
        "purpose": _(
            "Support by the district team, and advice on the case from experts who see only "
            "the case's pseudonym, an age band and the household composition."
        ),
        "retention": _(
            "The identity is anonymised %(months)s months after the last case is closed."
        )
        % {"months": settings.RESIDENT_RETENTION_MONTHS},
        "not_included": _(
            "Notifications and e-mails (they carry no case content), time entries and triage "
            "decisions (they name a question, never the resident)."
        ),
    }


def as_json(dossier: dict[str, Any]) -> bytes:
    return json.dumps(dossier, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def as_pdf(dossier: dict[str, Any]) -> bytes:
    return html_to_pdf(
        render_to_string("consultation/resident_dossier_pdf.html", {"dossier": dossier})
    )
