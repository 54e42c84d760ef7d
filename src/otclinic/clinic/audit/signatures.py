"""Every signature's content hash, compared with its document as it stands now.

The care app knows how each document was hashed when signed (care.signature_check); verify asks
it, so a narrative or a line's minutes changed in the database after signing is reported, by
the document's id (never its text).
"""

MAX_LISTED = 50


def signatures_verify(*, chunk_size: int = 500) -> tuple[int, list[str]]:
    """(signatures checked, one line for each whose document no longer matches)."""
    # Imported here: the audit app sits below the clinical ones and loads without them.
    from otclinic.clinic.care.signature_check import signature_digest, signatures_for_check

    checked, mismatched, problems = 0, 0, []
    for signature in signatures_for_check().iterator(chunk_size=chunk_size):
        checked += 1
        kind, document_id, digest = signature_digest(signature)
        if digest == signature.content_sha256:
            continue
        mismatched += 1
        if mismatched <= MAX_LISTED:
            problems.append(
                f"signature {signature.pk}: the {kind} {document_id} was changed after it was "
                "signed (its content no longer matches the signature's hash)"
            )
    if mismatched > MAX_LISTED:
        problems.append(f"... and {mismatched - MAX_LISTED} more signatures like these")
    return checked, problems
