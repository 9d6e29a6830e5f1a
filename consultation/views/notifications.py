"""The bell's list: in-app notifications (a pseudonym and a kind, never case content)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.pagination import paginate
from consultation import services
from consultation.selectors import notifications_for


def notification_list(request):
    items = paginate(request, notifications_for(user=request.user))
    return render(request, "consultation/notifications.html", {"notifications": items})


@require_POST
def notification_open(request, notification_pk: int):
    notification = notifications_for(user=request.user).filter(pk=notification_pk).first()
    if notification is None:
        raise Http404
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect(reverse("consultation:question", args=[notification.question_id]))


@require_POST
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("consultation:notifications")
