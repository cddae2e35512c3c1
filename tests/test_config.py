"""Config and watchlist validation: every problem named by file, line and entity."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from watcher.config import load_settings, load_watchlist, parse_duration
from watcher.errors import ConfigError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, loader=load_watchlist) -> list[str]:
    with pytest.raises(ConfigError) as info:
        loader(path)
    return info.value.problems


def test_valid_watchlist_loads_with_defaults(tmp_path):
    path = write(tmp_path, "wl.yaml", "entities:\n  - id: kyiv\n    name: Kyiv\n")
    (entity,) = load_watchlist(path)
    assert (entity.id, entity.name, entity.type, entity.aliases) == ("kyiv", "Kyiv", "other", ())


@pytest.mark.parametrize("body, line, expected", [
    ("  - id: a\n    name: A\n    alias: [x]\n", 4, "entity 'a': entities.0.alias: unknown key"),
    ("  - id: a\n    name: '  '\n", 3, "entity 'a': entities.0.name: Value error, name must"),
    ("  - id: a b\n    name: A\n", 2, "entities.0.id: Value error, id must be letters"),
    ("  - id: a\n    name: A\n    type: persn\n", 4, "entities.0.type: Input should be"),
    ("  - id: a\n    name: A\n    threshold: 120\n", 4, "threshold: Input should be less"),
    ("  - id: a\n", 2, "entity 'a': entities.0.name: missing key 'name'"),
])
def test_each_watchlist_mistake_names_file_line_and_entity(tmp_path, body, line, expected):
    path = write(tmp_path, "wl.yaml", "entities:\n" + body)
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:{line}: ")
    assert expected in problem


def test_all_problems_are_listed_together(tmp_path):
    path = write(tmp_path, "wl.yaml", "entities:\n"
                 "  - id: a\n    name: A\n"
                 "  - id: b\n    name: B\n    colour: red\n"
                 "  - id: a\n    name: Again\n")
    problems = problems_of(path)
    assert len(problems) == 2
    assert any(":6: entity 'b'" in p and "unknown key 'colour'" in p for p in problems)
    assert any(":7: entity 'a': duplicate id (first defined on line 2)" in p for p in problems)


def test_broken_yaml_and_duplicate_keys_name_the_line(tmp_path):
    broken = write(tmp_path, "broken.yaml", "entities:\n  - id: a\n    name: [Kyiv\n")
    assert problems_of(broken)[0].startswith(f"{broken}:3: invalid YAML")  # where [ opened
    unclosed = write(tmp_path, "unclosed.yaml", "entities:\n  - id: a\n    name: A\n"
                     "    aliases: [Mariupil,\n    tags: [x]\n  - id: b\n    name: B\n")
    (problem,) = problems_of(unclosed)
    assert problem.startswith(f"{unclosed}:4: invalid YAML: while parsing a flow sequence")
    assert problem.endswith("on line 6")
    dup = write(tmp_path, "dup.yaml", "entities:\n  - id: a\n    name: A\n    name: B\n")
    assert problems_of(dup) == [f"{dup}:4: duplicate key 'name'"]


def test_missing_file_is_a_clear_error(tmp_path):
    assert problems_of(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: file not found"]


def test_settings_resolve_paths_and_expand_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HOOK", "abc123")
    path = write(tmp_path, "watcher.yaml", "inbox: in\nwatchlist: wl.yaml\n"
                 "notify:\n  - url: json://127.0.0.1/${HOOK}\n    tags: [a]\n"
                 "  - url: json://127.0.0.1/${UNSET_VAR:-fallback}\n")
    settings = load_settings(path)
    assert settings.inbox == tmp_path / "in"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'watcher.db'}"
    assert [e.url for e in settings.notify] == ["json://127.0.0.1/abc123",
                                                 "json://127.0.0.1/fallback"]
    assert "abc123" not in repr(settings)


def test_a_secret_in_a_url_is_percent_encoded_where_it_would_break_the_url(tmp_path,
                                                                          monkeypatch):
    """A password with @ / # ? : keeps its place in the URL (user, password, query value);
    a value encoded by hand stays as it is; a variable holding a whole URL is not touched."""
    raw = "p@ss/w0rd#Frag?x=1 :&%"
    monkeypatch.setenv("PW", raw)
    monkeypatch.setenv("ENCODED", "p%40ss")
    monkeypatch.setenv("WHOLE", "json://127.0.0.1/a/b?c=d")
    path = write(tmp_path, "watcher.yaml", "inbox: in\nwatchlist: wl.yaml\n"
                 "database: postgresql+psycopg://bob:${PW}@db:5432/w\nnotify:\n"
                 "  - url: json://bob:${PW}@127.0.0.1:8080/hook/${PW}\n"
                 "  - url: mailtos://example.com?user=bob&pass=${PW}&to=a@example.com\n"
                 "  - url: json://bob:${ENCODED}@127.0.0.1/hook\n"
                 "  - url: ${WHOLE}\n")
    settings = load_settings(path)
    encoded = "p%40ss%2Fw0rd%23Frag%3Fx%3D1%20%3A%26%25"
    assert [e.url for e in settings.notify] == [
        f"json://bob:{encoded}@127.0.0.1:8080/hook/{raw}",  # a path is the user's to write
        f"mailtos://example.com?user=bob&pass={encoded}&to=a@example.com",
        "json://bob:p%40ss@127.0.0.1/hook", "json://127.0.0.1/a/b?c=d"]
    assert settings.database_url == f"postgresql+psycopg://bob:{encoded}@db:5432/w"
    assert apprise_password(settings.notify[0].url) == raw
    assert apprise_password(settings.notify[1].url) == raw
    from sqlalchemy.engine import make_url
    assert make_url(settings.database_url).password == raw


def apprise_password(url: str) -> str:
    import apprise

    return apprise.Apprise.instantiate(url).password


def test_unset_environment_variable_is_an_error_naming_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("NOPE_SECRET", raising=False)
    path = write(tmp_path, "watcher.yaml",
                 "inbox: in\nwatchlist: wl.yaml\nnotify:\n  - url: slack://${NOPE_SECRET}\n")
    assert problems_of(path, load_settings) == [
        f"{path}:4: notify.0.url: environment variable NOPE_SECRET is not set"]


def test_settings_typos_are_errors(tmp_path):
    path = write(tmp_path, "watcher.yaml", "inbox: in\nwatchlist: wl.yaml\ninbx: x\n"
                 "notify:\n  - url: json://x\n    mode: digest\n")
    problems = problems_of(path, load_settings)
    assert any(f"{path}:3:" in p and "unknown key 'inbx'" in p for p in problems)
    assert any(f"{path}:5:" in p and "digest needs a schedule" in p for p in problems)


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("10m", 600), ("24h", 86400),
                                           ("7d", 604800), ("1.5h", 5400), (45, 45)])
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


def test_check_command_lists_every_problem_and_exits_non_zero(tmp_path):
    write(tmp_path, "wl.yaml", "entities:\n  - id: a\n    name: ''\n  - id: a\n    name: B\n")
    config = write(tmp_path, "watcher.yaml", "inbox: in\nwatchlist: wl.yaml\n")
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 2
    assert "wl.yaml:3: entity 'a'" in result.stdout
    assert "duplicate id" in result.stdout


@pytest.mark.parametrize("key, value, line", [
    ("processed_dir", "in/done", 4), ("data_dir", "in/data", 4), ("data_dir", "in", 4),
    ("watchlist", "in/wl.yaml", 2)])
def test_what_the_daemon_writes_or_reads_is_refused_inside_the_inbox(tmp_path, key, value,
                                                                      line):
    """The daemon would read it as documents: its database and status file, the
    watchlist, what move mode moves."""
    config = {"inbox": "in", "watchlist": "wl.yaml", "after_processing": "move", key: value}
    if key == "watchlist":
        config = {"inbox": "in", "watchlist": value}
    path = write(tmp_path, "watcher.yaml", "".join(f"{k}: {v}\n" for k, v in config.items()))
    assert problems_of(path, load_settings) == [
        f"{path}:{line}: {key}: {tmp_path / value} is inside the inbox {tmp_path / 'in'}: "
        "the daemon would read it as documents; choose a place outside it"]


def test_move_folders_beside_the_inbox_are_fine(tmp_path):
    beside = write(tmp_path, "ok.yaml", "inbox: in\nwatchlist: wl.yaml\n"
                   "after_processing: move\nprocessed_dir: done\n")
    assert load_settings(beside).processed_dir == tmp_path / "done"


def test_quiet_hours_without_a_timezone_are_in_the_entrys(tmp_path):
    path = write(tmp_path, "watcher.yaml", "inbox: in\nwatchlist: wl.yaml\nnotify:\n"
                 "  - url: json://127.0.0.1/a\n    timezone: Europe/Berlin\n"
                 "    quiet_hours: {from: '22:00', to: '07:00'}\n"
                 "  - url: json://127.0.0.1/b\n    timezone: Europe/Berlin\n"
                 "    quiet_hours: {from: '22:00', to: '07:00', timezone: Asia/Tokyo}\n"
                 "  - url: json://127.0.0.1/c\n    quiet_hours: {from: '22:00', to: '07:00'}\n")
    zones = [e.quiet_hours.timezone for e in load_settings(path).notify]
    assert zones == ["Europe/Berlin", "Asia/Tokyo", "UTC"]


def test_a_missing_inbox_is_said_by_check_and_by_the_daemon_that_creates_it(make_daemon):
    d = make_daemon(inbox="typo-inbox")
    check = run_cli("check", "--config", str(d.config))
    assert check.returncode == 0
    assert "typo-inbox (does not exist yet: the daemon will create it)" in check.stdout
    d.start()
    assert "WARNING watcher.ingest: inbox" in d.log() and "typo-inbox did not exist" in d.log()
    assert d.stop() == 0
    d.start()  # there now: nothing more to say
    assert d.log().count("did not exist") == 1
    assert d.stop() == 0


def test_check_lists_every_problem_at_once_with_its_line(tmp_path):
    """A wrong key elsewhere does not hide a bad URL or cron expression until it is fixed."""
    write(tmp_path, "wl.yaml", "entities:\n  - id: a\n    name: A\n")
    config = write(tmp_path, "watcher.yaml",
                   "inbox: in\nwatchlist: wl.yaml\nworkerz: 3\nnotify:\n"
                   "  - name: hook\n    url: foo://bar\n"
                   "  - name: daily\n    url: json://127.0.0.1:1/x\n    mode: digest\n"
                   "    schedule: 61 8 * * *\n")
    check = run_cli("check", "--config", str(config))
    assert check.returncode == 2
    lines = check.stdout.splitlines()
    assert lines[0] == f"{config}:3: workerz: unknown key 'workerz'"
    assert lines[1] == (f"{config}:6: notify entry 'hook': not a valid apprise URL "
                        "(scheme 'foo'): Unparseable URL <the URL>")
    assert lines[2].startswith(f"{config}:10: notify entry 'daily': schedule '61 8 * * *'")
    assert "3 problem(s) found" in check.stderr


def test_a_url_apprise_refuses_says_why_without_its_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("MAIL_PW", "Sup3r-Secret-pw")
    write(tmp_path, "wl.yaml", "entities:\n  - id: a\n    name: A\n")
    config = write(tmp_path, "watcher.yaml",
                   "inbox: in\nwatchlist: wl.yaml\nnotify:\n  - name: mail\n"
                   "    url: mailtos://u:${MAIL_PW}@127.0.0.1:1?to=not-an-address\n")
    for command in ("check", "run"):
        result = run_cli(command, "--config", str(config), timeout=60)
        assert result.returncode == 2
        out = result.stdout + result.stderr
        assert f"{config}:5: notify entry 'mail': not a valid apprise URL (scheme 'mailtos'): " \
            "Invalid ~From~ email specified" in out, out
        assert "Sup3r" not in out and "S...w" not in out, out


def test_check_without_the_secrets_still_lists_the_other_problems(tmp_path, monkeypatch):
    """An operator's shell lacks the service's secrets: check says so, and still reports
    the config's other problems and the watchlist's, each with its line."""
    monkeypatch.delenv("NOPE_PASS", raising=False)
    write(tmp_path, "wl.yaml", "entities:\n  - id: a\n    name: A\n    typo: 1\n")
    config = write(tmp_path, "watcher.yaml",
                   "inbox: in\nwatchlist: wl.yaml\nworkers: -1\nnotify:\n"
                   "  - url: json://u:${NOPE_PASS}@127.0.0.1:1/x\n    min_score: 120\n")
    check = run_cli("check", "--config", str(config))
    assert check.returncode == 2
    lines = check.stdout.splitlines()
    assert lines[0] == f"{config}:5: notify.0.url: environment variable NOPE_PASS is not set"
    assert any(line.startswith(f"{config}:3: workers:") for line in lines), lines
    assert any(line.startswith(f"{config}:6: notify.0.min_score:") for line in lines), lines
    assert any(line.startswith(f"{tmp_path / 'wl.yaml'}:4:") and "typo" in line
               for line in lines), lines
    assert f"{len(lines)} problem(s) found" in check.stderr


@pytest.mark.parametrize("config_text, expected", [
    ("inbox: in\n", "missing key 'watchlist'"),
    ("inbox: [in\n", "invalid YAML"),
    ("inbox: in\nwatchlist: missing.yaml\n", "missing.yaml: file not found"),
    ("inbox: in\nwatchlist: wl.yaml\nnotify:\n  - url: notascheme://x\n", "not a valid apprise"),
])
def test_run_and_check_refuse_bad_config_with_a_clear_message(tmp_path, config_text, expected):
    write(tmp_path, "wl.yaml", "entities:\n  - id: a\n    name: A\n")
    config = write(tmp_path, "watcher.yaml", config_text)
    check = run_cli("check", "--config", str(config))
    assert check.returncode != 0 and expected in check.stdout + check.stderr
    run = run_cli("run", "--config", str(config), timeout=60)  # refuses to start, same words
    assert run.returncode != 0 and expected in run.stderr
    assert not (tmp_path / "data").exists()  # and leaves nothing behind (no database)


def test_yaml_aliases_may_share_a_list_but_not_multiply(tmp_path):
    """A shared list of tags is fine; nested aliases that multiply ("billion laughs": 700
    bytes, gigabytes once expanded) are refused at once, the served list untouched."""
    shared = write(tmp_path, "ok.yaml", "entities:\n"
                   "  - {id: a, name: Alpha Corp, type: org, tags: &t [energy, russia]}\n"
                   + "".join(f"  - {{id: e{i}, name: Name{i} Corp, type: org, tags: *t}}\n"
                             for i in range(200)))
    entities = load_watchlist(shared)
    assert len(entities) == 201 and entities[-1].tags == ("energy", "russia")
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefg", "bcdefgh",
                                                                     strict=True)]
    bomb = write(tmp_path, "bomb.yaml", "\n".join(levels) + "\nentities: [*h]\n")
    (problem,) = problems_of(bomb)  # before 9**8 values were made
    assert "YAML aliases (*name) expand to far more values than the file holds" in problem
