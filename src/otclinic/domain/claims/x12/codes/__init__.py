"""X12 code lists as data (CSV), each citing its source; read by `x12.code_lists`."""
