# Both targets set everything up first (idempotent, ~1 s when already done).
.PHONY: setup render test bench bench-build

setup:
	@bash scripts/setup.sh

render: setup
	.venv/bin/python cli.py lecture

test: setup
	.venv/bin/python -m pytest -q -n auto --dist loadfile

bench: setup
	.venv/bin/python bench/bench_training.py

bench-build: setup
	.venv/bin/python bench/bench_build.py
