"""Helpers of the triage service tests: who was told, what the history says, who sees it."""

from consultation.models import Notification, QuestionTransition
from consultation.selectors import questions_visible_to
from triage import services

IN_APP = Notification.Channel.IN_APP
K = Notification.Kind


def notified(question, kind, channel=IN_APP) -> set[int]:
    return set(
        Notification.objects.filter(question=question, kind=kind, channel=channel).values_list(
            "recipient_id", flat=True
        )
    )


def pks(*users) -> set[int]:
    return {u.pk for u in users}


def history(question) -> list[tuple[str, str]]:
    return list(
        QuestionTransition.objects.filter(question=question).values_list("from_status", "to_status")
    )


def visible(user, question) -> bool:
    return questions_visible_to(user=user).filter(pk=question.pk).exists()


def claimed(tri, question=None, worker=None):
    question = question or tri.ask()
    services.triage_claim(worker=worker or tri.worker, question=question)
    return question
