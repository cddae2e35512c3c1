"""The daemon end to end: real subprocess, real files, real HTTP and SMTP receivers.

Tests marked ENGINES run twice: on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import io
import json
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ENGINES, run_cli, wait_for
from documents import broken_xref, image_pdf, make_docx, make_pdf

ARTICLE = ("Ukrainian President Volodymyr Zelensky met European leaders in Brussels on Monday. "
           "Officials said the talks focused on air defence for Kyiv and other cities.\n")


@ENGINES
def test_each_way_of_dropping_a_file_alerts_by_http_and_email_and_stores_hits(
        make_daemon, http_sink, smtp_sink):
    d = make_daemon(notify=[{"url": http_sink.url()}, {"url": smtp_sink.url()}]).start()
    d.drop("written.txt", "Vladimir Putin spoke on Monday.", how="write")
    d.drop("renamed.txt", "Gazprom cut supplies to Europe.", how="rename")
    d.drop("moved.txt", "Air raid sirens sounded in Kyiv overnight.", how="move")

    bodies = wait_for(lambda: len(http_sink.received()) >= 3 and http_sink.received(),
                      what="three HTTP alerts")
    titles = sorted(b["title"] for b in bodies)
    assert titles == ["watcher: Gazprom in renamed.txt", "watcher: Kyiv in moved.txt",
                      "watcher: Vladimir Putin in written.txt"]
    putin = next(b for b in bodies if "Putin" in b["title"])
    assert "person" in putin["message"] and "written.txt" in putin["message"]
    assert "[Vladimir Putin] spoke on Monday" in putin["message"]  # words in their context
    assert "alias Vladimir Putin, exact name" in putin["message"]
    assert "score 100" in putin["message"]

    # apprise sends one email per 5.5 s to a server: three take 11 s
    mails = wait_for(lambda: len(smtp_sink.messages) >= 3 and smtp_sink.parsed(),
                     timeout=30, what="three emails")
    subjects = sorted(m["subject"] for m in mails)
    assert subjects == titles
    html = mails[0].get_body(("html",)).get_content()
    assert "<mark>" in html

    rows = d.query("SELECT d.path, h.entity_id, h.text FROM hits h "
                   "JOIN documents d ON d.id = h.document_id ORDER BY h.entity_id")
    assert [(r[0].rsplit("/", 1)[-1], r[1], r[2]) for r in rows] == [
        ("renamed.txt", "gazprom", "Gazprom"), ("moved.txt", "kyiv", "Kyiv"),
        ("written.txt", "putin", "Vladimir Putin")]
    # the temporary .part name was never processed as a document of its own
    assert d.count("files", "path LIKE '%.part'") == 0
    assert d.stop() == 0


@ENGINES
def test_restart_neither_loses_nor_reprocesses(make_daemon, http_sink):
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    d.drop("one.txt", "Kyiv was quiet on Sunday.")
    wait_for(lambda: len(http_sink.received()) == 1, what="first alert")
    assert d.stop() == 0

    d.drop("two.txt", "Gazprom reported results.")  # arrive while the daemon is down
    d.drop("three.txt", "Vladimir Putin gave a speech.")
    d.start()
    wait_for(lambda: len(http_sink.received()) == 3, what="catch-up alerts")
    d.drop("copy-of-one.txt", "Kyiv was quiet on Sunday.")  # same content, other name
    wait_for(lambda: d.count("files") == 4, what="the copy to be looked at")
    time.sleep(0.5)
    assert d.count("documents") == 3
    assert len(http_sink.received()) == 3
    assert d.stop() == 0

    d.start()  # a second restart finds nothing new
    time.sleep(1.0)
    assert d.count("documents") == 3 and len(http_sink.received()) == 3
    assert d.stop(signal.SIGINT) == 0


@ENGINES
def test_failing_target_gets_the_alert_exactly_once_after_it_recovers(make_daemon, http_sink):
    http_sink.status = 500
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    d.drop("a.txt", "Gazprom raised its export prices again.")
    wait_for(lambda: http_sink.failures >= 2, what="two failed attempts")
    assert d.count("outbox", "status = 'pending'") == 1
    http_sink.status = 200
    wait_for(lambda: http_sink.received(), what="delivery after recovery")
    time.sleep(1.0)  # later drains must not send it again
    assert len(http_sink.received()) == 1
    assert d.count("outbox", "status = 'sent'") == 1
    assert d.stop() == 0


def test_secrets_never_reach_logs_or_database(make_daemon, http_sink, monkeypatch):
    token = "S3cretT0kenValue9876"
    http_sink.status = 500
    d = make_daemon(notify=[{"url": http_sink.url("${HOOK_TOKEN}")}])
    d.start(env={"HOOK_TOKEN": token})
    d.drop("a.txt", ARTICLE)
    wait_for(lambda: http_sink.failures >= 1, what="a failed attempt")
    http_sink.status = 200
    wait_for(lambda: http_sink.received(), what="delivery")
    assert d.stop() == 0
    assert token not in d.log()
    assert token.encode() not in (d.data / "watcher.db").read_bytes()


def test_alert_shows_the_match_method_and_score_of_the_stored_hit(make_daemon, http_sink):
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    d.drop("ru.txt", "Встреча прошла без Путина, сообщили в Кремле.")
    (body,) = wait_for(lambda: http_sink.received(), what="the alert")
    ((alias, method, detail, score),) = d.query("SELECT alias, method, detail, score FROM hits")
    assert method == "inflection"
    assert "[Путина]" in body["message"]
    assert f"alias {alias}, {method}, {detail}, score {score:.0f}" in body["message"]
    assert detail.startswith("case ending")
    assert d.stop() == 0


def test_alerts_go_to_the_log_without_notify_targets(make_daemon):
    d = make_daemon().start()
    d.drop("a.txt", ARTICLE)
    wait_for(lambda: "ALERT Volodymyr Zelensky" in d.log(), what="an alert in the log")
    d.drop("b.txt", "Kyiv. " * 8)  # five mentions shown, the rest counted
    wait_for(lambda: "and 3 more mentions" in d.log(), what="the count of the others")
    assert d.stop() == 0


def test_debug_logging_into_the_watchlist_folder_does_not_feed_itself(make_daemon):
    """The harness writes the log beside the watchlist, a folder the daemon watches: at DEBUG,
    a line per inotify event of that folder would make a line per line, for ever."""
    d = make_daemon(log_level="DEBUG").start()
    d.drop("a.txt", ARTICLE)
    wait_for(lambda: "ALERT Volodymyr Zelensky" in d.log(), what="an alert in the log")
    time.sleep(1.0)
    lines = d.log().count("\n")
    time.sleep(1.0)
    assert d.log().count("\n") - lines < 20  # idle: a heartbeat or two, not thousands
    assert d.stop() == 0


def test_watchlist_edit_takes_effect_and_a_bad_edit_keeps_the_old_one(make_daemon, http_sink):
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    wl = yaml.safe_load(d.watchlist.read_text())
    wl["entities"].append({"id": "lavrov", "name": "Sergei Lavrov", "type": "person"})
    d.watchlist.write_text(yaml.safe_dump(wl, allow_unicode=True), encoding="utf-8")
    wait_for(lambda: "watchlist reloaded" in d.log(), what="the reload")
    d.drop("a.txt", "Sergei Lavrov met his counterpart.")
    wait_for(lambda: any("Lavrov" in b["title"] for b in http_sink.received()),
             what="an alert for the added entity")

    d.watchlist.write_text("entities:\n  - id: x\n    nme: typo\n", encoding="utf-8")
    wait_for(lambda: "previous one keeps serving" in d.log(), what="the rejected edit")
    assert "watchlist.yaml:3" in d.log() and "unknown key 'nme'" in d.log()
    d.drop("b.txt", "Sergei Lavrov spoke again on Tuesday.")
    wait_for(lambda: len(http_sink.received()) == 2, what="the old watchlist still serving")
    assert d.stop() == 0


def test_a_watchlist_moved_in_from_another_folder_is_reloaded_at_once(make_daemon, tmp_path):
    """Ansible's copy, "edit elsewhere, then mv": inotify reports the move in as a created
    file with no close, which a writer's new file also is; with its content already there,
    it is complete (it waited a minute for a close that never comes)."""
    d = make_daemon().start()
    wl = yaml.safe_load(d.watchlist.read_text())
    wl["entities"].append({"id": "lavrov", "name": "Sergei Lavrov", "type": "person"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "wl.new").write_text(yaml.safe_dump(wl, allow_unicode=True), encoding="utf-8")
    (elsewhere / "wl.new").rename(d.watchlist)
    wait_for(lambda: "watchlist reloaded" in d.log(), timeout=10, what="the reload")
    assert d.stop() == 0


def test_a_watchlist_half_written_emptied_or_deleted_is_not_taken_in_silence(make_daemon):
    """A writer with the file open is waited for (the first half of a list parses too);
    an emptied list serves but says so; a deleted one keeps the loaded list."""
    d = make_daemon().start()
    full = d.watchlist.read_text(encoding="utf-8")
    entities = len(yaml.safe_load(full)["entities"])
    cut = full.index("\n- ", full.index("\n- ") + 1) + 1  # the first entity only
    with open(d.watchlist, "w", encoding="utf-8") as f:
        f.write(full[:cut])
        f.flush()
        time.sleep(1.5)
        assert "watchlist reloaded" not in d.log()  # still open: not read yet
        f.write(full[cut:])
    wait_for(lambda: "watchlist reloaded" in d.log(), what="the reload at close")
    assert f"{entities} entities" in d.log() and "entities now" not in d.log()
    d.watchlist.write_text("entities: []\n", encoding="utf-8")
    wait_for(lambda: f"has 0 entities now, {entities} before: is that meant?" in d.log(),
             what="the warning about an emptied list")
    d.watchlist.unlink()
    wait_for(lambda: "was deleted or renamed: the loaded one keeps serving" in d.log(),
             what="the warning about a deleted list")
    assert d.stop() == 0


def test_a_restart_with_an_invalid_watchlist_serves_the_last_valid_one(make_daemon, http_sink):
    """An edit made while the daemon was down must not keep it from starting (systemd would
    restart it for ever): the last valid list serves, loudly, until the file is fixed."""
    d = make_daemon(notify=[{"url": http_sink.url(), "name": "desk"},
                            {"url": http_sink.url(), "name": "ops", "health": True}]).start()
    assert d.stop() == 0
    good = d.watchlist.read_text(encoding="utf-8")
    d.watchlist.write_text("entities:\n  - id: x\n    nme: typo\n", encoding="utf-8")
    d.start()
    assert "watchlist.yaml:3" in d.log() and "unknown key 'nme'" in d.log()
    assert "serving the last valid watchlist" in d.log()
    wait_for(lambda: any("watchlist invalid at start" in m["title"]
                         for m in http_sink.received()), what="the health alert")
    d.drop("a.txt", "Vladimir Putin spoke.")
    wait_for(lambda: any("Vladimir Putin" in m["title"] for m in http_sink.received()),
             what="an alert from the last valid list")
    d.watchlist.write_text(good.replace("Vladimir Putin", "Vladimir V. Putin"),
                           encoding="utf-8")
    wait_for(lambda: "watchlist reloaded" in d.log(), what="the fixed file's reload")
    wait_for(lambda: any(m["title"].endswith("watchlist fixed") for m in http_sink.received()),
             what="the all-clear to the health entry")

    # deleted: told (after a grace for an editor's rename and rewrite), and fixed again
    saved = d.watchlist.read_text(encoding="utf-8")
    d.watchlist.rename(d.watchlist.with_suffix(".yaml~"))
    d.watchlist.write_text(saved, encoding="utf-8")  # an editor's save: nothing to tell
    d.watchlist.unlink()
    wait_for(lambda: any(m["title"].endswith("watchlist deleted")
                         for m in http_sink.received()), what="the health alert of a deletion")
    assert sum(m["title"].endswith("watchlist deleted") for m in http_sink.received()) == 1
    # a health message is a warning (chats colour it apart), a hit an info
    types = {("Putin" in m["title"], m["type"]) for m in http_sink.received()}
    assert types == {(True, "info"), (False, "warning")}, types
    assert d.stop() == 0


def test_status_says_a_killed_daemon_of_this_host_is_gone(make_daemon):
    """Not "alive" for another lease after a SIGKILL, nor "not running" beside "alive"."""
    import json

    from conftest import run_cli

    d = make_daemon().start()
    d.kill()
    status = json.loads(run_cli("status", "--config", str(d.config), "--format",
                                "json").stdout)
    assert status["daemon"]["running"] is False
    assert [m["state"] for m in status["group"]] == ["gone"]
    assert "group: 0 daemon(s) alive" in run_cli("status", "--config", str(d.config)).stdout


def test_move_mode_records_where_each_document_was_moved(make_daemon, http_sink):
    """Two drops named same.txt: processed/same.txt and processed/same.1.txt; the documents
    and the alerts name those, not the inbox path both came in by."""
    d = make_daemon(after_processing="move", notify=[{"url": http_sink.url()}]).start()
    d.drop("same.txt", "Vladimir Putin arrived.")
    wait_for(lambda: d.count("documents") == 1, what="the first document")
    # (moved away before the second comes: one written over it first is a new version of
    # it, kept at its name; see test_pipeline.py)
    wait_for(lambda: not (d.inbox / "same.txt").exists(), what="the first file moved")
    d.drop("same.txt", "Volodymyr Zelensky arrived.")
    wait_for(lambda: d.count("documents") == 2, what="the second document")
    paths = sorted(r[0] for r in d.query("SELECT path FROM documents"))
    processed = d.data / "processed"
    assert paths == [str(processed / "same.1.txt"), str(processed / "same.txt")]
    # (recorded where it will be before it is moved there: the move follows at once)
    wait_for(lambda: all(Path(p).exists() for p in paths), what="both files moved there")
    wait_for(lambda: len(http_sink.received()) == 2, what="both alerts")
    assert any(str(processed / "same.1.txt") in m["message"] for m in http_sink.received())
    assert d.stop() == 0


@pytest.mark.parametrize("mode", ["move", "keep"])
def test_a_writer_pausing_past_settle_time_is_waited_for_until_it_closes(make_daemon, mode):
    """A slow writer (a download) pauses longer than settle_time with the file open: read
    then, the rest would go into a file already moved away (or make a second document)."""
    d = make_daemon(after_processing=mode, settle_time="0.3s").start()
    path = d.inbox / "slow.txt"
    with open(path, "w", encoding="utf-8") as f:
        f.write("Vladimir Putin arrived. ")
        f.flush()
        time.sleep(1.5)  # five settle times, the file still open
        assert d.count("documents") == 0
        f.write("Later Volodymyr Zelensky spoke.")
    wait_for(lambda: d.count("documents") == 1, what="the document, once closed")
    time.sleep(0.5)
    assert d.count("documents") == 1  # one document, with all of it
    assert {r[0] for r in d.query("SELECT entity_id FROM hits")} >= {"putin", "zelensky"}
    if mode == "move":
        assert (d.data / "processed" / "slow.txt").read_text().endswith("Zelensky spoke.")
    assert d.stop() == 0


def test_a_file_moved_in_from_outside_the_inbox_is_read_at_once(make_daemon, tmp_path):
    """inotify reports a move from outside the watched tree as a creation: with its content
    there and no write after, it is read without waiting out settle_time."""
    d = make_daemon(settle_time="5s").start()
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "moved.txt").write_text(ARTICLE, encoding="utf-8")
    started = time.monotonic()
    os.rename(stage / "moved.txt", d.inbox / "moved.txt")
    wait_for(lambda: d.count("documents") == 1, timeout=4.0, what="read before settle_time")
    assert time.monotonic() - started < 2.0
    assert d.stop() == 0


@ENGINES
def test_move_mode_moves_processed_and_failed_files(make_daemon):
    d = make_daemon(after_processing="move").start()
    d.drop("sub/good.txt", ARTICLE)
    d.drop("bad.bin", b"\x00\x01\x02\x03binary\x00")
    wait_for(lambda: (d.data / "processed" / "sub" / "good.txt").exists(), what="move")
    wait_for(lambda: (d.data / "failed" / "bad.bin").exists(), what="move to failed")
    assert not (d.inbox / "sub" / "good.txt").exists()
    assert d.count("documents", "status = 'failed'") == 1
    # each document is recorded, and logged, where it went
    assert [r[0] for r in d.query("SELECT path FROM documents ORDER BY status")] == [
        str(d.data / "failed" / "bad.bin"), str(d.data / "processed" / "sub" / "good.txt")]
    assert f"; moved to {d.data / 'failed' / 'bad.bin'}" in d.log()
    assert f"; moved to {d.data / 'processed' / 'sub' / 'good.txt'}" in d.log()
    assert d.stop() == 0


@ENGINES
def test_pdf_and_word_reports_are_screened_and_bad_ones_fail_alone(make_daemon, http_sink):
    """Analysts' reports in the inbox: a PDF (two pages, a name broken at a line end) and a
    .docx (Ukrainian, a table) alert and store their hits as a text does; a PDF pypdf has to
    repair is processed with one warning. A scanned PDF, a truncated one and a spreadsheet
    beside them fail alone, each recorded and logged in one line, as any unreadable file."""
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    d.drop("scan.pdf", image_pdf())
    d.drop("cut.pdf", make_pdf(["Gazprom cut supplies."] * 5)[:700])
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    d.drop("sheet.xlsx", sheet.getvalue())
    d.drop("report.pdf", make_pdf(["President Zelen-", "sky met envoys on Monday."],
                                  ["Gazprom said the talks went on."]), how="rename")
    d.drop("brief.docx", make_docx("Зеленський провів зустріч у Києві.",
                                   table=[["Vladimir Putin", "no comment"]]))
    d.drop("repaired.pdf", broken_xref(make_pdf(["Air raid sirens in Kyiv overnight."])))

    bodies = wait_for(lambda: len(http_sink.received()) >= 3 and http_sink.received(),
                      timeout=30, what="three alerts")
    by_file = {b["title"].rsplit(" in ", 1)[1]: b["message"] for b in bodies}
    assert sorted(by_file) == ["brief.docx", "repaired.pdf", "report.pdf"]
    assert "President [Zelensky] met envoys" in by_file["report.pdf"]
    assert "[Зеленський] провів" in by_file["brief.docx"]
    rows = d.query("SELECT d.path, d.encoding, h.entity_id, h.text FROM hits h "
                   "JOIN documents d ON d.id = h.document_id")
    assert sorted((Path(p).name, enc, e, t) for p, enc, e, t in rows) == [
        ("brief.docx", "docx", "kyiv", "Києві"), ("brief.docx", "docx", "putin", "Vladimir Putin"),
        ("brief.docx", "docx", "zelensky", "Зеленський"),
        ("repaired.pdf", "pdf (malformed, read anyway: incorrect startxref pointer(3))", "kyiv",
         "Kyiv"),
        ("report.pdf", "pdf", "gazprom", "Gazprom"), ("report.pdf", "pdf", "zelensky", "Zelensky")]

    wait_for(lambda: d.count("files", "status = 'failed'") == 3, what="three failed files")
    files = run_cli("files", "--config", str(d.config), "--status", "failed", "--format", "jsonl")
    failed = {Path(r["path"]).name: r["error"] for r in map(json.loads, files.stdout.splitlines())}
    assert failed == {
        "scan.pdf": "a scanned PDF with no text layer: OCR is not supported",
        "cut.pdf": "a damaged or truncated PDF (PdfStreamError: Stream has ended unexpectedly)",
        "sheet.xlsx": "an Excel workbook (.xlsx): not screened (text, HTML, PDF and .docx are)"}
    assert d.stop() == 0
    log = d.log()
    for name, error in failed.items():  # one line each, ours
        assert [line for line in log.splitlines() if name in line] == [
            line for line in log.splitlines() if f"failed {d.inbox / name}: {error}" in line]
        assert log.count(name) == 1
    assert log.count("repaired.pdf: pdf (malformed, read anyway: incorrect startxref") == 1
    assert "pypdf" not in log and "Traceback" not in log
