"""Hiring: the models."""
