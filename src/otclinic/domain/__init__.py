"""The pure domain of otclinic: rules, codes and arithmetic, with no Django and no database.

Everything here takes and returns frozen dataclasses, StrEnums, Decimal and date, so that it
can be used from the command line, the HTTP API, the clinic's own screens and other systems
alike, and tested in milliseconds.
"""
