# A thin wrapper over CMake, so that two commands set everything up:
#   make demo   installs what is missing, builds, opens the dashboard on the built-in sandbox
#   make test   installs what is missing, builds, runs the whole test suite through ctest
BUILD     ?= build
ASAN_BUILD ?= build-asan
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
# make install: where to (PREFIX), and a staging root (DESTDIR) as packagers use.
PREFIX    ?= /usr/local
DESTDIR   ?=

.PHONY: all deps build demo test test-asan test-tsan install uninstall package clean

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	MPSDASH_THEMES_DIR=$(CURDIR)/themes ./$(BUILD)/mpsdash --demo

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMPSDASH_SANITIZE=ON $(CMAKE_ARGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)

# ThreadSanitizer over what crosses threads: the worker/UI hand-off, the graph engine, the
# sandbox's server threads, two dashboard flows end to end, and the events feed handed to a
# worker task's thread and back (test_feed_backlog). (The latency-driven tmux tests
# are left out: their deadlines are not meant for a 10x slower build.)
TSAN_BUILD ?= build-tsan
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMPSDASH_TSAN=ON $(CMAKE_ARGS)
	cmake --build $(TSAN_BUILD) -j$(JOBS)
	TSAN_OPTIONS=halt_on_error=1 ctest --test-dir $(TSAN_BUILD) --output-on-failure -j$(JOBS) \
		-R 'unit/test_(worker|graph_ops|sandbox)|tui/test_(accept|changed|feed_backlog)'

# Installing installs nothing else: no apt here (run 'make deps' for the build dependencies).
install:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD)

uninstall:
	DESTDIR="$(DESTDIR)" cmake --build $(BUILD) --target uninstall

# A .deb in $(BUILD): installs under /usr, its Depends taken from the libraries it links.
package:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=/usr $(CMAKE_ARGS)
	cmake --build $(BUILD) -j$(JOBS)
	cmake --build $(BUILD) --target package

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
