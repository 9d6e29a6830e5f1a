from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Triage")

    def ready(self):
        # Every triage claim and decision is audited (ids only: wijkteam.audit).
        from triage.models import TriageClaim, TriageDecision
        from wijkteam.audit import audit_writes_of

        for model in (TriageClaim, TriageDecision):
            audit_writes_of(model)
