# FastFaktura — the two commands: `make dev` (set up + start the local stack) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 3000
PDF_FONTS := layers/core/fastfaktura/pdf/fonts
DEJAVU := /usr/share/fonts/truetype/dejavu
export AWS_DEFAULT_REGION ?= eu-west-1
export SAM_CLI_TELEMETRY := 0

.PHONY: install browser dev test lint template-check openapi bench fuzz audit clean

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
	python3 -m venv $(VENV)
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

template-check: install
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/sam validate --lint

openapi: install
	$(VENV)/bin/fastfaktura openapi -o layers/core/fastfaktura/http/openapi.json

test: install browser lint template-check audit
	$(PY) -m pytest -n 2 --dist loadfile

# Known vulnerabilities in the pinned dependencies (pip-audit): fails on one, only warns when the
# vulnerability service cannot be reached (see .ci/audit.py).
audit: install
	$(PY) .ci/audit.py

# The contract fuzzer with many more examples per operation than `make test` runs (FUZZ_EXAMPLES=25).
fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} $(PY) -m pytest tests/hardening/test_contract_fuzz.py -p no:logging -q

bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules .aws-sam .fastfaktura
