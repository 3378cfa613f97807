# salesdw — the two commands a new user needs are `make demo` and `make test`.
# Both create the virtual environment and install the locked dependencies on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOME_DIR ?= $(CURDIR)/.salesdw
SCALE  ?= 1
PYTEST_ARGS ?=

.PHONY: install demo test lint format ui docs bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--constraint constraints.txt --editable '.[dev]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install the locked dependencies

demo: $(STAMP)  ## generate a sandbox company, serve it, run the whole pipeline, print a summary
	$(BIN)/salesdw demo --home $(HOME_DIR)

test: $(STAMP)  ## the whole test suite, end-to-end test included (pytest's "no tests" is not a pass)
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$rc

lint: $(STAMP)  ## ruff (check + format) and sqlfluff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SALESDW_HOME=$$(mktemp -d) $(BIN)/sqlfluff lint dbt_project

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ui: $(STAMP)  ## the Dagster UI on http://127.0.0.1:3000
	@mkdir -p $(HOME_DIR)/dagster
	@test -f $(HOME_DIR)/dagster/dagster.yaml || cp orchestration/dagster.yaml $(HOME_DIR)/dagster/
	SALESDW_HOME=$(HOME_DIR) DAGSTER_HOME=$(HOME_DIR)/dagster \
		$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

docs: $(STAMP)  ## the dbt docs site (every model, column, test and the lineage) of the demo warehouse
	@test -f $(HOME_DIR)/warehouse.duckdb || { echo "no warehouse in $(HOME_DIR): run make demo first"; exit 1; }
	SALESDW_HOME=$(HOME_DIR) $(BIN)/dbt docs generate --quiet --project-dir dbt_project \
		--profiles-dir dbt_project --target-path $(HOME_DIR)/dbt-docs
	@echo "dbt docs: $(HOME_DIR)/dbt-docs/index.html; serve it with"
	@echo "  $(BIN)/dbt docs serve --project-dir dbt_project --profiles-dir dbt_project --target-path $(HOME_DIR)/dbt-docs"

bench: $(STAMP)  ## benchmark figures at scale 1 (and SCALE=20 make bench for more)
	$(BIN)/salesdw bench --scale 1 $(if $(filter-out 1,$(SCALE)),--scale $(SCALE))

clean:
	rm -rf $(HOME_DIR) .pytest_cache .ruff_cache
