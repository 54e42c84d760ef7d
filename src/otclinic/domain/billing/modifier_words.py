"""What each claim-line modifier the engine adds means, in words a co-signing therapist reads,
and what each finding's severity means for the claim.

Sources: GO/GP/GN, MCPM Pub. 100-04 ch. 5 sec. 20.1; CO/CQ, SSA 1834(v) and the CY2020-CY2022
PFS final rules; KX, SSA 1833(g)(7) and MCPM ch. 5 sec. 10.3; 59 and the X{EPSU} modifiers, the
NCCI Policy Manual ch. 1 sec. E.
"""

MODIFIER_WORDS: dict[str, str] = {
    "GO": "under an OT plan of care",
    "GP": "under a PT plan of care",
    "GN": "under an SLP plan of care",
    "CO": "furnished in whole or in part by an OTA (Medicare pays 85%)",
    "CQ": "furnished in whole or in part by a PTA (Medicare pays 85%)",
    "KX": "above the therapy threshold: the note must show medical necessity",
    "59": "a distinct service from another code billed the same day",
    "XU": "a distinct, unusual service from another code billed the same day",
}

SEVERITY_WORDS: dict[str, str] = {
    "error": "Must be corrected: the claim would be refused",
    "warning": "Check before co-signing",
    "info": "For information",
}


def modifier_words(modifiers: tuple[str, ...] | list[str]) -> str:
    """The modifiers of a claim line, each with its meaning ("GO: under an OT plan of care; ...")."""
    return "; ".join(f"{m}: {MODIFIER_WORDS.get(m, 'see the payer policy')}" for m in modifiers)
