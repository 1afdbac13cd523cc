#!/usr/bin/env bash
# make install-cli: puts kubectl-gridsearch (and kubectl_complete-gridsearch) into $PREFIX/bin and
# the jar with its lib/ into $PREFIX/share/kubectl-gridsearch; PREFIX defaults to ~/.local.
# Needs the jar built (make install-cli builds it). Also records a class-data archive for a faster
# start, and `make krew-archive` packs the same files for krew.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-$HOME/.local}
jar=cli/target/kubectl-gridsearch.jar
[[ -f $jar ]] || { echo "[install-cli] $jar is missing: run make install-cli" >&2; exit 1; }
share=$PREFIX/share/kubectl-gridsearch
rm -rf "$share"
mkdir -p "$PREFIX/bin" "$share"
cp "$jar" "$share/"
cp -r cli/target/lib "$share/lib"
install -m 0755 cli/bin/kubectl-gridsearch cli/bin/kubectl_complete-gridsearch "$PREFIX/bin/"
# A dynamic CDS archive from one run that loads the client classes (it fails to connect, on purpose).
kc=$(mktemp)
printf 'apiVersion: v1\nkind: Config\nclusters: [{name: x, cluster: {server: "https://127.0.0.1:9"}}]\ncontexts: [{name: x, context: {cluster: x, user: x}}]\ncurrent-context: x\nusers: [{name: x, user: {token: x}}]\n' > "$kc"
java -XX:ArchiveClassesAtExit="$share/kubectl-gridsearch.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$share/kubectl-gridsearch.jar" list --kubeconfig "$kc" >/dev/null 2>&1 || true
rm -f "$kc"
echo "[install-cli] installed $PREFIX/bin/kubectl-gridsearch ($(du -sh "$share" | cut -f1) in $share)"
case ":$PATH:" in
  *":$PREFIX/bin:"*) ;;
  *) echo "[install-cli] add $PREFIX/bin to PATH for kubectl to find the plugin" ;;
esac
