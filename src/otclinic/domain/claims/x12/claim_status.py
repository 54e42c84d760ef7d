"""CLP02, the claim status code of an 835, in words.

The code list of element 1029 "Claim Status Code" as the 005010X221A1 guide (835 Health Care
Claim Payment/Advice, loop 2100 CLP02) lists it for health care claims.
"""

CLAIM_STATUS_CODES: dict[str, str] = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Processed as primary, forwarded to additional payer(s)",
    "20": "Processed as secondary, forwarded to additional payer(s)",
    "21": "Processed as tertiary, forwarded to additional payer(s)",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded to additional payer(s)",
    "25": "Predetermination pricing only, no payment",
}


def claim_status_words(code: str) -> str:
    """`4` -> `Denied`; a code outside the guide's list is named as such, never hidden."""
    return CLAIM_STATUS_CODES.get(code.strip(), f"Status code {code} (not in the 835 guide's list)")
