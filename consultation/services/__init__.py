"""Writes for questions. Keyword-only, typed, named <entity>_<action> (DESIGN §6).

Split by who writes: the asking team (`asking`), the experts (`advising`); what they share is in
`common`. Every status change goes through consultation.workflow, on the row that
consultation.access.question_for_update locked.
"""

from consultation.services.advising import (
    attachment_add,
    notifications_mark_read,
    question_advise,
    question_mark_read,
    question_pick_up,
    question_request_clarification,
)
from consultation.services.asking import (
    ROUTE_BY_MODEL,
    pools_serving,
    question_close,
    question_create,
    question_delete_draft,
    question_reopen,
    question_reply,
    question_submit,
    question_update_draft,
    question_withdraw,
)
from consultation.services.cases import case_close, require_open_case
from consultation.services.common import (
    PrivacyCheckRequired,
    QuestionInput,
    grant_expert,
    join,
    matching_experts,
    participants,
    post,
    privacy_check,
)
from consultation.uploads import ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES

__all__ = [
    "ALLOWED_ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "ROUTE_BY_MODEL",
    "PrivacyCheckRequired",
    "QuestionInput",
    "attachment_add",
    "case_close",
    "grant_expert",
    "join",
    "matching_experts",
    "notifications_mark_read",
    "participants",
    "pools_serving",
    "post",
    "privacy_check",
    "question_advise",
    "question_close",
    "question_create",
    "question_delete_draft",
    "question_mark_read",
    "question_pick_up",
    "question_reopen",
    "question_reply",
    "question_request_clarification",
    "question_submit",
    "question_update_draft",
    "question_withdraw",
    "require_open_case",
]
