"""Patient and caregiver portal."""
