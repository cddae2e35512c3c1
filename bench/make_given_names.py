"""Regenerate watcher/data/given_names.txt from Faker's person providers and pymorphy3's
Russian and Ukrainian dictionaries (run by hand).

Given names of the Latin- and Cyrillic-script locales the inbox is written in and their
neighbours. The matcher uses them to tell "Olena Zelenska" (another first name beside a watched
surname: another person) from "President Zelensky". Month and weekday names are left out: they
precede surnames in ordinary sentences ("In April Putin said").

It writes watcher/data/given_names.txt (the names) and watcher/data/given_name_keys.txt (their
phonetic keys, so a process does not spend 60 ms computing them; a test checks they agree).

usage: python bench/make_given_names.py
"""

import importlib
from pathlib import Path

from watcher.normalize import phonetic_keys

DATA = Path(__file__).resolve().parent.parent / "watcher" / "data"

LOCALES = ["en_US", "en_GB", "ru_RU", "uk_UA", "de_DE", "pl_PL", "fr_FR", "es_ES", "it_IT",
           "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "nl_NL", "pt_PT", "lt_LT", "lv_LV", "hr_HR",
           "bg_BG", "sv_SE", "fi_FI", "tr_TR"]
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december", "monday", "tuesday", "wednesday",
            "thursday", "friday", "saturday", "sunday"}


# Russian month names, and their genitive ("8 Марта", "9 Мая"): Marta and Maya are names too
CALENDAR_RU = {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
               "сентябрь", "октябрь", "ноябрь", "декабрь", "января", "февраля", "марта",
               "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
               "декабря"}


def slavic_names() -> set[str]:
    """The given names of pymorphy3's Russian and Ukrainian dictionaries (OpenCorpora's tag
    Name): Daniil, Artyom, Mykola, Oleksiy, which Faker's short lists lack."""
    import pymorphy3

    out: set[str] = set()
    for lang in ("ru", "uk"):
        morph = pymorphy3.MorphAnalyzer(lang=lang)
        for _, tag, normal_form, _, index in morph.dictionary.iter_known_words():
            if index == 0 and "Name" in tag:
                out.add(normal_form.capitalize())
    return out


def main() -> None:
    names: set[str] = set()
    for loc in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names.update(getattr(provider, attr, ()) or ())
    names = {n.strip() for n in names if n.strip() and n[:1].isupper() and " " not in n.strip()}
    names -= {c.title() for c in CALENDAR | CALENDAR_RU}
    write("given_names", names, "Faker person providers: " + " ".join(LOCALES))
    # rarer ones too (Yermak, Daniil): a first name beside a surname, never a word of its own
    more = {n for n in slavic_names() - names if n.lower() not in CALENDAR_RU}
    write("more_given_names", more, "pymorphy3's Russian and Ukrainian dictionaries (tag "
          "Name), those not in given_names.txt")


def write(stem: str, names: set[str], source: str) -> None:
    (DATA / f"{stem}.txt").write_text(f"# Given names from {source}\n" + "\n".join(sorted(names))
                                      + "\n", encoding="utf-8")
    keys = sorted({k for n in names for k in phonetic_keys(n)})
    header = f"# Phonetic keys of {stem}.txt (bench/make_given_names.py)\n"
    (DATA / f"{stem[:-1]}_keys.txt").write_text(header + "\n".join(keys) + "\n",
                                                encoding="utf-8")


if __name__ == "__main__":
    main()
