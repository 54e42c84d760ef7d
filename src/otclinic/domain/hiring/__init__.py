"""Hiring: the applicant pipeline's stages and moves, and what an offer and a hire need."""
