"""The X12 sample files the tests read: `tests/data/x12/`, with their origins in its README."""

from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "x12"


def listed(folder: str, pattern: str) -> list[Path]:
    """The files of `folder` matching `pattern`, sorted; none at all is an error, not a skip."""
    found = sorted((SAMPLES / folder).glob(pattern))
    if not found:
        raise FileNotFoundError(f"no {pattern} sample files under {SAMPLES / folder}")
    return found


SAMPLE_835S = listed("835", "*.835")
NEGATIVE_837S = listed("negative", "*.txt")
LARGE_835 = SAMPLES / "large" / "x12sdk_835_1000.txt"
DEMO = SAMPLES / "835" / "lfh__demo.835"


def sample_text(path: Path) -> str:
    """A sample's text as the reader gets it."""
    return path.read_text(encoding="utf-8")
