"""The expert's availability, posted from the profile page (expertise.profile)."""

from django.urls import path

from expertise import profile

app_name = "availability"

urlpatterns = [
    path("beschikbaarheid/", profile.week_save, name="week"),
    path("afwezigheid/", profile.absence_add, name="absence-add"),
    path("afwezigheid/<int:pk>/verwijderen/", profile.absence_remove, name="absence-remove"),
]
