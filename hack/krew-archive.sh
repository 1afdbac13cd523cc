#!/usr/bin/env bash
# make krew-archive: cli/target/kubectl-gridsearch.tar.gz (the launchers, the jar, lib/, LICENSE-free
# layout krew unpacks as is) and cli/target/gridsearch.yaml, the krew manifest with its sha256 filled
# in. Publish the archive at the manifest's uri (a release asset) before submitting the manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=cli/target/kubectl-gridsearch.jar
[[ -f $jar ]] || { echo "[krew-archive] $jar is missing: run make krew-archive" >&2; exit 1; }
stage=cli/target/krew
rm -rf "$stage"
mkdir -p "$stage"
cp cli/bin/kubectl-gridsearch cli/bin/kubectl_complete-gridsearch "$jar" "$stage/"
cp -r cli/target/lib "$stage/lib"
tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -czf cli/target/kubectl-gridsearch.tar.gz .
sum=$(sha256sum cli/target/kubectl-gridsearch.tar.gz | cut -d' ' -f1)
sed "s/sha256: .*/sha256: $sum/" cli/krew/gridsearch.yaml > cli/target/gridsearch.yaml
echo "[krew-archive] cli/target/kubectl-gridsearch.tar.gz sha256 $sum; manifest cli/target/gridsearch.yaml"
