"""Reads of patient data written outside the chain until a SEAL entry covers them (audit.seals).

The SEAL action, and a partial index on the unchained entries (`position` 0) by organization
and `seq`, which the sealing job and verify read. No existing entry changes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_per_organization_keyed_chains'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'Created'), ('update', 'Changed'), ('delete', 'Deleted'), ('view', 'Viewed'), ('login', 'Signed in'), ('login_failed', 'Failed sign-in'), ('logout', 'Signed out'), ('bulk', 'Bulk operation'), ('seal', 'Sealed reads')], max_length=16),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('position', 0)), fields=['organization_id', 'seq'], name='audit_unchained_reads'),
        ),
    ]
