"""Forms of the sign-in pages: the second factor, the organization's sign-in policy, a
password reset request."""

from django import forms

from otclinic.clinic.organizations.models import Organization
from otclinic.domain.codes import Role

STAFF_ROLES = [(r.value, r.label) for r in Role if r not in {Role.PATIENT, Role.CAREGIVER}]


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}
        ),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="After adding the account, enter the 6 digits the app shows.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SignInPolicyForm(forms.ModelForm[Organization]):
    second_factor_roles = forms.MultipleChoiceField(
        label="Roles that must use an authenticator app",
        choices=STAFF_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organization
        fields = ["second_factor_roles", "idle_timeout_minutes"]

    def clean_idle_timeout_minutes(self) -> int:
        minutes = int(self.cleaned_data["idle_timeout_minutes"])
        if not 1 <= minutes <= 480:
            raise forms.ValidationError("Enter a number of minutes from 1 to 480.")
        return minutes


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autofocus": True})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=80,
        help_text="The program that will use it, so that you know which token to revoke.",
    )
    scopes = forms.MultipleChoiceField(
        label="May",
        choices=[("read", "Read"), ("write", "Write (add, change, book, sign)")],
        initial=["read"],
        widget=forms.CheckboxSelectMultiple,
        help_text="What the token may do, within what your role may do.",
    )
    lifetime_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(30, "30 days"), (90, "90 days"), (365, "1 year")],
        initial=90,
    )
