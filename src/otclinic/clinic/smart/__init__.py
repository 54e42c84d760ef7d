"""SMART on FHIR authorization for /fhir/R4/: registered apps, the OAuth 2.0 server
(django-oauth-toolkit) and its checks (docs/smart.md)."""
