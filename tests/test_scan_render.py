"""`watcher scan --format jsonl` renders hits itself (in the worker): the lines must be exactly
what json.dumps gives."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from watcher.cli import _render_jsonl
from watcher.models import Hit

hits = st.builds(
    Hit, entity_id=st.text(min_size=1), name=st.text(), start=st.integers(0, 10**7),
    end=st.integers(0, 10**7), text=st.text(), alias=st.text(),
    score=st.floats(0, 100, allow_nan=False), method=st.sampled_from(["exact", "fuzzy"]),
    detail=st.text())


@settings(max_examples=300, deadline=None)
@given(path=st.text(min_size=1), hits=st.lists(hits, max_size=5))
def test_rendered_lines_are_json_dumps(path, hits):
    expected = "".join(json.dumps({"file": path, **h.as_dict()}, ensure_ascii=False) + "\n"
                       for h in hits)
    assert _render_jsonl(path, "", "", hits) == expected
