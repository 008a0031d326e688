"""A GIN index for the storefront's full-text search (OPOP Mart), on PostgreSQL only.

The expression is exactly the one `opop/mart/search.py` filters and ranks with, so that
PostgreSQL uses the index; SQLite has no such index (the storefront searches with LIKE there).
"""

from django.db import migrations

INDEX = "catalog_product_search_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_product USING gin "
    "(to_tsvector('indonesian', coalesce(name, '') || ' ' || coalesce(description, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_curation_and_certificate_documents")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
