"""System-written reasons are stored as codes and shown in the reader's language; what a
person typed is shown as typed."""

from django.utils import translation

from consultation.models import QuestionTransition, Reason
from triage.models import RedirectTarget, TriageDecision


def _shown(code: str = "", reason: str = "") -> str:
    return QuestionTransition(reason_code=code, reason=reason).reason_display


def test_system_reasons_are_shown_in_dutch():
    with translation.override("nl"):
        assert _shown(Reason.ADVICE_GIVEN) == "advies gegeven"
        assert _shown(Reason.REDIRECTED_GP) == "doorverwezen: terug naar de huisarts"
        assert _shown(Reason.ROUTED_TRIAGE) == "in de triagewachtrij gezet"
        # Free text typed by a person after a system reason stays as typed.
        assert _shown(Reason.DECLINED, "Karin: geen uren") == "afgezegd door Karin: geen uren"
        assert _shown("", "Nieuwe brief van de verhuurder") == "Nieuwe brief van de verhuurder"
        decision = TriageDecision(redirect_target=RedirectTarget.GP)
        assert decision.get_redirect_target_display() == "terug naar de huisarts"


def test_english_readers_get_english():
    with translation.override("en"):
        assert _shown(Reason.ADVICE_GIVEN) == "advice given"


def test_every_reason_has_a_dutch_label():
    with translation.override("nl"):
        same = [code.value for code in Reason if str(Reason(code).label) == _english(code)]
        assert same == []


def _english(code: Reason) -> str:
    with translation.override("en"):
        return str(Reason(code).label)
