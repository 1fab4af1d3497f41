#!/usr/bin/env bash
# Builds programs/hello.jar from this example against the node jar (bin/ssi builds that first).
# `bin/ssi up` puts every jar in programs/ on each node's class path.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
NODE_JAR="$ROOT/node/target/ssi-node.jar"
[ -f "$NODE_JAR" ] || { echo "build the project first: bin/ssi status (or mvn -DskipTests install)" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
javac --release 17 -d "$OUT" -cp "$NODE_JAR" "$HERE"/src/example/*.java
cp -r "$HERE"/resources/. "$OUT"/
mkdir -p "$ROOT/programs"
jar cf "$ROOT/programs/hello.jar" -C "$OUT" .
echo "built $ROOT/programs/hello.jar"
