#!/usr/bin/env bash
# Prints a folder to put first on PATH, holding a Pulumi CLI with its Python plugins (`pulumi`,
# `pulumi-language-python`, `pulumi-resource-pulumi-python`). The first of these wins:
#   1. this checkout's own build, .tools/pulumi/<version>/bin, when complete;
#   2. a Pulumi installation on PATH of a supported version, used as it is, with Pulumi's own
#      language hosts: any v3 release from v3.272.0 (the Python SDK that the package requires) on,
#      or exactly PULUMI_VERSION when that is set;
#   3. a build from Go modules into .tools (several minutes, once; no registry ships the CLI): the
#      CLI, the pulumi-resource-pulumi-python and pulumi-language-python-exec launchers, our own
#      Python language host (tools/pulumi-language-python; the module proxy refuses Pulumi's) and
#      Pulumi's YAML language host.
# See docs/pulumi-cli.md.
set -euo pipefail

pinned=v3.274.1
min_minor=272 # the oldest supported CLI is v3.<min_minor>.0
yaml_version=v1.25.0
version="${PULUMI_VERSION:-$pinned}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/pulumi/$version"
bin="$dest/bin"
host_src="$root/tools/pulumi-language-python"
# Pulumi's release flags; the stamped version is what `pulumi version` prints (an unstamped CLI
# breaks the Automation API).
tags=osusergo,grpcnotrace
ldflags="-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"

say() { echo "get-pulumi: $*" >&2; }

need_go() {
  command -v go >/dev/null || { say "Go is needed to build the Pulumi CLI"; exit 1; }
}

# supported VERSION: exactly PULUMI_VERSION if set; else a v3 release from v3.<min_minor>.0 on (a
# pre-release only of a later version, since v3.272.0-alpha comes before v3.272.0).
supported() {
  if [ -n "${PULUMI_VERSION:-}" ]; then [ "$1" = "$PULUMI_VERSION" ]; return; fi
  [[ "$1" =~ ^v3\.([0-9]+)\.([0-9]+)(-[^+]+)?(\+.+)?$ ]] || return 1
  local minor=$((10#${BASH_REMATCH[1]})) patch=$((10#${BASH_REMATCH[2]})) pre="${BASH_REMATCH[3]}"
  ((minor > min_minor)) && return 0
  ((minor == min_minor)) || return 1
  ((patch > 0)) || [ -z "$pre" ]
}

# installed: the folder of the `pulumi` on PATH, if it is supported and has the Python plugins
# beside it. Another checkout's .tools build is passed over: its language host is built from that
# checkout's tools/, which may lag this one.
installed() {
  local cli dir found
  cli="$(command -v pulumi 2>/dev/null)" || return 1
  dir="$(dirname "$cli")"
  case "$dir" in */.tools/pulumi/*/bin) say "not using $dir: another checkout's build"; return 1 ;; esac
  for f in pulumi-language-python pulumi-resource-pulumi-python; do
    [ -x "$dir/$f" ] || { say "not using $cli: no $f beside it"; return 1; }
  done
  found="$("$cli" version 2>/dev/null)" || found="(no version)"
  if ! supported "$found"; then
    say "not using $cli $found: need ${PULUMI_VERSION:-v3.$min_minor.0 or a later v3}"
    return 1
  fi
  echo "$dir"
}

# The host pins sdk/v3 and pkg/v3 in its own go.mod; PULUMI_VERSION only changes the version it
# reports.
build_host() {
  say "building pulumi-language-python from $host_src"
  (cd "$host_src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags "$tags" \
    -ldflags "$ldflags" -o "$bin/pulumi-language-python.tmp" .) >&2
  mv "$bin/pulumi-language-python.tmp" "$bin/pulumi-language-python"
}

host_stale() {
  [ ! -x "$bin/pulumi-language-python" ] \
    || [ -n "$(find "$host_src" -newer "$bin/pulumi-language-python" -print -quit)" ]
}

# The YAML host is built with its own go.mod's versions: v1.25.0 does not compile against a newer
# pkg/v3 (docs/pulumi-cli.md).
build_yaml_host() {
  say "building pulumi-language-yaml $yaml_version from Go modules"
  mkdir -p "$dest/yaml"
  GOBIN="$dest/yaml" CGO_ENABLED=0 go install -trimpath -tags "$tags" \
    -ldflags "-w -s -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$yaml_version" >&2
  mv "$dest/yaml/pulumi-language-yaml" "$bin/pulumi-language-yaml"
}

# `pulumi` is moved into place last, so its presence means the whole bin folder is complete.
if [ -x "$bin/pulumi" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$version" ]; then
  if host_stale; then need_go; build_host; fi
  if [ ! -x "$bin/pulumi-language-yaml" ]; then need_go; build_yaml_host; fi
  echo "$bin"; exit 0
fi
if dir="$(installed)"; then
  echo "$dir"; exit 0
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
say "building pulumi $version from Go modules (first time only, several minutes)"
go mod tidy >&2
CGO_ENABLED=0 go build -trimpath -buildvcs=false -tags "$tags" -ldflags "$ldflags" \
  -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
# The launchers are plain files in the sdk module; the module cache drops their exec bits.
sdk="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
for f in dist/pulumi-resource-pulumi-python cmd/pulumi-language-python-exec; do
  install -m 0755 "$sdk/python/$f" "$bin/$(basename "$f")"
done
build_host
build_yaml_host
mv "$bin/pulumi.tmp" "$bin/pulumi"
echo "$bin"
