"""Pieces every app shares: the base model, tenancy and access errors."""
