"""Finding patients by what the front desk types: names, MRN, birth date or phone number.

One query builder serves the patient search page, the API and the booking picker, so that
they find the same patients. The phone is compared on its digits: the stored number's spaces,
dashes, dots, brackets and plus sign are taken out in the query itself.
"""

from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from otclinic.clinic.patients.models import Patient
from otclinic.domain.patients.search import PatientQuery

_PHONE_PUNCTUATION = (" ", "-", ".", "(", ")", "+")


def _digits_of(field: str) -> Any:
    expression: Any = F(field)
    for mark in _PHONE_PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def _word_filter(word: str) -> Q:
    return (
        Q(last_name__istartswith=word)
        | Q(first_name__istartswith=word)
        | Q(preferred_name__istartswith=word)
        | Q(mrn__iexact=word)
    )


def patients_matching(patients: QuerySet[Patient], query: PatientQuery) -> QuerySet[Patient]:
    """The patients among `patients` that match every part of the query (none for an empty
    one), by last name, first name and MRN."""
    if query.empty:
        return patients.none()
    if query.phone_digits:
        patients = patients.alias(phone_digits=_digits_of("phone")).filter(
            phone_digits__contains=query.phone_digits
        )
    if query.birth_date is not None:
        patients = patients.filter(birth_date=query.birth_date)
    for word in query.words:
        patients = patients.filter(_word_filter(word))
    return patients.order_by("last_name", "first_name", "mrn")
