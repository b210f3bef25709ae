"""Characters an expression may not contain, and how to name the ones it does.

Python's parser folds identifiers to NFKC (``𝑋`` and ``Ｘ`` read as ``X``) and drops comments,
so the text is checked *before* it reaches ``ast.parse``: a character that NFKC would change is
refused by name, a lone surrogate (the trace of invalid UTF-8 in a command-line argument) is
refused as such, and ``#`` is refused rather than silently ending the expression.

>>> from symcheck.errors import ParseError
>>> try:
...     check_characters("2*Ｘ", where="--expr")
... except ParseError as err:
...     print(err)
--expr at column 3: `Ｘ` is FULLWIDTH LATIN CAPITAL LETTER X (U+FF38), which would silently be read as `X`; write `X` in plain ASCII
>>> homoglyph_note("а")
'`а` is written with CYRILLIC SMALL LETTER A (U+0430), not the Latin letter `a`'
"""

from __future__ import annotations

import unicodedata

from symcheck.errors import ParseError

__all__ = ["check_characters", "homoglyph_note", "describe_character"]

# Letters of other scripts that look like Latin ones (a subset of Unicode's confusables.txt
# for the Cyrillic and Greek letters that render identically in common fonts).
_LOOKALIKES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
}


def describe_character(ch: str) -> str:
    """Return ``NAME (U+XXXX)`` for one character.

    >>> describe_character("λ")
    'GREEK SMALL LETTER LAMDA (U+03BB)'
    """
    name = unicodedata.name(ch, "an unnamed character")
    return f"{name} (U+{ord(ch):04X})"


def homoglyph_note(name: str) -> str | None:
    """Return a sentence naming the look-alike letters of other scripts in ``name``, or None."""
    notes = [f"`{ch}` is written with {describe_character(ch)}, not the Latin letter "
             f"`{_LOOKALIKES[ch]}`" for ch in dict.fromkeys(name) if ch in _LOOKALIKES]
    return "; ".join(notes) or None


def latin_lookalike(name: str) -> str:
    """Return ``name`` with look-alike letters of other scripts replaced by the Latin ones."""
    return "".join(_LOOKALIKES.get(ch, ch) for ch in name)


def check_characters(text: str, *, where: str) -> None:
    """Raise ParseError for a lone surrogate, a character NFKC would fold, or a ``#``."""
    for column, ch in enumerate(text, start=1):
        at = f"{where} at column {column}"
        if "\ud800" <= ch <= "\udfff":
            raise ParseError(f"the text is not valid Unicode: a lone surrogate U+{ord(ch):04X} "
                             "(the trace of bytes that are not UTF-8)", where=at,
                             fix="pass the expression as UTF-8 text")
        if ch == "#":
            raise ParseError("`#` is not part of the expression language (in Python it would "
                             "start a comment and the rest of the text would be ignored)",
                             where=at, fix="remove the comment")
        if ch.isascii():
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch:
            raise ParseError(f"`{ch}` is {describe_character(ch)}, which would silently be read "
                             f"as `{folded}`", where=at, fix=f"write `{folded}` in plain ASCII")
