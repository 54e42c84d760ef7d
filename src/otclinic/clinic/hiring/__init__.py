"""Hiring."""
