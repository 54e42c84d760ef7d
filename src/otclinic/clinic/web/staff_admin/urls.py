"""The clinic admin's staff administration, mounted at /staff-admin/."""

from django.urls import path

from otclinic.clinic.web.staff_admin import views

urlpatterns = [
    path("", views.staff_admin_list, name="staff-admin"),
    path("<uuid:staff_id>/", views.staff_admin_detail, name="staff-admin-detail"),
    path("<uuid:staff_id>/active/", views.staff_admin_active, name="staff-admin-active"),
    path("<uuid:staff_id>/reassign/", views.staff_admin_reassign, name="staff-admin-reassign"),
]
