"""Text normalisation for name matching: folding, tokens with offsets, transliteration, keys.

Three levels of folding, from strict to loose:

- `fold(s)`: what a reader would call "the same spelling": NFKC, casefold, Latin diacritics
  removed (Zełenski -> zelenski), Cyrillic letters kept (й, ї stay distinct), ё -> е, soft hyphens,
  zero-width characters, hyphenated line breaks and apostrophes dropped. Used for exact matches.
- `phonetic_keys(s)`: a phonetic spelling that most press transliterations of one Cyrillic name
  share (Zelensky, Selenskyj, Зеленський -> "selenski"). Ambiguous Latin letters (ch is ч in
  English, х in German/Polish, ш in French) give several readings, so it returns a tuple.
- `skeleton(key)`: the consonants of a key. Names are indexed by skeleton, so a lookup finds
  every spelling whose consonants agree, whatever the vowels (Kyiv, Kiev, Kijów -> "kv").

Tokens keep their offsets into the original text, so a hit always points at what the user wrote.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

VOWELS = frozenset("aeiou")
_NO_VOWELS = str.maketrans("", "", "aeiou")
SYSTEMS = ("uk_national", "bgn_pcgn", "scholarly", "german", "polish", "french")

# -- tokens -------------------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
# Combining marks (NFD text; Arabic's and Hebrew's vowel points and hamza: مُحَمَّد, إدلب in
# NFD), soft hyphen and zero-width characters continue a word (U+FEFF: the byte order mark
# that concatenated files leave inside the text).
_MARK = r"[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7" \
        r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed" \
        r"\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff]"
_APOS = r"['\u2019\u02bc\u2032]"
# A hyphen at the end of a line inside a word ("Zelen-\nsky") joins the two halves.
_BREAK = r"-[ \t]*\r?\n[ \t]*"
# (runs of letters are taken whole: the same matches as one letter at a time, twice as fast)
_WORD = re.compile(
    rf"{_LETTER}(?:{_LETTER}+|{_MARK}|{_APOS}(?={_LETTER})|{_BREAK}(?={_LETTER}))*"
)
_IGNORED = re.compile(rf"{_MARK}|{_APOS}|{_BREAK}")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the original text: text[start:end] is `raw`; `core` drops a possessive 's."""

    start: int
    end: int
    raw: str
    core: str


def tokenize(text: str) -> list[Token]:
    """Split text into words with their str offsets into the original text."""
    return [Token(start, end, text[start:end], core) for start, end, core in word_spans(text)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, core) of every word: the cheap form the matcher iterates over."""
    out = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    for k, (start, end, raw) in enumerate(out):
        if raw[-1] in "sS" and len(raw) > 2 and raw[-2] in "'\u2019\u02bc\u2032":
            out[k] = (start, end, raw[:-2])
    for m in _INNER_APOS.finditer(text) if "'" in text or "\u2019" in text else ():
        elided = _ELIDED.search(text, max(0, m.start() - 6), m.start())
        k = bisect.bisect_left(out, (elided.start(), -1, "")) if elided else len(out)
        if k < len(out) and out[k][0] == elided.start():  # d'Odessa, l'OTAN, qu'Erdogan
            start, end, core = out[k]
            out[k] = (m.end(), end, core[m.end() - start:])
    tags = _TAG.finditer(text) if "#" in text or "@" in text else ()  # (a C-speed test first)
    for m in reversed(list(tags)):  # #zelensky, #StandWithKyiv, @ZelenskyyUa
        k = bisect.bisect_left(out, (m.end(), -1, ""))
        if k < len(out) and out[k][0] == m.end():
            out[k:k + 1] = _tag_words(out[k])
    for m in reversed(list(_GLUED.finditer(text))):  # seldom any: a C-speed search first
        k = bisect.bisect_right(out, (m.start() + 1, -1, "")) - 1
        if k >= 0 and out[k][1] > m.start() + 1:
            out[k:k + 1] = _unglue(out[k])
    for m in () if text.isascii() else _MIXED.finditer(text):
        k = bisect.bisect_right(out, (m.start(), len(text), "")) - 1
        if k >= 0 and out[k][1] > m.start():
            out[k] = (*out[k][:2], unmix(out[k][2]))
    return out


# A French (or Italian, Catalan) elided article, pronoun or conjunction before a word: d'Odessa,
# l'OTAN, qu'Erdogan are Odessa, OTAN, Erdogan. Not O'Brien: "o" elides nothing.
# (The apostrophes are found first, then what comes before each: five times faster than one
# pattern tried at every position of the text.)
_INNER_APOS = re.compile(rf"{_APOS}(?={_LETTER})")
_ELIDED = re.compile(rf"(?<!{_LETTER})(?:[dljmnstc]|qu|jusqu|lorsqu|puisqu)$", re.IGNORECASE)

# Cyrillic letters that look like Latin ones. A word that mixes the scripts (Рutin with a
# Cyrillic Р: an evasion trick, or an OCR slip) is read in the script of most of its letters.
_CYR_LOOKS = "АВЕКМНОРСТХаеорсухіјѕІЈЅ"
_LAT_LOOKS = "ABEKMHOPCTXaeopcyxijsIJS"
_TO_LATIN = str.maketrans(_CYR_LOOKS, _LAT_LOOKS)
_TO_CYRILLIC = str.maketrans(_LAT_LOOKS, _CYR_LOOKS)
# (the Cyrillic letter first: in a Latin text a rare letter, and a scan several times faster)
_MIXED = re.compile(r"[\u0400-\u04ff](?:(?<=[A-Za-z].)|(?=[A-Za-z]))")


# Turkish writes a name's case suffix after an apostrophe: Erdoğan'ın, Kiev'de, Rusya'nın,
# Putin'le. Suffixes of two letters or more, or of a letter of Turkish's own (ı, ü): Sana'a,
# Hawai'i are names. (Names are written so too, Tel'de: see turkish_head.)
_TURKISH_SUFFIXES = frozenset("""ı ü ın in un ün nın nin nun nün yı yi yu yü nı ni nu nü ya ye na
ne da de ta te nda nde dan den tan ten ndan nden la le yla yle daki deki taki teki ndaki ndeki
lar ler ları leri ların lerin lara lere larda lerde lardan lerden""".split())
_TURKISH_VOWELS = frozenset("aeıioöuüâîû")
_LAST_APOS = re.compile(rf"{_APOS}(?=[^'\u2019\u02bc\u2032]*$)")


def turkish_head(word: str) -> str | None:
    """The name a capitalised word is with a Turkish case suffix after an apostrophe
    (Erdoğan'ın: Erdoğan), or None. For the matcher to read a word so only when the word as
    written names nothing: Tel'de is the name of a place too."""
    m = _LAST_APOS.search(word)
    if m is None or m.start() < 3 or not word[0].isupper():
        return None
    head, suffix = word[:m.start()], word[m.end():]
    if suffix not in _TURKISH_SUFFIXES:
        return None
    # a suffix that opens with a vowel follows a consonant, one with the n or y that keeps
    # two vowels apart a vowel (Erdoğan'ın, Rusya'nın; Rusya'da, Kiev'de): Modi'in is no Modi
    after_vowel = head[-1].lower() in _TURKISH_VOWELS
    if after_vowel and suffix[0] in _TURKISH_VOWELS or not after_vowel and suffix[0] in "ny":
        return None
    return head


def mixed_scripts(text: str) -> bool:
    """Whether a word of `text` mixes Latin and Cyrillic letters (Рutin, Zelenskу)."""
    return not text.isascii() and _MIXED.search(text) is not None


def unmix(word: str) -> str:
    """A word of Latin and Cyrillic letters in one script, if its minority letters all look
    like letters of the other (Рutin -> Putin, Мoсква -> Москва); else as it is."""
    cyr = [c for c in word if "\u0400" <= c <= "\u04ff"]
    lat = [c for c in word if c.isascii() and c.isalpha()]
    table, minority, looks = (_TO_LATIN, cyr, _CYR_LOOKS) if len(lat) >= len(cyr) else \
        (_TO_CYRILLIC, lat, _LAT_LOOKS)
    return word.translate(table) if all(c in looks for c in minority) else word


# A hashtag or handle: # or @ starting a token (not press@gazprom.ru, not C#).
_TAG = re.compile(r"(?<![\w.])[#@](?=[^\W\d_])")


def _tag_words(span: tuple[int, int, str]) -> list[tuple[int, int, str]]:
    """The words of a hashtag or handle: split where a capital starts one (StandWithKyiv,
    ZelenskyyUa), each read as capitalised ("#zelensky" names him as "Zelensky" does)."""
    start, _, core = span
    cuts = [0, *(m.start() for m in _CAMEL.finditer(core)), len(core)]
    return [(start + a, start + b, core[a:b][:1].upper() + core[a:b][1:])
            for a, b in itertools.pairwise(cuts) if b > a]


def _letters(test) -> str:
    """A regex class body of the Latin and Cyrillic letters that pass `test`."""
    return "".join(re.escape(chr(c)) for r in ((0x41, 0x250), (0x400, 0x530))
                   for c in range(*r) if test(chr(c)))


# A lower-case letter, then a capital and a lower-case letter: maybe two words a scraper glued
# together where it dropped a line break ("attacksZelenskyy told"); _unglue decides.
_LOWER = _letters(str.islower)
_UPPER = _letters(str.isupper)
_GLUED = re.compile(f"[{_LOWER}][{_UPPER}][{_LOWER}]")
# where a capital starts a word inside a hashtag: PutinWar, NATOSummit (not inside NATO)
_CAMEL = re.compile(f"(?<=[{_LOWER}])(?=[{_UPPER}])|(?<=[{_UPPER}])(?=[{_UPPER}][{_LOWER}])")
GLUED_MIN = 3  # letters of the lower-case word before the capital


def _unglue(span: tuple[int, int, str]) -> tuple[tuple[int, int, str], ...]:
    """A word split where a lower-case word of GLUED_MIN letters or more runs into a
    capitalised one ("attacksZelenskyy", "заявилЗеленский"). Not a word that starts with a
    capital (PetroChina, SoftBank: one name) nor a short prefix (iPhone, eBay, McDonald)."""
    start, end, core = span
    if core[1:].islower() or not core[0].islower():
        return (span,)
    for k in range(GLUED_MIN, len(core) - 1):
        if core[k].isupper() and core[k + 1].islower() and core[:k].islower():
            return (start, start + k, core[:k]), (start + k, end, core[k:])
    return (span,)


# -- folding ------------------------------------------------------------------------------------

# Latin letters that NFKD does not decompose, or that carry a sound the key must keep.
_LATIN_PLAIN = {"ł": "l", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i",
                "ð": "d", "þ": "th", "ŀ": "l", "ħ": "h"}


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f"


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if _is_cyrillic(ch):
        return "е" if ch == "ё" else ch
    if ch in _LATIN_PLAIN:
        return _LATIN_PLAIN[ch]
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def clean(s: str) -> str:
    """NFKC + casefold, without soft hyphens, zero-width characters, apostrophes, line breaks."""
    s = _IGNORED.sub("", unicodedata.normalize("NFC", s))
    return unicodedata.normalize("NFKC", s).casefold()


_TABLE_MAX = 1 << 16


class _CharTable(dict):
    """A function of one character as a str.translate table, filled on first sight of each
    character (a character at a time in Python was most of fold()'s time on a Cyrillic
    word)."""

    def __init__(self, of_char) -> None:
        super().__init__()
        self.of_char = of_char

    def __missing__(self, code: int) -> str:
        out = self.of_char(chr(code))
        if len(self) < _TABLE_MAX:  # (a text of every letter there is grows it no further)
            self[code] = out
        return out


_FOLD = _CharTable(_fold_char)


def fold(s: str) -> str:
    """The exact-match form: clean(), Latin diacritics removed, Cyrillic kept (ё -> е)."""
    c = clean(s)
    if c.isascii():
        return c
    return c.translate(_FOLD)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """fold() the whole text, with offsets[i] = index in `text` of the i-th output character.

    A character that folds to several (ß -> ss) maps each of them to its own position; dropped
    characters (soft hyphens, combining marks) map to nothing, so spans found in the folded text
    translate back with offsets[start] and offsets[end - 1] + 1.
    """
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if _IGNORED.fullmatch(ch):
            continue
        for f in _fold_char(unicodedata.normalize("NFKC", ch).casefold()):
            out.append(f)
            offsets.append(i)
    return "".join(out), offsets


# -- transliteration tables ---------------------------------------------------------------------


def _read_tsv(name: str) -> list[list[str]]:
    text = resources.files("watcher").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]  # header


@lru_cache(maxsize=1)
def _translit_table() -> dict[str, dict[str, tuple[str, str]]]:
    """cyr letter -> {system: (inside a word, at the start / after a vowel)}."""
    text = resources.files("watcher").joinpath("data", "translit.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    table: dict[str, dict[str, tuple[str, str]]] = {}
    for line in lines[1:]:
        cells = line.split("\t")
        row = {}
        for system, cell in zip(header[1:], cells[1:], strict=True):
            medial, _, initial = cell.partition("|")
            medial = "" if medial == "-" else medial
            row[system] = (medial, initial or medial)
        table[cells[0]] = row
    return table


@lru_cache(maxsize=1)
def _cyr_key_map() -> dict[str, str]:
    return {c: row["key"][0] for c, row in _translit_table().items()}


_SOFTENERS = frozenset("аеёєиіїоуыэюяьъ'’ʼ")


def to_latin(text: str, system: str = "bgn_pcgn") -> str:
    """Transliterate Cyrillic (Russian or Ukrainian) to Latin in one press convention.

    Capitals stay capitals; non-Cyrillic characters pass through.
    """
    table = _translit_table()
    out = []
    prev = ""
    for ch in text:
        low = ch.lower()
        row = table.get(low)
        if row is None:
            out.append(ch)
            prev = ch
            continue
        medial, initial = row[system]
        at_start = not prev or not prev.isalpha() or (
            system != "uk_national" and prev.lower() in _SOFTENERS)
        latin = initial if at_start else medial
        if system == "uk_national" and low == "г" and not looks_ukrainian(text):
            latin = "g"  # Russian г is g in every convention; only Ukrainian г is h
        if ch != low and latin:
            latin = latin[0].upper() + latin[1:] if not text.isupper() else latin.upper()
        out.append(latin)
        prev = ch
    return "".join(out)


def looks_ukrainian(text: str) -> bool:
    return any(c in "іїєґІЇЄҐ" for c in text)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_UMLAUT = re.compile("[äöüÄÖÜ]")


def umlauts_spelt_out(name: str) -> str | None:
    """A name with German's umlauts as written without them (Müller: Mueller, München:
    Muenchen, Jürgen: Juergen), or None if it has none. Folding makes ü a u (muller), so this
    usual spelling is a letter off the folded name: too far for one that is a frequent word,
    whose other vowels are refused."""
    return name.translate(_UMLAUTS) if _UMLAUT.search(name) else None


# -- Arabic names in Latin letters ---------------------------------------------------------------
# One Arabic name has many romanisations: Qaddafi, Gaddafi, Kadhafi; Usama, Osama, Oussama;
# Hussein, Husayn, Hussain; al-Julani, al-Jolani. Arabic writes the consonants; its short
# vowels and the letters Latin lacks (ق: q, k, g; ذ: dh, d) are each press's choice. So two
# spellings are one name if their consonants are, once those choices are undone, and their
# vowels differ only as romanisations' do (arabic_variant).

# what Arabic names from the press mark (see arabic_name): the article joined by a hyphen
# (al-Assad, el-Sisi; as heard before the letter it takes the sound of: ash-Shara), bin, ibn,
# abu, abd (Osama bin Laden, Abu Bakr), a name of God's (Hezbollah, Nasrallah, Abdullah),
# Arabic script. (Each behind a test of a letter or two: 100k names are read in a fifth of
# the time a search of all of it takes.)
_AR_ARTICLE = re.compile(r"[\s(](?:(?:al|el|ud|ul)-\w|a(sh|th|dh|[tdrzsln])-\1)")
_AR_PARTICLES = re.compile(r" (?:bin|ibn|bint|abu|abd|abdel|abdul|ould) ")
_AR_GOD = re.compile(r"\w[aeiou]llah\b")
_AR_SCRIPT = re.compile(r"[\u0600-\u06ff]")
# (longest first; capitals for sounds of their own, lower case for those merged: q, k, g and gh
# one letter, dh and d, th and t; French's ou, dj, ch, German's dsch, sch, English's oo, ee;
# y and w vowels but before one. Not c, which Arabic's romanisations spell only in ch: Cold is
# no Gold, City no Getty)
_AR_LETTERS = re.compile(r"dsch|sch|kh|gh|sh|ch|th|dh|zh|ph|dj|ou|oo|ee|[qg]|[yw](?![aeiou])")
_AR_SOUNDS = {"dsch": "j", "sch": "S", "kh": "X", "gh": "k", "sh": "S", "ch": "S", "th": "t",
              "dh": "d", "zh": "j", "ph": "f", "dj": "j", "ou": "u", "oo": "u", "ee": "i",
              "q": "k", "g": "k", "y": "i", "w": "u"}
_AR_FRENCH_W = re.compile(r"(?<=[aeiou])ou(?=[aeiou])")  # French's w: Zarqaoui (not Mouammar)
_AR_DOUBLED = re.compile(r"(.)\1+")
_AR_DOUBLED_CONSONANT = re.compile(r"([^aeiou])\1+")


# Arabic's article joined to a word, and the letters it takes the sound of ("sun letters":
# an-Nusra, ash-Sham, ar-Rahman for al-)
_AR_ARTICLE_AT = re.compile(r"(?i)(?<![^\W\d_])(?:al|el|a(?:sh|th|dh|[tdrzsln]))-(?=([^\W\d_]+))")
_AR_SUN = ("sh", "th", "dh", *"tdrzsln")


def arabic_articles(name: str) -> list[str]:
    """The name with its Arabic article as others write it: al- or el-, or before a sun letter
    as it is heard (Jabhat al-Nusra: Jabhat el-Nusra, Jabhat an-Nusra; ash-Shabaab:
    al-Shabaab, el-Shabaab)."""
    out = []
    for m in _AR_ARTICLE_AT.finditer(name):
        article, word = m.group()[:-1], m.group(1).lower()
        sun = next((s for s in _AR_SUN if word.startswith(s)), "")
        for other in ("al", "el", *(["a" + sun] if sun else [])):
            if other != article.lower():
                other = other.capitalize() if article[0].isupper() else other
                out.append(name[:m.start()] + other + name[m.end() - 1:])
    return out


def arabic_name(names: str) -> bool:
    """Whether names (an entity's, joined) are Arabic by their marks: see _AR_ARTICLE."""
    low = f" {names.lower()} "
    return "-" in low and _AR_ARTICLE.search(low) is not None or \
        "llah" in low and _AR_GOD.search(low) is not None or \
        _AR_PARTICLES.search(low) is not None or \
        not low.isascii() and _AR_SCRIPT.search(low) is not None


@lru_cache(maxsize=1 << 16)
def arabic_spelling(word: str) -> tuple[str, tuple[str, ...], bool] | None:
    """(consonants, the vowels before, between and after them, whether it ends in a name of
    God's: Nasrallah, see arabic_variant) of a word read as a romanised Arabic name (Qaddafi,
    Kadhafi, Gaddafi: kdf; Hussein, Husayn: hsn), or None for a word too short to tell apart
    so (two consonants and four letters at least)."""
    low = fold(word)
    if not low.isascii():
        return None
    god = low.endswith(("llah", "lla"))  # (see arabic_variant)
    # a doubled consonant as one (Hussein, Husein; Sayyid, Sayid), then the letters, then
    # vowels doubled by them (Saeed, Said: aee, ai)
    low = _AR_DOUBLED_CONSONANT.sub(r"\1", re.sub(r"[^a-z]", "", low))
    low = _AR_LETTERS.sub(lambda m: _AR_SOUNDS.get(m.group(), m.group()),
                          _AR_FRENCH_W.sub("w", low))
    if low.endswith("h") and low[-2:-1] in VOWELS:
        low = low[:-1]  # Abdullah, Abdulla; Saleh, Salih; Fatimah, Fatima
    parts = re.split(r"([^aeiou])", _AR_DOUBLED.sub(r"\1", low))
    consonants, vowels = "".join(parts[1::2]), tuple(parts[0::2])
    if len(low) < 4 or len(consonants) < 2:
        return None
    return consonants, vowels, god


def arabic_variant(a: tuple[str, tuple[str, ...], bool],
                   b: tuple[str, tuple[str, ...], bool]) -> str:
    """Why two arabic_spelling()s are not one name, or "" if they are: the same consonants,
    the vowels between them alike (_ar_groups_alike: Mohammed, Muhammad; Yousef, Yusuf), one
    e at most for another vowel, one short one left out inside a long name (Zawahri,
    Zawahiri); before a name of God's ending any (Hezbollah, Hizballah; Nasrallah, Nasrullah:
    a case ending). Hassan is no Hussein (a and u), Hamid no Hamad (i and a)."""
    (cons, va, god), (cons_b, vb, god_b) = a, b
    if cons != cons_b:
        return "consonants differ"
    free = len(va) - 2 if god or god_b else -1  # (the vowel before the last l)
    left_out = e_for = False
    last = len(va) - 1
    for k, (x, y) in enumerate(zip(va, vb, strict=True)):
        if k == free or x == y or k == last and cons[-1] == "n" and {x, y} == {"e", ""}:
            continue  # (French writes a final n with a silent e: Salmane, Yassine)
        if _ar_groups_alike(x, y, len(cons) >= 3):
            if ("e" in x) != ("e" in y):  # (one e for another vowel: Mekele is no Mukalla)
                if e_for:
                    return "vowels: more than one e for another"
                e_for = True
            continue
        if 0 < k < len(va) - 1 and len(x) + len(y) == 1 and len(cons) >= 4 \
                and not left_out:
            left_out = True
            continue
        return f"vowels {x or '-'}/{y or '-'}: another name, no other spelling"
    return ""


def _ar_groups_alike(x: str, y: str, loose: bool) -> bool:
    """Vowels alike: o and u, e and a or i; e and any in a name of three consonants or more
    (Youssef, Yusuf; not Meke, Mogi); a diphthong and the vowel it is read as (Jawlani,
    Jolani; Shaykh, Sheikh, Shekh)."""
    if len(x) != len(y):
        return any(x in same and y in same for same in _AR_DIPHTHONGS)
    return all(p == q or {p, q} <= _AR_O or "e" in (p, q) and (loose or {p, q} <= _AR_E)
               for p, q in zip(x, y, strict=True))


_AR_O, _AR_E = frozenset("ou"), frozenset("aei")
_AR_DIPHTHONGS = (frozenset(("au", "ou", "o")), frozenset(("ou", "u")),
                  frozenset(("ai", "ei", "e")))


def to_cyrillic(text: str) -> str:
    """A best-effort Latin -> Cyrillic (Russian) spelling, for display and tests.

    Latin is ambiguous (y is й, ы or и); the matcher never relies on this direction: it maps
    both scripts into one phonetic key instead.
    """
    rules = [("shch", "щ"), ("sch", "ш"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
             ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"),
             ("yy", "ый")]
    single = dict(zip("abvgdezijklmnoprstufhcyw", "абвгдезийклмнопрстуфхцыв", strict=True))
    out, i, low = [], 0, text.lower()
    while i < len(low):
        for lat, cyr in rules:
            if low.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(single.get(low[i], low[i]))
            i += 1
    res = "".join(out)
    return res[:1].upper() + res[1:] if text[:1].isupper() else res


# -- Chinese names in Russian (Palladius) -----------------------------------------------------

# Russian writes a Chinese name by the Palladius system, syllable by syllable (Xi Jinping: Си
# Цзиньпин, Zhou Enlai: Чжоу Эньлай), which no letter-by-letter key reaches (j is цз, x is с).
_PY_INITIALS = (("zh", "чж"), ("ch", "ч"), ("sh", "ш"), ("b", "б"), ("p", "п"), ("m", "м"),
                ("f", "ф"), ("d", "д"), ("t", "т"), ("n", "н"), ("l", "л"), ("g", "г"),
                ("k", "к"), ("h", "х"), ("j", "цз"), ("q", "ц"), ("x", "с"), ("r", "ж"),
                ("z", "цз"), ("c", "ц"), ("s", "с"))
_PY_FINALS = {"a": "а", "o": "о", "e": "э", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
              "an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "i": "и",
              "ia": "я", "iao": "яо", "ie": "е", "iu": "ю", "ian": "янь", "in": "инь",
              "iang": "ян", "ing": "ин", "iong": "юн", "u": "у", "ua": "уа", "uo": "о",
              "uai": "уай", "ui": "уй", "uan": "уань", "un": "унь", "uang": "уан", "v": "юй",
              "ve": "юэ", "van": "юань", "vn": "юнь"}
_PY_ALONE = {"a": "а", "ai": "ай", "an": "ань", "ang": "ан", "ao": "ао", "e": "э", "ei": "эй",
             "en": "энь", "eng": "эн", "er": "эр", "o": "о", "ou": "оу", "yi": "и", "ya": "я",
             "yao": "яо", "ye": "е", "you": "ю", "yan": "янь", "yin": "инь", "yang": "ян",
             "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань", "yun": "юнь",
             "wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань",
             "wen": "вэнь", "wang": "ван", "weng": "вэн"}


_PY_U_AS_V = {"u": "v", "un": "vn", "uan": "van"}  # after j, q, x: ju is цзюй, xuan сюань


def _pinyin_syllables() -> dict[str, str]:
    """Pinyin syllable -> its Palladius spelling."""
    out = dict(_PY_ALONE)
    for ini, cyr in _PY_INITIALS:
        for fin, tail in _PY_FINALS.items():
            if ini in ("j", "q", "x"):
                if fin[0] in "uo" and fin not in _PY_U_AS_V:
                    continue  # no jua, jo, jong
                tail = _PY_FINALS[_PY_U_AS_V.get(fin, fin)]
            elif fin[0] == "v" and ini not in ("n", "l"):
                continue  # ü only after n and l (nü, lüe)
            elif fin == "i" and ini in ("z", "c", "s"):
                tail = "ы"  # zi, ci, si: цзы, цы, сы
            out[ini + fin.replace("v", "ü")] = cyr + tail
            out.setdefault(ini + fin.replace("v", "u"), cyr + tail)  # lüe is written lue too
    out.update(hui="хуэй", jue="цзюэ", que="цюэ", xue="сюэ")  # (gui, kui: гуй, куй)
    return out


_PY = _pinyin_syllables()
_PY_LONGEST = max(map(len, _PY))


def _pinyin_split(word: str) -> list[str] | None:
    """A pinyin word in syllables (jinping: jin ping; xi'an: xi an), longest first; None if
    it is no run of pinyin syllables."""
    if not word:
        return []
    if word[0] in "'’-":
        return _pinyin_split(word[1:])
    for n in range(min(_PY_LONGEST, len(word)), 0, -1):
        if word[:n] in _PY:
            rest = _pinyin_split(word[n:])
            if rest is not None:
                return [word[:n], *rest]
    return None


def pinyin_syllables(word: str) -> list[str] | None:
    """A folded pinyin word in its syllables (jinping: jin, ping), or None."""
    return _pinyin_split(word) if word.isascii() else None


# Korean's romanisations of one syllable: the consonants that open it (Revised Romanisation's
# g, d, b, j for McCune-Reischauer's k, t, p, ch) and its vowels (eo, eu for o, u: ŏ, ŭ)
_KO_INITIALS = (("ch", "j"), ("k", "g"), ("t", "d"), ("p", "b"))
_KO_VOWELS = (("yeo", "yo"), ("eo", "o"), ("eu", "u"))
KO_MOST = 64  # spellings of one name, at most (three syllables of four each, a family's)


@lru_cache(maxsize=1)
def _korean_family() -> dict[str, tuple[str, ...]]:
    out = {}
    for line in _keys("korean_family_names.txt"):
        names = tuple(line.split())
        out.update((name, names) for name in names)
    return out


def korean_spellings(folds: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The other romanisations of a Korean name written family name first (its folded words,
    Kim Jong Un: kim, jong, un): its family name's (data/korean_family_names.txt) and its
    given name syllables' (kim jong eun, kim chong un, gim jeong eun...), none if there would
    be more than KO_MOST."""
    family = _korean_family().get(folds[0])
    if family is None:
        return []
    options = [family, *map(_korean_syllables, folds[1:])]
    if math.prod(map(len, options)) > KO_MOST:
        return []
    return [spelling for spelling in itertools.product(*options) if spelling != folds]


def _korean_syllables(syllable: str) -> tuple[str, ...]:
    """A syllable as each romanisation writes it: its opening consonant, then its vowel, each
    swapped for the other system's (jong: chong, jeong, cheong)."""
    out = [syllable]
    for pairs, opening in ((_KO_INITIALS, True), (_KO_VOWELS, False)):
        for one, other in (swap for pair in pairs for swap in (pair, pair[::-1])):
            if syllable.startswith(one) if opening else one in syllable:
                out += [s.replace(one, other, 1) for s in out]
                break
    return tuple(dict.fromkeys(out))


def palladius(name: str) -> str | None:
    """A Chinese name in pinyin, in Russian's Palladius spelling (Xi Jinping: Си Цзиньпин,
    Deng Xiaoping: Дэн Сяопин); None if a word is no run of pinyin syllables (Kim Jong Un is
    Korean, Tsai Ing-wen Wade-Giles)."""
    out = []
    for word in name.split():
        low = unicodedata.normalize("NFD", word.casefold().replace("ü", "v")).encode(
            "ascii", "ignore").decode().replace("v", "ü")
        syllables = _pinyin_split(low)
        if not syllables:
            return None
        cyr = "".join(_PY[s] for s in syllables)
        out.append(cyr[0].upper() + cyr[1:])
    return " ".join(out) or None


# -- Japanese names in Russian (Polivanov) -----------------------------------------------------

# Russian writes a Japanese name by the Polivanov system (Shigeru Ishiba: Сигэру Исиба, Fumio
# Kishida: Фумио Кисида, Sanae Takaichi: Санаэ Такаити): shi си, chi ти, tsu цу, j дз, e э.
_JA_ROWS = {"": "", "k": "к", "g": "г", "s": "с", "z": "дз", "t": "т", "d": "д", "n": "н",
            "h": "х", "b": "б", "p": "п", "m": "м", "r": "р"}
_JA_VOWELS = {"a": "а", "i": "и", "u": "у", "e": "э", "o": "о"}
_JA_GLIDES = {"a": "я", "u": "ю", "o": "ё"}


def _japanese_syllables() -> dict[str, str]:
    out = {}
    for lat, cyr in _JA_ROWS.items():
        for v, cv in _JA_VOWELS.items():
            out[lat + v] = cyr + cv
        if lat:
            for v, cv in _JA_GLIDES.items():
                out[lat + "y" + v] = cyr + cv
    out.update({"shi": "си", "chi": "ти", "tsu": "цу", "fu": "фу", "ji": "дзи", "ya": "я",
                "yu": "ю", "yo": "ё", "wa": "ва", "sha": "ся", "shu": "сю", "sho": "сё",
                "cha": "тя", "chu": "тю", "cho": "тё", "ja": "дзя", "ju": "дзю", "jo": "дзё",
                "n": "н"})
    for bad in ("si", "ti", "tu", "hu", "zi", "di", "du", "yi", "ye", "wi", "we", "wu"):
        out.pop(bad, None)
    return out


_JA = _japanese_syllables()
# syllables no other language we read makes names of (Maria Kato would be Japanese too)
# (not ja, wa: Polish's Gaja, Kowala)
_JA_OWN = frozenset(("shi", "chi", "tsu", "fu", "ji", "ryo", "ryu", "kyo", "kyu", "sho",
                     "shu", "cho", "chu", "ya", "yu", "yo"))


# a letter Hepburn has not (a quick no for most names: a compile asks it of every person)
_NOT_JAPANESE = re.compile(r"[lLqQvVxX]|[^\sa-zA-ZāēīōūĀĒĪŌŪâêîôûÂÊÎÔÛ'-]")


def _japanese_split(word: str) -> list[str] | None:
    """A romanised Japanese word in syllables (shigeru: shi ge ru), a doubled consonant as
    its own (hokkaido: ho k ka i do); None if it is no run of them."""
    if not word:
        return []
    for n in (3, 2, 1):
        head = word[:n]
        if head in _JA and not (head == "n" and word[1:2] and word[1:2] in "aiueoy"):
            rest = _japanese_split(word[n:])
            if rest is not None:
                return [head, *rest]
    if len(word) > 1 and word[0] == word[1] and word[0] in "kstpc":  # (a doubled consonant)
        rest = _japanese_split(word[1:])
        if rest is not None:
            return [word[0], *rest]
    return None


def polivanov(name: str) -> str | None:
    """A Japanese name in Hepburn romanisation, in Russian's Polivanov spelling (Shigeru
    Ishiba: Сигэру Исиба, Shinzo Abe: Синдзо Абэ); None unless every word is a run of
    Japanese syllables and one of them is Japanese's own (shi, chi, tsu, fu, ji, yo: not
    Anna Sato, Taro Kono)."""
    words = name.split()
    if len(words) < 2 or _NOT_JAPANESE.search(name):
        return None
    out, own = [], False
    for word in words:
        low = "".join(c for c in unicodedata.normalize("NFD", word.casefold())
                      if not unicodedata.combining(c))  # (Hepburn's ō; Polish ł stays)
        syllables = _japanese_split(low) if low.isascii() and low.isalpha() else None
        if not syllables:
            return None
        own = own or any(x in _JA_OWN for x in syllables)
        cyr = "".join(_JA.get(x, "т" if x == "c" else _JA_ROWS.get(x, "")) for x in syllables)
        cyr = re.sub("н(?=[бпм])", "м", cyr)  # (Polivanov: Shinbun, симбун)
        out.append(cyr[0].upper() + cyr[1:])
    return " ".join(out) if own else None


_UK_PALLADIUS = str.maketrans("иыэИЫЭ", "іиеІИЕ")


def palladius_ukrainian(russian: str) -> str:
    """Ukrainian's spelling of a Chinese name from Russian's: і for и, и for ы, е for э (Си
    Цзиньпин: Сі Цзіньпін, Дэн Сяопин: Ден Сяопін)."""
    return russian.translate(_UK_PALLADIUS)


# -- French names in Russian ------------------------------------------------------------------

def _spelling_rules(*rules: tuple[str, str]) -> tuple[re.Pattern, tuple[str, ...]]:
    """One pattern of the rules, first match winning at each position; their replacements."""
    return (re.compile("|".join(f"(?P<r{k}>{p})" for k, (p, _) in enumerate(rules))),
            tuple(r for _, r in rules))


# the single consonants that every rule table below reads alike, last
_CONSONANTS_CYR = (("b", "б"), ("d", "д"), ("f", "ф"), ("k", "к"), ("l", "л"), ("m", "м"),
                   ("n", "н"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("v", "в"),
                   ("w", "в"), ("x", "кс"))


def _respell(rules: tuple[re.Pattern, tuple[str, ...]], low: str) -> str | None:
    """A lower-case Latin word in Cyrillic by these rules; None if a letter is left over."""
    pattern, replacements = rules
    cyr = pattern.sub(lambda m: replacements[int(m.lastgroup[1:])], low)
    return cyr if cyr and all("\u0400" <= ch <= "\u04ff" for ch in cyr) else None


# Russian and Ukrainian write a French name as it sounds (Christine Lagarde: Кристин Лагард,
# François Hollande: Франсуа Олланд, Jacques Chirac: Жак Ширак, Élisabeth Borne: Элизабет
# Борн): silent letters left out, nasal vowels an, он, ен, ch ш, j ж, u ю. No letter-by-letter
# key reaches that, so a French-looking person's name is also listed in that spelling.
_FR_V = "aeiouyàâéèêëîïôûùüœ"
_FR_C = f"(?=[^{_FR_V}]|$)"  # before a consonant or at the end
# (one pattern, _spelling_rules: endings first, then letters read together, then single ones)
_FR_RULES = (
    # endings
    ("c?qu?es?$", "к"), ("eaux?$|aux$|ault$|aud$|ots?$", "о"), ("o[iî](?:[xst]|ts)?$", "уа"),
    ("ieux?$", "ьё"), ("eux$", "ё"), ("iers?$", "ье"), ("(?<=[^aeiou])iens?$", "ьен"),
    ("rre$", "р"), ("ius$", "иус"), ("us$", "юс"), ("ies?$", "и"), ("en$", "ен"),
    ("(?<=..)(?:er|ets?|ée?s?)$", "е"),
    ("ès$", "ес"), ("e[nm]ts?$|[ae][nm](?:ds?|ts?|gs?|cs?|s)$", "ан"),
    ("o[nm](?:ds?|ts?|cs?|s)$", "он"), ("(?:[aeé]?i|y)[nm](?:ts?|s)?$|u[nm]s?$", "ен"),
    ("(?<=r)(?:ds?|ts?|s)$", ""), (f"(?<=[{_FR_V}])(?:[dtxp]s?|s)$", ""),
    (f"(?<=[^{_FR_V}])es?$", ""),
    # letters together
    ("[jg]ea", "жа"), ("eau|au", "о"), ("oui", "уи"), ("ou", "у"), ("o[iî]", "уа"),
    (f"(?<=[^{_FR_V}])ieu", "ьё"), ("eu|œu?", "ё"), (f"(?<=[^{_FR_V}])ie(?=r)", "ье"),
    ("ai|ei", "е"), (f"[ae]n(?!n){_FR_C}", "ан"), (f"[ae]m(?!m){_FR_C}", "ам"),
    (f"on(?!n){_FR_C}", "он"), (f"om(?!m){_FR_C}", "ом"),
    (f"(?:[aeé]?i|y|u)n(?!n){_FR_C}", "ен"), (f"(?:[aeé]?i|y|u)m(?!m){_FR_C}", "ем"),
    (f"oy(?=[{_FR_V}])", "уай"), ("ch(?=[rl])", "к"), ("ch", "ш"),
    ("ph", "ф"), ("th", "т"), ("gn", "нь"), ("c?qu", "к"), ("gu(?=[eiyéèê])", "г"),
    ("ge(?=[aou])|g(?=[eiyéèê])|j", "ж"), ("c(?=[eiyéèê])|ç", "с"), ("ck|c", "к"), ("x", "кс"),
    (f"(?<=[{_FR_V}])s(?=[{_FR_V}])", "з"), ("h", ""), (f"(?<=[aeiou])y|y(?=[{_FR_V}])", "й"),
    (f"l(?=[^{_FR_V}l]|$|es?$)", "ль"), ("ue", "уэ"),
    (f"(?:^|(?<=[{_FR_V}]))[eéèêë]", "э"), ("[eéèêë]", "е"), ("[aàâ]", "а"), ("[iîïy]", "и"),
    ("[oô]", "о"), ("[uûùü]", "ю"),
    ("g", "г"), ("z", "з"), *_CONSONANTS_CYR,
)
_FR = _spelling_rules(*_FR_RULES)
_FR_PARTICLES = {"le": "Ле", "la": "Ла", "de": "де", "du": "дю", "des": "де"}
_FR_LETTERS = re.compile("[éèêëàâîïôûùçœ]")
# French surnames' own endings (Lagarde, Chirac, Hollande, Renaud, Trudeau, Barnier, Bourdieu,
# Dubois)
_FR_SURNAME = re.compile(r"(?:arde|.ac|ande|aud|ault|eau|eaux|ier|ieu|ois|oix|aux|eux)$")


def looks_french(name: str) -> bool:
    """Whether a person's name shows itself French: French letters (é, ç, è), a French
    surname's ending, a particle (Le Pen, de Villepin) or a French given name first."""
    words = name.casefold().split()
    if len(words) < 2:
        return bool(words) and _FR_SURNAME.search(words[0]) is not None
    return (_FR_LETTERS.search(name.casefold()) is not None
            or _FR_SURNAME.search(words[-1]) is not None
            or any(w in _FR_PARTICLES for w in words[1:-1])
            or words[0].split("-")[0] in french_given_names())  # Jean-Luc, Jean: see there


@lru_cache(maxsize=1)
def french_given_names() -> frozenset[str]:
    """Given names that are French's own, casefolded with their accents (Éric, not Eric:
    data/french_given_names.txt), and Jean and Marie, which English has too, but which open
    most French double names (Jean-Luc, Marie-Claire)."""
    return frozenset(w.casefold() for w in _keys("french_given_names.txt")) | {"jean", "marie"}


def french_in_cyrillic(name: str) -> str | None:
    """A French person's name as Russian writes it (Christine Lagarde: Кристин Лагард); None
    for a name that does not look French (looks_french) or is not all Latin letters."""
    if not looks_french(name):
        return None
    out = []
    for word in name.split():
        low = word.casefold()
        if low in _FR_PARTICLES and len(out):
            out.append(_FR_PARTICLES[low])
            continue
        parts = [_french_word(p) for p in low.split("-")]
        if not all(parts):
            return None
        out.append("-".join(p[0].upper() + p[1:] for p in parts))
    return " ".join(out)


def _french_word(low: str) -> str | None:
    return _respell(_FR, low.lstrip("h"))


# -- given names as Russian writes them ------------------------------------------------------

# Russian and Ukrainian write a first name by its language's sounds: Giorgia Meloni is Джорджа
# Мелони, Javier Milei Хавьер Милей, Andrzej Duda Анджей Дуда, Recep Erdoğan Реджеп Эрдоган,
# Nicolas Sarkozy Николя Саркози. A letter-by-letter key reads Giorgia as Гиоргиа and takes
# Джорджа beside the surname for another first name: another person. These spellings, by
# Italian's, Spanish's, Polish's, Turkish's and French's rules, are for comparing the first
# name beside a surname with the watched person's (matcher: _CYR_KEY), whatever the name's
# language: a wrong one is only a spelling no text has.
_GV = "aeiouyàáèéìíòóùúąęó"


_VOWELS_CYR = (("[aàá]", "а"), ("[eèé]", "е"), ("[iìí]", "и"), ("[oòó]", "о"), ("[uùú]", "у"))
_ITALIAN = _spelling_rules(
    ("gli", "ль"), ("gn", "нь"), ("sch", "ск"), ("sci(?=[aou])|sc(?=[ei])", "ш"), ("ch", "к"),
    ("gh", "г"), ("ci(?=[aou])|c(?=[ei])", "ч"), ("gi(?=[aou])|g(?=[ei])", "дж"), ("c", "к"),
    ("g", "г"), ("z", "ц"), ("qu", "кв"), ("h", ""), ("j|y", "й"),
    (f"(?<=[{_GV}])s(?=[{_GV}])", "з"), ("^e", "э"), *_VOWELS_CYR, *_CONSONANTS_CYR)
_SPANISH = _spelling_rules(
    ("ll", "ль"), ("ñ", "нь"), ("ch", "ч"), ("j|g(?=[eiéí])", "х"), ("gu(?=[eiéí])", "г"),
    ("g", "г"), ("qu", "к"), ("c(?=[eiéí])|z", "с"), ("c", "к"), ("h", ""),
    ("(?<=[^aeiou])i(?=[eé])", "ь"), (f"y(?=[{_GV}])|(?<=[{_GV}])y", "й"), ("y", "и"),
    ("^e", "э"), *_VOWELS_CYR, *_CONSONANTS_CYR)
_POLISH = _spelling_rules(
    ("szcz", "щ"), ("sz", "ш"), ("cz", "ч"), ("drz|dż", "дж"), ("(?<=[kpt])rz", "ш"),
    ("rz|ż", "ж"), ("dź", "дзь"), ("ch|h", "х"), ("ź", "зь"), ("ś", "сь"), ("ć", "ць"),
    ("ń", "нь"), ("ł", "л"), (f"l(?=[^{_GV}]|$)", "ль"), ("(?<=[^aeiouy])ia", "я"),
    ("(?<=[^aeiouy])ie", "е"), ("(?<=[^aeiouy])io", "ё"), ("(?<=[^aeiouy])iu", "ю"),
    ("^ja|(?<=[aeiouy])ja", "я"), ("^je|(?<=[aeiouy])je", "е"), ("^ju|(?<=[aeiouy])ju", "ю"),
    ("j", "й"), ("ó", "у"), ("ą", "он"), ("ę", "ен"), ("y", "ы"), ("c", "ц"), ("g", "г"),
    *_VOWELS_CYR, *_CONSONANTS_CYR)
_TURKISH = _spelling_rules(
    ("c", "дж"), ("ç", "ч"), ("ş", "ш"), ("ğ", ""), ("ı", "ы"), ("ö", "ё"), ("ü", "ю"),
    ("j", "ж"), ("y", "й"), ("h", "х"), ("g", "г"), ("z", "з"), ("^e", "э"),
    *_VOWELS_CYR, *_CONSONANTS_CYR)


@lru_cache(maxsize=1 << 16)
def given_in_cyrillic(word: str) -> tuple[str, ...]:
    """A Latin given name as Russian writes it by Italian's, Spanish's, Polish's, Turkish's
    and French's rules (Giorgia: Джорджа, Javier: Хавьер, Andrzej: Анджей, Recep: Реджеп,
    Nicolas: Никола), those with a letter no rule reads left out; and an English one as
    convention writes it where no rule does (Michael: Майкл)."""
    low = word.casefold()
    if is_cyrillic_word(low):
        return ()
    spelt = [c for c in (_respell(rules, low) for rules in (_ITALIAN, _SPANISH, _POLISH,
                                                            _TURKISH)) if c]
    spelt += _english_given_names().get(low, ())
    french = _french_word(low)
    # (its last consonants silent: Nicolas is Никола, Николя; but not a name left with one,
    # which every first name with that consonant would agree with: Agap read Ага)
    if french and len(_CYR_CONSONANTS.findall(french)) > 1:
        spelt.append(french)
    spelt += [_UK_SOFT.sub(lambda m: "'" + _UK_IOTATED[m[1]], c) for c in spelt if "ь" in c]
    return tuple(dict.fromkeys(c[0].upper() + c[1:] for c in spelt))


@lru_cache(maxsize=1)
def _english_given_names() -> dict[str, tuple[str, ...]]:
    """Casefolded English given name -> its conventional Cyrillic spellings
    (data/english_given_names.tsv: Michael, Майкл)."""
    return {row[0]: tuple(row[1].split()) for row in _read_tsv("english_given_names.tsv")}


_CYR_CONSONANTS = re.compile("[бвгджзклмнпрстфхцчшщ]")
# Where Russian writes a soft sign before е, я, ю, Ukrainian writes an apostrophe and є, я, ю:
# Хавьер, Хав'єр
_UK_SOFT = re.compile("ь([еяю])")
_UK_IOTATED = {"е": "є", "я": "я", "ю": "ю"}


# -- phonetic keys ------------------------------------------------------------------------------

# Latin letters with a sound the key keeps apart (S = sh/zh, C = ch); others lose their marks.
_LATIN_KEY_CHAR = {"š": "S", "ž": "S", "ż": "S", "ŝ": "S", "č": "C", "ć": "C", "ĉ": "C",
                   "ś": "s", "ź": "s", "ł": "l", "ß": "s", "ø": "o", "æ": "e", "œ": "e",
                   "đ": "d", "ı": "i", "ë": "e", "ï": "i", "ŭ": "u"}

# Latin spellings -> key letters, applied in this order (longer spellings first).
_REPLACE = (
    ("schtsch", "S"), ("sztsch", "S"), ("shtch", "S"), ("shch", "S"), ("szcz", "S"),
    ("chtch", "S"), ("tsch", "C"), ("tch", "C"), ("sch", "S"), ("sh", "S"), ("sz", "S"),
    ("zh", "S"), ("cz", "C"), ("kh", "X"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("ts", "s"),
    ("tz", "s"), ("ou", "u"), ("qu", "kv"), ("SC", "S"),
)
# Ambiguous spellings and their readings, most likely first: ch is English ч, German/Polish х,
# French ш; x is English ks, scholarly х; j is German/Polish й, French ж.
_AMBIGUOUS = (("ch", ("C", "X", "S")), ("x", ("ks", "X")), ("j", ("i", "S")))
_SINGLE = str.maketrans({"y": "i", "w": "v", "h": "g", "q": "k", "z": "s"})
_SOFT_C = re.compile(r"c(?=[eiy])")
_MAX_READINGS = 8
# A lone h (no digraph's) at the start or between vowels, or silent at the end (see
# cyrillic_readings)
_LONE_H = re.compile(r"^h(?=[aeiouy])|(?<=[aeiouy])h(?=[aeiouy])|(?<=[aeiouy])h$")
_POLISH_IE = re.compile(r"(?<=[bcdfghklmnprstvwz])ie")
_ENGLISH_W = re.compile(r"^wh?(?=[aeiouy])")  # Russian's у: Уильям, Уитмер (cyrillic_readings)
# German's h after an umlaut and before l, m, n, r only lengthens the vowel (Wähner, Böhm,
# Möhring: Венер, Бём); read as a sound it is Ukrainian's Г and takes Wähner for Wagner.
# Turkish says it (Şöhret, Möhsim).
_UMLAUT_H = re.compile(r"(?<=[äöü])h(?=[lmnr])")
_TURKISH_LETTERS = re.compile("[şğı]")


def _latin_readings(s: str, kh: bool = False, w: bool = False) -> list[str]:
    s = _digraphs(s)
    readings = [s]
    for spelling, alts in _AMBIGUOUS:
        if spelling in s:
            readings = [r.replace(spelling, alt) for r in readings for alt in alts]
    if kh:  # (see cyrillic_readings; a last h after a vowel is also х: Rafah, Рафах)
        readings = [h for r in readings for h in dict.fromkeys(
            (_LONE_H.sub(_kh_or_silent, r), _LONE_H.sub("X", r)))]
    if w:
        readings = [_ENGLISH_W.sub("u", r) for r in readings]
    out = []
    for r in readings[:_MAX_READINGS]:
        if "c" in r:  # soft c is s; hard c is k in English, ts in Polish and scholarly spelling
            r = _SOFT_C.sub("s", r)
            out.append(r.replace("c", "k").translate(_SINGLE))
            r = r.replace("c", "s")
        out.append(r.translate(_SINGLE))
    return out


def _kh_or_silent(m: re.Match) -> str:
    return "" if m.end() == len(m.string) else "X"


def _collapse(s: str) -> str:
    """Drop repeated letters (ss -> s, ii -> i): transliterations double and undouble freely."""
    if len(s) < 2:
        return s
    out = [s[0]]
    for ch in s[1:]:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def _key_char(ch: str) -> str:
    cyr = _cyr_key_map()
    if ch in cyr:
        return cyr[ch]
    if ch in _LATIN_KEY_CHAR:
        return _LATIN_KEY_CHAR[ch]
    return ch if ch.isascii() else _fold_char(ch)


_KEY_CHARS = _CharTable(_key_char)


def _key_chars(s: str) -> str:
    """Cyrillic to key letters, Latin diacritics folded: what the unit rules then read."""
    return s.translate(_KEY_CHARS)


@lru_cache(maxsize=65536)
def phonetic_keys(s: str) -> tuple[str, ...]:
    """All phonetic readings of a word (already clean()ed or not): a tuple, most likely first.

    Uppercase letters S, C, X in the key stand for the sounds sh/zh/shch, ch and kh.
    """
    c = clean(s)
    if "ё" in c:  # most Russian texts write ё as е: Горбачева for Горбачёв, Бабенки
        return tuple(dict.fromkeys((*_readings(c), *_readings(c.replace("ё", "е")))))
    return _readings(c)


def _readings(c: str) -> tuple[str, ...]:
    if not c.isascii():
        if "h" in c and not _TURKISH_LETTERS.search(c):
            c = _UMLAUT_H.sub("", c)
        c = _key_chars(c)
    keys = [_collapse(r) for r in _latin_readings(c) if r]
    if "ie" in c and ("w" in c or "j" in c or c.endswith("ck")) and _POLISH_IE.search(c):
        # Polish writes a Cyrillic е after a consonant ie: Miedwiediew, Pieskow, Siergiej,
        # Donieck (a w, a j or a final ck, for -цк, says the word is Polish)
        keys += [_collapse(r) for r in _latin_readings(_POLISH_IE.sub("e", c)) if r]
    if c.endswith("ine") and len(c) > 5 and c[-4] not in VOWELS:
        # French writes a Russian -ин with a silent e: Poutine, Lénine, Staline
        keys += [k[:-1] for k in keys if k.endswith("ine")]
    return tuple(dict.fromkeys(keys))


# How a reading of a Latin name in Cyrillic came about (see cyrillic_readings)
RUSSIAN, GERMAN, GERMAN_RUSSIAN = "russian", "german", "german, russian"
ENGLISH, ENGLISH_J, FRENCH = "english", "english j", "french"
# (what may make one: h first or after a vowel, w or st or sp first, ei, ey, eu, a first
# vowel i, y or a before a consonant and an e, j, g before e, i, y, eau, -ault, -aux, -ier,
# -ois, -oix; diacritics; -nce, -rce, -yce, -rke, -yle, Aust-, Aud-, Aubr-, -aham, -lair, -rair,
# ee, tch)
_READING_HINT = re.compile(r"(?i)(?:^|[aeiouy])h|^w|^s[tp]|e[iyu]|j|g[eiy]|eau|ault$|aux$|ier$"
                           r"|oi[sx]$|^[^aeiouy]*[iya][bcdfgklmnprstvz]e|[^\x00-\x7f]"
                           r"|(?:[nry]c|rk|yl)e$|^au(?:st|d|br)|aham$|[bcfgkp][lr]air[de]?$|ee|tch")
# English's j, and g before e, i, y, first or after a vowel, n or d (and a last -rge): дж
# (John: Джон, George: Джордж, Nigel: Найджел, Benjamin: Бенджамин; not Bjul'); an e
# after it silent at the end (Farage: Фарадж), an h after a vowel (John), the e of -oe (Joe)
_ENGLISH_J = re.compile(r"(?:^|(?<=[aeiouyndAEI]))d?(?:j|g(?=[eiy]))|(?<=r)g(?=e$)")
_ENGLISH_SILENT = re.compile(r"(?<=dS)e$|(?<=[aeiou])h(?![aeiou])|(?<=o)e$")
# English's long i and a: a first vowel i, y or a before one consonant and an e (Biden,
# Rice, Tyler, Miles; James, Gates); an e after the consonant is silent at the end (see
# cyrillic_readings)
_ENGLISH_I = re.compile(r"^([^aeiouy]*)([iya])(?=[bcdfgklmnprstvz]e)")
# (in capitals: _ENGLISH_J then takes no g before them for a soft one, as in Gates)
_ENGLISH_LONG = {"i": "AI", "y": "AI", "a": "EI"}
_SILENT_E = re.compile(r"(?<=[bcdfgklmnprstvz])e(?=s?$)")
# English's silent e of -nce, -rce, -yce, -rke, -yle (Pence: Пенс, Joyce: Джойс, Clarke:
# Кларк, Boyle: Бойл); the a of -ance and -aham after two consonants and the ai of -air after
# bl, cl, fl, gr..., э (Vance: Вэнс, Lance: Лэнс, Graham: Грэм, Blair: Блэр, Sinclair:
# Синклер); English's ee и, and the e after it silent (Greene: Грин, Steele: Стил, Reeves:
# Ривз); its tch after a vowel тч (Mitchell: Митчелл, Fletcher: Флетчер, and Russian's
# own as romanised: Bratchikov, Братчиков); an au that opens Austin, Auden, Audrey, Aubrey, о
# (Остин, Оден). Not every final e: German and Italian say theirs (Lange: Ланге, Conte:
# Конте); not every au, a or ai: German, Italian, Spanish say ау, а (Aumann: Ауман, Kaunas:
# Каунас), and so do place names in -air after one consonant (Le Caire: Каир, Khair, Čair)
_ENGLISH_SOUNDS = ((re.compile(r"(?<=[nry])ce$"), "s"), (re.compile(r"(?<=rk|yl)e$"), ""),
                   (re.compile(r"^au(?=st|d|br)"), "o"),
                   (re.compile(r"(?<=^[^aeiouy][^aeiouy])aham$"), "em"),
                   (re.compile(r"(?<=[bcfgkp][lr])ai(?=r[de]?$)"), "e"),
                   (re.compile(r"(?<=ee[lnr])e$|(?<=eev)e(?=s$)"), ""), (re.compile(r"ee"), "i"),
                   (re.compile(r"(?<=[aeiouy])tch"), "tC"))
# ... and the a of -ance and of atch, э beside а as written (Vance: Вэнс, Ванс; Thatcher:
# Тэтчер; Hatcher: Хэтчер)
_ENGLISH_AE = re.compile(r"a(?=ns$|tC)")
# A French name: eau, -ault, -ier, -ois, -oix, -aux, -eux (Trudeau, Renault, Barnier, Blois);
# a person's name that shows itself French otherwise (Lagarde, Le Pen, Jacques Chirac) is
# spelt whole as Russian writes it: french_in_cyrillic
_FRENCH = re.compile(r"eau|ault$|[^aeiou]ier$|oi[sx]$|aux$|eux$")
_FRENCH_SOUNDS = (
    (re.compile(r"ge(?=[aou])|g(?=[eiy])"), "S"),  # ж: Bourgeois
    (re.compile(r"(?<![aeoq])u"), "iu"),  # ю: Trudeau, Bruneau
    (re.compile(r"e?au"), "o"), (re.compile(r"eu"), "io"), (re.compile(r"oi"), "ua"),
    (re.compile(r"ier$"), "ie"),  # Ukrainian -ьє, Russian -ье (below): Barnier, Mercier
    (re.compile(r"(?<=[aeiouy])[dlpstxz]+$"), ""),  # silent: Bordeaux, Renault, Blois
    (re.compile(r"(?<=[^aeiouy])e$"), ""),  # Beaune
)


@lru_cache(maxsize=65536)  # (a first name is read once per person: see matcher._heard)
def cyrillic_readings(s: str) -> tuple[tuple[str, str], ...]:
    """Keys of a Latin word as Cyrillic writes it where phonetic_keys reads it otherwise,
    for comparing it with Cyrillic words only: (key, how) with how RUSSIAN, GERMAN,
    GERMAN_RUSSIAN, ENGLISH, ENGLISH_J or FRENCH; () for most.

    RUSSIAN: phonetic_keys reads h as г, as Ukrainian writes it (Гарріс) and older Russian
    (Гамбург); Russian now writes х (Харрис, Хамас, Нетаньяху, Мохаммед) and leaves out an h
    that ends a word after a vowel (Hezbollah: Хезболла, Sarah: Сара), or writes х there too
    (Rafah: Рафах, Allah: Аллах). Only a lone h at the
    start or between vowels: before or after a consonant it is silent or г (Lehmann: Леман,
    Ghana: Гана). So too an English w or wh that opens a word before a vowel: у (Уильямс,
    Уитмер, Уолц), where Ukrainian writes в. Within Latin, h is no kh (Hefei is no Chefoo):
    the matcher compares these only with Russian-looking words, and never as a misspelling.

    GERMAN: as Russian and Ukrainian write a German name: st and sp at the start шт, шп
    (Steinmeier: Штайнмайер, Spiegel: Шпигель), ei and ey ай (Weidel: Вайдель, Leyen:
    Ляйен), eu ой (Neumann: Нойман), inside a word (at its end they are English -ey, French
    -eu: Carey, Neveu). Beside the plain reading, not instead: Stoltenberg is Столтенберг.
    GERMAN_RUSSIAN: both, but a German w is в (Heinz: Хайнц, Heusgen: Хойсген).

    ENGLISH: a first vowel i or y before one consonant and an e is English's long i, ай
    (Biden: Байден, Rice: Райс, Tyler: Тайлер, Miles: Майлз), a first a there its long a, ей
    (Gates: Гейтс, Blake: Блейк), the e silent at the end. Also beside the plain reading:
    Gilev stays Гилев. Likewise a few of English's own sounds (_ENGLISH_SOUNDS: Vance: Вэнс,
    Pence: Пенс, Clarke: Кларк, Austin: Остин, Graham: Грэм); the matcher takes none of them
    for a word with ц or a soft end, which English has not (Prince is Принс, Steele Стил;
    Принц is a prince, Стиль a style).

    ENGLISH_J: English's j, and g before e, i or y, as дж (John: Джон, Johnson: Джонсон,
    George: Джордж, Nigel: Найджел), the vowels as the plain reading has them.

    FRENCH: a name that shows itself French (eau, -ault, -ier, -ois, -aux, -eux) as Cyrillic
    writes its sounds: u ю, eau and au о, eu ё, oi уа, -ier -ье, its last consonants and e
    silent (Trudeau: Трюдо, Renault: Рено, Barnier: Барнье, Blois: Блуа), its vowels as
    read.
    """
    if not _READING_HINT.search(s):
        return ()  # (most words: before the cost of clean)
    c = _latin_word(s)
    if c is None:
        return ()
    german = _german(c)
    # (what is left of h once the digraphs and ch are read is a lone h)
    lone_h = "h" in c and _LONE_H.search(_digraphs(c).replace("ch", "C")) is not None
    english_w = _ENGLISH_W.search(c) is not None
    plain = phonetic_keys(s)
    passes = [(german, False, False, GERMAN), (c, lone_h, english_w, RUSSIAN)]
    if lone_h and english_w:
        passes.append((c, True, False, RUSSIAN))  # (Wahid: Вахид too)
    passes.append((german, lone_h, False, GERMAN_RUSSIAN))
    long, sounds = _english(c), _english_sounds(c)
    for spelling, kind in ((long, ENGLISH), (_english_j(c), ENGLISH_J),
                           (long and _english_j(long), ENGLISH_J),
                           *((said, ENGLISH) for said in sounds),
                           *((_english_j(said), ENGLISH_J) for said in sounds),
                           *((f, FRENCH) for f in _french(c))):
        if spelling:
            if "AI" in spelling or "EI" in spelling:  # (a long vowel's e is silent at the end;
                # c before a long a is hard: Cage, Кейдж)
                spelling = _SILENT_E.sub("", spelling).replace("cEI", "kEI").replace(
                    "AI", "ai").replace("EI", "ei")
            passes.append((spelling, False, False, kind))
            if lone_h or english_w:
                passes.append((spelling, lone_h, english_w, kind))
    out: dict[str, str] = {}
    for spelling, kh, w, kind in passes:
        if spelling is None or kind in (RUSSIAN, GERMAN_RUSSIAN) and not (kh or w):
            continue
        for r in _latin_readings(spelling, kh=kh, w=w):
            key = _collapse(r)
            # (without its h, Noah or Leah would be a name of one consonant: In, On, Le)
            if key and key not in plain and len(skeleton(key)) > 1:
                out.setdefault(key, kind)
    return tuple(out.items())


def _latin_word(s: str) -> str | None:
    """A word clean()ed, in key letters (Latin diacritics folded); None if it is Cyrillic."""
    c = clean(s)
    if _CYRILLIC.search(c):
        return None
    return _key_chars(c) if not c.isascii() else c


_GERMAN_START = re.compile(r"^s(?=[tp])")
# ei, ey, eu inside a word (at its end they are English -ey, French -eu: Carey, Neveu)
_GERMAN_VOWELS = ((re.compile(r"e[iy](?!$)"), "ai"), (re.compile(r"eu(?!$)"), "oi"))


def _german(c: str) -> str | None:
    """A Latin word's letters as a German name sounds (see cyrillic_readings); None if the
    same."""
    out = _GERMAN_START.sub("S", c)
    for spelling, sound in _GERMAN_VOWELS:
        out = spelling.sub(sound, out)
    return out if out != c else None


def _english(c: str) -> str | None:
    """A Latin word's letters with English's long i or a read AI or EI (see
    cyrillic_readings); None if it has none."""
    m = _ENGLISH_I.match(c)
    return None if m is None else m.group(1) + _ENGLISH_LONG[m.group(2)] + c[m.end():]


def _english_sounds(c: str) -> tuple[str, ...]:
    """A Latin word's letters with English's silent e and h, and the vowels English says
    otherwise (see _ENGLISH_SOUNDS); () if it has none."""
    out = c
    for spelling, sound in _ENGLISH_SOUNDS:
        out = spelling.sub(sound, out)
    return tuple(dict.fromkeys(s for s in (out, _ENGLISH_AE.sub("e", out)) if s != c))


def _french(c: str) -> tuple[str, ...]:
    """A French name's letters as its sounds are written in Cyrillic (see cyrillic_readings);
    () for a name that does not show itself French."""
    if not _FRENCH.search(c):
        return ()
    out = c
    for spelling, sound in _FRENCH_SOUNDS:
        out = spelling.sub(sound, out)
    return (out, out[:-2] + "e") if c.endswith("ier") else (out,)


def _english_j(c: str) -> str | None:
    """A Latin word's letters with English's j and soft g read дж (see cyrillic_readings);
    None if it has none."""
    if "j" not in c and "g" not in c:
        return None
    out = _ENGLISH_J.sub("dS", c)
    return _ENGLISH_SILENT.sub("", out) if out != c else None


def _digraphs(c: str) -> str:
    """The spellings of _REPLACE in key letters, in its order."""
    for a, b in _REPLACE:
        if a in c:
            c = c.replace(a, b)
    return c


_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")


@lru_cache(maxsize=65536)
def given_keys(s: str) -> tuple[str, ...]:
    """A text's word to compare with the given names of watched people: its own keys
    (own_given_keys) and, for a Cyrillic given name in a case, its nominative's (Олега,
    Оленою: Олег, Олена; nominative_keys)."""
    return tuple(dict.fromkeys((*own_given_keys(s), *nominative_keys(s))))


def own_given_keys(s: str) -> tuple[str, ...]:
    """phonetic_keys, and for a Cyrillic word with х or one opening with у and a vowel, its
    readings with х as a Latin h (г) and у as w (в) (Хантер: Hunter, as Гантер is; Уильям:
    William). The other way round would be cyrillic_readings, which in Latin make Oxana a
    Hanna."""
    keys = phonetic_keys(s)
    if "х" in s or "Х" in s:
        keys = tuple(dict.fromkeys((*keys, *(k.replace("X", "g") for k in keys))))
    if s[:1] in "Уу" and s[1:2] in _CYRILLIC_VOWELS:
        keys = tuple(dict.fromkeys((*keys, *("v" + k[1:] for k in keys if k[:1] == "u"))))
    return keys


# A Russian or Ukrainian given name's case endings, and what its nominative ends in instead:
# Олега, Олегом, Олегові (Олег); Игоря, Игорем (Игорь); Андрія, Андрієм (Андрій); Анны,
# Анной, Оленою, Олені (Анна, Олена); Марии (Мария)
_GIVEN_ENDINGS = ("ові", "еві", "єві", "ою", "ею", "єю", "ой", "ей", "ом", "ем", "єм", "ы",
                  "и", "і", "ї", "е", "є", "у", "ю", "а", "я")
_GIVEN_LAST = frozenset(e[-1] for e in _GIVEN_ENDINGS)
_NOMINATIVE_ENDS = ("", "а", "я", "й", "ь")


@lru_cache(maxsize=65536)
def nominative_keys(s: str) -> tuple[str, ...]:
    """Keys of the given names (first_names) a Cyrillic word is a case form of."""
    known = first_names()
    return tuple(k for k in nominatives(s) if k in known)


@lru_cache(maxsize=65536)
def nominatives(s: str) -> tuple[str, ...]:
    """Keys of every nominative a Cyrillic word may be a case form of as a given name, a
    known one or not (Джорджи: Джорджа, Джордж, ...)."""
    if s[-1:] not in _GIVEN_LAST or not is_cyrillic_word(s):
        return ()
    out = []
    for e in _GIVEN_ENDINGS:
        if s.endswith(e) and len(s) - len(e) >= 2:
            stem = s[: -len(e)]
            out.extend(k for end in _NOMINATIVE_ENDS for k in phonetic_keys(stem + end))
    return tuple(dict.fromkeys(out))


def phonetic_key(s: str) -> str:
    keys = phonetic_keys(s)
    return keys[0] if keys else ""


def skeleton(key: str) -> str:
    """The consonants of a key, repeats collapsed: the index key for a name part."""
    return _collapse(key.translate(_NO_VOWELS))


def final_vowels(key: str) -> str:
    """The vowels a key ends with ("" if it ends in a consonant)."""
    i = len(key)
    while i and key[i - 1] in VOWELS:
        i -= 1
    return key[i:]


_CYRILLIC = re.compile("[\u0400-\u052f]")


def is_cyrillic_word(s: str) -> bool:
    return not s.isascii() and _CYRILLIC.search(s) is not None


# -- acronyms in the other script --------------------------------------------------------------

# The Latin letters a Cyrillic capital stands for in an acronym (НАТО: NATO, ФСБ: FSB, and
# Ukrainian Г: H, ГУР: HUR), the likelier first
_ACRONYM_LATIN = {
    "А": ("A",), "Б": ("B",), "В": ("V",), "Г": ("G", "H"), "Ґ": ("G",), "Д": ("D",),
    "Е": ("E",), "Є": ("YE", "E"), "Ё": ("YO",), "Ж": ("ZH", "J"), "З": ("Z",),
    "И": ("I", "Y"), "І": ("I",), "Ї": ("YI", "I"), "Й": ("Y", "J"), "К": ("K",), "Л": ("L",),
    "М": ("M",), "Н": ("N",), "О": ("O",), "П": ("P",), "Р": ("R",), "С": ("S",), "Т": ("T",),
    "У": ("U",), "Ф": ("F",), "Х": ("KH", "H", "X"), "Ц": ("TS", "C"), "Ч": ("CH",),
    "Ш": ("SH",), "Щ": ("SHCH",), "Ъ": ("",), "Ы": ("Y",), "Ь": ("",), "Э": ("E",),
    "Ю": ("YU",), "Я": ("YA",)}
_MAX_ACRONYM_READINGS = 8


def acronym_readings(word: str) -> list[str]:
    """The Latin spellings of a Cyrillic acronym in capitals (ХАМАС: KHAMAS, HAMAS, XAMAS), at
    most eight; [] for a word with any other letter."""
    out = [""]
    for ch in word:
        latin = _ACRONYM_LATIN.get(ch)
        if latin is None:
            return []
        out = [r + x for r in out for x in latin][:_MAX_ACRONYM_READINGS]
    return out


# -- case endings -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def endings() -> dict[tuple[str, str], tuple[str, ...]]:
    """(script, kind) -> case endings, longest first (see data/endings.tsv)."""
    table = {}
    for script, kind, words in _read_tsv("endings.tsv"):
        table[(script, kind)] = tuple(sorted(set(words.split()), key=len, reverse=True))
    return table


# Polish declines a place name in ways a stem and an ending (data/endings.tsv) cannot read
# back. Its locative changes a name's last consonant: Polska, Ameryka, Praga, Kanada, Malta,
# Ankara are w Polsce, Ameryce, Pradze, Kanadzie, Malcie, Ankarze. A plural name (Katowice,
# Suwałki, Chiny, Karpaty, Niemcy, Włochy, Węgry) has plural endings: -om, -ami, -ach or a
# softened -ech (Niemcom, Niemcami, w Chinach, w Niemczech, we Włoszech, na Węgrzech), and one in
# -ce a genitive without one (z Katowic, z Gliwic). The ends of plurals are Polish ones only:
# Derby, Bari, Celle are singular (Derbach is a German town, Barach a Polish word).
_PL_SOFTENED = (("ka", "ce"), ("ga", "dze"), ("da", "dzie"), ("ta", "cie"), ("ra", "rze"))
_PL_PLURAL_ENDS = ("ce", "ki", "ny", "chy", "ry", "ty", "dy", "my", "wy", "cy")
_PL_PLURAL_SOFTENED = (("cy", "czech"), ("chy", "szech"), ("ry", "rzech"))


def polish_case_forms(f: str) -> tuple[str, ...]:
    """Polish case forms of a folded one-word place name that change more than its ending:
    ('wegrom', 'wegrami', 'wegrach', 'wegrzech') for wegry. (Some are no words: Węgrach.)"""
    if f[-1:] not in ("a", "y", "e", "i") or len(f) < 4:
        return ()  # (most names end otherwise: a compile meets 100,000)
    # (a plural of four letters too, Sumy: Sumach; a singular of four would make Nice Nika's)
    out = [f[: -len(end)] + form for end, form in _PL_SOFTENED if f.endswith(end)] \
        if len(f) >= 5 else []
    if f.endswith(_PL_PLURAL_ENDS):
        stem = f[:-1]
        out += [stem + "om", stem + "ami", stem + "ach"]
        out += [f[: -len(end)] + form for end, form in _PL_PLURAL_SOFTENED if f.endswith(end)]
        if f.endswith("ce"):
            out.append(stem)
    return tuple(dict.fromkeys(out))


_FEMININE = ("ska", "cka", "zka", "aia")  # key endings of a woman's adjectival surname


def name_kind(key: str, surname: bool = False) -> str:
    """cons, vowel, o, adj or fem (a surname only): how a name's ending declines (see
    data/endings.tsv). Polska's genitive is Polski, Zelenska's is not Zelenski."""
    if len(key) >= 3 and key[-1] == "i" and key[-2] not in VOWELS:
        return "adj"
    if surname and len(key) >= 5 and key.endswith(_FEMININE):
        return "fem"
    if key[-1:] == "o":
        return "o"
    return "vowel" if key[-1:] in VOWELS else "cons"


def may_be_feminine(word: str) -> bool:
    """Whether a surname in -ska, -cka, -zka may be a woman's adjectival one by its ending (see
    name_kind), which a man's first name beside it says it is not (see male_given_name). Not
    one in -aya: a man's (Klaja) is seldom, and declined as a noun its short stem reads as many
    words (Коли, Кулі for Klaja)."""
    return word[-1:] in ("a", "а") and \
        any(len(k) >= 5 and k.endswith(("ska", "cka", "zka")) for k in phonetic_keys(word))


@lru_cache(maxsize=4096)
def male_given_name(word: str) -> bool:
    """Whether a given name is only a man's in Russian's dictionary, as written or read in
    Cyrillic (Олег, Oleg, Roman; not Sasha, a man's and a woman's): a surname in -ska beside
    it is a noun in -a, no woman's adjective (Oleg Deripaska: Дерипаске, Дерипаски)."""
    cyr = word if is_cyrillic_word(word) else to_cyrillic(word)
    genders = {p.tag.gender for p in russian_parses(cyr) if "Name" in p.tag.grammemes
               and p.tag.case == "nomn" and p.tag.number == "sing"}
    return genders == {"masc"}


def name_kinds(key: str, surname: bool = False, thing: bool = False) -> tuple[str, ...]:
    """name_kind's, and j for a key in -ai, -ei, -ui of five letters or more: Cyrillic writes
    it in -ай, -ей, -уй, whose й gives way to the ending (Milei, Милея; Shanghai, Шанхае), or
    in -и (Clooney, Клуни; Harvey, Харви). Not a person's -oi: Толстой declines as an
    adjective; a `thing`'s does as a noun (Hanoi: Ханое, Ханоя). A thing's name shaped as an
    adjective is a plural noun too (pl: Sumy, Сумах)."""
    kind = name_kind(key, surname)
    if kind == "vowel" and len(key) >= 5 and key[-1] == "i" and \
            (key[-2] in "aeu" or thing and key[-2] == "o"):
        return kind, "j"
    if kind == "adj" and thing:
        return kind, "pl"
    return (kind,)


def stem_of(key: str, kind: str) -> str:
    """The part of a name's key that case endings attach to."""
    if kind == "j":
        return key[:-1]  # its й gives way to я, ю, е (Милея, Милею, Милеем)
    return key[: len(key) - len(final_vowels(key))] if kind != "cons" else key


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Phonetic keys of common given names (en, ru, uk, de, pl, fr and more; see data/)."""
    return _keys("given_name_keys.txt")


@lru_cache(maxsize=1)
def cyrillic_given_names() -> frozenset[str]:
    """Phonetic keys of the common given names written in Cyrillic (Мария, Павел): a key is
    coarse across scripts, and Cyrillic России shares Rosi's."""
    return frozenset(k for name in _keys("given_names.txt") if is_cyrillic_word(name)
                     for k in phonetic_keys(name))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """given_names() and rarer Russian and Ukrainian ones (Daniil, Mykola, Yermak), Arabic and
    Persian ones (Mojtaba, Turki): enough to say that a capitalised word beside a surname is
    someone's first name, too rare to make a word no variant of a name
    (data/more_given_names.txt, data/arabic_persian_given_names.txt)."""
    return given_names() | _keys("more_given_name_keys.txt") | frozenset(
        k for name in _keys("arabic_persian_given_names.txt") for k in phonetic_keys(name))


@lru_cache(maxsize=1)
def arabic_given_names() -> frozenset[str]:
    """The Latin spellings of data/arabic_persian_given_names.txt, folded: a person's first
    name that makes the name Arabic (Muammar Gaddafi: see arabic_spelling)."""
    return frozenset(fold(w) for w in _keys("arabic_persian_given_names.txt") if w.isascii())


@lru_cache(maxsize=1)
def given_spellings() -> frozenset[str]:
    """The given names of given_names() and first_names() as written, folded (Bill, Maria,
    Turki)."""
    return frozenset(fold(w) for f in ("given_names.txt", "more_given_names.txt")
                     for w in _keys(f)) | arabic_given_names()


@cache  # (given_names.txt serves two tables)
def _keys(name: str) -> frozenset[str]:
    text = resources.files("watcher").joinpath("data", name).read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def place_names() -> dict[str, tuple[str, ...]]:
    """Folded name -> the names of the places it names in en, de, fr, pl, ru and uk (Germany:
    Deutschland, Allemagne, Niemcy, Германия, Німеччина): data/exonyms.tsv, from the Unicode
    CLDR by bench/make_exonyms.py."""
    out: dict[str, list[str]] = {}
    for names in _places():
        for name in names:
            out.setdefault(fold(name), []).extend(names)
    return {f: tuple(dict.fromkeys(names)) for f, names in out.items()}


@lru_cache(maxsize=1)
def place_keys() -> frozenset[str]:
    """Phonetic keys of the places of data/exonyms.tsv by every name, in every case form:
    России, Rosji, Росії (of Russia) have the key of the given name Rosi, Германии that of
    Hermanni; a word with such a key that is no given name as written names the place."""
    out: set[str] = set()
    for names in _places():
        for name in names:
            f = fold(name)
            if " " not in f and "-" not in f:
                out |= _case_keys(f)
    return frozenset(out)


@lru_cache(maxsize=1)
def place_word_keys() -> frozenset[str]:
    """The same for the words of a name of several words in a language that declines them
    (Korea Południowa: Korei), not the English ones (North, New, Saint)."""
    out: set[str] = set()
    for names in _places():
        for name in names[1:]:
            f = fold(name)
            if " " in f or "-" in f:
                for word in re.split(r"[ -]", f):
                    if len(word) >= 4:
                        out |= _case_keys(word)
    return frozenset(out)


def _case_keys(f: str) -> set[str]:
    """The keys of a folded name and of its case forms (data/endings.tsv)."""
    table = endings()
    keys = phonetic_keys(f)
    out = set(keys)
    for k in keys:
        for kind in name_kinds(k):
            out.update(stem_of(k, kind) + e for e in table[("lat", kind)])
    if is_cyrillic_word(f):
        out.update(k for stem in {f[:-1], f.rstrip("аеєиіїоуыэюяь")}
                   for kind in name_kinds(keys[0])
                   for e in table[("cyr", kind)] for k in phonetic_keys(stem + e))
    return out


@lru_cache(maxsize=1)
def exonyms() -> frozenset[str]:
    """The folded names of place_names() other than the English ones (Rosja, Ukraina, Niemcy):
    each a word of a language that declines it."""
    return frozenset(fold(name) for names in _places() for name in names[1:])


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[str, ...], ...]:
    """The lines of data/exonyms.tsv: the names of one place each, English first."""
    return tuple(map(tuple, _read_tsv("exonyms.tsv")))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Folded frequent words of en, de, fr and pl, place names left out (data/common_words.txt,
    bench/make_common_words.py): capitalised, they are no variant of a watched name."""
    text = resources.files("watcher").joinpath("data", "common_words.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def frequent_names() -> frozenset[str]:
    """Folded frequent words that are place names or surnames (House, White, Moskau; see
    data/frequent_names.txt): they may be a spelling of a watched name, not a case form or a
    misspelling of another."""
    text = resources.files("watcher").joinpath("data", "frequent_names.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def other_names() -> tuple[str, ...]:
    """Names of other things that hold a watched name: a newspaper, a club, a sea, another
    country (Kyiv Independent, Dynamo Kyiv, Sea of Azov, Costa Rica; data/other_names.txt)."""
    return tuple(sorted(_keys("other_names.txt")))


@lru_cache(maxsize=1)
def family_first_names() -> dict[str, str]:
    """Chinese and Korean family names (folded) -> their flags, "alone", "two" or ""
    (data/family_first.txt)."""
    return dict(line.partition("\t")[::2] for line in _keys("family_first.txt"))


# Grammemes of pymorphy3's Russian dictionary (OpenCorpora) that mark a proper name
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


@lru_cache(maxsize=2)
def _morph(lang: str = "ru"):
    import pymorphy3  # (here: only a Cyrillic text needs it, and its import takes 20 ms)

    logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # (where it loads from, at INFO)
    return pymorphy3.MorphAnalyzer(lang=lang)


def russian_parses(word: str) -> tuple:
    """pymorphy3's readings of a Cyrillic word that Russian's dictionary knows, else ()."""
    return dictionary_parses(word, "ru")


@lru_cache(maxsize=65536)
def dictionary_parses(word: str, lang: str) -> tuple:
    """pymorphy3's readings of a Cyrillic word that the dictionary of `lang` (ru, uk)
    knows, else ()."""
    low = word.casefold()
    morph = _morph(lang)
    if not is_cyrillic_word(low) or not morph.word_is_known(low):
        return ()
    return tuple(morph.parse(low))


def _proper(parses) -> bool:
    return any(_PROPER & p.tag.grammemes for p in parses)


def russian_lemmas(word: str) -> frozenset[str] | None:
    """The dictionary forms (casefolded) of a word of Russian's dictionary that is no proper
    name in any of its readings (Ночью, Власти, Маски: ночь, власть, маска), or None: a name
    (Путина, Москвы, Трампа), or a word the dictionary does not know."""
    return _lemmas(russian_parses(word))


def cyrillic_lemmas(word: str) -> frozenset[str] | None:
    """russian_lemmas, and for a word Russian's dictionary does not know, Ukrainian's
    (Місто, Влада, Ночі: місто, влада, ніч). (Ukrainian's marks no place names, Одесі reads
    одеса: the lemma is the name then.)"""
    return _lemmas(dictionary_parses(word, "ru") or dictionary_parses(word, "uk"))


def _lemmas(parses: tuple) -> frozenset[str] | None:
    if not parses or _proper(parses):
        return None
    return frozenset(p.normal_form for p in parses)


# parts of speech no name is: pronouns, conjunctions, particles, prepositions, adverbs,
# predicatives, interjections, comparatives, numerals (and pronouns used as adjectives: Apro)
_FUNCTION_POS = frozenset({"NPRO", "CONJ", "PRCL", "PREP", "ADVB", "PRED", "INTJ", "COMP",
                           "NUMR"})


def function_word(word: str) -> bool:
    """Whether a Cyrillic word reads first as a function word in Russian's dictionary (Так,
    Там, Более, Это, Сам), or, unknown to it, in Ukrainian's (Також, Проте), and as no proper
    name."""
    parses = dictionary_parses(word, "ru") or dictionary_parses(word, "uk")
    if not parses or _PROPER & parses[0].tag.grammemes:
        return False
    return parses[0].tag.POS in _FUNCTION_POS or "Apro" in parses[0].tag.grammemes


_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


def russian_place_form(word: str) -> bool:
    """Whether a Cyrillic word is a place's name in Russian's dictionary (Кореи, Гвинеи,
    Франции), and no person's name in any reading (Ширака is both: not)."""
    tags = set().union(*(p.tag.grammemes for p in russian_parses(word)))
    return "Geox" in tags and not tags & _PERSON_TAGS


def dictionary_given_names(word: str) -> frozenset[str] | None:
    """The given names (casefolded, in the nominative) a Cyrillic word is a form of in
    Russian's dictionary (Анны: анна, Киры: кира), if it is no other proper name (Владимире
    and Лиде are places too: None); for a word Russian's does not know, in Ukrainian's, if it
    reads as nothing else (Ганни: ганна; Ukrainian's marks no place names, and Києві is both
    Kyiv's and Кий's); None for any other word."""
    parses = russian_parses(word)
    if not parses:
        parses = dictionary_parses(word, "uk")
        if not all("Name" in p.tag.grammemes for p in parses):
            return None
    tags = set().union(*(p.tag.grammemes for p in parses))
    if tags & _PROPER != {"Name"}:
        return None
    return frozenset(p.normal_form for p in parses if "Name" in p.tag.grammemes and
                     not _NOT_GIVEN & p.tag.grammemes and not (
                         "plur" in p.tag.grammemes and _PLURAL_SURNAME & p.tag.grammemes)) \
        or None


# a given name's forms that are surnames' too: the plural genitive and accusative (Данов, the
# Dans', is the surname Danov; Венер, the Veneras', Wähner), and familiar speech's vocative
_PLURAL_SURNAME = frozenset({"gent", "accs"})
_NOT_GIVEN = frozenset({"voct"})


_ADJECTIVAL = frozenset({"ADJF", "ADJS", "PRTF", "PRTS"})


def russian_adjective(word: str) -> bool:
    """Whether a Cyrillic word reads as an adjective or participle of Russian's dictionary
    (Новая, Данная, Синее) and as no proper name in any reading (Шанхая, Николая: not)."""
    parses = russian_parses(word)
    return any(p.tag.POS in _ADJECTIVAL for p in parses) and not _proper(parses)


def load_morph() -> None:
    """Load Russian's and Ukrainian's dictionaries now (about 60 MB, shared by a pool forked
    after this)."""
    _morph()
    _morph("uk")
