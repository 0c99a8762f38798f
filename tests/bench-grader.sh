#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-grader.sh: how fast nngrade grades a class, and whether a batch
# killed half-way resumes to the same grades.
#
#   bench-grader.sh [N] [JOBS]     (defaults: 200 submissions, 2 jobs)
#
# Generates N submissions from the fixtures, in turn: the reference
# solution, the solution with one function broken (a wrong sign), the
# stubs, and each hostile fixture. Grades them once from scratch (timed),
# then again in a new output folder that is killed with SIGKILL half-way
# and resumed; the two grades.csv must be identical. Run from the build
# tree (make bench).
set -eu
n=${1:-200}
jobs=${2:-2}
src=${NN_TOP_SRCDIR:?}
build=${NN_TOP_BUILDDIR:?}
work="$build/tests/out/bench"
nngrade="$build/grader/nngrade"
export NNGRADE_EXERCISES_DIR="$src/exercises" NNGRADE_PROBE_DIR="$build/grader"
export NNGRADE_INCLUDE_DIR="$src/grader" NNGRADE_LIB_INCLUDE_DIR="$src/lib"

rm -rf "$work"
mkdir -p "$work/class"
kinds="correct wrong stubs"
for h in "$src"/tests/fixtures/hostile/*/; do
  kinds="$kinds hostile:$(basename "$h")"
done
set -- $kinds
count=$#
i=0
while [ "$i" -lt "$n" ]; do
  k=$(( i % count + 1 ))
  eval kind=\${$k}
  d="$work/class/$(printf 'student%03d' "$i")"
  mkdir -p "$d"
  case $kind in
    correct) cp -R "$src/tests/fixtures/solutions/." "$d/" ;;
    wrong)   cp -R "$src/tests/fixtures/solutions/." "$d/"
             # one wrong sign: the central difference subtracts the wrong way
             sed -i 's/GSL_FN_EVAL(f, x + h) - GSL_FN_EVAL(f, x - h)/GSL_FN_EVAL(f, x - h) - GSL_FN_EVAL(f, x + h)/' \
               "$d/ex01/exercise1.c" ;;
    stubs)   for f in "$src"/exercises/ex*/exercise*.c; do
               mkdir -p "$d/$(basename "$(dirname "$f")")"
               cp "$f" "$d/$(basename "$(dirname "$f")")/"
             done ;;
    hostile:*) cp -R "$src/tests/fixtures/hostile/${kind#hostile:}/." "$d/" ;;
  esac
  i=$((i + 1))
done
chmod -R u+w "$work/class"

start=$(date +%s.%N)
"$nngrade" batch -q -j "$jobs" "$work/class" --out "$work/whole" || true
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)
echo "graded $n submissions with -j $jobs in $secs s: $(echo "scale=1; 60 * $n / $secs" | bc) per minute"

# The same class, killed half-way with SIGKILL (workers too), then resumed.
setsid "$nngrade" batch -q -j "$jobs" "$work/class" --out "$work/killed" &
pid=$!
while [ "$(ls "$work/killed/.nngrade/state" 2>/dev/null | grep -c 'state$')" -lt $((n / 2)) ]; do
  sleep 0.2
done
kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid"
wait "$pid" 2>/dev/null || true
graded=$(ls "$work/killed/.nngrade/state" | grep -c 'state$')
echo "killed after $graded of $n; resuming"
"$nngrade" batch -q -j "$jobs" "$work/class" --out "$work/killed" || true
if cmp -s "$work/whole/grades.csv" "$work/killed/grades.csv"; then
  echo "grades.csv after kill -9 and resume: identical ($(($(wc -l < "$work/whole/grades.csv") - 1)) rows)"
else
  echo "grades.csv after kill -9 and resume: DIFFERENT" >&2
  diff "$work/whole/grades.csv" "$work/killed/grades.csv" >&2 || true
  exit 1
fi
