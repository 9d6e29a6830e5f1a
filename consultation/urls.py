"""The question pages under /vragen/, and the pages consultation serves in other areas (the
team's home under /wijkteam/, the expert's inbox under /expert/): config/urls.py mounts them."""

from django.urls import path

from consultation.views import (
    asking,
    cases,
    inbox,
    notifications,
    question,
    residents,
    team_overview,
)

app_name = "consultation"

urlpatterns = [
    path("meldingen/", notifications.notification_list, name="notifications"),
    path(
        "meldingen/alles-gelezen/", notifications.notifications_read_all, name="notifications-read"
    ),
    path("meldingen/<int:notification_pk>/", notifications.notification_open, name="notification"),
    path("<int:pk>/", question.question_detail, name="question"),
    path("<int:pk>/bewerken/", asking.question_edit, name="question-edit"),
    path("<int:pk>/oppakken/", question.question_pick_up, name="pick-up"),
    path("<int:pk>/advies/", question.question_advise, name="advise"),
    path("<int:pk>/verduidelijking/", question.question_request_clarification, name="clarify"),
    path("<int:pk>/bericht/", question.question_reply, name="reply"),
    path("<int:pk>/afsluiten/", question.question_close, name="close"),
    path("<int:pk>/heropenen/", question.question_reopen, name="reopen"),
    path("<int:pk>/intrekken/", question.question_withdraw, name="withdraw"),
    path("<int:pk>/verwijderen/", asking.question_delete, name="question-delete"),
    path("<int:pk>/bijlagen/", question.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/bijlagen/<int:attachment_pk>/",
        question.attachment_download,
        name="attachment",
    ),
]

# Mounted in the "wijkteam" URL namespace, next to wijkteam's own pages.
team_urlpatterns = [
    path("", asking.team_home, name="home"),
    path("casussen/<str:pseudonym>/vraag-stellen/", asking.question_new, name="question-new"),
    path("casussen/<str:pseudonym>/afsluiten/", cases.case_close, name="case-close"),
    path("teamoverzicht/", team_overview.team_overview, name="team-overview"),
    # The resident's rights (AVG): the team lead's, from the case page.
    path(
        "casussen/<str:pseudonym>/inzage.pdf",
        residents.resident_access_pdf,
        name="resident-access-pdf",
    ),
    path(
        "casussen/<str:pseudonym>/inzage.json",
        residents.resident_access_json,
        name="resident-access-json",
    ),
    path("casussen/<str:pseudonym>/wissen/", residents.resident_erase_view, name="resident-erase"),
]

# Mounted as the "expertise" URL namespace (/expert/).
inbox_urlpatterns = [
    path("", inbox.inbox, name="home"),
    path("beantwoord/", inbox.answered, name="answered"),
]
