"""lt_pycheck.py — what lantian's Python tests share: named checks counted and
printed the way tests/run_tests.sh reads cmocka's output ("[       OK ] name",
"[  FAILED  ] name: why", then "[  PASSED  ] N test(s)." and "[  FAILED  ] M
test(s).")."""
import shutil
import tempfile

passed = failed = 0


def check(name, fn, *args):
    """Runs fn(*args); an AssertionError is a failed check with its message."""
    global passed, failed
    try:
        fn(*args)
    except AssertionError as e:
        failed += 1
        print(f"[  FAILED  ] {name}: {e}")
        return
    passed += 1
    print(f"[       OK ] {name}")


def run_suite(prefix, body):
    """body(tmp) in a fresh temporary folder (removed after); a failed
    assertion outside a check is one failed check; returns the exit code."""
    global failed
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        body(tmp)
    except AssertionError as e:
        failed += 1
        print(f"[  FAILED  ] {prefix.strip('-')}setup: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if passed:
        print(f"[  PASSED  ] {passed} test(s).")
    if failed:
        print(f"[  FAILED  ] {failed} test(s).")
    return 1 if failed else 0
