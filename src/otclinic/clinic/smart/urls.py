"""The OAuth 2.0 endpoints of SMART (at /oauth/) and the admin's page of apps."""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as toolkit

from otclinic.clinic.smart import views

# django-oauth-toolkit's discovery documents find the endpoints by its own URL names: the same
# views again under those names (resolving picks the first pattern of a path, above). Mounted
# here, its issuer is https://<host>/oauth, and so are the id_token's `iss` and the
# authorization response's `iss` (RFC 9207).
_toolkit_names = [
    path("authorize", views.authorize, name="authorize"),
    path("token", csrf_exempt(views.token), name="token"),
    path("revoke", csrf_exempt(views.revoke), name="revoke-token"),
    path("userinfo", toolkit.UserInfoView.as_view(), name="user-info"),
    path(
        ".well-known/openid-configuration",
        toolkit.ConnectDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", toolkit.JwksInfoView.as_view(), name="jwks-info"),
    path(
        ".well-known/oauth-authorization-server",
        toolkit.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
]

urlpatterns = [
    path("authorize", views.authorize, name="smart-authorize"),
    path("token", csrf_exempt(views.token), name="smart-token"),
    path("revoke", csrf_exempt(views.revoke), name="smart-revoke"),
    path("apps/", views.clients, name="smart-clients"),
    path("apps/<uuid:smart_client_id>/revoke/", views.client_revoke, name="smart-client-revoke"),
    path("", include((_toolkit_names, "oauth2_provider"))),
]
