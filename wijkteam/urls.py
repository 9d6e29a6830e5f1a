"""wijkteam's own pages; config/urls.py mounts them with consultation's team pages in the
"wijkteam" namespace."""

from django.urls import path

from wijkteam import views

urlpatterns = [
    path("inwoner-aanmelden/", views.resident_new, name="resident-new"),
    path("casussen/<str:pseudonym>/", views.case_detail, name="case"),
]
