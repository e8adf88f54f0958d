# Every target bootstraps what it needs: a fresh machine needs nothing but python3 and make.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
# The test extras (pytest, playwright, ruff, checkers) come on top, for `make test` and `make bench` only:
# `make run` installs what the app needs and no more.
TESTSTAMP := $(VENV)/.test-stamp
PORT    ?= 8501
# 127.0.0.1: only this machine. ADDRESS=0.0.0.0 serves every network interface (README "Running it").
ADDRESS ?= 127.0.0.1

.PHONY: run test check bench system-deps test-deps check-data data-package lint

run: $(STAMP) system-deps
	$(BIN)/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT)

test: $(TESTSTAMP) test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/force-posture check data/
	$(BIN)/pytest -n 2 --dist loadgroup

# The inner loop: every check and every test that needs neither Chromium nor the team's set-up (unit
# tests, pages through AppTest, the served app over HTTP: about two minutes). `make test` is the whole suite.
check: $(TESTSTAMP) test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/force-posture check data/
	$(BIN)/pytest -n 2 --dist loadgroup -m "not browser and not team"

bench: $(TESTSTAMP) test-deps
	$(BIN)/python bench/cold_start.py
	$(BIN)/python bench/new_tab.py
	$(BIN)/python bench/idle_tabs.py
	$(BIN)/python bench/tabs.py
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/load.py --team
	$(BIN)/python bench/record.py
	$(BIN)/python bench/embed.py

check-data: $(STAMP)
	$(BIN)/force-posture check data/

# data/datapackage.json describes the shipped files and names their record version: written again after
# any change to data/ (tests/test_package.py says so when it is out of date).
data-package: $(STAMP)
	$(BIN)/python -c "from force_posture.publish import package; print(package.write_shipped())"

system-deps:
	@scripts/ensure-system-deps

test-deps:
	@scripts/ensure-system-deps --test

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TESTSTAMP)
