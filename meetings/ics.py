"""iCalendar (RFC 5545 / iTIP RFC 5546) for sessions: the attachment of an invitation, update or
cancellation, and the personal calendar feed.

No case content, ever (DESIGN §4.5): an event says "Expertiseoverleg, 3 casussen", when, where,
and links to the session page, which is behind sign-in and the session's visibility. The UID is
the session's own (stable across moves), SEQUENCE the session's (raised by every move and the
cancellation), so a calendar client replaces its copy instead of adding a second one."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Invitation, Session

if TYPE_CHECKING:
    from collections.abc import Iterable

PRODID = "-//Wijkexpert//Sessions//NL"
ZONE = ZoneInfo(settings.TIME_ZONE)
PARTSTAT: dict[str, str] = {
    Invitation.Response.PENDING: "NEEDS-ACTION",
    Invitation.Response.ACCEPTED: "ACCEPTED",
    Invitation.Response.DECLINED: "DECLINED",
}


def session_url(session: Session | int) -> str:
    pk = session if isinstance(session, int) else session.pk
    return settings.SITE_URL.rstrip("/") + reverse("meetings:session", args=[pk])


def cases(item_count: int) -> str:
    """ "3 casussen": the count of live agenda items, never what they are."""
    if not item_count:
        return _("no cases yet")
    return ngettext("%(count)d case", "%(count)d cases", item_count) % {"count": item_count}


def title(item_count: int) -> str:
    """ "Expertiseoverleg, 3 casussen"."""
    if not item_count:
        return _("Expert session")
    return _("Expert session, %(cases)s") % {"cases": cases(item_count)}


def location(session: Session) -> str:
    return session.place or session.video_link


def _organizer(session: Session) -> vCalAddress:
    # The application's own address, not the planner's: answers are given in the app (the
    # session page), and a calendar client's reply should not land in someone's inbox.
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'noreply@wijkexpert.nl'}")
    organizer.params["cn"] = vText(session.pool.name if session.pool_id else name or "Wijkexpert")
    return organizer


def _attendee(invitation: Invitation) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{invitation.user.email}")
    attendee.params["cn"] = vText(invitation.user.get_full_name() or invitation.user.email)
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = PARTSTAT.get(invitation.response, "NEEDS-ACTION")
    # Answered in the app, not by a calendar reply.
    attendee.params["rsvp"] = "FALSE"
    return attendee


def event(
    *,
    session: Session,
    item_count: int,
    invitation: Invitation | None = None,
    sequence: int | None = None,
    cancelled: bool = False,
) -> Event:
    vevent = Event()
    vevent.add("uid", f"{session.uid}@wijkexpert")
    vevent.add("sequence", session.sequence if sequence is None else sequence)
    vevent.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    vevent.add("dtstart", session.starts_at.astimezone(ZONE))
    vevent.add("dtend", session.ends_at.astimezone(ZONE))
    vevent.add("summary", title(item_count))
    url = session_url(session)
    vevent.add("url", url)
    where = location(session)
    if where:
        vevent.add("location", where)
    lines = [_("Agenda and who comes: %(url)s") % {"url": url}]
    if session.place and session.video_link:
        lines.append(_("Video link: %(link)s") % {"link": session.video_link})
    vevent.add("description", "\n".join(lines))
    vevent.add("organizer", _organizer(session))
    if invitation is not None:
        vevent.add("attendee", _attendee(invitation))
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return vevent


def _calendar(
    method: str | None, events: Iterable[tuple[Event, datetime, datetime]], *, name: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:  # the subscribed calendar's name (an extension most clients read)
        calendar.add("x-wr-calname", name)
    first: date | None = None
    last: date | None = None
    for vevent, starts_at, ends_at in events:
        calendar.add_component(vevent)
        first = min(first or starts_at.date(), starts_at.date())
        last = max(last or ends_at.date(), ends_at.date())
    if first is not None and last is not None:
        # The zone's rules only for the span the calendar needs, not 1970-2038.
        calendar.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return calendar.to_ical()


def invitation_ics(
    *, session: Session, invitation: Invitation, sequence: int, item_count: int, cancel: bool
) -> bytes:
    """The attachment for one invitee: METHOD:REQUEST (invitation or update) or METHOD:CANCEL."""
    vevent = event(
        session=session,
        item_count=item_count,
        invitation=invitation,
        sequence=sequence,
        cancelled=cancel,
    )
    return _calendar(
        "CANCEL" if cancel else "REQUEST", [(vevent, session.starts_at, session.ends_at)]
    )


def feed_ics(*, invitations: Iterable[Invitation], name: str) -> bytes:
    """A person's calendar feed: their sessions (each invitation with its session and the
    annotation `item_count`), cancelled ones as STATUS:CANCELLED."""
    events = []
    for invitation in invitations:
        session = invitation.session
        cancelled = session.status == Session.Status.CANCELLED
        vevent = event(
            session=session,
            item_count=getattr(invitation, "item_count", 0),
            invitation=invitation,
            cancelled=cancelled,
        )
        events.append((vevent, session.starts_at, session.ends_at))
    return _calendar(None, events, name=name)
