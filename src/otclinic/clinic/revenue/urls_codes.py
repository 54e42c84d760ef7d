"""The Billing codes page, mounted at /billing/codes/."""

from django.urls import path

from otclinic.clinic.revenue import views_codes as views

urlpatterns = [
    path("codes/", views.billing_codes, name="billing-codes"),
    path("codes/<uuid:billing_code_id>/", views.billing_code_edit, name="billing-code-edit"),
    path(
        "codes/<uuid:billing_code_id>/remove/",
        views.billing_code_remove,
        name="billing-code-remove",
    ),
]
