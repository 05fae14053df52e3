"""A host firewall for the bookstore's server: render an nftables ruleset from a short list of
what may be reached, lint a ruleset file for the three rules everything else depends on, and
compare what `ss` says is listening with what should be.

Why generate and lint in Python instead of only running `nft -c -f`: `nft -c` needs the nftables
package and, because it talks to the kernel over netlink, root (CAP_NET_ADMIN); the tests here run
without either. The page shows the `sudo nft -c -f` command to run on the server itself.

Run: python -m hardening.firewall render | lint FILE | listening
"""

from __future__ import annotations

import ipaddress
import re
import subprocess
import sys
from pathlib import Path


class FirewallError(ValueError):
    """A value the ruleset cannot be built from, phrased as `what — fix: how`."""


def _port(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        raise FirewallError(f"port {value!r} — fix: an integer from 1 to 65535")
    return value


# --8<-- [start:render]
def render_ruleset(ssh_port: int = 22, public_tcp: tuple[int, ...] = (80, 443),
                   ssh_from: tuple[str, ...] = ()) -> str:
    """An inet (IPv4 + IPv6) table: drop what is not allowed, keep replies, allow SSH and web."""
    ssh = _port(ssh_port)
    public = sorted({_port(p) for p in public_tcp} - {ssh})
    try:
        nets = [ipaddress.ip_network(n) for n in ssh_from]
    except ValueError as exc:
        raise FirewallError(f"{exc} — fix: write a network such as 203.0.113.0/24") from None
    for n in nets:  # Python keeps any text after % as an IPv6 zone and str() writes it back
        if n.version == 6 and n.network_address.scope_id:
            raise FirewallError(f"{n} has a zone (%...) — fix: write the network without it")
    if nets:
        v4 = ", ".join(str(n) for n in nets if n.version == 4)
        v6 = ", ".join(str(n) for n in nets if n.version == 6)
        ssh_rules = ([f"ip saddr {{ {v4} }} tcp dport {ssh} accept"] if v4 else []) + (
            [f"ip6 saddr {{ {v6} }} tcp dport {ssh} accept"] if v6 else [])
    else:
        ssh_rules = [f"tcp dport {ssh} accept"]
    web = [f"tcp dport {{ {', '.join(map(str, public))} }} accept"] if public else []
    rules = ["ct state established,related accept", "ct state invalid drop", 'iif "lo" accept',
             "meta l4proto { icmp, ipv6-icmp } accept", *ssh_rules, *web]
    body = "\n".join(f"\t\t{r}" for r in rules)
    return ("table inet hostfw\ndelete table inet hostfw\n"  # replace our table, keep others
            "table inet hostfw {\n\tchain input {\n"
            "\t\ttype filter hook input priority filter; policy drop;\n"
            f"{body}\n\t}}\n}}\n")  # no forward chain: its drop would also stop Docker
# --8<-- [end:render]


def _statements(lines: list[str], hook: int):
    """(index, text) for each statement of the chain that starts at `hook`; a set written over
    several lines ({ ... }) is joined into one statement. Our own small reader: nft has no
    Python parser, and these three checks need only statements, not a full grammar."""
    depth, start, parts = 1, hook, []
    for i in range(hook + 1, len(lines)):
        opened = lines[i].count("{") - lines[i].count("}")
        if depth + opened <= 0:  # the brace that closes the input chain
            if parts:
                yield start, " ".join(parts)
            return
        start, parts = (start if parts else i), [*parts, lines[i]]
        depth += opened
        if depth == 1:
            yield start, " ".join(parts)
            parts = []


# --8<-- [start:lint]
def lint_ruleset(text: str, ssh_port: int = 22, filename: str = "ruleset.nft") -> list[str]:
    """The input hook must drop by default, accept replies and accept SSH (or you lock
    yourself out); the first two must come before any rule that drops."""
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    hook = next((i for i, line in enumerate(lines) if re.search(r"\bhook input\b", line)), None)
    if hook is None:
        return [f"{filename}: no chain on the input hook — fix: add one with policy drop"]
    problems, policy, established, ssh = [], None, None, None
    ssh_rule = re.compile(rf"tcp dport (\{{[^}}]*\b{ssh_port}\b[^}}]*\}}|{ssh_port}) accept")
    for i, line in [(hook, lines[hook].split("hook input", 1)[1]), *_statements(lines, hook)]:
        if policy is None and re.search(r"\bpolicy\s+\w+", line):
            policy = (i, re.search(r"\bpolicy\s+(\w+)", line).group(1))
            continue
        if established is None and re.search(r"ct state [\w,]*established[\w,]* accept", line):
            established = i
        if ssh is None and ssh_rule.search(line):
            ssh = i
        if re.search(r"\b(drop|reject)\b", line) and "invalid" not in line and established is None:
            problems.append(f"{filename}:{i + 1}: drops before replies are accepted — fix: put "
                            "'ct state established,related accept' first")
    if policy is None or policy[1] != "drop":
        number = (policy or (hook,))[0] + 1
        problems.insert(0, f"{filename}:{number}: input policy is not drop — fix: policy drop;")
    if established is None:
        problems.append(f"{filename}: replies are not accepted — fix: "
                        "ct state established,related accept")
    if ssh is None:
        problems.append(f"{filename}: no rule accepts SSH on {ssh_port} — fix: add "
                        f"'tcp dport {ssh_port} accept' before loading, or you lock yourself out")
    return problems
# --8<-- [end:lint]


# --8<-- [start:listening]
def listeners(ss_output: str) -> list[tuple[str, int, str]]:
    """(address, port, process) for each line of `ss -Htulnp` (-H: no header; with -t and -u
    each line starts with tcp or udp, and a UDP socket's state is UNCONN)."""
    found = []
    for line in ss_output.splitlines():
        fields = line.split()
        if fields[:1] in (["tcp"], ["udp"]):
            fields = fields[1:]
        if len(fields) < 4 or fields[0] not in ("LISTEN", "UNCONN"):
            continue
        address, _, port = fields[3].rpartition(":")
        if not port.isdigit():  # not the shape ss prints: skip the line rather than guess
            continue
        process = re.search(r'users:\(\("([^"]+)"', line)
        found.append((address.strip("[]"), int(port), process.group(1) if process else "?"))
    return found


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:  # "*" (all addresses) or a name: treat as public
        return False
    mapped = getattr(ip, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is IPv4 loopback
    return (mapped or ip).is_loopback


def unexpected(ss_output: str, public_ports: set[int]) -> list[str]:
    """Listeners reachable from outside (not loopback) on a port that should not be public."""
    return [f"{process} listens on {f'[{address}]' if ':' in address else address}:{port} — "
            "fix: bind it to 127.0.0.1 or stop it"
            for address, port, process in listeners(ss_output)
            if not _loopback(address) and port not in public_ports]
# --8<-- [end:listening]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["render"]:
        print(render_ruleset(), end="")
        return 0
    if args[:1] == ["lint"] and len(args) == 2:
        try:
            with Path(args[1]).open("rb") as file:  # at most 1 MB: /dev/zero must not fill memory
                data = file.read(1_000_001)
            if len(data) > 1_000_000:
                raise OSError(0, "over 1000000 bytes")
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args[1]}: cannot read ({exc}) — fix: pass a UTF-8 file", file=sys.stderr)
            return 2
        problems = lint_ruleset(text, filename=args[1])
        print("\n".join(problems) or f"{args[1]}: ok", file=sys.stderr if problems else sys.stdout)
        return 1 if problems else 0
    if args[:1] == ["listening"]:
        try:
            out = subprocess.run(["ss", "-Htulnp"], capture_output=True, text=True,
                                 check=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"ss: cannot run ({exc}) — fix: apt-get install iproute2", file=sys.stderr)
            return 2
        problems = unexpected(out, {22, 80, 443})
        print("\n".join(problems) or "nothing unexpected listens", file=sys.stderr if problems else sys.stdout)
        return 1 if problems else 0
    print("usage: python -m hardening.firewall render | lint FILE | listening", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
