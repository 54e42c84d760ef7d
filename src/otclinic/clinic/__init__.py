"""The Django side of otclinic: one app per noun of the practice."""
