# Everyday verbs over CMake. The build trees live in build/ (release with debug info) and
# build-sanitize/ (AddressSanitizer + UndefinedBehaviorSanitizer).
BUILD      ?= build
SANBUILD   ?= build-sanitize
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test sanitize tsan check large fuzz example quickstart bench format format-check install clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Tests run against throwaway PostgreSQL and MariaDB servers started (and stopped, whatever
# happens) by scripts/with-test-servers.sh; set RORM_TEST_PG_URL and RORM_TEST_MYSQL_URL to use
# your own servers instead.
WITH_SERVERS = bash scripts/with-test-servers.sh

test: build
	$(WITH_SERVERS) bash -c 'cd $(BUILD) && ctest --output-on-failure -j $(JOBS)'

sanitize: deps
	cmake -S . -B $(SANBUILD) -DCMAKE_BUILD_TYPE=Debug -DRORM_SANITIZE=address,undefined -DRORM_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	$(WITH_SERVERS) bash -c 'cd $(SANBUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)'

# The tests that share handles between threads, under ThreadSanitizer (the soak included:
# tests/faults/soak.c, 8 threads on one handle per database).
tsan: deps
	cmake -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=Debug -DRORM_SANITIZE=thread -DRORM_BUILD_BENCH=OFF $(CMAKE_ARGS)
	cmake --build $(BUILD)-tsan -j $(JOBS)
	$(WITH_SERVERS) bash -c "cd $(BUILD)-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j $(JOBS) -R 'threads|pool|soak'"

# The whole suite, as CI runs it: formatting, the tests, the tests under sanitizers, all against
# one pair of throwaway servers (started once, stopped at the end even when a step fails).
check:
	$(WITH_SERVERS) $(MAKE) format-check test sanitize tsan

# The large-data memory test (not part of check): 1,000,000 rows (LARGE_ROWS) on SQLite memory
# and file, PostgreSQL and MariaDB, read by a stream and by findMany from C and from JavaScript,
# each in its own process; a stream must peak under LARGE_LIMIT_MIB above the baseline, findMany
# over it. Prints the figures.
LARGE_ROWS      ?= 1000000
LARGE_LIMIT_MIB ?= 64
large: build
	cmake --build $(BUILD) -j $(JOBS) --target rorm_large_memory redi-orm
	$(WITH_SERVERS) bash -c 'RORM_LARGE_DIR=tests/large ./$(BUILD)/tests/large/rorm_large_memory --rows $(LARGE_ROWS) --limit-mib $(LARGE_LIMIT_MIB) --cli ./$(BUILD)/redi-orm sqlite://:memory: sqlite://$(CURDIR)/$(BUILD)/large.db "$$RORM_TEST_PG_URL" "$$RORM_TEST_MYSQL_URL"'

# The main job: the blog example, a Prisma schema and a JavaScript script, on SQLite
# (examples/blog/blog.db, from the schema's datasource url).
example: build
	./$(BUILD)/redi-orm run --schema examples/blog/schema.prisma examples/blog/script.js

# The C API example.
quickstart: build
	cd $(BUILD)/examples && rm -f quickstart.db quickstart.db-wal quickstart.db-shm && ./quickstart sqlite://./quickstart.db

bench: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DRORM_BUILD_TESTS=OFF $(CMAKE_ARGS)
	cmake --build $(BUILD)-bench -j $(JOBS) --target rorm_bench
	$(WITH_SERVERS) ./$(BUILD)-bench/rorm_bench --json bench/results.json

format: deps
	git ls-files '*.c' '*.h' | xargs clang-format -i

format-check: deps
	git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror

# The libFuzzer targets (fuzz/run.sh: prisma, query, uri), one after the other, each for
# FUZZ_SECONDS (default 600) from fuzz/corpus/<target>; FUZZ_TARGET="query" runs only that one.
FUZZ_SECONDS ?= 600
FUZZ_TARGET  ?=
fuzz:
	@bash scripts/install-deps.sh --with fuzz
	sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGET)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(SANBUILD) $(BUILD)-bench $(BUILD)-tsan
