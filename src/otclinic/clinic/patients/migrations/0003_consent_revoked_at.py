from django.db import migrations, models
from django.db.models import F


def revocations_recorded_when_last_saved(apps, schema_editor):  # noqa: ANN001, ANN201
    # Before this field, a revoked consent was last saved when it was revoked.
    Consent = apps.get_model("patients", "Consent")
    Consent.objects.filter(revoked_on__isnull=False).update(revoked_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_consent_scopes_and_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="revoked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(revocations_recorded_when_last_saved, migrations.RunPython.noop),
    ]
