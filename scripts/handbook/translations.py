"""Translation tracking: which version of its Indonesian original each English page translates.

Every English page carries `source_hash` in its front matter: the first 12 hex digits of the
SHA-256 of its Indonesian original (docs/id/<same path>) at the time of translation. From that:

    python scripts/translations.py status            # every page: up to date / outdated / missing
    python scripts/translations.py diff PAGE         # what changed in the original since
    python scripts/translations.py sync PAGE [...]   # mark English twins as up to date (--all)
    python scripts/translations.py pr --base REV     # the pull-request rule (CI)

The pull-request rule: a change to an Indonesian page's content must touch its English twin in the
same pull request, unless the twin says `outdated: true` in its front matter (then the site shows
readers a notice). Our own code: no MkDocs plugin tracks translations of a folder-structured
static-i18n site against content hashes, and the hash (unlike a commit id) also works in a
downloaded zip or a shallow clone.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL, TRANSLATION = "id", "en"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)

UP_TO_DATE, OUTDATED, MISSING, UNTRACKED = "up to date", "outdated", "missing", "untracked"


def content_hash(text: str) -> str:
    """Hash of a page's text, ignoring trailing white space (editors differ on it)."""
    normal = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def front_matter(text: str) -> dict[str, str]:
    """The simple `key: value` pairs of a page's front matter (enough for our keys)."""
    match = _FRONT_MATTER.match(text)
    pairs = {}
    for line in (match.group(1) if match else "").splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "\t")):
            pairs[key.strip()] = value.strip().strip("\"'")
    return pairs


def set_front_matter(text: str, key: str, value: str | None) -> str:
    """Set (or with None remove) a top-level `key: value` line in the front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ValueError("page has no front matter")
    lines = [ln for ln in match.group(1).splitlines() if not ln.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n" + text[match.end():]


@dataclass(frozen=True)
class Status:
    page: str  # path below docs/<lang>/, e.g. "duties/api-development.md"
    state: str
    recorded: str | None = None  # source_hash in the English page
    current: str | None = None  # hash of the Indonesian original now
    marked_outdated: bool = False


def page_status(page: str, docs: Path) -> Status:
    original = docs / ORIGINAL / page
    twin = docs / TRANSLATION / page
    current = content_hash(original.read_text(encoding="utf-8"))
    if not twin.is_file():
        return Status(page, MISSING, current=current)
    meta = front_matter(twin.read_text(encoding="utf-8"))
    recorded = meta.get("source_hash")
    marked = meta.get("outdated", "").lower() == "true"
    if not recorded:
        state = UNTRACKED
    elif recorded != current or marked:
        state = OUTDATED
    else:
        state = UP_TO_DATE
    return Status(page, state, recorded, current, marked)


def all_statuses(docs: Path) -> list[Status]:
    folder = docs / ORIGINAL
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))
    return [page_status(page, docs) for page in pages]


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


def original_diff(page: str, docs: Path) -> str:
    """The diff of the Indonesian original since the version the translation records."""
    status = page_status(page, docs)
    root = docs.parent
    source = (docs / ORIGINAL / page).relative_to(root).as_posix()
    if status.state in (UP_TO_DATE, MISSING):
        return ""
    try:
        commits = git("log", "--format=%H", "--", source, cwd=root).split()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "(no git history here: compare the pages by hand)"
    for commit in commits:
        try:
            old = git("show", f"{commit}:{source}", cwd=root)
        except subprocess.CalledProcessError:
            continue
        if content_hash(old) == status.recorded:
            return git("diff", commit, "--", source, cwd=root)
    return f"(no commit of {source} has hash {status.recorded}: compare the pages by hand)"


def sync(pages: list[str], docs: Path) -> list[str]:
    """Record the current hash of each original in its English twin; drop `outdated`."""
    done = []
    for page in pages:
        twin = docs / TRANSLATION / page
        current = content_hash((docs / ORIGINAL / page).read_text(encoding="utf-8"))
        text = twin.read_text(encoding="utf-8")
        updated = set_front_matter(set_front_matter(text, "source_hash", current), "outdated", None)
        if updated != text:
            twin.write_text(updated, encoding="utf-8")
            done.append(page)
    return done


def changed_files(base: str, cwd: Path = ROOT) -> set[str]:
    """Files a pull request changes: from the merge base with `base` to the working tree."""
    merge_base = git("merge-base", base, "HEAD", cwd=cwd).strip()
    return set(git("diff", "--name-only", merge_base, cwd=cwd).split())


def pr_findings(base: str, docs: Path, cwd: Path | None = None) -> list[str]:
    """Indonesian pages whose content changed while their English twin was left alone."""
    cwd = cwd or docs.parent
    changed = changed_files(base, cwd)
    prefix = (docs / ORIGINAL).relative_to(cwd).as_posix() + "/"
    findings = []
    for path in sorted(changed):
        if not (path.startswith(prefix) and path.endswith(".md")):
            continue
        page = path[len(prefix):]
        twin_path = (docs / TRANSLATION / page).relative_to(cwd).as_posix()
        if twin_path in changed or not (cwd / path).is_file():
            continue
        if page_status(page, docs).marked_outdated:
            continue
        merge_base = git("merge-base", base, "HEAD", cwd=cwd).strip()
        added, removed, _ = (git("diff", "--numstat", merge_base, "--", path, cwd=cwd).split()
                             + ["0", "0", ""])[:3]
        diff_lines = git("diff", "-U0", merge_base, "--", path, cwd=cwd).splitlines()
        excerpt = [ln for ln in diff_lines if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
        shown = "\n".join(f"    {ln[:120]}" for ln in excerpt[:6])
        more = f"\n    … and {len(excerpt) - 6} more changed lines" if len(excerpt) > 6 else ""
        findings.append(
            f"{path}: the Indonesian original changed ({added} lines added, {removed} removed) "
            f"but its English twin {twin_path} did not. Fix: update the twin and run "
            f"`python scripts/translations.py sync {page}`, or add `outdated: true` to the twin's "
            f"front matter so readers see a notice until a translator catches up. "
            f"What changed:\n{shown}{more}"
        )
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    sub = parser.add_subparsers(dest="command", required=True)
    status_cmd = sub.add_parser("status", help="every page and the state of its English twin")
    status_cmd.add_argument("--strict", action="store_true",
                            help="fail when an English page does not record its original")
    diff = sub.add_parser("diff", help="what changed in the original since it was translated")
    diff.add_argument("page")
    sync_cmd = sub.add_parser("sync", help="mark English twins as translating the current original")
    sync_cmd.add_argument("pages", nargs="*")
    sync_cmd.add_argument("--all", action="store_true")
    pr = sub.add_parser("pr", help="fail when an original changed without its twin (pull requests)")
    pr.add_argument("--base", help="the branch the pull request goes into (e.g. origin/main)")
    args = parser.parse_args(argv)
    docs = args.docs.resolve()

    if args.command == "status":
        statuses = all_statuses(docs)
        width = max(len(s.page) for s in statuses)
        for s in statuses:
            note = " (marked outdated)" if s.marked_outdated else ""
            print(f"{s.page:<{width}}  {s.state}{note}")
        untracked = [s.page for s in statuses if s.state == UNTRACKED]
        if args.strict and untracked:
            print(f"\n{len(untracked)} English page(s) do not record which version of the original "
                  "they translate: after checking each translation, run "
                  "`python scripts/translations.py sync PAGE` (it writes source_hash).")
            return 1
        return 0
    if args.command == "diff":
        print(original_diff(args.page.removeprefix("docs/id/").removeprefix("docs/en/"), docs))
        return 0
    if args.command == "sync":
        pages = [s.page for s in all_statuses(docs) if s.state != MISSING] if args.all else [
            p.removeprefix("docs/id/").removeprefix("docs/en/") for p in args.pages]
        for page in sync(pages, docs):
            print(f"synced {page}")
        return 0
    # pr
    if not args.base:
        print("translations pr: no base branch given (not a pull request): nothing to compare")
        return 0
    try:
        findings = pr_findings(args.base, docs)
    except subprocess.CalledProcessError as error:
        print(f"translations pr: cannot compare with {args.base}: {error.stderr.strip()}")
        return 2
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
