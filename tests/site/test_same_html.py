"""The build made of plugins writes the same site as the hooks it replaced (issue 17).

Until commit 65a77f6 the build's features lived in scripts/hooks.py (with scripts/glossary.py,
diagrams.py and translations.py beside it). This test builds the current pages twice, each in a
folder that links to the worktree's docs/, overrides/, examples/, data/ and tests/:

- the reference: that commit's four scripts, registered as `hooks:` in place of our plugins;
- ours: mkdocs.yml as it is.

HTML minification is off in both (the plugins' build dropped htmlmin on purpose; see mkdocs.yml),
and so is handbook/inline-code (it does, on purpose, what htmlmin did to line breaks in inline
code); the pre-compressed .gz/.br copies are left out of the comparison (they are a function of
the files compared). Every other file must be byte-identical, the search indexes
and the members of the offline zip included.

When a plugin's output changes on purpose, this test has done its job: delete it (and its
REFERENCE commit) in the same change, saying so in the commit message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from handbook.bench import without_plugins
from support import ROOT, skip_or_fail

REFERENCE = "65a77f6"
OLD_SCRIPTS = ("scripts/hooks.py", "scripts/glossary.py", "scripts/diagrams.py",
               "scripts/translations.py")
SHARED = ("docs", "overrides", "examples", "data", "tests", "package-lock.json")
# Left out of both builds: HTML minification and pre-compressed copies (see the docstring), and
# handbook/books (issue 18), which replaced no hook: it turns the home pages' <!-- book:... -->
# markers into links to the PDF and EPUB (tests/books).
DROPPED = {"handbook/precompress", "handbook/inline-code", "handbook/books"}


def reference_config(text: str) -> str:
    """mkdocs.yml as commit REFERENCE configured the same features: hooks, not our plugins."""
    text = without_plugins(text, lambda name: name.startswith("handbook/"))
    return text + "\nhooks:\n  - scripts/hooks.py\n"


def build(folder: Path, config_text: str, site: Path, env=None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        (folder / name).symlink_to(ROOT / name)
    (folder / "mkdocs.yml").write_text(config_text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
        cwd=folder, capture_output=True, text=True, check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    assert result.returncode == 0, f"build in {folder} failed:\n{result.stderr[-3000:]}"


def old_script(path: str) -> str | None:
    result = subprocess.run(["git", "show", f"{REFERENCE}:{path}"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else None


def site_files(site: Path) -> dict[str, Path]:
    """The files of a built site, without the pre-compressed copies (the reference makes them,
    ours are switched off here: they are a function of the files compared)."""
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*")
            if p.is_file() and p.suffix not in (".gz", ".br")}


def compare(ours: Path, reference: Path) -> list[str]:
    """Every difference between two built sites, one line each."""
    mine, theirs = site_files(ours), site_files(reference)
    problems = [f"only in ours: {name}" for name in sorted(set(mine) - set(theirs))]
    problems += [f"only in the reference: {name}" for name in sorted(set(theirs) - set(mine))]
    for name in sorted(set(mine) & set(theirs)):
        if name.endswith(".zip"):
            continue  # compared below, member by member (a zip records file times)
        if mine[name].read_bytes() != theirs[name].read_bytes():
            problems.append(f"differs: {name}")
    return problems


@pytest.mark.timeout(600)
def test_plugins_build_the_same_site_as_the_hooks_they_replaced(tmp_path):
    scripts = {path: old_script(path) for path in OLD_SCRIPTS}
    if None in scripts.values():
        skip_or_fail(f"commit {REFERENCE} is not in this clone (a shallow clone?): "
                     "fetch the full history to compare with the hooks it replaced")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    ours_text = without_plugins(text, lambda name: name in DROPPED)
    old_text = reference_config(ours_text)
    for path, source in scripts.items():
        target = tmp_path / "reference" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    build(tmp_path / "reference", old_text, tmp_path / "site-reference")
    build(tmp_path / "ours", ours_text, tmp_path / "site-ours")
    problems = compare(tmp_path / "site-ours", tmp_path / "site-reference")
    assert not problems, "\n".join(problems[:50])
    import zipfile

    zips = [zipfile.ZipFile(tmp_path / site / "downloads" / "panduan-backend-offline.zip")
            for site in ("site-ours", "site-reference")]
    contents = [{info.filename: zf.read(info) for info in zf.infolist()} for zf in zips]
    assert contents[0] == contents[1]
