"""The 277CA and 277 reader on public samples (cross-checked with linuxforhealth-x12), on a
written 277CA that pyx12 accepts, and on damaged files."""

from pathlib import Path

import pytest

from otclinic.domain.claims.x12.status277 import StatusCode, read_277
from otclinic.domain.claims.x12.status277_json import status_report_as_json
from otclinic.domain.claims.x12.tokens import X12ReadError
from tests.domain.claims.p837 import pyx12_check

from .lfh import collect, lfh_read
from .samples import (
    ACKS_277CA,
    CLAIM_LEVEL_277,
    MACHETE_277CA,
    STATUS_277,
    text,
    with_se_count,
)

# A clearinghouse's 277CA for two of our claims: the batch received, CLM-00016 accepted into the
# payer's system, CLM-00017 rejected because the subscriber's member id is invalid.
ACKNOWLEDGMENT = (
    with_se_count(
        "ISA*00*          *00*          *ZZ*CLEARHOUSE     *ZZ*SUNRISEOT      *261203*1500*^*00501"
        "*000000078*0*P*:~"
        "GS*HN*CLEARHOUSE*SUNRISEOT*20261203*1500*78*X*005010X214~"
        "ST*277*0001*005010X214~"
        "BHT*0085*08*277CA0001*20261203*1500*TH~"
        "HL*1**20*1~"
        "NM1*AY*2*CLEARHOUSE*****46*CLEARHOUSE~"
        "TRN*1*0000000410043~"
        "DTP*050*D8*20261203~"
        "DTP*009*D8*20261203~"
        "HL*2*1*21*1~"
        "NM1*41*2*SUNRISE OCCUPATIONAL THERAPY*****46*SUNRISEOT~"
        "TRN*2*0000000410043~"
        "STC*A1:19:PR*20261203*WQ*625~"
        "QTY*90*1~"
        "QTY*AA*1~"
        "AMT*YU*312.5~"
        "AMT*YY*312.5~"
        "HL*3*2*19*1~"
        "NM1*85*2*SUNRISE OCCUPATIONAL THERAPY*****XX*1234567893~"
        "TRN*1*PROVIDER0001~"
        "STC*A1:19:85**WQ*625~"
        "HL*4*3*PT~"
        "NM1*QC*1*RIVERA*ZOE****MI*1EG4TE5MK73~"
        "TRN*2*CLM-00016~"
        "STC*A2:20:PR*20261203*WQ*312.5~"
        "REF*1K*PAYER0016~"
        "DTP*472*D8*20261001~"
        "HL*5*3*PT~"
        "NM1*QC*1*RIVERA*ZOE****MI*1EG4-TE5-MK73~"
        "TRN*2*CLM-00017~"
        "STC*A7:164:IL*20261203*U*312.5~"
        "DTP*472*D8*20261002~"
        "SE*0*0001~"
    )
    + "GE*1*78~\nIEA*1*000000078~\n"
)


def test_the_written_277ca_is_valid_for_pyx12() -> None:
    pyx12_check.assert_valid_acknowledgment(ACKNOWLEDGMENT)


def test_each_claim_is_accepted_or_rejected_with_the_field_to_fix_in_words() -> None:
    report = read_277(ACKNOWLEDGMENT)
    accepted, rejected = report.claims

    assert report.kind == "277CA"
    assert (accepted.claim_number, accepted.accepted, accepted.rejected) == (
        "CLM-00016",
        True,
        False,
    )
    assert accepted.payer_claim_number == "PAYER0016"
    assert (rejected.claim_number, rejected.accepted, rejected.rejected) == (
        "CLM-00017",
        False,
        True,
    )
    (code,) = rejected.statuses[0].codes
    assert code.in_words() == (
        "Acknowledgement/Rejected for invalid information: the claim has invalid information as"
        " specified in the status details and has been rejected: Entity's contract/member number"
        " (Insured or subscriber)"
    )
    assert rejected.subscriber is None and rejected.patient is not None
    assert rejected.patient.identifier == "1EG4-TE5-MK73"


def test_the_batch_verdict_is_kept_at_the_receiver_level() -> None:
    (transaction,) = read_277(ACKNOWLEDGMENT).transactions
    receiver = next(level for level in transaction.levels if level.level == "information receiver")

    assert receiver.trace_number == "0000000410043"
    assert receiver.statuses[0].codes[0].category.code == "A1"
    assert str(receiver.statuses[0].charge) == "625.00"


@pytest.mark.parametrize("path", [*STATUS_277, *ACKS_277CA], ids=lambda p: p.name)
def test_every_public_277_is_read_with_its_claims_as_linuxforhealth_reads_them(path: Path) -> None:
    report = read_277(text(path))
    (answer,) = lfh_read([path])
    if not answer["ok"]:  # Machete's 277CA: GS01 HB and a wrong SE count, which LFH refuses
        assert path == MACHETE_277CA, answer["error"]
        assert len(report.warnings) == 3
        return

    traces = [trn["reference_identification_1"] for trn in collect(answer["models"], "trn_segment")]
    claim_traces = [claim.claim_number for claim in report.claims]
    assert [t for t in traces if t in claim_traces] == claim_traces
    stc = [
        s["health_care_claim_status_1"]
        for group in collect(answer["models"], "stc_segment")
        for s in group
    ]
    ours = [
        _composite(c)
        for t in report.transactions
        for level in t.levels
        for status in level.statuses
        for c in status.codes
    ] + [
        _composite(c)
        for claim in report.claims
        for status in (*claim.statuses, *(s for line in claim.services for s in line.statuses))
        for c in status.codes[:1]
    ]
    assert sorted(ours) == sorted(stc)


def _composite(code: StatusCode) -> str:
    """STC01 as written: category:status:entity:code list, trailing empties left off."""
    parts = [
        code.category.code,
        code.status.code if code.status else "",
        code.entity.code if code.entity else "",
        code.code_list or "",
    ]
    return ":".join(parts).rstrip(":")


def test_the_claim_level_sample_reads_status_words_amounts_and_dates() -> None:
    report = read_277(text(CLAIM_LEVEL_277))
    first, paid, denied = report.claims

    assert report.kind == "277"
    assert first.statuses[0].codes[0].category.words.startswith("Pending/Provider requested")  # type: ignore[union-attr]
    assert (str(paid.statuses[0].charge), str(paid.statuses[0].paid)) == ("7599.00", "7599.00")
    assert denied.services[0].procedure == "HC:99203"
    assert (
        denied.services[0]
        .statuses[0]
        .codes[0]
        .in_words()
        .endswith("Entity not eligible for benefits for submitted dates of service (Patient)")
    )
    assert (first.service_from.isoformat(), first.service_to.isoformat()) == (
        "2005-08-31",
        "2005-09-06",
    )  # type: ignore[union-attr]


def test_the_machete_277ca_is_read_leniently_with_warnings() -> None:
    report = read_277(text(MACHETE_277CA))
    (claim,) = report.claims

    assert report.kind == "277CA"
    assert (claim.claim_number, claim.payer_claim_number, claim.clearinghouse_trace) == (
        "DOE01428",
        "22029500123407X",
        "22029500123407X",
    )
    assert claim.rejected  # its service line: A3 returned as unprocessable
    assert any('GS01 is "HB"' in warning for warning in report.warnings)


def test_the_json_names_the_outcome_of_a_277ca_claim() -> None:
    document = status_report_as_json(read_277(ACKNOWLEDGMENT))

    assert document["type"] == "277CA"
    assert [c["outcome"] for c in document["transactions"][0]["claims"]] == ["accepted", "rejected"]


def _edit(old: str, new: str) -> str:
    assert old in ACKNOWLEDGMENT
    return ACKNOWLEDGMENT.replace(old, new, 1)


@pytest.mark.parametrize(
    ("damaged", "message"),
    [
        (ACKNOWLEDGMENT[: ACKNOWLEDGMENT.index("HL*5")], "the file ends before SE closes"),
        (_edit("STC*A7:164:IL", "STC*"), "segment 31 (STC): STC01 (the claim status) is missing"),
        (_edit("TRN*2*CLM-00017", "TRN*2*"), "segment 30 (TRN): TRN02"),
        (
            _edit("005010X214~\nBHT", "005010X999~\nBHT").replace(
                "GS*HN*CLEARHOUSE*SUNRISEOT*20261203*1500*78*X*005010X214",
                "GS*HN*CLEARHOUSE*SUNRISEOT*20261203*1500*78*X*005010X999",
            ),
            'neither ST03 "005010X999"',
        ),
        (
            _edit("HL*4*3*PT~", "SVC*HC:97530*100~HL*4*3*PT~"),
            "segment 22 (SVC): SVC outside a claim",
        ),
    ],
    ids=["truncated", "no-stc01", "no-trn02", "unknown-guide", "svc-outside"],
)
def test_a_damaged_277_is_a_clear_error_naming_the_segment(damaged: str, message: str) -> None:
    with pytest.raises(X12ReadError) as raised:
        read_277(damaged)

    assert message in str(raised.value)
