# aem-pulumi: every set-up step lives here, so a fresh machine needs only Python 3.11+, Go,
# Node.js 18+ (with npm) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Adobe's Cloud Manager JS SDK, pinned by tests/sdk/package-lock.json, for the tests in tests/sdk.
SDK := tests/sdk
SDK_STAMP := $(SDK)/node_modules/.installed-stamp

.PHONY: install pulumi lint test e2e demo demo-stop emulator bench clean clean-tools docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# npm ci installs exactly the lock file; --prefer-offline reuses npm's cache when it can.
$(SDK_STAMP): $(SDK)/package.json $(SDK)/package-lock.json
	cd $(SDK) && npm ci --prefer-offline --no-audit --no-fund
	touch $(SDK_STAMP)

## install: the virtualenv with the package, the emulator and the dev tools; Adobe's JS SDK
install: $(STAMP) $(SDK_STAMP)

## pulumi: a Pulumi CLI with its Python plugins: an installed v3.272+ one, else built from Go modules once (.tools/)
pulumi:
	@bash scripts/get-pulumi.sh >/dev/null

# actionlint, built from Go modules once; it runs shellcheck on `run:` steps when shellcheck is on PATH.
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := .tools/actionlint/$(ACTIONLINT_VERSION)/actionlint

$(ACTIONLINT):
	GOBIN=$(CURDIR)/$(@D) CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
		github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

## lint: ruff (lint + format), mypy --strict, gofmt + go vet of our language host, actionlint of examples/ci
lint: install $(ACTIONLINT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy aem_pulumi tests/e2e/harness.py benchmarks
	cd tools/pulumi-language-python && test -z "$$(gofmt -l .)" && go vet ./...
	$(ACTIONLINT) examples/ci/*.yml

## test: every test (lint, client, emulator, providers, components, Adobe's SDK, real-CLI end to end)
test: install pulumi lint
	$(BIN)/pytest -q

## e2e: only the tests that drive the real Pulumi CLI
e2e: install pulumi
	$(BIN)/pytest -q -m e2e tests/e2e

## demo: the main job: emulator + `pulumi up` of the example dev stack, prints the OSGi JSON
demo: install pulumi
	bash scripts/demo.sh up

## demo-stop: stop the demo's emulator
demo-stop:
	bash scripts/demo.sh stop

## emulator: run the Cloud Manager emulator in the foreground (http://127.0.0.1:8765)
emulator: install
	$(BIN)/aem-cloudmanager-emulator

## docs: regenerate the README's input reference from the input models
docs: install
	$(BIN)/python scripts/reference.py --write

clean:
	rm -rf $(VENV) .state .mypy_cache .ruff_cache .pytest_cache $(SDK)/node_modules

## bench: API writes, environment updates and wall time of real `pulumi` runs (~20 min); rewrites BENCHMARKS.md
bench: install pulumi
	$(BIN)/python -m benchmarks.bench

## clean-tools: drop the built Pulumi CLI (rebuilding takes a few minutes)
clean-tools:
	rm -rf .tools
