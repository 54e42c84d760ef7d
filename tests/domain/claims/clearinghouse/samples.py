"""The clearinghouse sample files (`tests/data/x12/`, origins in its README) and small helpers."""

from pathlib import Path

from tests.domain.claims.era.samples import SAMPLES, listed

ACKS_999 = listed("999", "*.txt")
ACKS_277CA = listed("277ca", "*.277")
STATUS_277 = listed("277", "*.277")
ELIGIBILITY_271 = listed("271", "*.271")
NEGATIVE_837S = listed("negative", "*.txt")
DAMAGED = listed("damaged", "*")
MACHETE_277CA = SAMPLES / "277ca" / "machete__layout277-ack.277"
CLAIM_LEVEL_277 = SAMPLES / "277" / "lfh__claim-level-status.277"
SUBSCRIBER_271 = SAMPLES / "271" / "lfh__subscriber-health-benefit-check.271"
ERROR_271 = SAMPLES / "271" / "lfh__subscriber-health-benefit-check-error.271"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def segments_of(x12: str) -> list[list[str]]:
    """A file written with * and ~ as its segments' elements."""
    return [chunk.strip().split("*") for chunk in x12.split("~") if chunk.strip()]


def with_se_count(x12: str) -> str:
    """The same single transaction set with SE01 recounted after an edit."""
    lines = [chunk.strip() for chunk in x12.split("~") if chunk.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("ST*"))
    end = next(i for i, line in enumerate(lines) if line.startswith("SE*"))
    control = lines[end].split("*")[2]
    lines[end] = f"SE*{end - start + 1}*{control}"
    return "~\n".join(lines) + "~\n"
