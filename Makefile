# FastFaktura — the two commands: `make dev` (set up + start the local stack) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
# The venv's interpreter: `.ci/python` picks 3.13 where the machine has one; `make install PYTHON=…` chooses.
PYTHON ?=
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 3000
PDF_FONTS := layers/core/fastfaktura/pdf/fonts
DEJAVU := /usr/share/fonts/truetype/dejavu
export AWS_DEFAULT_REGION ?= eu-west-1
export SAM_CLI_TELEMETRY := 0

.PHONY: install browser dev test unit integration e2e lint template-check checkov openapi openapi-lint client client-ts bench bench-peers bench-readme fuzz audit clean

install: $(VENV)/.installed node_modules/.installed $(PDF_FONTS)/.built

# The PDFs' fonts: DejaVu Sans from Debian's fonts-dejavu-core (installed here when missing, never
# downloaded at run time), reduced to the glyphs of the four locales into the package, which the
# CoreLayer build ships as is.
$(PDF_FONTS)/.built: $(VENV)/.installed layers/core/fastfaktura/pdf/fonts.py
	@test -f $(DEJAVU)/DejaVuSans.ttf -a -f $(DEJAVU)/DejaVuSans-Bold.ttf || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "The PDFs need DejaVu Sans. Debian/Ubuntu: apt-get install -y fonts-dejavu-core"; exit 1; fi; \
	  $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }; }
	$(PY) -m fastfaktura.pdf.fonts $(PDF_FONTS)
	touch $@

$(VENV)/.installed: pyproject.toml layers/deps/requirements.txt
	@command -v java >/dev/null || { echo "Java 17+ is needed for DynamoDB Local. Debian/Ubuntu: apt-get install -y default-jre-headless"; exit 1; }
	@python=$(or $(PYTHON),$$(.ci/python)) || exit 1; version=$$($$python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  echo "The venv runs Python $$version ($$python)$$( [ $$version = 3.13 ] || echo '; Lambda runs 3.13')"; \
	  if [ -x $(PY) ] && [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != $$version ]; then \
	    rm -rf $(VENV); fi; \
	  $$python -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the public page's browser test (Playwright drives it; never `playwright install`).
# On a developer's machine a failed install only warns (the test is then skipped); under CI=true it
# fails, and so does the test.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=false; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; } || \
	  if [ "$$CI" = true ]; then echo "chromium could not be installed: the browser test cannot run in CI"; exit 1; \
	  else echo "chromium could not be installed (apt-get needs root): the browser test will be skipped"; fi

dev: install
	$(VENV)/bin/fastfaktura dev --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

template-check: install
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/sam validate --lint

# checkov scans what SAM deploys (the template expanded in-process by tests/helpers/sam.py), skipping
# only the checks .checkov.yaml names, each with its reason. Its venv is its own (see pyproject's extra).
CHECKOV_VENV := $(VENV)/checkov
checkov: install $(CHECKOV_VENV)/.installed
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && $(PY) -m tests.helpers.sam "$$out/template.json" && \
	  $(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml --file "$$out/template.json"

$(CHECKOV_VENV)/.installed: pyproject.toml
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet "$$($(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["checkov"])')"
	touch $@

OPENAPI := layers/core/fastfaktura/http/openapi.json
openapi: install
	$(VENV)/bin/fastfaktura openapi -o $(OPENAPI)

# The committed document as two outside tools read it: Spectral's OpenAPI rules (.spectral.yaml) with
# no error and no warning, and openapi-spec-validator.
openapi-lint: install
	node_modules/.bin/spectral lint $(OPENAPI) --ruleset .spectral.yaml --fail-severity=warn
	$(VENV)/bin/openapi-spec-validator $(OPENAPI)

# The Python client generated from the document (gitignored; tests/e2e drive the API through it),
# type-checked with mypy. openapi-python-client-config.yaml holds the generator's settings.
CLIENT_DIR := build/python-client
client: install
	rm -rf $(CLIENT_DIR)
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/openapi-python-client generate --path $(OPENAPI) \
	  --config openapi-python-client-config.yaml --output-path $(CLIENT_DIR)/fastfaktura_client --meta none \
	  --fail-on-warning
	cd $(CLIENT_DIR) && $(CURDIR)/$(VENV)/bin/mypy --strict --config-file /dev/null fastfaktura_client
	$(MAKE) client-ts

# The TypeScript client's types (openapi-typescript; a field with a default stays optional in a body), and
# tests/typescript/flow.ts, a flow through openapi-fetch, type-checked by tsc against them.
client-ts: install
	node_modules/.bin/openapi-typescript $(OPENAPI) --default-non-nullable false -o build/typescript-client/fastfaktura.d.ts
	node_modules/.bin/tsc -p tests/typescript/tsconfig.json

# Everything, as CI runs it. The three parts one by one: `make unit` (pure code: no Java, no browser,
# no dev stack), `make integration` (DynamoDB Local, moto's server, the template, the browser test),
# `make e2e` (HTTP against a `fastfaktura dev` started for the run).
test: install browser lint template-check checkov openapi-lint client audit
	$(PY) -m pytest -n 2 --dist loadfile

unit: install
	$(PY) -m pytest tests/unit -q

integration: install browser
	$(PY) -m pytest tests/integration tests/hardening tests/template -n 2 --dist loadfile -q

e2e: install
	$(PY) -m pytest tests/e2e -q

# Known vulnerabilities in the pinned dependencies (pip-audit): fails on one, only warns when the
# vulnerability service cannot be reached (see .ci/audit.py).
audit: install
	$(PY) .ci/audit.py

# The contract fuzzer with many more examples per operation than `make test` runs (FUZZ_EXAMPLES=25).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(PY) -m pytest tests/hardening/test_contract_fuzz.py -p no:logging -q

# The PDF peers bench/pdf.py times beside ours, from Debian (Chromium, wkhtmltopdf, WeasyPrint's Pango)
# and PyPI (the `bench` extra: WeasyPrint). A peer that cannot be installed is reported as such.
BENCH_APT := chromium wkhtmltopdf libpango-1.0-0 libpangoft2-1.0-0
bench-peers: $(VENV)/.bench-installed

$(VENV)/.bench-installed: $(VENV)/.installed
	@missing=$$(for p in $(BENCH_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else SUDO=false; fi; \
	  for p in $$missing; do \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$p >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$p >/dev/null 2>&1; } || \
	    echo "bench: $$p could not be installed: its peer is reported as not installed"; \
	  done; \
	fi
	$(PIP) install --quiet -e '.[dev,bench]'
	touch $@

bench: install bench-peers
	$(PY) -m bench.run

# README's benchmark summary, written from bench/results.json between its markers.
bench-readme: install
	$(PY) -m bench.readme

clean:
	rm -rf $(VENV) node_modules .aws-sam .fastfaktura
