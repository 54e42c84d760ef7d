"""Payers, with their billing policy, each patient's coverage, and the clinic's own codes."""

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from otclinic.clinic.common.models import OrgOwned
from otclinic.clinic.common.validators import STATE_CHOICES, validate_member_id
from otclinic.domain.codes import (
    AssistantModifierPolicy,
    CoveragePriority,
    Discipline,
    PayerPlan,
    UnitMethod,
)
from otclinic.domain.identifiers import (
    member_id_format_for,
    member_id_formats,
    member_id_problem_for,
)


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


def member_id_format_choices() -> list[tuple[str, str]]:
    return [(key, fmt.name) for key, fmt in member_id_formats().items()]


class Payer(OrgOwned):
    """An insurer or program the clinic bills. Blank policy fields follow the engine's default."""

    name = models.CharField(max_length=120)
    payer_id = models.CharField(
        "payer id", max_length=20, help_text="X12 payer id (NM109 of 2010BB)"
    )
    plan_kind = models.CharField(max_length=24, choices=_choices(PayerPlan))
    unit_method = models.CharField(
        max_length=16,
        choices=_choices(UnitMethod),
        blank=True,
        help_text="Blank: the plan's default",
    )
    assistant_modifier_policy = models.CharField(
        max_length=16, choices=_choices(AssistantModifierPolicy), blank=True
    )
    progress_interval_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Treatment days between progress reports; blank: default"
    )
    timely_filing_days = models.PositiveSmallIntegerField(default=365)
    claim_filing_indicator = models.CharField(
        max_length=2, default="CI", help_text="X12 SBR09: MB Medicare B, MC Medicaid, CI commercial"
    )
    member_id_format = models.CharField(
        "member id format",
        max_length=40,
        blank=True,
        choices=member_id_format_choices,
        help_text="The format of this payer's member ids; blank: the plan's default "
        "(the MBI for Medicare Part B)",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "payer_id"], name="payer_id_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(plan_kind__in=[p.value for p in PayerPlan]),
                name="payer_plan_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Coverage(OrgOwned):
    """A patient's membership in a payer's plan, in force between two dates."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="coverages"
    )
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    member_id = models.CharField(max_length=30, validators=[validate_member_id])
    group_number = models.CharField(max_length=30, blank=True)
    priority = models.CharField(
        max_length=10, choices=_choices(CoveragePriority), default=CoveragePriority.PRIMARY
    )
    subscriber_relationship = models.CharField(
        max_length=10,
        choices=[("self", "self"), ("spouse", "spouse"), ("child", "child"), ("other", "other")],
        default="self",
    )
    subscriber_name = models.CharField(max_length=120, blank=True, help_text="When not the patient")
    # The insured's own address when the insured is not the patient (loop 2010BA N3/N4); blank
    # for a patient who is the subscriber.
    subscriber_address = models.CharField(
        "subscriber's street address", max_length=55, blank=True, help_text="When not the patient"
    )
    subscriber_city = models.CharField("subscriber's city", max_length=30, blank=True)
    subscriber_state = models.CharField(
        "subscriber's state", max_length=2, choices=STATE_CHOICES, blank=True
    )
    subscriber_zip_code = models.CharField("subscriber's ZIP code", max_length=10, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    authorized_visits = models.PositiveSmallIntegerField(null=True, blank=True)
    authorization_number = models.CharField(max_length=40, blank=True)
    # The payer's latest eligibility answer (271), for the front desk: on the chart and the day.
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    eligibility_active = models.BooleanField(null=True, blank=True)
    eligibility_summary = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["priority", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="coverage_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["patient", "payer", "member_id", "starts_on"], name="coverage_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer} ({self.priority})"

    def clean(self) -> None:
        """The member id in the payer's published format (the MBI for Medicare Part B), with the
        dashes and spaces of the card taken out."""
        super().clean()
        payer = self.payer if self.payer_id else None
        if self.subscriber_relationship != "self" and self.subscriber_name.strip():
            given = [self.subscriber_address, self.subscriber_city, self.subscriber_state]
            if any(given) and not all([*given, self.subscriber_zip_code]):
                raise ValidationError(
                    {
                        "subscriber_address": "Give the subscriber's whole address (street, "
                        "city, state and ZIP code), or none to use the patient's."
                    }
                )
        if payer is None or not self.member_id:
            return
        fmt = member_id_format_for(plan=payer.plan_kind, format_key=payer.member_id_format)
        if fmt is not None:
            self.member_id = fmt.normalize(self.member_id)
        problem = member_id_problem_for(
            self.member_id, plan=payer.plan_kind, format_key=payer.member_id_format
        )
        if problem:
            raise ValidationError({"member_id": problem[0].upper() + problem[1:] + "."})


class Authorization(OrgOwned):
    """A payer's prior authorization on a coverage: so many visits of one discipline between
    two dates, under the payer's authorization number. Booking counts visits against it."""

    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="authorizations")
    discipline = models.CharField(max_length=3, choices=[(d.value, d.value) for d in Discipline])
    number = models.CharField("authorization number", max_length=40)
    visits = models.PositiveSmallIntegerField("authorized visits")
    starts_on = models.DateField("authorized from")
    ends_on = models.DateField("authorized through")

    class Meta:
        ordering = ["discipline", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="authorization_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(visits__gte=1), name="authorization_visits_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(discipline__in=[d.value for d in Discipline]),
                name="authorization_discipline_known",
            ),
            models.UniqueConstraint(
                fields=["coverage", "discipline", "number"], name="authorization_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.discipline} authorization {self.number}"


class CodeKindChoice(models.TextChoices):
    """How a clinic's own code earns units (the code table's `kind`)."""

    TIMED = "timed", "Timed: units by minutes"
    UNTIMED = "untimed", "Untimed: one unit when the service has any minutes"


class DisciplineLimit(models.TextChoices):
    """What billing the code under a discipline not listed is (the code table's
    `discipline_limit`)."""

    USUAL = "usual", "A warning (scope varies by state)"
    FIRM = "firm", "An error"


def all_disciplines() -> list[str]:
    return [d.value for d in Discipline]


class ClinicBillingCode(OrgOwned):
    """A code the clinic bills that otclinic's code table lacks, or the clinic's own entry for
    one it has (which then replaces the shipped entry for this organization only).

    The fields are those of an entry of rules/billing_codes.yaml, and the services read them
    through the same parser (`payers.adapters.code_entry`), so they obey the same rules.
    """

    code = models.CharField(max_length=5, help_text="CPT or HCPCS, e.g. T1015")
    summary = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=CodeKindChoice.choices, default="timed")
    unit_minutes = models.PositiveSmallIntegerField(default=15)
    disciplines = models.JSONField(default=all_disciplines)
    discipline_limit = models.CharField(
        max_length=8, choices=DisciplineLimit.choices, default=DisciplineLimit.USUAL
    )
    addon_to = models.JSONField(default=list, blank=True)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="clinic_code_unique_in_org"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CodeKindChoice.values), name="clinic_code_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_minutes__gte=1, unit_minutes__lte=480),
                name="clinic_code_unit_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="clinic_code_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.summary}"


def eligibility_path(instance: "EligibilityFile", filename: str) -> str:
    """Where a 270 or 271 file is stored: under its organization, by its own unique name."""
    return f"eligibility/{instance.organization_id}/{filename}"


class EligibilityFile(OrgOwned):
    """A 270 inquiry written for a payer, or a 271 answer imported (once, by its SHA-256)."""

    kind = models.CharField(max_length=3, choices=[("270", "270 inquiry"), ("271", "271 answer")])
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=eligibility_path, max_length=200)
    file_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "sha256"], name="eligibility_file_once")
        ]


class EligibilityRequest(OrgOwned):
    """One coverage asked about for one date of service, and the payer's answer."""

    coverage = models.ForeignKey(
        Coverage, on_delete=models.CASCADE, related_name="eligibility_requests"
    )
    service_date = models.DateField()
    trace_number = models.CharField(max_length=30, help_text="TRN02 of the 270; the 271 echoes it")
    sent_in = models.ForeignKey(EligibilityFile, on_delete=models.PROTECT, related_name="requests")
    answered_in = models.ForeignKey(
        EligibilityFile, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(null=True, blank=True)
    summary = models.CharField(max_length=500, blank=True, help_text="The answer in words")

    class Meta:
        ordering = ["-service_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "trace_number"], name="eligibility_trace_unique"
            ),
            models.UniqueConstraint(
                fields=["coverage", "service_date"], name="eligibility_once_per_day"
            ),
        ]


class Transport(models.TextChoices):
    """How files reach the payer's clearinghouse (docs/clearinghouse.md, "Transport")."""

    OUTBOX = "outbox", "Outbox only (the biller downloads and uploads the files)"
    SFTP = "sftp", "SFTP (sent and fetched by `otclinic clearinghouse send|fetch`)"


# The files otclinic sends; a payer's connection may take only some of them (a payer that
# answers eligibility on its own portal takes no 270).
OUTBOUND_KINDS = ("837P", "270", "276")


def all_outbound_kinds() -> list[str]:
    return list(OUTBOUND_KINDS)


class PayerConnection(OrgOwned):
    """The clearinghouse settings of one payer: the ids the files carry and how they travel.

    The SFTP password or private key is never stored here: `credential` names a secret in the
    folder CLEARINGHOUSE_SECRETS_DIR (`<credential>.password` or `<credential>.key`), kept by
    the operator outside the database. The server's public host key is stored (it is public)
    and every connection checks it.
    """

    payer = models.OneToOneField(Payer, on_delete=models.CASCADE, related_name="connection")
    submitter_id = models.CharField(
        "submitter id",
        max_length=15,
        blank=True,
        help_text="ISA06, GS02 and the 837P's submitter (1000A NM109); blank: the clinic's NPI",
    )
    receiver_id = models.CharField(
        "receiver id",
        max_length=15,
        blank=True,
        help_text="ISA08, GS03 and the 837P's receiver (1000B NM109); blank: the payer id",
    )
    transport = models.CharField(max_length=8, choices=Transport.choices, default="outbox")
    kinds = models.JSONField(
        default=all_outbound_kinds, help_text="The files sent to this clearinghouse"
    )
    sftp_host = models.CharField("SFTP host", max_length=255, blank=True)
    sftp_port = models.PositiveIntegerField("SFTP port", default=22)
    sftp_username = models.CharField("SFTP user", max_length=64, blank=True)
    sftp_host_key = models.TextField(
        "SFTP host key",
        blank=True,
        help_text="The server's public key, one OpenSSH line (ssh-ed25519 AAAA...)",
    )
    credential = models.CharField(
        max_length=64,
        blank=True,
        help_text="The name of the password or key file in CLEARINGHOUSE_SECRETS_DIR",
    )
    upload_path = models.CharField(max_length=200, default="inbound", help_text="Where files go")
    download_path = models.CharField(
        max_length=200, default="outbound", help_text="Where the answers wait"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(transport__in=["outbox", "sftp"]),
                name="payer_connection_transport_known",
            ),
            models.CheckConstraint(
                condition=models.Q(sftp_port__gte=1, sftp_port__lte=65535),
                name="payer_connection_port_in_range",
            ),
        ]

    def sends(self, kind: str) -> bool:
        return kind in (self.kinds or [])
