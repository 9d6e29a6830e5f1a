"""Views of the REST API, one module per resource. Thin: validate input, fetch through a scoped
selector, call one service; api.errors maps what the services raise."""

from api.views.notifications import NotificationViewSet
from api.views.questions import QuestionViewSet
from api.views.residents import CaseViewSet, ResidentViewSet

__all__ = ["CaseViewSet", "NotificationViewSet", "QuestionViewSet", "ResidentViewSet"]
