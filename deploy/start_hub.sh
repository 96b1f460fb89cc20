#!/usr/bin/env bash
# Start the class hub on this machine: JupyterHub + configurable-http-proxy on http://127.0.0.1:8000 (`make hub`).
# It needs the venv with the `hub` extra, the proxy (npm, under build/node) and the student edition (`make student`);
# `make hub` does all three. Environment: DDIM_HUB_PORT, DDIM_HUB_HOMES, DDIM_HUB_PASSWORD, DDIM_HUB_MEM, DDIM_HUB_CPU,
# DDIM_HUB_TOKEN (a service token for deploy/loadtest.py). Stop it with Ctrl-C (or kill its PID, written to
# $DDIM_HUB_HOMES/../jupyterhub.pid).
set -euo pipefail
cd "$(dirname "$0")/.."
HOMES="${DDIM_HUB_HOMES:-/tmp/ddim-hub/homes}"
export DDIM_HUB_HOMES="$HOMES"
mkdir -p "$HOMES"
export PATH="$PWD/build/node/node_modules/.bin:$PWD/.venv/bin:$PATH"
test -x build/node/node_modules/.bin/configurable-http-proxy || { echo "no configurable-http-proxy: run make hub" >&2; exit 1; }
test -d notebooks/student/ko || { echo "no student edition: run make student" >&2; exit 1; }
cd "$(dirname "$HOMES")"
echo $$ > jupyterhub.pid
exec jupyterhub -f "$OLDPWD/deploy/jupyterhub_config.py"
