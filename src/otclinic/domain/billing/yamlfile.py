"""Reading the rule files: YAML with the C loader when it is available."""

from pathlib import Path
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict[str, Any]:
    """A rule file's mapping; a file that is not a mapping is a broken rule file."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: a rule file must be a mapping")
    return data
