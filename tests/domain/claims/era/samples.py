"""Where the shared X12 sample files are: `<repo>/../shared/x12samples` (beside the clone in CI)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
SAMPLES = (REPO / ".." / "shared" / "x12samples").resolve()
SAMPLE_835S = sorted((SAMPLES / "835").glob("*.835"))
LARGE_835 = SAMPLES / "large" / "x12sdk_835_1000.txt"
NEGATIVE_837S = sorted((SAMPLES / "negative").glob("*.txt"))
DEMO = SAMPLES / "835" / "lfh__demo.835"


def sample_text(path: Path) -> str:
    """A sample's text as the reader gets it."""
    return path.read_text(encoding="utf-8")
