"""Pages of the clinical record: the daily note (`notes`) and the therapist's documents (`clinical`)."""
