"""The audit log holds in the database itself (issue 13, NEN 7513).

1. A hash chain: a BEFORE INSERT trigger takes an advisory lock (held until the inserting
   transaction ends, so two concurrent inserts cannot both link to the same last row), gives the
   row the next `seq` and `row_hash` = sha256(previous row's hash | this row's content). The
   content function is the one `manage.py audit_verify` recomputes with, so a changed, removed
   or inserted row shows as the first broken link. Rows that exist already are chained here,
   oldest first.
2. The application's role (settings.DATABASE_APP_ROLE, default wijkexpert_app): created when
   missing and when the migrating role may create roles (LOGIN, no password: with password
   authentication the operator sets one; with trust authentication, as on a developer's machine
   and in the embedded PostgreSQL, it signs in as is). It gets SELECT, INSERT, UPDATE, DELETE on
   every table, except the audit table: only SELECT and INSERT; no TRUNCATE anywhere; and the
   same for tables later migrations create (default privileges of the migrating role, the
   owner). Migrations keep running as the owner (DATABASE_URL); web, worker and beat connect as
   the application's role (DATABASE_APP_URL; `make run` derives it, config.launcher).
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

# NEN 7513: the advisory lock's key, the same in every database (locks are per database).
AUDIT_LOCK_KEY = 7513

CHAIN = """
CREATE OR REPLACE FUNCTION wijkteam_auditevent_content(r wijkteam_auditevent) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(
        r.id, r.seq, r.actor_id, r.on_behalf_of_id, r.action, r.result, r.object_type,
        r.object_id, r.case_pseudonym, r.detail, r.channel, r.path, host(r.ip_address),
        r.user_agent, r.request_id,
        to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text
$$;

CREATE OR REPLACE FUNCTION wijkteam_auditevent_hash(prev text, r wijkteam_auditevent)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(prev || '|' || wijkteam_auditevent_content(r), 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION wijkteam_auditevent_chain() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    -- Until the transaction ends: the next insert waits, then sees this row (a new snapshot
    -- per statement in a VOLATILE function under READ COMMITTED).
    PERFORM pg_advisory_xact_lock(LOCK_KEY);
    SELECT seq, row_hash INTO last_seq, last_hash
        FROM wijkteam_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    NEW.seq := COALESCE(last_seq, 0) + 1;
    NEW.prev_hash := COALESCE(last_hash, '');
    NEW.row_hash := wijkteam_auditevent_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END;
$$;

DO $$
DECLARE
    r wijkteam_auditevent;
    prev text := '';
    n bigint := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(LOCK_KEY);
    SET CONSTRAINTS ALL IMMEDIATE;
    ALTER TABLE wijkteam_auditevent DISABLE TRIGGER wijkteam_auditevent_no_update_delete;
    FOR r IN SELECT * FROM wijkteam_auditevent ORDER BY created_at, id LOOP
        n := n + 1;
        r.seq := n;
        r.prev_hash := prev;
        r.row_hash := wijkteam_auditevent_hash(prev, r);
        UPDATE wijkteam_auditevent SET seq = r.seq, prev_hash = r.prev_hash, row_hash = r.row_hash
            WHERE id = r.id;
        prev := r.row_hash;
    END LOOP;
    SET CONSTRAINTS ALL IMMEDIATE;
    ALTER TABLE wijkteam_auditevent ENABLE TRIGGER wijkteam_auditevent_no_update_delete;
END;
$$;

CREATE TRIGGER wijkteam_auditevent_chain
    BEFORE INSERT ON wijkteam_auditevent
    FOR EACH ROW EXECUTE FUNCTION wijkteam_auditevent_chain();
"""

CHAIN = CHAIN.replace("LOCK_KEY", str(AUDIT_LOCK_KEY))

UNCHAIN = """
DROP TRIGGER IF EXISTS wijkteam_auditevent_chain ON wijkteam_auditevent;
DROP FUNCTION IF EXISTS wijkteam_auditevent_chain();
DROP FUNCTION IF EXISTS wijkteam_auditevent_hash(text, wijkteam_auditevent);
DROP FUNCTION IF EXISTS wijkteam_auditevent_content(wijkteam_auditevent);
"""


def app_role() -> str:
    role = getattr(settings, "DATABASE_APP_ROLE", "wijkexpert_app")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ImproperlyConfigured("DATABASE_APP_ROLE must be a plain lower-case role name.")
    return role


def grants_sql(role: str) -> str:
    # The role name is checked by app_role(): a plain identifier, not input.
    return """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ROLE_NAME') THEN
        BEGIN
            CREATE ROLE ROLE_NAME LOGIN;
        EXCEPTION
            -- Another database's migration (a parallel test run) made it just now.
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'role ROLE_NAME is missing and cannot be created here: the operator '
                    'creates it and runs this migration''s grants (docs: SECURITY)';
                RETURN;
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ROLE_NAME', current_schema());
    EXECUTE format(
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ROLE_NAME',
        current_schema()
    );
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ROLE_NAME', current_schema());
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ROLE_NAME',
        current_schema()
    );
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO ROLE_NAME',
        current_schema()
    );
    -- The audit log: read and append, nothing else.
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON wijkteam_auditevent FROM ROLE_NAME;
END;
$$;
""".replace("ROLE_NAME", role)


def grant(apps, schema_editor):
    schema_editor.execute(grants_sql(app_role()), params=None)


def revoke(apps, schema_editor):
    role = app_role()
    schema_editor.execute(
        """
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'ROLE_NAME') THEN
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM ROLE_NAME', current_schema());
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM ROLE_NAME', current_schema());
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM ROLE_NAME',
            current_schema()
        );
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM ROLE_NAME',
            current_schema()
        );
    END IF;
END;
$$;
""".replace("ROLE_NAME", role),
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("wijkteam", "0009_audit_chain")]

    operations = [
        migrations.RunSQL(CHAIN, UNCHAIN),
        migrations.RunPython(grant, revoke, elidable=False),
    ]
