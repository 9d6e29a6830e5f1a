from django.urls import path

from meetings.views import agenda, planning, series, sessions

app_name = "meetings"

urlpatterns = [
    path("", sessions.home, name="home"),
    path("plannen/", planning.plan_start, name="plan-start"),
    path("plannen/<int:pool_pk>/", planning.plan, name="plan"),
    path("vast-overleg/<int:pool_pk>/", series.edit, name="series"),
    path("<int:pk>/", sessions.detail, name="session"),
    path("<int:pk>/verplaatsen/", planning.move, name="move"),
    path("<int:pk>/annuleren/", planning.cancel, name="cancel"),
    path("<int:pk>/gehouden/", planning.hold, name="hold"),
    path("<int:pk>/agenda/", agenda.add, name="agenda-add"),
    path("<int:pk>/agenda/<int:item_pk>/eraf/", agenda.remove, name="agenda-remove"),
    path("<int:pk>/agenda/<int:item_pk>/uitkomst/", agenda.outcome, name="outcome"),
    path("<int:pk>/agenda/<int:item_pk>/doorschuiven/", agenda.carry_over, name="carry-over"),
    path("<int:pk>/uitnodigen/", agenda.invite, name="invite"),
    path("uitnodiging/<int:pk>/", sessions.respond, name="respond"),
]
