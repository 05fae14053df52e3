"""The style check (`check.py style`): headings in title case (STYLE.md §3) and no serial comma in
English prose (STYLE.md §5), each reported as `file:line: [style] what — fix: how`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from check_support import run_check
from checks import find_project, style
from handbook.glossary.prose import CHECK, mask_non_prose
from handbook.glossary.rendering import SMALL_WORDS, title_case
from support import ROOT


def serial(text: str) -> list[str]:
    prose = mask_non_prose(text, CHECK)
    return [" ".join(text[start:comma + 1].split()) for start, comma in style.serial_commas(prose)]


@pytest.mark.parametrize(("text", "found"), [
    ("Collect logs, metrics, and traces.", ["Collect logs, metrics,"]),
    ("Pick one: red, green, or blue.", ["red, green,"]),
    ("It logs the method, path, status, and\nduration.", ["path, status,"]),
    ("Linux distinguishes the owner, the group, and everyone else.",
     ["Linux distinguishes the owner, the group,"]),
    ("The number goes up, the bug stays, and the team feels safe.",
     ["The number goes up, the bug stays,"]),
    ("- [ ] Test with odd prices, back up first, and use expand and contract.",
     ["Test with odd prices, back up first,"]),
])
def test_serial_commas_are_found(text, found):
    assert serial(text) == found


@pytest.mark.parametrize("text", [
    "Collect logs, metrics and traces.",
    # a comma that joins two clauses after an opening clause
    "If the cache is cold, the request waits, and the user sees it.",
    "While it is open, its locks are held, and other writers wait.",
    # asides, appositions and numbers
    "Answer with a 502, not a 500, and log it.",
    "The client makes a key, such as a UUID, and sends it.",
    "It ended on April 30, 2026, and nobody noticed.",
    "12.54 at 25% off is exactly 9.405, half a cent, and rounding decides.",
    "Three requests failed, each after about 5,000 ms, and an import ran.",
    # a list whose items contain "and": the comma prevents a misreading
    "Learn HTTP and HTTPS, TLS, and cookies and CORS.",
    "Split code into routes, services and data access, and test each.",
    # not prose: code, quotations, titles of sources
    "Run `f(a, b, and_c)` and ```x, y, or z```.",
    'The log says "red, green, and blue" here.',
    "Read *Logs, Metrics, and Traces* first.",
    "See [Logs, Metrics, and Traces](https://example.com/o11y).",
    "```text\nlogs, metrics, and traces\n```",
])
def test_what_is_not_a_serial_comma(text):
    assert serial(text) == []


def project_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


def test_the_check_reports_file_line_and_fix_and_honours_the_escape(tmp_path):
    root = project_with(tmp_path, {
        "docs/id/x.md": "---\ntitle: Migrasi Tanpa Kehilangan Data\n---\n\n"
                        "# Migrasi Tanpa Kehilangan Data { #x }\n\n## Ukur dengan git bisect "
                        "{ #y }\n\nLog, metrik, dan jejak.\n",
        "docs/en/x.md": "---\ntitle: Migrations Without Data Loss\n---\n\n"
                        "# Migrations Without Data Loss { #x }\n\n## Threat Modeling With STRIDE "
                        "{ #y }\n\nLogs, metrics, and traces.\nA, B, or C. <!-- serial-comma -->\n",
        "examples/templates/en/t.md": "# Template\n\nName, role, and team.\n",
        "examples/templates/id/t.md": "# Templat\n\nNama, peran, dan tim.\n",
    })
    result = run_check("style", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    fix = ('— fix: drop the comma before "and"; if the comma prevents a misreading, end the line '
           'with <!-- serial-comma -->')
    rule = "(STYLE.md §5: no comma before the last item of a list unless it prevents a misreading)"
    title = "is not in title case (STYLE.md §3)"
    keep = "(the { #id } stays as it is)"
    assert result.stdout.splitlines() == [
        (f'docs/en/x.md:7: [style] heading {title}: "Threat Modeling With STRIDE" — fix: write '
        f'"Threat Modeling with STRIDE" {keep}'),
        f'docs/en/x.md:9: [style] serial comma before "and": "Logs, metrics, and" {rule} {fix}',
        (f'docs/id/x.md:2: [style] front matter title {title}: "Migrasi Tanpa Kehilangan Data" — '
        f'fix: write "Migrasi tanpa Kehilangan Data"'),
        (f'docs/id/x.md:5: [style] heading {title}: "Migrasi Tanpa Kehilangan Data" — fix: write '
        f'"Migrasi tanpa Kehilangan Data" {keep}'),
        (f'examples/templates/en/t.md:3: [style] serial comma before "and": "Name, role, and" '
        f'{rule} {fix}'),
    ]
    only = run_check("style", "docs/id/x.md", cwd=root)
    assert [line.split(":")[0] for line in only.stdout.splitlines()] == ["docs/id/x.md"] * 2


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Migrasi Tanpa Kehilangan Data", "id", "Migrasi tanpa Kehilangan Data"),
    ("Ukur Sebelum Mengoptimalkan", "id", "Ukur sebelum Mengoptimalkan"),
    ("Commit Adalah Snapshot", "id", "Commit Adalah Snapshot"),
    ("men-debug uji yang gagal", "id", "Men-debug Uji yang Gagal"),
    ("cache-nya habis", "id", "Cache-nya Habis"),
    ("WSGI dan ASGI: di Bawah Kerangka Kerja", "id", "WSGI dan ASGI: Di Bawah Kerangka Kerja"),
    ("Layanan systemd", "id", "Layanan systemd"),
    ("mencari commit dengan git bisect", "id", "Mencari Commit dengan git bisect"),
    ("Metrik di /metrics", "id", "Metrik di /metrics"),
    ("Threat Modeling With STRIDE", "en", "Threat Modeling with STRIDE"),
    ("the pipeline from push to production", "en", "The Pipeline from Push to Production"),
    ("testing the service without HTTP", "en", "Testing the Service Without HTTP"),
    ("In Front of the Application: a Reverse Proxy", "en",
     "In Front of the Application: A Reverse Proxy"),
    ("proving at-least-once delivery", "en", "Proving At-Least-Once Delivery"),
    ("what to look for", "en", "What to Look For"),
    ("nginx as the reverse proxy", "en", "nginx as the Reverse Proxy"),
    ("a .gitignore from the first commit", "en", "A .gitignore from the First Commit"),
    ("latency in p95 and p99", "en", "Latency in p95 and p99"),
    ("trade-off", "en", "Trade-Off"),
])
def test_title_case_follows_style_section_3(text, lang, expected):
    assert title_case(text, lang) == expected
    assert title_case(expected, lang) == expected  # a heading already right stays right


def test_style_md_lists_the_same_function_words_as_title_case():
    section = (ROOT / "STYLE.md").read_text(encoding="utf-8").split("## 3.")[1].split("\n## ")[0]

    def listed(label: str) -> set[str]:
        """The italic words of the sentence that says what is lowercase, in one bullet."""
        bullet = re.search(rf"^- \*\*{label}.*?(?=^- |\Z)", section, re.MULTILINE | re.DOTALL)
        rule = re.search(r"lowercase (?=\*|articles)(.*?)\.\s", bullet.group(), re.DOTALL)[1]
        return {w.strip() for span in re.findall(r"\*([^*]+)\*", rule)
                for w in span.split(",")}

    assert listed("Indonesian") == SMALL_WORDS["id"]
    assert listed("English") == SMALL_WORDS["en"]


def test_the_handbook_passes_the_style_check():
    project = find_project(ROOT / "docs", ROOT / "mkdocs.yml", None)
    assert [f.format() for f in style.run(project)] == []
