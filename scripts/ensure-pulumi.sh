#!/usr/bin/env bash
# Provides the Pulumi CLI without the official installer (it downloads from outside the registries):
# builds `pulumi` from the pkg Go module and a Node.js language host, caches them under
# ~/.cache/peerlink/pulumi-<version>/bin, and copies the dynamic-provider plugin from @pulumi/pulumi beside them.
# Prints the bin directory on stdout; progress goes to stderr.
set -euo pipefail

PULUMI_VERSION="${PEERLINK_PULUMI_VERSION:-3.248.0}"
# The language host module has no tags; this is the pseudo-version of the v3.248.0 release commit.
LANGHOST_PSEUDO_VERSION="v3.0.0-20260624180030-dc7edd58bc13"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${PEERLINK_CACHE_DIR:-$HOME/.cache/peerlink}/pulumi-v${PULUMI_VERSION}"
BIN_DIR="$CACHE_DIR/bin"
log() { echo "ensure-pulumi: $*" >&2; }

version_fits() { # $1 = path to a pulumi binary
  local v
  v="$("$1" version 2>/dev/null || true)"
  [[ "$v" == "v${PULUMI_VERSION}" ]]
}

# The plugin is a small script that finds @pulumi/pulumi from the program's directory, so a copy serves
# every checkout; a link into one checkout's node_modules would dangle when that checkout goes away.
link_dynamic_provider() {
  local plugin="$REPO_DIR/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  local target="$BIN_DIR/pulumi-resource-pulumi-nodejs"
  if [[ -x "$plugin" ]]; then
    if [[ -L "$target" ]] || ! cmp -s "$plugin" "$target"; then
      local tmp="$target.$$"
      cp "$plugin" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$target"
    fi
  else
    log "warning: $plugin not found; run npm ci first"
  fi
}

# Our own host is rebuilt when its source changes; the official one never goes stale.
langhost_stale() {
  local source_file="$BIN_DIR/pulumi-language-nodejs.source"
  [[ -f "$source_file" ]] || return 0
  grep -q '^official ' "$source_file" && return 1
  [[ "$(cat "$source_file")" != "peerlink scripts/langhost $(sha256sum "$REPO_DIR/scripts/langhost/main.go" | cut -c1-16)" ]]
}

# 1. A pulumi already on PATH whose version fits, with its language host beside it.
if command -v pulumi >/dev/null 2>&1 && version_fits "$(command -v pulumi)" && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  mkdir -p "$BIN_DIR"
  BIN_DIR_PATH="$(dirname "$(command -v pulumi)")"
  log "using pulumi v${PULUMI_VERSION} on PATH ($BIN_DIR_PATH)"
  link_dynamic_provider
  echo "$BIN_DIR"
  exit 0
fi

# 2. A cached build.
if [[ -x "$BIN_DIR/pulumi" ]] && version_fits "$BIN_DIR/pulumi" && [[ -x "$BIN_DIR/pulumi-language-nodejs" ]] && ! langhost_stale; then
  link_dynamic_provider
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "error: Go is needed to build the Pulumi CLI and was not found on PATH"; exit 1; }
mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="-mod=mod"
export CGO_ENABLED=0
# The checksum database has no entries for these release modules as the proxy here serves them;
# every other module is still verified against it.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi/pulumi"
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${PULUMI_VERSION}"

# pkg/go.mod replaces sdk with ../sdk, so `go install pkg@version` is refused: build from a wrapper module.
write_wrapper_module() {
  mkdir -p "$WORK/cli"
  cat > "$WORK/cli/go.mod" <<MOD
module peerlink.local/pulumi-cli

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 v${PULUMI_VERSION}
	github.com/pulumi/pulumi/sdk/v3 v${PULUMI_VERSION}
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  cat > "$WORK/cli/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
}

build_cli() {
  write_wrapper_module
  log "building pulumi v${PULUMI_VERSION} from Go modules (several minutes on a cold cache)"
  (cd "$WORK/cli" && go mod tidy >&2 && go build -trimpath -ldflags "$LDFLAGS" -o "$BIN_DIR/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2)
}

# The official language host is its own module with no tags; try its release pseudo-version first.
# Where the proxy refuses it, build Peerlink's own host (scripts/langhost) against the same sdk.
build_language_host() {
  local official="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
  if (cd "$WORK/cli" && go get "$official@$LANGHOST_PSEUDO_VERSION" >"$WORK/langhost-get.log" 2>&1); then
    log "building the official Node.js language host ($LANGHOST_PSEUDO_VERSION)"
    (cd "$WORK/cli" && go build -trimpath -ldflags "$LDFLAGS" -o "$BIN_DIR/pulumi-language-nodejs" "$official" >&2)
    echo "official $LANGHOST_PSEUDO_VERSION" > "$BIN_DIR/pulumi-language-nodejs.source"
  else
    log "the module proxy does not serve $official@$LANGHOST_PSEUDO_VERSION:"
    sed 's/^/ensure-pulumi:   /' "$WORK/langhost-get.log" | tail -3 >&2
    log "building Peerlink's Node.js language host (scripts/langhost) instead"
    mkdir -p "$WORK/cli/langhost"
    cp "$REPO_DIR/scripts/langhost/main.go" "$WORK/cli/langhost/main.go"
    (cd "$WORK/cli" && go mod tidy >&2 && go build -trimpath -ldflags "$LDFLAGS" -o "$BIN_DIR/pulumi-language-nodejs" ./langhost >&2)
    echo "peerlink scripts/langhost $(sha256sum "$REPO_DIR/scripts/langhost/main.go" | cut -c1-16)" > "$BIN_DIR/pulumi-language-nodejs.source"
  fi
}

if ! { [[ -x "$BIN_DIR/pulumi" ]] && version_fits "$BIN_DIR/pulumi"; }; then
  build_cli
fi
if [[ ! -x "$BIN_DIR/pulumi-language-nodejs" ]] || langhost_stale; then
  [[ -f "$WORK/cli/go.mod" ]] || write_wrapper_module
  build_language_host
fi
"$BIN_DIR/pulumi" version >&2
link_dynamic_provider
echo "$BIN_DIR"
