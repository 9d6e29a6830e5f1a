from django.urls import path

from consultation import views as consultation_views
from wijkteam import views

app_name = "wijkteam"

urlpatterns = [
    path("", views.home, name="home"),
    path("inwoner-aanmelden/", views.resident_new, name="resident-new"),
    path("casussen/<str:pseudonym>/", views.case_detail, name="case"),
    path(
        "casussen/<str:pseudonym>/vraag-stellen/",
        consultation_views.question_new,
        name="question-new",
    ),
]
