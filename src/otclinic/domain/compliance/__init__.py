"""Findings and the rule registry shared by the billing check and the episode check."""
