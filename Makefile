# Two commands do everything on a fresh machine:
#   make serve   build and serve the site at http://127.0.0.1:8000 (installs what it needs)
#   make test    run the whole test suite (installs what it needs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_STAMP := $(VENV)/.site-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check fix new bench bench-bad-input lighthouse zensical clean

$(SITE_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.site-* && touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.dev-* && touch $@

# The pipeline (pipeline/__init__.py): check, generate build/, render with MkDocs, post-process site/.
serve: $(SITE_STAMP)
	$(BIN)/python -m pipeline serve -a 127.0.0.1:8000

build: $(SITE_STAMP)
	$(BIN)/python -m pipeline build

# The reader-safety check of a built folder on its own (the build runs it too, as its last step).
.PHONY: verify
verify: build
	$(BIN)/python -m safety verify site --site-url "$${SITE_URL:-http://127.0.0.1:8000/}"

test: $(DEV_STAMP)
	./scripts/system-deps.sh
	$(BIN)/python -P -m pytest

# Lint only the pages git reports as changed: what a contributor runs before a pull request.
check: $(SITE_STAMP)
	$(BIN)/python -m checks --changed $(if $(BASE),--base $(BASE))

# Fix what can be fixed mechanically (punctuation width, stray spaces), then check.
fix: $(SITE_STAMP)
	$(BIN)/python -m checks --fix $(FILES)

# New exemplar skeleton: make new LEVEL=county DOCTYPE=annual-summary THEMES=rights,finance TITLE=…
new: $(SITE_STAMP)
	$(BIN)/python -m scaffold --level "$(LEVEL)" --doctype "$(DOCTYPE)" --themes "$(THEMES)" --title "$(TITLE)" $(if $(SLUG),--slug "$(SLUG)")

# Non-blocking: render the generated tree with Zensical too (its own virtualenv) and compare it
# with the MkDocs build; writes bench/zensical.md and always exits 0.
zensical: $(SITE_STAMP)
	$(BIN)/python scripts/zensical_check.py

bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

# Time the checker's refusal of every kind of bad input (writes bench/bad-input.md).
bench-bad-input: $(DEV_STAMP)
	$(BIN)/python bench/bad_input.py

# Lighthouse (mobile) scores of a few pages, written to bench/lighthouse.md.
lighthouse: $(DEV_STAMP)
	./scripts/system-deps.sh
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf site .cache .pytest_cache
