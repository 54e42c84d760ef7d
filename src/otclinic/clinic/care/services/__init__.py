"""Writes to the clinical record: notes (`notes`) and the therapist's documents (`clinical`)."""
