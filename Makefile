# The two commands of the README: `make demo` runs the whole flow on the bundled 2048 example
# against a local AWS emulator (render, lint, plan, deploy), `make test` runs the test suite.
# Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv bench bench-lint templates readme clean

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

bench: venv
	$(BIN)/python bench/render_bench.py

bench-lint: venv
	$(BIN)/python bench/lint_bench.py

templates: venv
	$(BIN)/python tools/regenerate_templates.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

readme: venv
	$(BIN)/python tools/readme.py
