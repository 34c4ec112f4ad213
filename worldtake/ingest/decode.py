"""Bytes to text: UTF-8 first, then a detected charset; binary data is refused."""

from __future__ import annotations

from dataclasses import dataclass

from charset_normalizer import CharsetMatch, from_bytes

from worldtake.errors import Rejected

_PREFERRED = {"cp1252": 0, "latin_1": 1, "iso8859_15": 2, "cp1251": 3, "koi8_r": 4}
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with the charset used and a warning when it was not UTF-8."""

    text: str
    charset: str
    warning: str | None = None


def decode_text(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode `data` as text, trying UTF-8, the declared charset, then detection."""
    if not data.strip():
        raise Rejected("empty file")
    if _looks_binary(data):
        raise Rejected("binary data, not text (no news source of a known kind)")
    try:
        return DecodedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return DecodedText(data.decode(declared), declared.lower())
        except (LookupError, UnicodeDecodeError):
            pass
    best = _best_match(data)
    if best is None:
        raise Rejected("not valid UTF-8 and no other text encoding fits")
    charset = best.encoding
    return DecodedText(str(best), charset, f"not valid UTF-8; decoded as {charset}")


def _best_match(data: bytes) -> CharsetMatch | None:
    """The least chaotic decoding; on a tie, the Western encodings legacy news sites use most."""
    matches = list(from_bytes(data))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least + 0.005]
    return min(tied, key=lambda m: _PREFERRED.get(m.encoding, len(_PREFERRED)))


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > max(4, len(head) // 100)
