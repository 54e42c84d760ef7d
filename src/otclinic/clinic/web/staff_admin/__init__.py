"""The clinic admin's staff administration pages, and the caseload handover they start."""
