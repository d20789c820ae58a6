# Shared set-up for scripts/serve and scripts/test: a project virtualenv with the
# locked dependency set (requirements/$1.lock, every file checked against its hash)
# and the project itself. Sourced, not run. Re-installs only when pyproject.toml or
# the lock changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Scoop needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.scoop-installed-$1
lock=requirements/$1.lock
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes --requirement "$lock"
  .venv/bin/python -m pip install --quiet --no-deps --editable .
  touch "$stamp"
fi
