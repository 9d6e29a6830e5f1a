from django.urls import path

from meetings.views import sessions

app_name = "meetings"

urlpatterns = [
    path("", sessions.home, name="home"),
    path("<int:pk>/", sessions.detail, name="session"),
    path("uitnodiging/<int:pk>/", sessions.respond, name="respond"),
]
