"""The e-mail of one SessionMail row: Dutch subject and body, and for an invitation, update or
cancellation the .ics attachment (meetings.ics). No case content: the pool, when, where, how
many cases are on the agenda, and the link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from consultation import delivery
from meetings import ics
from meetings.models import AgendaItem, Session, SessionMail
from meetings.selectors import LIVE_ITEMS

Kind = SessionMail.Kind


def _when(session: Session) -> str:
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    day = dateformat.format(starts, "l j F Y")
    if starts.date() == ends.date():
        return f"{day}, {starts:%H:%M}–{ends:%H:%M}"
    return f"{day}, {starts:%H:%M} – {dateformat.format(ends, 'l j F Y')}, {ends:%H:%M}"


def item_count(session: Session) -> int:
    return AgendaItem.objects.filter(session=session, status__in=LIVE_ITEMS).count()


def _is_update(row: SessionMail) -> bool:
    """A request after an earlier one reached (or may have reached) the invitee."""
    return (
        row.kind == Kind.REQUEST
        and SessionMail.objects.filter(
            invitation_id=row.invitation_id,
            kind=Kind.REQUEST,
            sequence__lt=row.sequence,
            state__in=(SessionMail.State.SENT, SessionMail.State.SENDING),
        ).exists()
    )


def message(row: SessionMail) -> EmailMessage:
    """The message of a claimed row (its invitation, user and session loaded)."""
    invitation = row.invitation
    session = invitation.session
    count = item_count(session)
    # The project keeps no language per person: the interface's own (Dutch).
    with translation.override(settings.LANGUAGE_CODE):
        title = ics.title(count)
        context = {
            "kind": row.kind,
            "update": _is_update(row),
            "pool": session.pool.name,
            "title": title,
            "agenda": ics.cases(count),
            "when": _when(session),
            "place": session.place,
            "video_link": session.video_link,
            "url": ics.session_url(session),
            "recipient": invitation.user,
        }
        subject = render_to_string("meetings/email/session_mail_subject.txt", context).strip()
        body = render_to_string("meetings/email/session_mail.txt", context)
        attachment = None
        if row.kind in (Kind.REQUEST, Kind.CANCEL):
            attachment = ics.invitation_ics(
                session=session,
                invitation=invitation,
                sequence=row.sequence,
                item_count=count,
                cancel=row.kind == Kind.CANCEL,
            )
    mail = EmailMessage(
        subject,
        body,
        to=[invitation.user.email],
        headers={"Message-ID": delivery.message_id("sessionmail", row.pk)},
    )
    if attachment is not None:
        method = "CANCEL" if row.kind == Kind.CANCEL else "REQUEST"
        name = "afgelast.ics" if row.kind == Kind.CANCEL else "uitnodiging.ics"
        mail.attach(name, attachment.decode(), f"text/calendar; method={method}; charset=UTF-8")
    return mail
