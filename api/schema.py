"""The error answers of the OpenAPI document, in one place (a drf-spectacular postprocessing
hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

Every operation can answer 401 (a token was offered and refused), 403 (no credentials, or "you
may see this, but not do that"), 404 (an object outside your scope, or a page past the end)
and 429 (too many wrong tokens from one address, accounts.tokens): the hook documents them all
with the shared Error body, so a client (and schemathesis in `make test`) knows every answer it
can get. A 400 is field errors ({field: [message, …]}) or a
detail (a body that is no JSON); where the privacy guard runs, also the guard's findings. A 422
(Idempotency-Key reused) is a detail.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "What went wrong, in one sentence.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: {field: [message, …]}; `non_field_errors` for the body as a "
    "whole. A nested field's errors are an object of the same shape (or a list of them, one "
    "per item).",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "array", "items": {"type": "object"}},
            {"type": "object"},
        ]
    },
    "minProperties": 1,
}
DESCRIPTIONS = {
    "400": "Bad input: field errors, or a body that is no JSON.",
    "401": "A token was offered and refused (unknown, revoked or expired); the answer carries a "
    "`WWW-Authenticate: Token` challenge.",
    "403": "No credentials; or you may see this, but not do that.",
    "404": "Not found, or outside your scope (never a 403 for an object you may not see).",
    "422": "The Idempotency-Key was used for another request (another path or body).",
    "429": "Too many requests with a wrong API token from this address: wait (Retry-After).",
}
METHODS = {"get", "put", "post", "patch", "delete"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def _bad_request(existing: dict | None) -> dict:
    schema = (existing or {}).get("content", {}).get("application/json", {}).get("schema")
    options = [_ref("FieldErrors"), _ref("Error")]
    description = DESCRIPTIONS["400"]
    if schema == _ref("PrivacyError"):
        options.insert(0, schema)
        description = (existing or {}).get("description") or description
    return {"description": description, "content": _json({"anyOf": options})}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FieldErrors"] = FIELD_ERRORS
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            takes_input = bool(operation.get("requestBody")) or any(
                parameter.get("in") != "path" for parameter in operation.get("parameters", [])
            )
            if takes_input or "400" in responses:
                responses["400"] = _bad_request(responses.get("400"))
            for code in ("401", "403", "404", "429"):
                responses[code] = {
                    "description": responses.get(code, {}).get("description") or DESCRIPTIONS[code],
                    "content": _json(_ref("Error")),
                }
            if "422" in responses:
                responses["422"] = {
                    "description": responses["422"].get("description") or DESCRIPTIONS["422"],
                    "content": _json(_ref("Error")),
                }
            operation["responses"] = dict(sorted(responses.items()))
    return result
