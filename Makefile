# The two commands of the README: `make demo` runs the whole flow on the bundled 2048 example
# against a local AWS emulator (render, lint, plan, deploy, sync, status), `make test` runs the test suite.
# Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv bench bench-render bench-lint bench-sync bench-deploy templates readme clean

$(BIN)/ingress2cfn: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,local]'
	touch $@

venv: $(BIN)/ingress2cfn

demo: venv
	$(BIN)/ingress2cfn demo

test: venv
	$(BIN)/python -m pytest

# make bench BENCH_ARGS='--rounds 5 --cdk /path/with/node_modules'
bench: venv
	$(BIN)/python bench/table.py $(BENCH_ARGS)

bench-render: venv
	$(BIN)/python bench/render_bench.py

bench-lint: venv
	$(BIN)/python bench/lint_bench.py

bench-sync: venv
	$(BIN)/python bench/sync_bench.py

# AWS API calls of `plan` against `aws cloudformation deploy --no-execute-changeset` (awscli in its
# own venv: it pins botocore)
bench-deploy: venv
	test -x .venv-awscli/bin/aws || ($(PYTHON) -m venv .venv-awscli && .venv-awscli/bin/pip install --quiet awscli)
	$(BIN)/python bench/deploy_bench.py --aws .venv-awscli/bin/aws

templates: venv
	$(BIN)/python tools/regenerate_templates.py

clean:
	rm -rf $(VENV) .venv-awscli .pytest_cache build *.egg-info

readme: venv
	$(BIN)/python tools/readme.py
