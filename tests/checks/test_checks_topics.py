"""The topic map (data/topics.yml): its validation, the check that every mapped section exists in
both languages (`scripts/check.py topics`, part of `make check-source`), and the rendering of the
Topic Map page by handbook/topic-map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from check_support import run_check
from handbook.plugins.topic_map.plugin import (
    COVERAGE_MARKER,
    GROUPS_MARKER,
    NOT_TAUGHT_MARKER,
    TopicMapPlugin,
    expand,
    percent,
)
from handbook.topics import (
    TAUGHT,
    TOPICS_FILE,
    TopicMapError,
    load_topic_map,
    missing_anchors,
    parse_topic_map,
)
from mkdocs.exceptions import PluginError
from support import ROOT

SOURCE = """\
source:
  name: roadmap.sh Backend Developer Roadmap
  url: https://roadmap.sh/backend
  repository: https://github.com/kamranahmedse/developer-roadmap
  path: src/data/roadmaps/backend/backend.json
  commit: 5247e481ab3884d8fb1938c8175e254af29698e1
  read: 2026-12-07
"""

VALID = SOURCE + """\
groups:
  - id: caching
    node: ELj8af7Mi38kUbaPJfCUR
    label: Caching
    title: {id: Cache, en: Caching}
    topics:
      - node: ELj8af7Mi38kUbaPJfCUR
        label: Caching
        taught: duties/perf.md#caching-layers
      - node: Nq2BO53bHJdFT1rGZPjYx
        label: CDN
        gap:
          home: duties/perf.md#caching-layers
          id: CDN hanya disebut.
          en: CDNs are only mentioned.
      - node: xPvVwGQw28uMeLYIWn8yn
        label: Memcached
        out_of_scope: {id: Diajarkan lewat cache aplikasi., en: Taught through the app cache.}
      - node: dEsTje8kfHwWjCI3zcgLC
        label: MS SQL
        vendor: Microsoft
        out_of_scope: {id: Produk komersial., en: A commercial product.}
"""

PAGES = {
    "id": "---\ntitle: Optimasi Kinerja\n---\n\n# Optimasi Kinerja { #perf }\n\n"
          "## Lapisan Cache { #caching-layers }\n\nTeks.\n",
    "en": "---\ntitle: Performance Optimization\n---\n\n# Performance Optimization { #perf }\n\n"
          "## Caching Layers { #caching-layers }\n\nText.\n",
}


def make_project(tmp_path: Path, topics: str = VALID, pages: dict | None = None) -> Path:
    """A small project: mkdocs.yml, one page in each language and data/topics.yml."""
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    for lang, text in (PAGES if pages is None else pages).items():
        page = tmp_path / "docs" / lang / "duties" / "perf.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "topics.yml").write_text(topics, encoding="utf-8")
    return tmp_path


def problems(text: str) -> list[str]:
    with pytest.raises(TopicMapError) as error:
        parse_topic_map(text, Path("data/topics.yml"))
    lines = str(error.value).splitlines()
    for line in lines:  # every problem says where, what and how to fix it
        assert re.match(r"^data/topics\.yml:\d+: .+ — fix: .+$", line), line
    return lines


# --- the handbook's own map ---------------------------------------------------------------------

def test_the_handbooks_topic_map_is_valid_and_every_mapped_section_exists_in_both_languages():
    topic_map = load_topic_map(TOPICS_FILE)
    assert missing_anchors(topic_map, ROOT / "docs") == []
    assert len(topic_map.groups) == 21  # the roadmap's groups at the commit it was read at
    assert re.fullmatch(r"[0-9a-f]{40}", topic_map.source["commit"])
    figures = topic_map.coverage()
    assert figures["topics"] == len({t.node for t in topic_map.topics})  # one entry per node
    assert figures["counted"] == figures["taught"] + figures["out_of_scope"] + figures["gap"]
    # a vendor's product is named: the figure leaves it out for a stated reason
    assert all(t.vendor.strip() for t in topic_map.topics if t.vendor)


def test_check_topics_passes_on_the_handbook():
    result = run_check("topics")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check topics: 0 problems" in result.stderr


# --- validation ---------------------------------------------------------------------------------

def test_a_valid_map_loads_with_its_statuses_and_coverage():
    topic_map = parse_topic_map(VALID, Path("data/topics.yml"))
    assert [t.status for t in topic_map.topics] == [TAUGHT, "gap", "out_of_scope", "out_of_scope"]
    assert topic_map.topics[1].target == "duties/perf.md#caching-layers"
    assert topic_map.coverage() == {"topics": 4, "vendor": 1, "counted": 3, "taught": 1,
                                    "out_of_scope": 1, "gap": 1, "percent": 100 / 3}


def test_unknown_keys_are_refused_with_their_line():
    text = VALID.replace("        label: CDN\n", "        label: CDN\n        taugth: x.md#y\n")
    found = problems(text)
    assert any("unknown key 'taugth'" in line and line.startswith("data/topics.yml:19:")
               for line in found), found


def test_an_unknown_language_in_a_reason_is_refused():
    text = VALID.replace("en: A commercial product.}", "en: A commercial product., de: x}")
    assert any("out_of_scope reason has an unknown key 'de'" in line for line in problems(text))


def test_a_node_mapped_twice_is_refused_and_both_lines_are_named():
    text = VALID.replace("node: xPvVwGQw28uMeLYIWn8yn", "node: Nq2BO53bHJdFT1rGZPjYx")
    found = problems(text)
    assert any("mapped twice (first at line 17)" in line for line in found), found


def test_a_key_given_twice_in_one_entry_is_refused():
    text = VALID.replace("        label: CDN\n", "        label: CDN\n        label: CDN2\n")
    with pytest.raises(TopicMapError, match=r"data/topics\.yml:19: not valid YAML: key 'label' "
                       r"appears twice"):
        parse_topic_map(text, Path("data/topics.yml"))


def test_a_topic_needs_exactly_one_status():
    two = VALID.replace("        taught: duties/perf.md#caching-layers\n",
                        "        taught: duties/perf.md#caching-layers\n"
                        "        out_of_scope: {id: a, en: b}\n")
    assert any("has 2 statuses (taught, out_of_scope)" in line for line in problems(two))
    none = VALID.replace("        taught: duties/perf.md#caching-layers\n", "")
    assert any("has 0 statuses (none)" in line for line in problems(none))


def test_reasons_need_both_languages_and_targets_need_a_page_and_section():
    text = (VALID.replace("en: Taught through the app cache.", "en: ''")
            .replace("taught: duties/perf.md#caching-layers", "taught: duties/perf.md"))
    found = problems(text)
    assert any("out_of_scope reason has no 'en' text" in line for line in found), found
    assert any("taught 'duties/perf.md' is not a page and section" in line for line in found)


def test_duplicate_group_ids_labels_and_a_group_missing_its_own_node_are_refused():
    group = VALID[VALID.index("  - id: caching"):]
    text = VALID + group.replace("ELj8af7Mi38kUbaPJfCUR", "AAAAAAAAAAAAAAAAAAAAA", 1).replace(
        "Nq2BO53bHJdFT1rGZPjYx", "BBBBBBBBBBBBBBBBBBBBB").replace(
        "xPvVwGQw28uMeLYIWn8yn", "CCCCCCCCCCCCCCCCCCCCC").replace(
        "dEsTje8kfHwWjCI3zcgLC", "DDDDDDDDDDDDDDDDDDDDD").replace(
        "ELj8af7Mi38kUbaPJfCUR", "EEEEEEEEEEEEEEEEEEEEE").replace("label: MS SQL", "label: CDN")
    found = problems(text)
    assert any("group id 'caching' is already used at line 9" in line for line in found), found
    assert any("label 'CDN' appears twice in group 'caching'" in line for line in found), found
    assert any("its own roadmap node 'AAAAAAAAAAAAAAAAAAAAA' is not one of its topics" in line
               for line in found), found


def test_the_source_must_say_where_and_at_which_commit_the_roadmap_was_read():
    text = VALID.replace("  commit: 5247e481ab3884d8fb1938c8175e254af29698e1\n", "  commit: main\n")
    assert any("source commit 'main' is not a full 40-hex commit id" in line
               for line in problems(text))
    text = VALID.replace("  path: src/data/roadmaps/backend/backend.json\n", "")
    assert any("source has no 'path'" in line for line in problems(text))


def test_broken_yaml_is_one_line_with_its_place_not_a_traceback():
    with pytest.raises(TopicMapError, match=r"^data/topics\.yml:\d+: not valid YAML: .* — fix: "):
        parse_topic_map(VALID + "  - id: [unclosed\n", Path("data/topics.yml"))


# --- the anchors --------------------------------------------------------------------------------

def test_a_section_missing_in_one_language_is_named_with_the_line_that_maps_it(tmp_path):
    pages = dict(PAGES, en=PAGES["en"].replace("{ #caching-layers }", "{ #caches }"))
    project = make_project(tmp_path, pages=pages)
    found = missing_anchors(load_topic_map(project / "data" / "topics.yml"), project / "docs")
    # the taught topic (line 14) and the gap's home (entry at line 17) both point at the id
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in found] == ["14", "17"]
    assert "topic 'Caching': docs/en/duties/perf.md has no heading { #caching-layers }" in found[0]
    assert not any("docs/id/" in line for line in found)


def test_a_heading_inside_a_code_fence_is_not_an_anchor(tmp_path):
    fenced = PAGES["en"].replace("## Caching Layers { #caching-layers }",
                                 "```markdown\n## Caching Layers { #caching-layers }\n```")
    project = make_project(tmp_path, pages=dict(PAGES, en=fenced))
    assert missing_anchors(load_topic_map(project / "data" / "topics.yml"), project / "docs")


def test_check_topics_fails_with_file_line_what_and_fix(tmp_path):
    project = make_project(tmp_path, pages={"id": PAGES["id"]})  # no English twin at all
    result = run_check("topics", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(re.match(r"^data/topics\.yml:\d+: \[topics\] .+ — fix: .+$", line)
                         for line in lines), lines
    assert "docs/en/duties/perf.md does not exist" in lines[0]


def test_check_source_includes_the_topic_check(tmp_path):
    project = make_project(tmp_path, topics=VALID.replace("label: CDN\n", "label: CDN\n  oops\n"))
    result = run_check("source", cwd=project)
    assert result.returncode == 1
    assert "[topics]" in result.stdout and "not valid YAML" in result.stdout


# --- rendering ----------------------------------------------------------------------------------

def test_percent_rounds_down_and_writes_the_language_decimal_mark():
    assert percent(100 / 3, "id") == "33,3%"
    assert percent(100 / 3, "en") == "33.3%"
    assert percent(89.99, "en") == "89.9%"  # never rounded up to a goal it has not reached
    assert percent(53.125, "id") == "53,1%"


def test_the_page_gets_coverage_groups_and_the_not_taught_list(tmp_path):
    project = make_project(tmp_path)
    topic_map = load_topic_map(project / "data" / "topics.yml")
    page = f"{COVERAGE_MARKER}\n\n{GROUPS_MARKER}\n\n{NOT_TAUGHT_MARKER}\n"
    english = expand(page, topic_map, "en", project / "docs")
    assert english.startswith("Of the roadmap's 4 topics, 1 are a specific vendor's product and "
                              "are not counted. Of the other 3, 1 (33.3%) are taught")
    assert "The goal is 90%: 2 topics short." in english
    assert "### Caching { #caching }" in english
    assert ("| Caching | taught | [Performance Optimization: Caching Layers]"
            "(duties/perf.md#caching-layers) |") in english
    assert ("| CDN | not taught yet | CDNs are only mentioned. Natural home: [Performance "
            "Optimization: Caching Layers](duties/perf.md#caching-layers). |") in english
    assert "| MS SQL | out of scope (Microsoft product, not counted) |" in english
    assert "- **CDN** ([group Caching](#caching)): CDNs are only mentioned." in english
    indonesian = expand(page, topic_map, "id", project / "docs")
    assert "sebanyak 1 (33,3%) diajarkan" in indonesian
    assert "### Cache { #caching }" in indonesian
    assert ('| <span lang="en">Caching</span> | diajarkan | [Optimasi Kinerja: Lapisan Cache]'
            "(duties/perf.md#caching-layers) |") in indonesian
    assert all(marker not in indonesian for marker in (COVERAGE_MARKER, GROUPS_MARKER,
                                                       NOT_TAUGHT_MARKER))


class _File:
    def __init__(self, path: Path):
        self.abs_src_path = str(path)


class _Page:
    def __init__(self, path: Path):
        self.file = _File(path)


def _plugin(project: Path) -> TopicMapPlugin:
    plugin = TopicMapPlugin()
    errors, _warnings = plugin.load_config({"topics": str(project / "data" / "topics.yml")})
    assert not errors
    return plugin


class _Config:
    def __init__(self, project: Path, lang: str):
        self.docs_dir = str(project / "docs")
        self.theme = {"language": lang}


def test_the_plugin_builds_with_a_missing_twin_and_links_to_the_page_shown_instead(tmp_path):
    # A missing English twin is a state the site supports (the Indonesian page is shown with a
    # notice): the build goes on, and `check.py topics` is what reports it.
    project = make_project(tmp_path, pages={"id": PAGES["id"]})
    plugin = _plugin(project)
    page = _Page(project / "docs" / "en" / "topic-map.md")
    assert plugin.on_page_markdown("No marker.", page=page, config=_Config(project, "en"),
                                   files=None) == "No marker."
    rendered = plugin.on_page_markdown(GROUPS_MARKER, page=page, config=_Config(project, "en"),
                                       files=None)
    assert "[Optimasi Kinerja: Lapisan Cache](duties/perf.md#caching-layers)" in rendered
    assert missing_anchors(load_topic_map(project / "data" / "topics.yml"), project / "docs")


def test_the_plugin_fails_the_build_on_a_broken_map(tmp_path):
    project = make_project(tmp_path, topics=VALID.replace("label: CDN\n", "label: CDN\n  x\n"))
    page = _Page(project / "docs" / "id" / "topic-map.md")
    with pytest.raises(PluginError, match=r"data/topics\.yml:\d+: not valid YAML"):
        _plugin(project).on_page_markdown(COVERAGE_MARKER, page=page,
                                          config=_Config(project, "id"), files=None)


def test_the_handbooks_pages_hold_the_three_markers_in_both_languages():
    for lang in ("id", "en"):
        text = (ROOT / "docs" / lang / "topic-map.md").read_text(encoding="utf-8")
        for marker in (COVERAGE_MARKER, GROUPS_MARKER, NOT_TAUGHT_MARKER):
            assert text.count(marker) == 1, (lang, marker)
