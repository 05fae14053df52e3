"""Version control as a project duty (examples/git/): release tags, a secret committed by
mistake, signed commits, the .gitignore, the changelog, and the GitHub configuration files.
Scripts run for real in a temporary directory with a throwaway HOME and a fixed identity."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml
from git_support import GIT_DIR, git, matches_recording, run_script

ACTIONLINT = Path(sys.executable).parent / "actionlint"
# The regular expression that semver.org 2.0.0 suggests for a version string.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def out(repo: Path, *args: str) -> str:
    return git(repo, *args).stdout.strip()


@needs_git
def test_release_tag_is_annotated_semver_and_pushed(tmp_path):
    output = run_script("release.sh", tmp_path)
    origin = tmp_path / "origin.git"

    tags = out(origin, "tag", "--list").split()
    assert tags == ["v1.0.0", "v1.1.0"]
    assert all(SEMVER.match(tag.removeprefix("v")) for tag in tags)
    # Annotated: a tag object of its own (tagger, date, message), not a bare pointer.
    assert out(origin, "cat-file", "-t", "v1.1.0") == "tag"
    assert out(origin, "tag", "-l", "--format=%(contents:subject)", "v1.1.0") == "Release 1.1.0"
    # The changes listed for the release notes, and what `git describe` says before and after.
    assert "fix(pricing): round discounts half up" in output
    assert re.search(r"^v1\.1\.0$", output, re.MULTILINE)
    assert re.search(r"^v1\.1\.0-1-g[0-9a-f]{7,}$", output, re.MULTILINE)
    assert re.search(r"^v1\.1\.0-1-g[0-9a-f]{7,}-dirty$", output, re.MULTILINE)
    # The page quotes the names; fixed identity and dates make them the same on every machine.
    names = re.findall(r"^v1\.1\.0\S*$", output, re.MULTILINE)
    assert matches_recording("release-describe.txt", "\n".join(names))


# --8<-- [start:secret_history_test]
@needs_git
def test_untracked_secret_is_still_in_history(tmp_path):
    output = run_script("secrets.sh", tmp_path)
    repo = tmp_path / "bookstore"

    assert out(repo, "ls-files").split() == [".gitignore", "app.py"]
    assert (repo / ".env").exists()  # the local file is kept
    assert git(repo, "check-ignore", "-q", ".env", check=False).returncode == 0
    assert "BOOKSTORE_SECRET_KEY=demo-only" in output
    # Anyone who clones the repository later gets the key too, from the first commit:
    # it must be revoked, not just removed.
    git(tmp_path, "clone", "-q", str(repo), "fresh-clone")
    clone = tmp_path / "fresh-clone"
    assert not (clone / ".env").exists()
    assert "BOOKSTORE_SECRET_KEY=demo-only" in out(clone, "show", "HEAD~1:.env")


# --8<-- [end:secret_history_test]


@needs_git
def test_untracked_secret_output_is_the_recorded_one(tmp_path):
    # The page shows this output: commit ids are stable (fixed identity and dates).
    assert matches_recording("secrets-history.txt", run_script("secrets.sh", tmp_path))


@needs_git
@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_signed_commit_and_tag_verify(tmp_path):
    output = run_script("signing.sh", tmp_path)
    repo = tmp_path / "bookstore"

    good = 'Good "git" signature for ayu@example.com with ED25519 key'
    assert output.count(good) == 2  # the commit and the tag
    assert out(repo, "log", "-1", "--format=%G?") == "G"  # G = good signature
    assert "-----BEGIN SSH SIGNATURE-----" in out(repo, "cat-file", "-p", "v0.1.0")
    # A commit or tag made without the key is not verified.
    (repo / "notes.txt").write_text("unsigned\n")
    git(repo, "add", "notes.txt")
    git(repo, "-c", "commit.gpgSign=false", "commit", "-q", "-m", "docs: unsigned")
    assert git(repo, "verify-commit", "HEAD", check=False).returncode != 0
    git(repo, "-c", "tag.gpgSign=false", "tag", "-a", "v0.1.1", "-m", "Release 0.1.1")
    assert git(repo, "verify-tag", "v0.1.1", check=False).returncode != 0


@needs_git
@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_signing_sample_leaves_your_own_keys_and_config_alone(tmp_path):
    # The sample runs with HOME = tmp_path: a reader's own files there must survive it.
    mine = {
        ".ssh/id_ed25519_signing": "my private key\n",
        ".ssh/id_ed25519_signing.pub": "my public key\n",
        ".config/git/allowed_signers": "me@example.com ssh-ed25519 AAAA...\n",
    }
    for path, text in mine.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    run_script("signing.sh", tmp_path)
    for path, text in mine.items():
        assert (tmp_path / path).read_text() == text, path
    assert sorted(p.name for p in (tmp_path / ".ssh").iterdir()) == [
        "id_ed25519_signing",
        "id_ed25519_signing.pub",
    ]


@needs_git
def test_gitignore_keeps_secrets_and_local_files_out(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(GIT_DIR / "python.gitignore", repo / ".gitignore")

    ignored = [
        ".env",
        ".env.production",
        "bookstore.db",
        "bookstore.db-wal",
        ".venv/bin/python",
        "bookstore/__pycache__/app.cpython-311.pyc",
        "deploy/tls.key",
        "server.log",
    ]
    kept = [
        ".env.example",
        "bookstore/app.py",
        "requirements.txt",
        "README.md",
        "bookstore/migrations/0001_create_catalog.sql",
    ]
    for path in ignored + kept:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("x\n")

    for path in ignored:
        assert git(repo, "check-ignore", "-q", path, check=False).returncode == 0, path
    for path in kept:
        assert git(repo, "check-ignore", "-q", path, check=False).returncode == 1, path
    git(repo, "add", "-A")
    assert sorted(out(repo, "ls-files").split()) == sorted([".gitignore", *kept])


def test_changelog_follows_keep_a_changelog():
    text = (GIT_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[(.+?)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.MULTILINE)
    assert headings[0] == ("Unreleased", "")  # unreleased work on top

    releases = headings[1:]
    versions = [tuple(map(int, SEMVER.match(v).groups()[:3])) for v, _ in releases]
    dates = [date.fromisoformat(d) for _, d in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    assert dates == sorted(dates, reverse=True)  # newest first, ISO 8601 dates

    kinds = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    # Every version heading has its comparison link at the bottom.
    for version, _ in headings:
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, re.MULTILINE), version


def test_dependabot_config():
    config = yaml.safe_load((GIT_DIR / "github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert ecosystems == {"pip", "github-actions"}
    for update in config["updates"]:
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] in {"daily", "weekly", "monthly"}
        for group in update.get("groups", {}).values():
            assert set(group["update-types"]) <= {"major", "minor", "patch"}
    pip = next(u for u in config["updates"] if u["package-ecosystem"] == "pip")
    assert "major" not in pip["groups"]["minor-and-patch"]["update-types"]


def test_ci_runs_on_pull_requests():
    workflow = yaml.safe_load((GIT_DIR / "github" / "workflows" / "ci.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    # A new push cancels an obsolete run of its pull request, but every commit that lands
    # on main keeps its own complete run, so a red main points at one commit. By default
    # (queue: single) GitHub keeps one running and one pending run per concurrency group and
    # cancels older pending runs, so a push to main must not share a group with anything:
    # its group is its run id. (queue: max is refused together with cancel-in-progress.)
    concurrency = workflow["concurrency"]
    assert concurrency["group"] == "ci-${{ github.event.pull_request.number || github.run_id }}"
    assert concurrency["cancel-in-progress"] is True
    assert concurrency.get("queue", "single") == "single"
    job = workflow["jobs"]["test"]
    versions = job["strategy"]["matrix"]["python-version"]
    assert versions[0] == "3.11" and len(versions) >= 3  # production first, then newer ones
    commands = [step.get("run", "") for step in job["steps"]]
    assert any("pytest" in c for c in commands) and any("ruff" in c for c in commands)
    # The current major releases (checkout 7.0.0 in June 2026, setup-python 7.0.0 in July
    # 2026; the handbook's own CI pins checkout v7.0.1).
    uses = dict(step["uses"].split("@") for step in job["steps"] if "uses" in step)
    assert int(uses["actions/checkout"].removeprefix("v")) >= 7
    assert int(uses["actions/setup-python"].removeprefix("v")) >= 7


@pytest.mark.parametrize("stdin", [subprocess.DEVNULL, subprocess.PIPE], ids=["closed", "open"])
def test_ci_test_job_makes_a_forgotten_breakpoint_do_nothing(stdin):
    """The testing page recommends PYTHONBREAKPOINT=0 in CI: with the test job's environment,
    breakpoint() neither quits with BdbQuit (stdin closed) nor waits at (Pdb) (stdin open)."""
    workflow = yaml.safe_load((GIT_DIR / "github" / "workflows" / "ci.yml").read_text())
    env = {"PATH": os.environ["PATH"], **workflow["jobs"]["test"]["env"]}
    assert env["PYTHONBREAKPOINT"] == "0"
    code = "breakpoint()\nprint('after the breakpoint')"
    with subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=stdin, stdout=subprocess.PIPE, text=True
    ) as python:
        returncode = python.wait(timeout=30)  # an open stdin stays open and silent until then
        out = python.stdout.read()
    assert (returncode, out) == (0, "after the breakpoint\n")


def test_ci_has_one_required_check_that_fails_unless_every_test_job_passed(tmp_path):
    """Branch protection requires one check, `tests-passed`: each matrix job reports a check
    of its own ("test (3.11)", ...), and a job that only `needs` the tests is skipped when
    they fail, which GitHub does not count as a failure. So the job runs always() and fails
    unless the tests' result is success (failure, cancelled and skipped all fail it)."""
    workflow = yaml.safe_load((GIT_DIR / "github" / "workflows" / "ci.yml").read_text())
    jobs = workflow["jobs"]
    gate = jobs["tests-passed"]
    assert set(gate["needs"]) == set(jobs) - {"tests-passed"}
    assert gate["if"] == "always()"
    (step,) = gate["steps"]
    assert step["env"] == {"RESULT": "${{ needs.test.result }}"}
    for result, expected in [("success", 0), ("failure", 1), ("cancelled", 1), ("skipped", 1)]:
        run = subprocess.run(
            ["bash", "-c", step["run"]],
            env={"RESULT": result, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == expected, (result, run.stdout + run.stderr)


@pytest.mark.skipif(not ACTIONLINT.exists(), reason="actionlint is not installed")
def test_actionlint_accepts_the_workflow():
    result = subprocess.run(
        [str(ACTIONLINT), str(GIT_DIR / "github" / "workflows" / "ci.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PAGES_WITH_RECORDED_OUTPUT = [
    "docs/id/duties/version-control.md",
    "docs/en/duties/version-control.md",
    "docs/id/skills/version-control-systems.md",
    "docs/en/skills/version-control-systems.md",
]


def test_pages_state_the_recording_git_version():
    # Each page that shows examples/git/output/*.txt names the git version that recorded it.
    root = GIT_DIR.parents[1]
    version = (GIT_DIR / "output" / "GIT_VERSION").read_text(encoding="utf-8").strip()
    for page in PAGES_WITH_RECORDED_OUTPUT:
        text = (root / page).read_text(encoding="utf-8")
        assert '--8<-- "git/output/' in text, page
        assert f"Git {version} " in text, f"{page}: say the output was recorded with Git {version}"


def test_the_checks_the_fork_exercise_names_are_the_handbook_ci_checks():
    # The duty page's exercise tells readers which checks of this handbook's own CI to require
    # in their fork, and that it has no combined job: both must stay true when the CI changes.
    root = GIT_DIR.parents[1]
    workflow = yaml.safe_load((root / ".github" / "workflows" / "ci.yml").read_text())
    test_job = workflow["jobs"]["test"]
    checks = {
        test_job["name"].replace("${{ matrix.python }}", version)
        for version in test_job["strategy"]["matrix"]["python"]
    }
    assert not any("test" in job.get("needs", []) for job in workflow["jobs"].values())
    for page in ["docs/id/duties/version-control.md", "docs/en/duties/version-control.md"]:
        named = set(re.findall(r"`(test \(Python [0-9.]+\))`", (root / page).read_text()))
        assert named == checks, page
