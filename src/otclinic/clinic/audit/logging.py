"""A logging filter that keeps PHI out of application logs.

Our own code logs record ids only. This filter is the second line of defence for messages we
do not write ourselves: it removes query strings (patient searches travel in them) from
request lines and drops request bodies attached to records.
"""

import logging
import re
from collections.abc import Mapping

_QUERY = re.compile(r"\?[^\s\"']*")


def scrub(text: str) -> str:
    return _QUERY.sub("?[redacted]", text)


class NoPhiFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: scrub(v) if isinstance(v, str) else v for k, v in record.args.items()}
        if hasattr(record, "request"):
            record.request = None
        return True
