"""Every signature's content hash, compared with its document as it stands now.

The care app knows how each document was hashed when signed (care.signature_check) and answers
this hook, so a narrative or a line's minutes changed in the database after signing is
reported, by the document's id (never its text). The audit app sits below the clinical ones:
it asks, and `audit verify` stops with `HookMissing` rather than skip the signatures when care
is not installed.
"""

from otclinic.clinic.common.hooks import hook


@hook(provider="care")
def signatures_verify(*, chunk_size: int = 500) -> tuple[int, list[str]]:
    """(signatures checked, one line for each whose document no longer matches). Answered by
    `care.signature_check.signatures_compared`."""
    raise NotImplementedError
