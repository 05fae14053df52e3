"""Diagrams: Mermaid source in the pages, pre-rendered SVG in docs/assets/diagrams/.

Authors write a ```mermaid fence in a page, with `accTitle:` and `accDescr:` lines (Mermaid's own
accessibility syntax); the description becomes the image's text alternative. `make diagrams` renders
every fence that has no SVG yet, once for the light and once for the dark palette, into files named
by a hash of the source and renderer, so a stale file cannot be mistaken for a current one:

    python scripts/diagrams.py render   # render missing SVGs (needs Chromium and npm's mermaid)
    python scripts/diagrams.py check    # every fence rendered, no orphan SVG, every fence described

At build time the handbook/diagrams plugin swaps each fence for the two images (Material shows one
per palette),
so a page ships no renderer: Mermaid is 3.5 MB of JavaScript and would also be loaded from a CDN by
Material's own integration. Our own code because no MkDocs plugin pre-renders offline with a local
Chromium and the npm registry alone.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
OUTPUT = DOCS / "assets" / "diagrams"
MERMAID_JS = ROOT / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
# Bump when the render settings below change: every diagram is then rendered again.
RENDER_VERSION = "1"
THEMES = {"light": "default", "dark": "dark"}
FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})mermaid[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_ACC = re.compile(r"^\s*(accTitle|accDescr)\s*:\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Diagram:
    source: str  # the fence body, dedented
    path: Path  # the page it stands in
    line: int
    start: int  # character offsets of the whole fence in the page
    end: int
    indent: str
    renderer: str | None = None  # the mermaid version; by default the one package-lock.json pins

    @property
    def key(self) -> str:
        mermaid = self.renderer or mermaid_version() or "unknown"
        digest = hashlib.sha256(f"{RENDER_VERSION}\0{mermaid}\0{self.source}".encode())
        return digest.hexdigest()[:16]

    @property
    def description(self) -> str | None:
        found = dict(_ACC.findall(self.source))
        return found.get("accDescr") or found.get("accTitle")

    def file(self, palette: str, output: Path | None = None) -> Path:
        """The rendered SVG in `output` (by default docs/assets/diagrams/)."""
        return (output or OUTPUT) / f"{self.key}-{palette}.svg"


@functools.lru_cache(maxsize=4)
def mermaid_version(lock: Path | None = None) -> str | None:
    """The pinned mermaid version from package-lock.json (the renderer's version)."""
    lock = lock or ROOT / "package-lock.json"
    if not lock.is_file():
        return None
    packages = json.loads(lock.read_text()).get("packages", {})
    return packages.get("node_modules/mermaid", {}).get("version")


def find(markdown: str, path: Path, renderer: str | None = None) -> list[Diagram]:
    diagrams = []
    for match in _FENCE.finditer(markdown):
        indent = match.group("indent")
        body = "".join(
            line[len(indent):] if line.startswith(indent) else line.lstrip()
            for line in match.group("body").splitlines(keepends=True)
        )
        diagrams.append(Diagram(
            source=body.strip("\n") + "\n", path=path,
            line=markdown.count("\n", 0, match.start()) + 1,
            start=match.start(), end=match.end(), indent=indent, renderer=renderer,
        ))
    return diagrams


def all_diagrams() -> list[Diagram]:
    found = []
    for page in sorted(DOCS.glob("*/**/*.md")):
        found.extend(find(page.read_text(encoding="utf-8"), page))
    return found


FIX = "run `make diagrams` and commit docs/assets/diagrams/"


def problem(diagram: Diagram, output: Path | None = None) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when a fence cannot be shown as its two SVGs, else None."""
    files = {palette: diagram.file(palette, output) for palette in THEMES}
    missing = [palette for palette, svg in files.items() if not svg.is_file()]
    if len(missing) == len(files):
        return (("mermaid diagram not rendered, or changed since it was rendered (no "
                f"{files['light'].name} in {_shown(files['light'].parent)}/)"), FIX)
    if missing:
        return ((f"the {missing[0]} rendering of this mermaid diagram is missing "
                f"({_shown(files[missing[0]])})"), FIX)
    for svg in files.values():
        try:
            svg_size(svg)
        except (OSError, UnicodeDecodeError, ValueError):
            return (f"{_shown(svg)} is not a readable SVG",
                    f"delete it, then {FIX}")
    return None


def lock_problem(lock: Path, error: json.JSONDecodeError) -> str:
    """`file:line: [diagrams] what — fix: how` for a lock file that is not JSON (the same line
    from `check.py source` and from the build)."""
    return (f"{_shown(lock)}:{error.lineno}: [diagrams] not valid JSON ({error.msg}), so no "
            "diagram's file name can be computed — fix: resolve the merge conflict, or run "
            "`npm install` to write the file again")


def page_problems(text: str, path: Path, output: Path | None = None,
                  renderer: str | None = None) -> list[str]:
    """`file:line: [diagrams] what — fix: how` for each fence of a page's source that cannot be
    shown (handbook/diagrams stops a strict build with them before any page is rendered)."""
    found = []
    for diagram in find(text, path, renderer):
        wrong = problem(diagram, output)
        if wrong:
            found.append(f"{_shown(path)}:{diagram.line}: [diagrams] {wrong[0]} — fix: {wrong[1]}")
    return found


def replace_with_images(markdown: str, path: Path, depth: int, warn, output: Path | None = None,
                        url: str = "assets/diagrams/", renderer: str | None = None,
                        lines: list[int] | None = None) -> str:
    """The page's Markdown with every mermaid fence swapped for its light and dark SVG.

    depth: how many folders the page's source sits below docs/ (docs/en/duties/x.md: 2).
    warn: called with a `file:line: [diagrams] what — fix: how` message for each fence that
    cannot be shown (fails a strict build); lines: the fences' lines in the page's source file
    (the Markdown a plugin gets has lost the front matter), else their lines in `markdown`.
    output: the folder of the SVGs (by default docs/assets/diagrams/); url: the same folder as a
    URL from the root of docs/; renderer: the mermaid version the file names are keyed on.
    """
    out, last = [], 0
    prefix = "../" * depth + url
    found = find(markdown, path, renderer)
    if lines is None or len(lines) != len(found):
        lines = [diagram.line for diagram in found]
    for diagram, line in zip(found, lines, strict=True):
        out.append(markdown[last:diagram.start])
        last = diagram.end
        light, dark = diagram.file("light", output), diagram.file("dark", output)
        wrong = problem(diagram, output)
        if wrong:
            warn(f"{_shown(path)}:{line}: [diagrams] {wrong[0]} — fix: {wrong[1]}")
            continue
        alt = (diagram.description or "").replace("[", "(").replace("]", ")")
        images = []
        for svg, palette in ((light, "only-light"), (dark, "only-dark")):
            size = svg_size(svg)
            attrs = f' width="{size[0]}" height="{size[1]}"' if size else ""
            images.append(f"{diagram.indent}![{alt}]({prefix}{svg.name}#{palette})"
                          f"{{ .diagram loading=lazy{attrs} }}")
        out.append("\n".join(images))
    out.append(markdown[last:])
    return "".join(out)


def _shown(path: Path) -> str:
    """A page's path as a message shows it: relative to the working folder when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _sized(svg: str) -> str:
    """Give the root <svg> its real width and height: Mermaid writes width="100%", which
    collapses to nothing in an <img> whose container has no width of its own."""
    box = re.search(r'viewBox="([-\d.e]+) ([-\d.e]+) ([\d.e]+) ([\d.e]+)"', svg[:2000])
    if not box:
        return svg
    width, height = (round(float(box.group(3))), round(float(box.group(4))))
    root_end = svg.index(">")
    root = re.sub(r'\swidth="100%"', f' width="{width}" height="{height}"', svg[:root_end], count=1)
    root = re.sub(r'\sstyle="max-width:[^"]*"', "", root, count=1)
    return root + svg[root_end:]


def svg_size(svg: Path) -> tuple[int, int] | None:
    """Width and height from the SVG's viewBox, for <img width height> (no layout shift).
    Raises ValueError for a file that is not an SVG."""
    head = svg.read_text(encoding="utf-8")[:2000]
    if "<svg" not in head:
        raise ValueError(f"{svg} is not an SVG")
    box = re.search(r'viewBox="[-\d.e]+ [-\d.e]+ ([\d.e]+) ([\d.e]+)"', head)
    return (round(float(box.group(1))), round(float(box.group(2)))) if box else None


def check() -> list[str]:
    """Problems as 'file:line: message' strings; empty when every diagram is current."""
    problems = []
    wanted = set()
    for diagram in all_diagrams():
        where = f"{diagram.path.relative_to(ROOT)}:{diagram.line}"
        if not diagram.description:
            problems.append(f"{where}: diagram has no accDescr (or accTitle) line; add one — it is "
                            "the text alternative screen readers and search engines get")
        for palette in THEMES:
            wanted.add(diagram.file(palette).name)
            if not diagram.file(palette).is_file():
                problems.append(f"{where}: diagram not rendered (or changed since): run "
                                "`make diagrams` and commit docs/assets/diagrams/")
    if OUTPUT.is_dir():
        for svg in sorted(OUTPUT.glob("*.svg")):
            if svg.name not in wanted:
                problems.append(f"{svg.relative_to(ROOT)}: no page uses this diagram any more; "
                                "`make diagrams` removes it")
    return problems


def render(force: bool = False) -> int:
    from playwright.sync_api import sync_playwright

    from handbook.chromium import CHROMIUM, CHROMIUM_FLAGS

    if not MERMAID_JS.is_file():
        raise SystemExit("mermaid is not installed: run `npm ci` (make diagrams does it)")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    diagrams = {d.key: d for d in all_diagrams()}
    todo = [d for d in diagrams.values()
            if force or not all(d.file(p).is_file() for p in THEMES)]
    if todo:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.set_content("<!doctype html><html><body></body></html>")
            page.add_script_tag(path=str(MERMAID_JS))
            for diagram in todo:
                for palette, theme in THEMES.items():
                    svg = page.evaluate(
                        """async ([source, theme, font, id]) => {
                            mermaid.initialize({startOnLoad: false, theme, securityLevel: "strict",
                              fontFamily: font, htmlLabels: false,
                              flowchart: {htmlLabels: false}, themeVariables: {background: "transparent"}});
                            const {svg} = await mermaid.render(id, source);
                            return svg;
                        }""",
                        [diagram.source, theme, FONT, f"d{diagram.key}{palette}"],
                    )
                    diagram.file(palette).write_text(_sized(svg) + "\n", encoding="utf-8")
                print(f"rendered {diagram.path.relative_to(ROOT)}:{diagram.line} -> {diagram.key}")
            browser.close()
    keep = {d.file(p).name for d in diagrams.values() for p in THEMES}
    for svg in OUTPUT.glob("*.svg"):
        if svg.name not in keep:
            svg.unlink()
            print(f"removed {svg.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="fail when a diagram is not rendered, stale or undescribed")
    run = sub.add_parser("render", help="render missing diagrams (Chromium + npm mermaid)")
    run.add_argument("--force", action="store_true", help="render every diagram again")
    args = parser.parse_args(argv)
    if args.command == "render":
        return render(force=args.force)
    problems = check()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
