"""Audit: accessibility, Lighthouse scores and page weight of the built site, with budgets.

    python scripts/audit.py [--site site] [--runs 3] [--skip-lighthouse]

Serves the built site like a static host (scripts/serve_static.py) and, for a sample of page types
in both languages (home, a section index, the longest duty and skill pages, the glossary, My
Progress, the 404 page):
- axe-core (npm, injected with Playwright) in the light and the dark palette: no violation at all;
- Lighthouse (npm, pinned 12.2.3; Debian's Chromium), mobile and desktop, median of --runs:
  performance >= 95, accessibility, best practices and SEO = 100;
- page weight: bytes transferred (compressed) on a first visit, search index excluded, against a
  budget per page type; the search index of each language is reported on its own.
Writes reports/audit-summary.md and .json and keeps every Lighthouse JSON in reports/lighthouse/.
Exits 1 when any budget is missed. Our own code: Lighthouse CI's assertions need a server of its
own, and no tool runs axe, Lighthouse and the weight budget together on a static build.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from serve_static import StaticServer
from support import CHROMIUM, CHROMIUM_FLAGS

REPORTS = ROOT / "reports"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Budget per page type, in KB transferred on a first visit (search index excluded).
WEIGHT_BUDGET_KB = {"home": 160, "section": 160, "duty": 200, "skill": 200, "glossary": 200,
                    "progress": 160, "404": 160}
LANGS = {"id": "", "en": "en/"}


@dataclass
class Result:
    kind: str
    lang: str
    path: str
    axe: dict[str, list[str]] = field(default_factory=dict)  # palette -> violations
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # form factor -> category
    weight_kb: float = 0.0
    problems: list[str] = field(default_factory=list)


def sample_pages(site: Path) -> list[tuple[str, str]]:
    """(kind, path below the language root) for the audited page types."""
    def longest(section: str) -> str:
        pages = [p for p in (site / section).glob("*.html") if p.name != "index.html"]
        return f"{section}/{max(pages, key=lambda p: p.stat().st_size).name}"

    return [("home", "index.html"), ("section", "duties/index.html"),
            ("duty", longest("duties")), ("skill", longest("skills")),
            ("glossary", "glossary.html"), ("progress", "progress.html"),
            # Lighthouse refuses a response with status 404, so the 404 pages are audited at
            # their own address; tests/browser checks that a missing page gets them with 404.
            ("404", "404.html")]


def run_axe(browser, url: str, palette: str) -> list[str]:
    context = browser.new_context(color_scheme=palette)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => `${v.id} (${v.impact}): ` +
            v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    context.close()
    return violations


def first_visit_kb(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    sizes = []

    def finished(request):
        if "search_index" in request.url:
            return
        measured = request.sizes()
        sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.goto(url, wait_until="networkidle")
    context.close()
    return round(sum(sizes) / 1024, 1)


def run_lighthouse(url: str, form_factor: str, out: Path) -> dict[str, float]:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=180)
    report = json.loads(out.read_text())
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def search_index_sizes(site: Path) -> dict[str, dict[str, int]]:
    sizes = {}
    for lang, prefix in LANGS.items():
        data = (site / prefix / "search" / "search_index.json").read_bytes()
        sizes[lang] = {"raw": len(data), "gzip": len(gzip.compress(data, 9))}
    return sizes


def summary_table(results: list[Result], form_factors: list[str]) -> str:
    head = ["Page", "Lang"]
    for ff in form_factors:
        head += [f"{ff} perf", f"{ff} a11y", f"{ff} BP", f"{ff} SEO"]
    head += ["axe light", "axe dark", "KB", "budget KB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        row = [r.kind, r.lang]
        for ff in form_factors:
            row += [str(r.scores.get(ff, {}).get(c, "-")) for c in CATEGORIES]
        row += [str(len(r.axe.get("light", []))), str(len(r.axe.get("dark", []))),
                str(r.weight_kb), str(WEIGHT_BUDGET_KB[r.kind])]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--skip-lighthouse", action="store_true",
                        help="axe and page weight only (fast; what `make test` runs)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    for needed in (AXE,) + (() if args.skip_lighthouse else (LIGHTHOUSE,)):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: run `npm ci` (make audit does it)")
    form_factors = [] if args.skip_lighthouse else ["mobile", "desktop"]
    (REPORTS / "lighthouse").mkdir(parents=True, exist_ok=True)
    results = []
    with StaticServer(args.site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for kind, path in sample_pages(args.site):
            for lang, prefix in LANGS.items():
                url = base + prefix + path
                result = Result(kind, lang, prefix + path)
                for palette in ("light", "dark"):
                    result.axe[palette] = run_axe(browser, url, palette)
                    for violation in result.axe[palette]:
                        result.problems.append(f"axe {palette}: {violation}")
                result.weight_kb = first_visit_kb(browser, url)
                if result.weight_kb > WEIGHT_BUDGET_KB[kind]:
                    result.problems.append(
                        f"weight {result.weight_kb} KB > budget {WEIGHT_BUDGET_KB[kind]} KB")
                for ff in form_factors:
                    runs = []
                    for n in range(args.runs):
                        out = REPORTS / "lighthouse" / f"{lang}-{kind}-{ff}-{n + 1}.json"
                        runs.append(run_lighthouse(url, ff, out))
                    result.scores[ff] = {c: statistics.median(r[c] for r in runs)
                                         for c in CATEGORIES}
                    for c in CATEGORIES:
                        if result.scores[ff][c] < MINIMUM[c]:
                            result.problems.append(
                                f"Lighthouse {ff} {c} {result.scores[ff][c]} < {MINIMUM[c]}")
                results.append(result)
                print(f"{kind:8} {lang}  {'ok' if not result.problems else 'FAIL'}  "
                      f"{result.weight_kb} KB  {result.scores}", flush=True)
        browser.close()
    indexes = search_index_sizes(args.site)
    table = summary_table(results, form_factors)
    index_lines = "\n".join(f"- search index `{lang}`: {s['raw'] / 1024:.1f} KB raw, "
                            f"{s['gzip'] / 1024:.1f} KB gzip" for lang, s in indexes.items())
    problems = [f"{r.lang} {r.kind}: {problem}" for r in results for problem in r.problems]
    report = (f"# Audit\n\n{table}\n\n{index_lines}\n\n"
              + ("All budgets met.\n" if not problems else
                 "## Problems\n\n" + "\n".join(f"- {p}" for p in problems) + "\n"))
    (REPORTS / "audit-summary.md").write_text(report)
    (REPORTS / "audit-summary.json").write_text(json.dumps({
        "pages": [r.__dict__ for r in results], "search_index": indexes,
        "budgets": {"minimum": MINIMUM, "weight_kb": WEIGHT_BUDGET_KB}}, indent=2))
    print("\n" + report)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
