from django import forms

from otclinic.clinic.smart.models import ClientKind


class ClientForm(forms.Form):
    name = forms.CharField(
        max_length=80, help_text="The app's or service's name, as patients see it."
    )
    kind = forms.ChoiceField(choices=ClientKind.choices)
    scopes = forms.CharField(
        help_text=(
            "Space-separated: patient/*.rs user/*.rs launch/patient for an app (openid "
            "fhirUser to tell it who signed in), and to let staff write through it "
            "user/Patient.cu user/Coverage.cu user/Appointment.cu user/ServiceRequest.c; "
            "system/*.rs or system/Patient.rs ... for a backend service (which only reads)."
        )
    )
    redirect_uris = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="An app: its redirect URIs (https), one a line.",
    )
    jwks = forms.CharField(
        required=False,
        label="JWK Set",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text='A backend service: its public keys, {"keys": [...]} (RS384 or ES384).',
    )
