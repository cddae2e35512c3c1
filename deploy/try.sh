#!/usr/bin/env bash
# Run the daemon in the foreground on the bundled example config (config/watcher.yaml):
# drop .txt/.md/.html/.pdf/.docx files into config/inbox/ and watch the alerts in this terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/venv
mkdir -p config/inbox  # the inbox an install would make (the daemon warns about a missing one)
exec .venv/bin/watcher run --config config/watcher.yaml "$@"
