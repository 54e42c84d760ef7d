"""The options every money column of the revenue models shares: Decimal, two places."""

from otclinic.clinic.revenue.models_ledger import MoneyOptions

MONEY: MoneyOptions = {"max_digits": 12, "decimal_places": 2}
