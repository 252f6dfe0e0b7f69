# The targets a person types. Everything installs what it needs first (scripts/setup.sh).
BUILD_DIR ?= build
JOBS ?= 2
CONFIG ?= examples/hastecrm/hastewatch.yml
ARGS ?=
# ccache keys on paths relative to the checkout, so fresh clones (CI) reuse the cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: all setup build ui run test unit e2e conformance bench format lint clean

all: build

setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: setup $(BUILD_DIR)/build.ninja ui
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web UI (TypeScript, Vite, uPlot) into ui/dist, which the server serves at /ui/.
ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
ui: setup ui/node_modules/.package-lock.json
	cd ui && npm run build

# Builds Release and serves the example config on http://127.0.0.1:9190 (Ctrl-C stops).
run: build
	./$(BUILD_DIR)/hastewatch serve --config $(CONFIG) $(ARGS)

# Everything CI runs: unit tests, end-to-end tests, conformance.
test: build
	@bash scripts/setup.sh --test
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

e2e: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L e2e

# PromQL conformance: the 3.x set must pass (it is part of `make test`); the 2.42 set
# is a report of how Prometheus 2.x semantics differ (with --v2, and as 3.x would).
PROMQL_TESTS ?= ../shared/promql-tests
conformance: build
	./$(BUILD_DIR)/hastewatch promql-test $(PROMQL_TESTS)/*.test
	-./$(BUILD_DIR)/hastewatch promql-test --v2 $(PROMQL_TESTS)/v2.42.0/*.test | tail -n 1
	-./$(BUILD_DIR)/hastewatch promql-test $(PROMQL_TESTS)/v2.42.0/*.test | tail -n 1

bench: build
	@bash bench/run.sh

format:
	git ls-files 'src/*.cc' 'src/*.h' | xargs clang-format -i

lint: $(BUILD_DIR)/build.ninja
	git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf $(BUILD_DIR)
