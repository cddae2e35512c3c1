"""YAML -> validated settings and watchlist.

Validation is pydantic's; what we add is the location: every problem names the file, the line
and, inside the watchlist, the entity, because a typo in a 2,000-line watchlist is otherwise
hopeless to find. All problems of a file are reported together, not the first one only.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ConfigError
from .models import ENTITY_TYPES, Entity

# -- YAML with line numbers ----------------------------------------------------------------

Loc = tuple[str | int, ...]


# libyaml's parser when PyYAML has it: a 100k-entity watchlist parses in about a second
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


@contextmanager
def gc_paused():
    """No cyclic GC while building millions of small acyclic objects (nodes, dicts, strings).

    The collector would otherwise rescan the growing heap again and again: on a 100k-entity
    watchlist that is most of the load time. Reference counting still frees everything.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compose(path: Path, text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        start, mark = exc.context_mark, exc.problem_mark or exc.context_mark
        if exc.context and start and mark and start.line < mark.line:
            # an unclosed [ or {: the parser notices lines later; the culprit is where it opened
            raise ConfigError(f"{path}:{start.line + 1}: invalid YAML: {exc.context} here, "
                              f"{exc.problem} on line {mark.line + 1}") from None
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def _construct(node: yaml.Node, loc: Loc, lines: dict[Loc, int] | None, problems: list[str],
               path: Path, scalar=None) -> Any:
    """Turn a node tree into plain Python, remembering the line of every value (unless
    `lines` is None: a fifth of a 100k-name watchlist's load time, for its errors only)."""
    if scalar is None:
        scalar = yaml.constructor.SafeConstructor().construct_object
    if lines is not None:
        lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if key_node.tag == _STR_TAG else scalar(key_node)
            if key in out:
                problems.append(f"{path}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            if lines is None:
                out[key] = _construct(value_node, loc, None, problems, path, scalar)
                continue
            out[key] = _construct(value_node, (*loc, key), lines, problems, path, scalar)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        if lines is None:
            return [_construct(v, loc, None, problems, path, scalar) for v in node.value]
        return [_construct(v, (*loc, i), lines, problems, path, scalar)
                for i, v in enumerate(node.value)]
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return scalar(node)


def _expanded(node: yaml.Node, seen: dict[int, int], path: Path) -> int:
    """How many values the node tree makes once its aliases are expanded: counted once per
    node, so a file of nested aliases is measured without expanding it."""
    key = id(node)
    if key in seen:
        if seen[key] < 0:
            raise ConfigError(f"{path}:{node.start_mark.line + 1}: a YAML alias (*name) "
                              "inside what it names: refused")
        return seen[key]
    seen[key] = -1
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, seen, path) + _expanded(v, seen, path)
                       for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded(v, seen, path) for v in node.value)
    else:
        size = 1
    seen[key] = size
    return size


# "- &tags", "[&a": without an anchor, no alias (the literal & first: a fast scan)
_ANCHOR = re.compile(r"(?<![^\s\[{,])&[^\s&]")


def load_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Read a YAML file; return its data and a map from key path to line number."""
    return parse_yaml(path, _read(path))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None


def parse_yaml(path: Path, text: str, with_lines: bool = True) -> tuple[Any, dict[Loc, int]]:
    """The data of a YAML file's text, and a map from key path to line number (empty unless
    `with_lines`)."""
    with gc_paused():
        node = _compose(path, text)
        lines: dict[Loc, int] = {}
        problems: list[str] = []
        # an alias repeats a part of the file: a few are fine (a shared list of tags), but
        # nested ones multiply ("billion laughs": 700 bytes that expand to gigabytes)
        if node is not None and _ANCHOR.search(text) and \
                _expanded(node, {}, path) > 10 * len(text) + 10_000:
            raise ConfigError(f"{path}: YAML aliases (*name) expand to far more values than "
                              "the file holds: refused")
        data = _construct(node, (), lines if with_lines else None, problems, path) \
            if node is not None else None
        del node
    if problems:
        raise ConfigError(problems)
    return data, lines


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _format_errors(path: Path, exc: ValidationError, data: Any, lines: dict[Loc, int],
                   label=None) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        line = _line_of(loc, lines)
        where = f"{path}:{line}" if line else str(path)
        what = label(loc, data) if label else ""
        key = ".".join(str(p) for p in loc) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r}"
        elif err["type"] == "missing":
            msg = f"missing key {loc[-1]!r}"
        problems.append(f"{where}: {what}{key}: {msg}")
    return problems


# -- durations ----------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNIT = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}


def parse_duration(value: str | int | float) -> timedelta:
    """'10s', '5m', '1h', '7d', '1.5h' or a number of seconds -> timedelta."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return timedelta(seconds=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30s, 10m, 24h, 7d)")
    return timedelta(seconds=float(match[1]) * _UNIT[match[2]])


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


# -- watchlist ----------------------------------------------------------------------------

_ID = re.compile(r"^[A-Za-z0-9_-]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class EntitySpec(_Strict):
    id: str
    name: str
    type: Literal["person", "place", "org", "other"] = "other"
    aliases: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    threshold: float | None = Field(default=None, ge=0, le=100)
    exact: bool = False
    exclude: list[str] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v):
        if isinstance(v, int) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, str) or not _ID.match(v):
            raise ValueError("id must be letters, digits, _ and - only")
        return v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str):
        if not v.strip():
            raise ValueError("name must not be empty")
        return v.strip()

    @field_validator("aliases", "exclude", "tags")
    @classmethod
    def _no_empty(cls, v: list[str]):
        if any(not isinstance(s, str) or not s.strip() for s in v):
            raise ValueError("entries must be non-empty strings")
        return [s.strip() for s in v]

    def to_entity(self) -> Entity:
        return Entity(
            id=self.id, name=self.name, type=self.type, aliases=tuple(self.aliases),
            tags=tuple(self.tags), threshold=self.threshold, exact=self.exact,
            exclude=tuple(self.exclude),
        )


class WatchlistSpec(_Strict):
    entities: list[EntitySpec]


assert set(ENTITY_TYPES) == set(EntitySpec.model_fields["type"].annotation.__args__)


def _entity_label(loc: Loc, data: Any) -> str:
    if len(loc) >= 2 and loc[0] == "entities" and isinstance(loc[1], int):
        try:
            ident = data["entities"][loc[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            ident = None
        return f"entity {ident!r}: " if ident is not None else f"entity #{loc[1] + 1}: "
    return ""


def load_watchlist(path: str | Path) -> tuple[Entity, ...]:
    """Load and validate a watchlist; raise ConfigError listing every problem."""
    # one pause for all of it, the parse freed before the collector is back: else it walks
    # the parsed file at each step (a third of a second each at 100k names)
    with gc_paused():
        return _load_watchlist(Path(path))


def _load_watchlist(path: Path) -> tuple[Entity, ...]:
    # the lines of its values only for an error: parsed again then, from the same text
    text = _read(path)
    data, _ = parse_yaml(path, text, with_lines=False)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: a watchlist is a mapping with an 'entities' list")
    try:
        spec = WatchlistSpec.model_validate(data)
    except ValidationError:
        spec = None
    if spec is not None and not _has_duplicate_ids(data):
        return tuple(e.to_entity() for e in spec.entities)
    data, lines = parse_yaml(path, text)
    problems = _duplicate_ids(path, data, lines)
    try:
        WatchlistSpec.model_validate(data)
    except ValidationError as exc:
        problems = _format_errors(path, exc, data, lines, _entity_label) + problems
    raise ConfigError(problems)


def _has_duplicate_ids(data: dict) -> bool:
    ids = [str(e["id"]) for e in data["entities"]]  # (valid: a list of mappings with ids)
    return len(set(ids)) < len(ids)


def _duplicate_ids(path: Path, data: dict, lines: dict[Loc, int]) -> list[str]:
    entities = data.get("entities")
    if not isinstance(entities, list):
        return []
    problems, seen = [], {}
    for i, ent in enumerate(entities):
        ident = str(ent.get("id")) if isinstance(ent, dict) and "id" in ent else None
        if ident is None:
            continue
        line = lines.get(("entities", i, "id"))
        if ident in seen:
            problems.append(f"{path}:{line}: entity {ident!r}: duplicate id "
                            f"(first defined on line {seen[ident]})")
        else:
            seen[ident] = line
    return problems


# -- daemon settings ----------------------------------------------------------------------

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def _expand(data: Any, loc: Loc, lines: dict[Loc, int], path: Path, problems: list[str],
            unset_ok: Callable[[Loc], bool] = lambda loc: False,
            secrets: set[str] | None = None) -> Any:
    """Replace ${VAR} (or ${VAR:-default}) from the environment, recursively. Where
    `unset_ok(loc)` holds, an unset variable is no problem: its ${VAR} text stays. What a variable
    puts into a notify entry goes into `secrets`, as it is and as the URL has it."""
    if isinstance(data, dict):
        return {k: _expand(v, (*loc, k), lines, path, problems, unset_ok, secrets)
                for k, v in data.items()}
    if isinstance(data, list):
        return [_expand(v, (*loc, i), lines, path, problems, unset_ok, secrets)
                for i, v in enumerate(data)]
    if not isinstance(data, str):
        return data

    def repl(m: re.Match) -> str:
        value = os.environ.get(m[1], m[2])
        if value is None and unset_ok(loc):
            return m[0]
        if value is None:
            key = ".".join(str(p) for p in loc)
            problems.append(f"{path}:{_line_of(loc, lines)}: {key}: environment variable "
                            f"{m[1]} is not set")
            return ""
        escaped = _url_escape(value) if _in_url_secret(data, m.start()) else value
        if secrets is not None and loc[:1] == ("notify",) and len(value) >= 3:
            secrets.update((value, escaped))
        return escaped

    return _VAR.sub(repl, data)


# In a URL's user, password or query value these would end that part early: a password
# "p@ss/word" would make "ss" the host, and show it in every message naming the target.
# A % that already starts an escape (%40) is left alone: values encoded by hand still work.
_URL_RESERVED = re.compile(r"%(?![0-9A-Fa-f]{2})|[@/?#:&=+\s]")


def _url_escape(value: str) -> str:
    return _URL_RESERVED.sub(lambda m: quote(m[0], safe=""), value)


def _in_url_secret(template: str, at: int) -> bool:
    """Whether position `at` of a URL template is in its user, password or a query value
    (apprise and SQLAlchemy decode those), not in its scheme, host or path."""
    scheme = template.find("://")
    if scheme < 0 or at < scheme + 3:
        return False
    start = scheme + 3
    end = min((i for i in (template.find(c, start) for c in "/?#") if i >= 0),
              default=len(template))
    if at < end:
        return at < template.rfind("@", start, end)
    query = template.find("?", start)
    return 0 <= query < at and template.rfind("=", query, at) > template.rfind("&", query, at)


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use e.g. Europe/Berlin or UTC)") from None
    return value


TimeZone = Annotated[str, AfterValidator(_timezone)]


class QuietHours(_Strict):
    """Messages are held from `from` to `to` (local time; may span midnight), then sent."""

    start: str = Field(alias="from", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(alias="to", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    timezone: TimeZone | None = None  # None: the entry's timezone


class NotifyEntry(_Strict):
    """One notification target and its policy. Only `url` is required."""

    url: str = Field(repr=False)  # may hold a secret: never repr'd, logged or stored
    name: str | None = None
    tags: list[str] = Field(default_factory=list)
    types: list[Literal["person", "place", "org", "other"]] = Field(default_factory=list)
    min_score: float = Field(default=0, ge=0, le=100)
    mode: Literal["immediate", "digest"] = "immediate"
    group_wait: Duration = timedelta(0)
    repeat_interval: Duration = timedelta(0)
    schedule: str | None = None  # cron, for mode: digest (checked by `watcher check`)
    timezone: TimeZone = "UTC"  # of the schedule and of times shown in messages
    quiet_hours: QuietHours | None = None
    title: str | None = None
    body: str | None = None
    health: bool = False  # receives health alerts (dead letters, bad watchlist edits)

    @model_validator(mode="after")
    def _digest_needs_schedule(self):
        if self.mode == "digest" and not self.schedule:
            raise ValueError("mode: digest needs a schedule (a cron expression)")
        return self

    @model_validator(mode="wrap")
    @classmethod
    def _quiet_hours_in_entry_timezone(cls, data, handler):
        """Quiet hours without a timezone of their own are in the entry's."""
        entry = handler(data)
        quiet = entry.quiet_hours
        if quiet is not None and quiet.timezone is None:
            quiet = quiet.model_copy(update={"timezone": entry.timezone})
            entry = entry.model_copy(update={"quiet_hours": quiet})
        return entry

    def key(self, index: int) -> str:
        """A stable name for this entry, stored in the outbox instead of the URL."""
        return self.name or f"entry-{index + 1}"


class Settings(_Strict):
    # what ${VAR}s put into notify entries: masked wherever a URL is shown (see load_settings)
    _env_secrets: tuple[str, ...] = PrivateAttr(default=())
    inbox: Path
    watchlist: Path
    data_dir: Path = Path("data")
    database: str | None = None
    notify: list[NotifyEntry] = Field(default_factory=list)
    after_processing: Literal["keep", "move"] = "keep"
    processed_dir: Path | None = None
    failed_dir: Path | None = None
    rescan_interval: Duration = timedelta(minutes=1)
    outbox_interval: Duration = timedelta(seconds=1)
    settle_time: Duration = timedelta(seconds=2)  # quiet time for files not closed by a writer
    max_file_size: int = Field(default=50 * 1024 * 1024, gt=0)
    retry_backoff: Duration = timedelta(seconds=30)  # first retry of a failed send
    retry_max_backoff: Duration = timedelta(hours=1)
    retry_for: Duration = timedelta(hours=48)  # then the message is dead
    workers: int = Field(default=0, ge=0)  # 0: one per core
    lease: Duration = timedelta(seconds=30)  # a dead daemon's claims are taken over after it
    # a worker with no progress for this long is stuck: the systemd watchdog pings stop
    stall_timeout: Duration = timedelta(minutes=2)
    metrics_port: int | None = Field(default=None, ge=1, le=65535)  # Prometheus, localhost
    log_level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"],
                         BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v)] = "INFO"
    config_path: Path | None = Field(default=None, exclude=True)

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.data_dir / 'watcher.db'}"

    def entry_keys(self) -> list[str]:
        return [e.key(i) for i, e in enumerate(self.notify)]


def _resolve(settings: Settings, base: Path) -> Settings:
    def rel(p: Path | None) -> Path | None:
        return None if p is None else _under(base, p)

    data_dir = rel(settings.data_dir)
    return settings.model_copy(update={
        "inbox": rel(settings.inbox),
        "watchlist": rel(settings.watchlist),
        "data_dir": data_dir,
        "processed_dir": rel(settings.processed_dir) or data_dir / "processed",
        "failed_dir": rel(settings.failed_dir) or data_dir / "failed",
        "database": _resolve_sqlite(settings.database, base),
    })


def _under(base: Path, p: str | Path) -> Path:
    """A path of the config, relative to its folder."""
    return (base / Path(p).expanduser()).resolve()


def _resolve_sqlite(url: str | None, base: Path) -> str | None:
    prefix = "sqlite:///"
    if url and url.startswith(prefix) and not url.startswith(prefix + "/"):
        rest = url[len(prefix):]
        if rest and rest != ":memory:":
            return prefix + str((base / rest).resolve())
    return url


def _unset_ok(notify_secrets: bool | int) -> Callable[[Loc], bool]:
    if notify_secrets is True:
        return lambda loc: False
    if notify_secrets is False:
        return lambda loc: loc[:1] == ("notify",)
    return lambda loc: loc[:1] == ("notify",) and loc[1:2] != (notify_secrets,)


def load_settings(path: str | Path, notify_secrets: bool | int = True) -> Settings:
    """Load the daemon config; relative paths resolve against the config file's folder.

    notify_secrets=False, for commands that send nothing (status, hits, outbox, ...): a
    ${VAR} in a notify entry may be unset, as in an operator's shell, where the secrets of
    the service's EnvironmentFile are not; the entry keeps the ${VAR} text. An int k: only
    notify entry k (from 0) needs its variables, for a command that sends to it alone."""
    path = Path(path).resolve()
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the config is a mapping (inbox, watchlist, notify, ...)")
    problems: list[str] = []
    secrets: set[str] = set()
    data = _expand(data, (), lines, path, problems, _unset_ok(notify_secrets), secrets)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        # every problem at once: an unset variable (an operator's shell) must not hide the
        # others, nor be reported twice where its empty value is invalid too
        unset = tuple(p.split(": environment variable ")[0] + ":" for p in problems)
        problems += [p for p in _format_errors(path, exc, data, lines)
                     if not p.startswith(unset) or not unset]
        raise ConfigError(problems) from None
    if problems:
        raise ConfigError(problems)
    keys = settings.entry_keys()
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise ConfigError(f"{path}: notify: duplicate entry names {sorted(dupes)}")
    settings = _resolve(settings, path.parent)
    # inside the inbox, the daemon would read its own files as documents: its database and
    # status file (written every second), the watchlist; in move mode each move would be a
    # new drop there, moved again, for ever
    inside = ["data_dir", "watchlist"] + (["processed_dir", "failed_dir"]
                                          if settings.after_processing == "move" else [])
    for key in inside:
        where = getattr(settings, key)
        if where.is_relative_to(settings.inbox):
            at = f"{path}:{lines[(key,)]}" if (key,) in lines else str(path)
            raise ConfigError(f"{at}: {key}: {where} is inside the inbox {settings.inbox}: "
                              "the daemon would read it as documents; choose a place "
                              "outside it")
    settings = settings.model_copy(update={"config_path": path})
    settings._env_secrets = tuple(sorted(secrets, key=len, reverse=True))
    return settings


def notify_entries(path: str | Path) -> list[tuple[int, NotifyEntry, dict[str, int]]]:
    """(index, entry, line of each of its keys) of each notify entry of a config that is
    valid on its own, its ${VAR}s set: what `check` tests against apprise and the scheduler
    even when another part of the config is wrong."""
    path = Path(path).resolve()
    try:
        data, lines = load_yaml(path)
    except ConfigError:
        return []
    items = data.get("notify") if isinstance(data, dict) else None
    out = []
    for i, raw in enumerate(items if isinstance(items, list) else []):
        problems: list[str] = []
        raw = _expand(raw, ("notify", i), lines, path, problems)
        if problems:
            continue  # an unset variable: reported by load_settings
        try:
            entry = NotifyEntry.model_validate(raw)
        except ValidationError:
            continue  # reported by load_settings, with its line
        keys = {loc[2]: line for loc, line in lines.items()
                if len(loc) == 3 and loc[:2] == ("notify", i)}
        out.append((i, entry, keys))
    return out


def check(path: str | Path) -> tuple[Settings | None, list[str]]:
    """Validate config and watchlist; return the settings and every problem found."""
    problems: list[str] = []
    settings = None
    try:
        settings = load_settings(path)
        watchlist = settings.watchlist
    except ConfigError as exc:
        problems.extend(exc.problems)
        watchlist = _watchlist_named(Path(path).resolve())  # still checked: its own file
    if watchlist is not None:
        try:
            load_watchlist(watchlist)
        except ConfigError as exc:
            problems.extend(exc.problems)
    return settings, problems


def _watchlist_named(path: Path) -> Path | None:
    """The watchlist file a config that does not load names, if it names one that exists."""
    try:
        data, _ = load_yaml(path)
    except ConfigError:
        return None
    name = data.get("watchlist") if isinstance(data, dict) else None
    if not isinstance(name, str) or "${" in name:
        return None
    found = _under(path.parent, name)
    return found if found.is_file() else None
