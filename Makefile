.PHONY: run test lint bench

# Set up and start the demo on http://127.0.0.1:8000/ (SQLite, tasks in-process).
run:
	scripts/run.sh

# Set up and run every check and the whole test suite against PostgreSQL.
test:
	scripts/test.sh

# Generate and import SCALE (small, city, city5y) data, serve it with gunicorn on
# loopback and print one JSON report of QUALITY §1's figures.
bench:
	SCALE=$(SCALE) scripts/bench.sh

lint:
	.venv/bin/python -m ruff check . && .venv/bin/python -m ruff format --check . && DEBUG=1 .venv/bin/python -m mypy . && .venv/bin/lint-imports --no-cache
