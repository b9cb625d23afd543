# The two commands of the README: `make demo` renders the bundled 2048 example,
# `make test` runs the test suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv bench bench-render bench-lint templates readme clean

$(BIN)/ingress2cfn: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/ingress2cfn

demo: venv
	$(BIN)/ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster

test: venv
	$(BIN)/python -m pytest

# make bench BENCH_ARGS='--rounds 5 --cdk /path/with/node_modules'
bench: venv
	$(BIN)/python bench/table.py $(BENCH_ARGS)

bench-render: venv
	$(BIN)/python bench/render_bench.py

bench-lint: venv
	$(BIN)/python bench/lint_bench.py

templates: venv
	$(BIN)/python tools/regenerate_templates.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

readme: venv
	$(BIN)/python tools/readme.py
