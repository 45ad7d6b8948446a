# Sourced by scripts/test.sh: stage NAME COMMAND... runs a stage and records its time; the table of every
# stage's time is printed when the script exits, also after a failure (the failed stage is marked).
_stage_rows=()
_stage_start=$(date +%s)
stage() {
  local name=$1 start rc=0
  shift
  echo "== $name"
  start=$(date +%s)
  "$@" || rc=$?
  _stage_rows+=("$(printf '%-44s %6ss%s' "$name" "$(($(date +%s) - start))" "$([ $rc -eq 0 ] || echo "  FAILED ($rc)")")")
  return $rc
}
stage_skip() {
  _stage_rows+=("$(printf '%-44s %7s  %s' "$1" "-" "skipped: $2")")
}
_stage_report() {
  local rc=$?
  echo
  echo "== stage times ($(nproc) cores)"
  printf '%s\n' "${_stage_rows[@]}"
  printf '%-44s %6ss\n' "total" "$(($(date +%s) - _stage_start))"
  return $rc
}
trap _stage_report EXIT
