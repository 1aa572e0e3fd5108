#!/bin/sh
# Build and run the Prisma schema fuzzer (libFuzzer + ASan + UBSan).
#   fuzz/run.sh [seconds]      default 600
# Needs clang with libFuzzer (Debian: clang, which ships the fuzzer runtime). The seed corpus in
# fuzz/corpus/prisma/ is kept in the repository; new inputs found during a run go to
# build-fuzz/corpus so the repository copy only changes on purpose.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-600}
out="$root/build-fuzz"
mkdir -p "$out/corpus"
CC=${CC:-clang}
srcs=$(ls "$root"/src/util/*.c "$root"/src/core/*.c "$root"/src/schema/*.c "$root"/src/prisma/*.c)
# shellcheck disable=SC2086
$CC -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DRORM_ARENA_PASSTHROUGH \
    -I"$root/include" -I"$root/src" \
    "$root/fuzz/prisma_fuzz.c" $srcs -o "$out/prisma_fuzz" -lpthread -lm
cd "$out"
exec ./prisma_fuzz -dict="$root/fuzz/prisma.dict" -max_total_time="$secs" -max_len=8192 -timeout=10 \
    -print_final_stats=1 corpus "$root/fuzz/corpus/prisma"
