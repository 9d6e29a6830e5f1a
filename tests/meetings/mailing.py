"""Helpers for the session e-mail tests: the attachment parsed back, and every text of a mail
(to look for case content in)."""

from icalendar import Calendar

from tests.consultation.cast import CANARY_STRINGS


def calendar_of(message) -> Calendar | None:
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if mimetype.startswith("text/calendar"):
            return Calendar.from_ical(content)
    return None


def event_of(message):
    calendar = calendar_of(message)
    assert calendar is not None, "no .ics attached"
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def every_text(message) -> str:
    """Subject, body, attachments and the whole encoded message."""
    parts = [message.subject, message.body, message.message().as_string()]
    parts += [str(attachment[1]) for attachment in message.attachments]
    return "\n".join(parts)


def case_content(question) -> list[str]:
    """What must never be in a session's mail or calendar: the resident's identity, the
    question's words, the case's pseudonym."""
    return [
        *CANARY_STRINGS,
        question.title,
        question.situation[:40],
        question.question[:40],
        question.case.pseudonym,
    ]


def assert_no_case_content(text: str, question) -> None:
    leaked = [needle for needle in case_content(question) if needle and needle in text]
    assert leaked == []
