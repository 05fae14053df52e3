"""Deployment files (systemd units, nginx, switch_upstream.sh) and a zero-downtime release.

The release tests run the real thing on loopback ports, as the test's own user: bookstore
instances (`python -m bookstore`), nginx with deploy/nginx.conf (only paths, ports and the
worker user changed) and a client that keeps sending requests while the release happens.
"""

from __future__ import annotations

import configparser
import inspect
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

import httpx
import pytest
import uvicorn
from support import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DEPLOY = EXAMPLES / "deploy"
SWITCH = DEPLOY / "switch_upstream.sh"
# Debian installs nginx in /usr/sbin, which a normal user's PATH often lacks.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
NGINX = shutil.which("nginx", path=SEARCH_PATH)
INSTALL_NGINX = (
    "nginx missing: install Debian package nginx-light or nginx (sudo apt-get install nginx-light)"
)
WAIT = 60.0  # seconds: only a deadline for waiting on a process, never a measured budget


def wait_until(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def free_ports(count: int) -> list[int]:
    """Distinct TCP ports on 127.0.0.1 that nothing listens on right now."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


# ---------------------------------------------------------------- systemd units


# --8<-- [start:systemd_unit_test]
def test_systemd_unit_has_the_essentials():
    unit = configparser.ConfigParser(strict=True, interpolation=None)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "bookstore.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].endswith("-m bookstore")
    assert service["User"] == "bookstore"  # never root
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert service["NoNewPrivileges"] == "yes"
    assert "BOOKSTORE_TRUSTED_PROXIES=127.0.0.1 " in service["Environment"]  # nginx only
    assert unit["Install"]["WantedBy"] == "multi-user.target"


# --8<-- [end:systemd_unit_test]


def unit_lines(name: str) -> list[str]:
    lines = (DEPLOY / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_template_unit_differs_only_by_its_port():
    single, template = unit_lines("bookstore.service"), unit_lines("bookstore@.service")
    changed = [line for line in template if line not in single]
    assert changed == [
        "Description=Bookstore API on port %i (FastAPI + uvicorn)",
        "WorkingDirectory=/opt/bookstore/port-%i/examples",
        "Environment=BOOKSTORE_PORT=%i",
        "ExecStart=/opt/bookstore/port-%i/.venv/bin/python -m bookstore",
    ]
    # Each port runs the release its own link points at (/opt/bookstore/port-8002 ->
    # releases/v1.3.0), so releasing green never changes the files blue runs.
    same = [line.replace("/port-%i/", "/") for line in template if "BOOKSTORE_PORT" not in line]
    assert [line for line in same if not line.startswith("Description=")] == [
        line for line in single if not line.startswith("Description=")
    ]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze missing: install Debian package systemd",
)
@pytest.mark.parametrize(
    ("source", "name"),
    [("bookstore.service", "bookstore.service"), ("bookstore@.service", "bookstore@8002.service")],
)
def test_systemd_analyze_finds_no_unknown_settings(tmp_path, source, name):
    # Copy the unit and point ExecStart at a binary that exists here, so `verify`
    # checks the unit's syntax and settings, not this machine's /opt.
    text = (DEPLOY / source).read_text(encoding="utf-8")
    text = re.sub(
        r"^ExecStart=.*$", f"ExecStart={sys.executable} -m bookstore", text, flags=re.MULTILINE
    )
    unit = tmp_path / name
    unit.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    unknown = [line for line in result.stderr.splitlines() if "Unknown" in line]
    assert unknown == [], result.stderr


# ---------------------------------------------------------------- nginx configuration


def nginx_directives(text: str) -> list[str]:
    """Lines of the config without comments (the file has no "#" inside strings)."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_nginx_config_is_balanced_and_proxies_to_loopback():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    code = "\n".join(nginx_directives(text))
    assert code.count("{") == code.count("}")
    assert "proxy_pass http://bookstore;" in code
    assert re.search(r"upstream bookstore \{\s*include /etc/nginx/bookstore-upstream\.conf;", code)
    assert re.search(r"location = /metrics \{\s*deny all;", code)
    assert "proxy_set_header X-Request-ID $request_id;" in code
    assert "limit_req zone=login" in code
    assert re.search(r"location ~ \^/books/\[0-9\]\+/reviews\$ \{\s*limit_req zone=reviews", code)
    for line in code.splitlines():  # a line ending in ' continues a quoted string
        assert line.endswith(("{", "}", ";", "'")), f"unterminated directive: {line}"
    upstream = nginx_directives((DEPLOY / "bookstore-upstream.conf").read_text(encoding="utf-8"))
    assert upstream == ["server 127.0.0.1:8001;"]  # the service listens on loopback only


def test_nginx_closes_idle_upstream_connections_before_uvicorn_does():
    code = "\n".join(nginx_directives((DEPLOY / "nginx.conf").read_text(encoding="utf-8")))
    block = re.search(r"upstream bookstore \{(.*?)\}", code, flags=re.DOTALL)[1]
    nginx_idle = int(re.search(r"keepalive_timeout (\d+)s;", block)[1])
    uvicorn_idle = inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default
    assert "timeout_keep_alive" not in (EXAMPLES / "bookstore" / "__main__.py").read_text()
    assert nginx_idle < uvicorn_idle  # nginx never reuses a connection uvicorn is closing


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A one-day certificate for bookstore.example and 127.0.0.1 (P-256: quick to make)."""
    if shutil.which("openssl") is None:
        skip_or_fail("openssl missing: install Debian package openssl")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=bookstore.example",
         "-addext", "subjectAltName=DNS:bookstore.example,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def render_nginx_conf(
    directory: Path, upstream: Path, *, https_port: int = 8443, http_port: int = 8080
) -> Path:
    """deploy/nginx.conf, runnable by this user in `directory`: the same upstream, proxy and
    TLS settings; only file paths, listen addresses and the worker user change."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    cert, key = self_signed_certificate(directory)
    (directory / "mime.types").write_text("types { application/json json; }\n", encoding="utf-8")
    user = pwd.getpwuid(os.geteuid()).pw_name
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # Debian's are in /var/lib
    temp_paths = "".join(f"    {kind}_temp_path {directory / kind};\n" for kind in kinds)
    changes = {
        "user www-data;": f"user {user};" if os.geteuid() == 0 else "",
        "include /etc/nginx/mime.types;": f"include {directory / 'mime.types'};",
        "/var/log/nginx/bookstore.access.log": str(directory / "access.log"),
        "include /etc/nginx/bookstore-upstream.conf;": f"include {upstream};",
        "/etc/ssl/bookstore/fullchain.pem": str(cert),
        "/etc/ssl/bookstore/privkey.pem": str(key),
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "root /var/www/acme;": f"root {directory / 'acme'};",
        "\nhttp {\n": "\nhttp {\n" + temp_paths,
    }
    for old, new in changes.items():
        assert text.count(old) == 1, f"deploy/nginx.conf changed: update this test for {old!r}"
        text = text.replace(old, new)
    text = f"pid {directory / 'nginx.pid'};\nerror_log {directory / 'error.log'} notice;\n" + text
    conf = directory / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def test_nginx_accepts_the_config(tmp_path):
    if NGINX is None:
        skip_or_fail(INSTALL_NGINX)
    conf = render_nginx_conf(tmp_path, DEPLOY / "bookstore-upstream.conf")
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_nginx_accepts_the_config_as_the_playbook_installs_it(tmp_path):
    """iac/playbook.yml copies deploy/nginx.conf unchanged to /etc/nginx/nginx.conf and runs
    `nginx -t` on it: the same here, with only the files this machine lacks (certificate,
    upstream, log) and the port numbers (nginx -t binds them) changed, every directive kept.
    On Debian 12's nginx 1.22.1, "http2 on;" (nginx >= 1.25.1) failed this test."""
    if NGINX is None:
        skip_or_fail(INSTALL_NGINX)
    cert, key = self_signed_certificate(tmp_path)
    http_port, https_port = free_ports(2)
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    changes = {
        "/etc/ssl/bookstore/fullchain.pem": str(cert),
        "/etc/ssl/bookstore/privkey.pem": str(key),
        "/etc/nginx/bookstore-upstream.conf": str(DEPLOY / "bookstore-upstream.conf"),
        "/var/log/nginx/bookstore.access.log": str(tmp_path / "access.log"),
    }
    for old, new in changes.items():
        assert text.count(old) == 1, f"deploy/nginx.conf changed: update this test for {old!r}"
        text = text.replace(old, new)
    ports = {"80": str(http_port), "443": str(https_port)}  # each listen keeps its parameters
    text, count = re.subn(
        r"(?m)^(\s*listen (?:\[::\]:)?)(80|443)\b", lambda m: m[1] + ports[m[2]], text
    )
    assert count == 4  # 80 and 443, IPv4 and IPv6
    conf = tmp_path / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log"),
         "-g", f"pid {tmp_path / 'nginx.pid'};"],
        check=False, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "[emerg]" not in result.stderr


# ---------------------------------------------------------------- switch_upstream.sh alone


def test_switch_script_passes_shellcheck():
    assert subprocess.run(["bash", "-n", str(SWITCH)], check=False).returncode == 0
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck missing: install Debian package shellcheck")
    result = subprocess.run(
        ["shellcheck", str(SWITCH)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


class ReadyHandler(BaseHTTPRequestHandler):
    """Answers 200 on /readyz, like a bookstore instance that is ready."""

    def do_GET(self) -> None:  # the method name http.server looks for
        self.send_response(200 if self.path == "/readyz" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


def fake_master(directory: Path, *, reloads: bool = True) -> subprocess.Popen:
    """A stand-in nginx master: a process named nginx (as `ps -o comm=` shows it) with one
    child, an "old worker" that never exits by itself. On SIGHUP it writes a line to
    DIRECTORY/hups and starts one more child, a "new worker", as nginx does when it accepts the
    new configuration; with reloads=False it starts none, as nginx does when the reload fails
    (it logs why and keeps the old workers)."""
    directory.mkdir()
    (directory / "nginx").symlink_to(shutil.which("bash"))
    on_hup = f"echo HUP >> {directory / 'hups'};" + (" sleep 120 &" if reloads else "")
    script = f"trap '{on_hup}' HUP; sleep 120 & while :; do wait; done"
    # bash cannot trap a signal that was ignored when it started, and a test run started
    # under nohup ignores SIGHUP: a small Python launcher restores the default disposition,
    # as nginx has, then becomes the stand-in (exec keeps the name nginx).
    launcher = (
        "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL);"
        " os.execv(sys.argv[1], sys.argv[1:])"
    )
    return subprocess.Popen(
        [sys.executable, "-c", launcher, directory / "nginx", "-c", script],
        start_new_session=True,
    )


def children(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return found.stdout.split()


@pytest.fixture
def fake_host(tmp_path):
    """An upstream file, a stand-in nginx master and a fake `nginx` command that records its
    arguments and fails `nginx -t` (passes with FAKE_NGINX_T=ok): the script's logic alone."""
    upstream = tmp_path / "bookstore-upstream.conf"
    upstream.write_text("server 127.0.0.1:8001;\n", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "nginx"
    fake.write_text(
        f'#!/bin/sh\necho "$@" >> {tmp_path / "nginx-calls"}\n'
        '[ "$2" = "-t" ] && [ "$FAKE_NGINX_T" != ok ] &&'
        ' { echo "nginx: [emerg] invalid config" >&2; exit 1; }\nexit 0\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    master = fake_master(tmp_path / "master")
    wait_until(lambda: children(master.pid), "the fake old worker")
    (tmp_path / "nginx.pid").write_text(f"{master.pid}\n", encoding="utf-8")
    ready = ThreadingHTTPServer(("127.0.0.1", 0), ReadyHandler)
    threading.Thread(target=ready.serve_forever, daemon=True).start()

    def environment(env: dict[str, str]) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "UPSTREAM_FILE": str(upstream),
            "NGINX_PID": str(tmp_path / "nginx.pid"),
            "RELEASE_LINKS": str(tmp_path / "links"),  # none: no release to compare
            "READY_TIMEOUT": "1",
            **env,
        }

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", str(SWITCH), *args], env=environment(env), capture_output=True, text=True,
            timeout=WAIT, check=False,
        )  # fmt: skip

    def start(*args: str, **env: str) -> subprocess.Popen:
        """The script in the background, in a process group of its own (signal it as a
        terminal or systemd would: os.killpg), with INT, TERM and HUP at their default action
        even if this test run inherited them ignored (bash cannot trap a signal ignored at
        entry)."""
        reset = (
            "import os, signal, sys\n"
            "for name in ('SIGINT', 'SIGTERM', 'SIGHUP'):\n"
            "    signal.signal(getattr(signal, name), signal.SIG_DFL)\n"
            "os.execvp('bash', ['bash', *sys.argv[1:]])\n"
        )
        return subprocess.Popen(
            [sys.executable, "-c", reset, str(SWITCH), *args], env=environment(env),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip

    run.start = start
    run.upstream = upstream
    run.ready_port = ready.server_address[1]
    run.calls = tmp_path / "nginx-calls"
    run.pid_file = tmp_path / "nginx.pid"
    yield run
    ready.shutdown()
    os.killpg(master.pid, signal.SIGKILL)  # the master and its "worker"
    master.wait()


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ((), {}),
        (("blue",), {}),
        (("0",), {}),
        (("65536",), {}),
        (("08001",), {}),
        (("8002;rm -rf /",), {}),
        (("8002",), {"READY_TIMEOUT": "a[$(touch /tmp/pwned)]"}),
        (("8002",), {"DRAIN_TIMEOUT": "-1"}),
    ],
)
def test_switch_rejects_bad_input_and_changes_nothing(fake_host, args, env):
    result = fake_host(*args, **env)
    assert result.returncode == 2
    assert result.stderr.startswith("switch_upstream.sh: ") and " — fix: " in result.stderr
    assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"
    assert not fake_host.calls.exists()  # nginx was never called


def test_switch_refuses_an_instance_that_is_not_ready(fake_host):
    [closed] = free_ports(1)
    result = fake_host(str(closed))
    assert result.returncode == 1
    assert f"127.0.0.1:{closed} not ready after 1 s" in result.stderr
    assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"
    assert not fake_host.calls.exists()


def test_switch_puts_the_old_file_back_when_nginx_rejects_the_new_one(fake_host):
    result = fake_host(str(fake_host.ready_port))
    assert result.returncode == 1, result.stderr
    assert "nginx -t rejected the new configuration" in result.stderr
    assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"


def test_switch_needs_the_upstream_file(fake_host, tmp_path):
    result = fake_host(str(fake_host.ready_port), UPSTREAM_FILE=str(tmp_path / "no" / "such.conf"))
    assert result.returncode == 1
    assert "such.conf is missing — fix: install deploy/bookstore-upstream.conf" in result.stderr


def test_switch_needs_a_running_nginx(fake_host, tmp_path):
    result = fake_host(str(fake_host.ready_port), NGINX_PID=str(tmp_path / "missing.pid"))
    assert result.returncode == 1
    assert "nginx is not running" in result.stderr
    assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"


def test_switch_never_signals_a_process_that_is_not_nginx(fake_host):
    # A stale pid file: nginx has gone, and its old PID now belongs to another process.
    other = subprocess.Popen(["sleep", "120"])
    try:
        fake_host.pid_file.write_text(f"{other.pid}\n", encoding="utf-8")
        result = fake_host(str(fake_host.ready_port), FAKE_NGINX_T="ok")
        assert result.returncode == 1
        assert "nginx is not running" in result.stderr
        assert other.poll() is None  # not killed by a SIGHUP meant for nginx
        assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"
    finally:
        other.kill()
        other.wait()


def test_switch_says_so_when_old_workers_outlast_the_drain_timeout(fake_host):
    # The fake master's "old worker" never exits, like one serving a long download.
    port = fake_host.ready_port
    # READY_TIMEOUT also bounds the wait for the new worker, and bash's SECONDS counts whole
    # seconds: a limit of 1 can end after a few milliseconds. Give the new worker time.
    result = fake_host(str(port), FAKE_NGINX_T="ok", DRAIN_TIMEOUT="1", READY_TIMEOUT="30")
    assert result.returncode == 3  # not 1: something did change
    assert f"switched to {port}, but old nginx worker" in result.stderr
    assert "do not stop the old instance yet" in result.stderr
    assert fake_host.upstream.read_text(encoding="utf-8") == f"server 127.0.0.1:{port};\n"


def test_switch_puts_the_old_file_back_when_the_reload_fails(fake_host, tmp_path):
    # nginx -t passed, but the master rejects the configuration when it reloads (a file changed
    # in between): it logs why, keeps its old workers and starts no new one.
    master = fake_master(tmp_path / "failing", reloads=False)
    try:
        wait_until(lambda: children(master.pid), "the fake old worker")
        fake_host.pid_file.write_text(f"{master.pid}\n", encoding="utf-8")
        result = fake_host(str(fake_host.ready_port), FAKE_NGINX_T="ok")
        assert result.returncode == 1, result.stderr  # not "switched": nginx serves blue
        assert "nginx started no new workers after the reload" in result.stderr
        assert "switched" not in result.stderr + result.stdout
        assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()


def hups(directory: Path) -> int:
    """How many SIGHUPs the fake master in DIRECTORY has received."""
    log = directory / "hups"
    return len(log.read_text(encoding="utf-8").splitlines()) if log.exists() else 0


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda signum: signum.name
)
def test_an_interrupted_switch_puts_the_old_file_back(fake_host, tmp_path, signum):
    # Ctrl-C, SIGTERM or a closed SSH session (SIGHUP) while the script waits for nginx's new
    # workers. Left behind, the new file would go live at the next unrelated reload (certbot's
    # deploy hook runs `systemctl reload nginx`), without the checks this script makes.
    master = fake_master(tmp_path / "failing", reloads=False)  # never starts new workers
    try:
        wait_until(lambda: children(master.pid), "the fake old worker")
        fake_host.pid_file.write_text(f"{master.pid}\n", encoding="utf-8")
        # A generous limit: bash's SECONDS counts whole seconds, and the script must still be
        # waiting for new workers when the signal comes.
        script = fake_host.start(str(fake_host.ready_port), FAKE_NGINX_T="ok", READY_TIMEOUT="600")
        try:
            wait_until(lambda: hups(tmp_path / "failing") == 1, "the reload's SIGHUP")
            os.killpg(script.pid, signum)  # the script and the command it runs, as Ctrl-C does
            _out, err = script.communicate(timeout=WAIT)
        finally:
            if script.poll() is None:
                os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        assert script.returncode == 1, err  # nothing changed
        assert "interrupted before nginx ran the new upstream file — fix: " in err
        assert fake_host.upstream.read_text(encoding="utf-8") == "server 127.0.0.1:8001;\n"
        # nginx may have read the new file before the signal: a second reload reads the old one.
        wait_until(lambda: hups(tmp_path / "failing") == 2, "the second SIGHUP")
    finally:
        os.killpg(master.pid, signal.SIGKILL)
        master.wait()


def test_a_switch_interrupted_while_draining_says_it_switched(fake_host, tmp_path):
    # The new worker is there, so nginx runs the new file: the script must not put the old one
    # back, and exit 3 says "switched, do not stop the old instance yet".
    port = fake_host.ready_port
    script = fake_host.start(str(port), FAKE_NGINX_T="ok", READY_TIMEOUT="600")
    try:
        wait_until(lambda: script.stdout.readline().startswith("draining:"), "the drain")
        os.killpg(script.pid, signal.SIGINT)
        _out, err = script.communicate(timeout=WAIT)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
        script.wait()
    assert script.returncode == 3, err
    assert f"interrupted while old nginx workers drain: switched to {port}" in err
    assert "do not stop the old instance yet" in err
    assert fake_host.upstream.read_text(encoding="utf-8") == f"server 127.0.0.1:{port};\n"


# ---------------------------------------------------------------- a release through nginx


def new_release(directory: Path) -> Path:
    """A release directory like /opt/bookstore/releases/v1.3.0: a copy of the bookstore with
    one more migration. It only adds (a column that may be NULL), so the previous release
    still works with the schema it leaves behind (expand and contract)."""
    release = directory / "releases" / "next"
    shutil.copytree(
        EXAMPLES / "bookstore", release / "bookstore", ignore=shutil.ignore_patterns("__pycache__")
    )
    migrations = release / "bookstore" / "migrations"
    number = len(list(migrations.glob("*.sql"))) + 1
    (migrations / f"{number:04d}_add_books_subtitle.sql").write_text(
        "ALTER TABLE books ADD COLUMN subtitle TEXT;\n", encoding="utf-8"
    )
    return release


class Instance:
    """One bookstore process on a loopback port, as `systemctl start bookstore@PORT` runs it,
    from its own release directory (`code`, like /opt/bookstore/port-PORT)."""

    def __init__(self, port: int, directory: Path, code: Path = EXAMPLES) -> None:
        self.port, self.directory, self.code = port, directory, code
        self.process: subprocess.Popen | None = None
        self.returncode: int | None = None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.code != EXAMPLES:
            # A copied release is not the code the suite measures: under `--cov` coverage.py
            # (patch = ["subprocess"]) would count the copy as `bookstore` too, at its
            # temporary path, and the report and its 90 % threshold with it.
            env = {name: value for name, value in env.items() if not name.startswith("COVERAGE_")}
        return {
            **env,
            "BOOKSTORE_PORT": str(self.port),
            "BOOKSTORE_DATABASE": str(self.directory / "bookstore.db"),  # shared, like /var/lib
        }

    def start(self, *, wait: bool = True) -> Self:
        env = self.environment()
        log = (self.directory / f"bookstore-{self.port}.log").open("a", encoding="utf-8")
        with log:  # a file, not a pipe: a full pipe would block the server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bookstore"], cwd=self.code, env=env,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        if wait:
            wait_until(self.ready, f"127.0.0.1:{self.port}/readyz")
        return self

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"instance on {self.port} exited: {self.log()}")
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        """SIGTERM, then wait: what `systemctl stop` does (SIGKILL only after TimeoutStopSec)."""
        self.process.send_signal(signal.SIGTERM)
        self.returncode = self.process.wait(timeout=WAIT)

    def restart(self) -> None:
        """What `systemctl restart` does: stop the old process, then start a new one."""
        self.stop()
        self.start()

    def log(self) -> str:
        return (self.directory / f"bookstore-{self.port}.log").read_text(encoding="utf-8")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Stack:
    """nginx (deploy/nginx.conf) in front of bookstore instances, all run by this user."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.https_port, self.http_port = free_ports(2)
        self.upstream = directory / "bookstore-upstream.conf"
        self.links = directory / "links"  # like /opt/bookstore: port-PORT -> a release
        self.links.mkdir()
        self.instances: list[Instance] = []
        self.nginx: subprocess.Popen | None = None

    def instance(self, code: Path = EXAMPLES) -> Instance:
        taken = {self.https_port, self.http_port, *(i.port for i in self.instances)}
        port = next(p for p in iter(lambda: free_ports(1)[0], None) if p not in taken)
        self.instances.append(Instance(port, self.directory, code))
        self.link(self.instances[-1], code)
        return self.instances[-1].start()

    def link(self, instance: Instance, release: Path) -> None:
        """ln -sfn RELEASE /opt/bookstore/port-PORT"""
        link = self.links / f"port-{instance.port}"
        link.unlink(missing_ok=True)
        link.symlink_to(release)

    def start_nginx(self, *live: Instance) -> None:
        servers = [f"server 127.0.0.1:{i.port};\n" for i in live] or ["server 127.0.0.1:9;\n"]
        self.upstream.write_text("".join(servers), encoding="utf-8")
        self.conf = render_nginx_conf(
            self.directory, self.upstream, https_port=self.https_port, http_port=self.http_port
        )
        self.nginx = subprocess.Popen(
            [NGINX, "-c", str(self.conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self._nginx_answers, "nginx to answer")

    def _nginx_answers(self) -> bool:
        assert self.nginx.poll() is None, (self.directory / "error.log").read_text()
        try:
            with socket.create_connection(("127.0.0.1", self.https_port), timeout=2):
                return (self.directory / "nginx.pid").exists()
        except OSError:
            return False

    def switch(self, *live: Instance) -> subprocess.CompletedProcess:
        """deploy/switch_upstream.sh, pointed at this stack's files."""
        return subprocess.run(
            self._switch_command(live), env=self._switch_env(), capture_output=True, text=True,
            timeout=2 * WAIT, check=False,
        )  # fmt: skip

    def start_switch(self, *live: Instance) -> subprocess.Popen:
        """The same, running in the background; its output is read line by line."""
        return subprocess.Popen(
            self._switch_command(live), env=self._switch_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def _switch_command(self, live: tuple[Instance, ...]) -> list[str]:
        return ["bash", str(SWITCH), *(str(i.port) for i in live)]

    def _switch_env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": SEARCH_PATH,
            "UPSTREAM_FILE": str(self.upstream),
            "NGINX_CONF": str(self.conf),
            "NGINX_PID": str(self.directory / "nginx.pid"),
            "RELEASE_LINKS": str(self.links),
        }

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}/api/v1/books/1"

    def served_by(self) -> set[int]:
        """The instance ports in nginx's access log (upstream=127.0.0.1:PORT)."""
        text = (self.directory / "access.log").read_text(encoding="utf-8")
        return {int(port) for port in re.findall(r"upstream=127\.0\.0\.1:(\d+)", text)}

    def close(self) -> None:
        for instance in self.instances:
            instance.kill()
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful shutdown
            try:
                self.nginx.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:  # pragma: no cover - only if nginx hangs
                self.nginx.kill()
                self.nginx.wait()


@pytest.fixture
def stack(tmp_path):
    if NGINX is None:
        skip_or_fail(INSTALL_NGINX)
    for command, package in (("pgrep", "procps"), ("flock", "util-linux"), ("curl", "curl")):
        if shutil.which(command) is None:  # switch_upstream.sh needs them
            skip_or_fail(f"{command} missing: install Debian package {package}")
    deployment = Stack(tmp_path)
    yield deployment
    deployment.close()


class Traffic:
    """A client that sends GET requests one after another, each on a new connection (no
    keep-alive), and records every outcome: the status code or the name of the error."""

    def __init__(self, url: str, ca: Path) -> None:
        self.url, self.ca = url, ca
        self.results: list[int | str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        context = ssl.create_default_context(cafile=self.ca)  # trusts the test certificate only
        limits = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(verify=context, limits=limits, timeout=WAIT) as client:
            while not self._stop.is_set():
                try:
                    self.results.append(client.get(self.url).status_code)
                except httpx.HTTPError as exc:
                    self.results.append(type(exc).__name__)
                self._stop.wait(0.005)  # a short pause leaves the CPU to the servers

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=WAIT)

    def wait_for(self, count: int) -> None:
        """Wait until `count` more requests have completed (however long that takes)."""
        target = len(self.results) + count
        wait_until(lambda: len(self.results) >= target, f"{count} more requests")

    def failures(self) -> list[int | str]:
        return [result for result in self.results if result != 200]


# --8<-- [start:zero_downtime_test]
def test_blue_green_switch_drops_no_request(stack):
    blue = stack.instance()  # the version that is live now
    stack.start_nginx(blue)
    with Traffic(stack.url, ca=stack.directory / "cert.pem") as traffic:
        traffic.wait_for(20)
        green = stack.instance(code=new_release(stack.directory))  # migrates, next to blue
        switch = stack.switch(green)  # ready? -> nginx -t -> reload -> drain
        assert switch.returncode == 0, switch.stderr
        blue.stop()  # SIGTERM, as `systemctl disable --now bookstore@PORT` sends
        traffic.wait_for(20)
        # Rollback: blue's own release again, on the schema green has extended.
        blue.start(wait=False)
        switch = stack.switch(blue)  # waits for blue's /readyz
        assert switch.returncode == 0, switch.stderr
        green.stop()
        traffic.wait_for(20)
    assert traffic.failures() == []  # not one request lost, release or rollback
    assert stack.served_by() == {blue.port, green.port}
    assert blue.returncode == green.returncode == 0


def test_restarting_the_only_instance_drops_requests(stack):
    blue = stack.instance()
    stack.start_nginx(blue)
    with Traffic(stack.url, ca=stack.directory / "cert.pem") as traffic:
        traffic.wait_for(20)
        blue.stop()  # `systemctl restart bookstore` stops, then starts again
        traffic.wait_for(2)  # requests keep coming in between (seconds on a busy machine)
        blue.start()
        traffic.wait_for(20)
    assert 502 in traffic.failures()  # 502 Bad Gateway: nothing listened for a moment


# --8<-- [end:zero_downtime_test]


class SlowPost:
    """A POST whose body arrives in two parts, as from a slow mobile client: the headers and
    part of the body now, the rest when finish() is called. nginx reads the whole body
    before it passes the request on, so the worker holding it picks the instance only then."""

    BODY = b'{"items": [{"book_id": 1, "quantity": 1}]}'

    def __init__(self, stack: Stack) -> None:
        context = ssl.create_default_context(cafile=stack.directory / "cert.pem")
        raw = socket.create_connection(("127.0.0.1", stack.https_port), timeout=WAIT)
        self.tls = context.wrap_socket(raw, server_hostname="127.0.0.1")
        self.tls.sendall(
            b"POST /api/v1/orders HTTP/1.1\r\nHost: bookstore.example\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n"
            b"Expect: 100-continue\r\nConnection: close\r\n\r\n" % len(self.BODY)
        )
        # "100 Continue" means that a worker has read the headers and waits for the body.
        assert self._read_until(b"\r\n\r\n").startswith(b"HTTP/1.1 100 Continue")
        self.tls.sendall(self.BODY[:10])

    def _read_until(self, end: bytes) -> bytes:
        data = b""
        while end not in data and (chunk := self.tls.recv(4096)):
            data += chunk
        return data

    def finish(self) -> int:
        """Send the rest of the body; return the status code of the answer."""
        self.tls.sendall(self.BODY[10:])
        head = self._read_until(b"\r\n")
        self.tls.close()
        return int(head.split()[1])


@pytest.mark.parametrize("drain", [True, False], ids=["with_draining", "without_draining"])
def test_a_request_still_arriving_during_the_switch(stack, drain):
    blue = stack.instance()
    stack.start_nginx(blue)
    green = stack.instance()
    post = SlowPost(stack)  # held by a worker that still sends requests to blue
    if drain:
        switch = stack.start_switch(green)
        assert switch.stdout.readline().startswith("draining")  # reloaded, waiting
        status = post.finish()  # the old worker passes it to blue, which is still up
        assert switch.wait(timeout=WAIT) == 0  # the worker has finished, then exited
        blue.stop()
        assert status == 401  # blue's answer: an order needs a signed-in user
    else:  # what drain_experiment.py does: reload, then stop blue at once
        os.kill(int((stack.directory / "nginx.pid").read_text(encoding="utf-8")), signal.SIGHUP)
        blue.stop()
        assert post.finish() == 502  # the old worker's instance is gone


def test_port_80_serves_acme_challenges_and_redirects_everything_else(stack):
    token = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"  # RFC 8555, 8.3: base64url
    folder = stack.directory / "acme" / ".well-known" / "acme-challenge"
    folder.mkdir(parents=True)
    (folder / token).write_text(f"{token}.thumbprint", encoding="ascii")
    stack.start_nginx()
    base, host = f"http://127.0.0.1:{stack.http_port}", {"Host": "bookstore.example"}
    challenge = httpx.get(f"{base}/.well-known/acme-challenge/{token}", headers=host)
    assert (challenge.status_code, challenge.text) == (200, f"{token}.thumbprint")
    other = httpx.get(f"{base}/api/v1/books/1", headers=host)
    assert other.status_code == 301
    assert other.headers["Location"] == "https://bookstore.example/api/v1/books/1"


def test_nginx_limits_review_posts_per_client_address(stack):
    # Regression: only the login had a limit_req zone. The service's own review limiter
    # counts in one process's memory, so with several processes nothing held the total.
    stack.start_nginx()  # no instance: what nginx lets through gets a 502
    ca = stack.directory / "cert.pem"
    base = f"https://127.0.0.1:{stack.https_port}"
    with httpx.Client(verify=ssl.create_default_context(cafile=ca), timeout=WAIT) as client:
        posts = [client.post(f"{base}/books/1/reviews").status_code for _ in range(7)]
        other = client.post(f"{base}/books/1/reviewsx").status_code
    assert posts == [502] * 6 + [429]  # the first and a burst of 5 pass, then 429
    assert other == 502  # another path is not counted against the review limit


def tls12_handshake(stack: Stack, ciphers: str) -> str:
    """The cipher nginx picks for a TLS 1.2 client that offers only `ciphers`."""
    context = ssl.create_default_context(cafile=stack.directory / "cert.pem")
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(ciphers)
    with (
        socket.create_connection(("127.0.0.1", stack.https_port), timeout=WAIT) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return tls.cipher()[0]


def test_tls_follows_the_intermediate_profile(stack):
    stack.start_nginx()
    assert tls12_handshake(stack, "ECDHE+AESGCM:ECDHE+CHACHA20") in {
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    }  # fmt: skip
    with pytest.raises(ssl.SSLError):  # CBC without AEAD: nginx's default list took it
        tls12_handshake(stack, "ECDHE-ECDSA-AES128-SHA")


def schema_version(instance: Instance) -> int:
    return httpx.get(f"http://127.0.0.1:{instance.port}/readyz", timeout=WAIT).json()[
        "schema_version"
    ]


def test_rolling_release_drops_no_request(stack):
    first, second = stack.instance(), stack.instance()  # both run the old release
    stack.start_nginx(first, second)
    old_schema = schema_version(first)
    release = new_release(stack.directory)
    with Traffic(stack.url, ca=stack.directory / "cert.pem") as traffic:
        traffic.wait_for(20)
        for old, other in ((first, second), (second, first)):  # the steps in the script
            assert stack.switch(other).returncode == 0  # take `old` out of the upstream
            old.stop()  # systemctl stop: its link may move now
            stack.link(old, release)
            old.code = release
            old.start()  # systemctl start: the new release, while `other` serves everything
            switch = stack.switch(first, second)  # both live again
            assert switch.returncode == 0, switch.stderr
            traffic.wait_for(10)
    assert traffic.failures() == []
    assert stack.served_by() == {first.port, second.port}
    assert schema_version(first) == schema_version(second) == old_schema + 1  # migrated
    for instance in (first, second):  # each process runs from the new release's directory
        assert Path(f"/proc/{instance.process.pid}/cwd").resolve() == release.resolve()


def test_switch_refuses_an_instance_whose_link_moved_while_it_ran(stack):
    blue, green = stack.instance(), stack.instance()  # green still runs the old release
    stack.start_nginx(blue)
    stack.link(green, new_release(stack.directory))  # ln -sfn without stopping green first
    switch = stack.switch(green)
    assert switch.returncode == 1
    assert f"the instance on port {green.port} runs {EXAMPLES}, but" in switch.stderr
    assert f"restart bookstore@{green.port}" in switch.stderr
    assert stack.upstream.read_text(encoding="utf-8") == f"server 127.0.0.1:{blue.port};\n"


@pytest.mark.parametrize("args", [["banana"], ["restart", "0"], ["switch", "2", "3"], ["101"]])
def test_drain_experiment_refuses_bad_arguments(args):
    if NGINX is None:
        skip_or_fail(INSTALL_NGINX)
    script = Path(__file__).with_name("drain_experiment.py")
    result = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=WAIT,
        check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("drain_experiment.py: ") and " — fix: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_copied_release_is_not_measured_for_coverage(tmp_path, monkeypatch):
    # Regression: under `make check` the blue-green test's copy of the bookstore was measured
    # as well, and the report listed 50 files under /tmp with a total of 72 % (< 90 %).
    monkeypatch.setenv("COVERAGE_PROCESS_CONFIG", "x")
    assert "COVERAGE_PROCESS_CONFIG" in Instance(8000, tmp_path).environment()
    copy = Instance(8000, tmp_path, code=tmp_path / "releases" / "next").environment()
    assert "COVERAGE_PROCESS_CONFIG" not in copy and copy["BOOKSTORE_PORT"] == "8000"
