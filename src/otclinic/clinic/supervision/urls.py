"""Supervision of assistants, mounted at /supervision/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
