#!/usr/bin/env bash
# Installs the pinned @cloud-copilot/iam-simulate (see package.json and
# package-lock.json beside this script) into a git-ignored cache folder, by
# default <repo>/.cache/difftest-node/. Test-only: the simulator is AGPL and is
# never vendored, committed, linked into or shipped with smlint.
#
# Idempotent: a stamp holding the lockfile's checksum skips the install when
# the cache already matches. Prints the node_modules parent folder on success.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dest="${DIFFTEST_NODE_DIR:-$repo/.cache/difftest-node}"

command -v node >/dev/null 2>&1 || { echo "install.sh: node not found" >&2; exit 3; }
command -v npm >/dev/null 2>&1 || { echo "install.sh: npm not found" >&2; exit 3; }

sum="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
stamp="$dest/.stamp"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" && -d "$dest/node_modules/@cloud-copilot/iam-simulate" ]]; then
	echo "$dest"
	exit 0
fi

mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$dest/"
# npm ci installs exactly what the lockfile says; no lifecycle scripts run.
(cd "$dest" && timeout 300 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
echo "$sum" >"$stamp"
echo "$dest"
