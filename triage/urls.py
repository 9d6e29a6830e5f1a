from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.home, name="home"),
    path("volgende/", views.claim_next, name="claim-next"),
    path("toegewezen/", views.assigned, name="assigned"),
    path("vragen/<int:pk>/", views.question_page, name="question"),
    path("vragen/<int:pk>/claimen/", views.claim, name="claim"),
    path("vragen/<int:pk>/vrijgeven/", views.release, name="release"),
    path("toewijzing/<int:pk>/accepteren/", views.accept, name="accept"),
    path("toewijzing/<int:pk>/afwijzen/", views.decline, name="decline"),
]
