#!/usr/bin/env bash
# Builds and runs fgf's libFuzzer targets, one per file reader (Docs/FUZZING.md has the table).
#
#   Tests/Fuzz/fuzz.sh build [TARGET...]          build the targets (default: all) into .build-fuzz/
#   Tests/Fuzz/fuzz.sh run TARGET [SECONDS] [ARG...]
#                                                 fuzz one target (default 600 s) from its committed
#                                                 corpus; extra libFuzzer arguments pass through
#   Tests/Fuzz/fuzz.sh smoke [SECONDS]            every target for SECONDS (default 30); fails on any finding
#   Tests/Fuzz/fuzz.sh regress                    every committed corpus and regression input, once
#   Tests/Fuzz/fuzz.sh minimize TARGET CRASH      minimise a crashing input (-minimize_crash=1)
#   Tests/Fuzz/fuzz.sh seeds                      rewrite Tests/Fuzz/Corpus/ with MakeSeeds.swift
#   Tests/Fuzz/fuzz.sh targets                    list the targets
#
# Every run uses -rss_limit_mb=512 -malloc_limit_mb=256 -timeout=10: a reader that allocates what
# a declared size asks for before checking the bytes present is a finding, as is a crash, a hang or
# a leak. Findings are written to .build-fuzz/findings/TARGET/. Exit status 3 means the toolchain
# has no libFuzzer (the smoke run then skips with a message).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FUZZ=Tests/Fuzz
OUT=${FGF_FUZZ_BUILD:-.build-fuzz}
LIMITS=(-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=10)
# Swift's own crash backtracer would race AddressSanitizer's report.
export SWIFT_BACKTRACE=enable=no

# Each target: the modules it links (each built once as an instrumented static library).
TARGETS=(nifti nifti-gzip safetensors model cohort-csv dicom rtstruct)
modules_of() {
  case "$1" in
    safetensors) echo "Common" ;;
    model) echo "Common Engine" ;;
    *) echo "Common Imaging" ;;
  esac
}

# Shared files a target compiles besides its entry file and Support/FuzzSupport.swift.
support_of() {
  case "$1" in
    nifti|nifti-gzip) echo "$FUZZ/Support/NIfTICheck.swift" ;;
  esac
}

SWIFTC=${SWIFTC:-swiftc}
FLAGS=(-O -parse-as-library -sanitize=fuzzer,address -swift-version 6 -package-name fgf -use-ld=lld)

say() { printf 'fuzz: %s\n' "$*" >&2; }

# The toolchain's libFuzzer: builds a one-line target; status 3 when it cannot.
check_toolchain() {
  mkdir -p "$OUT"
  if [[ -x $OUT/.probe && $OUT/.probe -nt $(command -v "$SWIFTC") ]]; then return 0; fi
  printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>?, _ n: Int) -> Int32 { 0 }\n' > "$OUT/probe.swift"
  if ! "$SWIFTC" "${FLAGS[@]}" "$OUT/probe.swift" -o "$OUT/.probe" >"$OUT/probe.log" 2>&1; then
    say "this toolchain cannot build libFuzzer targets (swiftc -sanitize=fuzzer failed; see $OUT/probe.log)"
    return 3
  fi
}

# Builds module $1 as an instrumented static library when any of its sources is newer.
build_module() {
  local name=$1 lib=$OUT/lib/lib$1.a
  local sources
  mapfile -t sources < <(find "Sources/$name" -name '*.swift' | sort)
  local extra=()
  [[ $name == Imaging ]] && extra=(-I Sources/CZlib)
  [[ $name == Common ]] || build_module Common
  if [[ -f $lib ]] && [[ -z $(find "Sources/$name" -name '*.swift' -newer "$lib" | head -1) ]] \
     && { [[ $name == Common ]] || [[ ! $OUT/lib/libCommon.a -nt $lib ]]; } \
     && [[ $(printf '%s\n' "${sources[@]}" | md5sum) == "$(cat "$lib.sources" 2>/dev/null)" ]]; then
    return 0
  fi
  say "building module $name (${#sources[@]} files)"
  mkdir -p "$OUT/lib"
  "$SWIFTC" "${FLAGS[@]}" -module-name "$name" -I "$OUT/lib" "${extra[@]}" \
    -emit-module -emit-module-path "$OUT/lib/$name.swiftmodule" \
    -emit-library -static -o "$lib" "${sources[@]}"
  printf '%s\n' "${sources[@]}" | md5sum > "$lib.sources"
}

# Builds target $1 (its entry file, the shared support, its modules' libraries).
build_target() {
  local target=$1 modules libs=() newest
  modules=$(modules_of "$target")
  for module in $modules; do
    build_module "$module"
    libs+=("$OUT/lib/lib$module.a")
  done
  local entry=$FUZZ/Targets/$target.swift binary=$OUT/bin/fuzz-$target support
  [[ -f $entry ]] || { say "no target $target"; exit 2; }
  read -r -a support <<< "$FUZZ/Support/FuzzSupport.swift $(support_of "$target")"
  newest=$(ls -t "$entry" "${support[@]}" "${libs[@]}" | head -1)
  if [[ -x $binary && $binary -nt $newest ]]; then return 0; fi
  say "building target $target"
  mkdir -p "$OUT/bin"
  "$SWIFTC" "${FLAGS[@]}" -module-name FuzzTarget -I "$OUT/lib" -I Sources/CZlib \
    "$entry" "${support[@]}" "${libs[@]}" -lz -o "$binary"
}

# The corpus directories of a target: a working copy (new inputs go there), then the committed
# seeds and regression inputs (read only).
corpus_dirs() {
  local target=$1 work=$OUT/corpus/$1
  mkdir -p "$work"
  echo "$work"
  [[ -d $FUZZ/Corpus/$target ]] && echo "$FUZZ/Corpus/$target"
  [[ -d $FUZZ/Regressions/$target ]] && echo "$FUZZ/Regressions/$target"
  return 0
}

# Removes the scratch directories (fgf-fuzz-PID, FuzzSupport.swift) of fuzzers that have exited;
# those of a fuzzer still running (another run of this script) are left alone.
clean_scratch() {
  local directory
  for directory in /dev/shm/fgf-fuzz-* /tmp/fgf-fuzz-*; do
    [[ -d $directory ]] || continue
    kill -0 "${directory##*-}" 2>/dev/null || rm -rf "$directory"
  done
}

# Fuzzes target $1 for $2 seconds; prints a summary line; status 1 on a finding.
run_target() {
  local target=$1 seconds=${2:-600}
  shift 2 || shift $#
  build_target "$target"
  local findings=$OUT/findings/$target log=$OUT/logs/$target.log
  mkdir -p "$findings" "$OUT/logs"
  local dirs
  mapfile -t dirs < <(corpus_dirs "$target")
  say "fuzzing $target for $seconds s (log: $log)"
  local status=0
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
    "$OUT/bin/fuzz-$target" "${LIMITS[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$findings/" "$@" "${dirs[@]}" >"$log" 2>&1 || status=$?
  clean_scratch
  local runs cov features
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  printf '%-12s %12s execs  cov %6s  ft %6s  %s\n' "$target" "$runs" "$cov" "$features" \
    "$([[ $status == 0 ]] && echo "no finding" || echo "FINDING (status $status): $(ls -t "$findings" | head -1)")"
  [[ $status == 0 ]]
}

case "${1:-help}" in
  targets)
    printf '%s\n' "${TARGETS[@]}" ;;
  build)
    shift
    check_toolchain
    for target in "${@:-${TARGETS[@]}}"; do build_target "$target"; done ;;
  run)
    [[ $# -ge 2 ]] || { say "usage: fuzz.sh run TARGET [SECONDS] [ARG...]"; exit 2; }
    check_toolchain
    target=$2 seconds=${3:-600}
    shift $(( $# >= 3 ? 3 : 2 ))
    run_target "$target" "$seconds" "$@" ;;
  smoke)
    seconds=${2:-30}
    status=0
    check_toolchain || { [[ $? == 3 ]] && { say "skipping the fuzz smoke run"; exit 0; }; exit 1; }
    for target in "${TARGETS[@]}"; do build_target "$target"; done
    for target in "${TARGETS[@]}"; do run_target "$target" "$seconds" || status=1; done
    exit $status ;;
  regress)
    check_toolchain
    status=0
    for target in "${TARGETS[@]}"; do
      build_target "$target"
      files=()
      for dir in "$FUZZ/Corpus/$target" "$FUZZ/Regressions/$target"; do
        [[ -d $dir ]] && while IFS= read -r f; do files+=("$f"); done < <(find "$dir" -type f | sort)
      done
      [[ ${#files[@]} -gt 0 ]] || continue
      if "$OUT/bin/fuzz-$target" "${LIMITS[@]}" "${files[@]}" >"$OUT/logs/$target.regress.log" 2>&1; then
        say "$target: ${#files[@]} inputs pass"
      else
        say "$target: FAILED (see $OUT/logs/$target.regress.log)"
        status=1
      fi
    done
    clean_scratch
    exit $status ;;
  minimize)
    [[ $# -eq 3 ]] || { say "usage: fuzz.sh minimize TARGET CRASH"; exit 2; }
    check_toolchain
    build_target "$2"
    "$OUT/bin/fuzz-$2" "${LIMITS[@]}" -minimize_crash=1 -max_total_time=120 \
      -exact_artifact_path="$3.min" "$3" || true
    say "minimised input: $3.min" ;;
  seeds)
    check_toolchain
    for module in Common Imaging Engine; do build_module "$module"; done
    mkdir -p "$OUT/bin"
    say "building the seed writer"
    "$SWIFTC" "${FLAGS[@]/-sanitize=fuzzer,address/-sanitize=address}" -module-name MakeSeeds -I "$OUT/lib" -I Sources/CZlib \
      "$FUZZ/Seeds/MakeSeeds.swift" "$OUT/lib/libCommon.a" "$OUT/lib/libImaging.a" "$OUT/lib/libEngine.a" \
      "$("$SWIFTC" -print-target-info | sed -n 's/.*"runtimeResourcePath": "\(.*\)".*/\1/p')/clang/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a" \
      -lz -lstdc++ -o "$OUT/bin/make-seeds"
    rm -rf "$FUZZ/Corpus"
    "$OUT/bin/make-seeds" "$FUZZ/Corpus"
    say "wrote $(find "$FUZZ/Corpus" -type f | wc -l) seed files" ;;
  *)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
