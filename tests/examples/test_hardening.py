"""Securing Servers and Domains (examples/hardening): each test proves what the page says about
the zone check, the sshd configuration and its lint, the nftables ruleset and the listener check.
sshd -t runs where openssh-server is installed (CI installs it; elsewhere the test skips)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hardening import firewall, sshd_lint, zonecheck
from support import skip_or_fail

HERE = Path(__file__).resolve().parents[2] / "examples" / "hardening"
ZONE = (HERE / "bookstore.zone").read_text()


def write(tmp_path: Path, text: str | bytes, name: str = "bookstore.zone") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def check(tmp_path: Path, text: str, moving: tuple[str, ...] = ()) -> list[str]:
    zone = zonecheck.load_zone(write(tmp_path, text), "bookstore.example.")
    return zonecheck.check_zone(zone, moving)


# --8<-- [start:zone_tests]
def test_the_bookstore_zone_is_ready_for_a_move(tmp_path):
    assert check(tmp_path, ZONE, moving=("@", "www", "api")) == []


def test_a_cname_at_the_apex_is_refused_with_the_fix(tmp_path):
    text = ZONE.replace("@    300 IN A     192.0.2.10", "@    300 IN CNAME shop.host.example.")
    with pytest.raises(zonecheck.ZoneError, match="CNAME shares its name .* fix: use A/AAAA"):
        check(tmp_path, text)


def test_missing_caa_and_a_long_ttl_before_a_move_are_reported(tmp_path):
    text = "\n".join(line for line in ZONE.splitlines() if " CAA " not in line)
    text = text.replace("api  300 IN A", "api 86400 IN A")
    assert check(tmp_path, text, moving=("api",)) == [
        ('no CAA issue record at the apex — fix: name the CA you use, e.g. @ CAA 0 issue '
         '"letsencrypt.org"'),
        ("api.bookstore.example. A TTL 86400 — fix: lower it to 300 and wait the old TTL out "
         "before the move")]
# --8<-- [end:zone_tests]


def test_spf_dmarc_and_mx_problems_are_reported(tmp_path):
    text = ZONE.replace("-all", "+all").replace("v=DMARC1", "v=DMARC2")
    text += "mail IN CNAME mailhost.example.\n@ IN MX 20 mail.bookstore.example.\n"
    assert check(tmp_path, text) == [
        "SPF does not end in -all or ~all — fix: end it with -all",
        'no DMARC record at _dmarc — fix: _dmarc TXT "v=DMARC1; p=reject"',
        "MX target mail.bookstore.example. is a CNAME — fix: point MX at A/AAAA"]
    two_spf = ZONE + '@ IN TXT "v=spf1 -all"\n'
    assert check(tmp_path, two_spf) == ["2 SPF records at the apex — fix: exactly one 'v=spf1 ...'"]


@pytest.mark.parametrize(("text", "message"), [
    (ZONE.replace("192.0.2.11", "192.0.2.300"), r"bookstore.zone:13: .* fix: correct the record"),
    ("$INCLUDE /etc/passwd\n" + ZONE, r"bookstore.zone:1: .*\$INCLUDE.* not allowed"),
    ("\n".join(ZONE.splitlines()[:3] + ZONE.splitlines()[6:]), r"bookstore.zone:1: no SOA"),
    (ZONE.replace("bookstore.example.", "tokobuku-ñ.example.", 1), r"bookstore.zone:2: non-ASCII"),
    (ZONE + "x" * zonecheck.MAX_BYTES, r"bytes — fix: split it"),
    ('@ IN TXT "' + "a" * 300 + '"\n' + ZONE, r"bookstore.zone:\d+: string too long"),
])
def test_hostile_zone_input_gets_one_clear_line(tmp_path, text, message):
    with pytest.raises(zonecheck.ZoneError, match=message):
        zonecheck.load_zone(write(tmp_path, text), "bookstore.example.")


def test_the_zone_command_exits_nonzero_without_a_traceback(tmp_path, capsys):
    assert zonecheck.main([str(write(tmp_path, b"\xff\xfe"))]) == 1
    assert zonecheck.main([str(tmp_path / "missing.zone")]) == 1
    err = capsys.readouterr().err
    assert "non-ASCII" in err and "cannot read" in err and "Traceback" not in err


# --8<-- [start:sshd_tests]
def test_the_lint_reads_sshd_config_as_sshd_does():
    assert sshd_lint.lint_sshd((HERE / "sshd_config").read_text()) == []
    late_fix = "PasswordAuthentication yes\nPasswordAuthentication no\nAllowUsers deploy\n"
    assert sshd_lint.lint_sshd(late_fix, "50-cloud-init.conf") == [
        ("50-cloud-init.conf: permitrootlogin is prohibit-password (the default) — fix: set it to "
         "no before any other value of it"),
        ("50-cloud-init.conf:1: passwordauthentication is yes — fix: set it to no before any "
         "other value of it"),
        ("50-cloud-init.conf: kbdinteractiveauthentication is yes (the default) — fix: set it to "
         "no before any other value of it")]


def test_sshd_itself_accepts_the_file_and_rejects_a_bad_value(tmp_path):
    sshd = shutil.which("sshd") or shutil.which("sshd", path="/usr/sbin")
    if sshd is None:
        skip_or_fail("sshd not found; install it with 'apt-get install openssh-server'")
    if os.geteuid() == 0 and not Path("/run/sshd").is_dir():  # root: sshd wants its privsep dir
        skip_or_fail("/run/sshd is missing; create it with 'install -d -m 0755 /run/sshd'")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp_path / "host"],
                   check=True)

    def sshd_t(config: str) -> subprocess.CompletedProcess:
        path = write(tmp_path, config, "sshd_config")
        return subprocess.run([sshd, "-t", "-f", path, "-h", tmp_path / "host"],
                              capture_output=True, text=True, timeout=30, check=False)

    good = sshd_t((HERE / "sshd_config").read_text())
    assert good.returncode == 0, good.stderr
    bad = sshd_t("PermitRootLogin nope\n")
    assert bad.returncode != 0 and "line 1" in bad.stderr
# --8<-- [end:sshd_tests]


def test_the_sshd_command_answers_bad_input_clearly(tmp_path, capsys):
    assert sshd_lint.main([]) == 2
    assert sshd_lint.main([str(write(tmp_path, b"\xff", "bad.conf"))]) == 2
    assert sshd_lint.main([str(write(tmp_path, "Match User x\nPermitRootLogin yes\n"))]) == 1
    err = capsys.readouterr().err
    assert "usage" in err and "cannot read" in err and "Traceback" not in err


# --8<-- [start:firewall_tests]
def test_the_rendered_ruleset_passes_the_lint():
    assert firewall.lint_ruleset(firewall.render_ruleset()) == []
    only_office = firewall.render_ruleset(ssh_from=("203.0.113.0/24", "2001:db8:1::/48"))
    assert "ip saddr { 203.0.113.0/24 } tcp dport 22 accept" in only_office
    assert "ip6 saddr { 2001:db8:1::/48 } tcp dport 22 accept" in only_office
    assert firewall.lint_ruleset(only_office) == []


def test_the_lint_catches_a_lockout_and_a_missing_reply_rule():
    locked = firewall.render_ruleset().replace("\t\ttcp dport 22 accept\n", "")
    assert firewall.lint_ruleset(locked) == [
        ("ruleset.nft: no rule accepts SSH on 22 — fix: add 'tcp dport 22 accept' before "
         "loading, or you lock yourself out")]
    open_door = firewall.render_ruleset().replace("policy drop;", "policy accept;", 1)
    assert firewall.lint_ruleset(open_door) == [
        "ruleset.nft:5: input policy is not drop — fix: policy drop;"]
    no_replies = firewall.render_ruleset().replace("ct state established,related accept", "")
    assert "ruleset.nft: replies are not accepted" in firewall.lint_ruleset(no_replies)[0]
# --8<-- [end:firewall_tests]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ssh_port": 0}, "port 0"), ({"ssh_port": True}, "port True"),
    ({"public_tcp": (80, "443; flush ruleset")}, "port '443; flush ruleset'"),
    ({"ssh_from": ("10.0.0.0/8; accept",)}, "fix: write a network"),
])
def test_hostile_ruleset_values_are_refused(kwargs, message):
    with pytest.raises(firewall.FirewallError, match=message):
        firewall.render_ruleset(**kwargs)


# --8<-- [start:listening_test]
SS_OUTPUT = """\
LISTEN 0 4096 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=612,fd=3))
LISTEN 0 511 0.0.0.0:443 0.0.0.0:* users:(("nginx",pid=700,fd=6))
LISTEN 0 2048 127.0.0.1:8000 0.0.0.0:* users:(("uvicorn",pid=801,fd=7))
LISTEN 0 244 0.0.0.0:5432 0.0.0.0:* users:(("postgres",pid=540,fd=6))
LISTEN 0 511 [::1]:6379 [::]:* users:(("redis-server",pid=530,fd=7))
LISTEN 0 511 [::]:6379 [::]:* users:(("redis-server",pid=530,fd=8))
"""


def test_only_unexpected_public_listeners_are_reported():
    assert firewall.unexpected(SS_OUTPUT, {22, 80, 443}) == [
        "postgres listens on 0.0.0.0:5432 — fix: bind it to 127.0.0.1 or stop it",
        "redis-server listens on [::]:6379 — fix: bind it to 127.0.0.1 or stop it"]
    assert firewall.unexpected("garbage\nLISTEN\n", {22}) == []
# --8<-- [end:listening_test]


def test_the_recorded_ruleset_is_what_render_writes():
    recorded = (HERE / "output" / "hostfw.nft").read_text()
    assert recorded.split("\n", 2)[2] == firewall.render_ruleset()


def test_the_firewall_command_answers_bad_input_clearly(tmp_path, capsys):
    assert firewall.main([]) == 2
    assert firewall.main(["lint", str(tmp_path / "none.nft")]) == 2
    assert firewall.main(["lint", str(write(tmp_path, "table inet x {}\n", "x.nft"))]) == 1
    err = capsys.readouterr().err
    assert "usage" in err and "cannot read" in err and "no chain on the input hook" in err


def test_a_malformed_moving_name_is_a_problem_not_a_traceback(tmp_path):
    # regression: "a..b" used to raise dns.name.EmptyLabel out of check_zone
    assert check(tmp_path, ZONE, moving=("a..b",)) == [
        "'a..b' is not a DNS name (A DNS label is empty.) — fix: write a name such as api"]


def test_a_malformed_ss_line_is_skipped_not_a_traceback():
    # regression: a local address without a numeric port used to raise ValueError
    assert firewall.listeners("LISTEN 0 128 0.0.0.0:http 0.0.0.0:*\nLISTEN 0 1 junk x\n") == []


# Regressions from review round 1: each failed before its fix.
def test_an_ipv6_zone_cannot_smuggle_rules_into_the_ruleset():
    hostile = "fe80::1%x } tcp dport 9 accept\n\t\tmeta nfproto ipv4 accept\n\t\tip6 saddr { ::1/128"
    with pytest.raises(firewall.FirewallError, match="has a zone"):
        firewall.render_ruleset(ssh_from=(hostile,))


def test_the_ruleset_has_no_forward_chain_that_would_stop_docker():
    # a drop on the forward hook is final in nftables, whatever Docker's own chains accept
    assert "hook forward" not in firewall.render_ruleset()


def test_generate_is_refused_and_nothing_is_built(tmp_path):
    with pytest.raises(zonecheck.ZoneError, match=r"bookstore.zone:\d+: .*only \$ORIGIN and \$TTL"):
        check(tmp_path, ZONE + "$GENERATE 1-200000 h$ A 192.0.2.1\n")


def test_a_record_outside_the_zone_is_reported_not_dropped(tmp_path):
    text = ZONE.replace("\napi ", "\napi.bookstore.elsewhere. ", 1)
    assert text != ZONE
    line = text.splitlines().index(next(x for x in text.splitlines() if "elsewhere" in x)) + 1
    with pytest.raises(zonecheck.ZoneError, match=rf"bookstore.zone:{line}: api.bookstore"
                       r".elsewhere. is outside bookstore.example. — fix"):
        check(tmp_path, text)


def test_an_endless_file_is_refused_without_reading_it_all(capsys):
    assert zonecheck.main(["/dev/zero"]) == 1
    assert sshd_lint.main(["/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "/dev/zero: over 1000000 bytes" in err and "Traceback" not in err


def test_every_zone_error_names_the_file_and_line(tmp_path, capsys):
    text = ZONE + "@ 300 IN CNAME other.example.\n"
    with pytest.raises(zonecheck.ZoneError, match=rf"bookstore.zone:{len(text.splitlines())}: a CNAME"):
        check(tmp_path, text)
    assert zonecheck.main([str(write(tmp_path, ZONE)), "--origin", "bad..origin"]) == 1
    assert "--origin 'bad..origin': A DNS label is empty. — fix:" in capsys.readouterr().err


def test_spf_is_matched_as_rfc_7208_says(tmp_path):
    spf = next(x for x in ZONE.splitlines() if "v=spf1" in x)
    assert check(tmp_path, ZONE.replace(spf, spf.replace("-all", "-ALL"))) == []
    assert "0 SPF records" in check(tmp_path, ZONE.replace(spf, spf.replace("v=spf1", "v=spf10")))[0]


HARDENED = (HERE / "sshd_config").read_text()


@pytest.mark.parametrize(("first", "message"), [
    ("PasswordAuthentication\tyes", "sshd_config:1: passwordauthentication is yes"),
    ("ChallengeResponseAuthentication yes", "sshd_config:1: kbdinteractiveauthentication is yes"),
    ("Include /etc/ssh/sshd_config.d/*.conf", "sshd_config:1: Include is not followed"),
])
def test_the_lint_sees_what_sshd_applies(first, message):
    assert sshd_lint.lint_sshd(first + "\n" + HARDENED)[0].startswith(message)


def test_a_quoted_value_is_read_as_sshd_reads_it():
    assert sshd_lint.lint_sshd('PasswordAuthentication "no"\n' + HARDENED) == []


STYLE_NFT = """\
table inet filter {
\tchain input {
\t\ttype filter hook input priority 0;
\t\tpolicy drop;
\t\tct state established,related accept
\t\ttcp dport {
\t\t\t22, 80,
\t\t\t443 } accept
\t\tcounter drop
\t}
}
"""


def test_valid_ruleset_styles_are_not_false_problems():
    assert firewall.lint_ruleset(STYLE_NFT) == []


def test_listening_without_ss_is_one_line_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert firewall.main(["listening"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ss: cannot run") and err.endswith("fix: apt-get install iproute2\n")


def test_mapped_loopback_is_private_and_udp_listeners_count():
    ss = ("tcp LISTEN 0 5 [::ffff:127.0.0.1]:8000 [::]:* users:((\"uvicorn\",pid=1,fd=3))\n"
          "udp UNCONN 0 0 0.0.0.0:11211 0.0.0.0:* users:((\"memcached\",pid=2,fd=4))\n")
    assert firewall.unexpected(ss, {22}) == [
        "memcached listens on 0.0.0.0:11211 — fix: bind it to 127.0.0.1 or stop it"]


def test_a_lone_equals_line_is_no_traceback_for_the_sshd_lint():
    """Regression: a line that is only "=" (sshd accepts it) crashed the lint with a TypeError."""
    problems = sshd_lint.lint_sshd("=\nPasswordAuthentication no\n")
    assert not [p for p in problems if "passwordauthentication" in p.lower()]


def test_the_ruleset_command_reads_at_most_a_megabyte(capsys):
    """Regression: `firewall lint /dev/zero` read the whole device and ended in MemoryError."""
    assert firewall.main(["lint", "/dev/zero"]) == 2
    assert "over 1000000 bytes" in capsys.readouterr().err
