"""Pure helpers for the therapist's documents: evaluation complexity, scored assessments, the
home program's plain-language text. No Django here."""
