"""The questions lower apps ask that revenue answers (common.hooks), and the billing run's job
kinds, registered when Django starts (`RevenueConfig.ready`)."""

from otclinic.clinic.care.billing_adapter import note_amounts
from otclinic.clinic.payers.hooks import control_number_rows
from otclinic.clinic.revenue import job_runners
from otclinic.clinic.revenue.export import control_number_rows as counters
from otclinic.clinic.revenue.note_amounts import amounts_for_note


def register() -> None:
    note_amounts.register(amounts_for_note)
    control_number_rows.register(counters)
    job_runners.register()
