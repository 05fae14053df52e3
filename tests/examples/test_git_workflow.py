"""The version-control craft (examples/git/*.sh): every script runs for real against a
throwaway repository in a temporary directory, with its own HOME and a fixed identity, and
the tests check what git did (history shape, parents, file contents), not just the exit code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import git_support
import pytest
from git_support import GIT_DIR, matches_recording, run_script

SCRIPTS = sorted(GIT_DIR.glob("*.sh")) + [GIT_DIR / "hooks" / "commit-msg"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    return git_support.git(repo, *args).stdout.strip()


def test_recordings_are_compared_only_with_the_git_that_made_them(tmp_path, monkeypatch):
    monkeypatch.delenv("GIT_EXAMPLES_RECORD", raising=False)  # never record this garbage
    recorded_with = tmp_path / "GIT_VERSION"
    monkeypatch.setattr(git_support, "RECORDED_WITH", recorded_with)
    recorded_with.write_text(git_support.git_version() + "\n")
    assert not matches_recording("basics-graph.txt", "* 0000000 something else\n")

    recorded_with.write_text("1.0.0\n")  # another git words its output its own way
    with pytest.warns(UserWarning, match="recorded with git 1.0.0"):
        assert matches_recording("basics-graph.txt", "* 0000000 something else\n")


def parents(repo: Path, rev: str) -> list[str]:
    return git(repo, "rev-list", "--parents", "-n", "1", rev).split()[1:]


def subject(repo: Path, rev: str) -> str:
    return git(repo, "show", "-s", "--format=%s", rev)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bash_syntax(script):
    result = subprocess.run(
        ["bash", "-n", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_shellcheck(script):
    result = subprocess.run(
        ["shellcheck", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("script", sorted(GIT_DIR.glob("*.sh")), ids=lambda p: p.name)
def test_second_run_in_the_same_folder_stops_with_a_clear_message(script, tmp_path):
    if script.name == "signing.sh" and shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen is not installed")
    run_script(script.name, tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    again = subprocess.run(
        ["bash", str(script)],
        cwd=tmp_path,
        env=git_support.git_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 1
    assert re.fullmatch(
        rf"{script.name}: \./\S+ already exists — fix: run this script in an empty folder\n",
        again.stderr,
    )
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_hook_is_executable():
    # git silently skips a hook without the executable bit.
    assert os.access(GIT_DIR / "hooks" / "commit-msg", os.X_OK)


def test_commit_branch_merge(tmp_path):
    out = run_script("basics.sh", tmp_path)
    repo = tmp_path / "bookstore"

    # HEAD names a branch; the branch names a commit; the commit names a tree.
    assert (repo / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert "ref: refs/heads/main" in out
    assert re.search(r"^tree [0-9a-f]{40}(?:[0-9a-f]{24})?$", out, re.MULTILINE)
    assert re.search(r"^100644 blob [0-9a-f]{40}(?:[0-9a-f]{24})?\tpricing\.py$", out, re.MULTILINE)
    inside = re.search(r"^ref: refs/heads/main$.*?\tpricing\.py$", out, re.MULTILINE | re.DOTALL)
    assert inside and matches_recording("basics-inside.txt", inside[0])

    # The merge commit has two parents: main's own commit and the branch's commit.
    first, second = parents(repo, "HEAD")
    assert subject(repo, first) == "docs: explain how to run the service"
    assert subject(repo, second) == "feat(pricing): start the discount at three copies"
    # The branch name is gone, its commit is not.
    assert git(repo, "branch", "--format=%(refname:short)") == "main"
    assert (repo / "pricing.py").read_text() == (
        "BULK_DISCOUNT_PERCENT = 10\nBULK_DISCOUNT_MIN_COPIES = 3\n"
    )
    assert git(repo, "status", "--porcelain") == ""
    assert matches_recording("basics-graph.txt", git(repo, "log", "--oneline", "--graph"))


def test_conflict_is_produced_and_resolved(tmp_path):
    out = run_script("conflict.sh", tmp_path)
    repo = tmp_path / "bookstore"

    assert "CONFLICT (content): Merge conflict in pricing.py" in out
    assert "UU pricing.py" in out
    # zdiff3: ours, the common ancestor, theirs.
    markers = re.search(
        r"<<<<<<< HEAD\nDISCOUNT_PERCENT = 15\n\|\|\|\|\|\|\| [0-9a-f]+\n"
        r"DISCOUNT_PERCENT = 10\n=======\nBULK_DISCOUNT_PERCENT = 10\n"
        r">>>>>>> refactor/discount-name\n",
        out,
    )
    assert markers, out
    assert matches_recording("conflict-markers.txt", markers[0])

    # Resolved with both intents, committed as a merge, nothing left over.
    assert (repo / "pricing.py").read_text() == "BULK_DISCOUNT_PERCENT = 15\n"
    assert len(parents(repo, "HEAD")) == 2
    assert subject(repo, "HEAD") == "Merge branch 'refactor/discount-name'"
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff", "--name-only", "--diff-filter=U") == ""


def test_short_lived_branch_rebase_and_pull_request(tmp_path):
    out = run_script("team_flow.sh", tmp_path)
    origin = tmp_path / "origin.git"
    ayu = tmp_path / "ayu"

    # The branch was force-pushed safely after the rebase, then deleted after the merge.
    assert "(forced update)" in out
    assert git(origin, "branch", "--format=%(refname:short)") == "main"
    assert git(ayu, "branch", "--format=%(refname:short)") == "main"

    # main ends in one merge commit: first parent Budi's fix, second parent Ayu's commit ...
    fix, feature = parents(origin, "main")
    assert subject(origin, fix) == "fix(pricing): round discounts half up"
    assert subject(origin, feature) == "feat(orders): limit an order to 10 copies per title"
    # ... and Ayu's commit sits on top of Budi's fix: that is what the rebase did.
    assert parents(origin, feature) == [fix]
    assert git(origin, "rev-list", "--count", "--merges", "main") == "1"
    # Ayu's main is exactly the remote main.
    assert git(ayu, "rev-parse", "main") == git(origin, "rev-parse", "main")
    assert (ayu / "orders.py").read_text() == "MAX_LINES = 20\nMAX_COPIES_PER_TITLE = 10\n"
    assert matches_recording("team-flow-graph.txt", git(ayu, "log", "--oneline", "--graph"))


def test_bisect_run_finds_the_bad_commit(tmp_path):
    out = run_script("bisect.sh", tmp_path)
    repo = tmp_path / "bookstore"

    found = re.search(
        r"^([0-9a-f]{40}(?:[0-9a-f]{24})?) is the first bad commit$", out, re.MULTILINE
    )
    assert found, out
    rounds = re.search(r"^Bisecting:.*?^ 1 file changed.*?$", out, re.MULTILINE | re.DOTALL)
    assert rounds and matches_recording("bisect-run.txt", rounds[0])
    assert subject(repo, found[1]) == "refactor(pricing): compute the discount with a factor"
    # Six commits, one good end and one bad end: three rounds are enough.
    assert out.count("running") == 3
    # `git bisect reset` put the repository back on main, with no bisect state left.
    assert git(repo, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert git(repo, "for-each-ref", "refs/bisect") == ""


def section(script: str, name: str) -> str:
    """The lines between a snippet section's start and end markers in examples/git/<script>."""
    scissors = "--8" + "<--"  # spelled in two parts, so this file declares no section itself
    pattern = rf"# {scissors} \[start:{name}\]\n(.*?)# {scissors} \[end:{name}\]"
    found = re.search(pattern, (GIT_DIR / script).read_text(encoding="utf-8"), re.DOTALL)
    assert found, f"{script}: no section {name}"
    return found[1]


def test_bisect_run_leaves_no_bytecode(tmp_path):
    # python3 -B: no __pycache__ whose timestamp-checked .pyc a later round could reuse.
    run_script("bisect.sh", tmp_path)
    assert not (tmp_path / "bookstore" / "__pycache__").exists()


def test_bisect_check_skips_a_commit_it_cannot_test(tmp_path):
    run_script("bisect.sh", tmp_path)
    check = tmp_path / "bookstore" / "check_discount.py"  # untracked, so still there
    for name, pricing in [("no-module", None), ("no-function", "PERCENT = 10\n")]:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(check, folder)
        if pricing is not None:
            (folder / "pricing.py").write_text(pricing)
        result = subprocess.run(
            ["python3", "-B", "check_discount.py"],
            cwd=folder,
            env=git_support.git_env(tmp_path),
            capture_output=True,
            check=False,
        )
        assert result.returncode == 125, (name, result.stderr)  # skip, not "bad"


def test_bisect_section_is_not_fooled_by_versions_of_the_same_size(tmp_path):
    """Python trusts a .pyc whose source has the same size and modification second. Bisect
    checks out files within the same second, so without -B a later round could run the
    previous round's pricing.py. Here the good and the bad version have the same size."""
    repo = tmp_path / "bookstore"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    good = "def discounted(cents, percent):\n    return (cents * (100 - percent) + 50) // 100\n"
    bad = good.replace("+ 50", "- 50")  # same length, 999 instead of 1000
    (repo / "pricing.py").write_text(good)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feat(pricing): discount rounded half up")
    git(repo, "tag", "-a", "v1.0.0", "-m", "Release 1.0.0")
    for number in range(1, 7):
        if number == 3:
            (repo / "pricing.py").write_text(bad)
        (repo / "NOTES.md").write_text(f"note {number}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"docs: note {number}")
    expected = git(repo, "rev-parse", "HEAD~3")

    result = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + section("bisect.sh", "bisect_run")],
        cwd=repo,
        env=git_support.git_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{expected} is the first bad commit" in result.stdout


GOOD_MESSAGES = [
    "feat(orders): accept an Idempotency-Key header",
    "fix: round discounts half up",
    "feat(api)!: remove the v0 endpoints",
    "docs: explain the release process\n\nThe body explains why, wrapped at 72 columns.\n",
    "Merge branch 'feat/order-limit'",
    'Revert "feat(orders): limit copies per title"',
    'Reapply "feat(orders): limit copies per title"',  # git 2.43+ reverting a revert
    "fixup! fix: round discounts half up",
    "fix: a",  # a one-character summary
    # What the file holds after an editor session: git's template comments follow.
    "feat: add the order limit\n# Please enter the commit message for your changes.\n#\n",
    "\n\nfeat: add the order limit  \n",  # git drops leading blank lines, trailing spaces
    # After `git commit -v`: git drops everything from the scissors line on (the diff).
    (
        "feat: add the order limit\n# Please enter the commit message for your changes.\n"
        "# ------------------------ >8 ------------------------\n"
        "# Do not modify or remove the line above.\ndiff --git a/orders.py b/orders.py\n"
    ),
]
BAD_MESSAGES = [
    "fixed stuff",  # no type
    "Feat: add the order limit",  # the type is lowercase
    "feat(Orders): add the order limit",  # so is the scope
    "feat: add the order limit.",  # no full stop at the end
    "feat:add the order limit",  # a space after the colon
    "feature: add the order limit",  # not a known type
    "feat: " + "x" * 70,  # 76 characters
    "feat: add the order limit\nbody right below the subject\n",  # line 2 must be empty
    "feat: add the order limit\n# a comment\nbody right below the subject\n",  # still line 2
    "# only a comment\nfeat add the order limit\n",  # the comment is not the subject
]


# `git commit -m` and `-F` open no editor: git keeps lines that start with "#" as text.
GOOD_MESSAGES_WITHOUT_EDITOR = [
    "fix: round discounts half up",
    "docs: explain the release process\n\n# Why\nA heading in the body is text.\n",
]
BAD_MESSAGES_WITHOUT_EDITOR = [
    "# 123 fix the README",  # recorded as the subject, so it is checked as one
    "feat: add the order limit\n# not a comment here\n",  # line 2 is not empty
]


def run_hook(
    message: str, tmp_path: Path, *, editor: bool, locale: str = "C"
) -> subprocess.CompletedProcess:
    """Run the hook on a message file as git does: GIT_EDITOR=: when no editor was opened."""
    msg = tmp_path / "COMMIT_EDITMSG"
    msg.write_text(message + "\n", encoding="utf-8")
    env = git_support.git_env(tmp_path)
    env["LC_ALL"] = locale
    if not editor:
        env["GIT_EDITOR"] = ":"
    return subprocess.run(
        [str(GIT_DIR / "hooks" / "commit-msg"), str(msg)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.mark.parametrize(
    ("message", "editor"),
    [(m, True) for m in GOOD_MESSAGES] + [(m, False) for m in GOOD_MESSAGES_WITHOUT_EDITOR],
)
def test_commit_msg_hook_accepts(message, editor, tmp_path):
    result = run_hook(message, tmp_path, editor=editor)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("message", "editor"),
    [(m, True) for m in BAD_MESSAGES] + [(m, False) for m in BAD_MESSAGES_WITHOUT_EDITOR],
)
def test_commit_msg_hook_rejects(message, editor, tmp_path):
    result = run_hook(message, tmp_path, editor=editor)
    assert result.returncode == 1
    assert result.stderr.startswith("commit-msg: ")


SCISSORS = "------------------------ >8 ------------------------"


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
@pytest.mark.parametrize("comment", ["//", "§"], ids=["two-bytes", "non-ascii"])
def test_commit_msg_hook_cuts_at_a_scissors_line_with_a_longer_comment_string(
    comment, locale, tmp_path
):
    """Git 2.45 and newer accept a core.commentChar (or core.commentString) of several bytes,
    and `git commit -v` then writes "// ------------------------ >8 ..." above the diff. The
    Git 2.39 of the tests cannot write that file, so the test writes it (a regression test:
    the hook cut only after a one-byte prefix, kept the diff as line 2 and refused the commit)."""
    message = f"docs: add a README\n{comment} {SCISSORS}\ndiff --git a/README.md b/README.md\n"
    result = run_hook(message, tmp_path, editor=True, locale=locale)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_commit_msg_hook_counts_the_subject_in_characters_in_any_locale(locale, tmp_path):
    """In UTF-8 "é" is two bytes, so this subject of 66 characters has 126 bytes (a regression
    test: under LC_ALL=C the hook counted bytes and refused it as "126 characters")."""
    accepted = run_hook("feat: " + "é" * 60, tmp_path, editor=True, locale=locale)
    assert accepted.returncode == 0, accepted.stderr
    refused = run_hook("feat: " + "é" * 67, tmp_path, editor=True, locale=locale)
    assert refused.returncode == 1
    assert refused.stderr.startswith("commit-msg: the subject has 73 characters; "), refused.stderr


@pytest.mark.parametrize("args", [[], ["no-such-file"], ["a", "b"]], ids=["none", "missing", "two"])
def test_commit_msg_hook_refuses_bad_arguments_plainly(args, tmp_path):
    result = subprocess.run(
        [str(GIT_DIR / "hooks" / "commit-msg"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("commit-msg: expected one readable message file — fix: ")


def test_git_runs_the_hook(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "core.hooksPath", str(GIT_DIR / "hooks"))
    (repo / "README.md").write_text("# Bookstore\n")
    git(repo, "add", "README.md")

    with pytest.raises(subprocess.CalledProcessError) as refused:
        git(repo, "commit", "-q", "-m", "added readme")
    assert "is not 'type(scope): summary'" in refused.value.stderr
    assert git(repo, "rev-list", "--all") == ""  # no commit was made

    git(repo, "commit", "-q", "-m", "docs: add a README")
    assert subject(repo, "HEAD") == "docs: add a README"


def test_git_runs_the_hook_on_a_message_written_in_the_editor(tmp_path):
    """Without -m, git hands the hook the editor's file, template comments included:
    a subject typed on line 1 of that template must pass (a regression test)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "core.hooksPath", str(GIT_DIR / "hooks"))
    editor = tmp_path / "editor.sh"  # types the subject on the empty first line
    editor.write_text("#!/bin/sh\nsed -i.bak '1s/^$/docs: add a README/' \"$1\"\n")
    editor.chmod(0o755)
    git(repo, "config", "core.editor", str(editor))
    (repo / "README.md").write_text("# Bookstore\n")
    git(repo, "add", "README.md")

    git(repo, "commit", "-q")
    assert git(repo, "log", "-1", "--format=%B") == "docs: add a README"


@pytest.mark.parametrize("comment_char", ["#", ";"])
def test_git_runs_the_hook_on_a_verbose_editor_message(comment_char, tmp_path):
    """With `git commit -v` (or commit.verbose), the editor's file ends with a scissors line
    and the diff, which git drops before recording: the hook must drop it too (a regression
    test: the diff's first line used to become "line 2" and every such commit was refused)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "core.hooksPath", str(GIT_DIR / "hooks"))
    git(repo, "config", "core.commentChar", comment_char)
    git(repo, "config", "commit.verbose", "true")
    editor = tmp_path / "editor.sh"  # types the subject on the empty first line
    editor.write_text("#!/bin/sh\nsed -i.bak '1s/^$/docs: add a README/' \"$1\"\n")
    editor.chmod(0o755)
    git(repo, "config", "core.editor", str(editor))
    (repo / "README.md").write_text("# Bookstore\n")
    git(repo, "add", "README.md")

    git(repo, "commit", "-q")
    assert git(repo, "log", "-1", "--format=%B") == "docs: add a README"


def test_git_runs_the_hook_on_a_message_given_with_m_as_git_records_it(tmp_path):
    """`git commit -m` keeps lines that start with "#" (no editor, so no comments to strip):
    a subject such as "# 123 fix" is recorded as it is, so the hook must refuse it (a
    regression test: the hook stripped it as a comment and let an empty-looking message pass)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "core.hooksPath", str(GIT_DIR / "hooks"))
    (repo / "README.md").write_text("# Bookstore\n")
    git(repo, "add", "README.md")

    with pytest.raises(subprocess.CalledProcessError) as refused:
        git(repo, "commit", "-q", "-m", "# 123 fix the README")
    assert "is not 'type(scope): summary'" in refused.value.stderr
    assert git(repo, "rev-list", "--all") == ""

    # A "#" line further down is body text, kept by git and accepted by the hook.
    git(repo, "commit", "-q", "-m", "docs: add a README", "-m", "# Why\nThe service needs one.")
    assert git(repo, "log", "-1", "--format=%B").splitlines()[2] == "# Why"


def test_bisect_run_that_cannot_start_its_check_still_ends_the_session(tmp_path):
    """A check that cannot even start (python3 missing: exit 127) makes git stop the run
    ("bogus exit code 127 for good revision"). The script must still fail, and must not
    leave the repository in the middle of a bisect session (a regression test)."""
    fake_bin = tmp_path / "no-python"
    fake_bin.mkdir()
    python3 = fake_bin / "python3"  # stands for a missing interpreter: the shell's 127
    python3.write_text("#!/bin/sh\necho 'python3: not found' >&2\nexit 127\n")
    python3.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    env = git_support.git_env(work)
    env["PATH"] = os.pathsep.join([str(fake_bin), env["PATH"]])

    result = subprocess.run(
        ["bash", str(GIT_DIR / "bisect.sh")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0, result.stdout
    repo = work / "bookstore"
    assert git(repo, "symbolic-ref", "HEAD") == "refs/heads/main"
    assert git(repo, "for-each-ref", "refs/bisect") == ""
    assert not (repo / ".git" / "BISECT_LOG").exists()


@pytest.mark.parametrize("script", sorted(GIT_DIR.glob("*.sh")), ids=lambda p: p.name)
def test_without_a_git_identity_the_script_stops_before_creating_anything(script, tmp_path):
    """A reader who has not set user.email yet gets git's own instructions, and no half-built
    folder that the next run would refuse, even where git could guess the address: from
    $EMAIL, as here, or from the user and host names on a host with a domain name (a
    regression test: the scripts ran on with the guess, so the pages' promise was untrue)."""
    env = git_support.git_env(tmp_path)
    for key in [k for k in env if k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_"))]:
        del env[key]
    # A name, and an address that git alone would take: it guesses "Ayu <ayu@example.com>".
    env.update(EMAIL="ayu@example.com", GIT_AUTHOR_NAME="Ayu", GIT_COMMITTER_NAME="Ayu")
    guessed = subprocess.run(
        ["git", "var", "GIT_AUTHOR_IDENT"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert guessed.stdout.startswith("Ayu <ayu@example.com> "), guessed.stderr

    result = subprocess.run(
        ["bash", str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "Please tell me who you are" in result.stderr
    assert 'git config --global user.email "you@example.com"' in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_python_reuses_a_stale_pyc_when_size_and_second_match(tmp_path):
    """What the page says about -B, shown without depending on timing: Python trusts a .pyc
    whose source has the same size and modification time in seconds, so after a checkout in
    the same second it runs the previous version of the module."""
    good = "def discounted(cents, percent):\n    return (cents * (100 - percent) + 50) // 100\n"
    bad = good.replace("+ 50", "- 50")  # same length
    source = tmp_path / "pricing.py"
    source.write_text(good)
    os.utime(source, (1_793_584_800, 1_793_584_800))
    check = ["python3", "-c", "from pricing import discounted; print(discounted(1999, 50))"]
    env = git_support.git_env(tmp_path)

    def run(*flags: str) -> str:
        result = subprocess.run(
            [check[0], *flags, *check[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert run() == "1000"  # writes __pycache__/pricing.cpython-*.pyc
    source.write_text(bad)  # what a checkout within the same second looks like
    os.utime(source, (1_793_584_800, 1_793_584_800))
    assert run() == "1000"  # the stale .pyc: not what pricing.py says now
    shutil.rmtree(tmp_path / "__pycache__")
    assert run("-B") == "999"  # the source itself, and no .pyc written for the next run
    assert not (tmp_path / "__pycache__").exists()
