"""Running the git samples of examples/git/ in a throwaway folder (shared by the git tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

GIT_DIR = Path(__file__).resolve().parents[2] / "examples" / "git"
OUTPUT = GIT_DIR / "output"


def git_env(home: Path) -> dict[str, str]:
    """A clean environment: no user or system git config, one identity, fixed dates (so
    commit ids are the same on every run), English messages, and this Python first on PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {"PATH": path, "HOME": str(home), "LC_ALL": "C", "GIT_CONFIG_NOSYSTEM": "1"}
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"] = "Ayu"
        env[f"GIT_{who}_EMAIL"] = "ayu@example.com"
        env[f"GIT_{who}_DATE"] = "2026-11-02T09:00:00+07:00"
    return env


def run_script(name: str, tmp_path: Path) -> str:
    """Run examples/git/<name> in tmp_path; fail with its output if it fails."""
    result = subprocess.run(
        ["bash", str(GIT_DIR / name)],
        cwd=tmp_path,
        env=git_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in repo with the clean environment (timeout 30 s)."""
    return subprocess.run(
        ["git", *args],
        cwd=repo,
        env=git_env(repo.parent),
        capture_output=True,
        text=True,
        timeout=30,
        check=check,
    )


def git_version() -> str:
    """The version of the git on PATH, for example "2.39.5"."""
    out = subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout
    return out.split()[2]


RECORDED_WITH = OUTPUT / "GIT_VERSION"  # the git that recorded output/*.txt (the pages say so)


def matches_recording(name: str, fresh: str) -> bool:
    """The output a page includes (examples/git/output/<name>) is what git prints today.
    Commit ids are stable because identity and dates are fixed, but git's wording changes
    between versions (newer ones print `git bisect run`'s command without quotes, for
    example), so the comparison needs the git version that recorded the files; with another
    version it only warns. Set GIT_EXAMPLES_RECORD=1 to write the files again after changing
    a script: that also records the version, and test_pages_state_the_recording_git_version
    then asks for the date and version the pages state next to the output."""
    fresh = "\n".join(line.rstrip() for line in fresh.strip().splitlines()) + "\n"
    path = OUTPUT / name
    if os.environ.get("GIT_EXAMPLES_RECORD") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(fresh, encoding="utf-8")
        RECORDED_WITH.write_text(git_version() + "\n", encoding="utf-8")
    recorded_with = RECORDED_WITH.read_text(encoding="utf-8").strip()
    if git_version() != recorded_with:
        warnings.warn(
            f"{name}: recorded with git {recorded_with}, this is git {git_version()}: not compared",
            stacklevel=2,
        )
        return True
    return path.read_text(encoding="utf-8") == fresh
