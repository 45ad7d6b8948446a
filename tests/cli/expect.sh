#!/usr/bin/env bash
# expect.sh STATUS REGEX [--absent PATH]... -- COMMAND...
#   Runs COMMAND and checks how it ended, as a user would see it.
#   STATUS 0:     it must exit 0 and some output line must match REGEX (grep -E).
#   STATUS error: it must exit non-zero (not by a signal) and print exactly one line on stderr,
#                 matching REGEX.
#   STATUS N (1-125): it must exit N and some output line must match REGEX (a report that ends in a verdict).
#   --absent PATH: afterwards PATH must not exist, nor any half-written ".NAME.partial-*" beside it.
set -u
status=$1 regex=$2
shift 2
absent=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    --absent) absent+=("$2"); shift 2 ;;
    *) echo "expect.sh: unknown option $1"; exit 2 ;;
  esac
done
[ "${1:-}" = "--" ] && shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
for p in "${absent[@]}"; do rm -f "$p"; done
"$@" >"$out" 2>"$err"
rc=$?
show() { echo "--- exit $rc; stdout:"; cat "$out"; echo "--- stderr:"; cat "$err"; }
if [ "$status" != error ]; then
  if [ $rc -ne "$status" ]; then echo "FAIL: expected exit $status"; show; exit 1; fi
  if ! grep -Eq -- "$regex" "$out" "$err"; then echo "FAIL: no line matches /$regex/"; show; exit 1; fi
else
  if [ $rc -eq 0 ]; then echo "FAIL: expected a non-zero exit"; show; exit 1; fi
  if [ $rc -gt 128 ] && [ $rc -ne 130 ]; then echo "FAIL: killed by signal $((rc - 128)) (a crash)"; show; exit 1; fi
  lines=$(wc -l <"$err")
  if [ "$lines" -ne 1 ]; then echo "FAIL: expected a one-line error, got $lines lines"; show; exit 1; fi
  if ! grep -Eq -- "$regex" "$err"; then echo "FAIL: the error does not match /$regex/"; show; exit 1; fi
fi
for p in "${absent[@]}"; do
  if [ -e "$p" ]; then echo "FAIL: $p exists"; show; exit 1; fi
  partial=$(ls -a "$(dirname "$p")" 2>/dev/null | grep -F ".$(basename "$p").partial-" || true)
  if [ -n "$partial" ]; then echo "FAIL: half-written file left: $partial"; show; exit 1; fi
done
show
echo PASS
