"""Regenerate watcher/data/french_given_names.txt from Faker's person providers (run by hand).

French's own given names: those of the French locales that no other locale Faker has for the
languages around it spells so (François, Jacques, Marine, Édouard; not Christine, Michel or
David). One of them first marks a person's name as French (normalize.looks_french), so that
it is also listed as Russian writes French names (Jacques Chirac: Жак Ширак).

usage: python bench/make_french_given_names.py
"""

import importlib
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "watcher" / "data"
FRENCH = ["fr_FR", "fr_CH", "fr_CA"]
OTHERS = ["en_US", "en_GB", "de_DE", "de_AT", "pl_PL", "es_ES", "es_MX", "it_IT", "nl_NL",
          "pt_PT", "pt_BR", "cs_CZ", "hu_HU", "ro_RO", "sv_SE"]


def given_names(locale: str) -> set[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    out: set[str] = set()
    for attr in ("first_names", "first_names_male", "first_names_female"):
        names = getattr(provider, attr, None) or ()
        out.update(names)
    return {n for n in out if n[:1].isupper() and len(n) > 2}


def main() -> None:
    french = set().union(*map(given_names, FRENCH))
    others = set().union(*map(given_names, OTHERS))
    own = sorted(french - others)
    header = (f"# French given names no other locale spells so (Faker {' '.join(FRENCH)} minus "
              f"{' '.join(OTHERS)}): bench/make_french_given_names.py\n")
    (DATA / "french_given_names.txt").write_text(header + "\n".join(own) + "\n", "utf-8")
    print(len(own), "names")


if __name__ == "__main__":
    main()
