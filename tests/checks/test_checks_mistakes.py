"""Contributor mistakes, one at a time (issue 16): each is made in a copy of a small clean site
(the fixture's clean pages, tests/checks/fixture/docs/*/guide.md and index.md), and the check
that runs before the build (`check.py source`, which `make check` runs first) must answer with
exactly the expected `file:line: [check] what — fix: how` lines and exit status 1, in a second or
two, without a traceback. The mistakes that used to crash a check, hang lint or bury the real
line under follow-on errors are also run through every other check (`check.py all`), which must
report the mistake once and nothing else.

The build meets the same mistakes when a contributor runs `make build` or `mkdocs serve` without
`make check`: the clean site is built with handbook/source-guard and handbook/diagrams, and a
strict build of each mistake must stop with the same lines, exit non-zero and show no traceback
(the build used to blame another page with a traceback, render broken front matter as text, or
take 79 s over a 5 MB page)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from check_support import CHECK_SCRIPT, FIXTURE
from handbook import diagrams

NAV = "\nnav:\n  - Beranda: index.md\n  - Panduan: guide.md\n"
# The clean site's renderer version (its own package-lock.json), so that the diagrams' file
# names do not change when the handbook upgrades mermaid.
RENDERER = "0.0.0-test"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><text>A B</text></svg>\n'


def plugins_on(config: str) -> str:
    """The fixture's mkdocs.yml with the handbook's source-guard (first) and diagrams plugins,
    missing includes refused as in the handbook, and minify off; the same number of lines, so
    the line numbers the nav mistakes expect hold."""
    replaced = [("plugins:\n  - search\n", "plugins:\n  - handbook/source-guard\n  - search\n"),
                (("  - minify:\n      minify_html: true\n      htmlmin_opts:\n"
                  "        remove_comments: true\n"),
                 "  - handbook/diagrams\n  - minify:\n      minify_html: false\n"),
                ("check_paths: false", "check_paths: true")]
    for old, new in replaced:
        assert old in config, old
        config = config.replace(old, new)
    return config


def render_fakes(site: Path) -> None:
    """An SVG pair for every mermaid fence of the site, as `make diagrams` would leave them."""
    output = site / "docs" / "assets" / "diagrams"
    output.mkdir(parents=True, exist_ok=True)
    for page in (site / "docs").rglob("*.md"):
        for diagram in diagrams.find(page.read_text(encoding="utf-8"), page, RENDERER):
            for palette in diagrams.THEMES:
                diagram.file(palette, output).write_text(SVG, encoding="utf-8")


def svg_name(fence_body: str) -> str:
    """The light SVG's file name for a fence with this body (handbook.diagrams' naming)."""
    return diagrams.find(f"```mermaid\n{fence_body}```\n", Path("x.md"), RENDERER)[0].file(
        "light").name


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    """The clean site: two pages per language, their code, their diagram rendered, and a nav."""
    root = tmp_path_factory.mktemp("clean-site")
    shutil.copytree(FIXTURE / "examples", root / "examples")
    shutil.copytree(FIXTURE / "docs" / "assets", root / "docs" / "assets")
    for lang in ("id", "en"):
        (root / "docs" / lang).mkdir()
        for name in ("guide.md", "index.md"):
            shutil.copy(FIXTURE / "docs" / lang / name, root / "docs" / lang / name)
    config = (FIXTURE / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(plugins_on(config) + NAV, encoding="utf-8")
    (root / "package-lock.json").write_text(
        json.dumps({"packages": {"node_modules/mermaid": {"version": RENDERER}}}),
        encoding="utf-8")
    render_fakes(root)
    return root


def run(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK_SCRIPT), *args], cwd=site,
                          capture_output=True, text=True, check=False, timeout=120)


def text_edit(old: str, new: str, count: int = 1) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8")
        assert old in text, old
        return text.replace(old, new, count).encode("utf-8")
    return edit


@dataclass
class Mistake:
    edits: dict[str, Callable[[bytes], bytes]]  # file (relative to the site) -> its mutation
    expected: list[str]  # the exact lines check.py prints on stdout
    status: int = 1
    new_files: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)


FIX_UTF8 = ("save the file as UTF-8 (in the editor: Save with Encoding › UTF-8) and check the "
            "characters on this line")
FIX_DIAGRAMS = "run `make diagrams` and commit docs/assets/diagrams/"
DIAGRAM = svg_name("flowchart LR\n    A --> B\n")  # the clean page's diagram
CHANGED = svg_name("flowchart LR\n    A --> C\n")
NEW = svg_name("flowchart TD\n    accTitle: New\n    X --> Y\n")
DARK = DIAGRAM.replace("-light", "-dark")
BODY = "Setiap blok berikut ditulis langsung di halaman dan sah menurut bahasanya."  # codespell:ignore

MISTAKES = {
    "a byte that is not UTF-8": Mistake(
        {"docs/id/guide.md": lambda d: d.replace(b"ini memakai", b"ini mem\xe9kai", 1)},
        [("docs/id/guide.md:8: [pages] not UTF-8: byte 0xE9 at column 16 is not a UTF-8 "
         "character (the file, or a part pasted into it, was saved in another encoding such as "
         f"Windows-1252) — fix: {FIX_UTF8}")]),
    "the same heading id twice (in both twins)": Mistake(
        {f"docs/{lang}/guide.md": text_edit("{ #code-blocks }", "{ #notes-and-tabs }")
         for lang in ("id", "en")},
        [f"docs/{lang}/guide.md:{line}: [pages] heading id #notes-and-tabs is already used at "
         f"line 13, so the page gets two id=\"notes-and-tabs\" and a link to #notes-and-tabs "
         "reaches only the first — fix: give this heading an id of its own (and the same in the "
         "twin)" for lang, line in (("en", 38), ("id", 38))]),
    "a heading id that is not lowercase words and hyphens": Mistake(
        {"docs/id/guide.md": text_edit("{ #code-blocks }", "{ #Code_Blocks }")},
        [("docs/id/guide.md:38: [pages] heading id #Code_Blocks is not lowercase English words "
         "joined by hyphens — fix: write it like { #session-security } (the same id in both "
         "twins)")]),
    "a snippet include naming a file that does not exist": Mistake(
        {"docs/id/guide.md": text_edit('"demo.py:greet"', '"demoo.py:greet"')},
        [("docs/id/guide.md:26: [snippets] snippet file demoo.py not found in examples/ — fix: "
         "check the path; it is relative to examples/")]),
    "a snippet include naming a section that does not exist": Mistake(
        {"docs/id/guide.md": text_edit('"demo.py:greet"', '"demo.py:greeting"')},
        [("docs/id/guide.md:26: [snippets] snippet section 'greeting' not found in demo.py — "
         "fix: did you mean demo.py:greet?")]),
    "front matter: a quote never closed": Mistake(
        {"docs/id/guide.md": text_edit("title: Panduan Bersih", 'title: "Panduan Bersih')},
        [("docs/id/guide.md:2: [pages] front matter is not valid YAML, so MkDocs shows it as "
         "page text: a quoted value starts on this line and its quote is never closed — fix: "
         "close the quote at the end of the value (or drop the quotes)")]),
    "front matter: a colon in a value": Mistake(
        {"docs/id/guide.md": text_edit("description: Halaman yang", "description: Catatan: yang")},
        [("docs/id/guide.md:3: [pages] front matter is not valid YAML, so MkDocs shows it as "
         "page text: a value holds \": \" without quotes — fix: put the value in double quotes: "
         "description: \"Kata: penjelasan\"")]),
    "front matter never closed": Mistake(
        {"docs/id/guide.md": text_edit("kesalahan.\n---\n", "kesalahan.\n\n")},
        [("docs/id/guide.md:1: [pages] front matter starts with --- but is never closed, so "
         "MkDocs shows it as page text — fix: end the front matter with a line ---")]),
    "front matter: a key twice": Mistake(
        {"docs/id/guide.md": text_edit("title: Panduan Bersih\n",
                                       "title: Panduan Bersih\ntitle: Panduan\n")},
        [("docs/id/guide.md:3: [pages] front matter sets 'title' twice (only the last one "
         "counts) — fix: keep one of them")]),
    "a page of 5 MB": Mistake(
        {"docs/id/guide.md": lambda d: d + (BODY.encode() + b"\n\n") * 70_000},
        [("docs/id/guide.md:1: [pages] page is 5,322 KB, over the limit of 200 KB (no other "
         "check reads it: a page this long slows the build, the search index and lint, and no "
         "reader gets through it) — fix: split it into pages of one topic each and link them; "
         "move long listings into examples/ and include the part that matters")]),
    "a code fence not closed before the next block": Mistake(
        {"docs/id/guide.md": text_edit("    return a + b\n```\n", "    return a + b\n\n")},
        [("docs/id/guide.md:42: [pages] code fence ``` is not closed before line 47, which "
          "opens another block (```json), so both blocks render wrong — fix: close this block "
          "with ``` before line 47")]),
    "a code fence never closed at the end of the page": Mistake(
        {"docs/id/guide.md": lambda d: d.rstrip(b"\n") + b"\n\n```python\nprint(1)\n"},
        [("docs/id/guide.md:123: [pages] code fence ``` is never closed, so the rest of the "
          "page renders as code — fix: close it with ``` on a line of its own, at the same "
          "indentation")]),
    "an admonition title without its closing quote": Mistake(
        {"docs/id/guide.md": text_edit('!!! tip "Kiat"', '!!! tip "Kiat')},
        [("docs/id/guide.md:15: [pages] admonition line not recognised, so it renders as plain "
         "text: '!!! tip \"Kiat' — fix: write it as !!! tip \"Judul\" (a type, then an optional "
         "title in double quotes, closed)")]),
    "an admonition whose body is not indented": Mistake(
        {"docs/id/guide.md": text_edit("    Tulis kode di", "Tulis kode di")},
        [("docs/id/guide.md:17: [pages] the body of the admonition at line 15 is not indented, "
         "so it is shown outside it (and the admonition is empty) — fix: indent its lines by 4 "
         "spaces")]),
    "an admonition type Material does not know": Mistake(
        {"docs/id/guide.md": text_edit('!!! tip "Kiat"', '!!! tpi "Kiat"')},
        [("docs/id/guide.md:15: [pages] admonition type 'tpi' is not one Material styles — fix: "
         "use one of: abstract, bug, danger, example, failure, info, note, question, quote, "
         "success, tip, warning (STYLE.md: tip, warning, note)")]),
    "a content tab title without quotes": Mistake(
        {"docs/id/guide.md": text_edit('=== "SQL"', "=== SQL")},
        [("docs/id/guide.md:29: [pages] content tab line not recognised, so it renders as plain "
         "text: '=== SQL' — fix: write it as === \"Python\" (a type, then an optional title in "
         "double quotes, closed)")]),
    "a content tab whose body is not indented": Mistake(
        {"docs/id/guide.md": text_edit('    ```sql title="books.sql"\n    --8<-- "books.sql:'
                                       'schema"\n    ```', '```sql title="books.sql"\n--8<-- '
                                       '"books.sql:schema"\n```')},
        [("docs/id/guide.md:31: [pages] the body of the content tab at line 29 is not indented, "
         "so it is shown outside it (and the content tab is empty) — fix: indent its lines by 4 "
         "spaces")]),
    "an HTML comment never closed": Mistake(
        {"docs/id/guide.md": text_edit(BODY, BODY + "\n<!-- catatan untuk penyunting")},
        [("docs/id/guide.md:41: [pages] HTML comment is never closed, so the rest of the page "
         "disappears from the built page — fix: end the comment with -->")]),
    "an invisible right-to-left override": Mistake(
        {"docs/id/guide.md": text_edit("ini memakai semua", "ini memakai\u202e semua")},
        [("docs/id/guide.md:8: [pages] invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at "
         "column 20 — fix: delete it: it changes how the text displays or reaches the page as "
         "an unreadable byte")]),
    "Windows line endings": Mistake(
        {"docs/id/guide.md": lambda d: d.replace(b"\n", b"\r\n")},
        [("docs/id/guide.md:1: [pages] Windows line endings (CRLF) on 121 lines — fix: save with "
         "LF line endings (.editorconfig: end_of_line = lf; on Windows: git config "
         "core.autocrlf input)")]),
    "a byte order mark": Mistake(
        {"docs/id/guide.md": lambda d: b"\xef\xbb\xbf" + d},
        [("docs/id/guide.md:1: [pages] file starts with a byte order mark (U+FEFF), which hides "
          "the front matter from lint — fix: save it as UTF-8 without BOM (.editorconfig: "
          "charset = utf-8)")]),
    "a new page left out of the nav": Mistake(
        {}, [("docs/id/baru.md:1: [pages] page is not in the nav of mkdocs.yml, so no menu leads "
             "to it — fix: add baru.md under nav: in mkdocs.yml (a new section also needs its "
             "title in nav_translations)")],
        new_files={"docs/id/baru.md": "---\ntitle: Baru\ndescription: Halaman baru.\n---\n\n"
                   "# Baru { #new }\n", "docs/en/baru.md": "---\ntitle: New\ndescription: A new "
                   "page.\n---\n\n# New { #new }\n"}),
    "a nav entry naming a page that does not exist": Mistake(
        {"mkdocs.yml": text_edit("  - Panduan: guide.md\n",
                                 "  - Panduan: guide.md\n  - Hilang: hilang.md\n")},
        [("mkdocs.yml:80: [pages] nav names hilang.md, which is not in docs/id/ — fix: correct "
         "the path, or create docs/id/hilang.md (and its twin)")]),
    "mkdocs.yml that does not parse": Mistake(
        {"mkdocs.yml": text_edit("  - Panduan: guide.md\n", "   - Panduan: guide.md\n")},
        [("mkdocs.yml:79: [config] mkdocs.yml is not valid YAML: expected <block end>, but found "
          "'<block sequence start>' (while parsing a block collection) — fix: indent nav "
          "entries by the same number of spaces as their siblings, start each with `- `, and "
          "quote a title that holds \": \"")]),
    "a mermaid diagram changed since it was rendered": Mistake(
        {"docs/id/guide.md": text_edit("    A --> B\n```", "    A --> C\n```")},
        [(f"docs/id/guide.md:116: [diagrams] mermaid diagram not rendered, or changed since it "
          f"was rendered (no {CHANGED} in docs/assets/diagrams/)"
          f" — fix: {FIX_DIAGRAMS}")]),
    "a new mermaid diagram never rendered": Mistake(
        {"docs/en/guide.md": lambda d: d.rstrip(b"\n") + b"\n\n```mermaid\nflowchart TD\n"
         b"    accTitle: New\n    X --> Y\n```\n"},
        [(f"docs/en/guide.md:53: [diagrams] mermaid diagram not rendered, or changed since it "
          f"was rendered (no {NEW} in "
          f"docs/assets/diagrams/) — fix: {FIX_DIAGRAMS}")]),
    "the dark rendering of a diagram deleted": Mistake(
        {}, [(f"docs/id/guide.md:116: [diagrams] the dark rendering of this mermaid diagram is "
              f"missing (docs/assets/diagrams/{DARK}) — fix: {FIX_DIAGRAMS}")],
        deleted=[f"docs/assets/diagrams/{DARK}"]),
    "package-lock.json left with merge conflict markers": Mistake(
        {"package-lock.json": lambda d: b"<<<<<<< HEAD\n" + d},
        [("package-lock.json:1: [diagrams] not valid JSON (Expecting value), so no diagram's file "
          "name can be computed — fix: resolve the merge conflict, or run `npm install` to write "
          "the file again")]),
}
# Mistakes that broke other checks (a crash, lint blaming its configuration, 13 minutes of lint,
# 24 follow-on lint errors): every check must now report them once.
EVERY_CHECK = ["a byte that is not UTF-8", "front matter: a quote never closed",
               "front matter never closed", "a page of 5 MB", "Windows line endings",
               "a code fence not closed before the next block",
               "a byte order mark"]


def make(clean: Path, tmp_path: Path, mistake: Mistake) -> Path:
    site = tmp_path / "site"
    shutil.copytree(clean, site)
    for name, edit in mistake.edits.items():
        path = site / name
        path.write_bytes(edit(path.read_bytes()))
    for name, text in mistake.new_files.items():
        (site / name).write_text(text, encoding="utf-8")
    for name in mistake.deleted:
        (site / name).unlink()
    return site


def findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^\S+?(:\d+)?: \[", line)]


def test_the_clean_site_is_clean(clean):
    result = run(clean, "source")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_gets_its_message_before_the_build(clean, tmp_path, name):
    mistake = MISTAKES[name]
    site = make(clean, tmp_path, mistake)
    result = run(site, "source")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert findings(result.stdout) == mistake.expected, result.stdout
    assert result.returncode == mistake.status, result.stderr


@pytest.mark.parametrize("name", EVERY_CHECK)
def test_every_check_reports_it_once_and_nothing_else(clean, tmp_path, name):
    mistake = MISTAKES[name]
    site = make(clean, tmp_path, mistake)
    result = run(site, "all", "--site", str(tmp_path / "no-site"))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    reported = [line for line in findings(result.stdout) if "no built site" not in line]
    assert reported == mistake.expected, result.stdout + result.stderr


# MkDocs reads mkdocs.yml before any plugin runs: its own one-paragraph error (no traceback) is
# what a contributor sees, and `check.py source` adds the line and the fix.
NOT_IN_BUILD = {"mkdocs.yml that does not parse"}
# Mistakes that stop every build, `mkdocs serve` included: MkDocs cannot get past them, or they
# corrupt the page without a word. The others stop a strict build and warn in `mkdocs serve`.
FATAL = ["a byte that is not UTF-8", "a snippet include naming a section that does not exist",
         "front matter: a colon in a value", "front matter never closed", "a page of 5 MB"]


def build(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args,
                           "--site-dir", str(site.parent / "built")], cwd=site,
                          capture_output=True, text=True, check=False, timeout=300)


def test_the_clean_site_builds_strict(clean):
    result = build(clean, "--strict", "--quiet")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", [name for name in MISTAKES if name not in NOT_IN_BUILD])
def test_the_strict_build_stops_on_each_mistake_with_the_same_message(clean, tmp_path, name):
    mistake = MISTAKES[name]
    result = build(make(clean, tmp_path, mistake), "--strict", "--quiet")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode != 0, result.stderr
    assert findings(result.stderr) == mistake.expected, result.stderr


@pytest.mark.parametrize("name", FATAL)
def test_a_build_that_is_not_strict_stops_on_a_mistake_it_cannot_get_past(clean, tmp_path,
                                                                          name):
    mistake = MISTAKES[name]
    result = build(make(clean, tmp_path, mistake), "--quiet")
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode != 0, result.stderr
    assert findings(result.stderr) == mistake.expected, result.stderr


def test_a_build_that_is_not_strict_warns_and_goes_on(clean, tmp_path):
    """`mkdocs serve` keeps showing a page with a heading id twice, and says where it is."""
    mistake = MISTAKES["the same heading id twice (in both twins)"]
    result = build(make(clean, tmp_path, mistake))
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    warned = [line.split("handbook/source-guard: ", 1)[1] for line in result.stderr.splitlines()
              if line.startswith("WARNING -  handbook/source-guard: ")]
    assert sorted(warned) == mistake.expected, result.stderr


def test_a_page_not_translated_yet_is_no_mistake(clean, tmp_path):
    """The English build falls back to the Indonesian page; source-guard must take the nav of
    the original language even in the English build (mkdocs-static-i18n then sets
    theme.language to en), or it reports the nav entry as missing."""
    site = make(clean, tmp_path, Mistake({}, [], status=0, deleted=["docs/en/guide.md"]))
    assert run(site, "source").stdout == ""
    result = build(site, "--strict", "--quiet")
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
