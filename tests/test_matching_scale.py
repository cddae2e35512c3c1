"""The mechanisms that make matching fast on big watchlists give the same hits as the slow way.

- name parts are verified once per distinct spelling and fanned out to the entities sharing it,
  words are analysed once and memoised, span context is worked out once per span: match() must
  equal match_reference(), which checks every candidate of every entity on its own, uncached;
- entities do not compete: adding entities never changes the hits of those already watched
  (but a word that is a known spelling of an added name is no longer a misspelling of
  another).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from watcher.config import load_watchlist
from watcher.matcher import Matcher
from watcher.models import Entity

HERE = Path(__file__).parent
BASE = list(load_watchlist(HERE / "matching_watchlist.yaml"))

# Namesakes and shared surnames, as a 100k-name list has them by the hundred.
CROWD = [
    Entity("smith-john", "John Smith", "person"),
    Entity("smith-jane", "Jane Smith", "person", ("J. Smith",)),
    Entity("smith-adam", "Adam Smith", "person"),
    Entity("smith-only", "Smith", "person"),
    Entity("smyth", "Robert Smyth", "person"),
    Entity("kyiv", "Kyiv", "place", ("Київ",)),
    Entity("kyiv-2", "Kyiv", "place", ("Kiev", "Kiew", "Київ")),
    Entity("kyiv-3", "Kyiv Oblast", "place"),
    Entity("medvedev", "Dmitry Medvedev", "person"),
    Entity("putin-2", "Vladimir Putin", "person", ("Путин",)),
    Entity("putina", "Ludmila Putina", "person"),
    Entity("medvedev-2", "Мартын Медведев", "person", ("Martyn Medvedev",)),
    Entity("vladimir-city", "Vladimir", "place", ("Владимир",)),
    Entity("sontag", "Susan Sontag", "person"),
    Entity("martin", "Anna Martin", "person"),
    Entity("thomas-2", "Thomas", "person"),
    Entity("moskov", "Ivan Moskov", "person"),
    Entity("strict", "Ivan Petrov", "person", threshold=96),
    Entity("excl", "Lviv", "place", ("Lwów", "Lemberg"), exclude=("Lviv Arena",)),
    Entity("nato-2", "NATO", "org", ("North Atlantic Treaty Organization",)),
    Entity("exact-only", "Gazprom Neft", "org", exact=True),
    Entity("chasiv-yar", "Chasiv Yar", "place"),  # multi-word names, word by word
    Entity("kryvyi-rih", "Kryvyi Rih", "place", ("Кривий Ріг",)),
    Entity("rada", "Verkhovna Rada", "org"),
    Entity("chirac", "Jacques Chirac", "person"),  # also spelt as Russian writes it
    Entity("masse", "Thibault Masse", "person"),
]
ENTITIES = BASE + CROWD
MATCHER = Matcher.compile(ENTITIES)

NAMES = sorted({w for e in ENTITIES for a in e.names for w in a.split()} | {
    "Kijów", "Києві", "Путина", "Zelenskyy’s", "Smiths", "Smithe", "Moscow", "Montag",
    "Putins", "Kiew", "Sebastopol", "Sontags", "Petrova", "Medvedeva", "V.", "J.", "A.",
    "Thomas", "Dylan", "Marina", "Martina", "Sofia", "China", "Chanoj", "Marinem",
    "Часів", "Часова", "Яр", "Яру", "Кривого", "Рогу", "Rog", "Верховної", "Ради",
    "Владимиром", "Путиным", "Олега", "Медведева", "Сыну", "Оленою", "Путиной",
    "Жак", "Жаком", "Ширак", "Шираком", "Ширака", "Тибо", "Масс", "Мазь", "Іщак"})
FILLER = ("the said on in of and was were report meeting talks city officials after putting "
          "President General Mr with about").split()
SEPS = [" ", " ", " ", ", ", ". ", "\n", " (", ") ", "\u00a0", " - "]


@st.composite
def texts(draw):
    n = draw(st.integers(1, 25))
    out = []
    for _ in range(n):
        word = draw(st.sampled_from(NAMES) if draw(st.booleans()) else st.sampled_from(FILLER))
        case = draw(st.sampled_from(["same", "same", "lower", "upper"]))
        word = word.lower() if case == "lower" else word.upper() if case == "upper" else word
        out.append(word + draw(st.sampled_from(SEPS)))
    return "".join(out)


@settings(max_examples=400, deadline=None)
@given(text=texts())
@example(text="SAID, SMITH J. ")  # an initial after a surname in capitals (a seed found it)
def test_fast_path_equals_the_per_candidate_uncached_path(text):
    assert MATCHER.match(text) == MATCHER.match_reference(text)


@settings(max_examples=200, deadline=None)
@given(text=texts())
def test_word_memo_does_not_change_hits(text):
    warm = MATCHER.match(text)  # MATCHER's memo holds words of every earlier example
    fresh = Matcher.compile(ENTITIES)
    assert fresh.match(text) == warm
    assert fresh.match(text) == warm  # second time from its own memo


@settings(max_examples=150, deadline=None)
@given(text=texts(), keep=st.lists(st.booleans(), min_size=len(CROWD), max_size=len(CROWD)))
def test_adding_entities_never_changes_the_hits_of_the_others(text, keep):
    small = Matcher.compile(BASE + [e for e, k in zip(CROWD, keep, strict=True) if k])
    ids = {e.id for e in small.entities}
    big = [h for h in MATCHER.match(text) if h.entity_id in ids]
    alone = small.match(text)
    # ...except that a spelling of a name added is no longer a misspelling of another
    assert [h for h in big if h.method != "fuzzy"] == [h for h in alone if h.method != "fuzzy"]
    assert set(alone) >= {h for h in big if h.method == "fuzzy"}


def test_namesakes_are_all_reported():
    hits = MATCHER.match("Air raid sirens sounded in Kiev.")
    assert {h.entity_id for h in hits} >= {"kyiv", "kyiv-2"}
    hits = MATCHER.match("Medvedev said so.")
    assert {h.entity_id for h in hits} == {"medvedev", "medvedev-2"}
    hits = MATCHER.match("Dmitry Medvedev said so.")
    assert [(h.entity_id, h.text) for h in hits] == [("medvedev", "Dmitry Medvedev")]


def test_a_first_name_beside_a_shared_surname_picks_the_person():
    hits = MATCHER.match("Then Jane Smith arrived.")
    assert [(h.entity_id, h.text) for h in hits] == [("smith-jane", "Jane Smith")]
    hits = MATCHER.match("Then Smith arrived.")
    assert {h.entity_id: h.method for h in hits} == {
        "smith-john": "exact", "smith-jane": "exact", "smith-adam": "exact",
        "smith-only": "exact"}  # (Smith, a frequent name, is Smyth only after Robert)
    hits = MATCHER.match("Then Robert Smith arrived.")
    assert [(h.entity_id, h.text, h.method) for h in hits] == [
        ("smyth", "Robert Smith", "translit")]


def test_a_first_name_after_a_shared_surname_extends_only_that_persons_hit():
    # the group of namesakes splits: the one the next word names, the rest as they are
    text = "Then Smith John arrived."
    hits = {h.entity_id: (h.text, h.method) for h in MATCHER.match(text)}
    assert hits == {"smith-john": ("Smith John", "exact"), "smith-jane": ("Smith", "exact"),
                    "smith-adam": ("Smith", "exact"), "smith-only": ("Smith", "exact")}
    assert MATCHER.match(text) == MATCHER.match_reference(text)


def test_a_city_beside_a_person_does_not_hide_him():
    hits = MATCHER.match("Vladimir Putin spoke.")
    assert ("putin-2", "Vladimir Putin") in {(h.entity_id, h.text) for h in hits}


def test_a_long_text_keeps_the_first_mentions_of_an_entity_up_to_a_cap(monkeypatch, caplog):
    """A text naming Kyiv every few bytes, megabytes long, would take gigabytes of hits:
    the first MAX_MENTIONS of each entity are kept, across chunk borders, and it is said."""
    from watcher import parallel

    monkeypatch.setattr(parallel, "MATCH_CHUNK", 200)
    monkeypatch.setattr(parallel, "MATCH_OVERLAP", 40)
    monkeypatch.setattr(parallel, "MAX_MENTIONS", 7)
    text = "Troops left Kyiv today. " * 40 + "Then Medvedev said so."
    hits = parallel.match_text(MATCHER, text)
    kyiv = [h for h in hits if h.entity_id == "kyiv"]
    assert [h.start for h in kyiv] == [12 + 24 * k for k in range(7)]
    assert all(text[h.start:h.end] == "Kyiv" for h in kyiv)
    assert {h.entity_id for h in hits} >= {"medvedev"}  # another entity is not cut
    assert "40 mentions of kyiv in one text: the first 7 kept" in caplog.text
