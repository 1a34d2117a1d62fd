"""`make test` installs only what a machine lacks: the system-packages step, run with a PATH that
lacks some commands and a stand-in `apt-get` that records what it is asked for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

COMMANDS = ["chromium", "node", "npm", "java", "faketime"]
# What a shell recipe needs besides the commands under test.
TOOLS = ["sh", "env", "id", "cat", "echo"]


def machine(tmp_path: Path, missing: set[str], failing: str = "") -> tuple[dict, Path]:
    """A PATH with stand-ins for the commands not in `missing`, and an apt-get that logs its
    arguments (and fails for the package `failing`). Returns (environment, log file)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    for command in set(COMMANDS) - missing:
        stand_in = bin_dir / command
        stand_in.write_text("#!/bin/sh\nexit 0\n")
        stand_in.chmod(0o755)
    apt = bin_dir / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$*" >> {log}\ncase "$*" in *" {failing}") [ -n "{failing}" ] && exit 100;; esac\nexit 0\n')
    apt.chmod(0o755)
    environment = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    return environment, log


def system_packages(environment: dict) -> subprocess.CompletedProcess:
    make = shutil.which("make")
    # SUDO= runs apt-get (here the stand-in) directly, as make does for root.
    return subprocess.run([make, "--no-print-directory", "-C", str(REPO), "system-packages", "SUDO="],
                          env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("missing, installed", [
    (set(), []),
    ({"faketime"}, ["faketime"]),
    ({"node", "npm"}, ["nodejs", "npm"]),
    ({"chromium", "java"}, ["chromium", "default-jre-headless"]),
], ids=["nothing", "faketime", "node-and-npm", "chromium-and-java"])
def test_only_the_packages_of_missing_commands_are_installed_one_by_one(tmp_path, missing, installed):
    environment, log = machine(tmp_path, missing)
    result = system_packages(environment)
    assert result.returncode == 0, result.stderr
    asked = log.read_text().splitlines() if log.exists() else []
    expected = (["update -q"] if installed else []) + [f"install -y -q {package}" for package in installed]
    assert asked == expected


def test_a_package_apt_cannot_install_is_named(tmp_path):
    environment, log = machine(tmp_path, {"npm", "faketime"}, failing="npm")
    result = system_packages(environment)
    assert result.returncode != 0
    assert "could not install npm" in result.stderr
    assert log.read_text().splitlines() == ["update -q", "install -y -q npm"], "it stops at the failure"
