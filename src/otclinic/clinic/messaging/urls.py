"""Messages, tasks and notifications, mounted at /messages/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
