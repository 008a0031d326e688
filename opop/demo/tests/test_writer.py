import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from opop.demo.programmes import JATIM
from opop.demo.seed import programme_ensure
from opop.demo.writer import RowWriter
from opop.registry.models import Person

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="indexes are only dropped on PostgreSQL"
)


def _person(writer, programme, *, name, nik_hash):
    return {
        "id": writer.new_id(Person),
        "programme_id": programme.pk,
        "full_name": name,
        "nik_hash": nik_hash,
        "regency_id": "35.78",
    }


def _indexes_and_foreign_keys(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1", [table]
        )
        return indexes, cursor.fetchall()


def test_written_rows_get_the_model_defaults_and_timestamps():
    programme = programme_ensure(JATIM)
    now = timezone.now()
    writer = RowWriter(now=now)
    row = _person(writer, programme, name="Siti Aminah", nik_hash="a" * 64)
    writer.write(Person, [row])
    person = Person.objects.get(pk=row["id"])
    assert person.full_name == "Siti Aminah"
    assert person.created_at == now and person.updated_at == now
    assert person.phone == "" and person.anonymised_at is None


@postgresql_only
def test_a_big_load_puts_every_index_and_foreign_key_back():
    programme = programme_ensure(JATIM)
    table = Person._meta.db_table
    before = _indexes_and_foreign_keys(table)
    writer = RowWriter(now=timezone.now())
    with writer.indexes_deferred([Person]):
        assert _indexes_and_foreign_keys(table) != before
        writer.write(Person, [_person(writer, programme, name="Ahmad", nik_hash="b" * 64)])
    assert _indexes_and_foreign_keys(table) == before


@postgresql_only
def test_a_duplicate_nik_loaded_without_indexes_still_fails():
    programme = programme_ensure(JATIM)
    writer = RowWriter(now=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic(), writer.indexes_deferred([Person]):
        writer.write(
            Person,
            [
                _person(writer, programme, name="Ahmad", nik_hash="c" * 64),
                _person(writer, programme, name="Ahmad Fauzi", nik_hash="c" * 64),
            ],
        )
    assert not Person.objects.filter(nik_hash="c" * 64).exists()
