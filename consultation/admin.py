"""Admin for questions. Lists show pseudonyms and titles only, never resident identity."""

from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin

from consultation.models import (
    AdviceRating,
    Attachment,
    CloseOut,
    Message,
    Notification,
    Question,
    QuestionExpert,
    QuestionGroupObjectPermission,
    QuestionRead,
    QuestionRevision,
    QuestionTransition,
    QuestionUserObjectPermission,
)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["kind", "author", "author_discipline", "body", "created_at"]
    readonly_fields = fields
    can_delete = False


class TransitionInline(admin.TabularInline):
    model = QuestionTransition
    extra = 0
    fields = ["from_status", "to_status", "actor", "reason_code", "reason", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Question)
class QuestionAdmin(GuardedModelAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "case", "title", "pool", "status", "urgency", "submitted_at"]
    list_filter = ["status", "urgency", "pool__collaboration_model", "pool"]
    list_select_related = ["case", "pool"]
    search_fields = ["case__pseudonym", "title"]
    raw_id_fields = ["case", "asked_by"]
    # The state machine owns the status: the admin never edits it directly.
    readonly_fields = ["status", "submitted_at", "closed_at", "last_activity_at"]
    filter_horizontal = ["life_domains", "target_groups"]
    inlines = [MessageInline, TransitionInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "question", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["question__case", "author"]
    raw_id_fields = ["question", "author"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "recipient", "kind", "channel", "state", "created_at", "sent_at"]
    list_filter = ["channel", "state", "kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "question"]
    search_fields = ["recipient__email", "event_key"]


class RowsWithTheirRelations(admin.ModelAdmin):
    """A list whose rows are named by their relations (a grant: "question | user | codename"):
    read with a join, not one query per row and relation."""

    list_select_related = True


for model in (
    Attachment,
    CloseOut,
    AdviceRating,
    QuestionExpert,
    QuestionRead,
    QuestionTransition,
    QuestionUserObjectPermission,
    QuestionGroupObjectPermission,
):
    admin.site.register(model, RowsWithTheirRelations)


@admin.register(QuestionRevision)
class QuestionRevisionAdmin(admin.ModelAdmin):
    list_display = ["question", "title", "revised_by", "created_at"]
    list_select_related = ["question__case", "revised_by"]
    raw_id_fields = ["question", "revised_by"]
