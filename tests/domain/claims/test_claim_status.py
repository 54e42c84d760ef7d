from otclinic.domain.claims.x12.claim_status import CLAIM_STATUS_CODES, claim_status_words


def test_the_payers_claim_status_reads_in_words() -> None:
    assert claim_status_words("4") == "Denied"
    assert claim_status_words("19") == "Processed as primary, forwarded to additional payer(s)"
    assert claim_status_words("22") == "Reversal of previous payment"


def test_a_code_outside_the_list_is_named_not_hidden() -> None:
    assert claim_status_words("99") == "Status code 99 (not in the 835 guide's list)"


def test_every_code_has_words_and_no_code_is_blank() -> None:
    assert all(code.strip() and words for code, words in CLAIM_STATUS_CODES.items())
