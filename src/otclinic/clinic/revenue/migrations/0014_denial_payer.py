"""Each denial keeps the payer its claim was billed to, and the work queue's index: the queue
groups and pages the open denials without joining every claim and coverage."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_payers(apps: Any, schema_editor: Any) -> None:
    Claim = apps.get_model("revenue", "Claim")
    Denial = apps.get_model("revenue", "Denial")
    payer = Claim.objects.filter(pk=OuterRef("claim_id")).values("coverage__payer_id")[:1]
    Denial.objects.filter(payer__isnull=True).update(payer_id=Subquery(payer))


class Migration(migrations.Migration):
    dependencies = [
        ("payers", "0007_coverage_authorizations"),
        ("revenue", "0013_claim_crossover_and_scrub_results"),
    ]

    operations = [
        migrations.AddField(
            model_name="denial",
            name="payer",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="payers.payer",
                help_text="The payer the claim was billed to, which denied it",
            ),
        ),
        migrations.RunPython(fill_payers, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="denial",
            name="payer",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="payers.payer",
                help_text="The payer the claim was billed to, which denied it",
            ),
        ),
        migrations.AddIndex(
            model_name="denial",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("open", "appealed", "corrected", "billed_secondary"))
                ),
                fields=["organization", "payer", "reason_code", "created_at"],
                name="denial_open_queue",
            ),
        ),
    ]
