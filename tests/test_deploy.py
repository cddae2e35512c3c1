"""Checks of the systemd deployment files in deploy/.

`systemd-analyze` is required, not optional: without it these tests fail (CI installs Debian's
systemd package). They never touch the host: the unit is verified inside a throwaway --root
tree and install.sh only runs with --dry-run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UNIT = DEPLOY / "watcher.service"
INSTALL = DEPLOY / "install.sh"
MAX_EXPOSURE = 2.0
# The only executables of the unit that may be missing on a test machine: install.sh
# creates this venv. Everything else the unit runs (e.g. /bin/kill) must exist on the host.
VENV_PREFIX = "/opt/watcher/venv/"
UNIT_DIRS = ("/usr/lib/systemd/system", "/lib/systemd/system")
ENV = {**os.environ, "SYSTEMD_COLORS": "0", "SYSTEMD_PAGER": "", "LC_ALL": "C.UTF-8"}


def systemd_analyze() -> str:
    path = shutil.which("systemd-analyze")
    if path is None:
        pytest.fail("systemd-analyze not found: install Debian's systemd package "
                    "(apt-get install systemd) to run the deployment tests")
    return path


def unit_settings(text: str) -> dict[str, list[str]]:
    """KEY -> values of a unit file (all sections; repeated keys keep every value)."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def exec_paths(text: str) -> list[str]:
    """The absolute executables of every Exec*= line (prefixes like '-' or '!' removed)."""
    paths = []
    for key, values in unit_settings(text).items():
        if key.startswith("Exec"):
            for value in values:
                paths.append(value.lstrip("-@:+!").split()[0])
    return paths


def fake_root(tmp_path: Path, unit_text: str, name: str = "watcher.service") -> Path:
    """A --root tree holding the unit, systemd's own units and the unit's executables.

    systemd-analyze verify checks that ExecStart= exists and is executable. The watcher venv
    does not exist on a test machine, so verify runs against a root where it does (a stub)
    instead of filtering its complaint out of the output.
    """
    root = tmp_path / "root"
    unit_dir = next((d for d in UNIT_DIRS if Path(d, "default.target").exists()), None)
    assert unit_dir, f"systemd's unit directory not found in {UNIT_DIRS}"
    shutil.copytree(unit_dir, root / unit_dir.lstrip("/"), symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/systemd/system" / name).write_text(unit_text)
    for exe in exec_paths(unit_text):
        target = root / exe.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if exe.startswith(VENV_PREFIX):
            target.write_text("#!/bin/sh\nexit 0\n")
            target.chmod(0o755)
        elif Path(exe).exists():
            shutil.copy(exe, target)
        # else: leave it missing, verify reports it
    return root


def verify(root: Path, name: str = "watcher.service") -> subprocess.CompletedProcess:
    return subprocess.run(
        [systemd_analyze(), "verify", "--man=no", f"--root={root}", name],
        capture_output=True, text=True, env=ENV, timeout=60,
    )


# -- the unit --------------------------------------------------------------------------


def test_unit_verifies_cleanly(tmp_path):
    result = verify(fake_root(tmp_path, UNIT.read_text()))
    output = (result.stdout + result.stderr).strip()
    assert output == "", f"systemd-analyze verify complained:\n{output}"
    assert result.returncode == 0


def test_verify_harness_catches_mistakes(tmp_path):
    """The check above is only worth something if verify really reads our unit."""
    text = UNIT.read_text()
    bad = text.replace("NotifyAccess=", "NotifyAcess=").replace(
        "ExecReload=/bin/kill", "ExecReload=/bin/kil")
    result = verify(fake_root(tmp_path, bad))
    output = result.stdout + result.stderr
    assert "Unknown key 'NotifyAcess'" in output
    assert "/bin/kil " in output


def test_security_exposure_is_ok():
    result = subprocess.run(
        [systemd_analyze(), "security", "--offline=true", "--no-pager", str(UNIT)],
        capture_output=True, text=True, env=ENV, timeout=60,
    )
    output = result.stdout + result.stderr
    match = re.search(r"Overall exposure level for watcher\.service: (\d+(?:\.\d+)?)", output)
    assert match, f"no exposure level in the output:\n{output}"
    exposure = float(match[1])
    assert exposure <= MAX_EXPOSURE, f"exposure {exposure} > {MAX_EXPOSURE}:\n{output}"


def test_unit_matches_the_daemon_contract():
    s = unit_settings(UNIT.read_text())
    one = {k: v[-1] for k, v in s.items()}
    assert one["Type"] == "notify"
    assert one["NotifyAccess"] == "main"
    assert one["WatchdogSec"] == "30"
    assert one["ExecStart"] == (
        "/opt/watcher/venv/bin/watcher run --config /etc/watcher/watcher.yaml")
    assert one["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert one["Restart"] == "on-failure"
    assert one["User"] == "watcher" and one["Group"] == "watcher"
    assert one["SupplementaryGroups"] == "watcher-inbox"  # install.sh creates it
    assert one["StateDirectory"] == "watcher"
    assert one["ConfigurationDirectory"] == "watcher"
    assert "-/etc/watcher/watcher.env" in s["EnvironmentFile"]
    assert one["MemoryDenyWriteExecute"] == "yes"
    assert one["CapabilityBoundingSet"] == ""
    assert set(one["RestrictAddressFamilies"].split()) == {"AF_INET", "AF_INET6", "AF_UNIX"}


# -- example config --------------------------------------------------------------------


def test_example_config_loads_with_production_paths(monkeypatch):
    from watcher.config import load_settings, load_watchlist

    monkeypatch.setenv("SLACK_WEBHOOK", "https://hooks.slack.com/services/T0/B0/x")
    settings = load_settings(DEPLOY / "watcher.yaml")
    assert settings.inbox == Path("/var/lib/watcher/inbox")
    assert settings.data_dir == Path("/var/lib/watcher")
    assert settings.watchlist == Path("/etc/watcher/watchlist.yaml")
    assert settings.database_url == "sqlite:////var/lib/watcher/watcher.db"
    assert load_watchlist(DEPLOY.parent / "config" / "watchlist.yaml")


def test_env_example_documents_every_variable_of_the_config():
    config_lines = [ln for ln in (DEPLOY / "watcher.yaml").read_text().splitlines()
                    if not ln.lstrip().startswith("#")]
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", "\n".join(config_lines)))
    env_example = (DEPLOY / "watcher.env.example").read_text()
    documented = set(re.findall(r"^#?([A-Za-z_][A-Za-z0-9_]*)=", env_example, re.M))
    assert used and used <= documented, f"not in watcher.env.example: {used - documented}"


# -- install.sh ------------------------------------------------------------------------


def test_install_script_syntax():
    result = subprocess.run(["bash", "-n", str(INSTALL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_install_script_shellcheck():
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck not installed (optional: apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", str(INSTALL)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_install_dry_run_plans_user_venv_and_unit():
    etc_watcher_existed = Path("/etc/watcher").exists()
    result = subprocess.run(
        ["bash", str(INSTALL), "--dry-run"], capture_output=True, text=True, timeout=120,
        env={**ENV, "PYTHON": sys.executable},
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "nothing will be changed" in out
    # Each step is either planned or already done on this machine.
    assert re.search(r"\[dry-run\] useradd --system .* watcher$|system user watcher exists",
                     out, re.M), out
    assert re.search(r"\[dry-run\] groupadd --system watcher-inbox$|group watcher-inbox exists",
                     out, re.M), out
    assert re.search(r"\[dry-run\] \S+ -m venv /opt/watcher/venv$|virtualenv /opt/watcher/venv "
                     r"exists", out, re.M), out
    assert re.search(rf"\[dry-run\] /opt/watcher/venv/bin/python -m pip install .*"
                     rf"{re.escape(str(REPO))}$", out, re.M), out
    assert re.search(r"\[dry-run\] install -m 0644 .*deploy/watcher\.service "
                     r"/etc/systemd/system/watcher\.service$|watcher\.service is up to date",
                     out, re.M), out
    assert re.search(r"install -m 0640 -o root -g watcher \S+ /etc/watcher/watcher\.env$|"
                     r"/etc/watcher/watcher\.env exists", out, re.M), out
    assert "journalctl -u watcher" in out
    assert "\n+ " not in out, "dry run executed a command"
    assert Path("/etc/watcher").exists() == etc_watcher_existed


def test_install_script_rejects_unknown_arguments():
    result = subprocess.run(["bash", str(INSTALL), "--bogus"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown argument" in result.stderr
