"""Patient and caregiver portal: the models."""
