"""Pure parsing of what French offices type: encodings, separators, numbers, qualifiers, periods."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from dataclasses import dataclass

from dashboard import periods
from dashboard.data.columns import NATURES

# Beyond any published figure (a national budget in euros is about 10^11): a longer number is a slip,
# and one of 400 digits would be stored as infinity.
MAX_ABS_VALUE = 1e15
# Every space a spreadsheet may put inside a number: ordinary, no-break, narrow no-break, thin, figure.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u2008\u200a]+")
_NUMBER = re.compile(r"^[+\-\u2212]?(\d+([.,]\d+)?|\d{1,3}([.]\d{3})+(,\d+)?|[.,]\d+)$")

# Longest first, so that "plus de" wins over "+".
_QUALIFIER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("plus de", "plus de"),
    ("au moins", "plus de"),
    ("+ de", "plus de"),
    ("+de", "plus de"),
    (">=", "plus de"),
    (">", "plus de"),
    ("près de", "environ"),
    ("pres de", "environ"),
    ("environ", "environ"),
    ("env.", "environ"),
    ("env", "environ"),
    ("~", "environ"),
    ("≈", "environ"),
    ("moins de", "moins de"),
    ("<=", "moins de"),
    ("<", "moins de"),
)

_QUALIFIER_WORDS = {
    "": "exact",
    "exact": "exact",
    "exacte": "exact",
    "plus de": "plus de",
    "au moins": "plus de",
    "environ": "environ",
    "pres de": "environ",
    "près de": "environ",
    "moins de": "moins de",
}

_NATURE_WORDS: dict[str, str] = {
    "": "niveau",
    "niveau": "niveau",
    "evolution en %": "evolution_pct",
    "evolution %": "evolution_pct",
    "evolution en pourcentage": "evolution_pct",
    "evolution en valeur": "evolution_val",
    "evolution en nombre": "evolution_val",
    "evolution": "evolution_val",
    **{code: code for code in NATURES},
}


class ParseError(ValueError):
    """A cell or a file could not be read; the message is French and says what was expected."""


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number and the qualifier written in front of it (« plus de 1 000 »)."""

    value: float
    qualifier: str
    percent: bool = False  # written with a « % » sign


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form of a word, for lenient matching."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    no_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", no_accents).strip().lower()


# Period words as read back: the words formatting writes, other spellings and the codes themselves.
_PERIOD_WORDS: dict[str, str] = {
    **{fold(word): code for code, word in periods.WORDS.items()},
    **periods.OTHER_SPELLINGS,
    **{code: code for code in periods.CODES},
}


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode file bytes as UTF-8 (with or without BOM), else Windows-1252; return (text, encoding).

    UTF-8 is tried first because a UTF-8 file read as cp1252 gives silent mojibake, while cp1252 bytes
    almost never form valid UTF-8.
    """
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig"), "utf-8"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:
        raise ParseError(
            "Encodage non reconnu : enregistrez le fichier en « CSV UTF-8 » ou en « CSV (séparateur : "
            "point-virgule) » depuis Excel."
        ) from err


def sniff_separator(text: str) -> str:
    """The separator of a CSV text, judged on its header line: ``;``, ``,`` or tab."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    if counts[best] == 0:
        raise ParseError(
            "Séparateur introuvable dans la ligne d'en-tête : attendu « ; » ou « , » entre les colonnes."
        )
    return best


def normalize_header(name: str) -> str:
    """Column names as users type them (« Département », « Année ») to the format's names."""
    folded = fold(name.lstrip("\ufeff"))
    return re.sub(r"[\s\-]+", "_", folded)


def parse_french_number(text: str) -> ParsedNumber:
    """Read « 3 872 394 », « 77,36 », « plus de 1 000 », « -13,77 % », « 414 463 € ».

    Raises:
        ParseError: when the text is not a number, in French.
    """
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise ParseError("n'est pas un nombre")  # ２ or ² would fold to 2: never guess such a figure
    raw = fold(text)
    qualifier = "exact"
    for prefix, meaning in _QUALIFIER_PREFIXES:
        if raw.startswith(prefix):
            qualifier = meaning
            raw = raw[len(prefix) :].strip()
            break
    percent = raw.endswith("%")
    raw = raw.removesuffix("%").removesuffix("€").removesuffix("eur")
    compact = _SPACES.sub("", raw).replace("\u2212", "-")
    # ASCII digits only: « ２０２４ » or « ²⁰²⁴ » are not what a person meant to type as a figure.
    if not compact or not compact.isascii() or not _NUMBER.match(compact):
        raise ParseError("n'est pas un nombre")
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    elif re.search(r"\.\d{3}\.", compact):
        compact = compact.replace(".", "")
    value = float(compact)
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise ParseError("nombre hors limites")
    return ParsedNumber(value, qualifier, percent)


def parse_qualifier(text: str) -> str:
    """« plus de », « environ », « moins de » or empty (exact)."""
    return _code_of(text, _QUALIFIER_WORDS, "qualificatif inconnu")


def parse_period(text: str) -> str:
    """A period code (``annee``, ``mois-04``…) from its French form (« avril », « 1er semestre »…)."""
    return _code_of(text, _PERIOD_WORDS, "période inconnue")


def parse_nature(text: str) -> str:
    """``niveau``, ``evolution_pct`` or ``evolution_val`` from their French forms."""
    return _code_of(text, _NATURE_WORDS, "nature inconnue")


def _code_of(text: str, words: dict[str, str], unknown: str) -> str:
    """The code of a word of a closed vocabulary, read without regard to case or accents."""
    try:
        return words[fold(text)]
    except KeyError:
        raise ParseError(unknown) from None


def parse_departement_code(text: str) -> str:
    """An INSEE département code as text: « 1 » → ``01``, « 2a » → ``2A``."""
    code = _SPACES.sub("", text).upper()
    if code.endswith(".0"):  # a spreadsheet turned the code into a float
        code = code[:-2]
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    return code
