# The front door. Thin wrappers: the logic lives in hack/ and the Maven build.
MVN ?= mvn -B -ntp
CRD := gridsearches.gridsearch.dev-v1.yml

.PHONY: build crd fmt test test-faults unit run bench controlplane up down install-cli krew-archive

build:
	$(MVN) -DskipTests package

## crd: regenerate the CRD from the Java model and refresh its committed copies
crd:
	$(MVN) -q -pl operator process-classes
	for d in crd helm/gridsearch-operator/crds deploy; do cp operator/target/classes/META-INF/fabric8/$(CRD) $$d/$(CRD); done

## fmt: format the Java code (google-java-format through spotless; the build checks it)
fmt:
	$(MVN) spotless:apply -Pbench

## test: the unit, control-plane and real-node tiers (the README's test command; CI runs it)
test:
	hack/test.sh

## test-faults: the long fault scenarios (overload: about 15 minutes), not part of make test
test-faults:
	hack/controlplane.sh build
	$(MVN) verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='*FaultIT'

## unit: the unit tier only (no cluster)
unit:
	$(MVN) test

## run: the operator and an example: real scikit-learn trials on a real node where one can run, else the kwok quickstart
run:
	hack/run.sh

controlplane:
	hack/controlplane.sh build

up:
	hack/controlplane.sh up

## down: stop the local control plane and its real node (what make run and make up leave running)
down:
	hack/controlplane.sh down

## bench: the operator against a bare Fabric8 client on the local control plane (bench/run.sh; BENCH_QUICK=1: small)
bench:
	bench/run.sh

## install-cli: kubectl gridsearch into $(PREFIX)/bin (default ~/.local/bin): the launcher, the jar and its lib/
install-cli:
	$(MVN) -q -pl cli -am -DskipTests package
	hack/install-cli.sh

## krew-archive: cli/target/kubectl-gridsearch.tar.gz and its krew manifest (cli/krew/gridsearch.yaml, sha256 filled)
krew-archive:
	$(MVN) -q -pl cli -am -DskipTests package
	hack/krew-archive.sh
