"""The API against its own OpenAPI document (issue 13), with schemathesis: every operation, as
every role that can hold a token (and without one), a few generated requests each, through the
WSGI application. No answer may be a 500, and every answer must be one the document describes
(status code, content type, body schema). Bounded and deterministic: max_examples per operation,
derandomized, no shrinking, no example database, so `make test` stays fast and repeatable."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.roles import Role
from accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = [
    Role.GENERALIST,
    Role.TEAM_LEAD,
    Role.EXPERT,
    Role.TRIAGE,
    Role.COORDINATOR,
    Role.MUNICIPALITY_ADMIN,
    Role.REGION_ADMIN,
]


@pytest.fixture(scope="module")
def api_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = WSGIHandler()
    return schema


@contextmanager
def connections_kept_open():
    """What Django's test client does around a request: the handler's request_started /
    request_finished would close the test's database connection (and its transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _user(cast, make_user, role):
    return {
        Role.GENERALIST: cast.generalist,
        Role.EXPERT: cast.expert,
        Role.TEAM_LEAD: cast.team_lead,
        Role.TRIAGE: cast.triage,
        Role.MUNICIPALITY_ADMIN: cast.municipality_admin,
    }.get(role) or make_user(role)


def test_every_operation_answers_as_documented_to_every_role(api_schema, cast, make_user, settings):
    """Each generated request is sent once per role: the cases are drawn once per operation,
    the answers checked for everyone (generating is half the cost of a run)."""
    settings.MEDIA_ROOT = "/nonexistent-media-root"
    cast.ask()  # a submitted question: the lists have rows of both kinds to validate
    cast.ask(submit=False)
    as_role = {"anonymous": {}}
    for role in ROLES:
        _token, secret = api_token_create(user=_user(cast, make_user, role), name="schemathesis")
        as_role[str(role)] = {"Authorization": f"Token {secret}"}

    failures: dict[str, str] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            for name, headers in as_role.items():
                try:
                    response = case.call(headers=headers)
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - all of them
                    failures.setdefault(f"{case.operation.label} as {name}", str(failure))

        with connections_kept_open():
            exercise()
    assert not failures, "\n\n".join(f"{where}: {what}" for where, what in failures.items())


# --- What the document says, read directly -------------------------------------------------
@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                yield f"{method.upper()} {path}", operation


def test_a_question_matches_exactly_one_schema_of_the_oneof(document):
    """The two representations are told apart by `audience`, a required single-value enum of
    each: an answer can never validate against both (the discriminator names the mapping)."""
    schemas = document["components"]["schemas"]
    for name in ("Question", "QuestionListItem"):
        assert schemas[name]["discriminator"]["propertyName"] == "audience"
    values = {}
    for kind in ("QuestionForTeam", "QuestionForExpert"):
        assert "audience" in schemas[kind]["required"]
        (ref,) = schemas[kind]["properties"]["audience"]["allOf"]
        values[kind] = schemas[ref["$ref"].rsplit("/", 1)[1]]["enum"]
    assert values == {"QuestionForTeam": ["team"], "QuestionForExpert": ["expert"]}


def test_the_answers_carry_their_audience(cast, token_client):
    question = cast.ask()
    team = token_client(cast.generalist).get(f"/api/v1/questions/{question.pk}/").json()
    expert = token_client(cast.expert).get(f"/api/v1/questions/{question.pk}/").json()
    assert (team["audience"], expert["audience"]) == ("team", "expert")
    assert "resident_id" in team and "resident_id" not in expert


def test_every_operation_documents_its_errors(document):
    for where, operation in _operations(document):
        responses = operation["responses"]
        for code in ("401", "403", "404", "429"):
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (where, code)
        if "400" in responses:
            options = responses["400"]["content"]["application/json"]["schema"]["anyOf"]
            assert {"$ref": "#/components/schemas/FieldErrors"} in options, where


def test_the_privacy_guard_s_400_is_documented_where_it_runs(document):
    paths = document["paths"]
    for path, method in [
        ("/api/v1/questions/", "post"),
        ("/api/v1/questions/{id}/", "patch"),
        ("/api/v1/questions/{id}/submit/", "post"),
        ("/api/v1/questions/{id}/reply/", "post"),
    ]:
        schema = paths[path][method]["responses"]["400"]["content"]["application/json"]["schema"]
        assert {"$ref": "#/components/schemas/PrivacyError"} in schema["anyOf"], path


def test_required_strings_of_requests_may_not_be_empty(document):
    """A string a request must give, and that may not be blank, says minLength 1 (so a client,
    and schemathesis, knows "" is refused)."""
    missing = []
    for name, schema in document["components"]["schemas"].items():
        if not name.endswith("Request"):
            continue
        for field in schema.get("required", []):
            prop = schema["properties"][field]
            if prop.get("type") == "string" and not {"enum", "format", "minLength"} & set(prop):
                missing.append(f"{name}.{field}")
    assert not missing
    body = document["components"]["schemas"]["MessageBodyRequest"]["properties"]["body"]
    assert body["minLength"] == 1
