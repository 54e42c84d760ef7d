"""The patient and caregiver portal, mounted at /portal/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
