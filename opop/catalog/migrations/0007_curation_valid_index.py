"""A partial index of the curations that are not revoked, on (product, valid_until), for the
storefront (OPOP Mart): "curated today" is checked for every listed product, and this small index
answers it alone (index-only scan) instead of reading the curation rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_entry_ranking_order_index"),
        ("catalog", "0006_product_name_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="curation",
            index=models.Index(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=["product", "valid_until"],
                name="catalog_curation_valid_idx",
            ),
        ),
    ]
