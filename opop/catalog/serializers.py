"""What the product API shows, and which filters its lists take.

The scoped API (`/api/v1/products/`) shows a product as its pages do. The public list of
curated products (`/api/v1/public/curated-products/`) shows only what a buyer needs: names,
price, the pesantren and kab/kota, grade and validity, the halal number and a thumbnail. It
never carries personal data: no owner or contact names, phones, addresses or NIK.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opop.catalog.models import Category, Certification, Product, ProductPhoto
from opop.common.api import RegionRefSerializer


def absolute(request, url: str | None) -> str | None:
    if not url:
        return None
    return request.build_absolute_uri(url) if request is not None else url


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CertificationSerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField(
        help_text="A certificate document is on file (downloadable on the product page)."
    )

    class Meta:
        model = Certification
        fields = ["kind", "number", "issued_on", "expires_on", "has_document"]
        read_only_fields = fields

    def get_has_document(self, certification) -> bool:
        return bool(certification.document)


class PhotoSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = ProductPhoto
        fields = ["image", "thumbnail"]
        read_only_fields = fields

    def get_image(self, photo) -> str | None:
        return absolute(self.context.get("request"), photo.image.url if photo.image else None)

    def get_thumbnail(self, photo) -> str | None:
        return absolute(
            self.context.get("request"), photo.thumbnail.url if photo.thumbnail else None
        )


class CurationRefSerializer(serializers.Serializer):
    grade = serializers.CharField(read_only=True)
    valid_until = serializers.DateField(read_only=True)


class ProductSerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    enterprise = EnterpriseRefSerializer(read_only=True)
    price = serializers.IntegerField(read_only=True, help_text="Whole Rupiah.")
    certifications = CertificationSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    curation = serializers.SerializerMethodField(
        help_text="Produk Unggulan OPOP: the grade and validity of the curation in force "
        "today; null when the product is not curated."
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "category",
            "enterprise",
            "description",
            "price",
            "unit",
            "weight_grams",
            "monthly_capacity",
            "status",
            "certifications",
            "photos",
            "curation",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CurationRefSerializer(allow_null=True))
    def get_curation(self, product) -> dict | None:
        grade = getattr(product, "curation_grade", None)
        if not grade:
            return None
        return CurationRefSerializer({"grade": grade, "valid_until": product.curation_until}).data


class PublicCuratedProductSerializer(serializers.Serializer):
    """A curated product as the public sees it. Built from annotations, never from people."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    category = CategoryRefSerializer()
    price = serializers.IntegerField(help_text="Whole Rupiah.")
    unit = serializers.CharField()
    enterprise_name = serializers.CharField(source="enterprise.name")
    pesantren_name = serializers.CharField(
        source="public_pesantren_name", allow_null=True, help_text="The pesantren behind it."
    )
    regency = RegionRefSerializer(source="enterprise.regency", help_text="Kabupaten/kota.")
    grade = serializers.CharField(source="curation_grade")
    valid_until = serializers.DateField(
        source="curation_until", help_text="Produk Unggulan OPOP until this day."
    )
    halal_number = serializers.CharField(
        source="public_halal_number", allow_null=True, help_text="BPJPH halal certificate."
    )
    thumbnail_url = serializers.SerializerMethodField()

    def get_thumbnail_url(self, product) -> str | None:
        name = getattr(product, "public_thumbnail", None)
        if not name:
            return None
        url = ProductPhoto._meta.get_field("thumbnail").storage.url(name)
        return absolute(self.context.get("request"), url)


# --- Query parameters -----------------------------------------------------------------------


class ProductFilterSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text="Part of the name, any case."
    )
    category = serializers.IntegerField(required=False, min_value=1, help_text="Category id.")
    status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
    curated = serializers.BooleanField(
        required=False, default=False, help_text="Only Produk Unggulan OPOP (curated today)."
    )


class PublicCuratedFilterSerializer(serializers.Serializer):
    programme = serializers.SlugField(help_text="Programme code, e.g. `jatim`.")
    category = serializers.SlugField(
        required=False, help_text="Category slug; its sub-categories are included."
    )
    regency = serializers.RegexField(
        r"^\d{2}\.\d{2}$", required=False, help_text="Kab/kota code, e.g. `35.78`."
    )
