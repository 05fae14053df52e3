"""The parts of the checks one by one: Markdown reading, fence headers, validators, the language
heuristic, the external link check (against a server on 127.0.0.1), --status, and the CLI."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from check_support import FIXTURE, run_check
from checks import Finding, find_project
from checks.code import Block, check_html, check_http, check_sql
from checks.language import foreign
from checks.markdown import Page, scan_fences

LINE = re.compile(
    r"^\S.*?:(\d+:)? \[(links|external|code|translations|lint)( warning)?\] .+ — fix: .+$")


def write_page(tmp_path: Path, text: str) -> Page:
    path = tmp_path / "page.md"
    path.write_text(text, encoding="utf-8")
    return Page(path)


def block_of(text: str) -> Block:
    fence = scan_fences(text.split("\n"))[0]
    return Block(Path("page.md"), fence, fence.lang, "\n".join(fence.body), fence.lang)


# --- Markdown reading --------------------------------------------------------------------------

def test_fences_are_found_at_any_indentation_with_their_lines(tmp_path):
    md = write_page(tmp_path, "---\ntitle: x\n---\n\n!!! tip\n\n    ```python title=\"a.py\"\n"
                    "    print(1)\n    ```\n\n````markdown\n```text\ninner\n```\n````\n")
    fences = md.fences
    assert [(f.line, f.lang, f.options.get("title")) for f in fences] == [
        (7, "python", "a.py"), (11, "markdown", None)]
    assert fences[0].body == ["print(1)"]
    assert fences[1].body == ["```text", "inner", "```"]  # the inner fence is content


@pytest.mark.parametrize(("header", "lang", "attrs", "problem"), [
    ('sql {data-dialect="postgres"}', "sql", {"data-dialect": "postgres"}, False),
    ('sql {title="q.sql" data-run="sqlite"}', "sql", {"data-run": "sqlite"}, False),
    ('{ .sql data-dialect="mysql" }', "sql", {"data-dialect": "mysql"}, False),
    ('python title="a.py" linenums="1"', "python", {}, False),
    ('sql data-dialect="postgres"', "sql", {}, True),  # superfences drops this fence
    ('sql dialect="postgres"', "sql", {}, True),
])
def test_fence_headers_are_read_the_way_superfences_reads_them(header, lang, attrs, problem):
    fence = scan_fences([f"```{header}", "SELECT 1;", "```"])[0]
    assert fence.lang == lang
    assert fence.attrs == attrs
    assert bool(fence.problem) is problem


def test_headings_links_and_structures(tmp_path):
    lines = [
        "---", "title: T", "---", "# Judul { #top }", "## Tanpa Id", "```python", "# not a heading",
        "```", "Baca [x](a.md#b) dan ![gambar](../assets/p.png) serta `[no](code.md)`.",
        "[ref]: ../skills/x.md", "!!! tip \"Kiat\"", "=== \"Satu\"", "- [ ] satu", "- [x] dua",
        '--8<-- "demo.py:greet"', ';--8<-- "escaped.py"',
    ]
    md = write_page(tmp_path, "\n".join(lines))
    assert [(h.level, h.id) for h in md.headings] == [(1, "top"), (2, None)]
    assert [(link.url, link.image) for link in md.links] == [
        ("a.md#b", False), ("../assets/p.png", True), ("../skills/x.md", False)]
    assert md.admonitions == [(11, "tip")]
    assert md.tabs == [12] and md.tasks == [13, 14]
    assert [(i.line, i.target) for i in md.includes] == [(15, "demo.py:greet")]


# --- validators ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "ok"), [
    ("GET /api/v1/books HTTP/1.1\nHost: example.org\n", True),
    ('HTTP/1.1 200 OK\nContent-Type: application/json\n\n{"a": 1}\n\nHTTP/1.1 304 Not Modified',
     True),
    ("HTTP/2 404\n", True),
    ("get /x HTTP/1.1\n", False),  # methods are upper case
    ("GET /x HTTP/1.1\nHost example.org\n", False),  # no colon
    ("POST /x HTTP/1.1\nContent-Type: application/json\n\n{\"a\": }\n", False),  # bad JSON body
])
def test_http_messages(text, ok):
    block = block_of(f"```http\n{text}\n```")
    check_http(block)
    assert (not block.issues) is ok, block.issues


@pytest.mark.parametrize(("text", "ok"), [
    ("<ul><li>a<li>b</ul>", True),  # optional end tags
    ("<p>Hi <img src=x.png alt=x></p>", True),
    ("<div><span>x</div>", False),
    ("<section>x", False),
])
def test_html_tag_balance(text, ok):
    block = block_of(f"```html\n{text}\n```")
    check_html(block)
    assert (not block.issues) is ok, block.issues


@pytest.mark.parametrize(("header", "sql", "ok"), [
    ("sql", "SELECT 1;", True),
    ('sql {data-dialect="postgres"}', "SELECT now()::date;", True),
    ('sql {data-dialect="nosuchdb"}', "SELECT 1;", False),
    ("sql", "EXPLAIN QUERY PLAN SELECT * FROM t WHERE id = 1;", True),
    ("sql", "EXPLAIN QUERY PLAN SELEC * FROM t;", False),
    ("sql", "VACUUM;", True),
    ("sql", "SELECT * FROM (SELECT 1", False),
])
def test_sql(header, sql, ok):
    block = block_of(f"```{header}\n{sql}\n```")
    check_sql(block, "sql")
    assert (not block.issues) is ok, block.issues


def test_snippet_section_without_end_marker(tmp_path):
    from checks.code import Snippets

    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "a.py").write_text(
        "# --8<-- [start:open]\nx = 1\n# --8<-- [start:good]\ny = 2\n# --8<-- [end:good]\n")
    (tmp_path / "docs" / "id").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [examples]\n")
    snippets = Snippets(find_project(tmp_path / "docs", None, None))
    assert snippets.problem("a.py:good") is None
    assert "no end marker" in snippets.problem("a.py:open")[0]
    assert "did you mean a.py:good" in snippets.problem("a.py:goood")[1]
    assert "asks for line 40" in snippets.problem("a.py:40:41")[0]


# --- language ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("The server sends the response to the client when the data is ready.", "id", True),
    ("Server mengirim respons ke klien ketika data sudah siap untuk dikirim.", "id", False),
    ("Server mengirim respons ke klien ketika data sudah siap untuk dikirim.", "en", True),
    # English terms in an Indonesian sentence are expected, italicised or not.
    ("Jalankan *load balancer* di depan *cache* agar *throughput* naik dan latensi turun.", "id",
     False),
    # Link text and code are not prose.
    ("Baca [The Tail at Scale of the Web](https://example.org) untuk latar belakangnya.", "id",
     False),
    ("Too short for the heuristic.", "id", False),
])
def test_language_heuristic(text, lang, expected):
    assert foreign(text, lang) is expected


# --- external links ------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_HEAD(self):
        Handler.hits.append(self.path)
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(404 if self.path.startswith("/missing") else 200)
        self.end_headers()

    def do_GET(self):
        Handler.hits.append("GET " + self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_external_links_are_checked_cached_and_mapped(local_server, tmp_path):
    from checks import external

    links = [("a.html", f"{local_server}/ok", True), ("a.html", f"{local_server}/missing", True),
             ("b.html", f"{local_server}/missing#part", True), ("b.html", f"{local_server}/no-head",
                                                               True)]
    options = {"cache": str(tmp_path / "cache.json"), "per_host_interval": 0.0, "timeout": 5,
               "retries": 0}

    def locate(page, url, in_content=True):
        return f"docs/id/{page[:-5]}.md", 3

    findings, notes = external.run(links, locate, options)
    assert {(f.path, f.message) for f in findings} == {
        ("docs/id/a.md", f"{local_server}/missing: HTTP 404"),
        ("docs/id/b.md", f"{local_server}/missing#part: HTTP 404")}
    assert "GET /no-head" in Handler.hits  # HEAD refused: asked again with GET
    cached = json.loads((tmp_path / "cache.json").read_text())["results"]
    assert cached[f"{local_server}/ok"]["ok"] is True

    Handler.hits = []
    findings, notes = external.run(links, locate, options)
    assert "/ok" not in Handler.hits  # a working link comes from the cache
    assert "/missing" in Handler.hits  # a broken one is asked again
    assert "2 from the cache" in notes[0]


def test_external_check_without_network_skips_and_says_so(tmp_path):
    from checks import external

    # Port 9 on 127.0.0.1 (discard) refuses connections here: as good as no network.
    links = [("a.html", "http://127.0.0.1:9/x", True)]
    findings, notes = external.run(links, lambda p, u, c: ("a.md", 1),
                                   {"cache": str(tmp_path / "c.json"), "timeout": 1})
    assert findings == []
    assert notes[0].startswith("no network")


def test_host_limiter_spaces_requests_to_one_host():
    """With a fake clock (a time bound would fail on a busy machine): four requests to one host
    start 0.05 s apart, so the last three wait; a request to another host does not wait."""
    from checks.external import HostLimiter

    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))

    limiter = HostLimiter(0.05, clock=lambda: now[0], sleep=sleep)
    for _ in range(4):
        limiter.wait("example.org")
    assert slept == [0.05, 0.1, 0.15]  # the clock did not move: each waits for its turn
    limiter.wait("other.example")
    assert len(slept) == 3
    now[0] += 1.0  # later, the host is free again
    limiter.wait("example.org")
    assert len(slept) == 3


# --- --status and the command line -----------------------------------------------------------

def test_status_names_the_twin_that_changed_last(tmp_path):
    from checks import parity

    def git(*args: str, day: str = "01") -> None:
        date = f"2024-01-{day}T00:00:00"
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c",
                        "commit.gpgsign=false", *args], cwd=tmp_path, check=True,
                       capture_output=True, env=env)

    for lang in ("id", "en"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        for page in ("a.md", "b.md"):
            (tmp_path / "docs" / lang / page).write_text("x\n")
    (tmp_path / "mkdocs.yml").write_text("theme:\n  language: id\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    (tmp_path / "docs" / "id" / "b.md").write_text("changed\n")
    git("commit", "-qam", "two", day="03")
    report = parity.status_report(find_project(tmp_path / "docs", None, None))
    lines = {line.split()[0]: line for line in report.splitlines()[1:]}
    assert lines["a.md"].endswith("changed together")
    assert "en may be outdated: id changed 2 d after it" in lines["b.md"]


def test_cli_output_format_and_exit_status(fixture_site):
    result = run_check("all", "--site", str(fixture_site), cwd=FIXTURE)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), \
        [line for line in lines if not LINE.match(line)][:3]
    assert "check links:" in result.stderr and "check lint:" in result.stderr


def test_cli_checks_only_the_files_it_is_given():
    result = run_check("code", "docs/id/guide.md", cwd=FIXTURE)
    assert result.returncode == 0, result.stdout
    result = run_check("code", "docs/id/code.md", cwd=FIXTURE)
    assert result.returncode == 1 and "docs/en/" not in result.stdout
    result = run_check("translations", "docs/en/parity.md", cwd=FIXTURE)
    assert result.returncode == 1 and "docs/en/parity.md:" in result.stdout
    assert "headings.md" not in result.stdout


def test_cli_without_a_built_site_says_how_to_get_one(tmp_path):
    result = run_check("links", "--site", str(tmp_path / "nothing"), cwd=FIXTURE)
    assert result.returncode == 2
    assert "mkdocs build" in result.stderr


def test_finding_format():
    finding = Finding("docs/id/duties/x.md", 12, "links",
                      "missing anchor #foo in ../skills/y.md", "did you mean #for?")
    assert finding.format() == ("docs/id/duties/x.md:12: [links] missing anchor #foo in "
                                "../skills/y.md — fix: did you mean #for?")


def test_a_quotation_marked_with_its_language_is_not_reported(tmp_path):
    from checks.language import foreign_paragraphs

    quote = "The best way to get a project done faster is to start sooner than you think."
    md = write_page(tmp_path, f"---\ntitle: x\n---\n\n> {quote}\n{{ lang=\"en\" }}\n\n{quote}\n")
    assert [line for line, _ in foreign_paragraphs(md, "id")] == [8]


def test_a_fragment_is_looked_up_in_its_own_page(tmp_path):
    """Two pages of one folder link to #part; only one of them has it."""
    from checks import links

    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (tmp_path / "docs" / "id").mkdir(parents=True)
    (tmp_path / "docs" / "id" / "b.md").write_text("x")
    page = '<html lang="id"><body><article>{}<a href="#part">x</a></article></body></html>'
    (site / "index.html").write_text(page.format('<h2 id="part">P</h2>'))
    (site / "b.html").write_text(page.format(""))
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    project = find_project(tmp_path / "docs", tmp_path / "mkdocs.yml", site)
    problems = links.check(project, workers=1).problems
    assert [(p.page, p.message) for p in problems] == [("b.html", "missing anchor #part in b.md")]


@pytest.mark.parametrize(("lang", "tool", "good", "bad"), [
    ("bash", "bash", 'for f in *.md; do\n    echo "$f"\ndone', "if then fi"),
    ("javascript", "node", "const a = 1;\nconsole.log(a);", "function ("),
    ("javascript", "node", 'import x from "y";\nexport const a = x;', "export const = 1;"),
    ("php", "php", '<?php\necho "hi";', '<?php\necho "hi"'),
    ("ruby", "ruby", "puts 'hi'", "def x("),
    ("go", "gofmt", "x := 1\nfmt.Println(x)", "x := "),
])
def test_languages_checked_by_their_own_tools(lang, tool, good, bad):
    import shutil

    from checks.code import external_jobs

    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed (make system installs it)")
    for source, ok in ((good, True), (bad, False)):
        block = block_of(f"```{lang}\n{source}\n```")
        for job in external_jobs(block):
            job()
        assert (not block.issues) is ok, (source, block.issues)


def test_the_faster_pymarkdown_runner_finds_the_same(fixture_project):
    """scripts/checks/pymarkdown_runner.py only changes how tokens print in debug messages."""
    import sys

    from check_support import FIXTURE

    runner = FIXTURE.parents[2] / "scripts" / "checks" / "pymarkdown_runner.py"
    config = FIXTURE.parents[2] / ".pymarkdown.json"
    files = sorted(str(p) for p in (FIXTURE / "docs").rglob("*.md"))
    outputs = [subprocess.run([sys.executable, *command, "--config", str(config), "scan", *files],
                              capture_output=True, text=True, check=False).stdout
               for command in ([str(runner)], ["-m", "pymarkdown"])]
    assert outputs[0] == outputs[1]
    assert "MD004" in outputs[0]
