#!/bin/sh
# Runs every test program in BUILD/tests and prints one closing line:
# "tests: N passed, M failed". Exit status is non-zero when any failed.
build=${1:-build}
export LT_BUILD="$build"
passed=0
failed=0
for t in "$build"/tests/test_* tests/test_*.sh tests/test_*.py; do
    [ -f "$t" ] || continue
    case "$t" in
    *.sh) out=$(sh "$t" 2>&1) ;;
    *.py) out=$(/usr/bin/python3 "$t" 2>&1) ;;
    *) out=$("$t" 2>&1) ;;
    esac
    status=$?
    echo "$out"
    p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed before cmocka could count
        echo "$t: exited with status $status"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
