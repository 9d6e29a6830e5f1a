from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Consultation")

    def ready(self):
        # Every write to a question and what hangs on it is audited (ids only: wijkteam.audit).
        from consultation.models import Attachment, CloseOut, Message, Question, QuestionExpert
        from wijkteam.audit import audit_writes_of

        for model in (Question, QuestionExpert, Message, Attachment, CloseOut):
            audit_writes_of(model)
