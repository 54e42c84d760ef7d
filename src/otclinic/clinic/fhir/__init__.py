"""The FHIR R4 (US Core 6.1) read and search server at /fhir/R4/ (docs/fhir.md)."""
