"""The audit log, mounted at /audit/ (config/urls.py)."""

from django.urls import path

from wijkteam import audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.audit_log, name="log"),
    path("export.csv", audit_views.audit_export, name="export"),
]
