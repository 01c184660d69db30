#!/usr/bin/env bash
# Builds the Pulumi CLI from Go modules (no registry ships it) into .tools/pulumi/<version>/bin,
# with the pulumi-resource-pulumi-python launcher, the pulumi-language-python-exec shim and our own
# Python language host (tools/pulumi-language-python; the module proxy refuses Pulumi's) beside it.
# Prints the bin folder. An earlier build makes this instant; so does a complete Pulumi
# installation of the pinned version on PATH. See docs/pulumi-cli.md.
set -euo pipefail

version="${PULUMI_VERSION:-v3.274.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/pulumi/$version"
bin="$dest/bin"
host_src="$root/tools/pulumi-language-python"
# Same flags as Pulumi's release builds; the stamped version is what `pulumi version` prints
# (an unstamped CLI breaks the Automation API).
ldflags="-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"

need_go() {
  command -v go >/dev/null || { echo "get-pulumi: Go is needed to build the Pulumi CLI" >&2; exit 1; }
}

# The host pins sdk/v3 in its own go.mod; PULUMI_VERSION only changes the version it reports.
build_host() {
  echo "get-pulumi: building pulumi-language-python from $host_src" >&2
  (cd "$host_src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags osusergo,grpcnotrace \
    -ldflags "$ldflags" -o "$bin/pulumi-language-python.tmp" .) >&2
  mv "$bin/pulumi-language-python.tmp" "$bin/pulumi-language-python"
}

host_stale() {
  [ ! -x "$bin/pulumi-language-python" ] \
    || [ -n "$(find "$host_src" -newer "$bin/pulumi-language-python" -print -quit)" ]
}

# `pulumi` is moved into place last, so its presence means the whole bin folder is complete.
if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
  if host_stale; then need_go; build_host; fi
  echo "$bin"; exit 0
fi
if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "$version" ] \
  && command -v pulumi-resource-pulumi-python >/dev/null 2>&1 \
  && command -v pulumi-language-python >/dev/null 2>&1; then
  dirname "$(command -v pulumi)"; exit 0
fi

need_go
work="$dest/build"
mkdir -p "$work" "$bin"
cd "$work"
# `go install pkg@version` refuses pkg's local replace of the sdk; a wrapper module requires both
# at one version and copies pkg's only non-local replace (pulumi-dynamic.md).
cat > go.mod <<MOD
module aem-pulumi/pulumi-cli

go 1.26

require (
	github.com/pulumi/pulumi/pkg/v3 $version
	github.com/pulumi/pulumi/sdk/v3 $version
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
echo "get-pulumi: building pulumi $version from Go modules (first time only, several minutes)" >&2
go mod tidy >&2
CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags osusergo,grpcnotrace -ldflags "$ldflags" \
  -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
# The launchers are plain files in the sdk module; the module cache drops their exec bits.
sdk="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
for f in dist/pulumi-resource-pulumi-python cmd/pulumi-language-python-exec; do
  install -m 0755 "$sdk/python/$f" "$bin/$(basename "$f")"
done
build_host
mv "$bin/pulumi.tmp" "$bin/pulumi"
echo "$bin"
