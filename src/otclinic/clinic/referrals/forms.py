"""Forms for referring physicians; each field error names the field and says what to do."""

from django import forms

from otclinic.clinic.referrals.models import PhysicianChannel, ReferringPhysician


class PhysicianForm(forms.ModelForm[ReferringPhysician]):
    class Meta:
        model = ReferringPhysician
        fields = [
            "first_name",
            "last_name",
            "credentials",
            "npi",
            "practice_name",
            "phone",
            "fax",
            "direct_address",
            "preferred_channel",
        ]
        labels = {"npi": "NPI"}
        help_texts = {"npi": "10 digits; the last is a check digit."}
        widgets = {"npi": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Left out (an older form, the API), the channel stays fax: the model's default.
        self.fields["preferred_channel"].required = False

    def clean_preferred_channel(self) -> str:
        return self.cleaned_data.get("preferred_channel") or PhysicianChannel.FAX

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("preferred_channel") == PhysicianChannel.DIRECT and not data.get(
            "direct_address"
        ):
            self.add_error(
                "direct_address", "Give the Direct secure email address to send documents by it."
            )
        return data
