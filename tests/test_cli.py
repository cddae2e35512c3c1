"""The `watcher scan` and `watcher hits` contracts, through the real command."""

from __future__ import annotations

import base64
import contextlib
import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pytest
import yaml
from conftest import ENGINES, WATCHLIST, run_cli, wait_for
from documents import image_pdf, make_docx, make_pdf

from watcher.config import load_watchlist
from watcher.extract import extract

SCAN_KEYS = {"file", "entity_id", "name", "start", "end", "text", "alias", "score"}


def watchlist(tmp_path):
    path = tmp_path / "wl.yaml"
    path.write_text(yaml.safe_dump(WATCHLIST, allow_unicode=True), encoding="utf-8")
    return path


def test_scan_prints_one_json_object_per_hit_with_exact_offsets(tmp_path):
    docs = tmp_path / "docs" / "deep"
    docs.mkdir(parents=True)
    text = "В Києві… no: in Kyiv, Vladimir Putin said — Gazprom agreed.\n"
    (docs / "a.txt").write_text(text, encoding="utf-8")
    (docs / "b.html").write_text("<html><script>Kyiv()</script><p>Gazprom</p></html>")
    result = run_cli("scan", "--watchlist", str(watchlist(tmp_path)), "--format", "jsonl",
                     str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(SCAN_KEYS <= set(r) for r in rows)
    by_file = {}
    for r in rows:
        by_file.setdefault(r["file"].rsplit("/", 1)[-1], []).append(r)
    for r in by_file["a.txt"]:
        assert text[r["start"]:r["end"]] == r["text"]
        assert 0 <= r["score"] <= 100
    assert {r["entity_id"] for r in by_file["a.txt"]} >= {"kyiv", "putin", "gazprom"}
    assert [r["entity_id"] for r in by_file["b.html"]] == ["gazprom"]  # script text dropped


def test_scan_prints_jsonl_by_default_and_explain_keeps_every_line_json(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Selenskyj sprach gestern in Kijów.", encoding="utf-8")
    wl = str(watchlist(tmp_path))
    plain = run_cli("scan", "--watchlist", wl, str(doc))
    assert plain.returncode == 0, plain.stderr
    hits = [json.loads(line) for line in plain.stdout.splitlines()]
    assert {h["entity_id"] for h in hits} >= {"zelensky", "kyiv"}
    explained = run_cli("scan", "--watchlist", wl, "--explain", str(doc))
    rows = [json.loads(line) for line in explained.stdout.splitlines()]
    assert [r for r in rows if "explain" not in r] == hits
    notes = [r["explain"] for r in rows if "explain" in r]
    assert any(n["accepted"] and n["method"] == "translit" for n in notes)
    text = run_cli("scan", "--watchlist", wl, "--format", "text", str(doc))
    assert text.stdout.startswith(f"{doc}:0-9\tzelensky")


def test_scan_reads_pdf_and_word_documents_and_says_why_a_scan_is_skipped(tmp_path):
    """`watcher scan` on an analyst's folder: a PDF and a .docx give hits as a .txt does,
    offsets into their extracted text, --explain too; a scanned PDF is named on stderr."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.pdf").write_bytes(make_pdf(["President Zelen-", "sky spoke in Kijów."],
                                               ["Gazprom agreed."]))
    (docs / "brief.docx").write_bytes(make_docx("Vladimir Putin", "Зеленський у Києві."))
    (docs / "scan.pdf").write_bytes(image_pdf())
    wl = str(watchlist(tmp_path))
    result = run_cli("scan", "--watchlist", wl, "--format", "jsonl", str(docs))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    by_file: dict[str, list] = {}
    for r in rows:
        by_file.setdefault(r["file"].rsplit("/", 1)[-1], []).append(r)
    assert set(by_file) == {"report.pdf", "brief.docx"}
    assert [(r["entity_id"], r["text"]) for r in by_file["report.pdf"]] == [
        ("zelensky", "Zelensky"), ("kyiv", "Kijów"), ("gazprom", "Gazprom")]
    assert [(r["entity_id"], r["text"]) for r in by_file["brief.docx"]] == [
        ("putin", "Vladimir Putin"), ("zelensky", "Зеленський"), ("kyiv", "Києві")]
    for name, hits in by_file.items():
        text, _ = extract(name, (docs / name).read_bytes())
        assert all(text[r["start"]:r["end"]] == r["text"] for r in hits)
    assert result.stderr == (f"watcher: {docs / 'scan.pdf'}: skipped: a scanned PDF with no "
                             f"text layer: OCR is not supported\n")
    explained = run_cli("scan", "--watchlist", wl, "--explain", str(docs / "report.pdf"))
    notes = [json.loads(line)["explain"] for line in explained.stdout.splitlines()
             if "explain" in json.loads(line)]
    assert any(n["accepted"] and n["text"] == "Zelensky" for n in notes)


def test_scan_exits_zero_without_hits_and_non_zero_on_errors(tmp_path):
    wl = watchlist(tmp_path)
    empty = tmp_path / "plain.txt"
    empty.write_text("Nothing to see here.\n")
    ok = run_cli("scan", "--watchlist", str(wl), "--format", "jsonl", str(empty))
    assert (ok.returncode, ok.stdout) == (0, "")
    missing = run_cli("scan", "--watchlist", str(wl), str(tmp_path / "nope.txt"))
    assert missing.returncode == 1 and "nope.txt: no such file" in missing.stderr
    bad_wl = tmp_path / "bad.yaml"
    bad_wl.write_text("entities:\n  - id: x\n")
    bad = run_cli("scan", "--watchlist", str(bad_wl), str(empty))
    assert bad.returncode == 2 and "bad.yaml:2: entity 'x'" in bad.stderr



@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_scan_prints_the_same_with_a_process_pool_in_file_order(tmp_path, fmt):
    """--jobs 2 (workers render bytes, the parent passes them on) prints what one process
    and the text layer print, in file order, in the encoding stdout asks for."""
    from watcher import cli
    from watcher.matcher import Watch

    docs = tmp_path / "docs"
    docs.mkdir()
    for k in range(20):  # more than one batch of files a worker task
        (docs / f"{k:02}.txt").write_text(f"{k}: Путин в Києві, Gazprom — Zelenskyy.\n",
                                          encoding="utf-8")
    (docs / "07.bin").write_bytes(b"\x00\x01" * 500)  # skipped, not the end of the scan
    wl = str(watchlist(tmp_path))
    one, two = (run_cli("scan", "--watchlist", wl, "--format", fmt, "--jobs", j, str(docs))
                for j in ("1", "2"))
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    assert sum("Gazprom" in line for line in one.stdout.splitlines()) == 20
    files = [line.split(":", 1)[0] if fmt == "text" else json.loads(line)["file"]
             for line in one.stdout.splitlines()]
    assert files == sorted(files)
    assert "07.bin: skipped" in one.stderr and "07.bin: skipped" in two.stderr
    paths = sorted(str(p) for p in docs.glob("*.txt"))
    buf = io.StringIO()  # no byte stream under it: the text layer's path
    with contextlib.redirect_stdout(buf):
        cli.scan_files(Watch.compile(load_watchlist(Path(wl))), paths, 1, fmt)
    assert buf.getvalue() == one.stdout
    latin = run_cli("scan", "--watchlist", wl, "--format", fmt, "--jobs", "2", str(docs),
                    env={"PYTHONIOENCODING": "latin-1:backslashreplace"})
    assert latin.stdout == one.stdout.encode("latin-1", "backslashreplace").decode("latin-1")
    assert "\\u041f" in latin.stdout  # П, as stdout's encoding and error handler write it

def test_hits_lists_stored_hits_in_every_format(make_daemon):
    d = make_daemon().start()
    d.drop("a.txt", "Gazprom and Kyiv.")
    wait_for(lambda: d.count("hits") == 2, what="two stored hits")
    assert d.stop() == 0
    config = str(d.config)
    jsonl = run_cli("hits", "--config", config, "--format", "jsonl", "--since", "1h")
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert {r["entity_id"] for r in rows} == {"gazprom", "kyiv"}
    assert all(SCAN_KEYS | {"found_at"} <= set(r) for r in rows)
    only = run_cli("hits", "--config", config, "--format", "csv", "--entity", "kyiv")
    (row,) = list(csv.DictReader(io.StringIO(only.stdout)))
    assert list(row) == list(rows[0])  # the columns of csv are the keys of jsonl
    assert (row["entity_id"], row["text"], row["start"]) == ("kyiv", "Kyiv", "12")
    table = run_cli("hits", "--config", config)
    assert table.returncode == 0 and "gazprom" in table.stdout and "found_at" in table.stdout
    status = run_cli("status", "--config", config)
    assert "documents: 1 processed" in status.stdout and "hits: 2" in status.stdout
    since = {when: run_cli("hits", "--config", config, "--format", "jsonl", "--since", when)
             for when in ("2000-01-01T00:00Z", "2999-01-01T00:00Z", "1h", "yesterday",
                          "2000-01-01 00:00 UTC", "2999-01-01 00:00 Europe/Kyiv")}
    assert len(since["2000-01-01T00:00Z"].stdout.splitlines()) == 2
    # the form alert messages give ("found 2025-03-03 09:14 UTC"), and a zone name
    assert len(since["2000-01-01 00:00 UTC"].stdout.splitlines()) == 2
    assert since["2999-01-01 00:00 Europe/Kyiv"].returncode == 0
    assert since["2999-01-01 00:00 Europe/Kyiv"].stdout == ""
    assert since["2999-01-01T00:00Z"].stdout == "" and len(since["1h"].stdout.splitlines()) == 2
    assert since["yesterday"].returncode != 0
    assert "neither a duration" in since["yesterday"].stderr
    typo = run_cli("hits", "--config", config, "--entity", "gasprom")
    assert typo.returncode == 2 and typo.stdout == ""  # an audit script must not see "none"
    assert "no entity 'gasprom'" in typo.stderr and "did you mean 'gazprom'?" in typo.stderr
    # for an audit: the document's version, several entities, a time range, the newest N
    assert {r["sha256"] for r in rows} == {hashlib.sha256(b"Gazprom and Kyiv.").hexdigest()}
    both = run_cli("hits", "--config", config, "--format", "jsonl", "--entity", "kyiv",
                   "--entity", "gazprom", "--until", "2999-01-01T00:00Z")
    assert sorted(json.loads(x)["entity_id"] for x in both.stdout.splitlines()) == [
        "gazprom", "kyiv"]
    before = run_cli("hits", "--config", config, "--until", "2000-01-01T00:00Z")
    assert before.returncode == 0 and "(none)" in before.stdout
    newest = run_cli("hits", "--config", config, "--format", "jsonl", "--limit", "1")
    assert [json.loads(x)["entity_id"] for x in newest.stdout.splitlines()] == ["kyiv"]
    assert "the newest 1 hits; there may be more" in newest.stderr


def test_notify_test_reports_each_target(tmp_path, http_sink):
    wl = watchlist(tmp_path)
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(wl),
        "notify": [{"url": http_sink.url()}, {"url": "json://127.0.0.1:1/closed"}]}))
    result = run_cli("notify-test", "--config", str(config))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. entry-1 json://127.0.0.1") and lines[0].endswith("delivered")
    assert lines[1].startswith("2. entry-2") and "FAILED" in lines[1]
    assert http_sink.received()[0]["title"] == "watcher: test alert"
    only = run_cli("notify-test", "--config", str(config), "--entry", "1")
    assert only.returncode == 0 and len(only.stdout.splitlines()) == 1
    for wrong in ("0", "3"):
        out_of_range = run_cli("notify-test", "--config", str(config), "--entry", wrong)
        assert out_of_range.returncode == 2 and out_of_range.stdout == ""
        assert "notify entries 1 to 2" in out_of_range.stderr
    assert len(http_sink.received()) == 2  # nothing sent for a wrong number


def test_a_password_with_reserved_characters_reaches_the_target_and_is_never_shown(
        tmp_path, http_sink):
    password = "p@ss/w0rd#Frag?x=1"
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(watchlist(tmp_path)),
        "notify": [{"url": f"json://bob:${{HOOK_PW}}@127.0.0.1:{http_sink.port}/hook"}]}))
    result = run_cli("notify-test", "--config", str(config), env={"HOOK_PW": password})
    assert result.returncode == 0 and result.stdout.rstrip().endswith("delivered")
    sent = base64.b64decode(http_sink.auth[0].removeprefix("Basic ")).decode()
    assert sent == f"bob:{password}"
    for part in (password, "ss/w0rd", "w0rd", "Frag"):
        assert part not in result.stdout + result.stderr


def test_values_out_of_range_are_errors_and_level_names_any_case(tmp_path):
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({"inbox": "in", "watchlist": str(watchlist(tmp_path)),
                                      "log_level": "debug"}))
    assert run_cli("check", "--config", str(config)).returncode == 0
    zero = run_cli("silence", "add", "--config", str(config), "--entity", "putin", "--for", "0s")
    assert zero.returncode == 2 and "must last longer than 0s" in zero.stderr
    bare = run_cli("silence", "add", "--config", str(config), "--entity", "putin", "--for", "2")
    assert bare.returncode == 2 and "'2' has no unit" in bare.stderr  # not 2 seconds
    since = run_cli("hits", "--config", str(config), "--since", "2")
    assert since.returncode == 2 and "--since: '2' is neither a duration" in since.stderr
    ever = run_cli("hits", "--config", str(config), "--since", "99999999d")
    assert ever.returncode == 0 and "(none)" in ever.stdout  # since before the calendar
    long = run_cli("silence", "add", "--config", str(config), "--entity", "putin", "--for",
                   "99999999d")
    assert long.returncode == 2 and "longer than the calendar goes" in long.stderr
    for limit in ("0", "-1"):
        none = run_cli("hits", "--config", str(config), "--limit", limit)
        assert none.returncode == 2 and "invalid positive whole number" in none.stderr
    score = run_cli("route-test", "--config", str(config), "--entity", "putin", "--score", "500")
    assert score.returncode == 2 and "not a score from 0 to 100" in score.stderr


def test_migrate_against_an_unreachable_database_is_one_clear_line(tmp_path):
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(watchlist(tmp_path)),
        "database": "postgresql+psycopg://watcher:pw@127.0.0.1:1/watcher"}))
    result = run_cli("migrate", "--config", str(config))
    assert result.returncode != 0
    assert result.stderr.startswith("watcher: cannot open database postgresql+psycopg://")
    assert "Traceback" not in result.stderr and "pw@" not in result.stderr
    assert len(result.stderr.splitlines()) <= 3, result.stderr


def test_a_table_row_stays_one_line(capsys):
    from watcher.cli import _print_table

    _print_table([{"text": "Volodymyr\nZelensky", "error": "x" * 80}], ["text", "error"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("Volodymyr Zelensky")
    assert lines[1].rstrip().endswith("x…") and len(lines[1].rstrip()) == 18 + 2 + 60


def test_check_notes_an_entry_a_burst_would_flood(tmp_path):
    """One email per document at apprise's 5.5 s: check says so; group_wait silences it."""
    email = "mailto://127.0.0.1:2525?from=watcher@example.org&to=desk@example.org"
    config = tmp_path / "watcher.yaml"
    for extra, noted in (({}, True), ({"group_wait": "1m"}, False)):
        config.write_text(yaml.safe_dump({"inbox": "in", "watchlist": str(watchlist(tmp_path)),
                                          "notify": [{"url": email, "name": "desk", **extra},
                                                     {"url": "json://127.0.0.1:1/hook"}]}))
        result = run_cli("check", "--config", str(config))
        assert result.returncode == 0, result.stdout + result.stderr
        notes = [ln for ln in result.stdout.splitlines() if ln.startswith("note:")]
        assert notes == ([
            "note: notify entry 'desk': one message per document, one every 5.5 s: 200 "
            "documents in a burst take 18 min; group_wait (e.g. 1m) makes a burst one message"]
            if noted else [])


def test_check_notes_an_entry_routed_by_a_tag_no_entity_has(tmp_path):
    """A typo in a routing tag makes an entry that receives nothing, with no error."""
    tags = sorted({t for e in WATCHLIST["entities"] for t in e.get("tags", [])})
    assert tags  # else the test shows nothing
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({"inbox": "in", "watchlist": str(watchlist(tmp_path)),
                                      "notify": [{"url": "json://127.0.0.1:1/a", "name": "typo",
                                                  "tags": [tags[0] + "x"]},
                                                 {"url": "json://127.0.0.1:1/b", "name": "half",
                                                  "tags": [tags[0], "nosuchtag"]},
                                                 {"url": "json://127.0.0.1:1/c", "name": "ok",
                                                  "tags": tags}]}))
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [ln for ln in result.stdout.splitlines() if ln.startswith("note:")]
    assert notes == [f"note: notify entry 'typo': tag(s) '{tags[0]}x' on no entity of the "
                     "watchlist: it receives no alert",
                     "note: notify entry 'half': tag(s) 'nosuchtag' on no entity of the "
                     "watchlist"]


def test_a_token_in_a_url_path_or_query_is_never_shown(tmp_path, http_sink):
    """apprise's privacy form masks a password, not /hooks/TOKEN or ?key=TOKEN: what a
    ${VAR} put there is masked too, however short."""
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(watchlist(tmp_path)),
        "notify": [{"url": f"json://127.0.0.1:{http_sink.port}/hooks/${{TOKEN}}"
                           "?-X-Api-Key=${KEY}"}]}))
    env = {"TOKEN": "tok3n", "KEY": "SECRETHEADERKEY"}
    sent = run_cli("notify-test", "--config", str(config), env=env)
    routed = run_cli("route-test", "--config", str(config), "--entity", "putin", env=env)
    assert sent.returncode == 0 and routed.returncode == 0, sent.stderr + routed.stderr
    assert http_sink.received()[0]["title"] == "watcher: test alert"
    for result in (sent, routed):
        assert "json://127.0.0.1" in result.stdout and "/hooks/****" in result.stdout
        for secret in env.values():
            assert secret not in result.stdout + result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root, as an operator's shell has")
def test_root_never_makes_the_services_database(tmp_path):
    """A command run as root before the service's first start would leave the database
    root's, which the service cannot write: in a folder of another user, reading commands
    see an empty one and writing ones say what to do; the service user's own `migrate`
    makes it."""
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({"inbox": "in", "watchlist": str(watchlist(tmp_path)),
                                      "data_dir": "data"}))
    (tmp_path / "data").mkdir()
    os.chown(tmp_path / "data", 65534, 65534)  # the service's user
    for command in (["status"], ["hits"], ["files"], ["outbox"], ["silence", "list"],
                    ["route-test", "--entity", "putin"]):
        result = run_cli(*command, "--config", str(config))
        assert result.returncode == 0, (command, result.stderr)
        assert "no database at" in result.stderr and "yet" in result.stderr, command
    for command in (["silence", "add", "--entity", "putin", "--for", "1h"], ["outbox", "retry"]):
        result = run_cli(*command, "--config", str(config))
        assert result.returncode != 0 and "is another user's" in result.stderr, command
    assert not (tmp_path / "data" / "watcher.db").exists()


@ENGINES
def test_every_database_command_works_on_both_engines(tmp_path, db_url):
    """The operator's commands over a database with documents, hits, failed files and
    messages in each state (on PostgreSQL `watcher outbox` once crashed on its GROUP BY)."""
    from watcher.models import Hit, Mention
    from watcher.store import Store

    store = Store(db_url)
    hit = Hit("putin", "Vladimir Putin", 0, 5, "Putin", "Putin", 100.0)
    mention = Mention("Putin", "Putin", 100.0, "exact", "", 0, 5, "", " spoke")
    store.save_document(path="/in/a.txt", sha256="a" * 64, size=12, mtime_ns=1,
                        encoding="utf-8", hits=[(hit, mention)], pending=[])
    store.save_failure(path="/in/b.bin", sha256="", size=3, mtime_ns=1, ctime_ns=1,
                       error="binary")
    store.add_messages([{"entry": "e", "title": f"t{k}", "body": "b"} for k in range(3)])
    ids = [m.id for m in store.outbox()]
    store.mark_failed(ids[0], "HTTP 500", retry_at=None)
    store.mark_sent(ids[1])
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({"inbox": str(tmp_path / "in"), "database": db_url,
                                      "watchlist": str(watchlist(tmp_path))}))
    cfg = ("--config", str(config))
    for command, expect in ((["status"], "documents"), (["hits"], "Putin"),
                            (["hits", "--format", "csv"], "a" * 64), (["files"], "binary"),
                            (["outbox"], "1 pending, 0 failed, 1 sent, 1 dead"),
                            (["outbox", "--format", "jsonl"], "HTTP 500"),
                            (["outbox", "retry"], "1"), (["silence", "add", "--entity", "putin",
                                                          "--for", "1h"], "silence 1"),
                            (["silence", "list"], "putin"), (["route-test", "--entity", "putin"],
                                                             "silenced"),
                            (["migrate"], "")):
        result = run_cli(*command, *cfg)
        assert result.returncode == 0 and expect in result.stdout, (command, result.stdout,
                                                                    result.stderr)


def test_commands_that_send_nothing_run_without_the_notify_secrets(tmp_path, monkeypatch):
    """An operator's shell lacks the service's EnvironmentFile: status, hits and outbox
    still work; a command that sends (notify-test, run) still names the missing variable."""
    monkeypatch.delenv("HOOK_PW", raising=False)
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(watchlist(tmp_path)),
        "notify": [{"url": "json://bob:${HOOK_PW}@127.0.0.1:1/hook"}]}))
    for command in (["status"], ["hits"], ["outbox"], ["silence", "list"], ["migrate"],
                    ["route-test", "--entity", "putin"]):
        result = run_cli(*command, "--config", str(config))
        assert result.returncode == 0, (command, result.stderr)
    for command in (["notify-test"], ["check"], ["notify-test", "--entry", "1"]):
        result = run_cli(*command, "--config", str(config))
        assert result.returncode == 2, command
        assert "HOOK_PW is not set" in result.stdout + result.stderr, command


def test_notify_test_of_one_entry_needs_only_its_own_secrets(tmp_path, http_sink, monkeypatch):
    monkeypatch.delenv("SMTP_PW", raising=False)
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({
        "inbox": "in", "watchlist": str(watchlist(tmp_path)),
        "notify": [{"url": "mailto://bob:${SMTP_PW}@127.0.0.1:1?to=a@example.org"},
                   {"url": http_sink.url(), "name": "hook"}]}))
    result = run_cli("notify-test", "--config", str(config), "--entry", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2. hook json://127.0.0.1")
    assert http_sink.received()[0]["title"] == "watcher: test alert"
    first = run_cli("notify-test", "--config", str(config), "--entry", "1")
    assert first.returncode == 2
    assert f"{config}:3: notify.0.url: environment variable SMTP_PW is not set" in \
        first.stderr  # the line, as every other config error names it


def test_explain_shows_how_each_candidate_matched_or_why_not(tmp_path):
    result = run_cli("explain", "--watchlist", str(watchlist(tmp_path)),
                     "Selenskyj sprach gestern in Kijów.")
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert any(line.startswith("HIT 'Selenskyj' [0:9] zelensky") and "translit" in line
               for line in lines)
    assert any(line.startswith("HIT 'Kijów'") and "score" in line for line in lines)
    assert any(line.startswith("no  ") and "<- overlaps a better hit" in line for line in lines)
    none = run_cli("explain", "--watchlist", str(watchlist(tmp_path)), "Nothing here.")
    assert none.stdout.startswith("no candidate")


def test_check_reaches_the_database_server_and_names_a_missing_driver(tmp_path, pg_server):
    """`check` before a deployment: a database server that refuses, a database that does not
    exist, a driver not installed are problems (exit 2), named without the password; every
    other command says the same in one line, not a traceback."""
    good = pg_server.create_db()
    base = good.rsplit("/", 1)[0]
    cases = {good: None, base + "/no_such_db": "no_such_db",
             good.replace("postgresql+psycopg", "postgresql+pg8000"): "driver is not installed"}
    for k, (url, expect) in enumerate(cases.items()):
        config = tmp_path / f"c{k}.yaml"
        config.write_text(yaml.safe_dump({"inbox": "in", "database": url,
                                          "watchlist": str(watchlist(tmp_path))}))
        result = run_cli("check", "--config", str(config))
        if expect is None:
            assert result.returncode == 0 and result.stdout.startswith("ok:"), result.stdout
            continue
        assert result.returncode == 2 and "database:" in result.stdout, result.stdout
        assert expect in result.stdout, result.stdout
        status = run_cli("status", "--config", str(config))
        assert status.returncode != 0 and "Traceback" not in status.stderr, status.stderr
        assert expect in status.stderr, status.stderr
    pg_server.drop_db(good)
