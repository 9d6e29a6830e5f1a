"""Every form that makes something, as the double-submit tests send it: who sends it, where,
with what, and how many records of its kind there are (the tests want exactly one).

Each scenario builds its own starting point on the consultation cast (tests/consultation/cast.py;
typed Any here: its people are plain `object`s) through the real services, so the same table
serves the sequential and the concurrent tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation import services
from consultation.models import (
    Attachment,
    CloseOut,
    Message,
    Question,
    QuestionTransition,
    Reason,
    Status,
)
from expertise.models import LifeDomain
from tests.triage.factories import expert_in
from triage import services as triage_services
from triage.models import TriageClaim, TriageDecision
from wijkteam.models import Case, Resident


@dataclass
class Form:
    user: object
    url: str
    data: Callable[[], dict]  # fresh each time: an upload is read when it is sent
    count: Callable[[], int]  # the records this form makes


def _question_fields(cast: Any, **extra) -> dict:
    return {
        "title": "Schuldenlast en energieafsluiting",
        "situation": "De energieleverancier dreigt af te sluiten; er is een betalingsachterstand.",
        "tried": "",
        "question": "Welke regeling is er om afsluiting te voorkomen?",
        "life_domains": [LifeDomain.objects.get(slug="financien").pk],
        "urgency": "normal",
        "help_form": "written",
        "pool": cast.pool.pk,
        **extra,
    }


def _messages(question: Question, kind: str) -> Callable[[], int]:
    return lambda: Message.objects.filter(question=question, kind=kind).count()


def reply(cast: Any) -> Form:
    question = cast.ask()
    return Form(
        cast.generalist,
        reverse("consultation:reply", args=[question.pk]),
        lambda: {"body": "Aanvulling: de verhuurder belde vanochtend."},
        _messages(question, Message.Kind.FOLLOW_UP),
    )


def resident(cast: Any) -> Form:
    """Registering a resident opens their case: one form, two records, each once."""
    return Form(
        cast.generalist,
        reverse("wijkteam:resident-new"),
        lambda: {
            "team": cast.org["team"].pk,
            "first_name": "Brennagh",
            "last_name": "Vellekoop",
            "date_of_birth": "2008-05-14",
            "postcode": "3818 KL",
            "household": "single_parent",
        },
        lambda: (
            Resident.objects.filter(last_name="Vellekoop").count()
            + Case.objects.filter(resident__last_name="Vellekoop").count()
            - 1
        ),
    )


def question_sent(cast: Any) -> Form:
    return Form(
        cast.generalist,
        reverse("wijkteam:question-new", args=[cast.case.pseudonym]),
        lambda: _question_fields(cast, send="1"),
        lambda: Question.objects.filter(
            case=cast.case, title="Schuldenlast en energieafsluiting", status=Status.OPEN
        ).count(),
    )


def draft_saved(cast: Any) -> Form:
    return Form(
        cast.generalist,
        reverse("wijkteam:question-new", args=[cast.case.pseudonym]),
        lambda: _question_fields(cast, draft="1"),
        lambda: Question.objects.filter(case=cast.case, status=Status.DRAFT).count(),
    )


def draft_sent(cast: Any) -> Form:
    draft = cast.ask(submit=False)
    return Form(
        cast.generalist,
        reverse("consultation:question-edit", args=[draft.pk]),
        lambda: _question_fields(cast, send="1"),
        lambda: QuestionTransition.objects.filter(
            question=draft, to_status=Status.SUBMITTED
        ).count(),
    )


def advice(cast: Any) -> Form:
    question = cast.ask()
    return Form(
        cast.expert,
        reverse("consultation:advise", args=[question.pk]),
        lambda: {"body": "Vraag een betalingsregeling aan bij de leverancier."},
        _messages(question, Message.Kind.ADVICE),
    )


def clarification_request(cast: Any) -> Form:
    question = cast.ask()
    return Form(
        cast.expert,
        reverse("consultation:clarify", args=[question.pk]),
        lambda: {"body": "Is er al contact met de schuldhulp?"},
        _messages(question, Message.Kind.CLARIFICATION_REQUEST),
    )


def close_out(cast: Any) -> Form:
    question = cast.ask()
    given = services.question_advise(actor=cast.expert, question=question, body="Bel ze op.")
    return Form(
        cast.generalist,
        reverse("consultation:close", args=[question.pk]),
        lambda: {
            f"rating_{given.pk}": "4",
            "direction": "confirmed",
            "escalation": "avoided",
            "comment": "",
        },
        lambda: CloseOut.objects.filter(question=question).count(),
    )


def reopen(cast: Any) -> Form:
    question = cast.ask()
    services.question_close(
        actor=cast.generalist, question=question, direction="confirmed", escalation="avoided"
    )
    return Form(
        cast.generalist,
        reverse("consultation:reopen", args=[question.pk]),
        lambda: {"reason": "Er is iets nieuws gebeurd."},
        lambda: (
            QuestionTransition.objects.filter(question=question, to_status=Status.OPEN)
            .exclude(from_status=Status.SUBMITTED)
            .count()
        ),
    )


def document(cast: Any) -> Form:
    question = cast.ask()
    return Form(
        cast.generalist,
        reverse("consultation:attachment-add", args=[question.pk]),
        lambda: {"file": SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief"), "note": "De brief"},
        lambda: Attachment.objects.filter(question=question).count(),
    )


# --- Triage ------------------------------------------------------------------------------------
def _claimed(cast: Any) -> Question:
    """A question in the triage pool's queue (org["pool"]), claimed by the cast's worker."""
    question = services.question_create(
        actor=cast.generalist,
        case=cast.case,
        pool=cast.org["pool"],
        data=services.QuestionInput(
            title="Dreigende ontruiming",
            situation="Huurachterstand.",
            tried="",
            question="Wat nu?",
        ),
        life_domains=LifeDomain.objects.filter(slug="financien"),
    )
    question = services.question_submit(actor=cast.generalist, question=question)
    triage_services.triage_claim(worker=cast.triage, question=question)
    return question


def _decision(kind: str, fields: Callable[[Any], dict]) -> Callable[[Any], Form]:
    def scenario(cast: Any) -> Form:
        question = _claimed(cast)
        data = {"decision": kind, **{f"{kind}-{k}": v for k, v in fields(cast).items()}}
        return Form(
            cast.triage,
            reverse("triage:question", args=[question.pk]),
            lambda: data,
            lambda: TriageDecision.objects.filter(question=question, kind=kind).count(),
        )

    scenario.__name__ = f"triage_{kind}"
    return scenario


def _triage_expert(cast: Any) -> dict:
    expert = expert_in([cast.org["pool"]], domains=["financien"])
    return {"experts": [str(expert.pk)], "reason": "Schulden"}


TRIAGE_DECISIONS = [
    _decision("answer", lambda cast: {"body": "Meld het gezin aan bij de schuldhulp."}),
    _decision("clarify", lambda cast: {"body": "Hoe oud zijn de kinderen?"}),
    _decision(
        "sharpen",
        lambda cast: {"title": "Ontruiming dreigt", "summary": "Huur vier maanden achter."},
    ),
    _decision("assign", _triage_expert),
    _decision("session", lambda cast: {"reason": "Schulden en opvoeding"}),
    _decision("redirect", lambda cast: {"target": "regular_care", "note": "Eerst de POH."}),
]


def next_question(cast: Any) -> Form:
    """'Give me the next question': a double click must not claim two."""
    for _ in range(2):
        question = _claimed(cast)
        triage_services.triage_release(worker=cast.triage, question=question)
    return Form(
        cast.triage,
        reverse("triage:claim-next"),
        lambda: {},
        lambda: TriageClaim.objects.filter(worker=cast.triage).count(),
    )


def decline(cast: Any) -> Form:
    question = _claimed(cast)
    expert = expert_in([cast.org["pool"]], domains=["financien"])
    triage_services.triage_assign(worker=cast.triage, question=question, experts=[expert])
    return Form(
        expert,
        reverse("triage:decline", args=[question.pk]),
        lambda: {"reason": "Geen ruimte deze maand."},
        lambda: (
            question.experts.filter(declined_at__isnull=False).count()
            + QuestionTransition.objects.filter(
                question=question, reason_code=Reason.DECLINED
            ).count()
            - 1
        ),
    )


def absence(cast: Any) -> Form:
    """An expert's absence, on the profile page (expertise.profile)."""
    from datetime import timedelta

    from django.utils import timezone

    from expertise.models import Absence

    first = timezone.localdate() + timedelta(days=14)
    return Form(
        cast.expert,
        reverse("availability:absence-add"),
        lambda: {
            "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=4)).isoformat(),
            "kind": "holiday",
            "note": "",
        },
        lambda: Absence.objects.filter(expert__user=cast.expert).count(),
    )


FORMS = [
    reply,
    resident,
    question_sent,
    draft_saved,
    draft_sent,
    advice,
    clarification_request,
    close_out,
    reopen,
    document,
    *TRIAGE_DECISIONS,
    next_question,
    decline,
    absence,
]
