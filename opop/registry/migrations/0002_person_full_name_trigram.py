"""A trigram index for searching people by part of their name (`full_name__icontains`).

Django writes `icontains` on PostgreSQL as `UPPER("full_name"::text) LIKE UPPER('%…%')`, so the
index is on that expression. PostgreSQL only; on SQLite the migration does nothing (the same
query still works there, just without this index).
"""

from django.db import migrations

INDEX = "registry_person_full_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person "
        "USING gin ((UPPER(full_name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
