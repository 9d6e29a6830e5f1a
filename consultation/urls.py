from django.urls import path

from consultation import views

app_name = "consultation"

urlpatterns = [
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/alles-gelezen/", views.notifications_read_all, name="notifications-read"),
    path("meldingen/<int:notification_pk>/", views.notification_open, name="notification"),
    path("<int:pk>/", views.question_detail, name="question"),
    path("<int:pk>/bewerken/", views.question_edit, name="question-edit"),
    path("<int:pk>/oppakken/", views.question_pick_up, name="pick-up"),
    path("<int:pk>/advies/", views.question_advise, name="advise"),
    path("<int:pk>/verduidelijking/", views.question_request_clarification, name="clarify"),
    path("<int:pk>/bericht/", views.question_reply, name="reply"),
    path("<int:pk>/afsluiten/", views.question_close, name="close"),
    path("<int:pk>/heropenen/", views.question_reopen, name="reopen"),
    path("<int:pk>/intrekken/", views.question_withdraw, name="withdraw"),
    path("<int:pk>/bijlagen/", views.attachment_add, name="attachment-add"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
