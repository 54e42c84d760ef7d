"""Hiring: job postings, applicants and onboarding, mounted at /hiring/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
