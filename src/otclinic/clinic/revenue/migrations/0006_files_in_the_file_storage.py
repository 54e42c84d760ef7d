"""837P files move from a database column into the file storage, and an imported 835 file is
kept there too, so that several web servers share them (the local folder or object storage)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import otclinic.clinic.revenue.models


def batches_to_storage(apps, schema_editor):
    ClaimBatch = apps.get_model("revenue", "ClaimBatch")
    for batch in ClaimBatch.objects.select_related("payer").iterator():
        payer_id = "".join(c for c in batch.payer.payer_id if c.isalnum()) or "payer"
        wanted = f"claims/{batch.organization_id}/837P-{batch.interchange_control_number:09d}-{payer_id}.x12"
        name = default_storage.save(wanted, ContentFile(batch.content.encode("ascii")))
        ClaimBatch.objects.filter(pk=batch.pk).update(file=name)


def batches_to_database(apps, schema_editor):
    ClaimBatch = apps.get_model("revenue", "ClaimBatch")
    for batch in ClaimBatch.objects.iterator():
        with default_storage.open(batch.file.name, "rb") as handle:
            content = handle.read().decode("ascii")
        ClaimBatch.objects.filter(pk=batch.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("revenue", "0005_remittance_service_unmatched_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimbatch",
            name="file",
            field=models.FileField(
                default="",
                max_length=200,
                upload_to=otclinic.clinic.revenue.models.batch_path,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="claimbatch",
            name="content",
            field=models.TextField(default=""),
        ),
        migrations.RunPython(batches_to_storage, batches_to_database, elidable=False),
        migrations.RemoveField(
            model_name="claimbatch",
            name="content",
        ),
        migrations.AddField(
            model_name="remittance",
            name="file",
            field=models.FileField(
                blank=True,
                help_text="The imported 835 file, in the file storage",
                max_length=200,
                upload_to="",
            ),
        ),
        migrations.AddField(
            model_name="remittance",
            name="file_name",
            field=models.CharField(
                blank=True, help_text="The imported file's name as it was uploaded", max_length=200
            ),
        ),
    ]
