"""The revenue cycle's models: fee schedules, charges, claims, remittances, the ledger and denials.

Money is Decimal with two places everywhere. The ledger is the source of truth for balances:
every charge, payment and adjustment is an entry, so that charges = payments + adjustments +
balance holds to the cent by construction.

The models live in the modules of this package by what they record; each is named here, so
that `revenue.models.Claim` (and the migrations' `revenue.models.batch_path`) keep working:

- `charges`: fee schedules, threshold opening balances, charges from signed notes;
- `claims`: claims, their lines, control numbers and the exported 837P files;
- `acknowledgments`: imported 277CA acknowledgments and rejected claims;
- `remittances`: posted 835 payments, their claims and service lines, and denials;
- `ledger`: ledger entries, desk payments and refunds, statements;
- `models_ledger` (beside this package): the balances kept from the ledger.
"""

from otclinic.clinic.revenue.models.acknowledgments import Acknowledgment, ClaimRejection
from otclinic.clinic.revenue.models.charges import (
    Charge,
    ChargeStatus,
    FeeSchedule,
    FeeScheduleEntry,
    ThresholdBucket,
    ThresholdOpeningBalance,
)
from otclinic.clinic.revenue.models.claims import (
    Claim,
    ClaimBatch,
    ClaimFrequency,
    ClaimLine,
    ClaimStatus,
    ControlNumber,
    batch_path,
)
from otclinic.clinic.revenue.models.ledger import (
    LEDGER_FIXED,
    LedgerEntry,
    LedgerKind,
    LedgerQuerySet,
    PatientPayment,
    PatientStatement,
    PaymentMethod,
)
from otclinic.clinic.revenue.models.money import MONEY
from otclinic.clinic.revenue.models.remittances import (
    OPEN_DENIAL_STATUSES,
    Denial,
    DenialStatus,
    Remittance,
    RemittanceClaim,
    RemittanceService,
    remittance_path,
)
from otclinic.clinic.revenue.models_ledger import ClaimBalance, LedgerDay, PatientBalance

__all__ = [
    "LEDGER_FIXED",
    "MONEY",
    "OPEN_DENIAL_STATUSES",
    "Acknowledgment",
    "Charge",
    "ChargeStatus",
    "Claim",
    "ClaimBalance",
    "ClaimBatch",
    "ClaimFrequency",
    "ClaimLine",
    "ClaimRejection",
    "ClaimStatus",
    "ControlNumber",
    "Denial",
    "DenialStatus",
    "FeeSchedule",
    "FeeScheduleEntry",
    "LedgerDay",
    "LedgerEntry",
    "LedgerKind",
    "LedgerQuerySet",
    "PatientBalance",
    "PatientPayment",
    "PatientStatement",
    "PaymentMethod",
    "Remittance",
    "RemittanceClaim",
    "RemittanceService",
    "ThresholdBucket",
    "ThresholdOpeningBalance",
    "batch_path",
    "remittance_path",
]
