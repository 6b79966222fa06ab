"""Vietnamese alphabetical order for names people look for ("Đại Sảo, Đồng Lạc, Đồng Thắng").

A database orders "Đ" after "Z" (by code point) on SQLite and by the server's collation on
PostgreSQL; lists ordered by name are sorted here instead, the same on both."""

import unicodedata

# The alphabet's letters in order (f, j, w, z kept for foreign names), then the tones' order.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = "\u0306\u0302\u031b"  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng (after the level tone)


def vietnamese_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Letters first (a < ă < â < … < đ …), tones second, the text itself last (a total order)."""
    letters: list[int] = []
    tones: list[int] = []
    for char in text.lower():
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", parts[0] + "".join(m for m in parts[1:] if m in _LETTER_MARKS))
        position = _ALPHABET.find(base) if len(base) == 1 else -1
        if char.isspace():
            letters.append(-1)  # "Đồng Lạc" before "Đồngxx"
        elif position >= 0:
            letters.append(position)
        else:
            letters.append(100 + ord(base[0]))  # digits and signs after the letters, by code point
        tones.append(next((_TONES.index(m) + 1 for m in parts[1:] if m in _TONES), 0))
    return tuple(letters), tuple(tones), text
