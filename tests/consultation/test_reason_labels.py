"""System-written reasons are stored language-neutral and shown in the reader's language."""

from django.utils import translation

from consultation.templatetags.wijkexpert import reason_label


def test_system_reasons_are_shown_in_dutch():
    with translation.override("nl"):
        assert reason_label("advice given") == "advies gegeven"
        assert reason_label("redirected: back to the GP") == "doorverwezen: terug naar de huisarts"
        assert reason_label("routed by the pool's collaboration model (triage)") == (
            "in de triagewachtrij gezet"
        )
        # Free text typed by a person after a known prefix stays as typed.
        assert reason_label("declined by Karin: geen uren") == "afgezegd door Karin: geen uren"
        assert reason_label("Nieuwe brief van de verhuurder") == "Nieuwe brief van de verhuurder"


def test_english_readers_get_english():
    with translation.override("en"):
        assert reason_label("advice given") == "advice given"
