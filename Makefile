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
	JUPYTERLAB_SETTINGS_DIR=$(COURSE_SETTINGS) $(BIN)/jupyter lab --notebook-dir=notebooks --allow-root --NotebookNotary.db_file=:memory:

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
	DDIM_PREPARE=0 $(BIN)/python -m pytest tests --ignore=tests/e2e $(if $(NOTEBOOKS),--nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS))

unit: $(STAMP)  # the fast tests: no notebooks, no benchmark or notebook run in a subprocess (marker "slow")
	$(BIN)/python -m pytest tests --ignore=tests/e2e -m "not slow"

# the browser tests: Debian's chromium (apt-get install -y chromium) driven by Playwright on the Voila page
# and on JupyterLab itself (lecture 04, its widgets, RISE slides, save and reopen); screenshots in test-results/
e2e: $(STAMP) lab-settings site
	$(BIN)/python -m pytest tests/e2e -v

# the sampler lab as a standalone page
app: $(STAMP)
	$(BIN)/voila app/$(EDITION)/ddim_app.ipynb --port=8866 --Voila.ip=127.0.0.1

# build both editions (notebooks/ko, notebooks/en, app/ko, app/en) from notebooks/src and execute them,
# keeping their outputs (each widget keeps a PNG of its picture; run before committing); `make notebooks ONLY=04` for one lecture
notebooks: $(STAMP)
	$(BIN)/python tools/notebooks.py build $(if $(STUDENT),--student --no-execute) $(ONLY)

# the student edition (notebooks/student/ko, /en): every solution left out, stubs and checks kept, outputs
# cleared as nbgrader releases them; solutions are marked in notebooks/src with ### BEGIN/END SOLUTION
student: $(STAMP)
	$(BIN)/python tools/notebooks.py build --student --no-execute $(ONLY)

# npm packages the site and the hub need: MathJax 3 (the site typesets offline) and the hub's proxy
NODE := build/node
$(NODE)/.installed:
	@mkdir -p $(NODE)
	npm install --silent --no-audit --no-fund --prefix $(NODE) mathjax@3.2.2 configurable-http-proxy@5.3.0
	@touch $@

$(VENV)/.site-installed: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[lab,test,mnist,site]'
	@touch $@

# the course website from the built notebooks: build/site/ko (the default) and build/site/en, offline
site: $(VENV)/.site-installed $(NODE)/.installed
	$(BIN)/python tools/website.py build

# one A4 PDF per lecture and edition (build/handouts/<lang>/), printed by chromium from the site, then checked:
# A4, fonts embedded, page 1 of each rendered to PNG (build/handouts/png/)
handouts: site
	$(BIN)/python tools/website.py handouts
	$(BIN)/python tools/website.py check-handouts

$(VENV)/.hub-installed: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[lab,test,mnist,hub]'
	@touch $@

# the class server on this machine (deploy/README.md): JupyterHub on http://127.0.0.1:8000, student edition
hub: $(VENV)/.hub-installed $(NODE)/.installed lab-settings student
	deploy/start_hub.sh

# N simulated students against a running hub started with DDIM_HUB_TOKEN set (deploy/loadtest.py)
loadtest: $(VENV)/.hub-installed
	$(BIN)/python deploy/loadtest.py -n $(or $(N),1 5 10 20)

nbval: $(STAMP)
	DDIM_PREPARE=0 $(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# mutation testing of the maths core with mutmut (settings in pyproject.toml, [tool.mutmut]): core/step.py,
# core/timesteps.py, core/schedule.py, the ODE step rules of samplers/ode.py and experiments/gaussian_law.py,
# against the fast tests named there; one child process. The last result is in benchmarks/RESULTS.md (mutation).
MUTANTS := 'ddim_teach.core.step.*' 'ddim_teach.core.timesteps.*' 'ddim_teach.core.schedule.*' \
	'ddim_teach.experiments.gaussian_law.*' 'ddim_teach.samplers.ode.x__euler_update*' \
	'ddim_teach.samplers.ode.x__heun_update*' 'ddim_teach.samplers.ode.x__dpmpp_2m_update*'
.PHONY: mutation
mutation: $(STAMP)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	nice -n 15 $(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

clean:
	rm -rf $(VENV) *.egg-info
