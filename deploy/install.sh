#!/bin/bash
# Install or update watcher as a systemd service on a Debian host. Run as root from a checkout:
#
#     sudo deploy/install.sh            # install / update
#     deploy/install.sh --dry-run       # only print what would be done (no root needed)
#
# Idempotent: safe to run again after `git pull`. It reinstalls the package into the venv and
# the unit file (the unit belongs to the package; local changes go into a drop-in made with
# `systemctl edit watcher`), but never overwrites existing files in /etc/watcher.
# It does not enable or start the service; it prints how to.

set -euo pipefail

SERVICE_USER=watcher
SERVICE_GROUP=watcher
# Accounts that may drop files into the inbox (scrapers) join this group.
INBOX_GROUP=watcher-inbox
VENV=/opt/watcher/venv
CONF_DIR=/etc/watcher
STATE_DIR=/var/lib/watcher
INBOX="$STATE_DIR/inbox"
UNIT_DIR=/etc/systemd/system
PYTHON=${PYTHON:-/usr/bin/python3}

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$DEPLOY_DIR")

DRY_RUN=0

usage() {
    cat <<EOF
usage: $0 [--dry-run]

Installs watcher from $REPO_DIR:
  system user/group  $SERVICE_USER:$SERVICE_GROUP
  virtualenv         $VENV (package installed with pip from the checkout)
  config             $CONF_DIR/watcher.yaml, watchlist.yaml, watcher.env (kept if present)
  state / inbox      $STATE_DIR, $INBOX (scrapers join the group $INBOX_GROUP)
  unit               $UNIT_DIR/watcher.service

  --dry-run   print the actions instead of performing them
  -h, --help  this help

Environment: PYTHON=/path/to/python3 (default /usr/bin/python3, needs 3.11 or newer).
EOF
}

for arg in "$@"; do
    case "$arg" in
        -n|--dry-run) DRY_RUN=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Run a command, or only show it with --dry-run.
run() {
    local quoted
    quoted=$(printf '%q ' "$@")
    if [ "$DRY_RUN" = 1 ]; then
        printf '[dry-run] %s\n' "${quoted% }"
    else
        printf '+ %s\n' "${quoted% }"
        "$@"
    fi
}

# Install a file only if the target does not exist yet (config files are the admin's).
install_new() {  # mode owner group src dst
    local mode=$1 owner=$2 group=$3 src=$4 dst=$5
    if [ -e "$dst" ]; then
        say "$dst exists, leaving it unchanged"
    else
        run install -m "$mode" -o "$owner" -g "$group" "$src" "$dst"
    fi
}

[ "$DRY_RUN" = 1 ] && say "dry run: nothing will be changed"
if [ "$(id -u)" != 0 ] && [ "$DRY_RUN" = 0 ]; then
    die "run as root (or with --dry-run to see what would be done)"
fi
[ -f "$REPO_DIR/pyproject.toml" ] || die "$REPO_DIR does not look like the watcher checkout"
[ -f "$DEPLOY_DIR/watcher.service" ] || die "$DEPLOY_DIR/watcher.service is missing"

# --- Python and its venv module ------------------------------------------------------------
if [ ! -x "$PYTHON" ]; then
    PYTHON=$(command -v python3 || true)
    [ -n "$PYTHON" ] || die "python3 not found: apt-get install python3 python3-venv"
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$PYTHON is $("$PYTHON" -V 2>&1); watcher needs Python 3.11 or newer"
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    if command -v apt-get >/dev/null; then
        say "the Python venv module is missing; installing Debian's python3-venv"
        run apt-get install -y python3-venv
    else
        die "the Python venv module is missing: apt-get install python3-venv"
    fi
fi

# --- system user ---------------------------------------------------------------------------
for group in "$SERVICE_GROUP" "$INBOX_GROUP"; do
    if getent group "$group" >/dev/null; then
        say "group $group exists"
    else
        run groupadd --system "$group"
    fi
done
if getent passwd "$SERVICE_USER" >/dev/null; then
    say "system user $SERVICE_USER exists"
else
    run useradd --system --gid "$SERVICE_GROUP" --home-dir "$STATE_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "watcher entity watchlist daemon" "$SERVICE_USER"
fi

# --- virtualenv and package ----------------------------------------------------------------
# Owned by root: the service can run the code but not modify it.
if [ -x "$VENV/bin/python" ]; then
    say "virtualenv $VENV exists"
else
    run install -d -m 0755 -o root -g root "$(dirname "$VENV")"
    run "$PYTHON" -m venv "$VENV"
fi
run "$VENV/bin/python" -m pip install --quiet --upgrade pip
run "$VENV/bin/python" -m pip install --quiet --upgrade "$REPO_DIR"

# --- configuration -------------------------------------------------------------------------
run install -d -m 0755 -o root -g root "$CONF_DIR"
install_new 0644 root root "$DEPLOY_DIR/watcher.yaml" "$CONF_DIR/watcher.yaml"
install_new 0644 root root "$REPO_DIR/config/watchlist.yaml" "$CONF_DIR/watchlist.yaml"
# Secrets: readable by root and the service's group only.
install_new 0640 root "$SERVICE_GROUP" "$DEPLOY_DIR/watcher.env.example" "$CONF_DIR/watcher.env"
if [ -e "$CONF_DIR/watcher.env" ] && [ -n "$(find "$CONF_DIR/watcher.env" -perm /o=rwx)" ]; then
    warn "$CONF_DIR/watcher.env was readable by other users; removing their access"
    run chmod o= "$CONF_DIR/watcher.env"
fi

# --- state and inbox -----------------------------------------------------------------------
# systemd creates $STATE_DIR too (StateDirectory=, same owner and mode); creating it here
# lets scrapers be set up before the first start. 0711: others may pass through to the
# inbox but not list the state. The inbox is setgid and group-writable for $INBOX_GROUP:
# `usermod -aG $INBOX_GROUP scraper` lets an account drop files (the service joins that group
# through SupplementaryGroups= in the unit, to read them).
run install -d -m 0711 -o "$SERVICE_USER" -g "$SERVICE_GROUP" "$STATE_DIR"
run install -d -m 2770 -o "$SERVICE_USER" -g "$INBOX_GROUP" "$INBOX"

# --- systemd unit --------------------------------------------------------------------------
if cmp -s "$DEPLOY_DIR/watcher.service" "$UNIT_DIR/watcher.service"; then
    say "$UNIT_DIR/watcher.service is up to date"
else
    run install -m 0644 -o root -g root "$DEPLOY_DIR/watcher.service" "$UNIT_DIR/watcher.service"
fi
if [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    if systemctl is-active --quiet watcher.service; then
        say "watcher is running; restart it to use the new code/unit: systemctl restart watcher"
    fi
else
    warn "systemd is not running here (container/chroot?): skipped systemctl daemon-reload"
fi

if [ "$DRY_RUN" = 1 ]; then
    printf '\nDry run finished; nothing was changed. After a real install:\n'
else
    printf '\nwatcher is installed.\n'
fi
cat <<EOF
  1. Put the secrets into $CONF_DIR/watcher.env (every \${VAR} of watcher.yaml must be set)
     and review $CONF_DIR/watcher.yaml and $CONF_DIR/watchlist.yaml.
  2. Enable and start:   systemctl enable --now watcher
     Status:             systemctl status watcher
     Logs:               journalctl -u watcher -f
     Reload watchlist:   systemctl reload watcher
  State (database, processed/, failed/) is in $STATE_DIR; scrapers write into $INBOX
  (add their accounts to the group $INBOX_GROUP; files they drop must be group-readable).
EOF
