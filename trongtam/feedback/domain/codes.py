"""Tracking codes: what a reporter holds to follow their case, and the only key to it on the public site.

Ten characters from an alphabet without the look-alikes (no 0/O, 1/I/L): 31^10 ≈ 8·10^14 codes, drawn with
`secrets`, so a code cannot be guessed, and the lookups are throttled besides. Typed in any case, with spaces or
dashes: `normalize` reads it back.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """The code as stored, from what a person typed: upper case, without spaces and dashes."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def looks_like_code(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)
