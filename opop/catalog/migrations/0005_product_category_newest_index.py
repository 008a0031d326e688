"""An index for the storefront's category pages (OPOP Mart): a category's active products,
newest first, read in index order instead of sorting every product of the category."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_product_search_index")]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["category", "status", "-created_at", "-id"],
                name="catalog_product_cat_new_idx",
            ),
        ),
    ]
