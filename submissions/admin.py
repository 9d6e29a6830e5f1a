from django.contrib import admin

from submissions.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: rows are made by the submits they guard and cleared after a day."""

    list_display = ["created_at", "user", "channel", "scope", "status_code"]
    list_filter = ["channel"]
    list_select_related = ["user"]
    search_fields = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
