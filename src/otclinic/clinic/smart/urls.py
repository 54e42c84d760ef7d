"""The OAuth 2.0 endpoints of SMART (at /oauth/) and the admin's page of apps."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from otclinic.clinic.smart import views

urlpatterns = [
    path("authorize", views.authorize, name="smart-authorize"),
    path("token", csrf_exempt(views.token), name="smart-token"),
    path("revoke", csrf_exempt(views.revoke), name="smart-revoke"),
    path("apps/", views.clients, name="smart-clients"),
    path("apps/<uuid:smart_client_id>/revoke/", views.client_revoke, name="smart-client-revoke"),
]
