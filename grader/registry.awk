# SPDX-License-Identifier: GPL-3.0-or-later
# registry.awk: nngrade's table of exercises (registry.c) from the list of
# exercises, exercises/registry ("number | title | forbidden calls").
#
#   awk -f registry.awk exercises/registry > registry.c

function trim(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  return s
}

function cstring(s) {
  gsub(/\\/, "\\\\", s)
  gsub(/"/, "\\\"", s)
  return "\"" s "\""
}

/^[ \t]*(#|$)/ { next }

{
  n = split($0, f, "|")
  num = trim(f[1])
  if (n != 3 || num !~ /^[1-9][0-9]?$/ || trim(f[2]) == "") {
    printf "%s:%d: an exercise is \"number | title | forbidden calls\"\n", FILENAME, FNR > "/dev/stderr"
    bad = 1
    exit 1
  }
  if (num in seen) {
    printf "%s:%d: exercise %s is listed twice\n", FILENAME, FNR, num > "/dev/stderr"
    bad = 1
    exit 1
  }
  seen[num] = 1
  count++
  number[count] = num
  title[count] = trim(f[2])
  forbidden[count] = trim(f[3])
}

END {
  if (bad)
    exit 1
  print "/* registry.c: the exercises nngrade knows (see exercises.h)."
  print " * Generated from exercises/registry by grader/registry.awk: do not edit. */"
  print "#include <config.h>"
  print ""
  print "#include \"exercises.h\""
  print ""
  for (i = 1; i <= count; i++)
    printf "extern const nng_test nng_ex%02d_tests[];\n", number[i]
  print ""
  print "const nng_exercise nng_exercises[] = {"
  for (i = 1; i <= count; i++)
    printf "  {%d, %s, \"ex%02d\", \"exercise%d.c\", nng_ex%02d_tests, %s},\n", number[i],
      cstring(title[i]), number[i], number[i], number[i],
      forbidden[i] == "" ? "NULL" : cstring(forbidden[i])
  print "};"
  print "const size_t nng_n_exercises = sizeof nng_exercises / sizeof nng_exercises[0];"
}
