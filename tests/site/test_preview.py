"""make serve (mkdocs serve --dirty + handbook/preview): after edits, the preview's site is the
site a fresh build of the edited pages makes, file for file, search indexes included."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
from handbook.bench import QUIET, project_copy

# What `mkdocs serve --dirty` does, in one process: load the config before each build (plugins
# with on_startup are kept), build dirty with the preview's URL. static-i18n reads --dirty from
# sys.argv. Each argument after the site folder is a page to append a paragraph to,
# "task:PAGE" to append a checklist item to, or "title:PAGE" to change its title, before one
# more build.
SERVE = '''
import sys
sys.argv = ["mkdocs", "serve", "--dirty"]
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build

site, steps = sys.argv_real[1], sys.argv_real[2:]
url = "http://127.0.0.1:8000/"

def rebuild(first=False):
    config = load_config("mkdocs.yml", site_dir=site)
    config.site_url = url
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=url, dirty=True)

rebuild(first=True)
for step in steps:
    if step.startswith("title:"):
        page = Path(step[len("title:"):])
        text = page.read_text()
        title = text.split("title:", 1)[1].split("\\n", 1)[0]
        page.write_text(text.replace("title:" + title, "title:" + title + " Baru", 1))
    elif step.startswith("task:"):
        page = Path(step[len("task:"):])
        page.write_text(page.read_text() + "\\n- [ ] Butir daftar periksa tambahan.\\n")
    else:
        page = Path(step)
        page.write_text(page.read_text() + "\\n\\nParagraf tambahan untuk pratinjau.\\n")
    rebuild()
'''


def serve_like(folder: Path, site: Path, *steps: str) -> None:
    script = "import sys; sys.argv_real = list(sys.argv)\n" + SERVE
    result = subprocess.run([sys.executable, "-c", script, str(site), *steps], cwd=folder,
                            capture_output=True, text=True, check=False,
                            env={**__import__("os").environ, **QUIET})
    assert result.returncode == 0, result.stderr[-3000:]


def differences(left: Path, right: Path) -> list[str]:
    found = []
    compared = filecmp.dircmp(left, right)
    stack = [(compared, "")]
    while stack:
        node, prefix = stack.pop()
        found += [f"only in the preview: {prefix}{n}" for n in node.left_only]
        found += [f"only in the fresh build: {prefix}{n}" for n in node.right_only]
        _same, diff, _ = filecmp.cmpfiles(node.left, node.right, node.common_files, shallow=False)
        found += [f"differs: {prefix}{n}" for n in diff]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return found


@pytest.mark.timeout(900)
def test_preview_after_edits_is_the_site_a_fresh_build_makes(tmp_path):
    work = project_copy(tmp_path / "work")
    steps = ["docs/id/overview.md",  # the edited page; its English twin now says "outdated"
             "docs/id/overview.md",  # again: the twin stays outdated
             "docs/en/skills/apis.md",  # an English page
             "task:docs/id/duties/api-development.md",  # a checklist: "My progress" counts it
             "title:docs/id/duties/server-side-logic.md"]  # a title: in every page's navigation
    serve_like(work, tmp_path / "preview", *steps)
    serve_like(work, tmp_path / "fresh")  # the same pages, edited, built from nothing
    problems = differences(tmp_path / "preview", tmp_path / "fresh")
    assert not problems, "\n".join(problems[:40])
    twin = (tmp_path / "preview" / "en" / "overview.html").read_text(encoding="utf-8")
    assert "Translation behind the original" in twin
    overview = (tmp_path / "preview" / "overview.html").read_text(encoding="utf-8")
    assert "Pengembangan Logika Sisi Server Baru" in overview
