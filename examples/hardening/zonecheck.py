"""Check a DNS zone file before it goes to the DNS provider.

dnspython parses the zone (RFC 1035 master file syntax) and already refuses what the RFCs forbid:
a CNAME beside other data at one name (RFC 1034 §3.6.2; the apex always holds SOA and NS), a zone
without SOA or NS at its origin, and `$INCLUDE` (off unless asked for). Two things it allows by
default are closed here: `$GENERATE` (one line can create millions of names, so only `$ORIGIN`
and `$TTL` are allowed) and owner names outside the origin (dnspython drops them silently, so
`_outside` reports them). This module turns those
errors into `file:line: what — fix: how` and adds the checks a back end needs on top: CAA, SPF,
DMARC, MX targets and, during a migration, short TTLs on the records that will change.

Run: python -m hardening.zonecheck ZONEFILE [--origin bookstore.example.] [--moving NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dns.exception
import dns.name
import dns.rdatatype
import dns.zone
import dns.zonefile

ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA, dns.rdatatype.CNAME)
MAX_BYTES = 1_000_000  # a hand-kept zone is a few kilobytes; refuse a runaway file early


class ZoneError(Exception):
    """One problem, already phrased as `file:line: what — fix: how`."""


def _owners(text: str, origin: dns.name.Name):
    """(line, owner name, rest of the line) for each record. A small reader of our own because
    dnspython reports no line for a record it drops or for a CNAME beside other data."""
    current, owner, depth = origin, origin, 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(";", 1)[0]
        new_owner = depth == 0 and line[:1] not in ("", " ", "\t")
        if depth == 0 and line.strip():
            fields = line.split()
            try:
                if new_owner and fields[0].upper() == "$ORIGIN":
                    current = dns.name.from_text(fields[1], origin)
                elif new_owner and not fields[0].startswith("$"):
                    owner = origin if fields[0] == "@" else dns.name.from_text(fields[0], current)
                    yield number, owner, fields[1:]
                elif not new_owner:
                    yield number, owner, fields
            except (dns.exception.DNSException, IndexError):
                pass  # dnspython reports the syntax error with its line
        depth = max(depth + line.count("(") - line.count(")"), 0)


def _outside(text: str, origin: dns.name.Name, path: Path) -> None:
    """Refuse an owner name outside the origin (dnspython would skip it and say ok)."""
    for number, name, _ in _owners(text, origin):
        if not name.is_subdomain(origin):
            raise ZoneError(f"{path}:{number}: {name} is outside {origin} — fix: move the "
                            "record to that zone or write the name relative to this one")


def _cname_line(text: str, origin: dns.name.Name) -> int:
    records = list(_owners(text, origin))
    other = {name for _, name, rest in records if "CNAME" not in (f.upper() for f in rest)}
    return next((n for n, name, rest in records if name in other and "CNAME" in
                 (f.upper() for f in rest)), 1)  # the CNAME whose name has other records


# --8<-- [start:load]
def load_zone(path: Path, origin: str) -> dns.zone.Zone:
    """Parse a zone file; every parse error becomes one ZoneError line."""
    try:
        apex = dns.name.from_text(origin)
    except dns.exception.DNSException as exc:
        raise ZoneError(f"--origin {origin!r}: {exc} — fix: write it as bookstore.example.") from None
    try:
        with path.open("rb") as file:  # read at most one byte past the limit (/dev/zero ends)
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ZoneError(f"{path}: cannot read ({exc.strerror}) — fix: check the path") from None
    if len(data) > MAX_BYTES:
        raise ZoneError(f"{path}: over {MAX_BYTES} bytes — fix: split it or pass the right file")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ZoneError(f"{path}:{line}: non-ASCII byte — fix: write names in punycode "
                        "(xn--...), e.g. with 'idn2'") from None
    _outside(text, apex, path)
    try:  # allow_include stays False: a zone file must not read other files
        return dns.zone.from_text(text, origin=apex, relativize=False, filename=str(path),
                                  allow_directives={"$ORIGIN", "$TTL"})  # no $GENERATE
    except dns.zonefile.CNAMEAndOtherData:
        raise ZoneError(f"{path}:{_cname_line(text, apex)}: a CNAME shares its name with other records (at the apex SOA "
                        "and NS are always there) — fix: use A/AAAA, or the provider's "
                        "ALIAS/flattening") from None
    except dns.zone.NoSOA:
        raise ZoneError(f"{path}:1: no SOA at {origin} — fix: add the SOA record") from None
    except dns.zone.NoNS:
        raise ZoneError(f"{path}:1: no NS at {origin} — fix: add the provider's NS") from None
    except dns.exception.SyntaxError as exc:  # its text already starts with file:line
        fix = ("only $ORIGIN and $TTL are allowed; write the records out" if "directive" in
               str(exc).lower() else "correct the record on that line")
        raise ZoneError(f"{exc} — fix: {fix}") from None
    except dns.exception.DNSException as exc:
        raise ZoneError(f"{path}: {exc} — fix: correct the zone file") from None
# --8<-- [end:load]


def _txt(zone: dns.zone.Zone, name: dns.name.Name) -> list[str]:
    rdataset = zone.get_rdataset(name, "TXT")
    if rdataset is None:
        return []
    return [b"".join(rdata.strings).decode("ascii", "replace") for rdata in rdataset]


# --8<-- [start:check]
def check_zone(zone: dns.zone.Zone, moving: tuple[str, ...] = (), max_move_ttl: int = 300,
               ) -> list[str]:
    """What this back end needs from its zone; an empty list means ready."""
    apex, problems = zone.origin, []
    caa = zone.get_rdataset(apex, "CAA")
    if caa is None or not any(r.tag == b"issue" for r in caa):
        problems.append("no CAA issue record at the apex — fix: name the CA you use, e.g. "
                        '@ CAA 0 issue "letsencrypt.org"')
    spf = [t for t in _txt(zone, apex) if t.lower().split(" ", 1)[0] == "v=spf1"]  # RFC 7208 §4.5
    if len(spf) != 1:
        problems.append(f"{len(spf)} SPF records at the apex — fix: exactly one 'v=spf1 ...'")
    elif not spf[0].rstrip().lower().endswith(("-all", "~all")):
        problems.append("SPF does not end in -all or ~all — fix: end it with -all")
    dmarc_name = dns.name.from_text("_dmarc", apex)
    if not any(t.startswith("v=DMARC1") for t in _txt(zone, dmarc_name)):
        problems.append("no DMARC record at _dmarc — fix: _dmarc TXT \"v=DMARC1; p=reject\"")
    for mx in zone.get_rdataset(apex, "MX") or []:
        target = zone.get_node(mx.exchange)
        if target is not None and target.get_rdataset(1, dns.rdatatype.CNAME):
            problems.append(f"MX target {mx.exchange} is a CNAME — fix: point MX at A/AAAA")
    for label in moving:  # the address records that change; their old TTL must run out first
        try:
            name = dns.name.from_text(label, apex)
        except dns.exception.DNSException as exc:
            problems.append(f"{label!r} is not a DNS name ({exc}) — fix: write a name such as api")
            continue
        node = zone.get_node(name)
        address = [r for r in node or [] if r.rdtype in ADDRESS_TYPES]
        if not address:
            problems.append(f"{name} is to move but has no A/AAAA/CNAME — fix: check the name")
        for rdataset in address:
            if rdataset.ttl > max_move_ttl:
                problems.append(f"{name} {dns.rdatatype.to_text(rdataset.rdtype)} TTL "
                                f"{rdataset.ttl} — fix: lower it to {max_move_ttl} and wait "
                                f"the old TTL out before the move")
    return problems
# --8<-- [end:check]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zonefile", type=Path)
    parser.add_argument("--origin", default="bookstore.example.")
    parser.add_argument("--moving", nargs="*", default=[], help="names that will change address")
    args = parser.parse_args(argv)
    try:
        zone = load_zone(args.zonefile, args.origin)
        problems = check_zone(zone, tuple(args.moving))
    except ZoneError as exc:
        print(exc, file=sys.stderr)
        return 1
    for problem in problems:
        print(f"{args.zonefile}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.zonefile}: ok ({len(zone.nodes)} names)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
