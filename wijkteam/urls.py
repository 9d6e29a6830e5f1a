"""wijkteam's own pages; config/urls.py mounts them with consultation's team pages in the
"wijkteam" namespace."""

from django.urls import path

from wijkteam import views

urlpatterns = [
    path("inwoner-aanmelden/", views.resident_new, name="resident-new"),
    path("casussen/<str:pseudonym>/", views.case_detail, name="case"),
    path("casussen/<str:pseudonym>/inwoner/", views.resident_edit, name="resident-edit"),
    path("casussen/<str:pseudonym>/casusregie/", views.case_hand_over_view, name="case-hand-over"),
]
