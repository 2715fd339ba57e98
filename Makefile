# FastFaktura — the two commands: `make dev` (set up + start the local stack) and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 3000
export AWS_DEFAULT_REGION ?= eu-west-1
export SAM_CLI_TELEMETRY := 0

.PHONY: install dev test lint template-check openapi bench fuzz clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml layers/deps/requirements.txt
	@command -v java >/dev/null || { echo "Java 17+ is needed for DynamoDB Local. Debian/Ubuntu: apt-get install -y default-jre-headless"; exit 1; }
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

dev: install
	$(VENV)/bin/fastfaktura dev --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .

template-check: install
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/sam validate --lint

openapi: install
	$(VENV)/bin/fastfaktura openapi -o layers/core/fastfaktura/http/openapi.json

test: install lint template-check
	$(PY) -m pytest -n 2 --dist loadfile

bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules .aws-sam .fastfaktura
