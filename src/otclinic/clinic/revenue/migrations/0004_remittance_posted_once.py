from django.db import migrations, models


class Migration(migrations.Migration):
    """A payment posts once: the unique constraints posting relies on (see Remittance)."""

    dependencies = [
        ("revenue", "0003_remittance_recognised_by_payer_and_trace"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='remittance',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('payer_key', ''), _negated=True), models.Q(('trace_number', ''), _negated=True)), fields=('organization', 'payer_key', 'trace_number', 'payment_amount'), name='remittance_posted_once_by_trace'),
        ),
        migrations.AddConstraint(
            model_name='remittance',
            constraint=models.UniqueConstraint(condition=models.Q(('trace_number', ''), models.Q(('content_sha256', ''), _negated=True)), fields=('organization', 'content_sha256'), name='remittance_posted_once_by_content'),
        ),
    ]
