"""Staff credential pages, mounted at /staff/."""

from django.urls import path

from otclinic.clinic.staff import views

urlpatterns = [
    path("", views.staff_list, name="staff-list"),
    path("me/", views.staff_me, name="staff-me"),
    path("certificate-types/", views.certificate_type_add, name="staff-certificate-type-add"),
    path("ce-requirements/", views.ce_requirement_set, name="staff-ce-requirement-set"),
    path("<uuid:staff_id>/", views.staff_detail, name="staff-detail"),
    path("<uuid:staff_id>/licenses/", views.license_add, name="staff-license-add"),
    path("<uuid:staff_id>/nbcot/", views.nbcot_record, name="staff-nbcot-record"),
    path("<uuid:staff_id>/certificates/", views.certificate_add, name="staff-certificate-add"),
    path("<uuid:staff_id>/ce/", views.ce_activity_add, name="staff-ce-add"),
]
