"""Alert policy and delivery with real parts and a controllable clock (no sleeps for time).

Slack's servers cannot be reached: apprise's real Slack plugin runs and its HTTP request is
intercepted (the `slack` fixture), so the JSON asserted here is exactly what Slack would get.
Email goes through a real SMTP server (aiosmtpd) and is parsed back.
"""

from __future__ import annotations

import dataclasses
import html
import json
import random
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import SLACK_URL, wait_for

from watcher.config import NotifyEntry
from watcher.models import Alert, Mention
from watcher.notify import WORD_JOINER

PUTIN = "Vladimir Putin spoke in Moscow on {n}."
HOSTILE = "<!channel> <@U123> Vladimir Putin <http://evil|https://bank> & more"


def _payload_without_ts(payload: dict) -> dict:
    payload = {**payload, "attachments": [dict(a) for a in payload["attachments"]]}
    for a in payload["attachments"]:
        assert isinstance(a.pop("ts"), float)
    return payload


ICON = ("https://github.com/caronc/apprise/raw/master/apprise/assets/themes/default/"
        "apprise-info-72x72.png")


# -- burst, cooldown and roll-up --------------------------------------------------------------

def test_burst_of_50_documents_is_one_message_per_entry_and_the_next_hour_rolls_up(
        world, slack, http_sink):
    w = world([{"url": SLACK_URL, "name": "slack", "repeat_interval": "1h"},
               {"url": http_sink.url(), "name": "hook", "repeat_interval": "1h"}])
    start = w.clock.now
    for n in range(50):  # 50 documents within 10 s, each flushed as the daemon would
        w.drop(f"burst-{n}.txt", PUTIN.format(n=n))
        w.tick()
        w.clock.advance(seconds=0.2)
    assert w.clock.now - start == timedelta(seconds=10)
    assert len(slack.payloads) == 1 and len(http_sink.received()) == 1
    assert "burst-0.txt" in http_sink.received()[0]["title"]
    assert w.store.counts()["waiting"] == 2 * 49  # held by the cooldown, counted

    w.clock.now = start + timedelta(hours=1, minutes=1)
    w.drop("next-hour.txt", PUTIN.format(n="the next day"))
    w.tick()
    assert len(slack.payloads) == 2 and len(http_sink.received()) == 2
    text = http_sink.received()[1]["message"]
    assert "[Vladimir Putin] spoke in Moscow on the next day" in text
    assert "49 more mentions in 49 documents since 09:14 (cooldown): " \
           "watcher hits --entity putin --since" in text
    slack_text = slack.payloads[1]["attachments"][0]["text"]
    assert "49 more mentions in 49 documents since 09:14 (cooldown): " \
           "`watcher hits --entity putin --since" in slack_text
    assert w.store.counts()["waiting"] == 0


def test_cooldown_state_survives_a_restart(world, http_sink):
    w = world([{"url": http_sink.url(), "repeat_interval": "1h"}])
    w.drop("a.txt", PUTIN.format(n=1))
    w.tick()
    w.restart()
    w.clock.advance(minutes=30)
    w.drop("b.txt", PUTIN.format(n=2))
    w.tick()
    assert len(http_sink.received()) == 1  # still in the cooldown after the restart
    w.restart()
    w.clock.advance(minutes=31)
    w.drop("c.txt", PUTIN.format(n=3))
    w.tick()
    assert len(http_sink.received()) == 2
    assert "1 more mention since 09:44" in http_sink.received()[1]["message"]


def test_what_a_cooldown_held_goes_out_when_the_cooldown_ends(world, http_sink):
    """No later mention of the entity is needed: a cooldown spaces messages, it never
    swallows one."""
    w = world([{"url": http_sink.url(), "repeat_interval": "1h"}])
    start = w.clock.now
    for n, name in enumerate(("a.txt", "b.txt", "c.txt")):
        w.clock.now = start + timedelta(minutes=10 * n)
        w.drop(name, PUTIN.format(n=n))
        w.tick()
    assert len(http_sink.received()) == 1 and w.store.counts()["waiting"] == 2
    w.clock.now = start + timedelta(minutes=59)
    w.tick()
    assert len(http_sink.received()) == 1  # the cooldown still runs
    w.clock.now = start + timedelta(minutes=61)
    w.tick()
    assert len(http_sink.received()) == 2 and w.store.counts()["waiting"] == 0
    late = http_sink.received()[1]
    assert "b.txt" in late["title"]  # the oldest held document in full, the rest counted
    assert "1 more mention since 09:34 (cooldown)" in late["message"]
    w.clock.now = start + timedelta(minutes=70)
    w.drop("d.txt", PUTIN.format(n=4))
    w.tick()
    assert len(http_sink.received()) == 2  # a new cooldown runs from that message


def test_a_file_that_grows_alerts_only_what_was_added(world, http_sink):
    """A writer appending and closing the file after each part (keep mode): each version
    stores and alerts the mentions of the text it added, so every mention is once in
    `watcher hits` and in the alerts."""
    w = world([{"url": http_sink.url()}])
    parts = ["Vladimir Putin spoke in Moscow.\n", "Later Gazprom said the same.\n",
             "Vladimir Putin spoke again.\n"]
    for n in range(1, 4):
        w.drop("live.txt", "".join(parts[:n]))
        w.tick()
    got = http_sink.received()
    assert [m["title"] for m in got] == ["watcher: Vladimir Putin in live.txt",
                                         "watcher: Gazprom in live.txt",
                                         "watcher: Vladimir Putin in live.txt"]
    assert "1 mention in live.txt" in got[2]["message"]
    assert "[Vladimir Putin] spoke again" in got[2]["message"]
    assert "[Vladimir Putin] spoke in Moscow" not in got[2]["message"]
    assert len(w.store.hits(entity="putin")) == 2
    w.drop("live.txt", "Rewritten: Gazprom and Vladimir Putin.\n")  # not an append
    w.tick()
    assert http_sink.received()[3]["title"] == "watcher: Gazprom, Vladimir Putin in live.txt"


def test_a_copy_that_keeps_size_and_mtime_is_read_again(world, http_sink):
    """cp -p, rsync -a, tar and unzip keep a file's mtime: a new file of the same size and
    mtime at a path handled before is still a new version (its ctime tells), and read."""
    import os

    w = world([{"url": http_sink.url()}])
    path = w.inbox / "report.txt"
    for text in ("Report: Putin.\n", "Report: Kyiv!!\n"):  # the same size
        if path.exists():
            path.unlink()
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(1_735_689_600 * 10**9, 1_735_689_600 * 10**9))  # 2025-01-01
        assert w.pipeline.process(str(path)).status == "processed"
    assert w.pipeline.process(str(path)).status == "unchanged"  # as it is: not read again
    w.tick()
    assert [m["title"] for m in http_sink.received()] == ["watcher: Vladimir Putin in report.txt",
                                                          "watcher: Kyiv in report.txt"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_failed_send_says_why(world):
    """apprise says only "Connection error" at WARNING; the reason (a refused password, a
    closed port) is at DEBUG, and goes into the outbox error, without the password."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
    from conftest import free_port

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    def refuse(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)

    port = free_port()
    server = Controller(Handler(), hostname="127.0.0.1", port=port, auth_required=True,
                        auth_require_tls=False, authenticator=refuse)
    server.start()
    try:
        w = world([{"url": f"mailto://bob:Wr0ngPassw0rd@127.0.0.1:{port}?secure=no"
                           "&from=watcher@example.org&to=desk@example.org", "name": "mail"},
                   {"url": f"json://127.0.0.1:{free_port()}/closed", "name": "hook"}])
        w.drop("a.txt", PUTIN.format(n=1))
        w.tick()
    finally:
        server.stop()
    errors = {row["entry"]: row["last_error"] for row in w.outbox()}
    assert "535" in errors["mail"] and "Wr0ngPassw0rd" not in errors["mail"]
    assert "Connection refused" in errors["hook"]


def test_cooldown_is_per_entity(world, http_sink):
    w = world([{"url": http_sink.url(), "repeat_interval": "1h"}])
    w.drop("a.txt", "Vladimir Putin spoke.")
    w.drop("b.txt", "Gazprom reported results.")
    w.tick()
    w.drop("c.txt", "Vladimir Putin spoke again.")
    w.tick()
    titles = sorted(b["title"] for b in http_sink.received())
    assert titles == ["watcher: Gazprom in b.txt", "watcher: Vladimir Putin in a.txt"]


def test_without_policy_each_document_is_one_message_naming_its_entities(world, http_sink):
    w = world([{"url": http_sink.url()}])
    w.drop("a.txt", "Vladimir Putin and Gazprom.")
    w.drop("b.txt", "Vladimir Putin again.")
    w.tick()
    assert sorted(b["title"] for b in http_sink.received()) == [
        "watcher: Vladimir Putin in b.txt", "watcher: Vladimir Putin, Gazprom in a.txt"]


# -- grouping ---------------------------------------------------------------------------------

def test_group_wait_collects_what_arrives_together_into_one_message(world, http_sink):
    w = world([{"url": http_sink.url(), "group_wait": "10s"}])
    w.drop("a.txt", "Vladimir Putin spoke.")
    w.tick()
    w.clock.advance(seconds=4)
    w.drop("b.txt", "Gazprom reported results.")
    w.drop("c.txt", "Air raid sirens in Kyiv.")
    w.tick()
    w.clock.advance(seconds=5.9)
    w.tick()
    assert http_sink.received() == []  # the window is still open
    w.clock.advance(seconds=0.1)
    w.tick()
    [body] = http_sink.received()
    assert body["title"] == "watcher: Vladimir Putin, Gazprom, Kyiv in 3 files"
    for word in ("[Vladimir Putin] spoke", "[Gazprom] reported", "sirens in [Kyiv]"):
        assert word in body["message"]


def test_a_long_group_is_capped_with_plus_n_more_and_how_to_see_them(world, slack):
    w = world([{"url": SLACK_URL, "group_wait": "1m"}])
    for n in range(60):
        w.drop(f"doc-{n:02}.txt", f"Report {n}: Vladimir Putin met officials from Gazprom "
                                  f"and Kyiv in a long meeting about gas number {n}.")
        w.clock.advance(seconds=1)
    w.tick()
    [payload] = slack.payloads
    text = payload["attachments"][0]["text"]
    assert len(text) <= 3500
    for name, kind, ident in (("Vladimir Putin", "person", "putin"),
                              ("Gazprom", "org", "gazprom"), ("Kyiv", "place", "kyiv")):
        assert f"*{name}* ({kind}): 60 mentions in 60 documents" in text
        assert re.search(rf"\+55 more documents: `watcher hits --entity {ident} --since "
                         r"\d{4}-\d\d-\d\dT\d\d:\d\dZ`", text)
    assert text.count("doc-") == 15  # five documents shown per entity


def test_one_document_more_than_a_group_shows_is_one_document(world, http_sink):
    w = world([{"url": http_sink.url(), "group_wait": "1m"}])
    for n in range(6):  # MAX_DOCUMENTS + 1
        w.drop(f"doc-{n}.txt", f"Report {n}: Vladimir Putin met officials.")
        w.clock.advance(seconds=1)
    w.clock.advance(minutes=1)  # the group window closes
    w.tick()
    [message] = http_sink.received()
    assert "+1 more document: " in message["message"], message["message"]


def _capped_alert(entity: str, n: int, mentions: int = 1) -> Alert:
    m = Mention(text=entity, alias=entity, score=100, method="exact", detail="", start=0,
                end=3, before="x " * 30, after=" y" * 30)
    return Alert(entity_id=entity.lower(), entity_name=entity, entity_type="other",
                 tags=(), path=f"/in/{n}.txt", sha256=f"{n:064}",
                 found_at="2025-03-03T09:14:00+00:00", mentions=(m,) * mentions)


def test_the_most_mentioned_entities_come_first_and_survive_the_cap():
    from watcher.notify import Style, render

    alerts = [_capped_alert(f"E{i}", 0, mentions=m) for i, m in enumerate([1, 7, 1, 3, 2])]
    title, body = render(alerts, Style(cap=2300))
    assert title == "watcher: E1, E3, E4 +2 more in 0.txt"
    order = [body.find(f"E{i} (other)") for i in (1, 3, 4)]
    assert -1 not in order and order == sorted(order)
    assert "+2 more entities" in body and "E0 (other)" not in body and "E2 (" not in body


@pytest.mark.parametrize("url, cap", [("json://127.0.0.1/hook", 32668), (SLACK_URL, 3500),
                                      ("mailto://127.0.0.1:25?from=w@example.org&to=a@example.org",
                                       32668)])
def test_a_generic_webhook_gets_what_its_plugin_accepts_not_a_chat_sized_body(url, cap):
    from watcher.notify import make_target

    assert make_target("e", NotifyEntry(url=url)).style.cap == cap


def test_an_entity_in_several_documents_found_in_one_minute_shows_that_minute_once():
    from watcher.notify import Style, render

    _, body = render([_capped_alert("E0", n) for n in range(3)], Style())
    assert "E0 (other): 3 mentions in 3 documents" in body
    assert body.endswith("found 2025-03-03 09:14 UTC · in /in")  # their one folder, once
    assert "• 0.txt: “" in body


def test_documents_from_several_folders_are_named_by_their_whole_path():
    from watcher.notify import Style, render

    alerts = [_capped_alert("E0", 0), dataclasses.replace(_capped_alert("E0", 1),
                                                           path="/other/1.txt")]
    _, body = render(alerts, Style())
    assert "• /in/0.txt: “" in body and "• /other/1.txt: “" in body
    assert body.endswith("found 2025-03-03 09:14 UTC")


def test_what_does_not_fit_the_cap_is_counted_with_its_command():
    from watcher.notify import Style, render

    alerts = [_capped_alert(f"E{i}", n) for i in range(20) for n in range(2)]
    title, body = render(alerts, Style(cap=1500, config="/etc/watcher/watcher.yaml"))
    assert len(body) <= 1500
    assert title == "watcher: E0, E1, E2 +17 more in 2 files"
    shown = body.count("mentions in 2 documents")
    # the daemon's config file is in every command a message names
    from watcher.notify import Notifier
    notifier = Notifier([NotifyEntry(url=SLACK_URL)], backoff=timedelta(seconds=1),
                        retry_for=timedelta(hours=1), config_path=Path("/srv/w/watcher.yaml"))
    assert notifier.targets["entry-1"].style.config == "/srv/w/watcher.yaml"
    spaced = Notifier([NotifyEntry(url=SLACK_URL)], backoff=timedelta(seconds=1),
                      retry_for=timedelta(hours=1), config_path=Path("/srv/my w/w.yaml"))
    assert spaced.targets["entry-1"].style.config == "'/srv/my w/w.yaml'"  # copy-pasteable
    # a time, not "2h": the command lists the same hits when it is run the next day
    assert body.endswith(f"+{20 - shown} more entities in 2 documents: watcher hits "
                         "--config /etc/watcher/watcher.yaml --since 2025-03-03T09:14Z")


# -- quiet hours, digests, silences ---------------------------------------------------------

def test_quiet_hours_defer_and_never_drop(world, http_sink):
    quiet = {"from": "22:00", "to": "07:00", "timezone": "Europe/Berlin"}
    w = world([{"url": http_sink.url(), "quiet_hours": quiet}])
    w.clock.now = w.clock.now.replace(hour=22, minute=30)  # 23:30 in Berlin (UTC+1)
    w.drop("night-1.txt", "Vladimir Putin spoke at night.")
    w.clock.advance(hours=2)
    w.drop("night-2.txt", "Gazprom at night.")
    for _ in range(6):  # through the night, until 05:25 UTC (06:25 in Berlin)
        w.tick()
        w.clock.advance(minutes=59)
    assert http_sink.received() == []
    w.clock.now = w.clock.now.replace(hour=6, minute=0)  # 07:00 in Berlin: quiet ends
    w.tick()
    [body] = http_sink.received()  # what the night held, in one message
    assert body["title"] == "watcher: Vladimir Putin, Gazprom in 2 files"


def test_quiet_hours_also_hold_messages_already_in_the_outbox(world, http_sink):
    quiet = {"from": "12:00", "to": "13:00"}
    w = world([{"url": http_sink.url(), "quiet_hours": quiet}])
    w.drop("a.txt", "Vladimir Putin spoke.")
    w.dispatcher.flush()  # made at 09:14, not yet sent
    w.clock.now = w.clock.now.replace(hour=12, minute=30)
    w.dispatcher.drain()
    assert http_sink.received() == []
    [row] = w.outbox()
    assert row["attempts"] == 0 and row["next_attempt_at"].startswith("2025-03-03 13:00")
    w.clock.now = w.clock.now.replace(hour=13, minute=0)
    w.dispatcher.drain()
    assert len(http_sink.received()) == 1


def test_digest_sends_what_waited_once_and_nothing_when_empty(world, smtp_sink):
    w = world([{"url": smtp_sink.url(), "name": "daily", "mode": "digest",
                "schedule": "0 8 * * mon-fri", "timezone": "Europe/Berlin"}])
    w.drop("a.txt", "Vladimir Putin spoke.")
    w.drop("b.txt", "Gazprom reported results.")
    w.tick()
    assert w.outbox() == []  # digest entries do not take part in the immediate flush
    assert w.dispatcher.digest("daily") == 1
    w.dispatcher.drain()
    mails = wait_for(lambda: smtp_sink.parsed(), what="the digest")
    assert mails[0]["subject"] == "watcher digest: Vladimir Putin, Gazprom in 2 files"
    html_part = mails[0].get_body(("html",)).get_content()
    assert "<mark><b>Vladimir Putin</b></mark> spoke" in html_part
    assert w.dispatcher.digest("daily") == 0  # nothing new: no digest
    w.dispatcher.drain()
    time.sleep(0.2)
    assert len(smtp_sink.messages) == 1


def test_missed_digest_runs_at_start(tmp_path):
    from datetime import UTC, datetime

    from watcher.scheduler import Jobs

    jobs = Jobs()
    ran = []
    yesterday = datetime.now(UTC) - timedelta(days=1, hours=1)
    jobs.add_digest("daily", "0 8 * * *", "UTC", ran.append, oldest_waiting=yesterday)
    jobs.add_digest("weekly", "0 8 * * *", "UTC", ran.append, oldest_waiting=None)
    assert jobs.scheduler.get_job("digest:daily").next_run_time <= datetime.now(UTC)
    assert jobs.scheduler.get_job("digest:weekly").next_run_time > datetime.now(UTC)


def test_silenced_hits_are_stored_not_sent(world, http_sink):
    w = world([{"url": http_sink.url()}])
    w.store.add_silence("putin", w.clock.now + timedelta(days=7), "summit week")
    w.drop("a.txt", "Vladimir Putin and Gazprom.")
    w.tick()
    assert [b["title"] for b in http_sink.received()] == ["watcher: Gazprom in a.txt"]
    assert len(w.store.hits(entity="putin")) == 1  # stored
    w.clock.advance(days=7, seconds=1)  # the silence expired: new hits are sent again
    w.drop("b.txt", "Vladimir Putin again.")
    w.tick()
    assert http_sink.received()[-1]["title"] == "watcher: Vladimir Putin in b.txt"
    assert len(http_sink.received()) == 2  # the silenced one is never sent


def test_a_silence_that_ended_while_a_hit_waited_still_covers_it(world, http_sink):
    """Found while silenced, held by a group window past the silence's end: not sent. A
    silence that ended before the hit covers nothing."""
    w = world([{"url": http_sink.url(), "group_wait": "2h"}])
    w.store.add_silence("gazprom", w.clock.now - timedelta(days=30), "long over")
    w.store.add_silence("putin", w.clock.now + timedelta(hours=1), "one hour")
    w.drop("a.txt", "Vladimir Putin and Gazprom.")
    w.tick()
    w.clock.advance(hours=2, seconds=1)  # the window closes after the silence ended
    w.tick()
    assert [b["title"] for b in http_sink.received()] == ["watcher: Gazprom in a.txt"]


def test_a_silence_also_covers_what_a_cooldown_held(world, http_sink):
    """A silence added while a cooldown holds a hit: the held hit is silenced too, not sent
    when the cooldown ends (a desk silences an entity to stop hearing of it)."""
    w = world([{"url": http_sink.url(), "repeat_interval": "90s"}])
    w.drop("a.txt", PUTIN.format(n=1))
    w.tick()
    w.clock.advance(seconds=3)
    w.drop("b.txt", PUTIN.format(n=2))
    w.tick()
    assert len(http_sink.received()) == 1 and w.store.counts()["waiting"] == 1
    w.clock.advance(seconds=2)
    w.store.add_silence("putin", w.clock.now + timedelta(hours=1), "enough")
    w.clock.advance(seconds=120)
    w.tick()
    assert len(http_sink.received()) == 1 and w.store.counts()["waiting"] == 0


# -- safe text --------------------------------------------------------------------------------

def test_hostile_document_gives_a_slack_payload_with_nothing_live(world, slack):
    w = world([{"url": SLACK_URL, "name": "slack"}])
    w.drop("<!here>.txt", HOSTILE)
    w.tick()
    [payload] = slack.payloads
    assert slack.urls == ["https://hooks.slack.com/services/T1AAAAAAA/B2BBBBBBB/"
                          "abcdefghijklmnopqrstuvwx"]
    path = str(w.inbox / "&lt;!here&gt;.txt")
    assert _payload_without_ts(payload) == {
        "mrkdwn": True,
        "attachments": [{
            "title": "watcher: Vladimir Putin in &lt;!here&gt;.txt",
            "text": "*Vladimir Putin* (person): 1 mention in &lt;!here&gt;.txt\n"
                    "• “&lt;!channel&gt; &lt;@\u2060U123&gt; *Vladimir Putin* "
                    "&lt;http://evil|https://bank&gt; &amp; more” — alias Vladimir Putin, "
                    "exact name, score 100\n"
                    f"file {path} · sha256 {payload_sha(w)} · found 2025-03-03 09:14 UTC",
            "color": "#3AA3E3",
            "footer_icon": ICON,
            "footer": "Apprise",
        }],
        "icon_url": ICON,
        "channel": "#alerts",
    }
    assert not _live_slack(payload)


def payload_sha(w) -> str:
    return w.store.outbox()[0].body.split("sha256 ")[1][:12]


def _live_slack(payload: dict) -> list[str]:
    """Slack control sequences exist only inside a literal <...>; @-words ping without one
    only through link_names, which we also refuse."""
    found = []
    for a in payload["attachments"]:
        for key in ("title", "text", "pretext", "fallback"):
            value = a.get(key) or ""
            found += re.findall(r"<[^>]*>?", value)
            found += re.findall(r"@(?:channel|here|everyone)\b", value)
    return found


def test_hostile_document_gives_an_email_that_shows_it_as_text(world, smtp_sink):
    w = world([{"url": smtp_sink.url(), "name": "desk"}])
    w.drop("<!here>.txt", HOSTILE + ".\r\nBcc: victim@example.org\r\n")
    w.tick()
    [mail] = wait_for(lambda: smtp_sink.parsed(), what="the email")
    assert mail["subject"] == "watcher: Vladimir Putin in <!here>.txt"
    assert mail["bcc"] is None and len(smtp_sink.messages[0].rcpt_tos) == 1
    html_part = mail.get_body(("html",)).get_content()
    path = html.escape(str(w.inbox / "<!here>.txt"))
    assert html_part.strip() == (
        "<p><b>Vladimir Putin</b> (person): 1 mention in &lt;!here&gt;.txt</p><ul><li>“"
        "&lt;!channel&gt; &lt;@U123&gt; <mark><b>Vladimir Putin</b></mark> "
        "&lt;http://evil|https://bank&gt; &amp; more. Bcc:…”"
        " — alias Vladimir Putin, exact name, score 100</li></ul><p><small>file "
        f"{path} · sha256 {payload_sha(w)} · found 2025-03-03 09:14 UTC</small></p>")
    text_part = mail.get_body(("plain",)).get_content()
    assert "<!channel> <@U123> Vladimir Putin <http://evil|https://bank> & more" in text_part


def test_email_subject_never_carries_a_line_break(world, smtp_sink):
    w = world([{"url": smtp_sink.url(), "title": "watch: {entities} in {files}"}])
    w.drop("x\r\nBcc: victim@example.org.txt", "Vladimir Putin spoke.")
    w.tick()
    [mail] = wait_for(lambda: smtp_sink.parsed(), what="the email")
    assert mail["bcc"] is None and "\n" not in mail["subject"]
    assert mail["subject"] == r"watch: Vladimir Putin in x\r\nBcc: victim@example.org.txt"


def test_fuzz_thousands_of_hostile_bodies_give_zero_live_slack_sequences(world, slack):
    """Random mentions and contexts full of Slack/markdown control characters, through the
    real Slack plugin: nothing live in any payload."""
    w = world([{"url": SLACK_URL, "name": "slack"}])
    notifier = w.notifier
    rng = random.Random(5)
    atoms = ["<", ">", "&", "!channel", "!here", "!everyone", "@U123", "@here", "@channel",
             "@everyone", "|", "http://evil", "https://bank", "mailto://x", "[", "]", "(",
             ")", "*", "**", "_", "~", "`", "```", "\\", "\\<", "\n", "\r", " ", "\t", "a",
             "é", "&lt;", "&gt;", "&amp;", "&#60;", "\u202e", ":", "#", "\u2028", "<<", ">>",
             "<!", "<@", "](", "](<", ">)", "!subteam^S1", "<#C123>", "\x00", "\x1b"]

    def junk(n: int) -> str:
        return "".join(rng.choice(atoms) for _ in range(rng.randint(0, n)))

    bodies = 3000
    for _ in range(bodies):
        mentions = tuple(Mention(text=junk(4) or "x", alias=junk(3), score=90,
                                 method="exact", detail=junk(3), start=0, end=1,
                                 before=junk(12), after=junk(12))
                         for _ in range(rng.randint(1, 3)))
        alert = Alert(entity_id="putin", entity_name=junk(3) or "n", entity_type="person",
                      tags=(), path=junk(6) + ".txt", sha256="0" * 64,
                      found_at="2025-03-03T09:14:00+00:00", mentions=mentions)
        msg = notifier.message("slack", [alert])
        assert notifier.send("slack", msg["title"], msg["body"], msg["body_format"]) is None
    assert len(slack.payloads) == bodies
    live = [(p["attachments"][0]["text"], _live_slack(p)) for p in slack.payloads
            if _live_slack(p)]
    assert live == []
    # and every @ a document wrote that could mention is broken by the invisible joiner
    for p in slack.payloads:
        assert LIVE_AT.search(p["attachments"][0]["text"]) is None


def test_discord_and_telegram_style_mentions_are_broken(world, http_sink):
    w = world([{"url": http_sink.url()}])
    w.drop("a.txt", "@everyone @here Vladimir Putin <@123456> spoke.")
    w.tick()
    message = http_sink.received()[0]["message"]
    assert f"@{WORD_JOINER}everyone @{WORD_JOINER}here [Vladimir Putin] " \
           f"<@{WORD_JOINER}123456>" in message
    assert LIVE_AT.search(message) is None


def test_an_at_inside_a_word_stays_as_written(world, http_sink):
    """x@evil.org, desk@reuters/: no chat mentions anyone there, and an address or a path
    copied from an alert must work."""
    w = world([{"url": http_sink.url()}])
    (w.inbox / "desk@reuters").mkdir()
    w.drop("desk@reuters/a.txt", "Vladimir Putin wrote to press@kremlin.ru.")
    w.tick()
    message = http_sink.received()[0]["message"]
    assert "press@kremlin.ru" in message and "desk@reuters/a.txt" in message, message


# an @ a chat could read as a mention: at a word's start, or before a broadcast keyword
LIVE_AT = re.compile(r"(?<!\w)@(?!\u2060)|@(?=(?:channel|here|everyone)\b)", re.I)


def test_templates_override_title_and_body_with_escaped_values(world, slack):
    w = world([{"url": SLACK_URL, "name": "slack", "title": "OSINT {entities} ({mentions})",
                "body": "{entities} in {files}\n{body}\n{unknown} {entities.__class__}"}])
    w.drop("<b>.txt", "Vladimir Putin spoke.")
    w.tick()
    [p] = slack.payloads
    assert p["attachments"][0]["title"] == "OSINT Vladimir Putin (1)"
    text = p["attachments"][0]["text"]
    assert text.startswith("Vladimir Putin in &lt;b&gt;.txt\n*Vladimir Putin* (person)")
    assert text.endswith("{unknown} {entities.__class__}")


# -- delivery ---------------------------------------------------------------------------------

def test_receiver_down_10_minutes_gets_every_message_once_across_a_restart(world, http_sink):
    w = world([{"url": http_sink.url(), "name": "hook"}])
    http_sink.status = 500
    start = w.clock.now
    for n, text in enumerate(["Vladimir Putin spoke.", "Gazprom reported.", "Kyiv at night.",
                              "Vladimir Putin again.", "Gazprom again."]):
        w.drop(f"{n}.txt", text)
    restarted = recovered = delivered = None
    while w.clock.now - start < timedelta(hours=2):
        w.tick()
        elapsed = w.clock.now - start
        if restarted is None and elapsed >= timedelta(minutes=5):
            restarted = w.restart()  # the daemon restarts in the middle of the outage
        if recovered is None and elapsed >= timedelta(minutes=10):
            http_sink.status, recovered = 200, w.clock.now
        if len(http_sink.received()) == 5 and delivered is None:
            delivered = w.clock.now
        w.clock.advance(seconds=5)
    titles = [b["title"] for b in http_sink.received()]
    assert sorted(titles) == sorted(set(titles)) and len(titles) == 5  # each exactly once
    assert {r["status"] for r in w.outbox()} == {"sent"}
    assert http_sink.failures >= 5  # it was retried while down (backoff 30 s doubling)
    lag = delivered - recovered
    print(f"\nreceiver down 10 min: {http_sink.failures} failed attempts, all 5 delivered "
          f"{lag.total_seconds():.0f} s after recovery")
    assert lag <= timedelta(minutes=10)  # backoff is at most doubled past the outage


def test_one_failing_entry_never_blocks_or_resends_another(world, http_sink, slack):
    w = world([{"url": SLACK_URL, "name": "slack"}, {"url": http_sink.url(), "name": "hook"}])
    slack.status = 500
    for n in range(120):  # more due messages than one drain pass reads
        w.drop(f"{n}.txt", PUTIN.format(n=n))
    w.tick()
    assert len(http_sink.received()) == 120
    assert len(slack.urls) == 1  # one failed attempt for the down entry, not 120
    slack.status = 200
    w.clock.advance(minutes=1)
    w.tick()
    assert len(slack.payloads) == 120 and len(http_sink.received()) == 120


def test_a_service_apprise_spaces_out_does_not_hold_up_the_other_targets(
        world, http_sink, smtp_sink):
    """apprise allows one email per 5.5 s (it sleeps in notify()): a drain pass sends the
    other targets' messages and leaves the next email for a later pass, never sleeping."""
    w = world([{"url": smtp_sink.url(), "name": "mail"}, {"url": http_sink.url(), "name": "hook"}])
    for i, name in enumerate(["Vladimir Putin", "Gazprom", "Kyiv"]):
        w.drop(f"d{i}.txt", f"{name} was mentioned.")
    started = time.monotonic()
    assert w.tick() == 4  # three to the hook, one email
    assert time.monotonic() - started < 2.0
    assert len(http_sink.received()) == 3 and len(smtp_sink.messages) == 1
    assert w.tick() == 0  # the next email is not due with apprise yet: nothing sleeps
    assert time.monotonic() - started < 2.0
    wait = w.notifier.wait_before_send("mail")
    assert 3.0 < wait <= 5.5
    time.sleep(wait)
    assert w.tick() == 1 and len(smtp_sink.messages) == 2


def test_dead_after_retry_for_raises_a_health_alert(world, http_sink, smtp_sink):
    w = world([{"url": http_sink.url(), "name": "hook"},
               {"url": smtp_sink.url(), "name": "ops", "health": True}],
              retry_for=timedelta(hours=1), config_path=Path("/etc/watcher/watcher.yaml"))
    http_sink.status = 500
    w.drop("a.txt", "Vladimir Putin spoke.")
    for _ in range(30):
        w.tick()
        w.clock.advance(minutes=5)
    assert [r["status"] for r in w.outbox("kind = 'alert'")] == ["dead"]
    [mail] = wait_for(lambda: smtp_sink.parsed(), what="the health alert")
    assert mail["subject"] == "alert delivery failed"
    body = mail.get_body(("plain",)).get_content()
    assert "to hook is dead after" in body
    # the commands it names work on a service host, where no config is found by default
    assert "watcher outbox retry --config /etc/watcher/watcher.yaml" in body
    assert w.store.retry("dead") == 1
    http_sink.status = 200
    w.tick()
    assert len(http_sink.received()) == 1


@pytest.mark.parametrize("entry, expected", [
    ({}, ["Vladimir Putin, Gazprom"]), ({"tags": ["energy"]}, ["Gazprom"]),
    ({"types": ["place"]}, []), ({"min_score": 101}, None)])
def test_routing_by_tags_types_and_score(world, http_sink, entry, expected):
    if expected is None:
        with pytest.raises(Exception, match="less than or equal to 100"):
            world([{"url": http_sink.url(), **entry}])
        return
    w = world([{"url": http_sink.url(), **entry}])
    w.drop("a.txt", "Vladimir Putin and Gazprom.")
    w.tick()
    assert [b["title"] for b in http_sink.received()] == [f"watcher: {names} in a.txt"
                                                         for names in expected]


# -- the daemon, real time --------------------------------------------------------------------

def test_daemon_immediate_alerts_arrive_well_under_a_second(make_daemon, http_sink):
    d = make_daemon(notify=[{"url": http_sink.url()}]).start()
    latencies = []
    for n in range(10):
        t0 = time.monotonic()
        d.drop(f"fast-{n}.txt", PUTIN.format(n=n), how="rename")
        wait_for(lambda n=n: len(http_sink.received()) == n + 1, what=f"alert {n}")
        latencies.append(time.monotonic() - t0)
    latencies.sort()
    print(f"\ndrop-to-alert: p50 {latencies[4] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    assert latencies[-1] < 1.0
    assert d.stop() == 0


def test_daemon_burst_of_50_documents_is_one_message_per_entry(make_daemon, http_sink,
                                                               smtp_sink):
    d = make_daemon(notify=[{"url": http_sink.url(), "name": "hook", "repeat_interval": "1h"},
                            {"url": smtp_sink.url(), "name": "mail",
                             "repeat_interval": "1h"}]).start()
    t0 = time.monotonic()
    for n in range(50):
        d.drop(f"burst-{n}.txt", PUTIN.format(n=n), how="rename")
        time.sleep(0.05)
    burst = time.monotonic() - t0
    wait_for(lambda: d.count("documents") == 50, what="50 documents")
    wait_for(lambda: d.count("pending", "state = 'new'") == 0, what="the flush")
    wait_for(lambda: http_sink.received() and smtp_sink.messages, what="the two messages")
    time.sleep(1.5)  # later drains and flushes send nothing more
    print(f"\nburst of 50 documents in {burst:.1f} s: {len(http_sink.received())} HTTP "
          f"message(s), {len(smtp_sink.messages)} email(s), "
          f"{d.count('pending', 'state = ' + repr('held'))} held for the roll-up")
    assert burst < 10
    assert len(http_sink.received()) == 1 and len(smtp_sink.messages) == 1
    assert d.count("pending", "state = 'held'") + d.count("pending", "state = 'sent'") == 100
    assert d.stop() == 0


def test_daemon_receiver_down_then_killed_and_restarted_gets_each_message_once(
        make_daemon, http_sink):
    http_sink.status = 500
    d = make_daemon(notify=[{"url": http_sink.url(), "name": "hook"}],
                    retry_max_backoff="1s").start()
    for n, text in enumerate(["Vladimir Putin spoke.", "Gazprom reported.", "Kyiv at night."]):
        d.drop(f"{n}.txt", text)
    wait_for(lambda: http_sink.failures >= 3, what="failed attempts")
    d.kill()  # SIGKILL in the middle of the outage
    d.start()
    failures = http_sink.failures
    wait_for(lambda: http_sink.failures > failures, what="retries after the restart")
    http_sink.status = 200
    wait_for(lambda: len(http_sink.received()) == 3, timeout=15, what="three deliveries")
    time.sleep(2.5)  # longer than the longest backoff: nothing is sent twice
    titles = sorted(b["title"] for b in http_sink.received())
    assert titles == ["watcher: Gazprom in 1.txt", "watcher: Kyiv in 2.txt",
                      "watcher: Vladimir Putin in 0.txt"]
    assert d.count("outbox", "status = 'sent'") == 3 and d.count("outbox") == 3
    assert d.stop() == 0


def test_daemon_rejects_a_bad_digest_schedule(make_daemon, http_sink):
    from conftest import run_cli

    d = make_daemon(notify=[{"url": http_sink.url(), "name": "daily", "mode": "digest",
                             "schedule": "0 25 * * *"}])
    result = run_cli("check", "--config", str(d.config))
    assert result.returncode == 2
    problem, = [line for line in result.stdout.splitlines() if "schedule '0 25" in line]
    assert problem.startswith(f"{d.config}:") and "notify entry 'daily'" in problem
    d.start(wait_ready=False)
    assert d.proc.wait(timeout=30) == 2
    assert problem in d.log()  # the daemon says what check says, with the line


# -- commands ---------------------------------------------------------------------------------

def test_a_dead_backlog_raises_one_health_alert_an_hour_not_one_per_message(
        world, http_sink, smtp_sink):
    """A target down past retry_for loses its backlog one message per pass: the health
    entry hears of the first at once and of the rest, counted, an hour later."""
    w = world([{"url": http_sink.url(), "name": "hook"},
               {"url": smtp_sink.url(), "name": "ops", "health": True}],
              retry_for=timedelta(hours=1))
    http_sink.status = 500
    for i, name in enumerate(["Vladimir Putin", "Gazprom", "Kyiv", "Volodymyr Zelensky"]):
        w.drop(f"d{i}.txt", f"{name} was mentioned.")
    for _ in range(40):  # 3 h 20 min
        w.tick()
        w.clock.advance(minutes=5)
    assert [r["status"] for r in w.outbox("kind = 'alert'")] == ["dead"] * 4
    bodies = [r["body"] for r in w.outbox("kind = 'health'")]
    assert len(bodies) == 2, bodies
    assert "to hook is dead after" in bodies[0] and "outbox retry" in bodies[0]
    assert bodies[1].startswith("3 more message(s) to hook died since ")
    # apprise spaces emails 5.5 s apart: the second goes out at a later pass
    mails = wait_for(lambda: w.tick() >= 0 and len(smtp_sink.parsed()) == 2 and
                     smtp_sink.parsed(), timeout=15, what="two health alerts")
    assert {m["subject"] for m in mails} == {"alert delivery failed"}


def test_silence_route_test_and_outbox_commands(make_daemon, http_sink):
    from conftest import run_cli

    quiet = {"from": "22:00", "to": "07:00", "timezone": "Europe/Berlin"}
    d = make_daemon(notify=[
        {"url": http_sink.url("a"), "name": "leaders", "tags": ["leaders"],
         "repeat_interval": "1h", "quiet_hours": quiet},
        {"url": http_sink.url("b"), "name": "energy", "tags": ["energy"], "min_score": 95},
        {"url": http_sink.url("c"), "name": "daily", "mode": "digest",
         "schedule": "0 8 * * mon-fri", "timezone": "Europe/Berlin"}])
    cfg = ("--config", str(d.config))

    out = run_cli("route-test", *cfg, "--entity", "putin").stdout
    assert "1. leaders json://127.0.0.1" in out
    assert "RECEIVES (tags ['leaders'] match) -> immediate, repeat_interval 3600s, " \
           "quiet 22:00-07:00 Europe/Berlin" in out
    assert "2. energy" in out and "no (no tag in common with ['energy']; min_score 95)" in out
    assert "3. daily" in out and "RECEIVES (receives every alert) -> digest, schedule " \
           "'0 8 * * mon-fri' Europe/Berlin" in out

    added = run_cli("silence", "add", *cfg, "--entity", "putin", "--for", "7d",
                    "--reason", "summit week")
    assert added.returncode == 0 and added.stdout.startswith("silence 1: putin until ")
    assert run_cli("silence", "add", *cfg, "--entity", "nobody").returncode == 2
    listed = run_cli("silence", "list", *cfg).stdout
    assert "putin" in listed and "active" in listed and "summit week" in listed
    assert "silenced now" in run_cli("route-test", *cfg, "--entity", "putin").stdout
    assert run_cli("silence", "remove", *cfg, "1").stdout.strip() == "silence 1 removed"
    assert run_cli("silence", "list", *cfg).stdout.strip() == "(none)"

    out = run_cli("outbox", *cfg).stdout
    assert out.startswith("0 pending, 0 failed, 0 sent, 0 dead; 0 notification(s) waiting")


def test_outbox_lists_whole_errors_as_jsonl(world, tmp_path):
    from conftest import free_port, run_cli

    w = world([{"url": f"json://127.0.0.1:{free_port()}/closed", "name": "hook"}])
    w.drop("a.txt", PUTIN.format(n=1))
    w.tick()
    config = tmp_path / "watcher.yaml"
    config.write_text(yaml.safe_dump({"inbox": str(w.inbox), "watchlist": str(tmp_path / "x"),
                                      "database": w.db_url, "notify": w.notify}))
    out = run_cli("outbox", "--config", str(config), "--format", "jsonl")
    (row,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert row["entry"] == "hook" and row["status"] == "failed" and row["attempts"] == 1
    assert len(row["error"]) > 60 and "Connection refused" in row["error"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", row["when"])


def test_apprise_debug_logging_never_shows_the_webhook_secret(make_daemon, http_sink):
    token = "S3cretT0kenValue9876"
    http_sink.status = 500
    d = make_daemon(notify=[{"url": http_sink.url("${HOOK_TOKEN}")}], log_level="DEBUG")
    d.start(env={"HOOK_TOKEN": token})
    d.drop("a.txt", "Vladimir Putin spoke.")
    wait_for(lambda: http_sink.failures >= 2, what="failed attempts")
    http_sink.status = 200
    wait_for(lambda: http_sink.received(), what="delivery")
    assert d.stop() == 0
    assert token not in d.log()
    assert token.encode() not in (d.data / "watcher.db").read_bytes()
    # after the logged failures, the delivery is logged too (at INFO, not only DEBUG)
    assert re.search(r"INFO watcher\.alerting: message 1 \(alert\) delivered to entry-1 at "
                     r"attempt [3-9]", d.log())


@pytest.mark.parametrize("now, expected", [
    ("2025-03-03T20:59:00+00:00", None),                          # 21:59 Berlin
    ("2025-03-03T21:00:00+00:00", "2025-03-04T06:00:00+00:00"),   # 22:00: until 07:00 CET
    ("2025-03-04T05:59:00+00:00", "2025-03-04T06:00:00+00:00"),
    ("2025-03-04T06:00:00+00:00", None),
    ("2025-03-29T22:00:00+00:00", "2025-03-30T05:00:00+00:00"),   # DST night: 07:00 CEST
])
def test_quiet_until_overnight_in_a_time_zone(now, expected):
    from datetime import datetime

    from watcher.config import QuietHours
    from watcher.policy import quiet_until

    q = QuietHours.model_validate({"from": "22:00", "to": "07:00", "timezone": "Europe/Berlin"})
    got = quiet_until(q, datetime.fromisoformat(now))
    assert (got.isoformat() if got else None) == expected
