"""Code-sample check: every fenced block in docs/** is either included from the tested code
folders (pymdownx.snippets) or valid in its language.

What this adds that no library does: the decision, per block, of *how* to validate it, and the
mapping of every tool's complaint back to the page's line. The validating is done by the tools
that own each language: Python's compiler and ruff, json/tomllib/PyYAML, sqlglot and SQLite, bash
-n and ShellCheck, node --check, php -l, ruby -c, gofmt, lxml for XML, configparser; the snippet
paths and section markers are read with pymdownx.snippets' own parser. Two small validators are
our own because no library checks them strictly: HTTP messages (```http: request or status
line, then header fields) and HTML tag balance (HTML parsers recover silently from errors).

Attributes on a fence use the brace form, which pymdownx.superfences passes through (`data-*`
attributes are kept on the rendered block; the brace-less form drops a fence that has them):

    ```sql {data-dialect="postgres"}          parsed with sqlglot's postgres dialect
    ```sql {data-run="sqlite"}                also run in SQLite: the page's data-run blocks
                                              share one in-memory database, in page order
    ```sql {title="report.sql" data-dialect="sqlite" data-run="sqlite"}

Plain blocks, never validated: text, txt, plaintext, console (a shell session with its output),
output, log, mermaid, markdown/md.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import ERROR, WARNING, Finding, Project, display_path
from .markdown import Fence, Page, page

CHECK = "code"
PLAIN = {"text", "txt", "plain", "plaintext", "console", "output", "log", "mermaid",
         "markdown", "md", "shell-session", "bash-session"}
ALIASES = {
    "python": "python", "py": "python", "py3": "python", "python3": "python", "pycon": "pycon",
    "bash": "bash", "shell": "bash", "sh": "sh",
    "js": "javascript", "javascript": "javascript", "node": "javascript", "mjs": "javascript",
    "cjs": "javascript",
    "yml": "yaml", "yaml": "yaml", "json": "json", "toml": "toml",
    "sql": "sql", "postgresql": "sql", "postgres": "sql", "mysql": "sql", "sqlite": "sql",
    "http": "http", "html": "html", "htm": "html", "xml": "xml", "svg": "xml",
    "ini": "ini", "cfg": "ini", "systemd": "ini", "desktop": "ini",
    "diff": "diff", "patch": "diff", "udiff": "diff", "csv": "csv",
    "php": "php", "ruby": "ruby", "rb": "ruby", "go": "go", "golang": "go",
}
SQL_DIALECT_OF_LANGUAGE = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql",
                           "sqlite": "sqlite"}
# Ruff on page samples: syntax, and the mistakes that are wrong in any fragment. Names defined
# elsewhere (F821), imports shown for context (F401) and the like are normal in a fragment.
RUFF_ARGS = ["check", "--isolated", "--no-cache", "--output-format=json",
             "--target-version=py311", "--select=E4,E7,E9,F",
             "--ignore=F401,F811,F821,F841,E402"]
# ShellCheck on page samples: warnings and errors; a fragment may use variables set elsewhere.
SHELLCHECK_EXCLUDE = "SC2154,SC2034"
TOOL_TIMEOUT = 60


@dataclass
class Issue:
    line: int
    message: str
    fix: str = ""
    level: str = ERROR


@dataclass
class Block:
    path: Path
    fence: Fence
    lang: str  # normalised (python, sql, bash, ...)
    source: str
    declared: str = ""  # the language as written on the fence (postgresql, ...)
    issues: list[Issue] = field(default_factory=list)

    def at(self, offset: int | None) -> int:
        """Page line of a 1-based line inside the block (None: the fence line)."""
        if not offset or offset < 1:
            return self.fence.line
        return self.fence.body_line + min(offset, max(len(self.fence.body), 1)) - 1

    def add(self, offset: int | None, message: str, fix: str = "", level: str = ERROR) -> None:
        fix = fix or ("correct the block, or put the code in examples/ (tested) and include it "
                      "with --8<--")
        self.issues.append(Issue(self.at(offset), message, fix, level))


# --- snippets -------------------------------------------------------------------------------

class Snippets:
    """Checks `--8<--` includes with the same preprocessor (and settings) the build uses."""

    def __init__(self, project: Project):
        config = {"base_path": ["."], "check_paths": False, "url_download": False}
        for entry in project.mkdocs.get("markdown_extensions") or []:
            if isinstance(entry, dict) and isinstance(entry.get("pymdownx.snippets"), dict):
                config.update(entry["pymdownx.snippets"])
        bases = config.get("base_path") or ["."]
        bases = [bases] if isinstance(bases, str) else bases
        self.bases = [(project.root / base).resolve() for base in bases]
        self.url_download = bool(config.get("url_download"))
        import markdown

        md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={
            "pymdownx.snippets": {"base_path": [str(b) for b in self.bases], "check_paths": True}})
        self.pre = md.preprocessors["snippet"]
        self.folders = ", ".join(display_path(b) + "/" for b in self.bases)

    def problem(self, target: str) -> tuple[str, str] | None:
        """(message, fix) when an include would fail or include nothing, else None."""
        if re.match(r"^https?://", target):
            if self.url_download:
                return None
            return (f"snippet {target!r} is a URL", "copy the code into examples/ and include it")
        spec = self.pre.parse_snippet_target(target)
        if spec is None:
            return (f"snippet {target!r} names no file", 'write --8<-- "path/in/examples.py:name"')
        path = self.pre.get_snippet_path(spec["path"])
        if path is None:
            return (f"snippet file {spec['path']} not found in {self.folders}",
                    self._suggest_file(spec["path"]))
        try:
            lines = Path(path).read_bytes().decode("utf-8").split("\n")
        except UnicodeDecodeError as error:
            return (f"snippet file {spec['path']} is not UTF-8 (byte {error.start})",
                    "save the file as UTF-8")
        except OSError as error:
            return (f"snippet file {spec['path']} cannot be read: {error.strerror}",
                    "name a file, not a folder, under " + self.folders)
        if spec["section"]:
            return self._section_problem(spec["path"], spec["section"], lines)
        for start, end in zip(spec["start"], spec["end"]):
            # pymdownx counts starts from 0 (line 5 is 4); show the numbers as written.
            for number in (start + 1 if start is not None and start >= 0 else start, end):
                if number is not None and abs(number) > len(lines):
                    message = f"snippet {target!r} asks for line {number} of a " \
                              f"{len(lines)}-line file"
                    fix = "use a named section: # --8<-- [start:name] ... # --8<-- [end:name]"
                    return message, fix
        return None

    def _section_problem(self, name: str, section: str, lines: list[str]) -> tuple | None:
        starts, ends = set(), set()
        for line in lines:
            match = self.pre.match_section(line)
            if match and not match.group("escape"):
                (starts if match.group("type") == "start" else ends).add(match.group("name"))
        if section not in starts:
            import difflib

            close = difflib.get_close_matches(section, sorted(starts), n=1)
            hint = f"did you mean {name}:{close[0]}?" if close else (
                f"add `--8<-- [start:{section}]` and `--8<-- [end:{section}]` comments around the "
                f"code in {name}" + (f" (sections there: {', '.join(sorted(starts))})"
                                     if starts else ""))
            return f"snippet section {section!r} not found in {name}", hint
        if section not in ends:
            return (f"snippet section {section!r} in {name} has no end marker",
                    f"add `--8<-- [end:{section}]` after the code")
        return None

    def _suggest_file(self, wanted: str) -> str:
        name = Path(wanted).name
        for base in self.bases:
            for found in sorted(base.rglob(name)):
                return f"did you mean {found.relative_to(base).as_posix()}?"
        return "check the path; it is relative to " + self.folders


# --- validators -----------------------------------------------------------------------------

def check_python(block: Block) -> None:
    try:
        compile(block.source, "<block>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                dont_inherit=True)
    except SyntaxError as error:
        session = block.source.lstrip().startswith(">>>")
        block.add(error.lineno, f"Python syntax error: {error.msg}",
                  "an interactive session is ```pycon" if session else
                  "correct the code, or include it from examples/ where it is tested")


def check_pycon(block: Block) -> None:
    lines = [ln[4:] for ln in block.source.split("\n") if ln.startswith((">>> ", "... "))]
    try:
        compile("\n".join(lines), "<block>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as error:
        block.add(None, f"Python syntax error in the session: {error.msg}")


def check_json(block: Block) -> None:
    try:
        json.loads(block.source)
    except ValueError as error:
        block.add(getattr(error, "lineno", None), f"invalid JSON: {getattr(error, 'msg', error)}",
                  "JSON allows no comments, trailing commas or '...'; use ```text for a sketch")


def check_yaml(block: Block) -> None:
    import yaml

    try:
        for _ in yaml.load_all(block.source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).split("\n")[0]
        block.add(mark.line + 1 if mark else None, f"invalid YAML: {problem}")


def check_toml(block: Block) -> None:
    import tomllib

    try:
        tomllib.loads(block.source)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+)", str(error))
        line = int(match.group(1)) if match else (
            len(block.fence.body) if "end of document" in str(error) else None)
        block.add(line, f"invalid TOML: {error}")


_SQL_OK_COMMANDS = {"VACUUM", "REINDEX", "CHECKPOINT"}


def check_sql(block: Block, language: str) -> None:
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    attrs = block.fence.attrs
    dialect = attrs.get("data-dialect") or SQL_DIALECT_OF_LANGUAGE.get(language) or (
        "sqlite" if attrs.get("data-run") == "sqlite" else None)
    if dialect:
        try:
            Dialect.get_or_raise(dialect)
        except ValueError:
            block.add(None, f"unknown SQL dialect {dialect!r}",
                      "use a sqlglot dialect name: postgres, mysql, sqlite, tsql, ...")
            return

    def parse(text: str, offset: int = 0) -> bool:
        try:
            statements = sqlglot.parse(text, read=dialect)
        except (ParseError, TokenError) as error:
            details = getattr(error, "errors", None) or [{}]
            line = details[0].get("line")
            message = details[0].get("description") or str(error).split("\n")[0]
            block.add((line or 1) + offset if line else None, f"SQL does not parse "
                      f"({dialect or 'generic'} dialect): {message}",
                      'correct it, or set the dialect: ```sql {data-dialect="postgres"}')
            return False
        for statement in statements:
            if isinstance(statement, exp.Command):
                keyword = str(statement.this).upper()
                rest = statement.expression.name if statement.expression else ""
                if keyword == "EXPLAIN":
                    inner = re.sub(r"^\s*(?:QUERY\s+PLAN|ANALYZE|VERBOSE|\([^)]*\))\s*", "",
                                   rest, flags=re.IGNORECASE)
                    if inner and not parse(inner, offset):
                        return False
                elif keyword not in _SQL_OK_COMMANDS:
                    block.add(None, f"sqlglot does not understand the statement {keyword} "
                              f"({dialect or 'generic'} dialect)",
                              'set data-dialect, or add data-run="sqlite" so SQLite checks it')
                    return False
        return True

    parse(block.source)


def run_sqlite(blocks: list[Block]) -> None:
    """Run the page's data-run="sqlite" blocks, in order, in one in-memory database."""
    import sqlite3

    connection = sqlite3.connect(":memory:")
    try:
        for block in blocks:
            try:
                connection.executescript(block.source)
            except sqlite3.Error as error:
                block.add(None, f"SQLite refuses this block: {error}",
                          "blocks with data-run share one database per page, in page order: "
                          "create the tables in an earlier block")
    finally:
        connection.close()


_METHOD = r"[A-Z][A-Z0-9_-]*"
_REQUEST_LINE = re.compile(rf"^{_METHOD} \S+(?: HTTP/\d(?:\.\d)?)?$")
_STATUS_LINE = re.compile(r"^HTTP/\d(?:\.\d)? [1-5]\d\d(?: .*)?$")
_FIELD = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*\S?.*$")


def check_http(block: Block) -> None:
    """HTTP messages (RFC 9112 syntax): a request line or a status line, header fields, an empty
    line, a body; several messages are separated by an empty line. JSON bodies must parse."""
    lines = block.source.split("\n")
    i = 0
    while i < len(lines):
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i >= len(lines):
            break
        start = lines[i]
        if not (_REQUEST_LINE.match(start) or _STATUS_LINE.match(start)):
            block.add(i + 1, f"not an HTTP request or status line: {start.strip()[:60]!r}",
                      "start with e.g. `GET /api/v1/books HTTP/1.1` or `HTTP/1.1 200 OK`")
            return
        i += 1
        content_type = ""
        while i < len(lines) and lines[i].strip():
            if not _FIELD.match(lines[i]):
                block.add(i + 1, f"not a header field: {lines[i].strip()[:60]!r}",
                          "write `Name: value`, one field per line, then an empty line")
                return
            name, _, value = lines[i].partition(":")
            if name.lower() == "content-type":
                content_type = value.strip().lower()
            i += 1
        body_start = i + 1
        body: list[str] = []
        i += 1
        while i < len(lines):
            if not lines[i - 1].strip() and (_REQUEST_LINE.match(lines[i]) or
                                            _STATUS_LINE.match(lines[i])):
                break
            body.append(lines[i])
            i += 1
        text = "\n".join(body).strip()
        if text and re.search(r"[/+]json\b", content_type):
            try:
                json.loads(text)
            except ValueError as error:
                block.add(body_start + getattr(error, "lineno", 1),
                          f"the JSON body does not parse: {getattr(error, 'msg', error)}")


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_OPTIONAL_END = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
                 "tfoot", "colgroup", "rp", "rt", "html", "head", "body"}


def check_html(block: Block) -> None:
    """Tag balance: every element that needs an end tag is closed, in order."""
    from html.parser import HTMLParser

    stack: list[tuple[str, int]] = []
    problems: list[tuple[int, str]] = []

    class Balance(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in _VOID:
                stack.append((tag, self.getpos()[0]))

        def handle_startendtag(self, tag, attrs):
            pass

        def handle_endtag(self, tag):
            if tag in _VOID:
                return
            while stack and stack[-1][0] != tag and stack[-1][0] in _OPTIONAL_END:
                stack.pop()
            if stack and stack[-1][0] == tag:
                stack.pop()
            else:
                problems.append((self.getpos()[0], f"</{tag}> closes nothing open"))

    parser = Balance(convert_charrefs=True)
    parser.feed(block.source)
    parser.close()
    problems += [(line, f"<{tag}> is never closed") for tag, line in stack
                 if tag not in _OPTIONAL_END]
    if problems:
        line, message = min(problems)
        block.add(line, f"HTML: {message}")


def check_xml(block: Block) -> None:
    from lxml import etree

    try:
        etree.fromstring(block.source.encode("utf-8"))
    except etree.XMLSyntaxError as error:
        block.add(error.lineno, f"invalid XML: {error.msg}")


def check_ini(block: Block) -> None:
    import configparser

    parser = configparser.ConfigParser(strict=False, interpolation=None, allow_no_value=True)
    try:
        parser.read_string(block.source)
    except configparser.MissingSectionHeaderError as error:
        block.add(error.lineno, "INI/systemd: a key before any [section]")
    except configparser.ParsingError as error:
        line = error.errors[0][0] if getattr(error, "errors", None) else None
        block.add(line, "INI/systemd: a line is neither [section] nor key=value")
    except configparser.Error as error:
        block.add(None, f"INI/systemd: {error}")


_DIFF_LINE = re.compile(r"^(?:[ +\-\\]|@@ |diff |index |--- |\+\+\+ |new file|deleted file|"
                        r"similarity|rename |old mode|new mode|Binary files|$)")


def check_diff(block: Block) -> None:
    for number, line in enumerate(block.source.split("\n"), 1):
        if not _DIFF_LINE.match(line):
            block.add(number, "not a unified diff line (each line starts with ' ', '+', '-' or "
                      "a diff header)")
            return


def check_csv(block: Block) -> None:
    import csv

    widths = {len(row) for row in csv.reader(block.source.strip().split("\n")) if row}
    if len(widths) > 1:
        block.add(None, f"CSV rows have different numbers of fields: {sorted(widths)}")


# Languages checked by an external program: (language, program, how to run, line pattern).
def _tool(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def external_jobs(block: Block) -> list:
    """Callables that run a program on the block (to run in a thread pool)."""
    jobs = []
    lang = block.lang
    if lang in ("bash", "sh"):
        shell = "bash" if lang == "bash" else ("sh" if shutil.which("sh") else "bash")

        def shell_checks() -> None:
            _run_file(block, [shell, "-n"], ".sh", r":\s*line (\d+):\s*(.*)", f"{shell} -n")
            shellcheck = _tool("shellcheck")
            if shellcheck and not block.issues:  # ShellCheck only on code that parses
                _shellcheck(block, shellcheck, "bash" if lang == "bash" else "sh")

        jobs.append(shell_checks)
    elif lang == "javascript":
        module = re.search(r"^\s*(?:import|export)\b", block.source, re.MULTILINE)
        jobs.append(lambda: _run_file(block, ["node", "--check"], ".mjs" if module else ".cjs",
                                      r"\.[cm]js:(\d+)\n(?:.*\n)*?(\w*Error: .*)", "node --check"))
    elif lang == "php":
        jobs.append(lambda: _run_file(block, ["php", "-l"], ".php",
                                      r"(?:Parse|Fatal) error:\s*(.*?) in .* on line (\d+)",
                                      "php -l", swap=True))
    elif lang == "ruby":
        jobs.append(lambda: _run_file(block, ["ruby", "-c"], ".rb", r"\.rb:(\d+):\s*(.*)",
                                      "ruby -c"))
    elif lang == "go":
        jobs.append(lambda: _gofmt(block))
    return jobs


def _gofmt(block: Block) -> None:
    """gofmt reads a fragment (statements or declarations) from stdin; it wraps it in a file of
    its own, so its line numbers are not the block's: report at the fence."""
    program = _tool("gofmt")
    if program is None:
        block.add(None, "gofmt is not installed, so this go block was not checked",
                  "install Go (make system)", WARNING)
        return
    result = subprocess.run([program, "-e"], input=block.source, capture_output=True, text=True,
                            timeout=TOOL_TIMEOUT, check=False)
    if result.returncode != 0:
        first = next((ln for ln in result.stderr.splitlines() if ln.strip()), "does not parse")
        block.add(None, "gofmt: " + re.sub(r"^<standard input>:\d+:\d+:\s*", "", first))


def _run_file(block: Block, command: list[str], suffix: str, pattern: str, name: str,
              swap: bool = False) -> None:
    program = _tool(command[0])
    if program is None:
        block.add(None, f"{name} is not installed, so this {block.lang} block was not checked",
                  "install it (make system)", WARNING)
        return
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8") as tmp:
        tmp.write(block.source + "\n")
    try:
        result = subprocess.run([program, *command[1:], tmp.name], capture_output=True,
                                text=True, timeout=TOOL_TIMEOUT, check=False)
    finally:
        Path(tmp.name).unlink(missing_ok=True)
    output = (result.stderr + result.stdout).replace(tmp.name, "<block>")
    if result.returncode == 0:
        return
    match = re.search(pattern, result.stderr + result.stdout)
    if match:
        line, message = (match.group(2), match.group(1)) if swap else match.groups()[:2]
        block.add(int(line), f"{name}: {message.strip()}")
    else:
        first = next((ln for ln in output.splitlines() if ln.strip()), "failed")
        block.add(None, f"{name}: {first.strip()}")


def _shellcheck(block: Block, program: str, shell: str) -> None:
    result = subprocess.run([program, "-s", shell, "-f", "json1", "-S", "warning",
                             "-e", SHELLCHECK_EXCLUDE, "-"], input=block.source,
                            capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False)
    try:
        comments = json.loads(result.stdout or "{}").get("comments", [])
    except ValueError:
        comments = []
    for comment in comments[:3]:
        block.add(comment["line"], f"ShellCheck SC{comment['code']}: {comment['message']}",
                  f"see https://www.shellcheck.net/wiki/SC{comment['code']}")


def run_ruff(blocks: list[Block]) -> None:
    """One ruff run over every Python block (written to a temporary folder)."""
    ruff = _tool("ruff")
    if not blocks:
        return
    if ruff is None:
        blocks[0].add(None, "ruff is not installed: Python blocks were only compiled",
                      "pip install ruff", WARNING)
        return
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, block in enumerate(blocks):
            name = Path(folder, f"block{number}.py")
            name.write_text(block.source + "\n", encoding="utf-8")
            names[str(name)] = block
        result = subprocess.run([ruff, *RUFF_ARGS, folder], capture_output=True, text=True,
                                timeout=TOOL_TIMEOUT, check=False)
        try:
            diagnostics = json.loads(result.stdout or "[]")
        except ValueError:
            blocks[0].add(None, f"ruff failed: {result.stderr.strip()[:200]}", level=WARNING)
            return
        for item in diagnostics:
            block = names.get(item.get("filename", ""))
            if block is None:
                continue
            if item.get("code") is None:  # a syntax error; compile() reports it already
                continue
            row = (item.get("location") or {}).get("row")
            block.add(row, f"ruff {item['code']}: {item['message']}",
                      f"see https://docs.astral.sh/ruff/rules/ ({item['code']})")


VALIDATORS = {
    "python": check_python, "pycon": check_pycon, "json": check_json, "yaml": check_yaml,
    "toml": check_toml, "http": check_http, "html": check_html, "xml": check_xml,
    "ini": check_ini, "diff": check_diff, "csv": check_csv,
}
EXTERNAL = {"bash", "sh", "javascript", "php", "ruby", "go"}


def check_includes(md: Page, snippets: Snippets, findings: list[Finding]) -> set[int]:
    """Every snippet include names a file and section that exist; returns the include lines."""
    shown = display_path(md.path)
    include_lines = set()
    for include in md.includes:
        include_lines.add(include.line)
        problem = snippets.problem(include.target)
        if problem:
            findings.append(Finding(shown, include.line, CHECK, problem[0], problem[1]))
    return include_lines


def check_page(md: Page, snippets: Snippets, findings: list[Finding]) -> list[Block]:
    """Include and fence problems of one page; returns the blocks that need validating."""
    shown = display_path(md.path)
    include_lines = check_includes(md, snippets, findings)
    blocks = []
    for fence in md.fences:
        if fence.problem:
            findings.append(Finding(shown, fence.line, CHECK, fence.problem,
                                    'put data-* attributes in braces: ```sql {data-dialect='
                                    '"postgres"}; keep only title/linenums/hl_lines outside'))
            continue
        if not fence.closed or fence.swallowed:
            continue  # the page check reports it (before the build)
        if not fence.lang:
            findings.append(Finding(shown, fence.line, CHECK, "fenced block has no language",
                                    "name the language (```python, ```bash, ...) or use ```text "
                                    "for output and plain text"))
            continue
        content = [n for n, line in enumerate(fence.body, fence.body_line) if line.strip()]
        included = [n for n in content if n in include_lines]
        if included:
            if len(included) != len(content):
                findings.append(Finding(shown, fence.line, CHECK, "block mixes included code "
                                        "with code typed into the page", "move the typed code "
                                        "into the included file (examples/), between section "
                                        "markers"))
            continue
        lang = fence.lang.lower()
        if lang in PLAIN:
            continue
        normal = ALIASES.get(lang)
        if normal is None:
            findings.append(Finding(shown, fence.line, CHECK, f"{fence.lang!r} blocks cannot be "
                                    "checked here", "include the code from examples/ (tested) "
                                    "with --8<--, or mark output and plain text as ```text"))
            continue
        source = "\n".join(fence.body)
        blocks.append(Block(md.path, fence, normal, source, lang))
    return blocks


def markdown_files(project: Project, files: list[Path] | None) -> list[Path]:
    """The pages to read (none over the size limit: the page check reports those)."""
    if files:
        found = [f for f in files if f.suffix == ".md" and f.is_file()]
    else:
        found = sorted(project.docs.rglob("*.md"))
    return [f for f in found if not project.too_big(f)]


def run_snippets(project: Project, files: list[Path] | None = None) -> list[Finding]:
    """Only the snippet includes (no build needed, no external tool): `check.py snippets`."""
    snippets = Snippets(project)
    findings: list[Finding] = []
    for path in markdown_files(project, files):
        check_includes(page(path), snippets, findings)
    return [Finding(f.path, f.line, "snippets", f.message, f.fix, f.level) for f in findings]


def run(project: Project, files: list[Path] | None = None) -> list[Finding]:
    snippets = Snippets(project)
    findings: list[Finding] = []
    blocks: list[Block] = []
    for path in markdown_files(project, files):
        md = page(path)
        page_blocks = check_page(md, snippets, findings)
        blocks += page_blocks
        sql_runs = [b for b in page_blocks if b.lang == "sql" and b.fence.attrs.get("data-run")]
        for block in sql_runs:
            if block.fence.attrs["data-run"] != "sqlite":
                block.add(None, f"data-run={block.fence.attrs['data-run']!r} is not supported",
                          'only data-run="sqlite" runs SQL here')
        run_sqlite([b for b in sql_runs if b.fence.attrs["data-run"] == "sqlite"])
    jobs = []
    for block in blocks:
        if block.lang in VALIDATORS:
            VALIDATORS[block.lang](block)
        elif block.lang == "sql":
            check_sql(block, block.declared)
        elif block.lang in EXTERNAL:
            jobs += external_jobs(block)
    python = [b for b in blocks if b.lang == "python" and not b.issues]
    jobs.append(lambda: run_ruff(python))
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    for block in blocks:
        for issue in block.issues:
            findings.append(Finding(display_path(block.path), issue.line, CHECK, issue.message,
                                    issue.fix, issue.level))
    return findings
