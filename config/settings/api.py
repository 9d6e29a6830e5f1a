"""The REST API's settings (DRF and drf-spectacular), read by config.settings.base."""

from config.env import env_int

# Personal API tokens stop working this many days after they are made (accounts.tokens).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.VerifiedSessionAuthentication",
        "accounts.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.UncountedPagination",
    "PAGE_SIZE": 25,  # api.pagination.PAGE_SIZE; at most 100 with ?page_size=
    "EXCEPTION_HANDLER": "api.errors.handle",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkexpert API",
    "DESCRIPTION": "Consultatievragen tussen wijkteams en expertisepools.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": ["accounts.api.VerifiedSessionAuthentication"],
    # Self-hosted Swagger UI: no CDN (strict CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get components of their own ("…Request"), where a string that may not be
    # blank says minLength 1; the answers keep their names.
    "COMPONENT_SPLIT_REQUEST": True,
    # 400/401/403/404/422 documented on every operation with their bodies (api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    # Enums are named by field name: several fields called "status" (question, session, agenda
    # item) and "response" need a name each; the question's keeps the name it always had.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "consultation.choices.Status",
        "SessionStatusEnum": "meetings.models.Session.Status",
        "AgendaItemStatusEnum": "meetings.models.AgendaItem.Status",
        "InvitationResponseEnum": "meetings.models.Invitation.Response",
        "InvitationRoleEnum": "meetings.models.Invitation.Role",
        "RedirectTargetEnum": "triage.models.RedirectTarget",
        "TimeEntryStatusEnum": "hours.models.TimeEntry.Status",
        "TimeEntryActivityEnum": "hours.models.TimeEntry.Activity",
    },
}
