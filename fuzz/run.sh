#!/bin/sh
# Build and run the libFuzzer targets (libFuzzer + ASan + UBSan), one after the other.
#   fuzz/run.sh [seconds] [target...]     default 600 seconds per target, every target
# Targets:
#   prisma  the Prisma schema front end (lexer, parser, validation, mapping, diagnostics)
#   query   Prisma Client arguments (JSON) through validation and SQL compilation, no database
#   uri     the database URI parser and password masking
# FUZZ_TARGETS="query uri" selects targets too (the Makefile passes FUZZ_TARGET=...), and
# FUZZ_JOBS (default 1) sets libFuzzer's -jobs.
# Needs clang with libFuzzer (Debian: clang, which ships the fuzzer runtime). The seed corpora in
# fuzz/corpus/<target>/ are kept in the repository; new inputs found during a run go to
# build-fuzz/corpus-<target> so the repository copy only changes on purpose.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-${FUZZ_TARGETS:-prisma query uri}}
jobs=${FUZZ_JOBS:-1}
out="$root/build-fuzz"
mkdir -p "$out"
CC=${CC:-clang}

sources() {
    for dir in "$@"; do
        ls "$root"/src/"$dir"/*.c
    done
}

build() {
    name=$1
    shift
    # shellcheck disable=SC2046
    $CC -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DRORM_ARENA_PASSTHROUGH \
        -I"$root/include" -I"$root/src" -I"$root/tests" \
        "$root/fuzz/${name}_fuzz.c" $(sources "$@") -o "$out/${name}_fuzz" \
        $(pkg-config --libs sqlite3) -lpthread -lm
}

for target in $targets; do
    case $target in
    prisma)
        build prisma util core schema prisma
        set -- -dict="$root/fuzz/prisma.dict" -max_len=8192
        ;;
    query)
        # The whole core with the SQLite driver only: nothing is opened, the handles are offline.
        build query util core schema prisma dialect driver driver/sqlite pool query query/prisma \
            client migrate
        set -- -dict="$root/fuzz/query.dict" -max_len=4096
        ;;
    uri)
        build uri util core
        set -- -dict="$root/fuzz/uri.dict" -max_len=1024
        ;;
    *)
        echo "fuzz/run.sh: unknown target '$target' (prisma, query, uri)" >&2
        exit 2
        ;;
    esac
    mkdir -p "$out/corpus-$target"
    echo "== $target: $secs s" >&2
    if [ "$jobs" -gt 1 ]; then
        set -- "$@" -jobs="$jobs" -workers="$jobs"
    fi
    (cd "$out" && "./${target}_fuzz" "$@" -max_total_time="$secs" -timeout=10 \
        -print_final_stats=1 "corpus-$target" "$root/fuzz/corpus/$target")
done
