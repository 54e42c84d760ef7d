"""Visits a payer authorized, against the visits booked or completed on that coverage."""


def authorization_problem(*, authorized: int | None, used: int, adding: int = 1) -> str | None:
    """Why booking `adding` more visits exceeds the authorization, or None when it fits.

    `used` counts the coverage's booked and completed visits; cancellations and no-shows free
    their visit. No authorized figure means the payer sets no visit limit.
    """
    if authorized is None or used + adding <= authorized:
        return None
    first = used + 1
    which = f"visit {first}" if adding == 1 else f"visits {first}-{used + adding}"
    return (
        f"{which} of {authorized} authorized: the coverage's authorization allows "
        f"{authorized} visits and {used} are already booked or completed"
    )
