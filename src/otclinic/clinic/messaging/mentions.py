"""Mentions: the `@username` words of a message body.

A mention starts a word (so an e-mail address such as a@b.org is not one) and runs over the
characters Django allows in a username (letters, digits and @ . + - _); a full stop or other
punctuation that ends the sentence is not part of the name.
"""

import re

_MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")


def mentioned_usernames(body: str) -> list[str]:
    """The usernames mentioned in `body`, each once, in the order they first appear."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(body):
        name = match.group(1).rstrip(".-+")
        if name:
            seen.setdefault(name, None)
    return list(seen)
