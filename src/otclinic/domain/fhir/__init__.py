"""FHIR R4 (US Core 6.1) as data: profile URLs, code systems, status maps, search parsing and
the shapes of Bundles and OperationOutcomes. No Django: the clinic's FHIR app maps rows with it."""
