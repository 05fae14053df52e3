"""The topic map as data: data/topics.yml, roadmap.sh's Backend roadmap against this handbook.

Each roadmap topic is taught at one page#section (the English heading id, shared by both
languages), or is out of scope with a reason, or is a gap (not taught yet) with the page that
would teach it. `load_topic_map` validates the file (schema, unknown keys, duplicates) and raises
TopicMapError with one `file:line: what — fix: how` line per problem; `missing_anchors` says which
mapped sections do not exist in a language. The handbook/topic-map plugin renders the map and the
check `scripts/check.py topics` reports the same problems before a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from handbook.languages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TOPICS_FILE = ROOT / "data" / "topics.yml"
DOCS_DIR = ROOT / "docs"
# The comment in docs/<lang>/topic-map.md that the plugin replaces with the map.
TOPIC_MAP_MARKER = "<!-- topic-map -->"

TAUGHT, OUT_OF_SCOPE, GAP = "taught", "out_of_scope", "gap"
STATUSES = (TAUGHT, OUT_OF_SCOPE, GAP)

_SOURCE_KEYS = {"name", "url", "repository", "path", "commit", "read", "layout"}
_GROUP_KEYS = {"id", "node", "label", "title", "topics"}
_TOPIC_KEYS = {"node", "label", "vendor", *STATUSES}
_GAP_KEYS = {"home", *LANGUAGES}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COMMIT = re.compile(r"[0-9a-f]{40}")
_NODE = re.compile(r"[A-Za-z0-9_-]{8,40}")
# page.md#section-id, relative to docs/<lang>/: what a `taught` value and a gap's `home` hold.
_TARGET = re.compile(r"(?P<page>[a-z0-9][a-z0-9/_-]*\.md)(?:#(?P<anchor>[a-z0-9]+(?:-[a-z0-9]+)*))?")
# An explicit heading id, as STYLE.md asks for: `## Title { #some-id }`.
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*\{\s*#(?P<id>[^\s}]+)[^}]*\}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


class TopicMapError(ValueError):
    """data/topics.yml is not a valid topic map; the message has one line per problem."""


@dataclass(frozen=True)
class Topic:
    node: str
    label: str
    status: str
    line: int
    target: str = ""  # taught: page.md#id; gap: the page (and section) that would teach it
    reason: dict = field(default_factory=dict)  # out_of_scope and gap: {lang: text}
    vendor: str = ""  # the company whose product this is, if it is one

    @property
    def page(self) -> str:
        return self.target.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.target.partition("#")[2]


@dataclass(frozen=True)
class Group:
    id: str
    node: str
    label: str
    title: dict
    topics: tuple[Topic, ...]
    line: int


@dataclass(frozen=True)
class TopicMap:
    source: dict
    groups: tuple[Group, ...]
    path: Path

    @property
    def topics(self) -> list[Topic]:
        return [topic for group in self.groups for topic in group.topics]

    def coverage(self) -> dict:
        """The figures the page shows: every topic counts except a vendor's product."""
        topics = self.topics
        counted = [t for t in topics if not t.vendor]
        taught = [t for t in counted if t.status == TAUGHT]
        return {
            "topics": len(topics),
            "vendor": len(topics) - len(counted),
            "counted": len(counted),
            "taught": len(taught),
            "out_of_scope": sum(t.status == OUT_OF_SCOPE for t in counted),
            "gap": sum(t.status == GAP for t in counted),
            "percent": 100.0 * len(taught) / len(counted) if counted else 0.0,
        }


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps each mapping's line (`__line__`) and its keys' lines (`__keys__`),
    and refuses a key given twice (PyYAML would silently keep the last)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    key_lines: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one entry", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
        key_lines[key] = key_node.start_mark.line + 1
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keys__"] = key_lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.lines: list[str] = []

    def add(self, line: int, what: str, fix: str) -> None:
        self.lines.append(f"{_shown(self.path)}:{line}: {what} — fix: {fix}")


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _check_keys(entry: dict, allowed: set[str], what: str, problems: _Problems) -> None:
    for key in entry:
        if key not in ("__line__", "__keys__") and key not in allowed:
            problems.add(entry["__keys__"].get(key, entry["__line__"]),
                         f"{what} has an unknown key {key!r}",
                         f"use only {', '.join(sorted(allowed))} (a typo silently drops data)")


def _languages(value, line: int, what: str, problems: _Problems) -> dict:
    """{id: ..., en: ...}: one non-empty text per language."""
    if not isinstance(value, dict):
        problems.add(line, f"{what} must be a mapping with one text per language",
                     "write it as {id: \"...\", en: \"...\"}")
        return {}
    if "home" not in value:  # a gap's mapping is checked with its own keys by the caller
        _check_keys(value, set(LANGUAGES), what, problems)
    for lang in LANGUAGES:
        if not _text(value.get(lang)):
            problems.add(value.get("__line__", line), f"{what} has no {lang!r} text",
                         f"add {lang}: \"...\" (the page is rendered in both languages)")
    return {lang: str(value.get(lang, "")).strip() for lang in LANGUAGES}


def _target(value, line: int, what: str, problems: _Problems, *, anchor: bool) -> str:
    match = _TARGET.fullmatch(value) if isinstance(value, str) else None
    if not match or (anchor and not match.group("anchor")):
        form = "duties/x.md#section-id" if anchor else "duties/x.md or duties/x.md#section-id"
        problems.add(line, f"{what} {value!r} is not a page and section", f"write it as {form}, "
                     "the page relative to docs/<lang>/ and the heading's English id")
        return ""
    return value


def _topic(entry, seen_nodes: dict, problems: _Problems) -> Topic | None:
    if not isinstance(entry, dict):
        problems.add(0, f"a topic is {entry!r}, not a mapping",
                     "write each topic as `- node: ...` with label and one status")
        return None
    line = entry["__line__"]
    _check_keys(entry, _TOPIC_KEYS, "topic", problems)
    node, label = entry.get("node"), entry.get("label")
    if not isinstance(node, str) or not _NODE.fullmatch(node):
        problems.add(line, f"topic {label!r} has no valid roadmap node id ({node!r})",
                     "copy the node's id from the roadmap's JSON file (for example "
                     "SiYUdtYMDImRPmV2_XPkH)")
    elif node in seen_nodes:
        problems.add(line, f"roadmap node {node} is mapped twice (first at line "
                     f"{seen_nodes[node]})", "keep one entry per roadmap topic")
    else:
        seen_nodes[node] = line
    if not _text(label):
        problems.add(line, f"topic {node!r} has no label", "add label: the topic's name as "
                     "roadmap.sh shows it")
    vendor = entry.get("vendor", "")
    if vendor and not _text(vendor):
        problems.add(line, f"topic {label!r}: vendor must be the company's name",
                     "write vendor: Microsoft (or remove the key)")
    given = [s for s in STATUSES if s in entry]
    if len(given) != 1:
        problems.add(line, f"topic {label!r} has {len(given)} statuses "
                     f"({', '.join(given) or 'none'})", "give exactly one of taught: "
                     "page.md#section, out_of_scope: {id, en} or gap: {home, id, en}")
        return None
    status = given[0]
    value = entry[status]
    target, reason = "", {}
    if status == TAUGHT:
        target = _target(value, line, f"topic {label!r}: taught", problems, anchor=True)
    elif status == OUT_OF_SCOPE:
        reason = _languages(value, line, f"topic {label!r}: out_of_scope reason", problems)
    else:
        if not isinstance(value, dict):
            problems.add(line, f"topic {label!r}: gap must say where it would be taught and why",
                         "write gap: {home: page.md#section, id: \"...\", en: \"...\"}")
        else:
            _check_keys(value, _GAP_KEYS, f"topic {label!r}: gap", problems)
            target = _target(value.get("home"), value["__line__"], f"topic {label!r}: gap home",
                             problems, anchor=False)
            reason = _languages(value, line, f"topic {label!r}: gap", problems)
    return Topic(node=str(node), label=str(label or "").strip(), status=status, line=line,
                 target=target, reason=reason, vendor=str(vendor or "").strip())


def parse_topic_map(text: str, path: Path) -> TopicMap:
    """Validate the text of a topic map; TopicMapError lists every problem."""
    problems = _Problems(path)
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: no object tags
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(error, "problem", None) or str(error)
        raise TopicMapError(f"{_shown(path)}:{line}: not valid YAML: {problem} — fix: indent "
                            "entries alike, one key per line, quote text holding \": \"") from None
    if not isinstance(data, dict):
        raise TopicMapError(f"{_shown(path)}:1: the file must be a mapping with `source` and "
                            "`groups` — fix: start from the layout described at its top")
    _check_keys(data, {"source", "groups"}, "the file", problems)
    source = data.get("source")
    if not isinstance(source, dict):
        problems.add(1, "no `source` mapping (where and at which commit the roadmap was read)",
                     "add source: {name, url, repository, path, commit, read}")
        source = {"__line__": 1}
    _check_keys(source, _SOURCE_KEYS, "source", problems)
    for key in sorted(_SOURCE_KEYS - {"layout"}):
        if not _text(source.get(key)) and not hasattr(source.get(key), "isoformat"):
            problems.add(source["__line__"], f"source has no {key!r}",
                         f"add {key}: ... (readers must be able to find the same roadmap)")
    if _text(source.get("commit")) and not _COMMIT.fullmatch(source["commit"]):
        problems.add(source["__line__"], f"source commit {source['commit']!r} is not a full "
                     "40-hex commit id", "copy the whole commit id the roadmap was read at")
    groups_data = data.get("groups")
    if not isinstance(groups_data, list) or not groups_data:
        problems.add(data["__line__"], "no `groups` list", "add groups: one entry per group "
                     "of the roadmap, in the roadmap's order")
        groups_data = []
    groups: list[Group] = []
    seen_nodes: dict[str, int] = {}
    seen_ids: dict[str, int] = {}
    for entry in groups_data:
        if not isinstance(entry, dict):
            problems.add(data["__line__"], f"a group is {entry!r}, not a mapping",
                         "write each group as `- id: ...` with node, label, title and topics")
            continue
        line = entry["__line__"]
        _check_keys(entry, _GROUP_KEYS, "group", problems)
        gid = entry.get("id")
        if not isinstance(gid, str) or not _SLUG.fullmatch(gid):
            problems.add(line, f"group id {gid!r} is not lowercase English words joined by "
                         "hyphens", "write it like id: real-time-data (it becomes the heading id)")
        elif gid in seen_ids:
            problems.add(line, f"group id {gid!r} is already used at line {seen_ids[gid]}",
                         "give each group its own id")
        else:
            seen_ids[gid] = line
        if not _text(entry.get("label")):
            problems.add(line, f"group {gid!r} has no label", "add label: the group's name as "
                         "roadmap.sh shows it")
        title = _languages(entry.get("title"), line, f"group {gid!r}: title", problems)
        topics_data = entry.get("topics")
        if not isinstance(topics_data, list) or not topics_data:
            problems.add(line, f"group {gid!r} has no topics", "list its topics under topics:")
            topics_data = []
        topics = [t for t in (_topic(t, seen_nodes, problems) for t in topics_data) if t]
        labels: dict[str, int] = {}
        for topic in topics:
            if topic.label in labels:
                problems.add(topic.line, f"label {topic.label!r} appears twice in group {gid!r} "
                             f"(first at line {labels[topic.label]})",
                             "keep one entry per topic of the group")
            labels.setdefault(topic.label, topic.line)
        node = entry.get("node")
        if node not in {t.node for t in topics}:
            problems.add(line, f"group {gid!r}: its own roadmap node {node!r} is not one of its "
                         "topics", "list the group's own node first among its topics, so that "
                         "it is counted like the others")
        groups.append(Group(id=str(gid), node=str(node), label=str(entry.get("label", "")),
                            title=title, topics=tuple(topics), line=line))
    if problems.lines:
        raise TopicMapError("\n".join(problems.lines))
    clean = {k: v for k, v in source.items() if k not in ("__line__", "__keys__")}
    return TopicMap(source=clean, groups=tuple(groups), path=path)


def load_topic_map(path: str | Path = TOPICS_FILE) -> TopicMap:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TopicMapError(f"{_shown(path)}:0: cannot read the topic map ({error}) — fix: "
                            "restore data/topics.yml from git") from None
    return parse_topic_map(text, path)


_cache: dict[tuple[str, float], TopicMap] = {}


def cached_topic_map(path: str | Path = TOPICS_FILE) -> TopicMap:
    """load_topic_map, read again only when the file changes (`mkdocs serve`)."""
    path = Path(path)
    key = (str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_topic_map(path)
    return _cache[key]


def page_headings(path: Path) -> dict[str, str]:
    """The explicit heading ids of a Markdown page and their text (code fences skipped)."""
    headings: dict[str, str] = {}
    in_fence = ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return headings
    for line in lines:
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            in_fence = "" if in_fence == marker else (in_fence or marker)
            continue
        if in_fence:
            continue
        match = _HEADING.match(line)
        if match:
            headings.setdefault(match.group("id"), match.group("text").strip())
    return headings


def missing_anchors(topic_map: TopicMap, docs_dir: str | Path = DOCS_DIR) -> list[str]:
    """`file:line: what — fix: how` for every mapped section or gap home that a language lacks."""
    docs = Path(docs_dir)
    cache: dict[Path, dict[str, str] | None] = {}
    problems = _Problems(topic_map.path)
    for topic in topic_map.topics:
        if not topic.target:
            continue
        for lang in LANGUAGES:
            page = docs / lang / PurePosixPath(topic.page)
            if page not in cache:
                cache[page] = page_headings(page) if page.is_file() else None
            headings = cache[page]
            shown = f"docs/{lang}/{topic.page}"
            if headings is None:
                problems.add(topic.line, f"topic {topic.label!r}: {shown} does not exist",
                             f"write {shown} or map the topic to a page that exists in both "
                             "languages")
            elif topic.anchor and topic.anchor not in headings:
                problems.add(topic.line, f"topic {topic.label!r}: {shown} has no heading "
                             f"{{ #{topic.anchor} }}", f"use an id that {shown} has (ids are "
                             "the same in both twins) or add the section there")
    return problems.lines
