"""The product name's search vector, stored, for the storefront's ranking (OPOP Mart), on
PostgreSQL only.

`name_vector` is a generated column, `to_tsvector('indonesian', coalesce(name, ''))`, computed by
PostgreSQL itself on every INSERT and UPDATE (whatever writes the row: a form, a service,
`QuerySet.update()`, COPY), so it can never go stale. The storefront ranks matches with
`ts_rank(name_vector, query)` instead of parsing each match's name again (thousands of matches
for a common word). Matching still uses the GIN expression index of 0004: a GIN match needs no
recheck of the text, so storing the name-and-description vector as well would only make every
row bigger (measured: no faster, and a third more heap to read).

Not a model field: SQLite has no `tsvector` (the storefront searches with LIKE there), and
Django never writes it. `opop/mart/search.py` names it in its SQL on PostgreSQL.
"""

from django.db import migrations

ADD = (
    "ALTER TABLE catalog_product ADD COLUMN IF NOT EXISTS name_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('indonesian', coalesce(name, ''))) STORED"
)
DROP = "ALTER TABLE catalog_product DROP COLUMN IF EXISTS name_vector"


def add_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_product_category_newest_index")]

    operations = [migrations.RunPython(add_column, drop_column, elidable=False)]
