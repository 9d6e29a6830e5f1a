"""The audit log is append-only in the database itself, not just in the ORM: UPDATE and DELETE
on wijkteam_auditevent raise, whoever connects. (TRUNCATE needs table ownership, which the
application role should not have in production; Django's test flush relies on it.)"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION wijkteam_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'wijkteam_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER wijkteam_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON wijkteam_auditevent
    FOR EACH ROW EXECUTE FUNCTION wijkteam_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS wijkteam_auditevent_no_update_delete ON wijkteam_auditevent;
DROP FUNCTION IF EXISTS wijkteam_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("wijkteam", "0002_districtteam_group_auditevent_resident_case_and_more")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
