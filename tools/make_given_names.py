"""Regenerate watcher/data/given_names.txt from Faker's person providers (run by hand).

Given names of the Latin- and Cyrillic-script locales the inbox is written in and their
neighbours. The matcher uses them to tell "Olena Zelenska" (another first name beside a watched
surname: another person) from "President Zelensky". Month and weekday names are left out: they
precede surnames in ordinary sentences ("In April Putin said").

usage: python tools/make_given_names.py > watcher/data/given_names.txt
"""

import importlib

LOCALES = ["en_US", "en_GB", "ru_RU", "uk_UA", "de_DE", "pl_PL", "fr_FR", "es_ES", "it_IT",
           "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "nl_NL", "pt_PT", "lt_LT", "lv_LV", "hr_HR",
           "bg_BG", "sv_SE", "fi_FI", "tr_TR"]
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december", "monday", "tuesday", "wednesday",
            "thursday", "friday", "saturday", "sunday"}


def main() -> None:
    names: set[str] = set()
    for loc in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names.update(getattr(provider, attr, ()) or ())
    names = {n.strip() for n in names if n.strip() and n[:1].isupper() and " " not in n.strip()}
    print("# Given names from Faker person providers: " + " ".join(LOCALES))
    for n in sorted(names - {c.title() for c in CALENDAR}):
        print(n)


if __name__ == "__main__":
    main()
