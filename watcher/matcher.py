"""Find the watched names in a text: exact, transliterated, inflected or slightly misspelt.

How a word becomes a hit, cheapest first:

1. exact: the folded words equal a listed name or alias (any case; acronyms case-sensitive).
2. translit: a capitalised word whose phonetic key (see normalize.py) has the consonants of a
   name part and vowels within a small budget (Kiev, Kyjiw, Kijów, Київ for Kyiv).
3. inflection: a case ending from data/endings.tsv stripped, the stem as in 2 (Путина, Києві,
   Kijowie); endings are per script and per kind of name, so Лавровый is not Лавров.
4. fuzzy: the consonants differ by one edit and the whole key by at most a length-dependent
   budget, found through a deletion index on consonant skeletons (SymSpell), verified with
   rapidfuzz's Levenshtein.

Words of their own: a frequent word of the languages we read (data/common_words.txt: Press,
Chinese, Montag), a common given name (Maria, Martina) and a capitalised word that the same text
also writes in lower case only match a name spelt as they are, never as a variant of another;
one exception: the French spelling of a Cyrillic name in -ин (Poutine for Путин).
A frequent place name or surname (data/frequent_names.txt: House, Moskau) may be a spelling of a
watched name, but no case form or misspelling of another.
A given name before a capitalised word is that person's first name: "Thomas Müller" is no
mention of Dylan Thomas, "Sofia Vergara" none of the city of Sofia (but "Sofia Tuesday",
"Sofia Airport" and "Sofia's Mayor" are: no weekday, month, word like Airport or Police, or
possessive is a surname). A place or organisation right after a given name is that person's
surname: "Michael Jordan" is no mention of Jordan. A watched name inside the name of another
thing (data/other_names.txt: "Kyiv Independent", "Dynamo Kyiv", "Sea of Azov", "Costa Rica")
is no mention of it.

Name parts: a watched person's surname alone is a mention; the first name beside it must agree
(Vladimir/Volodymyr/Wladimir agree, Olena does not), an initial must agree (V. Putin), and a first
name alone never matches. Every step is a dict lookup on a key of the word, never a loop over
the watchlist, so the cost per word does not grow with the number of entities.

At scale (100k names, hundreds sharing a surname): name parts are stored once per distinct
spelling with the list of (entity, alias) members that share it, so a word is verified once per
spelling and the members are only fanned out when a span is resolved; what a word yields is
memoised; the context a span's neighbours give (first name, initial) is worked out once per span.

Entities do not compete: each keeps its own best hit on a span, so adding names to a watchlist
never hides a hit of a name already in it (two watched Kyivs, namesake Medvedevs are all
reported). One exception: a word that is a known spelling of a watched name (exact, a
transliteration, a case form) is not taken for a misspelling (fuzzy hit) of another: Syrski is
Syrskyi, not also a misspelt Sikorski.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import itertools
import logging
import marshal
import operator
import os
import re
import signal
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from .config import gc_paused, load_watchlist
from .errors import Stopped
from .models import Entity, Hit
from .normalize import (
    ENGLISH,
    ENGLISH_J,
    FRENCH,
    GERMAN,
    GERMAN_RUSSIAN,
    VOWELS,
    acronym_readings,
    arabic_articles,
    arabic_given_names,
    arabic_name,
    arabic_spelling,
    arabic_variant,
    common_words,
    cyrillic_given_names,
    cyrillic_lemmas,
    cyrillic_readings,
    dictionary_given_names,
    dictionary_parses,
    endings,
    exonyms,
    family_first_names,
    final_vowels,
    first_names,
    fold,
    french_in_cyrillic,
    frequent_names,
    function_word,
    given_in_cyrillic,
    given_keys,
    given_names,
    given_spellings,
    is_cyrillic_word,
    korean_spellings,
    load_morph,
    looks_ukrainian,
    male_given_name,
    may_be_feminine,
    mixed_scripts,
    name_kinds,
    nominative_keys,
    nominatives,
    other_names,
    own_given_keys,
    palladius,
    palladius_ukrainian,
    phonetic_key,
    phonetic_keys,
    pinyin_syllables,
    place_keys,
    place_names,
    place_word_keys,
    polish_case_forms,
    polivanov,
    russian_adjective,
    russian_lemmas,
    russian_parses,
    russian_place_form,
    skeleton,
    stem_of,
    turkish_head,
    umlauts_spelt_out,
    word_spans,
)

MIN_VARIANT_LEN = 4  # shorter names (Xi, Un, Kim) only match exactly
FUZZY_MIN_CONSONANTS = 4  # fewer consonants: too many names one edit away
ACRONYM_MAX_LEN = 6
MIN_ACRONYM_READ = 3  # letters: an acronym read in the other script (see _other_script_acronym)
_CACHE_MAX = 200_000
CANCEL_EVERY = 500  # entities compiled between two looks at a stop (about 40 ms at 100k)
STOPPED = "stopped while compiling the watchlist (nothing was lost)"
# entities: from this many, a cold compile adds the later ones in a forked child (see
# _add_entities); fewer compile in a second or so, hardly more than the fork and merge cost
PARALLEL_COMPILE_MIN = 20_000
_GAP_CHARS = frozenset(" \t\r\n\u00a0\u2007\u202f\u2009\u200a")
_MAX_GAP = 4  # longer gaps between words are never "beside"
# what may join two words of a name besides spaces, whatever the name's own spelling: Kim
# Jong-un, #North_Korea (a stop or a comma ends the name: "moved north. Korea said")
_JOINERS = frozenset("-\u2010\u2011_")
_MARK_CHAR = re.compile(r"[^\w\s\u2010\u2011-]|\d")  # what _marks() may find
_APOSTROPHES = str.maketrans("\u2019\u02bc\u2032", "'''")
_POSSESSIVE = ("'s", "\u2019s")
# Words never a surname after a given name (folded), in the languages we read: weekdays and
# months ("Sofia Tuesday"), and what follows a place to name its parts and institutions
# ("Sofia Airport", "Victoria Police", "Jordan River"). Not those that are surnames too
# (Street, Bridge, Lake, Port).
_NOT_SURNAME = frozenset(fold(w) for w in """
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Montag Dienstag Mittwoch Donnerstag Freitag
Samstag Sonntag Januar Februar März Juni Juli Oktober Dezember lundi mardi mercredi jeudi
vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre octobre
novembre décembre poniedziałek wtorek środa czwartek piątek sobota niedziela styczeń luty
marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień
Airport Airports Police River Region Oblast Province County District Council Government
University Station Square Harbour Harbor Valley Mountains Stadium Zoo Metro Cathedral Museum
Parliament Governor Mayor Authorities Prosecutors Declaration Accords Agreement Agreements
Talks Conference Forum Peninsula Strait Municipality Embassy Consulate Hospital Prison
Railway Refinery Airlines Flughafen Polizei Regierung Bahnhof Hafen Bürgermeister Aéroport
Gouvernement Université Lotnisko Policja Rzeka Uniwersytet Dworzec Rząd Obwód Województwo
""".split())

# Nouns that open headlines before a name in a case form ("Жена Путина", "Córka Putina":
# Putin's wife, daughter) and read as given names too (Zhena, Kara): there the capital is the
# sentence's and the name is his. A given name opening a sentence still names its own person
# ("Maria Lavrova attended" is Lavrov's wife or daughter, not Lavrov).
_KIN = frozenset(fold(w) for w in """
жена дочь дочка сын мать отец брат сестра вдова муж внук внучка зять невестка племянник
племянница семья дружина донька син мати батько чоловік онук онука родина żona córka syn
matka ojciec brat siostra wdowa mąż wnuk wnuczka rodzina manželka dcera otec sestra
""".split())

# Words that make a short surname after them a surname of two words (Marine Le Pen: "Le Pen
# said", Марин Ле Пен: "Ле Пен заявила"), where the surname alone is too short to be matched
# (see MIN_VARIANT_LEN).
_PARTICLES = frozenset("le la de du des van von der den di da del della dos das ter ten al el "
                       "bin ibn ле ла де дю ван фон дер ден ди да дель делла дос дас тер тен "
                       "аль эль бин ибн".split())
# Arabic's article, joined to the name by a hyphen (al-Assad, el-Sisi, аль-Асад), also as it
# sounds before some letters (as-Sisi, ash-Sharaa, ад-Дин: particles only so joined, as, at and
# an are English words, ад Russian's): a particle of any name (see Matcher._context_of).
_HYPHEN_PARTICLES = frozenset("as ash ad at az an ar ас аш ад ат аз ан ар".split())
_AL = frozenset(("al", "el", "аль", "эль", "ель"))  # (not an-, as-, at-: English words)
_ARTICLES = _HYPHEN_PARTICLES | _AL
_HYPHENS = frozenset(("-", "\u2010", "\u2011"))

# A number that ends a name (Nord Stream 2, Power of Siberia 2) is part of it: words skip
# digits, so the number after a match is checked on its own.
_LAST_NUMBER = re.compile(r"(?<![\d.,])(\d+)\W*$")
_NUMBER_AFTER = re.compile(r"[\s\-\u2010-\u2013\u00a0]*(\d+)(?![\d.,]\d)")

# Scores by method; the edit distance lowers them further.
SCORE = {"exact": 100.0, "translit": 95.0, "inflection": 92.0, "fuzzy": 88.0}


class _Cand(NamedTuple):
    """A possible hit before context checks: part `part` matched words i..j (exclusive)."""

    entity: int
    alias: str
    i: int
    j: int
    score: float
    method: str
    detail: str
    person_part: bool  # a surname (or one-word person alias): first-name rules apply


def _vowel_groups(key: str) -> int:
    groups, prev = 0, False
    for c in key:
        v = c in VOWELS
        groups += v and not prev
        prev = v
    return groups


def _beside(gap: str) -> bool:
    """Two words separated by `gap` stand side by side in one name (only spaces between)."""
    return len(gap) <= _MAX_GAP and all(ch in _GAP_CHARS for ch in gap)


def _quoted_beside(gap: str) -> bool:
    """Two words of a name with spaces and the quote that opens the second between them (ЧВК
    «Вагнер», ПАО "Газпром")."""
    return len(gap) > 1 and gap[-1] in _OPENING_QUOTES and _beside(gap[:-1])


def _marks(gap: str) -> str:
    """What is between two words besides spaces and joiners, any apostrophe as ' (Côte
    d’Ivoire is Côte d'Ivoire)."""
    return "".join(ch for ch in gap.translate(_APOSTROPHES)
                   if not ch.isspace() and ch not in _JOINERS)


def _unsoften(group: str) -> str:
    return group[1:] if len(group) > 1 and group[0] == "i" else group


def _finals_agree(ft: str, fa: str) -> bool:
    """Final vowel groups that spell the same ending: -y/-yi/-iy, and soft -ia/-ie/-e."""
    if ft == fa:
        return True
    if _unsoften(ft) == _unsoften(fa):
        return True  # soft and hard spellings of one ending: -tsia, -tsa (Вінниця, Винница)
    soft = {"ia", "ie", "e", "iia", "iie"}
    if ft in soft and fa in soft and (ft[:1] == "i" or fa[:1] == "i"):
        return True
    return False


def fuzzy_budget(key_len: int) -> int:
    """Edits allowed in the fuzzy tier: none for short names, more for long ones."""
    return 0 if key_len < 5 else 1 if key_len < 8 else 2


# Within one script, spellings of one name differ by these vowels only: i/e/o swap or appear
# through iotation (Kiev, Kyiv, Kijów), ikavism (Kharkiv, Kharkov) and ё (Fyodor, Fedor).
# u and a stay fixed, so Orban is not Urban and Scholz is not Schulz. Across scripts any vowel
# may change: foreign names are written by sound (Trump, Трамп).
_SOFT_VOWELS = frozenset("ieo")


def _latin_vowels_ok(bt: str, ba: str) -> bool:
    for tag, i, j in Levenshtein.editops(bt, ba):
        if tag == "replace" and not (bt[i] in _SOFT_VOWELS and ba[j] in _SOFT_VOWELS):
            return False
        if tag == "delete" and bt[i] not in _SOFT_VOWELS:
            return False
        if tag == "insert" and ba[j] not in _SOFT_VOWELS:
            return False
    return True


@functools.lru_cache(maxsize=1 << 18)
def _key_parts(key: str) -> tuple[str, str, str]:
    """(final vowels, body before them, consonant skeleton of the body) of a key."""
    final = final_vowels(key)
    body = key[: len(key) - len(final)]
    return final, body, skeleton(body)


def compare(t: str, a: str, fuzzy: bool, same_script: bool = False) -> tuple[str, int, str]:
    """Compare a word key with a name key: (kind, distance, reason) with kind one of
    same | vowel | fuzzy | reject."""
    if t == a:
        return "same", 0, ""
    if "iev" in t or "iev" in a:
        if _without_yev(t) == _without_yev(a):
            return "vowel", 1, ""  # (Sergeyev: Sergeev, Сергеев)
    ft, bt, st = _key_parts(t)
    fa, ba, sa = _key_parts(a)
    if not _finals_agree(ft, fa):
        return "reject", 0, f"ending -{ft or '(consonant)'} is not -{fa or '(consonant)'}"
    if st == sa:
        budget = 1 if _vowel_groups(ba) <= 2 else 2
        d = Levenshtein.distance(bt, ba, score_cutoff=budget + 1)
        reason = ""
        if d > budget:
            reason = f"vowels differ: distance {d} over budget {budget}"
        elif bt[:1] != ba[:1] and bt[:1] in VOWELS and ba[:1] in VOWELS \
                and bt.lstrip("i")[:1] != ba.lstrip("i")[:1]:
            reason = f"different first letter {bt[:1]!r} / {ba[:1]!r}"
        elif same_script and not _latin_vowels_ok(bt, ba):
            reason = "vowel a/u changed within one script"
        # Same consonants: the vowel rules decide; fuzzy matching is for consonant slips.
        return ("reject", d, reason) if reason else ("vowel", d, "")
    if not fuzzy:
        return "reject", 0, "consonants differ"
    if Levenshtein.distance(st, sa, score_cutoff=2) > 1:
        return "reject", 0, "consonants differ by more than one edit"
    if t.startswith(a) or a.startswith(t):
        return "reject", 0, "a longer or shorter word, not a spelling"
    if _named_after(t, a) or _named_after(a, t):
        return "reject", 0, "a place named after the name (Sergeevka, of Sergeeva), no spelling"
    budget = fuzzy_budget(len(a))
    d = Levenshtein.distance(t, a, score_cutoff=budget + 1)
    if d > budget:
        return "reject", d, f"edit distance {d} over budget {budget}"
    return "fuzzy", d, ""


# The y of -yev after a vowel, BGN/PCGN's way of writing Russian's е there: Sergeyev,
# Nikolayev, Alekseyeva for Сергеев, Николаев, Алексеева (as the key reads the Cyrillic:
# sergev). Only before -ev: a y between other vowels tells names apart (Sumy: Sujumi, Kagan:
# Cagayan, Beer: Beyer).
_YEV = re.compile(r"(?<=[aeiou])i(?=ev)")


def _without_yev(key: str) -> str:
    return _SAME_VOWELS.sub(r"\1", _YEV.sub("", key))


def _named_after(place: str, name: str) -> bool:
    """Whether key `place` is a village's name made from key `name` with Russian's and
    Ukrainian's -ka (Sergeevka, Ivanovka, Petrivka of Sergeeva, Ivanova, Petriva): one letter
    more, and no misspelling."""
    return place.endswith("vka") and place == name[:-1] + "ka"


_SOFT_FINALS = frozenset({"ia", "ie", "e", "iia", "iie"})


def _final_classes(final: str) -> tuple[str, ...]:
    """Buckets a final vowel group falls in; two groups that agree share one (see _finals_agree)."""
    base = _unsoften(final)
    return (base, "S") if final in _SOFT_FINALS else (base,)


def _buckets(key: str) -> list[str]:
    """Index keys of a phonetic key: consonants, initial vowel and final vowel class.

    Spellings that compare() can accept share a bucket, so a lookup returns few candidates even
    for short skeletons in a 100k-name watchlist.
    """
    final = final_vowels(key)
    body = key[: len(key) - len(final)]
    head = body.lstrip("i")[:1]
    head = head if head in VOWELS else ""
    skel = skeleton(body)
    return [f"{skel}|{head}|{fc}" for fc in _final_classes(final)]


def _fuzzy_buckets(key: str) -> list[tuple[str, str]]:
    """(skeleton, final class) pairs for the deletion index of the fuzzy tier."""
    final = final_vowels(key)
    skel = skeleton(key[: len(key) - len(final)])
    return [(skel, fc) for fc in _final_classes(final)]


def _deletes(skel: str) -> set[str]:
    return {skel[:k] + skel[k + 1:] for k in range(len(skel))}


def _best_first(span: tuple) -> tuple:
    """Order of _resolve's (start, end, extension, _Cand): best score, then longest, first."""
    return -span[3].score, span[0] - span[1], span[0]


def _group_best_first(kept: tuple) -> tuple:
    """The same order for _hits' (start, end, extension, group, member)."""
    return -kept[3][0], kept[0] - kept[1], kept[0]


def _position(hit: tuple) -> tuple:
    return hit[0], hit[1], hit[2]


def _by_clean_span(kept: list[tuple]) -> tuple[list[list[tuple]], list[tuple]]:
    """kept split in two: the items of each span that overlaps no other span and whose items
    name different entities (each becomes hits as it is), and the rest (resolved per entity)."""
    by_span: dict[tuple[int, int], list[tuple]] = {}
    for item in kept:
        span = item[0], item[1]
        items = by_span.get(span)
        if items is None:
            by_span[span] = [item]
        else:
            items.append(item)
    spans = sorted(by_span)
    clean, rest = [], []
    reach = -1  # the furthest end of the spans before
    for k, (start, end) in enumerate(spans):
        after = spans[k + 1][0] if k + 1 < len(spans) else end
        items = by_span[start, end]
        if reach <= start and after >= end and (len(items) == 1 or _distinct(items)):
            clean.append(items)
        else:
            rest.extend(items)
        reach = max(reach, end)
    return clean, rest


def _distinct(items: list[tuple]) -> bool:
    """Whether no entity has two of these items."""
    ids: set[int] = set()
    total = 0
    for _, _, _, g, m in items:
        if m is not None:
            ids.add(m[0])
            total += 1
        else:
            ids.update(g[5])
            total += len(g[5])
    return len(ids) == total


def _another_name(part: tuple) -> bool:
    """Whether a name-part candidate (fid, method, score, detail) reads the word as another
    name than it is spelt: a misspelling of it, or another romanisation of an Arabic name
    (and see Matcher._other_vowels)."""
    return part[1] == "fuzzy" or part[3] == ARABIC_VARIANT


# the score of a translit or inflection candidate with the name's own vowels (see _grade)
_TOP = {"translit": SCORE["translit"], "inflection": SCORE["inflection"]}
# a y sound before a vowel in a key: after a vowel or opening the word (Alexeyev: alekseiev,
# Yermak: iermak); and between scripts, a consonant's softening too (Брюссель: briusel)
_GLIDE = re.compile(r"(?:(?<=[aeiou])|^)i(?=[aeiou])")
_SOFTENING = re.compile(r"i(?=[aeiou])")
_SAME_VOWELS = re.compile(r"([aeiou])\1+")


def _listed(acronym: tuple | None, exact: list | None) -> list:
    """The members of what a word is as listed: an acronym (Matcher._acronym) and names."""
    return [*(acronym[3] if acronym and acronym[1] == "exact" else ()), *(exact or ())]


def _unglided(key: str, scripts: bool) -> str:
    """A phonetic key without its glides (`scripts`: and softenings), a vowel written twice
    once (alekseiev: aleksev)."""
    return _SAME_VOWELS.sub(r"\1", (_SOFTENING if scripts else _GLIDE).sub("", key))


def _arabic(ent: Entity) -> bool:
    """Whether an entity's name is Arabic: by its marks (normalize.arabic_name), or a person's
    by an Arabic given name first (Muammar Gaddafi)."""
    names = (ent.name, *ent.aliases)
    if arabic_name(" ".join(names)):
        return True
    if ent.type != "person":
        return False
    given = arabic_given_names()
    firsts = (n.split(maxsplit=1)[0].lower() for n in names if n.strip())
    return any((f if f.isascii() else fold(f)) in given for f in firsts)  # (Ismaïl)


def _names_of(ent: Entity) -> tuple[str, ...]:
    """An entity's names and aliases; a place's also in the other languages we read (Warschau,
    Varsovie, Warszawa for Warsaw; Deutschland, Niemcy, Германия for Germany:
    normalize.place_names), which no spelling or case rule reaches. Found by its name, not
    by an alias: a list of alternate names (Dania for Dania Beach) is no list of places. A
    French, Japanese or Chinese person's also as Cyrillic writes it (_in_cyrillic). Not an
    exact entity's: it matches what it lists."""
    if ent.exact:
        return ent.names
    if ent.type == "person":
        return tuple(dict.fromkeys((*ent.names, *(n for name in ent.names
                                                    for n in _in_cyrillic(name)))))
    known = place_names().get(fold(ent.name)) if ent.type == "place" else None
    return tuple(dict.fromkeys((*ent.names, *known))) if known else ent.names


def _in_cyrillic(name: str) -> tuple[str, ...]:
    """A person's name as Russian and Ukrainian write it where transliteration cannot reach:
    names of the person as if listed, with all that a Cyrillic listing brings (a case form,
    the surname alone, the first name's agreement).

    A French name as it sounds (Christine Lagarde: Кристин Лагард, Jacques Chirac: Жак
    Ширак: normalize.french_in_cyrillic). A Japanese one by the Polivanov system (Shigeru
    Ishiba: Сигэру Исиба: normalize.polivanov). A Chinese name in pinyin, family name first (Xi
    Jinping: Си Цзиньпин, Сі Цзіньпін; Си Цзиньпина, Председатель Си): only a spelling that
    reads family name first itself (not Ян Цзинь: Ян is a Slavic given name too, see
    _family_first), and none with a word of one letter (Ван И, Wang Yi, would be every "Ван
    и", "Wang and")."""
    if is_cyrillic_word(name):
        return ()
    spelt = french_in_cyrillic(name) or polivanov(name)
    if spelt is not None:
        return (spelt,)
    if _family_first(name.split()) is None:
        return ()
    russian = palladius(name)
    if russian is None or any(len(w) == 1 for w in russian.split()):
        return ()
    return tuple(n for n in (russian, palladius_ukrainian(russian))
                 if _family_first(n.split()) is not None)


def _lower_folds(info, words) -> set[str]:
    """Folds of the words of a text written in lower case: a capitalised word that also appears
    so ("Press" and "the press", "Trains" and "trains") is a common word of this text, not a
    variant of a name."""
    return {x[0] for x, w in zip(info, words, strict=True) if not w[2][0].isupper()}


COMMON_WORD = "common word, not a name variant"
GIVEN_WORD = "a common given name, not a variant of another name"


SPELT_AS_WRITTEN = "a name spelt as Cyrillic writes it: only as it is written"
# Of a name spelt as Cyrillic writes it (_in_cyrillic): one in -а not declined (French: Тома,
# Дюма), or declined (Japanese: Исибы, Кисидой)
SPELT, SPELT_DECLINED = 1, 2
# the kind of the forms of Arabic names' parts in other romanisations (Matcher._add_arabic)
ARABIC = "arabic"
ARABIC_VARIANT = "Arabic romanisation"
# consonants an Arabic name's word has for its other romanisations: three alone (Raqqa's two
# would make Riga one, Makkah Magé), two beside the others of a multi-word name (al-Qaida)
AR_CONSONANTS, AR_MW_CONSONANTS = 3, 2
# Ukrainian's letters for Russian's (Крістін: Кристин, Ноель: Ноэль), and one of a double
# letter (Миттеран: Миттерран)
_LOOSE = str.maketrans("іїєэ", "ииее")
_DOUBLE = re.compile(r"(.)\1")


def _as_written(wfold: str, ending: str, ffold: str, declined: bool = False) -> bool:
    """Whether a word is a name as Cyrillic writes it (_in_cyrillic), in Russian's or in
    Ukrainian's letters (Крістін for Кристин), or one of its case forms (Олланда, Полем):
    by its letters, not by its key (Мазь is no Масс, Щиро no Жиро, Пера no Пьер). So a name
    in a vowel has no case forms (Рена is no Рено's, Ніколи no Никола's): Russian declines no
    such foreign name, but a Japanese one in -а (`declined`: Исибы, Кисидой)."""
    word = _DOUBLE.sub(r"\1", (wfold[:-len(ending)] if ending else wfold).translate(_LOOSE))
    name = _DOUBLE.sub(r"\1", ffold.translate(_LOOSE))
    return word == name or bool(ending) and word == (name[:-1] if declined and name[-1:] == "а"
                                                     else name.rstrip("ьй"))


def _word_of_its_own(word: str, wfold: str, cyr: bool) -> str:
    """Why a word is no variant of a name part, or "": a frequent word of the languages we read
    (Press, Chinese, Montag) or a common given name (Maria, Martina, Жанна) is itself; it only
    matches a name spelt as it is (a given name also a surname spelt as it is in the other
    script: see Matcher._same_surname). A Cyrillic word is a given name if it is one written
    in Cyrillic: России (of Россия) has the key of Rosi, Германии that of Finnish Hermanni."""
    if wfold in common_words():
        return COMMON_WORD
    if _cyrillic_given_name(word) if cyr else _given_name(word):
        return GIVEN_WORD
    return ""


LOWER_WORD = "a one-word name in lower case in a text that uses capitals: a word (Polish " \
    "sumy), or part of an address (kyiv.gov.ua), not the name"
_KINDS = ("cons", "vowel", "o", "adj", "fem", "j", "pl")  # of name endings: data/endings.tsv
# A Latin case ending's key letters as a word spells them (see Matcher._splits)
_ENDING_LETTERS = str.maketrans("yjw", "iiv")
_PLURAL_KINDS = ("vowel", "adj")  # a plural's (Stany, Zjednoczone, Штаты, Vereinigte)
_E_ENDINGS = frozenset(("еи", "ее", "еей", "еї", "еєю"))  # a name's in -ея only (endings.tsv)
_UNGLIDE = re.compile(r"(?<=[^aeiou])i(?=[aou])")  # the i of я, ю, ё after a consonant
# readings of a Latin name that Ukrainian writes so too (the others are Russian's: х for h)
_ANY_CYRILLIC = (GERMAN, ENGLISH, ENGLISH_J, FRENCH)
# readings that guess the sound of the vowels: a Cyrillic word must have those vowels
_VOWELS_AS_READ = (GERMAN, GERMAN_RUSSIAN, ENGLISH)  # (a French one: the whole word, below)
SHORT_WORD = 3  # letters: lower case, nearly every such word is a word (but, man, bar)


def _in_ea(key: str) -> bool:
    """Whether a name's key ends in -ea or -eia (Korea, Корея, Гвинея), not -e or -ei (Cole,
    Carey: not declined so)."""
    end = final_vowels(key)
    return end[:1] == "e" and end[-1:] == "a"


def _cased(words) -> bool:
    """Whether a text capitalises anything: in one that does not (a lower-case chat), a
    lower-case word may be a name."""
    return any(w[0].isupper() for _, _, w in words)


NAMED_OTHERWISE = "the text names this surname in full with another first name"
WORD_NAME = "a watched name that is a frequent word: no other vowels, no misspelling"
WOMANS_FORM = "a woman's form of a man's adjectival surname: another person"
# A Cyrillic adjectival surname in a woman's case form (Зеленська, Зеленської, Зеленській,
# Зеленской): the Latin keys of some (Зеленській, "selenskii") are those of the man's name.
_WOMANS_FORM = re.compile(r"(?:ськ|цьк|зьк|ск|цк|зк)(?:ая|ой|ую|ою|а|ої|ій|у)$")
# A surname in -ов, -ев, -ин declines as a noun for a man (Путина, Путину, Путиным) and
# with these for a woman: Путиной, Медведевою, Putinoy are his wife's or daughter's name.
# (A place's name takes them as its adjective's: Донецкой, Курской области.)
WOMANS_ENDING = "a woman's case ending of a man's surname: another person"
# A Latin -e after a person's name in a consonant is Turkish's dative, written after an
# apostrophe (Putin'e); else only a vocative (Putine!), and mostly a namesake: Giese is no
# Gieß's, Lange no Lang's, Schulze no Schulz's. (A place's is Czech and Slovak's locative too:
# v Kyjeve, v Berlíne.)
BARE_E = "a Latin -e after a person's name is Turkish's dative, after an apostrophe only"
# Russian writes a Chinese name by its syllables (Palladius: Цзинин, Jining); a Latin word read
# as one letter by letter is that romanisation (Tszinin) with its vowels, or another name
PALLADIUS_VOWELS = "a Chinese name as Russian writes it: in Latin letters, only with its vowels"
PLACE_NO_PERSON = "a place's name in Russian's dictionary: no vowel variant of a person's name"
# A Russian or Ukrainian function word opening a sentence (Так, Там, Более, Далее: so, there,
# more, further) is no one-word name, not even one listed as it is written: a list of places
# with their names in every language has Так (Tak, Thailand) and Там (Tame, Colombia)
FUNCTION_WORD = "a function word opening a sentence (Russian's or Ukrainian's dictionary): " \
    "no name"
# Russian writes given names capitalised in every case: Анны, Ивану, Таней, Киры are Anna,
# Ivan, Tanya and Kira, no case form or spelling of Hanoi, Eyvān or Tanay, nor with other
# vowels of a surname (Carr). Unless the given name is itself a spelling of the name:
# Хусейна is Hussein's, Лукаса Lucas's. (A surname's own vowels are kept: Бабака, of Babako,
# is also Babak's.)
GIVEN_NAME_FORM = "a form of another given name in Russian's or Ukrainian's dictionary: no " \
    "variant of this name"
# A name in -ай, -ей declined (Милея, Шанхае) has the endings of Russian's adjectives and
# verbs: only its own vowels make it (Такая is no Tokai, Менее no Mooney), and no adjective
# (Новая, Серая: no Novai, Serai)
J_AS_WRITTEN = "a name in -ай, -ей declined: only with its own vowels"
J_ADJECTIVE = "an adjective of Russian's dictionary: no case form of a name in -ай, -ей"
_WOMANS_ENDINGS = frozenset({"ой", "ою", "oi"})
SENTENCE_START = "a frequent word starting a sentence, elsewhere in the text in lower case only"
PARTICLES = "name particles"  # what a surname's hit grew over: von der, al-
SPELT_NAME = "spelt as another watched name (or with its vowels): no misspelling, case form " \
    "or other spelling of this one"
# A frequent word or name (House, Modi, Meyer: data/frequent_names.txt) read as another
# spelling of a name in its own script is that name only after a given name, as a surname
# (Hans Meyer: Hans Meier); alone it is itself (House is no Ghuzze, Modi no Moody)
FREQUENT_SPELLING = "spelling variant of a frequent name"
FREQUENT_ALONE = "a frequent name alone: no other spelling of a name in its script"
# A Latin surname as a Cyrillic word of two or three letters (Буш, Хан, Кох, Рой for Bush,
# Khan, Koch, Roy) is too short to be told from a word alone (Год is no Hood, Так no Tak): it is
# the person's only right after that person's own first name (Джордж Буш, Имран Хан) or a
# title (президент Буш: _HONORIFICS). (Not a Cyrillic name as a short Latin word: Herr Jan is
# no Ігор Шиян.) So too a surname of up to three letters as it is written, after a title (Mrs
# May, Mr Cox): alone, it is no mention (May, Cox are words), and a first name before it makes
# the full name, found as such.
SHORT_SURNAME = "short surname in Cyrillic"
SHORT_ALONE = "a short surname in Cyrillic: only right after the person's own first name or " \
    "a title"
TITLE_SURNAME = "exact name part after a title"
SHORT_SURNAME_MAX = 4  # letters of a listed surname: Bush is Буш
_ENGLISH_AY = re.compile(r"[^aeiou]ay$")  # (May, Ray, Day: Мэй, Рэй, Дэй)
DOUBLE_HALF = ("the second half of a double surname, alone or after another first name: "
               "another person's surname")
AFTER_GIVEN_NAME = ("part of another name: a given name or title before it (Michael Jordan, "
                    "Lake Victoria)")


def _after_title(text: str, words, i: int) -> bool:
    """Whether word i follows a title, beside it (Mrs May, Mrs. May, президент Буш)."""
    _, pe, prev = words[i - 1]
    gap = text[pe:words[i][0]]
    return fold(prev) in _HONORIFICS and (_beside(gap) or gap[:1] == "." and _beside(gap[1:]))


def _after_given_name(text: str, words, i: int, prev_fold: str | None = None) -> bool:
    """Whether capitalised word i follows a given name, beside it: then it is that person's
    surname ("Michael Jordan", "Richard Wagner"), no place or organisation. Not after a month
    ("in May Kyiv"), nor after a given name that is also a word, at the start of a sentence
    ("Will Kyiv hold?"). After a title or a word like Lake it is part of another name too
    (_TITLES), in Russian and Ukrainian also in lower case, as they write it (королевы
    Виктории, озеро Виктория)."""
    ps, pe, prev = words[i - 1]
    gap = text[pe:words[i][0]]
    if not (gap and words[i][2][0].isupper() and _beside(gap)):
        return False  # (no gap: words of a hashtag, StandWithKyiv, capitalised to split it)
    f = fold(prev) if prev_fold is None else prev_fold
    if f in _TITLES and (prev[0].isupper() or is_cyrillic_word(prev)):
        return True  # Queen Victoria, Lake Victoria, Port Sudan: another name
    if not prev[0].isupper() or f in _NOT_SURNAME or \
            (f in _WORD_GIVEN and _sentence_start(text, ps)):
        return False
    return _given_name(prev) and not _place_word(prev) and not _title_word(text, words, i - 1)


# Words that make the next word part of another name: a person's (Queen Victoria, Pope
# Francis) or another place's (Lake Victoria, Port Sudan, Mount Lebanon, Cape Verde). Not
# New, North or East: New Delhi is in Delhi, East Jerusalem in Jerusalem.
_TITLES = frozenset("""queen king prince princess pope tsar emperor empress sultan emir sheikh
lake mount cape port fort""".split()) | frozenset(fold(w) for w in """королева королевы королеве
королеву королевой королеви королеві королевою король короля королю королём королем принц
принца принцу принцем принцесса принцессы принцессе принцессу папа папы папе папу папой папи
папі папою царь царя царю царём цар озеро озера озере озеру озером озері гора горы горе гору
горой гори горі мыс мыса мис""".split())
# Titles before a surname (Mrs May, Mr Cox, president Буш): they make a surname too short to
# be read alone (a word of up to three letters: May, Cox, Буш) that person's (SHORT_SURNAME)
_HONORIFICS = frozenset("""mr mrs ms miss mx dr sir dame lord lady president senator sen
governor gov minister chancellor premier general gen judge justice secretary ambassador
herr frau pan pani""".split()) | frozenset(fold(w) for w in """господин госпожа мистер миссис
мисс пан пани пані президент премьер канцлер министр міністр сенатор губернатор генерал
госсекретарь посол""".split())
# Given names that are English words too, and may start a sentence as such
_WORD_GIVEN = frozenset("""will mark may can grant hope bill rose jack max guy ray don art pat gene
dawn joy faith chase rich frank drew dean miles bob page cliff rob sue penny eve carol chance
dale holly lane lance mason pearl rod sandy skip win""".split())
_OPENERS = frozenset(" \t\u00a0\"'“”„«»‘’([—–-")  # between a sentence's end and its first word
_QUOTES = str.maketrans("", "", "\"'«»„“”‘’‚‹›")
_OPENING_QUOTES = frozenset("\"«„“‹'‘")  # after a space: quotes opening a name's words
_CLOSING_QUOTES = frozenset("\"»“”›'’")  # (“ closes German's „...“)


def _gap_mark(gap: str) -> str:
    """What tells the gap between two words of a name apart: "" for spaces, quotes or one
    hyphen (Guinea-Bissau, «Динамо» Киев), else its other characters ("&", "." of St.)."""
    g = gap.translate(_QUOTES)
    if not g or g in _HYPHENS or g.isspace():
        return ""
    return "".join(g.split())


def _other_name(name: str) -> tuple | None:
    """(folded words, which are capitalised, gap marks, name) of a line of other_names(), or
    None for a single word (every mention of it would go) or one in lower case."""
    spans = word_spans(name)
    if len(spans) < 2 or not spans[0][2][0].isupper():
        return None
    gaps = tuple(_gap_mark(name[a[1]:b[0]]) for a, b in zip(spans, spans[1:], strict=False))
    return (tuple(fold(w) for _, _, w in spans), tuple(w[0].isupper() for _, _, w in spans),
            gaps, name)


def _other_at(text: str, words, fold_of, i: int, other: tuple) -> bool:
    """Whether the name of another thing (see _other_name) is written at word i."""
    names, caps, gaps, _ = other
    if i + len(names) > len(words):
        return False
    for k, (f, cap) in enumerate(zip(names, caps, strict=True)):
        if fold_of(i + k) != f or cap and not words[i + k][2][0].isupper():
            return False
    for k, mark in enumerate(gaps):
        gap = text[words[i + k][1]:words[i + k + 1][0]]
        if _gap_mark(gap) != mark or gap.count("\n") > 1:
            return False
    return True


def _lesser(method: str, score: float) -> bool:
    """Whether a reading is a misspelling, or a spelling or case form with other vowels: none
    of a word inside a name found here (see Matcher._no_lesser_words)."""
    return method == "fuzzy" or score < _TOP.get(method, 0.0)


def _inside(spans: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The name (of another thing, or found) that strictly holds text[start:end], or ""."""
    for s, e, name in spans:
        if s <= start and end <= e and end - start < e - s:
            return name
    return ""


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence, line or text."""
    k = start - 1
    while k >= 0 and text[k] in _OPENERS:
        k -= 1
    return k < 0 or text[k] in ".!?…:;\n\r"


def _headline_noun(text: str, start: int, prev_fold: str) -> bool:
    """Whether the word at `start` (folded: prev_fold), before a name in a case form, is a
    noun opening a sentence (see _KIN), whose capital says nothing of a first name."""
    return _kin(prev_fold) and _sentence_start(text, start)


def _kin(f: str) -> bool:
    """A word for a relative (_KIN), or in Russian one of its case forms: Жене Путина is
    Putin's wife, not a Жене (Genet) Putina. (russian_parses keeps what it read.)"""
    return f in _KIN or any(p.normal_form in _KIN for p in russian_parses(f))


def _title_word(text: str, words, k: int) -> bool:
    """Whether capitalised word k has its capital from where it stands, not as a name: in a
    line of capitals an everyday or short word ("ZELENSKY MEETS TRUMP IN FLORIDA"), in a line
    of title case a verb's or plural's -s form of one ("Zelensky Meets Trump in Florida":
    Meets has the key of Mees), and an auxiliary opening a question ("Can Trump win?",
    "Will Putin attend?": Can and Will are given names too). Never a given name as written.
    (Everyday words include the surnames most in the news, Putin and Trump: the title case of
    "Vladimir Putin met Sofia Putin" is no headline's.)"""
    aux, kind = _capital_kind(words[k][2])
    if aux and _sentence_start(text, words[k][0]):
        return True
    if not kind:
        return False
    stop = text.find("\n", words[k][1])
    lo = bisect.bisect_left(words, (text.rfind("\n", 0, words[k][0]) + 1,))
    hi = bisect.bisect_left(words, (len(text) if stop < 0 else stop,))
    long = [w for _, _, w in words[lo:hi] if len(w) > SHORT_WORD]
    if kind == "caps":  # (two words of capitals are a headline: "XI MEETS PUTIN")
        return len(long) >= 2 and all(w.isupper() for w in long)
    return len(long) >= 3 and all(w[0].isupper() for w in long)


@functools.lru_cache(maxsize=1 << 16)
def _capital_kind(word: str) -> tuple[bool, str]:
    """(an auxiliary, "caps" | "title" | ""): what a word's capital may owe to its line, not
    to a name (see _title_word); worked out once per word."""
    f = fold(word)
    aux = f in _AUXILIARY
    if f in given_spellings():
        return aux, ""
    common = common_words()
    if word.isupper() and (len(word) <= SHORT_WORD or f in common):
        return aux, "caps"
    plural = f[-1:] == "s" and (f[:-1] in common or f[-2:] == "es" and f[:-2] in common)
    return aux, "title" if plural else ""


_AUXILIARY = frozenset("can could will would shall should may might must do does did is was are "
                       "were has have had".split())


def _given_skel(key: str) -> str:
    """What two given names must share to be one: the key's consonants (Dmitry, Dmytro,
    Дмитрий: dmtr) and, when it has fewer than two, the vowel it opens with too: Ian, Jan
    and Ян are one name, Ann and Anna another (one consonant, n, would make them all one).
    An opening ie is e (Єва is Eva)."""
    skel = skeleton(key)
    if len(skel) > 1 or not key:
        return skel
    if key[:2] == "ie":
        key = key[1:]
    return skel if key[0] == skel[:1] else key[0] + skel


def _given_skels(keys) -> frozenset[str]:
    """_given_skel of each of a word's given-name keys: two words name one given name when
    these sets meet (compare() accepts no keys with other consonants)."""
    return frozenset(_given_skel(k) for k in keys)


# Marks the keys of a first name as Cyrillic writes it (_in_cyrillic: Жак of Жак Ширак, for
# Jacques Chirac), which only a Cyrillic word's keys meet: whole keys, not skeletons, as with
# its silent letters gone, the Анаи of Anaïs has the skeleton of Anne, Жак that of Іщак.
_CYR_KEY = "·"


@functools.lru_cache(maxsize=1 << 16)
def _cyrillic_keys(word: str) -> tuple[str, ...]:
    """The _CYR_KEY keys of a first name written in Cyrillic (of a name as Cyrillic writes
    it: Жак of Жак Ширак)."""
    return tuple(_CYR_KEY + k for k in phonetic_keys(word))


@functools.lru_cache(maxsize=1 << 16)
def _read_as_given(word: str) -> tuple[str, ...]:
    """The _CYR_KEY keys of a Latin first name as Russian writes it by Italian's, Spanish's,
    Polish's, Turkish's and French's rules (normalize.given_in_cyrillic: Джорджа, Хавьер,
    Анджей, Реджеп, Никола)."""
    return tuple(dict.fromkeys(k for c in given_in_cyrillic(word) for k in _cyrillic_keys(c)))


@functools.lru_cache(maxsize=1 << 16)
def _word_skels(word: str) -> frozenset[str]:
    """_given_skels of a word of the text as a given name; a Cyrillic word's keys too, and
    those of the nominatives it may be a case form of, marked _CYR_KEY."""
    keys = given_keys(word)
    skels = _given_skels(keys)
    if not is_cyrillic_word(word):
        return skels
    # (a case form of a first name the shipped list lacks too: Джорджи of Джорджа)
    return skels | {_CYR_KEY + k for k in (*keys, *nominatives(word))}


def _first_names_used(text: str, words, folds: list[str], surnames=None,
                       case_form=lambda k: False) -> dict[str, frozenset[str]]:
    """Surname (fold) -> skeletons of the given names this text writes right before it
    ("Dmitry Medvedev": medvedev -> {dmtr}), for these `surnames` (None: all). Given names
    of the shipped list only, so that what one entity's hits are never depends on what else
    is watched; no word in capitals (Louis XI, Charles III), no pair across a line break (a
    heading's last word), no noun opening a sentence before a word that `case_form` says is
    a watched name's case form only ("Жена Путина": see _headline_noun), no Chinese or Korean
    name, whose given name comes second ("Li Li" is no Li of the given name Li). Arabic's
    article between them is skipped ("Asma al-Assad": assad -> {asm})."""
    out: dict[str, set[str]] = {}
    at = range(1, len(words)) if surnames is None else \
        [k for k, f in enumerate(folds) if f in surnames and k]
    for k in at:
        start, _, word = words[k]
        run, article = _particle_run(text, words, k)
        n = max(run, k - 1) if article else k  # the first word of the surname
        if n == 0:
            continue
        ps, pe, prev = words[n - 1]
        gap = text[pe:words[n][0]]
        if word[0].isupper() and not word.isupper() and prev[0].isupper() and len(prev) > 1 and \
                _beside(gap) and "\n" not in gap and folds[n - 1] not in _NOT_SURNAME and \
                folds[k] not in _NOT_SURNAME and _first_name(prev) and not _place_word(prev) and \
                not (case_form(k) and _headline_noun(text, ps, folds[n - 1])) and \
                not _title_word(text, words, n - 1) and \
                _family_first((prev, word), gap == "-") is None:
            out.setdefault(folds[k], set()).update(_word_skels(prev))
    return {f: frozenset(s) for f, s in out.items()}


def _without_frequent_spellings(groups: tuple) -> tuple | None:
    """The groups but a frequent name's other spellings (see FREQUENT_SPELLING)."""
    return tuple(g for g in groups if g[2] != FREQUENT_SPELLING) or None


def _persons_only(groups: tuple) -> tuple | None:
    """The groups' members that are persons' name parts (see _after_given_name)."""
    out = []
    for g in groups:
        members = g[3]
        if all(m[2] for m in members):
            out.append(g)
            continue
        members = [m for m in members if m[2]]
        if members:
            out.append((*g[:3], members, g[4], frozenset(m[0] for m in members)))
    return tuple(out) or None


def _word_like(f: str) -> bool:
    """A folded name part that is itself a frequent word or frequent name."""
    return f in common_words() or f in frequent_names()


def _has_person(item: tuple) -> bool:
    """Whether a _pick item keeps a person's surname (flag 0: its group has none)."""
    return item[4][2] if item[4] else bool(item[3][4]) and any(m[2] for m in item[3][3])


def _no_misspelling(c: _Cand, kept: list[_Cand]) -> bool:
    """Whether fuzzy candidate c is refused for what its span already is: a word spelt as a
    watched name is no misspelling of another; a surname that is a spelling of a watched
    person's (Syrski, Syrskyi's in Polish) is no misspelt other surname (Sikorski). Places
    and organisations keep their misspellings beside persons' spellings (Nikolayev)."""
    return any(k.method == "exact" or c.person_part and k.person_part and k.method != "fuzzy"
               for k in kept)


def _case_form_only(groups: tuple | None) -> bool:
    """Whether a word's own candidates (see Matcher._word) are all case forms."""
    return bool(groups) and all(g[1] == "inflection" for g in groups)


def _known_first(ctx: _Span, g: tuple) -> bool:
    """Whether the given name before a span names someone else than group g's persons. Not
    a noun opening a sentence before a surname in a case form ("Жена Путина": see _KIN)."""
    return ctx.known and not (ctx.opens and g[1] == "inflection")


def _heard(words) -> list[str]:
    """Keys of given names as Cyrillic writes English's j and soft g (Джон: John, Найджел:
    Nigel), to compare first names by. Not the other readings: their h as х would make a
    Latin Oxana a Hanna."""
    return [k for w in words for k, how in cyrillic_readings(w) if how == ENGLISH_J]


def _word_before(text: str, words, k: int, named: frozenset[str]
                 ) -> tuple[int, frozenset[str] | None]:
    """(start, skeletons of its given-name keys) of the capitalised word joined to word k by a
    hyphen or spaces on the same line, if it is not the name `named` (word k's skeletons)
    again, else (0, None): the first half of a double first name (Frank-Walter)."""
    if k < 1:
        return 0, None
    start, end, word = words[k - 1]
    gap = text[end:words[k][0]]
    if len(word) < 2 or not word[0].isupper() or word.isupper() or \
            not (gap == "-" or _beside(gap) and "\n" not in gap):
        return 0, None
    skels = _word_skels(word)
    return (start, skels) if skels.isdisjoint(named) else (0, None)


# Words after a surname that tell a son from his father (Robert F. Kennedy Jr., Кеннеди-младший)
_GENERATIONS = frozenset("jr jnr sr snr junior senior младший старший молодший".split())


def _without_generation(folds) -> int:
    """How many of a name's words (folded) come before a generation after the surname
    (Robert F. Kennedy Jr.: 3)."""
    n = len(folds)
    while n > 2 and folds[n - 1] in _GENERATIONS:
        n -= 1
    return n


def _name_shape(alias: str, spans, words, folds) -> tuple[int, frozenset[str], bool]:
    """(particles, middles, double) of a person's name in Western order, its words without a
    generation: how many name particles before its last word after a first (2 for Ursula von
    der Leyen, 1 for Luiz Inácio Lula da Silva, 0 for Van Morrison), the keys of its middle
    initials (W of George W. Bush), and whether it ends in a double surname (Annegret
    Kramp-Karrenbauer; not al-Assad: a particle)."""
    n = 0
    while n < len(folds) - 2 and folds[-2 - n] in _PARTICLES:
        n += 1
    middles = frozenset(phonetic_keys(w)[0][:1] for w in words[1:-1]
                        if len(w) == 1 and w.isupper())
    last = len(words) - 1
    double = last >= 2 and alias[spans[last - 1][1]:spans[last][0]] in _HYPHENS and \
        folds[-2] not in _PARTICLES
    return n, middles, double


def _half_before(text: str, words, i: int) -> int:
    """1 if word i is joined by a hyphen to a capitalised word before it (Kramp-), 2 if that
    one follows a given name (Annegret Kramp-: a double surname, no pair of names such as
    Putin-Trump), else 0."""
    if not (i > 0 and text[words[i - 1][1]:words[i][0]] in _HYPHENS and
            words[i - 1][2][0].isupper()):
        return 0
    return 2 if i > 1 and _given_before(text, words, i - 1) else 1


def _particle_run(text: str, words, i: int) -> tuple[int, bool]:
    """(k, article): words k..i-1 are particles of a name before its word i, on its line (von
    der of Ursula von der Leyen, al- of Bashar al-Assad, бин of Мухаммед бин Сальман), k == i
    if there are none; article: the last is Arabic's article joined to word i by a hyphen."""
    k, article = i, False
    while k > 0:
        _, pe, word = words[k - 1]
        gap = text[pe:words[k][0]]
        f = fold(word)
        if gap in _HYPHENS:
            if f not in _PARTICLES and f not in _HYPHEN_PARTICLES:
                break
        elif f not in _PARTICLES or not _beside(gap) or "\n" in gap:
            break
        if k == i:
            article = gap in _HYPHENS and f in _ARTICLES
        k -= 1
    return k, article


def _middle_names(text: str, words, k: int) -> tuple[int, frozenset[str]]:
    """(m, keys): words m..k-1 are no first name's but between a given name and word k:
    middle initials, each with its dot (Donald J. Trump, George H. W. Bush), and a nickname
    in quotes (Joaquín "El Chapo" Guzmán); m == k if none. Without a given name before them
    the first initial is the first name's (D. J. Trump: J the middle one). keys: those of
    the initials."""
    n = _nickname_start(text, words, k)
    m = n
    while m > 0:
        gap = text[words[m - 1][1]:words[m][0]]
        if not (_initial(words[m - 1][2], gap) and gap.startswith(".") and len(gap) <= 3):
            break
        m -= 1
    if m < k and not (m > 0 and _given_before(text, words, m)):
        if n < k:
            return k, frozenset()  # (a nickname is one only after a given name)
        m += 1  # the first name's initial
    if m == k:
        return k, frozenset()
    return m, frozenset(phonetic_keys(w)[0][:1] for _, _, w in words[m:n])


def _nickname_start(text: str, words, k: int) -> int:
    """The first word of up to three in quotes right before word k ("El Chapo"), or k."""
    gap = text[words[k - 1][1]:words[k][0]] if k > 0 else ""
    if gap[:1] not in _CLOSING_QUOTES or not _beside(gap[1:]) or not gap[1:]:
        return k
    for m in range(k - 1, max(k - 4, 0), -1):
        gap = text[words[m - 1][1]:words[m][0]]
        if _quoted_beside(gap):
            return m
        if not _beside(gap):
            break
    return k


def _given_before(text: str, words, m: int) -> bool:
    """Whether the word before word m is a given name beside it (see first_names)."""
    _, pe, before = words[m - 1]
    gap = text[pe:words[m][0]]
    return len(before) > 1 and before[0].isupper() and "\n" not in gap and \
        (_beside(gap) or _quoted_beside(gap)) and _first_name(before)


def _initial(prev: str, gap: str) -> bool:
    """Whether the word before a name, with the gap after it, is an initial ("V. Putin").
    Not French "M." (Monsieur: "M. Macron a répondu"), which names no one's first name."""
    return len(prev) == 1 and gap.strip() == "." and prev != "M"


@functools.lru_cache(maxsize=1)
def _word_keys() -> frozenset[str]:
    """Phonetic keys of the frequent words and names: a Cyrillic name part whose Latin
    reading is one of them (Путин: Putin) has in Latin the vowels of that word only."""
    return frozenset(k for w in common_words() | frequent_names() for k in phonetic_keys(w))


def load_tables() -> None:
    """Build now the word tables a match otherwise builds on first need (given names, their
    keys, Russian's dictionary): a process pool forked after this shares one copy, where each
    worker would build its own (a tenth of a second and a few MB each). (The keys of frequent
    words are the compiler's: see _f_latin_word.)"""
    first_names()
    given_spellings()
    cyrillic_given_names()
    exonyms()
    place_keys()
    place_word_keys()
    endings()
    load_morph()


@functools.lru_cache(maxsize=1 << 16)
def _first_name(word: str) -> bool:
    """A given name, common or rare (see first_names)."""
    names = first_names()
    return any(k in names for k in phonetic_keys(word))


@functools.lru_cache(maxsize=1 << 16)
def _given_name(word: str) -> bool:
    names = given_names()
    return any(k in names for k in phonetic_keys(word))


@functools.lru_cache(maxsize=1 << 16)
def _place_word(word: str) -> bool:
    """A word with the key of a country's or a big city's name in a case, that is no given
    name as written: before a surname it is no first name ("президент России Путин",
    "prezydent Rosji Putin" name no Rosi Putin), though its key be one's. Only in a case that
    a country before a surname is in (Чита Смирнов may be a person). (Still a given name for
    the variant tiers: Tula, a given name's key, is no misspelt Tuluá.)"""
    return _declined(word, place_keys())


@functools.lru_cache(maxsize=1 << 16)
def _multi_word_place(word: str) -> bool:
    """A word of a place's name of several words (Korea Południowa), in a case (Korei), that
    is no given name as written: its case forms count beside the name's other words. Not a
    first-name rule's: Pierre of Saint-Pierre is a first name before a surname."""
    return _declined(word, place_word_keys())


def _declined(word: str, keys: frozenset[str]) -> bool:
    """Whether a word, not written as a given name, has one of these keys in a case ending."""
    f = fold(word)
    return f[-1:] in _CASE_VOWELS and f not in given_spellings() and \
        any(k in keys for k in phonetic_keys(word))


# how the genitive, dative, locative of a place's name end (России, Rosji, Німеччини, Korei);
# not -a, -я, a consonant: the name as it is (Чита Смирнов may be a person)
_CASE_VOWELS = frozenset("iyueиіїыуюейё")


@functools.lru_cache(maxsize=1 << 16)
def _cyrillic_given_name(word: str) -> bool:
    names = cyrillic_given_names()
    return any(k in names for k in phonetic_keys(word))


# An acronym before an @handle marks a retweet or a reply (RT @user, HT @user): not RT the
# broadcaster. A Roman numeral in capitals after a capitalised word is a number (Chapter XI,
# Louis XI, Super Bowl LI): not Xi, not Li.
_HANDLE_AFTER = re.compile(r"[ \t]{1,2}@\w")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
RETWEET = "a retweet's or reply's marker before an @handle (RT @user)"
NUMERAL = "a Roman numeral after a name (Chapter XI, Louis XI)"
AN_ACRONYM = "a short word in capitals amid lower case: an acronym, not a name with other " \
    "letters"
MIXED = "Latin and Cyrillic letters mixed in a word"


def _detail(snippet: str, detail: str, extra: str) -> str:
    """A hit's detail: how it matched, what it grew over, and whether its words mix two
    scripts (Рutin with a Cyrillic Р: a disguise, or an OCR slip, that an analyst wants to
    see; the hit's text looks like the plain name)."""
    if extra:
        detail = f"{detail} + {extra}"
    return f"{detail} + {MIXED}" if mixed_scripts(snippet) else detail


def _numeral_after_name(text: str, words, i: int) -> bool:
    word = words[i][2]
    if i == 0 or len(word) < 2 or not word.isupper() or not _ROMAN.fullmatch(word):
        return False
    prev = words[i - 1][2]
    return prev[0].isupper() and not prev.isupper() and text[words[i - 1][1]:words[i][0]] == " "


def _acronym_like(words, i: int) -> bool:
    """Whether word i, in capitals, is short enough for an acronym and stands amid words
    that are not (TASS in running text; not a headline's ZELENSKY SAYS): then it is no
    misspelling, case form or other-vowelled spelling of a name (Taez), only an acronym or a
    name spelt with its vowels (a dateline's KIEV, Ukraine is still Kyiv)."""
    if len(words[i][2]) > MIN_VARIANT_LEN:
        return False
    return not any(words[k][2].isupper() and len(words[k][2]) > 1 for k in (i - 1, i + 1)
                   if 0 <= k < len(words))


def _marker_groups(text: str, words, i: int, groups: tuple) -> tuple | None:
    """A word in capitals: its groups without those it cannot be here (see _HANDLE_AFTER,
    _numeral_after_name, _acronym_like)."""
    if _HANDLE_AFTER.match(text, words[i][1]):
        groups = tuple(g for g in groups if not g[2].startswith(ACRONYM))
    if _numeral_after_name(text, words, i):
        groups = tuple(g for g in groups if g[2].startswith(ACRONYM))
    if _acronym_like(words, i):
        groups = tuple(g for g in groups if g[0] >= SCORE["translit"] or
                       g[2].startswith(ACRONYM))
    return groups or None


# Chinese and Korean given names in romanisation are runs of syllables (pinyin, Wade-Giles,
# Korean RR and McCune-Reischauer): Jinping, Jong, Jae-myung, Ing-wen, Hsien Loong. Western
# names seldom are (Kardashian, Harvey, Jones are not; Wilde is: see _family_first).
_SYLLABLES = re.compile(
    r"(?:(?:zh|ch|sh|hs|ts|tz|kk|tt|pp|ss|jj|[bpmfdtnlgkhjqxrzcswy])?"
    r"(?:iang|iong|uang|ueng|yae|yeo|wae|ang|eng|ing|ong|ian|ien|iao|uai|uan|ae|ai|ao|ee|ei|"
    r"eo|eu|ia|ie|iu|oe|oo|ou|ua|ue|ui|uo|wa|we|wi|wo|ya|ye|yo|yu|a|e|i|o|u|ü)"
    r"(?:ng|ck|[nklmpthw])?){1,3}")
# ... and in Cyrillic (Palladius for Chinese, Kontsevich for Korean): Цзиньпин, Кэцян, Чен Ын,
# Чжэ Ин, Сок Ёль. Folded (ё read е).
_SYLLABLES_CYR = re.compile(  # (Russian, and Ukrainian: Цзіньпін, Сяопін, Хьон)
    r"(?:(?:чж|цз|чх|кх|тх|пх|кк|тт|пп|сс|чч|[бвгджзйклмнпрстфхцчш])?"
    r"(?:уань|юань|уай|уэй|уей|ань|энь|ень|инь|інь|янь|юнь|унь|уан|ао|ай|эй|ей|оу|яо|уа|уй|уо|"
    r"юй|юэ|юе|эр|ер|ый|ьо|[аоэеиыуяюіє])(?:нь|ль|[кмнплт])?){1,3}")


def _family_first(words: Sequence[str], joined: bool = False) -> str | None:
    """The flags (data/family_first.txt) of a person's name written family name first, or
    None: a Chinese or Korean family name, then one or two given names made of that
    language's syllables (Xi Jinping, Kim Jong Un, Lee Jae-myung). A family name that is a
    Western given name too needs two (Kim Wilde is no Korean name); one joined to the next
    word by a hyphen is no family name (Lin-Manuel Miranda)."""
    if joined or not 2 <= len(words) <= 3:
        return None
    flags = family_first_names().get(fold(words[0]))
    if flags is None or flags == "two" and len(words) < 3:
        return None
    syllables = _SYLLABLES_CYR if is_cyrillic_word(words[0]) else _SYLLABLES
    if not all(syllables.fullmatch(fold(w)) for w in words[1:]):
        return None
    return flags


# The singular case endings of a man's name in Russian and Ukrainian (Цзиньпина, Цзіньпінові),
# and of one in -ь or -й, which they replace (Цзянь: Цзяня, Цзяневі); in Latin, Polish's and
# German's genitive (Xi Jinpinga, Jinpingowi, Jinpingiem, Jinpingu; Xi Jinpings)
_GIVEN_ENDINGS = frozenset(("а", "у", "ом", "е", "ові", "і"))
_SOFT_ENDINGS = frozenset(("я", "ю", "ем", "ём", "е", "еві", "і"))
_GIVEN_ENDINGS_LATIN = frozenset(("a", "owi", "em", "iem", "u", "s"))
_CYR_VOWELS = frozenset("аеёєиіїоуыэюя")


def _given_form(said: str, given: str) -> bool:
    """Whether a folded word is this folded given name of a name written family name first,
    or its case form (see _given_ending)."""
    return said == given or bool(_given_ending(said, given))


def _given_ending(said: str, given: str) -> str:
    """The case ending of a folded word that is a case form of the last given name of a name
    written family name first, or "": Russian and Polish decline it (Си Цзиньпина, Ким Чен
    Ына, Цзянь: Цзяня; Xi Jinpinga, Kim Jong Unem), unless it ends in a vowel (Ван И)."""
    if not given:
        return ""
    if not is_cyrillic_word(said):
        ending = said[len(given):]
        return ending if given[-1] not in "aeiouy" and said.startswith(given) and \
            ending in _GIVEN_ENDINGS_LATIN else ""
    if given[-1] in _CYR_VOWELS:
        return ""
    if given[-1] in "ьй":
        ending = said[len(given) - 1:]
        return ending if said.startswith(given[:-1]) and ending in _SOFT_ENDINGS else ""
    ending = said[len(given):]
    return ending if said.startswith(given) and ending in _GIVEN_ENDINGS else ""


# A Russian, Ukrainian or Belarusian patronymic: Иванович, Сергеевна, Ильич, Ivanovich,
# Volodymyrovych, Oleksandrivna
_PATRONYMIC = re.compile(r"(?:ич|овна|евна|ична|ивна|ovich|evich|ovych|evych|yich|ovna|evna|"
                         r"ivna|ichna|ychna)$")


def _surname_first(words: Sequence[str], folds: Sequence[str]) -> bool:
    """Whether a person's name is written surname, given name, patronymic, as Russian and
    Ukrainian documents and sanctions lists do (Иванов Иван Иванович, Zykov Mitrofan
    Ilyich): not a given name first, a given name next. (Roman Arkadyevich Abramovich, Dmitri
    Dmitriyevich Shostakovich start with a given name: their surname is last.)"""
    return len(words) == 3 and _PATRONYMIC.search(folds[2]) is not None and \
        _PATRONYMIC.search(folds[1]) is None and _first_name(words[1]) and \
        not _first_name(words[0])


# Ukrainian's dative and locative in -і soften a name's last к, г, х: Авдіївці, Празі, Волновасі
# (Авдіївка, Прага, Волноваха), Кременчуці, Розі (Кременчук, Ріг). (Polish does so too, Pradze,
# but in Latin letters -ce, -ze are too common an ending to read back (Vance, Giese): a place's
# Polish case forms are spelt out from its names instead, see _add_polish_cases.)
_UK_SOFTENED = {"ц": "к", "з": "г", "с": "х"}
MW_MIN_LEN = 3  # words of multi-word names this long have variants (Rih: Рогу)
SLAVIC_PAIR = "the Russian or Ukrainian form of the other's adjective"
ACRONYM = "acronym"
POLISH_CASE = "Polish case form"
OTHER_ACRONYM = "acronym in the other script's letters"
APART = "its words are apart (a stop or a comma between them): not one name"
# how a name of the exact tier is spelt from a listed one (see _spelt_exact)
UMLAUTS = "umlauts spelt out"
KOREAN = "Korean romanisation"
JOINED = "given name's syllables joined"
APART_SYLLABLES = "given name's syllables apart"
ARTICLE = "Arabic article written another way"
SINGULAR = "singular of a plural name"
_PLURAL_IS = re.compile(r"[^\W\d_]{4,}is")  # Houthis (a single word of letters)
# The adjective that starts many Ukrainian and Russian place names, in the other language:
# Kryvyi Rih / Krivoy Rog, Nova Kakhovka / Novaya Kakhovka, Кривий Ріг / Кривой Рог,
# Новая Каховка / Нова Каховка. (ending -> the other's ending; the stem's vowels and the
# case forms are the name-part tiers' business: Bila/Belaya, Rih/Rog, Кривого)
_SLAVIC_ADJ = [
    (re.compile(r"(?<=[^aeiouy])(?:yi|yy|iy|yj|ij)$", re.I), "oy"),  # Kryvyi -> Krivoy
    (re.compile(r"(?<=[^aeiouy])(?:oy|oi|oj)$", re.I), "yi"),  # Krivoy -> Kryvyi
    (re.compile(r"(?<=[^aeiouy])aya$|(?<=[^aeiouy])a[ij]a$", re.I), "a"),  # Novaya -> Nova
    (re.compile(r"(?<=[^aeiouyj])a$", re.I), "aya"),  # Nova -> Novaya
    (re.compile(r"(?<=[^aeiouy])o(?:y?e)$", re.I), "e"),  # Novoye -> Nove
    (re.compile(r"(?<=[^aeiouy])e$", re.I), "oye"),  # Nove -> Novoye
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])(?:ий|ій)$", re.I), "ой"),  # Кривий -> Кривой
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])(?:ой|ый)$", re.I), "ий"),  # Кривой -> Кривий
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])ая$", re.I), "а"),  # Новая -> Нова
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])а$", re.I), "ая"),  # Нова -> Новая
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])ое$", re.I), "е"),  # Новое -> Нове
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])е$", re.I), "ое"),  # Нове -> Новое
]


def _slavic_adjective_pair(word: str) -> str:
    """The other language's form of a word that may be a Ukrainian or Russian adjective (the
    first word of a multi-word place or organisation name), or ""."""
    for rx, other in _SLAVIC_ADJ if len(word) >= 4 else ():
        m = rx.search(word)
        if m:
            return word[:m.start()] + (other.upper() if word.isupper() else other)
    return ""


# A Ukrainian possessive in -ів before a noun declines as an adjective: Часів Яр, Часового
# Яру, у Часовому Яру (in -ов- as in Харків, Харкова). Read as the adjective it declines as
# (Часовий), whose case forms the name-part tiers know; Chasiv as Chasovyi likewise.
_UK_POSSESSIVE = [
    (re.compile(r"(?<=[^аеєиіїоуыэюяь])ів$", re.I), "овий"),
    (re.compile(r"(?<=[^aeiouy])iv$", re.I), "ovyi"),
]


def _possessive_adjective(word: str) -> str:
    """The adjective a possessive that starts a multi-word name declines as, or ""."""
    for rx, adjective in _UK_POSSESSIVE if len(word) >= 5 else ():
        m = rx.search(word)
        if m:
            return word[:m.start()] + (adjective.upper() if word.isupper() else adjective)
    return ""


def _latin3(word: str) -> bool:
    """A Latin word of three letters has too many neighbours to start a variant of a name
    (The is no Tie); after a first word that is one, it may be one (Krivoy Rog: Kryvyi Rih).
    Its Cyrillic (Рог) always may."""
    return len(word) < MIN_VARIANT_LEN and not is_cyrillic_word(word)


def _short_readings(word: str) -> list[tuple[str, tuple[float, str, str]]]:
    """(phonetic key, grade) a short word of a multi-word name may be read by: its own keys
    (Яр, Yar), and, in Cyrillic, those of the word without a case ending (Яру, Яра)."""
    out = [(k, (SCORE["translit"], "translit", "spelling variant")) for k in phonetic_keys(word)]
    if is_cyrillic_word(word):
        f = fold(word)
        for e in endings()[("cyr", "cons")]:
            if f.endswith(e) and len(f) - len(e) >= 2:
                out += [(k, (SCORE["inflection"], "inflection", f"case ending -{e}"))
                        for k in phonetic_keys(f[:-len(e)])]
    return out


def _why_missed(word: str, near: tuple, first: bool) -> str:
    """What explain says of a capitalised word no tier took; `near`: the watched name word
    closest to it, as extractOne gives it, `first`: whether that is a person's first name."""
    short = len(word) < MIN_VARIANT_LEN
    if first and (near[1] == 100 or short):
        return "a watched person's first name: a first name alone is no mention"
    if short:
        return (f"no candidate: a word of {len(word)} letters is no variant of a name, only a "
                "name listed as it is written (or a person's surname right after the person's "
                f"first name or a title): list {word!r} as an alias to find it")
    return (f"no candidate: similar ({near[1]:.0f}%) to '{near[0]}', but no spelling, case "
            "form or misspelling rule takes it")


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return 2 <= len(letters) <= ACRONYM_MAX_LEN and all(c.isupper() for c in letters)


class _Span:
    """What the words around a span say about person names, worked out once per span."""

    __slots__ = ("initial", "first", "known", "opens", "prev_initial", "prev_named",
                 "next_named", "can_name", "start", "end", "prev_start", "next_end", "i", "j",
                 "run", "article", "middle", "middles", "half", "across", "particles")

    def __init__(self) -> None:
        self.initial: str | None = None  # "V." before: the initial's key letter ("" if none)
        self.first: frozenset[str] | None = None  # skeletons of a capitalised word beside
        self.known = False  # ...which is a first name (watched or common)
        self.opens = False  # ...which is a noun opening a sentence (see _KIN)
        self.prev_initial = False  # an initial before (extends the hit)
        self.prev_named: frozenset[str] | None = None
        self.next_named: frozenset[str] | None = None
        self.can_name = False  # any of the three above
        self.run = 0  # the first of the name particles right before the span (i: none)
        self.article = False  # ...the last of which is Arabic's article (al-)
        self.middle = 0  # the first of the middle names before those (run: none)
        self.middles: frozenset[str] = frozenset()  # ...their initials' keys (_middle_names)
        self.half = 0  # the span is joined to a word before by a hyphen (_half_before)
        self.across: dict[int, _Span] | None = None  # k -> the context from particle k on
        self.particles = False  # this context starts at name particles (the span grows over)


# what Matcher._add_entity adds to, by how _merge takes in a child's part (form ids in all
# but _MEMBER_LISTS and _BY_ENTITY, which hold entity numbers: the same in the child)
_FORM_LISTS = ("_f_key", "_f_fold", "_f_kind", "_f_cyr", "_f_word", "_f_latin_word", "_f_spelt")
_FORM_INDEXES = ("_index", "_stem_index", "_fz_index", "_del_index", "_ar_index")
_MEMBER_LISTS = ("_exact", "_pairs", "_acronyms", "_pl_cases", "_cyrillic_acronyms",
                 "_spelt_exact", "_short_surnames", "_short_exact")
_BY_ENTITY = ("_first_names", "_first_skels", "_initials", "_given_after", "_excludes",
              "_numbers", "_particled", "_middles", "_double")
_ADDED = (*_FORM_LISTS, *_FORM_INDEXES, *_MEMBER_LISTS, *_BY_ENTITY, "_f_members",
          "_cyrillic_reading", "_exact_next", "_declined_names", "_marks", "_watch_first")
# what _mw_compile makes (the child makes all of it: see _add_entities)
_MW_MADE = ("_mw_owner", "_mw_paired", "_mw_names", "_mw_short", "_mw_lower")


def _listed_apart(members: list, made: list) -> tuple[list, tuple]:
    """An exact name's members in two: those listed with that name, and those it is spelt
    from, by how: ((how, members), ...) (see _add_exact)."""
    spelt = {m for m, _ in made}
    by_how: dict[str, list] = {}
    for m, how in made:
        by_how.setdefault(how, []).append(m)
    return [m for m in members if m not in spelt], tuple(by_how.items())


def _halfway(entities: Sequence[Entity], share: float = 0.72) -> int:
    """Where to split the entities for two processes to finish together, counting their
    names (each costs about the same): nearly three quarters here, as the child also makes
    the multi-word names' matcher (a second at 100k names) and marshals its part. (A cold
    start at 100k names, medians of three alternating runs: 9.1 s at 0.67, 8.5 at 0.72,
    8.8 at 0.75.)"""
    total = sum(1 + len(e.aliases) for e in entities)
    done = 0
    for i, e in enumerate(entities):
        done += 1 + len(e.aliases)
        if done >= share * total:
            return i + 1
    return len(entities)


def _multi_word_names(entities: Sequence[Entity]) -> list[tuple[tuple[int, str, bool],
                                                               list[str], tuple[str, ...]]]:
    """(member, words, folded words) of the names of places and organisations with two to
    four words, for _mw_compile: not an exact entity's."""
    out = []
    for idx, ent in enumerate(entities):
        if ent.type == "person" or ent.exact:
            continue
        for alias in _names_of(ent):
            words = [w for _, _, w in word_spans(alias)]
            if 2 <= len(words) <= 4:
                out.append(((idx, alias, False), words, tuple(fold(w) for w in words)))
    return out


class Matcher:
    """Compiled watchlist. Build with Matcher.compile(entities); picklable.

    Name parts are stored once per distinct spelling ("form": phonetic key, declension kind,
    script, folded spelling) with the list of (entity, alias) members that share it, so a word
    is verified once per spelling however many watched people share a surname, and the members
    are only looked at when a span is resolved.
    """

    def __init__(self) -> None:
        self.entities: tuple[Entity, ...] = ()
        self._exact: dict[tuple[str, ...], list[tuple[int, str, bool]]] = {}
        # multi-word names: their first two folded words -> their lengths in words
        self._exact_next: dict[tuple[str, str], tuple[int, ...]] = {}
        self._exact_first: set[str] = set()
        # the exact tier's names spelt from a listed one (Kim Jong-eun of Kim Jong Un, Muenchen
        # of München): while compiling, folds -> [(member, how)]; then folds -> (the members
        # listed so, ((how, the members spelt so), ...)): see _exact_grades
        self._spelt_exact: dict[tuple[str, ...], Any] = {}
        # names written family name first in Cyrillic, by first word: Russian declines their
        # last word (Ким Чен Ына, Си Цзиньпину); see _declined
        self._declined_names: dict[str, tuple[tuple[str, ...], ...]] = {}
        # the marks between the words of a name with more than spaces in them (St. Petersburg,
        # Washington, D.C.): the folded words -> per gap, the marks one of its names has there
        self._marks: dict[tuple[str, ...], tuple[str, ...]] = {}
        # names of other things that hold a watched name (Kyiv Independent, Costa Rica), by
        # their first folded word: see data/other_names.txt
        self._others: dict[str, tuple[tuple, ...]] = {}
        self._pairs: dict[tuple[str, str], list[tuple[int, str, bool]]] = {}  # Le Pen
        # persons' short Latin surnames (SHORT_SURNAME), by their keys' consonants: [(key,
        # member)]
        self._short_surnames: dict[str, list[tuple[str, tuple[int, str, bool]]]] = {}
        self._short_cache: dict[str, tuple] = {}  # word -> its _short_readings
        self._short_exact: dict[str, list[tuple[int, str, bool]]] = {}  # May: TITLE_SURNAME
        self._acronyms: dict[str, list[tuple[int, str, bool]]] = {}
        # a place's Polish case forms that change more than the ending (Polsce: Polska)
        self._pl_cases: dict[str, list[tuple[int, str, bool]]] = {}
        self._cyrillic_acronyms: dict[str, list[tuple[int, str, bool]]] = {}  # by Latin reading
        # distinct spellings of name parts, as parallel lists indexed by form id
        self._f_key: list[str] = []
        self._f_fold: list[str] = []
        self._f_kind: list[str] = []
        self._f_cyr: list[bool] = []
        self._f_word: list[bool] = []  # the spelling is a frequent word or name (see _try_form)
        # a Cyrillic spelling whose key is a frequent word's or name's in Latin (Путин: Putin)
        self._f_latin_word: list[bool] = []
        self._f_spelt: list[int] = []  # a name as Cyrillic writes it (SPELT...): _forms_of
        self._f_members: list[list[tuple[int, str, bool]]] = []
        # a Latin name part read as Cyrillic writes it, compared with Cyrillic words only ->
        # which reading: RUSSIAN, GERMAN, GERMAN_RUSSIAN, ENGLISH, ENGLISH_J or FRENCH
        # (cyrillic_readings)
        self._cyrillic_reading: dict[int, str] = {}
        self._form_ids: dict[tuple[str, str, bool, str, int], int] = {}
        self._part_fids: dict[tuple, tuple[int, ...]] = {}  # while compiling
        self._index: dict[str, list[int]] = {}  # bucket of the whole key -> forms
        self._stem_index: dict[str, list[int]] = {}  # bucket of the stem -> forms
        self._fz_index: dict[str, list[int]] = {}  # skeleton|final class -> forms (fuzzy tier)
        self._del_index: dict[str, list[int]] = {}  # one consonant deleted, same key shape
        # consonants of a romanised Arabic name's part -> its forms (ARABIC: _add_arabic)
        self._ar_index: dict[str, list[int]] = {}
        self._first_names: dict[int, tuple[str, ...]] = {}
        self._first_skels: dict[int, frozenset[str]] = {}
        self._initials: dict[int, frozenset[str]] = {}
        self._watch_first: set[str] = set()
        self._excludes: dict[int, tuple[tuple[str, ...], ...]] = {}
        self._numbers: dict[int, str] = {}  # the number every name of an entity ends in
        self._particled: dict[int, int] = {}  # persons with von der, da, al-: how many
        self._middles: dict[int, frozenset[str]] = {}  # persons with middle initials: theirs
        self._double: set[int] = set()  # persons named with a double surname only
        self._special: frozenset[int] = frozenset()  # entities with a threshold or excludes,
        # or with a family name listed alone that comes first (Kim of Kim Jong Un)
        # a person's given names after a family name that comes first, one tuple per name
        # (Kim Jong Un, Ким Чен Ын)
        self._given_after: dict[int, tuple[tuple[str, ...], ...]] = {}
        self._cache: dict[str, tuple] = {}
        self._meta: dict[int, tuple] = {}  # id(members list) -> (members, flag, ids): _group
        self._words: tuple | None = None  # see _name_words
        self._word_keys: dict[str, int] | None = None  # see _short_near_miss
        self._by_first: dict[str, frozenset[int]] = {}  # first-name skeleton -> persons
        # one-word names that are also a frequent or short word (Split, Nice, Shell, More):
        # in lower case, in a text that capitalises names, that is the word (see _cased)
        self._capital_only: frozenset[str] = frozenset()
        self._min_len = MIN_VARIANT_LEN
        self._fuzzy = True
        # multi-word place and organisation names, matched word by word (see _mw_compile)
        self._mw: Matcher | None = None  # their words, as the names of a matcher of their own
        self._mw_owner: list[tuple[tuple[int, int], ...]] = []  # its entity -> (name, position)
        self._mw_paired: list[tuple[tuple[int, int], ...]] = []  # the same, as the other
        # language's form of a name's first word (see _slavic_adjective_pair)
        self._mw_short: dict[str, list[tuple[tuple[int, int], str]]] = {}  # Яр: key -> ...
        self._mw_names: list[tuple[list, tuple[bool, ...]]] = []  # (members, capitalised)
        # the Arabic articles of some, in lower case: the first word (al-Qaeda: al-Qaida) or
        # the second (Jabhat al-Nusra: Dschabhat al-Nusra); see _article_at
        self._mw_lower: frozenset[str] = frozenset()
        self._mw_cache: dict[str, dict] = {}
        self._names_memo: dict[int, frozenset[str]] = {}  # (_folded_names)
        # a Russian or Ukrainian common word's candidates where it opens a sentence
        # (_dictionary_words_only)
        self._ru_start: dict[str, tuple | None] = {}
        self._ru_function: set[str] = set()  # capitalised function words (FUNCTION_WORD)

    # -- compile --------------------------------------------------------------------------------

    @classmethod
    def compile(cls, entities: Sequence[Entity],
                others: Sequence[str] | None = None) -> Matcher:
        """`others`: names of other things a watched name inside is no mention of (default:
        data/other_names.txt)."""
        with gc_paused():
            return cls._compile(entities, other_names() if others is None else others)

    @classmethod
    def _compile(cls, entities: Sequence[Entity], others: Sequence[str],
                 cancel: Callable[[], bool] | None = None) -> Matcher:
        m = cls()
        m.entities = tuple(entities)
        m._add_entities(cancel)
        m._form_ids, m._part_fids = {}, {}  # only needed while compiling
        m._exact_next = {k: tuple(sorted(ns)) for k, ns in m._exact_next.items()}
        m._exact_first = {k[0] for k in m._exact_next}
        m._spelt_exact = {k: _listed_apart(m._exact[k], made) for k, made in
                          m._spelt_exact.items()}
        other_by_first: dict[str, list[tuple]] = {}
        for other in filter(None, map(_other_name, others)):
            other_by_first.setdefault(other[0][0], []).append(other)
        m._others = {f: tuple(v) for f, v in other_by_first.items()}
        m._special = frozenset(i for i, e in enumerate(m.entities)
                               if e.threshold is not None or e.exclude or i in m._given_after
                               or i in m._numbers or i in m._double)
        by_first: dict[str, set[int]] = {}
        for e, mine in m._first_skels.items():
            for sk in mine:
                by_first.setdefault(sk, set()).add(e)
        # compiled, not built on first use: forked workers share it instead of each building
        # (and writing to) a copy
        m._by_first = {sk: frozenset(es) for sk, es in by_first.items()}
        m._capital_only = frozenset(
            k[0] for k, members in m._exact.items() if len(k) == 1
            and (len(k[0]) <= SHORT_WORD or _word_like(k[0]))
            and all(alias[:1].isupper() for _, alias, _ in members))
        return m

    def _mw_compile(self, names: list[tuple[tuple[int, str, bool], list[str],
                                           tuple[str, ...]]]) -> None:
        """Multi-word names of places and organisations (Chasiv Yar, Kryvyi Rih, Verkhovna
        Rada), to be found in another spelling or case word by word (Часів Яр, Кривого Рогу,
        Верховної Ради): their words become the names of a matcher of their own, without a
        fuzzy tier, with variants from three letters (Rih: Рогу), and shorter words (Яр) by
        their phonetic key."""
        # names: (member, words, folds), see _multi_word_names
        owners: dict[str, list[tuple[int, int]]] = {}
        others: dict[str, list[tuple[int, int]]] = {}  # the other language's adjectives
        for no, (_, ws, fs) in enumerate(names):
            for pos, (w, f) in enumerate(zip(ws, fs, strict=True)):
                if len(f) >= MW_MIN_LEN:
                    owners.setdefault(w, []).append((no, pos))
                other = _slavic_adjective_pair(w) if pos == 0 else ""
                if other:
                    others.setdefault(other, []).append((no, pos))
                declined = _possessive_adjective(w) if pos == 0 and len(ws) > 1 else ""
                if declined:  # its case forms are this word's own: its grade, not a pair's
                    owners.setdefault(declined, []).append((no, pos))
                if len(f) <= MW_MIN_LEN:  # (Yar: Яр, a shorter word in the text)
                    for key in phonetic_keys(w):
                        self._mw_short.setdefault(key, []).append(((no, pos), f))
        if not names:
            return
        words = [*owners, *(w for w in others if w not in owners)]
        arabic_names = [(ws, fs) for member, ws, fs in names if arabic_name(member[1])]
        arabic = {w for ws, _ in arabic_names for w in ws}
        self._mw_lower = frozenset(f for _, fs in arabic_names for f in fs if f in _AL)
        sub = self._mw = Matcher()  # (only the name-part tiers: no entity of its own)
        sub._min_len, sub._fuzzy = MW_MIN_LEN, False
        for k, w in enumerate(words):
            sub._add_part(k, w, w, False, arabic=AR_MW_CONSONANTS if w in arabic else 0)
        sub._form_ids, sub._part_fids = {}, {}
        self._mw_owner = [tuple(owners.get(w, ())) for w in words]
        self._mw_paired = [tuple(others.get(w, ())) for w in words]  # (a variant, always)
        self._mw_names = [([member], tuple(w[0].isupper() for w in ws))
                          for member, ws, _ in names]

    def _add_entities(self, cancel: Callable[[], bool] | None = None) -> None:
        """All entities and the multi-word names' matcher; for a large list, the later
        entities and that matcher in a forked child on the second core (a cold start at 100k
        names: 6.4 s become 4.3), merged as if made here. `cancel`: asked every few hundred
        entities and while waiting for the child; once true, the compile stops
        (errors.Stopped) and its child with it."""
        ents = self.entities
        split = _halfway(ents) if len(ents) >= PARALLEL_COMPILE_MIN else len(ents)
        rest = _forked(functools.partial(self._part_state, split),
                       "compiling the watchlist's later entities") if split < len(ents) else None
        try:
            self._add_range(0, split, cancel)
        except BaseException:
            if rest is not None:
                rest(abandon=True)
            raise
        part = rest(cancel=cancel) if rest is not None else None
        if part is not None:
            self._merge(part)
            return
        self._add_range(split, len(ents), cancel)
        self._mw_compile(_multi_word_names(ents))

    def _add_range(self, start: int, end: int, cancel: Callable[[], bool] | None) -> None:
        ents = self.entities
        for idx in range(start, end):
            if cancel is not None and not idx % CANCEL_EVERY and cancel():
                raise Stopped(STOPPED)
            self._add_entity(idx, ents[idx])

    def _part_state(self, start: int) -> dict:
        """In the child: the entities from `start` on, added to an empty matcher, and the
        multi-word names' matcher of them all."""
        part = Matcher()
        part._min_len, part._fuzzy = self._min_len, self._fuzzy
        for idx in range(start, len(self.entities)):
            part._add_entity(idx, self.entities[idx])
        part._mw_compile(_multi_word_names(self.entities))
        state = {name: getattr(part, name) for name in (*_ADDED, *_MW_MADE)}
        state["_mw"] = part._mw.to_state() if part._mw is not None else None
        return state

    def _merge(self, part: dict) -> None:
        """Take in what _part_state added: its forms renumbered after ours (or mapped onto
        ours: the same spelling of a name part is one form), the rest appended or united."""
        ours = len(self._f_key)
        fids = []
        for cfid, spec in enumerate(zip(part["_f_key"], part["_f_kind"], part["_f_cyr"],
                                        part["_f_fold"], part["_f_spelt"], strict=True)):
            fid = self._form_ids.get(spec)
            if fid is None:
                fid = self._form_ids[spec] = len(self._f_key)
                for name in _FORM_LISTS:
                    getattr(self, name).append(part[name][cfid])
                self._f_members.append([])
            fids.append(fid)
        new = [fid >= ours for fid in fids]
        for cfid, members in enumerate(part["_f_members"]):
            self._f_members[fids[cfid]].extend(members)
        for cfid, reading in part["_cyrillic_reading"].items():
            if new[cfid]:
                self._cyrillic_reading[fids[cfid]] = reading
        for name in _FORM_INDEXES:  # (a form already ours is in them already)
            index = getattr(self, name)
            for bucket, cfids in part[name].items():
                if add := [fids[c] for c in cfids if new[c]]:
                    index.setdefault(bucket, []).extend(add)
        for name in _MEMBER_LISTS:
            mine = getattr(self, name)
            for key, members in part[name].items():
                mine.setdefault(key, []).extend(members)
        for key, lengths in part["_exact_next"].items():
            self._exact_next.setdefault(key, set()).update(lengths)
        for key, names in part["_declined_names"].items():
            known = self._declined_names.get(key, ())
            self._declined_names[key] = (*known, *(n for n in names if n not in known))
        for folds, marks in part["_marks"].items():
            known = self._marks.get(folds, ("",) * len(marks))
            self._marks[folds] = tuple(a + b for a, b in zip(known, marks, strict=True))
        for name in _BY_ENTITY:
            getattr(self, name).update(part[name])
        self._watch_first.update(part["_watch_first"])
        self._mw = Matcher.from_state(part["_mw"]) if part["_mw"] is not None else None
        for name in _MW_MADE:
            setattr(self, name, part[name])

    def _add_entity(self, idx: int, ent: Entity) -> None:
        person = ent.type == "person"
        first: list[str] = []
        heard: list[str] = []  # the first names as Cyrillic writes them (cyrillic_readings)
        spelt_first: list[str] = []  # ...and as Russian writes them (_CYR_KEY keys)
        names: list[tuple[str, ...]] = []  # the folded words of each name and alias
        family: dict[str, str] = {}  # Xi of Xi Jinping -> the name it is the family name of
        doubles: list[bool] = []  # a person's names: whether each ends in a double surname
        arabic = AR_CONSONANTS if _arabic(ent) else 0
        for alias in _names_of(ent):
            spans = word_spans(alias)
            words = [w for _, _, w in spans]
            if not words:
                continue
            # a person's name as Cyrillic writes it (_in_cyrillic): for Cyrillic text only
            spelt = 0 if not person or alias in ent.names else \
                SPELT_DECLINED if alias in map(polivanov, ent.names) else SPELT
            if len(words) == 1 and _is_acronym(alias):
                key = unicodedata.normalize("NFKC", words[0])
                self._acronyms.setdefault(key, []).append((idx, alias, False))
                for reading in acronym_readings(key) if is_cyrillic_word(key) else ():
                    self._cyrillic_acronyms.setdefault(reading, []).append((idx, alias, False))
                continue
            folds = tuple(fold(w) for w in words)
            names.append(folds)
            self._add_exact(folds, (idx, alias, person and len(folds) == 1))
            if len(spans) > 1 and _MARK_CHAR.search(alias):  # (seldom: a cheap test first)
                self._add_marks(folds, [alias[a[1]:b[0]] for a, b in itertools.pairwise(spans)])
            if ent.exact:
                continue
            if len(words) == 1:
                doubles.append(False)
                self._add_part(idx, alias, words[0], person, spelt, arabic=arabic)
                if ent.type == "place" and not is_cyrillic_word(words[0]):
                    self._add_polish_cases(idx, alias, folds[0])
            elif person and (flags := _family_first(
                    words, alias[spans[0][1]:spans[1][0]] == "-")) is not None:
                doubles.append(False)
                if flags == "alone":  # its last word is a given name, not the surname
                    family.setdefault(folds[0], alias)
                known = self._declined_names.get(folds[0], ())
                if folds not in known:
                    self._declined_names[folds[0]] = (*known, folds)
                self._add_syllables(idx, alias, folds)
            elif person and _surname_first(words, folds):  # Иванов Иван Иванович
                doubles.append(False)
                self._add_part(idx, alias, words[0], True, spelt, words[1])
                first.extend(k for w in words[1:] for k in phonetic_keys(w))
                heard.extend(_heard(words[1:]))
            elif person:
                n = _without_generation(folds)  # Robert F. Kennedy Jr.: Kennedy
                words, folds = words[:n], folds[:n]
                particles, middles, double = _name_shape(alias, spans, words, folds)
                if particles > self._particled.get(idx, 0):
                    self._particled[idx] = particles
                if middles:
                    self._middles[idx] = self._middles.get(idx, frozenset()) | middles
                doubles.append(double)
                self._add_part(idx, alias, words[-1], True, spelt, words[0], arabic)
                if not spelt and len(folds[-1]) <= SHORT_SURNAME_MAX and \
                        not is_cyrillic_word(words[-1]):
                    self._add_short_surname(idx, alias, words[-1])
                if 2 <= len(folds[-1]) <= SHORT_WORD and not spelt:
                    self._short_exact.setdefault(folds[-1], []).append((idx, alias, True))
                if spelt:
                    spelt_first.extend(k for w in words[:-1] for k in _cyrillic_keys(w))
                else:
                    first.extend(k for w in words[:-1] for k in phonetic_keys(w))
                    heard.extend(_heard(words[:-1]))
                    spelt_first.extend(k for w in words[:-1] for k in _read_as_given(w))
                if len(folds) > 2 and folds[-2] in _PARTICLES and \
                        len(folds[-1]) < MIN_VARIANT_LEN:  # Le Pen, too short a name alone
                    self._pairs.setdefault(folds[-2:], []).append((idx, alias, True))
                    self._exact_next.setdefault(folds[-2:], set()).add(2)
        if not ent.exact:
            self._add_umlauts(idx, ent, person)
        if arabic and not person:
            self._add_articles(idx, ent)
        if ent.type == "org" and not ent.exact:
            self._add_singulars(idx, ent)
        if person and doubles and all(doubles):
            self._double.add(idx)
        for f, alias in family.items():  # a mention alone, as if listed alone
            if all(m[0] != idx for m in self._exact.get((f,), ())):
                self._exact.setdefault((f,), []).append((idx, alias, True))
        if person and (len(names) > 1 or family):
            # family name first (Kim Jong Un, with Kim listed alone): the names after it
            singles = {folds[0] for folds in names if len(folds) == 1} | family.keys()
            after = tuple(dict.fromkeys(folds[1:] for folds in names
                                        if len(folds) > 1 and folds[0] in singles))
            if after:
                self._given_after[idx] = after
        if first:
            mine = tuple(dict.fromkeys(first))
            self._first_names[idx] = mine
            # (and as Cyrillic writes them, Джон for John: not initials, a D. is no John)
            self._first_skels[idx] = _given_skels((*mine, *heard)) | frozenset(spelt_first)
            self._initials[idx] = frozenset(k[0] for k in mine)
            self._watch_first.update(first)
        if ent.exclude:
            self._excludes[idx] = tuple(
                tuple(fold(w) for _, _, w in word_spans(p)) for p in ent.exclude)
        if _LAST_NUMBER.search(ent.name):  # Nord Stream 2, Power of Siberia 2: in every name?
            numbers = {m.group(1) if m else "" for m in map(_LAST_NUMBER.search, ent.names)}
            if len(numbers) == 1 and "" not in numbers:
                self._numbers[idx] = numbers.pop()

    def _add_umlauts(self, idx: int, ent: Entity, person: bool) -> None:
        """German's umlauts spelt out (Mueller for Müller, Goettingen: umlauts_spelt_out):
        the name as written, whole, and a person's surname alone, exactly: no variant of
        them (their added vowels read as other words: Trieste for Tröst, Taizhou for Täsche;
        Müller's variants are Müller's own)."""
        if umlauts_spelt_out(" ".join(ent.names)) is None:
            return  # (most have none: one search for all names of an entity)
        for alias in ent.names:
            spelt = umlauts_spelt_out(alias)
            if spelt is None:
                continue
            folds = tuple(fold(w) for _, _, w in word_spans(spelt))
            self._add_exact(folds, (idx, alias, person and len(folds) == 1), UMLAUTS)
            if len(folds) > 1 and person and folds[-1] != fold(word_spans(alias)[-1][2]):
                self._add_exact(folds[-1:], (idx, alias, True), UMLAUTS)

    def _add_syllables(self, idx: int, alias: str, folds: tuple[str, ...]) -> None:
        """A name written family name first with its given name's syllables joined or apart,
        as the press writes either (Kim Jong Un: Kim Jongun; Xi Jinping: Xi Jin Ping, Xi
        Jin-ping), and a Korean one in its other romanisations (Kim Jong-eun, Kim Chong Un:
        korean_spellings), exactly."""
        given = folds[1:]
        syllables = pinyin_syllables(given[0]) if len(given) == 1 else None
        for other in korean_spellings(folds):
            self._add_exact(other, (idx, alias, False), KOREAN)
        if len(given) > 1:
            self._add_exact((folds[0], "".join(given)), (idx, alias, False), JOINED)
        elif syllables is not None and len(syllables) > 1:
            self._add_exact((folds[0], *syllables), (idx, alias, False), APART_SYLLABLES)

    def _add_articles(self, idx: int, ent: Entity) -> None:
        """An Arabic place's or organisation's names with the article as others write it
        (Jabhat al-Nusra: Jabhat an-Nusra, ash-Shabaab: al-Shabaab: arabic_articles), exactly.
        (A person's surname takes any article already: see _particle_run.)"""
        for alias in ent.names:
            for spelt in arabic_articles(alias):
                self._add_exact(tuple(fold(w) for _, _, w in word_spans(spelt)),
                                (idx, alias, False), ARTICLE)

    def _add_singulars(self, idx: int, ent: Entity) -> None:
        """An organisation named as a plural of its members (Houthis, Alawis) by its singular
        too, as the press writes it before a noun (Houthi rebels, a Houthi spokesman),
        exactly. Only a plural in -is (Hamas, whose Hama is a city, is none)."""
        for alias in ent.names:
            if _PLURAL_IS.fullmatch(alias):
                self._add_exact((fold(alias[:-1]),), (idx, alias, False), SINGULAR)

    def _add_exact(self, folds: tuple[str, ...], member: tuple[int, str, bool],
                   how: str = "") -> None:
        """A name, as its folded words, for the exact tier (_exact; _exact_next, where a name
        of several words is looked up from its first two); `how` it is spelt from the listed
        name `member` holds, if it is not that name (_spelt_exact)."""
        self._exact.setdefault(folds, []).append(member)
        if how:
            self._spelt_exact.setdefault(folds, []).append((member, how))
        if len(folds) > 1:
            self._exact_next.setdefault(folds[:2], set()).add(len(folds))

    def _add_short_surname(self, idx: int, alias: str, word: str) -> None:
        """A person's Latin surname, short in Cyrillic (SHORT_SURNAME), by its keys and those
        of the Cyrillic it is written in (Hood: Худ; English's -ay, May: Мэй, Мей)."""
        keys = [*phonetic_keys(word), *(k for k, _ in cyrillic_readings(word))]
        if _ENGLISH_AY.search(fold(word)):
            keys += [k[:-2] + "ei" for k in keys if k.endswith("ai")]
        for key in dict.fromkeys(keys):
            self._short_surnames.setdefault(_key_parts(key)[2], []).append(
                (key, (idx, alias, True)))

    def _short_surname_readings(self, word: str) -> tuple:
        """The persons whose Latin surname a capitalised Cyrillic word of two or three letters
        is: ((score, detail, member), ...), best first, memoised. Whether the person's first
        name is before it is for the caller to ask (see _short_ok)."""
        got = self._short_cache.get(word)
        if got is not None:
            return got
        best: dict[tuple[int, str], tuple[float, str, tuple]] = {}
        for key in phonetic_keys(word) if is_cyrillic_word(word) else ():
            for name_key, member in self._short_surnames.get(_key_parts(key)[2], ()):
                how, dist, _ = compare(key, name_key, False)
                if how == "reject":
                    continue
                score = SCORE["translit"] - 4 * dist
                detail = SHORT_SURNAME + (f", vowel distance {dist}" if dist else "")
                if member[:2] not in best or best[member[:2]][0] < score:
                    best[member[:2]] = (score, detail, member)
        got = tuple(sorted(best.values(), key=lambda r: (-r[0], r[2][0], r[2][1])))
        if len(self._short_cache) >= _CACHE_MAX:
            self._short_cache.clear()
        self._short_cache[word] = got
        return got

    def _short_ok(self, text, words, c: _Cand) -> bool:
        """Whether short surname candidate c (SHORT_SURNAME) follows the person's own first
        name, beside it (Джордж Буш: George W. Bush), or a title (президент Буш)."""
        return bool(c.i) and (_after_title(text, words, c.i) or
                              self._extend(text, words, c)[2] == "first name")

    def _short_candidates(self, text, words, i: int) -> list[tuple[float, str, str, tuple]]:
        """(score, method, detail, member) of the persons whose short surname capitalised word
        i is (SHORT_SURNAME), whatever is before it: in Cyrillic by key (Буш: Bush), and, after
        a title, as written (Mrs May; not in capitals: Pope Leo II is no Ii)."""
        word = words[i][2]
        out = [(score, "translit", detail, member)
               for score, detail, member in self._short_surname_readings(word)]
        if self._short_exact and not word.isupper() and _after_title(text, words, i):
            out.extend((SCORE["exact"], "exact", TITLE_SURNAME, member)
                       for member in self._short_exact.get(fold(word), ()))
        return out

    def _add_polish_cases(self, idx: int, alias: str, f: str) -> None:
        """Those that are everyday words (Polsce, Niemczech) only of another language's name of
        the place (Polska, Niemcy: see normalize.exonyms), not of a name that is an everyday
        word elsewhere: a place named Space would have Spac (spać, to sleep) for genitive."""
        foreign = f in exonyms()
        for form in polish_case_forms(f):
            if foreign or form not in common_words():
                members = self._pl_cases.setdefault(form, [])
                if all(m[0] != idx for m in members):
                    members.append((idx, alias, False))

    def _add_marks(self, folds: tuple[str, ...], gaps: list[str]) -> None:
        marks = [_marks(gap) for gap in gaps]
        if any(marks):
            known = self._marks.get(folds, ("",) * len(marks))
            self._marks[folds] = tuple(a + b for a, b in zip(known, marks, strict=True))

    def _gaps_fit(self, text: str, words, i: int, folds: tuple[str, ...]) -> bool:
        """Whether words i... are written as one name: only spaces and joiners between them,
        or spaces and the quote that opens the name's next words (ЧВК «Вагнер», ПАО "Газпром"),
        or the marks one of its names has there (St. Petersburg). "moved north. Korea" is no
        North Korea."""
        allowed = self._marks.get(folds)
        for k in range(1, len(folds)):
            gap = text[words[i + k - 1][1]:words[i + k][0]]
            if _quoted_beside(gap):
                continue
            marks = _marks(gap) if gap != " " else ""
            if marks and not set(marks) <= set(allowed[k - 1] if allowed else ""):
                return False
        return True

    def _add_part(self, idx: int, alias: str, word: str, person: bool,
                  spelt: int = 0, given: str = "", arabic: int = 0) -> None:
        """`given`: the first name beside surname `word`: a man's makes a surname in -ska
        that of a man (Oleg Deripaska), declined as a noun. `arabic`: of an Arabic name, also
        found in the other romanisations of it if it has as many consonants (_add_arabic)."""
        womans = person and not (given and may_be_feminine(word) and male_given_name(given))
        fids = self._part_fids.get((word, womans, spelt, person))
        if fids is None:  # (a surname or a city's name is shared by hundreds at 100k names)
            fids = self._part_fids[word, womans, spelt, person] = self._forms_of(
                word, womans, spelt, thing=not person)
        if arabic and not spelt:
            fids = (*fids, *self._add_arabic(word, arabic))
        for fid in fids:
            self._f_members[fid].append((idx, alias, person))

    def _add_arabic(self, word: str, consonants: int) -> tuple[int, ...]:
        """The form of a part of an Arabic name that its other romanisations find (Qaddafi,
        Kadhafi for Gaddafi: see normalize.arabic_spelling), or none (a Cyrillic one, one of
        fewer consonants)."""
        spelling = arabic_spelling(word)
        if spelling is None or len(spelling[0]) < consonants:
            return ()
        f = fold(word)
        fid = self._form_ids.get((spelling[0], ARABIC, False, f, 0))
        if fid is None:  # (in no other index: a spelling of its own, for Latin words only)
            fid = self._form_ids[spelling[0], ARABIC, False, f, 0] = len(self._f_key)
            values = (spelling[0], f, ARABIC, False, False, False, 0)
            for name, value in zip(_FORM_LISTS, values, strict=True):
                getattr(self, name).append(value)
            self._f_members.append([])
            self._ar_index.setdefault(spelling[0], []).append(fid)
        return (fid,)

    def _forms_of(self, word: str, womans: bool, spelt: int = 0,
                  thing: bool = False) -> tuple[int, ...]:
        """The forms of a name part: one per key and reading. `womans`: a surname that may be
        a woman's (see name_kind); `spelt`: of a name as Cyrillic writes it (_in_cyrillic),
        for Cyrillic words only: forms of their own; `thing`: a place's or organisation's
        (see name_kinds)."""
        f = fold(word)
        if len(f) < self._min_len:
            return ()
        cyr = is_cyrillic_word(word)
        fids = []
        for key in phonetic_keys(word):
            for kind in name_kinds(key, surname=womans, thing=thing):
                fid = self._form_ids.get((key, kind, cyr, f, spelt))
                fids.append(fid if fid is not None else  # (never misspelt: no fuzzy index)
                            self._new_form(key, kind, cyr, f, fuzzy=not spelt, spelt=spelt))
        for key, reading in cyrillic_readings(word) if not cyr else ():
            for kind in name_kinds(key, surname=womans, thing=thing):
                fid = self._form_ids.get((key, kind, cyr, f, spelt))
                if fid is None:  # (a guessed letter is not also misspelt: no fuzzy index)
                    fid = self._new_form(key, kind, cyr, f, fuzzy=False, spelt=spelt)
                    self._cyrillic_reading[fid] = reading
                fids.append(fid)
        return tuple(dict.fromkeys(fids))

    def _new_form(self, key: str, kind: str, cyr: bool, f: str, fuzzy: bool = True,
                  spelt: int = 0) -> int:
        fid = len(self._f_key)
        self._form_ids[(key, kind, cyr, f, spelt)] = fid
        self._f_spelt.append(spelt)
        self._f_key.append(key)
        self._f_fold.append(f)
        self._f_kind.append(kind)
        self._f_cyr.append(cyr)
        self._f_word.append(_word_like(f))
        self._f_latin_word.append(cyr and key in _word_keys())
        self._f_members.append([])
        buckets = _buckets(key)
        for b in buckets:
            self._index.setdefault(b, []).append(fid)
        stem = stem_of(key, kind)  # (the key itself for a name in a consonant: most)
        for b in buckets if stem == key else _buckets(stem):
            self._stem_index.setdefault(f"{b}|{kind}", []).append(fid)
        if fuzzy and self._fuzzy and fuzzy_budget(len(key)):
            for skel, fc in _fuzzy_buckets(key):
                if len(skel) >= FUZZY_MIN_CONSONANTS:
                    self._fz_index.setdefault(f"{skel}|{fc}", []).append(fid)
                    for d in _deletes(skel):
                        self._del_index.setdefault(f"{d}|{fc}", []).append(fid)
        return fid

    def forget(self) -> None:
        """Drop every memo of the words seen, this matcher's and the module's, as a fresh
        process has none (for a benchmark of a fresh scan)."""
        for m in (self, self._mw) if self._mw is not None else (self,):
            for memo in (m._cache, m._meta, m._mw_cache, m._ru_start, m._ru_function,
                         m._names_memo, m._short_cache):
                memo.clear()
        for f in (_key_parts, _capital_kind, _first_name, _given_name, phonetic_keys,
                  _word_skels, dictionary_parses):
            f.cache_clear()

    # -- the cache's format: plain containers, the memos of words seen left out -----------------

    def to_state(self) -> dict:
        """Everything compiled, as dicts, lists, tuples, sets and strings only: marshal reads
        that in half the time pickle takes for the objects (0.3 s against 0.7 at 100k names)."""
        state = dict(self.__dict__)
        # (the memos; _meta is keyed on object ids, which a copy does not keep)
        state.update(_cache={}, _ru_start={}, _ru_function=set(), _mw_cache={},
                     _names_memo={}, _meta={}, _short_cache={}, _words=None, _word_keys=None)
        state["entities"] = [e.as_tuple() for e in self.entities]
        if self._mw is not None:
            state["_mw"] = self._mw.to_state()
        return state

    @classmethod
    def from_state(cls, state: dict) -> Matcher:
        m = cls.__new__(cls)
        m.__dict__.update(state)
        m.entities = tuple(Entity(*e) for e in state["entities"])
        if m._mw is not None:
            m._mw = cls.from_state(m._mw)
        return m

    def __reduce__(self):
        return Matcher.from_state, (self.to_state(),)

    # -- one word against the name parts ---------------------------------------------------------

    def _splits(self, word: str) -> list[tuple[str, str, str]]:
        """(key, ending, kind) readings of a word: whole, and with each case ending removed."""
        keys = phonetic_keys(word)
        out = [(k, "", "") for k in keys]
        if is_cyrillic_word(word):
            f = fold(word)
            for kind in _KINDS:
                for e in self._endings("cyr", kind):
                    if f.endswith(e) and len(f) - len(e) >= 3:
                        out.extend((k, e, kind) for k in phonetic_keys(f[: -len(e)]))
            if f[-2:-1] in _UK_SOFTENED and f[-1] == "і" and len(f) >= 4:
                out.extend((k, "і", kind) for k in phonetic_keys(f[:-2] + _UK_SOFTENED[f[-2]])
                           for kind in ("vowel", "cons"))
        else:
            tail = fold(word)[-4:].translate(_ENDING_LETTERS)
            for k in keys:
                for kind in _KINDS:
                    for e in self._endings("lat", kind):
                        # (the ending written as such, not made by the key of the stem's
                        # last letters: Donets, ts read as s, is no Döhn with -es)
                        if k.endswith(e) and len(k) - len(e) >= 3 and \
                                (tail.endswith(e) or not e.islower()):
                            out.append((k[: -len(e)], e, kind))
        return out

    def _endings(self, script: str, kind: str) -> tuple[str, ...]:
        """data/endings.tsv's endings of a kind of name; in the word-by-word matcher (not
        fuzzy), a name ending in a vowel or as an adjective also has the plural's (Stany,
        Zjednoczone, Штаты: each found only beside the name's other words)."""
        table = endings()
        if self._fuzzy or kind not in _PLURAL_KINDS:
            return table.get((script, kind), ())  # (pl has no Latin endings)
        return table[(script, kind)] + table[(script, "plural")]

    def _word_parts(self, word: str, notes: list | None = None) -> tuple:
        """Spellings of name parts this word may be: ((form id, method, score, detail), ...),
        best first. Each distinct spelling is compared once, whatever number of entities
        share it."""
        best: dict[int, tuple[int, str, float, str]] = {}
        wfold = fold(word)
        if len(wfold) < self._min_len:
            return ()  # as short names, short words only match exactly (His is not Heß)
        cyr = is_cyrillic_word(word)
        # (a Cyrillic word of a multi-word name is matched beside the others: Нова of Нова
        # Каховка, a given name, may be the Ukrainian of Nova; Logan of Logan City, a Latin
        # one, is no Iligan)
        own = _word_of_its_own(word, wfold, cyr) if self._fuzzy or not cyr else ""
        for key, ending, kind in self._splits(word):
            bare_e = ending == "e" and kind == "cons" and not cyr and "'" not in word and \
                "’" not in word
            for b in _buckets(key):
                forms = self._stem_index.get(f"{b}|{kind}", ()) if ending else \
                    self._index.get(b, ())
                for fid in forms:
                    if bare_e and all(person for _, _, person in self._f_members[fid]):
                        if notes is not None:
                            notes.append((fid, "rejected", 0.0, BARE_E))
                        continue
                    self._try_form(fid, key, ending, kind, wfold, cyr, best, notes)
        itself = own or wfold in frequent_names()  # (then no misspelling of another is kept)
        for key in phonetic_keys(word) if self._fuzzy and (notes is not None or not itself) \
                else ():
            fids = self._fuzzy_candidates(key)
            if notes is None and fids:
                fids = self._within_budget(key, fids)
            else:
                fids = sorted(set(fids))
            for fid in fids:
                self._try_form(fid, key, "", "", wfold, cyr, best, notes, fuzzy=True)
        if self._ar_index and not cyr:
            self._arabic_forms(word, wfold, best, notes)
        found = best.values()
        if itself:
            allowed = ("exact",) if own else ("exact", "translit")
            common = own == COMMON_WORD
            frequent = not own and self._fuzzy  # (not beside a multi-word name's other words)

            def keep(r) -> bool:
                if r[1] in allowed and not self._other_vowels(r, word) or \
                        r[1] == "inflection" and not self._fuzzy and (
                        common or _place_word(word) or _multi_word_place(word)):
                    # (not fuzzy: a word of a multi-word name, found only beside the others:
                    # Wielkiej Brytanii, Korei Południowej, as in Cyrillic; not a given name
                    # that is not a place's, Santa Teresa is no Sainte-Thérèse)
                    return True
                if own == GIVEN_WORD and self._same_surname(r, word, cyr):
                    return True
                if common and r[1] == "translit" and self._french_russian(wfold, r):
                    return True
                # a name that is a frequent word itself keeps its -s genitive, a frequent word
                # too (Trumps, Kings), and a place's name that is a frequent word or name its
                # case forms (Rosja, Ukraina, Polish for Russia, Ukraine: Rosji, Ukrainie): the
                # same word, no other name's variant
                name = self._f_fold[r[0]]
                return common and r[1] == "inflection" and (
                    wfold == name + "s" and _word_like(name) or self._frequent_place(r[0]))

            own = own or "a frequent name of its own: no case form or misspelling of another"
            if notes is not None:
                notes.extend((r[0], "rejected", 0.0, own) for r in found if not keep(r))
            found = [r for r in found if keep(r)]
            if frequent:
                found = [(*r[:3], FREQUENT_SPELLING) if r[1] == "translit" and
                         self._f_cyr[r[0]] == cyr else r for r in found]
        # ties in an order of their own (not of form ids, which depend on the whole list)
        return tuple(sorted(found, key=lambda r: (
            -r[2], self._f_key[r[0]], self._f_fold[r[0]], self._f_cyr[r[0]], self._f_kind[r[0]])))

    def _arabic_forms(self, word: str, wfold: str, best: dict, notes: list | None) -> None:
        """The parts of Arabic names this word is another romanisation of (Qaddafi for
        Gaddafi, Husayn for Hussein: normalize.arabic_variant), into `best`. (Of a name that is
        a frequent word too, Laden: its consonants and vowel rules keep words off, where a
        letter off would not; a word of the text that is frequent is none: _word_parts.)"""
        spelling = arabic_spelling(word)
        for fid in self._ar_index.get(spelling[0], ()) if spelling is not None else ():
            name = self._f_fold[fid]
            if name == wfold:
                continue  # (the exact tier's)
            why = arabic_variant(spelling, arabic_spelling(name))
            if why:
                if notes is not None:
                    notes.append((fid, "rejected", 0.0, why))
                continue
            score = SCORE["translit"] - 4
            if fid not in best or best[fid][2] < score:
                best[fid] = (fid, "translit", score, ARABIC_VARIANT)

    def _function_start(self, word: str) -> bool:
        """Whether a capitalised Cyrillic word is a function word (see FUNCTION_WORD), that
        no one-word name is where it opens a sentence."""
        return self._fuzzy and word[0].isupper() and not word.isupper() and \
            is_cyrillic_word(word) and function_word(word)

    def _at_start_of(self, word: str, parts: tuple, before: list) -> None:
        """Note in _ru_start the candidates of a capitalised Cyrillic word at the start of a
        sentence, if fewer than elsewhere: see _dictionary_words_only."""
        kept = self._dictionary_words_only(word, parts, None)
        if len(kept) < len(parts):
            self._ru_start[word] = tuple(before) + tuple(
                self._group(score, method, detail, self._f_members[fid])
                for fid, method, score, detail in kept) or None

    def _dictionary_words_only(self, word: str, found, notes) -> list:
        """The candidates of a Russian or Ukrainian common word (Ночью, Власти, Маски, Місто:
        cyrillic_lemmas) that are this word, where it starts a sentence (elsewhere its capital
        makes it a name: у Маска): the exact ones, those of the same key (Мороз: Moroz), and
        the case forms of a name that is its dictionary form (Лебедя: Lebed). Not a
        misspelling or case form of another (Власти: Wlazły, Маски: Маск, Місто: Misato), as
        a frequent word of a Latin text is none."""
        lemmas = cyrillic_lemmas(word)
        if lemmas is None:
            return list(found)
        keys = set(phonetic_keys(word))
        lemma_keys = {k for lemma in lemmas for k in phonetic_keys(lemma)}
        folds = {fold(lemma) for lemma in lemmas}

        def keep(r) -> bool:
            fid, method = r[0], r[1]
            if method == "exact" or method == "translit" and self._f_key[fid] in keys:
                return True
            return method == "inflection" and (self._f_fold[fid] in folds or
                                               self._f_key[fid] in lemma_keys)

        if notes is not None:
            why = f"a word of the dictionary ({'/'.join(sorted(lemmas))}), not this name"
            notes.extend((r[0], "rejected", 0.0, why) for r in found if not keep(r))
        return [r for r in found if keep(r)]

    def _frequent_place(self, fid: int) -> bool:
        """Whether a form is the name of places (no person's) that is itself a frequent word,
        or a country's or city's name in a language that declines it (exonyms: Ukraina)."""
        name = self._f_fold[fid]
        return (name in common_words() or name in exonyms()) and \
            not any(part for _, _, part in self._f_members[fid])

    def _same_surname(self, r: tuple, word: str, cyr: bool) -> bool:
        """Whether a given name's candidate is the surname of watched persons only, spelt in
        the other script with the key of the given name's likeliest reading: Эрдоган is
        Erdoğan, also a Turkish given name. As for the surname spelt as it is, a first name's
        place rejects it ("Эрдоган Байрактар": _as_first_name). No place of a given name's
        key (Volodymyr is no Володимир, the city), no other spelling in its own script (Jon
        is no John), no rarer reading (Ji'an, j as French ж, is no Шиян)."""
        fid = r[0]
        return r[1] == "translit" and r[2] == SCORE["translit"] and cyr != self._f_cyr[fid] \
            and phonetic_key(word) == self._f_key[fid] \
            and all(part for _, _, part in self._f_members[fid])

    def _french_russian(self, wfold: str, r: tuple) -> bool:
        """A frequent French word that is the French spelling of a Cyrillic name in -ин
        (Poutine for Путин: the dish is lower case): the same key, by a press convention."""
        key = self._f_key[r[0]]
        return wfold.endswith("ine") and r[2] == SCORE["translit"] and self._f_cyr[r[0]] \
            and key.endswith("in")

    def _fuzzy_candidates(self, key: str) -> list[int]:
        """Forms whose consonants are one edit from the key's (SymSpell deletion index); a
        form may come more than once."""
        out: list[int] = []
        if len(key) < 5:
            return out
        for skel, fc in _fuzzy_buckets(key):
            if len(skel) < FUZZY_MIN_CONSONANTS - 1:
                continue
            out += self._del_index.get(f"{skel}|{fc}", ())
            for d in _deletes(skel):
                out += self._fz_index.get(f"{d}|{fc}", ())
                out += self._del_index.get(f"{d}|{fc}", ())
        return out

    def _within_budget(self, key: str, fids: list[int]) -> list[int]:
        """The forms whose whole key is within the fuzzy budget of `key`, the only ones that
        can give a "fuzzy" outcome: one C call over all of them (hundreds at 100k names)."""
        keys = operator.itemgetter(*fids)(self._f_key) if len(fids) > 1 else [self._f_key[fids[0]]]
        close = process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=2,
                                limit=None)
        return sorted({fids[k] for _, d, k in close if d <= fuzzy_budget(len(keys[k]))})

    def _try_form(self, fid, key, ending, kind, wfold, cyr, best, notes, fuzzy=False) -> None:
        if self._f_spelt[fid] and not cyr:
            return  # a name as Cyrillic writes it is for Cyrillic words (see _as_written)
        reading = self._cyrillic_reading.get(fid)
        if reading is not None:  # a Latin name read as Cyrillic writes it
            if not cyr or reading not in _ANY_CYRILLIC and looks_ukrainian(wfold) or \
                    reading == ENGLISH and ("ї" in wfold or "ц" in wfold or
                                            wfold.endswith("ь")) or \
                    reading == ENGLISH_J and "дж" not in wfold:
                # (see cyrillic_readings; Ukrainian writes ай, ей as such, not Заїка; English
                # has no ц, whose key is s: Prince is Принс, not Принц, and no soft end, which
                # the key leaves out: Steele is Стил, not Стиль; дж is written so, where the
                # key's dS is also дш, дщ: Радше, Спадщина)
                return
            if reading in _VOWELS_AS_READ:  # its vowels as written, but a softening я, ю (Ляйен)
                key = _UNGLIDE.sub("", key)
        akey = self._f_key[fid]
        if ending and reading == FRENCH and akey[-1] in VOWELS:
            return  # (Russian declines no French name in a vowel: Рено, not Рена)
        if ending in _E_ENDINGS and not _in_ea(akey):
            return  # (Кореи is Корея's; Ранее no Рана's, Корее no Carey's)
        if ending:
            target = stem_of(akey, kind)
        else:
            target = akey
        # A Latin-script text declines a Cyrillic name in its romanisation, letter by letter:
        # its vowels only soften (i/e/o), as within one script. Cyrillic texts write foreign
        # names by sound (Трампа), so any vowel may change there.
        same_script = cyr == self._f_cyr[fid] or (bool(ending) and not cyr)
        how, dist, reason = compare(key, target, fuzzy, same_script)
        if reading == FRENCH and key != target:  # (its ю too: Трюдо; Gressier is no Греция)
            how, reason = "reject", "read as a french name: the whole word as it is read"
        elif kind == "j" and how != "reject" and (dist or fuzzy):
            how, reason = "reject", J_AS_WRITTEN
        elif kind == "j" and how != "reject" and cyr and russian_adjective(wfold):
            how, reason = "reject", J_ADJECTIVE
        elif self._f_spelt[fid] and not _as_written(wfold, ending, self._f_fold[fid],
                                                    self._f_spelt[fid] == SPELT_DECLINED):
            how, reason = "reject", SPELT_AS_WRITTEN
        elif dist and reading in _VOWELS_AS_READ:
            how, reason = "reject", f"read as a {reading} name: its vowels as they are"
        if how == "reject":
            if notes is not None and not (fuzzy and "more than one" in reason):
                notes.append((fid, "rejected", 0.0, reason))
            return
        if fuzzy and how != "fuzzy":
            return  # already found by the translit tier
        if cyr and self._f_kind[fid] == "adj" and _WOMANS_FORM.search(wfold) and \
                not self._f_fold[fid].endswith(wfold[-2:]):  # not Трубецкой, Донской
            if notes is not None:
                notes.append((fid, "rejected", 0.0, WOMANS_FORM))
            return
        if ending in _WOMANS_ENDINGS and self._f_kind[fid] == "cons" and \
                all(person for _, _, person in self._f_members[fid]):
            if notes is not None:
                notes.append((fid, "rejected", 0.0, WOMANS_ENDING))
            return
        if dist and cyr and not self._f_cyr[fid] and russian_place_form(wfold) and \
                all(person for _, _, person in self._f_members[fid]):
            if notes is not None:  # (Северной Кореи is no Carey: one vowel away)
                notes.append((fid, "rejected", 0.0, PLACE_NO_PERSON))
            return
        if dist and (self._f_word[fid] and cyr == self._f_cyr[fid] or
                     not cyr and self._f_latin_word[fid]):
            # Shell, Nice, Split: so many words of its script lie a letter or a vowel away
            # (Scholz, Necas) that only its own vowels are this name (Трампа still is Trump);
            # Путин read in Latin is Putin, whose vowels are its own too (Puten is a word)
            if notes is not None:
                notes.append((fid, "rejected", 0.0, WORD_NAME))
            return
        if cyr and self._fuzzy and (dist or fuzzy or not any(
                person for _, _, person in self._f_members[fid])) and \
                self._another_given_name(wfold, akey):
            if notes is not None:  # (not beside a multi-word name's other words: Санта-Ана)
                notes.append((fid, "rejected", 0.0, GIVEN_NAME_FORM))
            return
        if dist and not cyr and self._f_cyr[fid] and "цз" in self._f_fold[fid]:
            if notes is not None:  # (Sonin is no Цзинин, Jining)
                notes.append((fid, "rejected", 0.0, PALLADIUS_VOWELS))
            return
        method, score, detail = self._grade(fid, how, dist, ending, wfold, cyr)
        if fid not in best or best[fid][2] < score:
            best[fid] = (fid, method, score, detail)

    @staticmethod
    def _another_given_name(wfold: str, key: str) -> bool:
        """Whether a Cyrillic word is a form of given names (Russian's or Ukrainian's
        dictionary) none of which has the key of the name (see GIVEN_NAME_FORM)."""
        names = dictionary_given_names(wfold)
        return names is not None and all(k != key for name in names for k in phonetic_keys(name))

    def _grade(self, fid, how, dist, ending, wfold, cyr) -> tuple[str, float, str]:
        if how == "fuzzy":
            return "fuzzy", SCORE["fuzzy"] - 8 * dist, f"edit distance {dist}"
        if ending:
            # (a Latin ending is a phonetic key's, its capitals classes of sounds: -aC may be
            # Polish -ach, -acz or -ać, so it goes unsaid)
            said = "" if any(c.isupper() for c in ending) else f" -{ending}"
            return "inflection", SCORE["inflection"] - 4 * dist, f"case ending{said}"
        if wfold == self._f_fold[fid]:
            return "exact", SCORE["exact"], "exact name part"
        script = "Cyrillic" if cyr != self._f_cyr[fid] else "spelling"
        detail = f"{script} variant" + (f", vowel distance {dist}" if dist else "")
        return "translit", SCORE["translit"] - 4 * dist, detail

    def _word(self, word: str) -> tuple:
        """Everything about one word that does not depend on its neighbours, memoised:
        (fold, its own candidates or None, which multi-word names may start with it: 1 a
        watched one, 2 the name of another thing, 4 a watched place's or organisation's in
        another spelling or case, if the next word is capitalised too or hyphenated to it
        (any capitalised word: see _mw_at), 8 a frequent name read as another's spelling
        (FREQUENT_SPELLING); its candidates as the exact words of a name, whether it is a given
        name as written).

        Its own candidates are ((score, method, detail, members), ...), best first: acronym,
        exact name, then the name-part spellings of the variant tiers (capitalised words only).
        """
        f = fold(word)
        groups: list[tuple] = []
        acr = self._acronym(word)
        if acr:
            groups.append(self._group(*acr))
        exact = self._exact.get((f,))
        if exact:
            groups.extend(self._group(*g) for g in self._exact_grades((f,), exact))
        own = plain = None
        frequent = False
        if word[0].isupper():
            n = len(groups)
            parts = self._word_parts(word)
            other = self._other_names(_listed(acr, exact), parts, word)
            if other:
                parts = tuple(p for p in parts if p not in other)
            for fid, method, score, detail in parts:
                members = self._f_members[fid]
                groups.append(self._group(score, method, detail, members))
                n += method == "exact"
                frequent = frequent or detail == FREQUENT_SPELLING
            polish = self._pl_cases.get(f)
            if polish:  # (a Latin word: not one _at_start_of reads the groups of, below)
                groups.append(self._group(SCORE["inflection"], "inflection", POLISH_CASE,
                                          polish))
                groups.sort(key=lambda g: -g[0])
            own = tuple(groups) or None
            if own and self._function_start(word):
                self._ru_function.add(word)
            if n < len(groups):  # the exact groups alone, for a text that has it in lower case
                plain = tuple(g for g in groups if g[1] == "exact") or None
                if self._fuzzy and is_cyrillic_word(word):
                    self._at_start_of(word, parts, groups[:len(groups) - len(parts)])
            else:
                plain = own
        else:
            own = plain = tuple(groups) or None
            if own and self._lower_is_word(f):
                own = None  # the word, unless match() finds the text uncased
        if own is None and plain is None and (head := turkish_head(word)):
            _, own, _, plain, _ = self._word(head)  # Erdoğan'ın, as Erdoğan alone (see _run)
        given = own is not None and word[0].isupper() and _given_name(word) and \
            not _place_word(word)
        multi = (f in self._exact_first) | (word[0].isupper() and (
            (f in self._others) << 1 | (self._mw is not None or bool(self._mw_short)) << 2)) | \
            (f in self._mw_lower) << 2 | frequent << 3
        info = (f, own, multi, plain, given)
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()
            self._ru_start.clear()
            self._ru_function.clear()
        self._cache[word] = info
        return info

    def _other_names(self, listed: list, parts, word: str) -> list[tuple]:
        """The name-part candidates `parts` of a word that read it as another name than a
        watched one it is spelt as (`listed`: the members of the names or acronyms it is; or
        a part is exact), whoever the context says it names (Martin of Tamara Barkholz-Martin
        is no misspelt Marton, Riga no Reqa of Raqqa): a misspelling or Arabic romanisation
        (_another_name), a case form of another name (Zelenskyy no Zelensk's, Одесса no
        Odessos's; but a surname may be another person's, Lavrova Lavrov's genitive, and in
        Cyrillic a place's too: Орехова, of Орехово), or a spelling or case form with other
        vowels. The last also where the word is a watched name's spelling or case form with
        the name's own vowels (Самара, of Samara, is no Самора; Одесі, of Одеса, no Odzu's).
        Not a reading of an entity that shares a name with one the word is (one thing listed
        twice, with other aliases: Kharkov, an alias of one Kharkiv, is the other's too).
        """
        spelt = [m for p in parts if p[1] == "exact" for m in self._f_members[p[0]]]
        spelt.extend(listed)
        own = [m for p in parts if p[2] == _TOP.get(p[1]) for m in self._f_members[p[0]]]
        if not spelt and not own:
            return []
        surname = any(m[2] for m in spelt)
        either = surname and is_cyrillic_word(word)  # a person's or a place's case form
        as_spelt = {m[0] for m in spelt}  # the entities the word is: as spelt,
        with_vowels = as_spelt | {m[0] for m in own}  # ... or with their vowels
        owners: dict[bool, dict[str, set[int]]] = {}  # name -> entities that have it, per set

        def shares_a_name(e: int, vowels: bool) -> bool:
            """Whether entity e has a name of another entity of with_vowels (or as_spelt)."""
            if vowels not in owners:
                owners[vowels] = table = {}
                for b in with_vowels if vowels else as_spelt:
                    for name in self._folded_names(b):
                        table.setdefault(name, set()).add(b)
            table = owners[vowels]
            return any((by := table.get(name)) and (len(by) > 1 or e not in by)
                       for name in self._folded_names(e))

        def other(p: tuple) -> bool:
            if self._other_vowels(p, word):
                vowels = True
            elif spelt and (_another_name(p) or p[1] == "inflection" and not (
                    either or surname and any(m[2] for m in self._f_members[p[0]]))):
                vowels = False
            else:
                return False
            return not any(shares_a_name(m[0], vowels) for m in self._f_members[p[0]])

        return [p for p in parts if other(p)]

    def _folded_names(self, e: int) -> frozenset[str]:
        """Entity e's names, folded; memoised (see _other_names)."""
        names = self._names_memo.get(e)
        if names is None:
            entity = self.entities[e]
            names = self._names_memo[e] = frozenset(map(fold, (entity.name, *entity.aliases)))
        return names

    def _other_vowels(self, part: tuple, word: str) -> bool:
        """Whether a name-part candidate spells the name, or its case form, with other vowels
        than the word's (a translit or inflection at a vowel distance, _grade; a glide is no
        other vowel: Alexeyev is Alekseev, Ермак Yermak, Брюссель Brusel; an Arabic
        romanisation's vowels are its own rules'): a word spelt as a watched name, or
        frequent as a word or name, is no such spelling of another (Sumy is no Izumi, North no
        Niort, Kirillov no Krylov; see _other_names), as it is no misspelling of one."""
        fid, method, score, detail = part
        if score >= _TOP.get(method, 0.0) or detail == ARABIC_VARIANT:
            return False
        scripts = is_cyrillic_word(word) != self._f_cyr[fid]
        if method == "translit":
            name = _unglided(self._f_key[fid], scripts)
            return all(_unglided(k, scripts) != name for k in phonetic_keys(word))
        return all(_unglided(key, scripts) != _unglided(stem_of(self._f_key[fid], kind), scripts)
                   for key, ending, kind in self._splits(word) if ending)

    def _acronym(self, word: str) -> tuple[float, str, str, list] | None:
        """(score, method, detail, members) of the acronyms this word is: one as listed, or
        else one in the other script's letters; None for none."""
        if not self._acronyms:
            return None
        listed = self._acronyms.get(unicodedata.normalize("NFKC", word))
        if listed:
            return SCORE["exact"], "exact", ACRONYM, listed
        other = self._other_script_acronym(word) if word.isupper() else []
        return (SCORE["translit"], "translit", OTHER_ACRONYM, other) if other else None

    def _other_script_acronym(self, word: str) -> list[tuple[int, str, bool]]:
        """The members of the acronyms this one in capitals is in the other script's letters:
        НАТО is NATO, SBU is СБУ, ГУР is HUR (three letters at least: two are too many). Not a
        Russian word or abbreviation that names no one thing (СМИ, "the media", is no SMI).
        """
        if not MIN_ACRONYM_READ <= len(word) <= ACRONYM_MAX_LEN:
            return []
        if not is_cyrillic_word(word):
            return self._cyrillic_acronyms.get(word, [])
        if russian_lemmas(word) is not None:
            return []
        found: list[tuple[int, str, bool]] = []
        for reading in acronym_readings(word):
            found.extend(m for m in self._acronyms.get(reading, ()) if m not in found)
        return found

    def _lower_is_word(self, f: str) -> bool:
        """Whether a one-word name written in lower case is a word, not the name, where the
        text uses capitals: unless the watchlist writes it in lower case itself (adidas)."""
        return all(alias[:1].isupper() for _, alias, _ in self._exact.get((f,), ()))

    def _exact_grades(self, key: tuple[str, ...], members: list) -> tuple[tuple, ...]:
        """(score, method, detail, members) of the names the exact tier has as the folded
        words `key` (`members`: _exact's): those listed so are exact; those spelt so from a
        listed name (Kim Jong-eun of Kim Jong Un: _spelt_exact) say how, as a transliteration
        (the text is not the name the user wrote)."""
        detail = "exact name" if len(key) > 1 else "exact name part"
        spelt = self._spelt_exact.get(key)
        if spelt is None:
            return ((SCORE["exact"], "exact", detail, members),)
        listed, made = spelt
        grades = [(SCORE["exact"], "exact", detail, listed)] if listed else []
        grades.extend((SCORE["translit"], "translit", how, ms) for how, ms in made)
        return tuple(grades)

    def _group(self, score: float, method: str, detail: str, members) -> tuple:
        """Candidates sharing a span and a grade: (score, method, detail, members, flag, ids),
        members with one (the first) per entity, ids their entities.

        flag, members and ids are worked out once per members list (a form's or a name's,
        hundreds long for a common surname in a 100k list), not once per word that reaches
        it."""
        key = id(members)
        meta = self._meta.get(key)
        if meta is None:
            ids = frozenset(m[0] for m in members)
            if len(ids) < len(members):
                firsts: dict[int, tuple] = {}
                for m in members:
                    firsts.setdefault(m[0], m)
                members = list(firsts.values())
            meta = self._meta[key] = members, self._flag(members), ids
        return score, method, detail, *meta

    def _flag(self, members) -> int:
        """Which context rules apply to these members: 0 none (they all pass as a group),
        1 first-name rules (surnames), 2 also an entity's threshold or exclusions."""
        special = self._special
        if any(e in special for e, _, _ in members):
            return 2
        return 1 if any(p for _, _, p in members) else 0

    def _as_first_name(self, text, words, i: int, groups) -> tuple | None:
        """The candidates of a given name (Martina, Thomas) standing before a capitalised word:
        it is that person's first name, not a surname or place of its own, unless the word after
        it is the watched person's first name (surname first: Putin Vladimir)."""
        after = self._name_after(text, words, i + 1)
        if after is None:
            return groups
        out = []
        for g in groups:
            members = [m for m in g[3] if self._named_by(m[0], after)]
            if members:
                out.append((*g[:3], members, max(g[4], 1), frozenset(m[0] for m in members)))
        return tuple(out) or None

    def _named_by(self, entity: int, skels: frozenset[str]) -> bool:
        """Whether one of these skeletons is a first name of the watched person `entity`."""
        mine = self._first_skels.get(entity)
        return mine is not None and not mine.isdisjoint(skels)

    def _name_after(self, text, words, j: int) -> frozenset[str] | None:
        """Skeletons of word j when it may be a surname: capitalised, right after word j - 1,
        none of _NOT_SURNAME ("Sofia Tuesday", "Sofia Airport", "Jordan River" name the
        places; "Sofia Vergara", "Thomas Müller" are people), not after a possessive
        ("Sofia's Mayor"), and not capitalised by a headline only (see _surname_like).

        Not "no common word": frequent words include the names most in the news, and
        "Vladimir Putin" is no mention of the city of Vladimir."""
        if j >= len(words):
            return None
        ns, _, nxt = words[j]
        ps, pe, prev = words[j - 1]
        gap = text[pe:ns]  # none: a hashtag's words (KalinUa), no name pair
        if not (gap and nxt[0].isupper() and _beside(gap)) or fold(nxt) in _NOT_SURNAME or \
                not self._surname_like(text, words, j):
            return None
        if pe - ps > len(prev) and text[pe - 2:pe] in _POSSESSIVE:
            return None  # "Sofia's Airport": a first name is not possessive
        return _word_skels(nxt)

    def _surname_like(self, text, words, j: int) -> bool:
        """Whether capitalised word j, after a name, may be a surname: a watched name part is,
        else not a word capitalised by its headline ("Sofia Hosts Summit", "BERAN IN
        FLORIDA": see _title_word)."""
        word = words[j][2]
        return not _title_word(text, words, j) or bool((self._cache.get(word) or
                                                        self._word(word))[1])

    # -- a whole text ----------------------------------------------------------------------------

    def match(self, text: str) -> list[Hit]:
        """The watched names in `text`, sorted by start; an entity's hits do not overlap.

        Every entity is matched on its own: its hits do not depend on what else is watched,
        with one exception: a word that is a watched name as it is spelt (or with the name's
        own vowels) is not taken for a misspelling, a case form or an other-vowelled spelling
        of another (_other_names), nor a word inside a name found for a misspelling.
        """
        words = word_spans(text)
        cache = self._cache
        info = [cache.get(w) or self._word(w) for _, _, w in words]
        n = len(info)
        kept = []
        lower = cased = as_words = None
        capital_only = self._capital_only
        ru_start = self._ru_start
        declined = self._declined_names
        fold_at: dict[int, str] = {}  # start -> fold of the words with candidates
        other_at = []  # where a name of another thing may start
        for i, (f, own, multi, plain, given) in enumerate(info):
            if own is None:
                if plain is not None:  # a one-word name in lower case
                    if cased is None:
                        cased = _cased(words)
                    if not cased:  # (a hashtag's words are read capitalised: word_spans)
                        own = plain
            elif own is not plain:
                if lower is None:
                    lower = _lower_folds(info, words)
                if f in lower:
                    own = plain  # also written in lower case here: a word, not a name variant
            if own and ru_start and own is info[i][1] and words[i][2] in ru_start and \
                    _sentence_start(text, words[i][0]):
                own = ru_start[words[i][2]]  # a Russian word opening a sentence
            if own and words[i][2] in self._ru_function and _sentence_start(text, words[i][0]):
                own = None
            if own and words[i][2].isupper():
                own = _marker_groups(text, words, i, own)
            if own:
                if given:
                    own = self._as_first_name(text, words, i, own)
                if own and i and _after_given_name(text, words, i, info[i - 1][0]):
                    own = _persons_only(own)
                elif own and multi & 8:
                    own = _without_frequent_spellings(own)
                if own and f in capital_only and words[i][2][0].isupper() and \
                        _sentence_start(text, words[i][0]):
                    if as_words is None:
                        lower = lower if lower is not None else _lower_folds(info, words)
                        as_words = self._used_as_words(text, words, [x[0] for x in info],
                                                       lower)
                    if f in as_words:
                        own = _persons_only(own)
            if multi and i + 1 < n:
                if multi & 2:
                    other_at.append(i)
                for j, members, score, method, detail in self._mw_at(text, words, i) \
                        if multi & 4 and (info[i + 1][2] & 4 or
                                          text[words[i][1]:words[i + 1][0]] == "-") else ():
                    group = self._group(score, method, detail, members)
                    kept.extend(self._pick(text, words, i, j, (group,)))
                for k in self._exact_next.get((f, info[i + 1][0]), ()) if multi & 1 else ():
                    if i + k > n:
                        break
                    key = tuple(info[x][0] for x in range(i, i + k))
                    members = self._exact.get(key)
                    if members and self._gaps_fit(text, words, i, key):
                        groups = tuple(self._group(*g) for g in self._exact_grades(key, members))
                        kept.extend(self._pick(text, words, i, i + k, groups))
                    members = self._pair_at(words, i, key)
                    if members and self._gaps_fit(text, words, i, key):
                        group = self._group(SCORE["exact"], "exact", "exact name", members)
                        kept.extend(self._pick(text, words, i, i + k, (group,)))
                for j, members, ending in self._declined(text, words, i) if f in declined \
                        else ():
                    group = self._group(SCORE["inflection"], "inflection",
                                        f"case ending -{ending}", members)
                    kept.extend(self._pick(text, words, i, j, (group,)))
            if i and 2 <= len(f) <= SHORT_WORD and self._short_surnames and \
                    words[i][2][0].isupper():
                own = self._with_short_surnames(text, words, i, own)
            if own:
                fold_at[words[i][0]] = f
                kept.extend(self._pick(text, words, i, i + 1, own))
        if other_at and kept:
            spans = self._other_spans(text, words, lambda k: info[k][0], other_at)
            if spans:
                kept = [item for item in kept if not _inside(spans, item[0], item[1])]
        bare = {fold_at[item[0]] for item in kept
                if not item[2] and item[3][4] and item[0] in fold_at}
        if bare:
            kept = self._as_named(text, words, info, kept, fold_at, bare)
        if any(_lesser(item[3][1], item[3][0]) for item in kept):
            names = [(s, e, text[s:e]) for s, e, _, g, _ in kept if g[1] != "fuzzy"]
            kept = [item for item in kept if not _lesser(item[3][1], item[3][0]) or
                    not _inside(names, item[0], item[1])]
        return self._hits(text, kept)

    def _with_short_surnames(self, text, words, i: int, own: tuple | None) -> tuple | None:
        """`own` and, best first among them, the persons whose short surname word i is, right
        after their first name or a title (SHORT_SURNAME, TITLE_SURNAME)."""
        found = [(score, method, detail, member)
                 for score, method, detail, member in self._short_candidates(text, words, i)
                 if method == "exact" or self._short_ok(
                     text, words, _Cand(member[0], member[1], i, i + 1, score, method, detail,
                                        True))]
        if not found:
            return own
        groups = [(score, method, detail, [member], self._flag([member]),
                   frozenset((member[0],))) for score, method, detail, member in found]
        return tuple(sorted((*(own or ()), *groups), key=lambda g: -g[0]))

    def _mw_parts(self, word: str) -> dict[tuple[int, int], tuple[float, str, str]]:
        """(name, position) -> (score, method, detail): the words of multi-word names this
        word may be (see _mw_compile), memoised."""
        got = self._mw_cache.get(word)
        if got is not None:
            return got
        got = {}
        sub = self._mw
        latin3 = _latin3(word)
        for fid, method, score, detail in sub._word_parts(word) if sub is not None else ():
            for pseudo, _, _ in sub._f_members[fid]:
                for at in self._mw_owner[pseudo]:
                    if at not in got or got[at][0] < score:
                        got[at] = (score, method, detail)
                for at in self._mw_paired[pseudo]:
                    if at not in got or got[at][0] < SCORE["translit"]:
                        got[at] = (min(score, SCORE["translit"]), "translit", SLAVIC_PAIR)
        if self._mw_short:
            f = fold(word)
            for key, how in _short_readings(word):
                for at, part in self._mw_short.get(key, ()):
                    if latin3 and f != part:
                        continue  # In is no Yin
                    found = ((SCORE["exact"], "exact", "exact name part") if f == part else how)
                    if at not in got or got[at][0] < found[0]:
                        got[at] = found
        if len(self._mw_cache) >= _CACHE_MAX:
            self._mw_cache.clear()
        self._mw_cache[word] = got
        return got

    def _mw_at(self, text, words, i: int) -> list[tuple[int, list, float, str, str]]:
        """Multi-word names written at word i in another spelling or case, word by word:
        (end word, members, score, method, detail), the weakest word's grade. All words exact
        is left to the exact tier. (The names are found from the second word's parts: far
        fewer than the first's, New or San starting hundreds.)"""
        word = words[i][2]
        if self._mw is None and not self._mw_short or \
                not word[0].isupper() and not self._article_at(text, words, i) or \
                i + 1 >= len(words) or not self._mw_joined(text, words, i + 1):
            return []
        here = self._mw_parts(word)
        if here and _latin3(word):
            here = {at: g for at, g in here.items() if g[1] == "exact"}
        if not here:
            return []
        out = []
        for (no, pos), second in self._mw_parts(words[i + 1][2]).items():
            first = here.get((no, 0)) if pos == 1 else None
            if first is None:
                continue
            members, caps = self._mw_names[no]
            if i + len(caps) > len(words) or caps[1] and not words[i + 1][2][0].isupper():
                continue
            got = [first, second]
            for k in range(2, len(caps)):
                w = words[i + k][2]
                grade = self._mw_parts(w).get((no, k)) if \
                    self._mw_beside(text, words, i + k) and (w[0].isupper() or not caps[k]) \
                    else None
                if grade is None:
                    break
                got.append(grade)
            else:
                if any(g[1] != "exact" for g in got):
                    score, method, detail = min(got)
                    out.append((i + len(caps), members, score, method,
                                f"{detail}, word by word"))
        return out

    @staticmethod
    def _mw_beside(text, words, k: int) -> bool:
        gap = text[words[k - 1][1]:words[k][0]]
        return gap == "-" or _beside(gap) or _quoted_beside(gap)

    def _mw_joined(self, text, words, k: int) -> bool:
        """Whether words k - 1 and k may be the first two of a multi-word name: beside each
        other (or it in quotes: ЧВК «Вагнера») and the second capitalised or an Arabic article
        (Jabhat al-Nusra), or joined by a hyphen (Ростове-на-Дону)."""
        gap = text[words[k - 1][1]:words[k][0]]
        return gap == "-" or (words[k][2][0].isupper() or self._article_at(text, words, k)) \
            and (_beside(gap) or _quoted_beside(gap))

    def _article_at(self, text, words, k: int) -> bool:
        """Whether word k is, in lower case, the Arabic article of a watched multi-word name,
        joined to the next word by a hyphen (al-Qaida, Jabhat al-Nusra)."""
        return bool(self._mw_lower) and k + 1 < len(words) and \
            fold(words[k][2]) in self._mw_lower and text[words[k][1]:words[k + 1][0]] == "-"

    def _other_spans(self, text, words, fold_of, starts) -> list[tuple[int, int, str]]:
        """(start, end, name) of the names of other things written at the given words (each
        capitalised: so is every such name's first word)."""
        out = []
        for i in starts:
            for other in self._others.get(fold_of(i), ()):
                if _other_at(text, words, fold_of, i, other):
                    out.append((words[i][0], words[i + len(other[0]) - 1][1], other[3]))
        return out

    def _as_named(self, text, words, info: list[tuple], kept: list[tuple],
                  fold_at: dict[int, str], bare: set[str]) -> list[tuple]:
        """_pick's items without the persons a bare surname cannot mean here: once a text
        names someone of that surname in full, the surname alone means whom it named
        ("Dmitry Medvedev ... Medvedev added" is not Alexander Medvedev too). `bare`: the
        surnames (folds) of kept items without a first name."""
        used = _first_names_used(text, words, [x[0] for x in info], bare,
                                 lambda k: _case_form_only(info[k][1]))
        if not used:
            return kept
        out = []
        for item in kept:
            start, _, extra, g, m = item
            names = used.get(fold_at.get(start)) if not extra and g[4] else None
            if names is None:
                out.append(item)
            elif m is not None:
                if not m[2] or self._named_by(m[0], names):
                    out.append(item)
            else:
                members = [x for x in g[3] if not x[2] or self._named_by(x[0], names)]
                if len(members) == len(g[3]):
                    out.append(item)
                elif members:
                    out.append((*item[:3], (*g[:3], members, g[4],
                                            frozenset(x[0] for x in members)), None))
        return out

    def _hits(self, text, kept: list[tuple]) -> list[Hit]:
        """_resolve() for match(): kept holds what _pick() returns.

        A 100k-name watchlist gives a word hundreds of namesakes, so a span that nothing else
        overlaps has its members made into hits at once; only overlapping spans need the
        per-entity resolution, best candidate first."""
        clean, rest = _by_clean_span(kept)
        ents = self.entities
        out = []
        for items in clean:
            for item in items:
                start, end, extra, g, m = item
                if m is not None:
                    out.append(self._hit(text, item))
                    continue
                snippet = text[start:end]
                detail = _detail(snippet, g[2], "")
                out.extend((start, end, e, Hit(ents[e].id, ents[e].name, start, end, snippet,
                                                alias, g[0], g[1], detail)) for e, alias, _ in g[3])
        single = []  # one item per entity and span
        for item in rest:
            if item[4] is None:
                single.extend((*item[:4], m) for m in item[3][3])
            else:
                single.append(item)
        single.sort(key=_group_best_first)
        taken: dict[int, object] = {}  # entity -> its accepted (start, end), or a list of them
        for item in single:
            start, end, _, _, m = item
            e = m[0]
            mine = taken.get(e)
            if mine is None:
                taken[e] = (start, end)  # the common case: an entity's first hit here
            else:
                if type(mine) is tuple:
                    mine = taken[e] = [mine]
                if any(s < end and start < t for s, t in mine):
                    continue  # overlaps a better hit of this entity
                mine.append((start, end))
            out.append(self._hit(text, item))
        out.sort()  # by start, end and entity: no two hits share all three
        return [t[3] for t in out]

    def _hit(self, text, item: tuple) -> tuple:
        start, end, extra, g, m = item
        ent = self.entities[m[0]]
        snippet = text[start:end]
        return start, end, m[0], Hit(ent.id, ent.name, start, end, snippet, m[1], g[0], g[1],
                                     _detail(snippet, g[2], extra))

    def explain(self, text: str) -> list[dict]:
        """Every candidate span considered, accepted or not, with the reason for a rejection."""
        notes: list[dict] = []
        self._run(text, notes)
        notes.extend(self._near_misses(text, notes))
        unique = {(n["entity_id"], n["start"], n["end"], n["accepted"], n["reason"]): n
                  for n in notes}
        return sorted(unique.values(), key=lambda n: (n["start"], -n["score"]))

    def _near_misses(self, text: str, notes: list[dict]) -> list[dict]:
        """Capitalised words that no tier took as a candidate, with the closest watched name
        word: what a user asks about when a mention is missing (Zelenska is not Zelensky)."""
        covered = [(n["start"], n["end"]) for n in notes]
        folds, owners = self._name_words()
        out = []
        for start, end, word in word_spans(text):
            if not word[0].isupper() or any(s <= start < e for s, e in covered):
                continue
            if len(word) < MIN_VARIANT_LEN:
                near = self._short_near_miss(word, folds)
            else:
                near = process.extractOne(fold(word), folds, scorer=fuzz.ratio, score_cutoff=75)
            if near is None:
                continue
            idx, alias, first = owners[near[2]]
            ent = self.entities[idx]
            out.append({"entity_id": ent.id, "name": ent.name, "start": start, "end": end,
                        "text": text[start:end], "alias": alias, "score": 0.0, "method": "-",
                        "detail": f"nearest watched name word '{near[0]}'", "accepted": False,
                        "reason": _why_missed(word, near, first)})
        return out

    def _short_near_miss(self, word: str, folds: list[str]) -> tuple | None:
        """A short word with the key of a watched name word (Буш: Bush), as extractOne
        gives it: (name word, score, index); None if none has."""
        if self._word_keys is None:  # (once, and only for a text with a short word)
            self._word_keys = {}
            for i, f in enumerate(folds):
                for k in phonetic_keys(f):
                    self._word_keys.setdefault(k, i)
        for k in phonetic_keys(word) if len(word) > 1 else ():  # (not И, the key of Yi)
            i = self._word_keys.get(k)
            if i is not None and folds[i] != fold(word):
                return folds[i], 0.0, i
        return None

    def _name_words(self) -> tuple[list[str], list[tuple[int, str, bool]]]:
        """Folded words of every name and alias, with (entity, alias, whether it is a person's
        first name): for explain() only."""
        if self._words is None:
            folds, owners = [], []
            for idx, ent in enumerate(self.entities):
                for alias in _names_of(ent):
                    words = word_spans(alias)
                    for k, (_, _, w) in enumerate(words):
                        folds.append(fold(w))
                        owners.append((idx, alias, ent.type == "person" and k < len(words) - 1))
            self._words = folds, owners
        return self._words

    def match_reference(self, text: str) -> list[Hit]:
        """match() the slow way: no word memo, every candidate of every entity checked on its
        own. For tests: match() must give the same hits."""
        return [h for h, _ in self._run(text, None)]

    def _run(self, text: str, notes: list | None) -> list[tuple[Hit, _Cand]]:
        words = word_spans(text)
        folds = [fold(w) for _, _, w in words]
        cands: list[_Cand] = []
        lower = frozenset(f for f, (_, _, w) in zip(folds, words, strict=True)
                          if not w[0].isupper())
        cased = _cased(words)
        for i, (_, _, word) in enumerate(words):
            n = len(cands)
            self._word_at(text, words, i, cands, notes, cased, lower)
            head = turkish_head(word)
            if head and not any(c.j == i + 1 for c in cands[n:]):  # Erdoğan'ın: Erdoğan
                self._head_at(text, words, i, head, cands, notes, cased, lower)
        kept = []
        as_words = self._used_as_words(text, words, folds, lower)
        for group in self._by_span(cands).values():
            kept.extend(self._best_in_span(text, words, group, notes, as_words))
        methods: dict[int, set[str]] = {}
        for c in cands:
            if c.j == c.i + 1:
                methods.setdefault(c.i, set()).add(c.method)
        used = _first_names_used(text, words, folds,
                                 case_form=lambda k: methods.get(k) == {"inflection"})
        others = self._other_spans(text, words, folds.__getitem__,
                                   [i for i, f in enumerate(folds) if f in self._others
                                    and words[i][2][0].isupper()])
        spans = []
        for c in kept:
            span = (*self._extend(text, words, c), c)
            names = used.get(folds[c.i]) if c.person_part and not span[2] else None
            other = _inside(others, span[0], span[1])
            if names is not None and not self._named_by(c.entity, names):
                self._note(notes, text, words, c, NAMED_OTHERWISE)  # see _as_named
            elif other:
                self._note(notes, text, words, c, f"inside '{other}', the name of another "
                           "thing (data/other_names.txt)")
            else:
                spans.append(span)
        return self._resolve(text, self._no_lesser_words(text, words, spans, notes), notes,
                             words)

    def _no_lesser_words(self, text, words, spans, notes) -> list[tuple]:
        """`spans` (start, end, extension, candidate) but the misspellings and other-vowelled
        readings (_lesser) inside a name found here (Jinping of Xi Jinping is no misspelt
        Jinjiang nor Zhenping, Narendra of Narendra Modi no Varindra), as a word spelt as a
        name is none (_other_names)."""
        names = [(s, e, text[s:e]) for s, e, _, c in spans if c.method != "fuzzy"]
        out = []
        for span in spans:
            c = span[3]
            name = _inside(names, span[0], span[1]) if _lesser(c.method, c.score) else ""
            if name:
                self._note(notes, text, words, c, f"inside '{name}', a name found here: no "
                           "misspelling or other-vowelled spelling of another")
            else:
                out.append(span)
        return out

    def _word_at(self, text, words, i, cands, notes, cased: bool, lower) -> None:
        """The candidates of the names that start at word i (see _run)."""
        self._exact_at(text, words, i, cands, notes, cased)
        for j, members, score, method, detail in self._mw_at(text, words, i):
            idx, alias, _ = members[0]
            cands.append(_Cand(idx, alias, i, j, score, method, detail, False))
        if words[i][2][0].isupper() or notes is not None:
            self._variants_at(text, words, i, cands, notes, lower)

    def _head_at(self, text, words, i, head, cands, notes, cased: bool, lower) -> None:
        """_word_at for word i read as `head` alone (a name without its Turkish suffix): as
        _word does, no name of several words from it, and lower case as the word's."""
        found: list[_Cand] = []
        lower = {fold(head)} if fold(words[i][2]) in lower else frozenset()
        self._word_at(text, [*words[:i], (*words[i][:2], head), *words[i + 1:]], i, found,
                      notes, cased, lower)
        cands.extend(c for c in found if c.j == i + 1)

    @staticmethod
    def _by_span(cands: list[_Cand]) -> dict[tuple[int, int], list[_Cand]]:
        groups: dict[tuple[int, int], list[_Cand]] = {}
        for c in cands:
            groups.setdefault((c.i, c.j), []).append(c)
        return groups

    def _best_in_span(self, text, words, group: list[_Cand], notes, as_words) -> list[_Cand]:
        """The candidates of one span that survive context checks, best score first, and
        (unless explaining) only the best of each entity."""
        group.sort(key=lambda c: -c.score)
        kept: list[_Cand] = []
        seen: set[int] = set()
        for c in group:
            if c.entity in seen and notes is None:
                continue
            if c.method == "fuzzy" and _no_misspelling(c, kept):
                self._note(notes, text, words, c, SPELT_NAME)
                continue
            reason = self._context_reject(text, words, c, as_words)
            if reason:
                self._note(notes, text, words, c, reason)
            else:
                kept.append(c)
                seen.add(c.entity)
        return kept

    def _span_context(self, text, words, i: int, j: int, across: bool = False) -> _Span:
        """The neighbours of words i..j that the person-name rules look at, once per span.
        `across`: i is where a name starts before the span (see _context_of), maybe at a
        nickname in quotes."""
        ctx = _Span()
        ctx.i, ctx.j = i, j
        ctx.start = start = words[i][0]
        ctx.end = end = words[j - 1][1]
        ctx.run, ctx.article = _particle_run(text, words, i)
        ctx.middle, ctx.middles = _middle_names(text, words, ctx.run)
        ctx.half = _half_before(text, words, i)
        if i > 0:
            ps, pe, prev = words[i - 1]
            ctx.prev_start = ps
            gap = text[pe:start]
            if prev[0].isupper() and not _title_word(text, words, i - 1):
                keys = given_keys(prev)
                if _initial(prev, gap):
                    if gap.startswith("."):
                        ctx.initial = keys[0][0] if keys else ""
                    ctx.prev_initial = len(gap) <= 3
                elif _beside(gap) or across and _quoted_beside(gap):
                    skels = _word_skels(prev)
                    ctx.first = ctx.prev_named = skels
                    ctx.known = len(prev) > 1 and self._known_given(text, ps, prev) and \
                        not _place_word(prev)
                    ctx.opens = ctx.known and _headline_noun(text, ps, fold(prev))
        if j < len(words):
            ns, ne, nxt = words[j]
            ctx.next_end = ne
            if nxt[0].isupper() and _beside(text[end:ns]) and self._surname_like(text, words, j):
                ctx.next_named = _word_skels(nxt)
        ctx.can_name = bool(ctx.prev_initial or ctx.prev_named or ctx.next_named)
        return ctx

    def _pick(self, text, words, i: int, j: int, groups) -> list[tuple]:
        """Every entity's best candidate on span i..j that passes its context checks: what
        _best_in_span keeps, checking context only for members it can apply to. Returns
        (start, end, extension, group, member), start and end as _extend() gives them; member
        None stands for all the group's members.

        `groups` are (score, method, detail, members, flag, ids), best score first (see
        _group); members that need no check pass as one item, whatever the group's size.
        """
        ctx = None
        kept: list[tuple] = []
        seen: set[int] = set()
        start, end = words[i][0], words[j - 1][1]
        exact, person = False, None  # kept spellings of watched names (see _no_misspelling)
        for g in groups:
            if g[1] == "fuzzy":  # the last groups, and seldom any
                if person is None:
                    person = any(_has_person(it) for it in kept if it[3][1] != "fuzzy")
                if exact or person:
                    g = None if exact else self._without_persons(g)
                    if g is None:
                        continue
            if g[4] and ctx is None:
                ctx = self._span_context(text, words, i, j)
            plain, checked = self._split(ctx, g) if g[4] else (g[3], ())
            n = len(kept)
            if len(plain) == len(g[3]) and seen.isdisjoint(g[5]):
                kept.append((start, end, "", g, None))
                seen.update(g[5])
            elif plain:
                plain = [m for m in plain if m[0] not in seen]
                if plain:
                    ids = frozenset(m[0] for m in plain)
                    kept.append((start, end, "", (*g[:3], plain, g[4], ids), None))
                    seen.update(ids)
            for m in checked:
                e = m[0]
                if e in seen:
                    continue
                near = self._context_of(text, words, ctx, e)
                if not self._member_ok(text, words, i, j, g, m, near):
                    continue
                seen.add(e)
                if m[2] and near.can_name:
                    kept.append((*self._extend_in(text, words, near, e), g, m))
                else:
                    kept.append((start, end, "", g, m))
            if g[1] == "exact" and (len(kept) > n or len(plain) == len(g[3])):
                exact = True
        return kept

    def _without_persons(self, g: tuple) -> tuple | None:
        """Group g without its persons' surnames (see _no_misspelling)."""
        members = [m for m in g[3] if not m[2]]
        if not members:
            return None
        return (*g[:3], members, self._flag(members), frozenset(m[0] for m in members))

    def _split(self, ctx: _Span, g: tuple) -> tuple[list, list]:
        """Group g's members in two: those that pass the context rules here as they are,
        and those to check one by one (_member_ok, then _extend_in); members that cannot
        pass are in neither. Worked out with set lookups: a common surname has hundreds of
        namesakes, of which a first name beside it names a few."""
        members = g[3]
        if g[4] == 2 or ctx.initial is not None or ctx.prev_initial:
            return [], members
        if ctx.run < ctx.i and (ctx.article or not self._particled.keys().isdisjoint(g[5])) \
                or ctx.middle < ctx.run or ctx.half == 2:
            return [m for m in members if not m[2]], [m for m in members if m[2]]
        if ctx.first is not None and _known_first(ctx, g):  # a given name before: whom it names
            named = self._named(ctx.prev_named)
            return ([m for m in members if not m[2]],
                    [m for m in members if m[2] and m[0] in named])
        if not ctx.can_name:
            return members, []
        named = g[5] & (self._named(ctx.prev_named) | self._named(ctx.next_named))
        if not named:
            return members, []
        return ([m for m in members if m[0] not in named],
                [m for m in members if m[0] in named])

    def _named(self, skels: frozenset[str] | None) -> frozenset[int]:
        """The watched persons with one of these skeletons as a first name."""
        if not skels:
            return frozenset()
        by_first = self._by_first
        found = [by_first[sk] for sk in skels if sk in by_first]
        return found[0] if len(found) == 1 else frozenset().union(*found)

    def _context_of(self, text, words, ctx: _Span, entity: int) -> _Span:
        """The context the person `entity` is checked in: past the name particles before the
        span that may be its own (see _start_of): "Maher al-Assad" and "Hugo von der Leyen"
        are others."""
        k = self._start_of(ctx.i, ctx.run, ctx.article, ctx.middle, ctx.half, entity)
        if k == ctx.i:
            return ctx
        if ctx.across is None:
            ctx.across = {}
        across = ctx.across.get(k)
        if across is None:
            across = ctx.across[k] = self._span_context(text, words, k, ctx.j, True)
            across.particles = k <= ctx.run < ctx.i
            across.can_name = True
            if k == ctx.middle < ctx.run:
                across.middles = ctx.middles
        return across

    def _start_of(self, i: int, run: int, article: bool, middle: int, half: int,
                  entity: int) -> int:
        """The word where the name of person `entity` at word i starts, given the particles
        from word `run` on before it (see _particle_run) and the middle names from word
        `middle` on before those (_middle_names): as many particles as its names have (le
        discours de von der Leyen), Arabic's article of any name; middle names of any; the
        first half of a double surname (`half`: Kramp- of Kramp-Karrenbauer) of a person
        with one, and of any after a given name (Пріска Ващенко-Захарченко is no Ivan
        Zakharchenko)."""
        if half == 2 or half and entity in self._double:
            return i - 1
        if entity in self._double:
            return i
        k = max(run, i - (self._particled.get(entity) or int(article)))
        return middle if k == run else k

    def _name_start(self, text, words, i: int, entity: int
                    ) -> tuple[int, frozenset[str], bool]:
        """_start_of() for the slow path, candidates one by one, the keys of the middle
        initials the name has from there, and whether it has particles (see _context_of)."""
        run, article = _particle_run(text, words, i)
        middle, middles = _middle_names(text, words, run)
        k = self._start_of(i, run, article, middle, _half_before(text, words, i), entity)
        return k, middles if k == middle < run else frozenset(), k <= run < i

    def _middles_differ(self, middles: frozenset[str], entity: int) -> bool:
        """Whether middle initials are not the person's own: George H. W. Bush is no George
        W. Bush (a person listed without any may have them: Donald J. Trump)."""
        mine = self._middles.get(entity)
        return bool(middles and mine and not middles <= mine)

    def _extend_in(self, text, words, ctx: _Span, entity: int) -> tuple[int, int, str]:
        """_extend() from what the span context already knows."""
        mine = self._first_skels.get(entity)
        if mine:
            if ctx.prev_initial:
                return ctx.prev_start, ctx.end, "initial"
            if ctx.prev_named and not mine.isdisjoint(ctx.prev_named):
                first_start, first_named = _word_before(text, words, ctx.i - 1, ctx.prev_named)
                if first_named and not mine.isdisjoint(first_named):
                    return first_start, ctx.end, "first name"
                return ctx.prev_start, ctx.end, "first name"
            if ctx.next_named and not mine.isdisjoint(ctx.next_named):
                return ctx.start, ctx.next_end, "first name after surname"
        return ctx.start, ctx.end, PARTICLES if ctx.particles else ""

    def _used_as_words(self, text, words, folds: list[str], lower) -> frozenset[str]:
        """The one-word names of _capital_only (More, Total, Split) that this text writes in
        lower case and never with a capital inside a sentence: at a sentence's start, where a
        capital says nothing, those are the word ("More than 100 died", "Total losses rose").
        Not India or Berlin: a text seldom writes them in lower case."""
        maybe = self._capital_only.intersection(lower)  # `lower`: folds of lower-case words
        if not maybe:
            return frozenset()
        named = {f for k, f in enumerate(folds) if f in maybe and words[k][2][0].isupper()
                 and not _sentence_start(text, words[k][0])}
        return frozenset(maybe - named)

    def _member_ok(self, text, words, i: int, j: int, g, m, ctx: _Span) -> bool:
        entity, _, person = m
        if entity in self._special:
            c = _Cand(entity, m[1], i, j, g[0], g[1], g[2], person)
            return not self._context_reject(text, words, c)
        if not person:
            return True
        if self._middles_differ(ctx.middles, entity):
            return False
        if ctx.initial is not None:
            mine = self._initials.get(entity)
            return not (mine and ctx.initial and ctx.initial not in mine)
        if ctx.first is not None:
            mine = self._first_skels.get(entity)
            if mine and not mine.isdisjoint(ctx.first):
                return True
            return not _known_first(ctx, g)
        return True

    def _pair_at(self, words, i: int, key: tuple[str, ...]) -> list:
        """The persons whose surname of two words (Le Pen: see _PARTICLES) words i, i + 1 are,
        the second capitalised as a name is ("le pen" in a text is no name)."""
        if len(key) != 2 or not words[i + 1][2][0].isupper():
            return []
        return self._pairs.get(key, [])

    def _declined(self, text, words, i: int) -> list[tuple[int, list, str]]:
        """(end word, members, ending) of the names written family name first that words i...
        are with a Russian case ending on the last (Ким Чен Ына, Си Цзиньпину)."""
        out = []
        for name in self._declined_names.get(fold(words[i][2]), ()):
            n = len(name)
            if i + n > len(words):
                continue
            said = [fold(words[i + k][2]) for k in range(1, n)]
            ending = _given_ending(said[-1], name[-1])
            if ending and said[:-1] == list(name[1:-1]) and self._gaps_fit(text, words, i, name):
                out.append((i + n, self._exact[name], ending))
        return out

    def _exact_at(self, text, words, i, cands, notes, cased: bool) -> None:
        word = words[i][2]
        score, method, detail, members = self._acronym(word) or (0.0, "", "", ())
        cands.extend(_Cand(idx, alias, i, i + 1, score, method, detail, False)
                     for idx, alias, _ in members)
        f = fold(word)
        lens = (1,)
        if i + 1 < len(words):
            lens += self._exact_next.get((f, fold(words[i + 1][2])), ())
        for n in lens:
            if i + n > len(words):
                continue
            key = tuple(fold(words[i + k][2]) for k in range(n))
            word_only = n == 1 and not word[0].isupper() and cased and self._lower_is_word(f)
            apart = n > 1 and not self._gaps_fit(text, words, i, key)
            grades = [*self._exact_grades(key, self._exact.get(key, ())),
                      (SCORE["exact"], "exact", "exact name", self._pair_at(words, i, key))]
            for score, method, detail, members in grades:
                for idx, alias, person in members:
                    c = _Cand(idx, alias, i, i + n, score, method, detail, person)
                    if word_only or apart:
                        self._note(notes, text, words, c, LOWER_WORD if word_only else APART)
                    else:
                        cands.append(c)
        for j, members, ending in self._declined(text, words, i):
            cands.extend(_Cand(idx, alias, i, j, SCORE["inflection"], "inflection",
                               f"case ending -{ending}", person) for idx, alias, person in members)

    def _variants_at(self, text, words, i, cands, notes, lower=frozenset()) -> None:
        word = words[i][2]
        sub_notes: list = []
        found = self._word_parts(word, sub_notes)
        acr = self._acronym(word)
        other = self._other_names(_listed(acr, self._exact.get((fold(word),))), found, word)
        if other:
            sub_notes.extend((r[0], "rejected", 0.0, SPELT_NAME) for r in other)
            found = tuple(r for r in found if r not in other)
        capital = word[0].isupper()
        if capital and is_cyrillic_word(word) and _sentence_start(text, words[i][0]):
            found = self._dictionary_words_only(word, found, sub_notes)
        lower_too = "also written in lower case in this text: a word, not a name variant" \
            if fold(word) in lower else ""
        for fid, method, score, detail in found:
            for idx, alias, person in self._f_members[fid]:
                c = _Cand(idx, alias, i, i + 1, score, method, detail, person)
                if not capital:
                    self._note(notes, text, words, c, "lower-case word: a name part alone "
                               "needs a capital" if method == "exact" else
                               "lower-case word, translit/fuzzy needs capital")
                elif lower_too and method != "exact":
                    self._note(notes, text, words, c, lower_too)
                else:
                    cands.append(c)
        for idx, alias, person in self._pl_cases.get(fold(word), ()) if capital else ():
            c = _Cand(idx, alias, i, i + 1, SCORE["inflection"], "inflection", POLISH_CASE,
                      person)
            if lower_too:
                self._note(notes, text, words, c, lower_too)
            else:
                cands.append(c)
        if capital and i and 2 <= len(fold(word)) <= SHORT_WORD:
            cands.extend(_Cand(member[0], member[1], i, i + 1, score, method, detail, True)
                         for score, method, detail, member in
                         self._short_candidates(text, words, i))
        for fid, _, _, reason in sub_notes:
            for idx, alias, person in self._f_members[fid]:
                c = _Cand(idx, alias, i, i + 1, 0.0, "-", "", person)
                self._note(notes, text, words, c, reason)

    # -- context: first names, initials, exclusions, thresholds ----------------------------------

    def _context_reject(self, text, words, c: _Cand, as_words: frozenset = frozenset()) -> str:
        """Why a candidate is refused in its context, or "". `as_words`: see _used_as_words (the
        fast path applies that rule and the given-name one before it gets here)."""
        ent = self.entities[c.entity]
        if c.j == c.i + 1 and self._function_start(words[c.i][2]) and \
                _sentence_start(text, words[c.i][0]):
            return FUNCTION_WORD
        if c.j == c.i + 1 and words[c.i][2].isupper():
            if c.detail.startswith(ACRONYM) and _HANDLE_AFTER.match(text, words[c.i][1]):
                return RETWEET
            if not c.detail.startswith(ACRONYM) and _numeral_after_name(text, words, c.i):
                return NUMERAL
            if c.score < SCORE["translit"] and not c.detail.startswith(ACRONYM) and \
                    _acronym_like(words, c.i):
                return AN_ACRONYM
        if c.detail == FREQUENT_SPELLING and not (c.i and _after_given_name(text, words, c.i)):
            return FREQUENT_ALONE
        if c.detail.startswith(SHORT_SURNAME) and not self._short_ok(text, words, c):
            return f"{SHORT_ALONE}: list {words[c.i][2]!r} as an alias to find it alone"
        if c.j == c.i + 1 and not c.person_part:
            if c.i and _after_given_name(text, words, c.i):
                return AFTER_GIVEN_NAME
            word = words[c.i][2]
            if word[0].isupper() and fold(word) in as_words and \
                    _sentence_start(text, words[c.i][0]):
                return SENTENCE_START
        if c.j == c.i + 1 and _given_name(words[c.i][2]) and words[c.i][2][0].isupper() and \
                not _place_word(words[c.i][2]):
            after = self._name_after(text, words, c.j)
            if after is not None and not self._named_by(c.entity, after):
                return "a given name before a name: that person's first name"
        if ent.threshold is not None and c.score < ent.threshold:
            return f"score {c.score:.0f} below the entity's threshold {ent.threshold:g}"
        if c.person_part and c.entity in self._double and c.j == c.i + 1 and \
                not _half_before(text, words, c.i) and not self._named_before(text, words, c):
            return DOUBLE_HALF
        if c.person_part:
            reason = self._first_name_reject(text, words, c) or self._given_after_reject(
                text, words, c)
            if reason:
                return reason
        for phrase in self._excludes.get(c.entity, ()):
            if self._inside_phrase(words, c.i, c.j, phrase):
                return f"excluded phrase '{' '.join(phrase)}'"
        number = self._numbers.get(c.entity)
        if number:
            end = words[c.j - 1][1]
            after = _NUMBER_AFTER.match(text, end, end + 40)
            if after is None or after.group(1) != number:
                return f"not followed by its number {number}"
        return ""

    def _given_after_reject(self, text, words, c: _Cand) -> str:
        """A family name that comes first (Kim of Kim Jong Un, Xi of Xi Jinping, listed
        alone) followed by given names other than the person's: a relative or a namesake
        (Kim Jong-il, Kim Yo Jong, Xi Mingze)."""
        names = self._given_after.get(c.entity)
        if names is None or c.j != c.i + 1:
            return ""
        reasons = [self._given_after_other(text, words, c, mine) for mine in names]
        return "" if "" in reasons else reasons[0]

    def _given_after_other(self, text, words, c: _Cand, mine: tuple[str, ...]) -> str:
        """_given_after_reject for one of the person's names (its given names `mine`)."""
        after, k = [], c.j
        while k < len(words) and len(after) < len(mine):
            gap = text[words[k - 1][1]:words[k][0]]
            word = words[k][2]
            if not (gap == "-" or _beside(gap) and word[0].isupper()) or \
                    fold(word) in _NOT_SURNAME or _title_word(text, words, k):
                break
            after.append(fold(word))
            k += 1
        if after and not all(map(_given_form, after, mine)):
            return f"another person of this family name: {' '.join(w for _, _, w in words[c.i:k])}"
        if after and after != list(mine) and any(
                j == k and any(m[0] == c.entity for m in members)
                for j, members, _ in self._declined(text, words, c.i)):
            return "part of this person's whole name in a case form, found whole"
        return ""

    def _first_name_reject(self, text, words, c: _Cand) -> str:
        """A capitalised first name right before a surname (or its particles) must be this
        person's."""
        k, middles, _ = self._name_start(text, words, c.i, c.entity)
        if self._middles_differ(middles, c.entity):
            return "different middle initials beside surname"
        if k == 0:
            return ""
        ps, pe, prev = words[k - 1]
        gap = text[pe:words[k][0]]
        if not prev[0].isupper() or _title_word(text, words, k - 1):
            return ""
        mine = self._first_names.get(c.entity, ())
        if _initial(prev, gap) and gap.startswith("."):
            initials = {k[0] for k in mine}
            keys = given_keys(prev)
            if mine and keys and keys[0][0] not in initials:
                return f"different initial '{prev}.' beside surname"
            return ""
        if not (_beside(gap) or k < c.i and _quoted_beside(gap)) or len(prev) < 2:
            return ""
        if not _word_skels(prev).isdisjoint(self._first_skels.get(c.entity, ())):
            return ""
        if c.method == "inflection" and _headline_noun(text, ps, fold(prev)):
            return ""
        if self._known_given(text, ps, prev) and not _place_word(prev):
            return f"different first name '{prev}' beside surname"
        return ""

    def _named_before(self, text, words, c: _Cand) -> bool:
        """Whether the word before candidate c's is one of its person's first names."""
        if c.i == 0:
            return False
        _, pe, prev = words[c.i - 1]
        return prev[0].isupper() and _beside(text[pe:words[c.i][0]]) and \
            self._named_by(c.entity, _word_skels(prev))

    def _known_given(self, text: str, start: int, word: str) -> bool:
        """Whether a capitalised word at `start` is a given name (the shipped list's or a
        watched person's); in a case form (Олега, Оленою) only inside a sentence: where one
        opens, the capital may be a noun's (Сыну Лаврова, Вере Путина)."""
        def known(k):
            return k in self._watch_first or k in first_names()

        return any(map(known, own_given_keys(word))) or \
            not _sentence_start(text, start) and any(map(known, nominative_keys(word)))

    @staticmethod
    def _inside_phrase(words, i: int, j: int, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        for start in range(max(0, j - n), i + 1):
            if start + n <= len(words) and all(
                    fold(words[start + k][2]) == phrase[k] for k in range(n)):
                return True
        return False

    def _extend(self, text, words, c: _Cand) -> tuple[int, int, str]:
        """Grow a surname hit over the person's first name or initial (either side), and
        over the name particles before it (von der, al-)."""
        start, end = words[c.i][0], words[c.j - 1][1]
        if not c.person_part:
            return start, end, ""
        k, _, particles = self._name_start(text, words, c.i, c.entity)
        start, extra = words[k][0], PARTICLES if particles else ""
        mine = self._first_skels.get(c.entity)
        if not mine:
            return start, end, extra
        if k > 0:
            ps, pe, prev = words[k - 1]
            gap = text[pe:start]
            capital = prev[0].isupper() and not _title_word(text, words, k - 1)
            if capital and _initial(prev, gap) and len(gap) <= 3:
                return ps, end, "initial"
            beside = _beside(gap) or k < c.i and _quoted_beside(gap)
            named = _word_skels(prev) if capital and beside else ()
            if not mine.isdisjoint(named):
                first_start, first_named = _word_before(text, words, k - 1, named)
                if first_named and not first_named.isdisjoint(mine):
                    return first_start, end, "first name"
                return ps, end, "first name"
        if c.j < len(words):
            ns, ne, nxt = words[c.j]
            gap = text[end:ns]
            if _beside(gap) and nxt[0].isupper() and self._surname_like(text, words, c.j) and \
                    not _word_skels(nxt).isdisjoint(mine):
                return start, ne, "first name after surname"
        return start, end, extra

    # -- overlaps --------------------------------------------------------------------------------

    def _resolve(self, text, spans, notes, words=None) -> list[tuple[Hit, _Cand]]:
        """Each entity keeps its best candidate of every overlapping group of its own.

        Entities do not compete: a watchlist that grows never takes a hit away from an entity
        that was in it (a second Kyiv, a namesake Medvedev, a city called Vladimir beside
        "Vladimir Alekseyev" are reported too, each as what it is).
        """
        spans.sort(key=_best_first)
        taken: dict[int, object] = {}  # entity -> its accepted (start, end), or a list of them
        ents = self.entities
        out = []
        for start, end, extra, c in spans:
            e = c[0]
            mine = taken.get(e)
            if mine is None:
                taken[e] = (start, end)  # the common case: an entity's first hit in the text
            else:
                if type(mine) is tuple:
                    mine = taken[e] = [mine]
                if any(s < end and start < t for s, t in mine):
                    self._note(notes, text, words, c, "overlaps a better hit of this entity")
                    continue
                mine.append((start, end))
            ent = ents[e]
            snippet = text[start:end]
            hit = Hit(ent.id, ent.name, start, end, snippet, c[1], c[4], c[5],
                      _detail(snippet, c[6], extra))
            out.append((start, end, e, hit, c))
            if notes is not None:
                notes.append({**hit.as_dict(), "accepted": True, "reason": ""})
        out.sort(key=_position)
        return [(t[3], t[4]) for t in out]

    def _note(self, notes, text, words, c: _Cand, reason: str) -> None:
        if notes is None:
            return
        start, end = words[c.i][0], words[c.j - 1][1]
        ent = self.entities[c.entity]
        notes.append({"entity_id": ent.id, "name": ent.name, "start": start, "end": end,
                      "text": text[start:end], "alias": c.alias, "score": c.score,
                      "method": c.method, "detail": c.detail, "accepted": False,
                      "reason": reason})


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watch:
    """A compiled watchlist: the matcher and the entities it reports."""

    matcher: Matcher
    entities: dict[str, Entity]

    @classmethod
    def compile(cls, entities: Sequence[Entity],
                cancel: Callable[[], bool] | None = None) -> Watch:
        # frozen before the collector is back: else its first run walks all of it (half a
        # second at 100k names)
        with gc_paused():
            matcher = Matcher._compile(entities, other_names(), cancel)
            return _frozen(cls(matcher, {e.id: e for e in entities}))

    @classmethod
    def load(cls, path: Path, cache_dir: Path | None = None,
             cancel: Callable[[], bool] | None = None) -> Watch:
        """Load and compile a watchlist, through a cache keyed on its bytes and our code.

        A restart with an unchanged 100k-name watchlist then reads it in under a second
        instead of compiling for many; any edit (or a new watcher version) compiles afresh.
        `cancel`: see Matcher._add_entities.
        """
        if cache_dir is None:
            return cls._load(path, cancel)
        try:
            cached = _cache_file(Path(path).read_bytes(), cache_dir)
        except OSError:
            return cls._load(path, cancel)  # let load_watchlist name the problem
        try:
            data = cached.read_bytes()  # (marshal.load reads a file a few bytes at a time)
            with contextlib.suppress(OSError):
                os.utime(cached)  # used now: kept longer than the others (_drop_least_used)
            with gc_paused():
                matcher = Matcher.from_state(marshal.loads(data))
                return _frozen(cls(matcher, {e.id: e for e in matcher.entities}))
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            pass  # none yet, or unreadable (a disk error, a kill mid-write): compile
        watch = cls._load(path, cancel)
        _write_cache(cached, watch)
        return watch

    @classmethod
    def _load(cls, path: Path, cancel: Callable[[], bool] | None = None) -> Watch:
        # one pause from the file to the frozen watchlist: between the two, the collector
        # would walk the 100k entities and what the parse left (half a second)
        with gc_paused():
            return cls.compile(load_watchlist(path), cancel)


def compiled_before(data: bytes, cache_dir: Path) -> bool:
    """Whether a watchlist of exactly these bytes was compiled (so: was valid) here: its
    cache is there, or being written."""
    cached = _cache_file(data, cache_dir)
    with _lock:
        return cached in _writing.values() or cached.is_file()


def _cache_file(data: bytes, cache_dir: Path) -> Path:
    key = hashlib.sha256(_code_version() + data).hexdigest()[:24]
    return cache_dir / f"watchlist-{key}{_CACHE_SUFFIX}"


_CACHE_SUFFIX = ".marshal"
KEEP_CACHES = 3  # versions (about 50 MB each at 100,000 names)
_OLD_SUFFIX = ".pickle"  # the format before marshal


def _frozen(watch: Watch) -> Watch:
    """Move the compiled watchlist (millions of small objects for 100k names) out of the cyclic
    collector's reach: a full collection would otherwise walk all of it, about a second each
    time, and halve the throughput. Its objects are acyclic, so nothing leaks when it is
    replaced; forked workers also keep sharing its pages (see parallel.py)."""
    gc.freeze()
    return watch


# -- writing the cache: from a forked child, so that the daemon serves (and `watcher scan`
# scans) the second it takes at 100k names ---------------------------------------------------

_lock = threading.Lock()
_writing: dict[int, Path] = {}  # pid of a child writing a cache -> the file it writes
_written = threading.Condition(_lock)


def _write_cache(cached: Path, watch: Watch) -> None:
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(cached.parent)
        tmp = cached.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f, _lock:  # (opened here: no permission, no space say so now)
            _written.wait_for(lambda: not _writing)  # one at a time: each removes the others'
            pid = _fork()
            if pid == 0:
                os._exit(_write_in_child(f, tmp, cached, watch))
            if pid is None:
                _write(f, tmp, cached, watch)
                return
            _writing[pid] = cached
    except OSError as exc:
        log.warning("could not cache the compiled watchlist: %s", exc)
        return
    threading.Thread(target=_reap, args=(pid, tmp), name="cache-writer", daemon=True).start()


_STOPS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def _fork() -> int | None:
    """os.fork(), or None where there is none or it failed (no memory): write inline."""
    if not hasattr(os, "fork"):
        return None
    # a stop sent to the child before it lets go of the daemon's handlers waits until it has:
    # blocked across the fork, unblocked by the child in _write_in_child
    was = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
    except OSError:
        pid = None
    if pid != 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, was)
    return pid


def _write_in_child(f, tmp: Path, cached: Path, watch: Watch) -> int:
    return _in_child(f, functools.partial(_write, f, tmp, cached, watch))


def _in_child(f, work: Callable[[], object]) -> int:
    """In a forked child: do the work (writing to f), and exit. It owns nothing of the
    parent's: its signal handlers (a stop would run the daemon's shutdown here) and open
    files (a pipe's reader would wait for this child's copy to close, a lock would outlive the
    daemon) go first."""
    try:
        for sig in _STOPS:
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
        keep = f.fileno()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, keep)
        os.closerange(keep + 1, null)
        os.closerange(null + 1, 1 << 20)
        work()
        return 0
    except BaseException:  # noqa: BLE001 (nothing may escape into the parent's code)
        return 1


def _forked(work: Callable[..., object], what: str) -> Callable[..., object | None]:
    """Start work() in a forked child; return what waits for its result (marshalled through a
    temporary file): None, told, if the child failed; abandon=True kills the child first.
    Where there is no fork, work runs then (or not, abandoned)."""
    def inline(abandon: bool = False, cancel: Callable[[], bool] | None = None) -> object | None:
        return None if abandon else work()

    try:
        out = tempfile.TemporaryFile()
    except OSError:
        return inline
    pid = _fork()
    if pid == 0:
        os._exit(_in_child(out, lambda: (out.write(marshal.dumps(work())), out.flush())))
    if pid is None:
        out.close()
        return inline

    def result(abandon: bool = False, cancel: Callable[[], bool] | None = None) -> object | None:
        """`cancel`: asked while waiting; once true, the child is killed (errors.Stopped)."""
        status = None if abandon else _exit_status(pid, cancel)
        if status is None:  # (the parent is stopping, or failed: the child's work is of no use)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            _exit_status(pid)
            out.close()
            if abandon:
                return None
            raise Stopped(STOPPED)
        with out:
            out.seek(0)
            try:
                if not status:
                    return marshal.loads(out.read())
            except (EOFError, ValueError, TypeError):
                pass
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in _STOPS:
            # a stop of the whole service (systemd signals every process of the unit): no
            # failure to warn of; the daemon stops once the compile is done
            log.info("%s in a child process was stopped (signal %d): doing it here", what,
                     os.WTERMSIG(status))
            return None
        log.warning("%s in a child process failed (%s): doing it here", what,
                    _how(status) if status else "no result")
        return None
    return result


def _how(status: int) -> str:
    """How a child ended, from its wait status."""
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _exit_status(pid: int, cancel: Callable[[], bool] | None = None) -> int | None:
    """Wait for a child: its wait status, or None once cancel() is true (asked every 20 ms).
    0 for a child reaped elsewhere (SIGCHLD ignored): what it left tells how it went."""
    while True:
        try:
            done, status = os.waitpid(pid, 0 if cancel is None else os.WNOHANG)
        except ChildProcessError:  # (reaped by someone else: SIGCHLD ignored)
            return 0
        if done:
            return status
        if cancel():
            return None
        time.sleep(0.02)


def _write(f, tmp: Path, cached: Path, watch: Watch) -> None:
    marshal.dump(watch.matcher.to_state(), f)
    f.close()
    tmp.replace(cached)
    _drop_least_used(cached)


def _drop_least_used(cached: Path) -> None:
    """Keep the KEEP_CACHES versions used last (a load from the cache touches its file): an
    edit undone, or a second watchlist scanned now and then, starts from its cache again."""
    others = []
    for old in cached.parent.glob("watchlist-*"):
        with contextlib.suppress(OSError):
            if old.suffix == _OLD_SUFFIX:
                old.unlink()
            elif old != cached and old.suffix == _CACHE_SUFFIX:
                others.append((old.stat().st_mtime, old))
    for _, old in sorted(others, reverse=True)[KEEP_CACHES - 1:]:
        old.unlink(missing_ok=True)


def _reap(pid: int, tmp: Path) -> None:
    status = _exit_status(pid)
    if status or tmp.exists():  # (a writer done has renamed its file)
        tmp.unlink(missing_ok=True)
        stopped = os.WIFSIGNALED(status) and os.WTERMSIG(status) in _STOPS  # (see _forked)
        log.log(logging.INFO if stopped else logging.WARNING,
                "could not cache the compiled watchlist in %s (its writer %s): the next start "
                "compiles it again", tmp.parent,
                f"was stopped (signal {os.WTERMSIG(status)})" if stopped else
                f"failed: {_how(status)}" if status else "left its file unfinished")
    with _lock:
        del _writing[pid]
        _written.notify_all()


def _remove_stale(cache_dir: Path) -> None:
    """Temporary files of writers killed mid-write (a stop, a power cut); a write takes
    seconds at most."""
    now = time.time()
    for tmp in cache_dir.glob("watchlist-*.tmp*"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > 600:
                tmp.unlink()


def cache_written(timeout: float | None = None) -> bool:
    """Wait until the caches being written are; False if the timeout came first."""
    with _lock:
        return _written.wait_for(lambda: not _writing, timeout)


@functools.cache
def _code_version() -> bytes:
    """A digest of the matching code and its data: a change invalidates every cache."""
    here = Path(__file__).parent
    digest = hashlib.sha256(f"{sys.version} {marshal.version}".encode())  # (marshal's format)
    for f in sorted([here / "matcher.py", here / "normalize.py", here / "models.py",
                     *(here / "data").glob("*")]):
        if f.is_file():
            digest.update(f.name.encode() + f.read_bytes())
    return digest.digest()
