"""Check an sshd_config for the settings a server reachable from the internet needs.

`sshd -t` (run in the tests where openssh-server is installed) proves that sshd accepts the file;
it does not say whether the file is safe. This lint reads one file the way sshd splits it —
keywords are case-insensitive, separated from the value by spaces, tabs or one `=`, values may be
quoted, the first value of a keyword wins, ChallengeResponseAuthentication is another name for
KbdInteractiveAuthentication (sshd_config(5)) — and reports each unsafe or missing setting as
`file:line: what — fix: how`. It does NOT follow `Include`: it reports the line instead, because
an included file read first wins; `sudo sshd -T` on the server is the final check. Match blocks
are skipped: they only narrow the settings for some connections; this lint judges the defaults.

Run: python -m hardening.sshd_lint /etc/ssh/sshd_config.d/10-hardening.conf
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# --8<-- [start:lint]
REQUIRED = {  # keyword (lowercase) -> (the safe value, sshd's default in OpenSSH 9.x)
    "permitrootlogin": ("no", "prohibit-password"),
    "passwordauthentication": ("no", "yes"),
    "kbdinteractiveauthentication": ("no", "yes"),
    "permitemptypasswords": ("no", "no"),
    "pubkeyauthentication": ("yes", "yes"),
}
ALIASES = {"challengeresponseauthentication": "kbdinteractiveauthentication"}


def lint_sshd(text: str, filename: str = "sshd_config") -> list[str]:
    """Unsafe or missing settings; an empty list means the global settings are safe."""
    seen: dict[str, tuple[int, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        keyword, value = re.match(r"([^\s=]*)\s*(?:=\s*)?(.*)", line).groups()
        keyword = ALIASES.get(keyword.lower(), keyword.lower())
        if keyword == "match":  # everything after the first Match belongs to Match blocks
            break
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] == '"':
            value = value[1:-1]
        seen.setdefault(keyword, (number, value))  # first value wins, as in sshd
    problems = []
    if "include" in seen:
        problems.append(f"{filename}:{seen['include'][0]}: Include is not followed by this lint "
                        "— fix: lint each included file, then run 'sudo sshd -T' on the server")
    for keyword, (safe, default) in REQUIRED.items():
        number, value = seen.get(keyword, (0, default))
        if value.lower() != safe:
            where, shown = (f"{filename}:{number}", value) if number else (
                filename, f"{value} (the default)")
            problems.append(f"{where}: {keyword} is {shown} — fix: set it to {safe} "
                            "before any other value of it")
    if "allowusers" not in seen and "allowgroups" not in seen:
        problems.append(f"{filename}: any account may log in — fix: AllowUsers deploy")
    return problems
# --8<-- [end:lint]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m hardening.sshd_lint SSHD_CONFIG", file=sys.stderr)
        return 2
    path = Path(args[0])
    try:
        with path.open("rb") as file:  # at most 1 MB: a config is a few kilobytes
            data = file.read(1_000_001)
        if len(data) > 1_000_000:
            raise OSError(0, "over 1000000 bytes")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read ({exc}) — fix: pass a readable UTF-8 file", file=sys.stderr)
        return 2
    problems = lint_sshd(text, str(path))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{path}: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
