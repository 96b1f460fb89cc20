# Two commands do all the setup on a fresh machine with Python 3.11:
#   make lab    create .venv/ if missing, install, start JupyterLab on notebooks/ (ko/ and en/ inside)
#   make test   create .venv/ if missing, install, run unit tests and nbval on every notebook
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EDITION ?= ko
NOTEBOOKS := $(sort $(wildcard notebooks/ko/*.ipynb notebooks/en/*.ipynb app/ko/*.ipynb app/en/*.ipynb))

.PHONY: lab present lab-settings test unit nbval e2e app bench notebooks clean
.DEFAULT_GOAL := test

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[lab,test,mnist]'
	@touch $@

# JUPYTERLAB_SETTINGS_DIR: the course's own user settings (lab/user-settings: ← and → left to the slideshow),
# seeded once into .venv so that a lecturer's changes there persist and their home folder is not touched
COURSE_SETTINGS := $(VENV)/share/jupyter/lab/course-user-settings
lab: $(STAMP) lab-settings
	JUPYTERLAB_SETTINGS_DIR=$(COURSE_SETTINGS) $(BIN)/jupyter lab --notebook-dir=notebooks --allow-root

# present one lecture from a scratch copy (tools/present.py): `make present LECTURE=04 EDITION=ko`
# starts the lab with the course's settings, runs all cells, opens the slideshow in a new tab
present: $(STAMP) lab-settings
	$(BIN)/python tools/present.py "$(LECTURE)" --edition $(EDITION)

# the course's JupyterLab defaults (lab/README.md): widget state saved with the notebook, no news pop-up,
# and the JupyterLab 3 MathJax extension that jupyterlab-rise pulls in switched off
lab-settings: $(STAMP)
	@mkdir -p $(VENV)/share/jupyter/lab/settings/overrides.d
	cp lab/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.d/ddim-teach.json
	@mkdir -p $(COURSE_SETTINGS) && cp -rn lab/user-settings/. $(COURSE_SETTINGS)/
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyterlab/mathjax3-extension >/dev/null 2>&1

test: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/e2e $(if $(NOTEBOOKS),--nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS))

unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/e2e

# the browser tests: Debian's chromium (apt-get install -y chromium) driven by Playwright on the Voila page
# and on JupyterLab itself (lecture 04, its widgets, RISE slides, save and reopen); screenshots in test-results/
e2e: $(STAMP) lab-settings
	$(BIN)/python -m pytest tests/e2e -v

# the sampler lab as a standalone page
app: $(STAMP)
	$(BIN)/voila app/$(EDITION)/ddim_app.ipynb --port=8866 --Voila.ip=127.0.0.1

# build both editions (notebooks/ko, notebooks/en, app/ko, app/en) from notebooks/src and execute them,
# keeping their outputs (each widget keeps a PNG of its picture; run before committing); `make notebooks ONLY=04` for one lecture
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py build $(ONLY)

nbval: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) *.egg-info
