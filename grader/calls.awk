# SPDX-License-Identifier: GPL-3.0-or-later
# calls.awk: from an exercise's table of calls (exercises/exNN/calls), the
# code that carries each call from nngrade to the probe and back.
#
#   awk -v ex=01 -v what=remote.h|remote.c|probe.c -f calls.awk exercises/ex01/calls
#
# remote.h   remote-exNN.h: the call numbers and the remote stubs' prototypes
# remote.c   remote-exNN.c: the remote stubs and the public tests, in nngrade
# probe.c    probe-exNN.c: the probe's dispatcher, run in the probe
#
# The table is described in grader/ADDING-AN-EXERCISE.md. In short, a line
#
#   ex1_dot(vector x, vector y, out double result)
#
# is a call of the student's function of that name; its arguments are
# int, size, double, vector, matrix (vector? and matrix? may be NULL) or
# "struct T" (sent by nng_put_T and read by nng_get_T, written in the
# exercise's hooks), and "out" marks what the call writes: sent with its
# value before the call, returned after it. "= EXPRESSION" after the
# arguments calls that expression in the probe instead (a function of the
# hooks, or the student's function with arguments that alias). "hook
# PROTOTYPE;" names a call written by hand on both sides in the hooks.
# Directives: "header F" (the exercise's header), "hooks F" (its hooks,
# compiled into both sides: NNG_PROBE_SIDE tells which), "include F" (a
# header both sides need), "define NAME VALUE" (a constant both sides and
# the tests see), "freeing" (memory a call leaves allocated fails the test,
# for this and every later call).

function fail(msg) {
  printf "%s:%d: %s\n", FILENAME, pending != "" ? pending_line : FNR, msg > "/dev/stderr"
  failed = 1
  exit 1
}

function trim(s) {
  sub(/^[ \t]+/, "", s)
  sub(/[ \t]+$/, "", s)
  return s
}

# Parse one call row (already joined across lines) into the tables.
function parse_row(row,    open, shut, name, args, expr, n, parts, i, a, words, nw, k) {
  open = index(row, "(")
  if (open == 0)
    fail("a call needs its arguments in parentheses: " row)
  name = trim(substr(row, 1, open - 1))
  if (name !~ /^[A-Za-z_][A-Za-z_0-9]*$/)
    fail("not a function name: " name)
  shut = index(row, ")")
  if (shut == 0)
    fail("no closing parenthesis: " row)
  args = trim(substr(row, open + 1, shut - open - 1))
  expr = trim(substr(row, shut + 1))
  if (expr != "") {
    if (substr(expr, 1, 1) != "=")
      fail("after the arguments only \"= EXPRESSION\" may follow: " expr)
    expr = trim(substr(expr, 2))
  }
  if (name in seen_call)
    fail("the call " name " is listed twice")
  seen_call[name] = 1
  if (expr == "" && trim(substr(row, shut + 1)) != "")
    fail("\"=\" needs an expression after it")
  ncalls++
  cname[ncalls] = name
  cexpr[ncalls] = expr
  cfree[ncalls] = freeing
  chook[ncalls] = 0
  nargs[ncalls] = 0
  if (args == "" || args == "void")
    return
  n = split(args, parts, ",")
  for (i = 1; i <= n; i++) {
    a = trim(parts[i])
    nw = split(a, words, /[ \t]+/)
    k = 1
    out = 0
    if (words[k] == "out") {
      out = 1
      k++
    }
    type = words[k++]
    if (type == "struct") {
      type = "struct " words[k++]
    }
    if (k != nw)
      fail("an argument is [out] TYPE NAME: " a)
    if (type !~ /^(int|size|double|vector\??|matrix\??|struct [A-Za-z_0-9]+)$/)
      fail("unknown type " type " (int, size, double, vector, matrix, vector?, matrix?, struct T)")
    if (out && (type == "size" || type ~ /^struct/))
      fail(type " cannot be out: " a)
    for (k = 1; k < i; k++)
      if (aname[ncalls, k] == words[nw])
        fail("the argument " words[nw] " is named twice")
    if (words[nw] ~ /^(req|rep|ok|status)$|^has_|_before$|_after$/)
      fail("the name " words[nw] " is the generated code's own: rename the argument")
    nargs[ncalls]++
    aname[ncalls, i] = words[nw]
    atype[ncalls, i] = type
    aout[ncalls, i] = out
  }
}

function upper_name(name,    s) {
  s = toupper(name)
  sub(/^EX[0-9]+_/, "", s)
  return "NNG_EX" exnum "_" s
}

# The student's function a call reaches: its name for the messages.
function target(c,    e) {
  e = cexpr[c]
  if (e == "")
    return cname[c]
  if (match(e, /^ex[0-9]+_[A-Za-z_0-9]*[ \t]*\(/)) {
    e = substr(e, 1, RLENGTH)
    sub(/[ \t]*\($/, "", e)
    return e
  }
  return cname[c]
}

function nullable(t) { return t ~ /\?$/ }
function base(t) { sub(/\?$/, "", t); return t }

function c_param(c, i,    t, n) {
  t = atype[c, i]
  n = aname[c, i]
  if (t ~ /^struct /)
    return "const " substr(t, 8) " *" n
  t = base(t)
  if (t == "int")
    return (aout[c, i] ? "int *" : "int ") n
  if (t == "size")
    return "size_t " n
  if (t == "double")
    return (aout[c, i] ? "double *" : "double ") n
  return (aout[c, i] ? "gsl_" t " *" : "const gsl_" t " *") n
}

function prototype(c,    s, i) {
  s = "int nng_" cname[c] "("
  if (nargs[c] == 0)
    return s "void)"
  for (i = 1; i <= nargs[c]; i++)
    s = s (i > 1 ? ", " : "") c_param(c, i)
  return s ")"
}

function emit_remote_h(    c) {
  print "/* remote-ex" ex ".h: exercise " exnum "'s functions, called in the probe."
  print " * Generated from exercises/ex" ex "/calls by grader/calls.awk: do not edit."
  print " *"
  print " * Each stub has the contract of the exercise header, with NNG_PROBE_FAILED"
  print " * for a probe that did not answer (see testkit.h); what a call writes is"
  print " * sent with its value before the call and read back after it. */"
  print "#ifndef NNG_REMOTE_EX" ex "_H"
  print "#define NNG_REMOTE_EX" ex "_H"
  print ""
  print "#include <stddef.h>"
  print "#include <gsl/gsl_matrix.h>"
  print "#include <gsl/gsl_vector.h>"
  print ""
  print "#include \"" header "\""
  for (i = 1; i <= nincludes; i++)
    print "#include \"" includes[i] "\""
  for (i = 1; i <= ndefines; i++)
    print "#define " defines[i]
  print ""
  print "enum {"
  for (c = 1; c <= ncalls; c++)
    print "  " upper_name(cname[c]) " = " c (c < ncalls ? "," : "")
  print "};"
  print ""
  for (c = 1; c <= ncalls; c++) {
    if (chook[c])
      print chook_proto[c] ";"
    else
      print prototype(c) ";"
  }
  print ""
  print "#endif"
}

function emit_remote_c(    c, i, t, n, fn, gets, sep) {
  print "/* remote-ex" ex ".c: exercise " exnum "'s remote stubs, run in nngrade."
  print " * Generated from exercises/ex" ex "/calls by grader/calls.awk: do not edit. */"
  print "#include <config.h>"
  print ""
  print "#include \"remote-ex" ex ".h\""
  print "#include \"testkit.h\""
  if (hooks != "") {
    print ""
    print "#include \"exercises/ex" ex "/" hooks "\""
  }
  for (c = 1; c <= ncalls; c++) {
    if (chook[c])
      continue
    fn = target(c)
    print ""
    prot = prototype(c)
    sub(/^int /, "int\n", prot)
    print prot
    print "{"
    print "  nng_msg req, rep;"
    print "  int status;"
    print "  nng_msg_init(&req);"
    print "  nng_msg_put_int(&req, " upper_name(cname[c]) ");"
    for (i = 1; i <= nargs[c]; i++) {
      t = atype[c, i]
      n = aname[c, i]
      if (t ~ /^struct /) {
        print "  nng_put_" substr(t, 8) "(&req, " n ");"
        continue
      }
      if (nullable(t)) {
        print "  nng_msg_put_int(&req, " n " != NULL);"
        print "  if (" n " != NULL)"
        print "    nng_msg_put_" base(t) "(&req, " n ");"
        continue
      }
      t = base(t)
      if (t == "size")
        print "  nng_msg_put_int(&req, (int64_t) " n ");"
      else if (aout[c, i] && (t == "int" || t == "double"))
        print "  nng_msg_put_" t "(&req, " n " != NULL ? *" n " : 0);"
      else
        print "  nng_msg_put_" t "(&req, " n ");"
    }
    print "  if (nng_remote_exchange" (cfree[c] ? "_freeing" : "") "(\"" fn "\", &req, &rep, &status) != 0)"
    print "    return NNG_PROBE_FAILED;"
    gets = ""
    sep = ""
    for (i = 1; i <= nargs[c]; i++) {
      if (!aout[c, i])
        continue
      t = atype[c, i]
      n = aname[c, i]
      if (t == "int" || t == "double") {
        print "  " (t == "int" ? "int64_t " : "double ") n "_after;"
        gets = gets sep "nng_msg_get_" t "(&rep, &" n "_after) != 0"
      } else if (nullable(t)) {
        gets = gets sep "(" n " != NULL && nng_msg_get_" base(t) "_into(&rep, " n ") != 0)"
      } else {
        gets = gets sep "nng_msg_get_" t "_into(&rep, " n ") != 0"
      }
      sep = "\n      || "
    }
    if (gets != "") {
      print "  if (" gets ")"
      print "    return nng_remote_bad_reply(\"" fn "\", &req, &rep);"
    }
    # A scalar a test does not want back may be NULL.
    for (i = 1; i <= nargs[c]; i++)
      if (aout[c, i] && (atype[c, i] == "int" || atype[c, i] == "double"))
        print "  if (" aname[c, i] " != NULL)\n    *" aname[c, i] " = " \
          (atype[c, i] == "int" ? "(int) " : "") aname[c, i] "_after;"
    print "  nng_msg_release(&req);"
    print "  nng_msg_release(&rep);"
    print "  return status;"
    print "}"
  }
  print ""
  print "/* The public tests, which call the stubs above. */"
  print "#include \"exercises/ex" ex "/suite.c\""
}

# The argument as the probe passes it to the student's function.
function probe_arg(c, i,    t, n) {
  t = atype[c, i]
  n = aname[c, i]
  if (t ~ /^struct /)
    return "&" n
  if (t == "int")
    return aout[c, i] ? "&" n : "(int) " n
  if (t == "size")
    return "(size_t) " n
  if (t == "double")
    return aout[c, i] ? "&" n : n
  return n
}

function emit_probe_c(    c, i, t, n, call, gets, sep, tail) {
  print "/* probe-ex" ex ".c: the probe's side of exercise " exnum "'s calls."
  print " * Generated from exercises/ex" ex "/calls by grader/calls.awk: do not edit."
  print " *"
  print " * Unpacks the arguments, calls the student's function, packs the status"
  print " * and what the call wrote. Nothing here judges the answer. */"
  print "#include <config.h>"
  print ""
  print "#include \"" header "\""
  for (i = 1; i <= nincludes; i++)
    print "#include \"" includes[i] "\""
  print "#include \"probe.h\""
  for (i = 1; i <= ndefines; i++)
    print "#define " defines[i]
  if (hooks != "") {
    print ""
    print "#define NNG_PROBE_SIDE 1"
    print "#include \"exercises/ex" ex "/" hooks "\""
  }
  for (c = 1; c <= ncalls; c++) {
    print ""
    print "/* " cname[c] " */"
    print "static int"
    print "call_" c "(nng_msg *req, nng_msg *rep)"
    print "{"
    if (chook[c]) {
      print "  return nng_probe_" cname[c] "(req, rep);"
      print "}"
      continue
    }
    if (nargs[c] == 0)
      print "  (void) req;"
    for (i = 1; i <= nargs[c]; i++) {
      t = atype[c, i]
      n = aname[c, i]
      if (t ~ /^struct /)
        print "  " substr(t, 8) " " n ";"
      else if (t == "int" && aout[c, i])
        print "  int " n ";\n  int64_t " n "_before;"
      else if (t == "int" || t == "size")
        print "  int64_t " n ";"
      else if (t == "double")
        print "  double " n ";"
      else
        print "  gsl_" base(t) " *" n " = NULL;"
      if (nullable(t))
        print "  int64_t has_" n ";"
    }
    print "  int ok = 0;"
    gets = ""
    sep = ""
    for (i = 1; i <= nargs[c]; i++) {
      t = atype[c, i]
      n = aname[c, i]
      if (t ~ /^struct /)
        g = "nng_get_" substr(t, 8) "(req, &" n ") == 0"
      else if (t == "int" && aout[c, i])
        g = "nng_msg_get_int(req, &" n "_before) == 0"
      else if (t == "int" || t == "size")
        g = "nng_msg_get_int(req, &" n ") == 0" (t == "size" ? " && " n " >= 0" : "")
      else if (t == "double")
        g = "nng_msg_get_double(req, &" n ") == 0"
      else if (nullable(t))
        g = "nng_msg_get_int(req, &has_" n ") == 0\n      && (!has_" n " || nng_msg_get_" base(t) "_alloc(req, &" n ") == 0)"
      else
        g = "nng_msg_get_" t "_alloc(req, &" n ") == 0"
      gets = gets sep g
      sep = "\n      && "
    }
    if (gets == "")
      gets = "1"
    print "  if (" gets ") {"
    for (i = 1; i <= nargs[c]; i++)
      if (atype[c, i] == "int" && aout[c, i])
        print "    " aname[c, i] " = (int) " aname[c, i] "_before;"
    if (cexpr[c] != "") {
      call = cexpr[c]
    } else {
      call = cname[c] "("
      for (i = 1; i <= nargs[c]; i++)
        call = call (i > 1 ? ", " : "") probe_arg(c, i)
      call = call ")"
    }
    # A function of the hooks refuses arguments it cannot use with
    # NNG_PROBE_BAD_REQUEST, as the table's checks do.
    ind = "    "
    if (cexpr[c] != "" && target(c) == cname[c]) {
      print "    int status = NNG_PROBE_CALL(" call ");"
      print "    if (status != NNG_PROBE_BAD_REQUEST) {"
      ind = "      "
      print ind "nng_msg_put_int(rep, status);"
    } else {
      print ind "nng_msg_put_int(rep, NNG_PROBE_CALL(" call "));"
    }
    for (i = 1; i <= nargs[c]; i++) {
      if (!aout[c, i])
        continue
      t = atype[c, i]
      n = aname[c, i]
      if (nullable(t))
        print ind "if (" n " != NULL)\n" ind "  nng_msg_put_" base(t) "(rep, " n ");"
      else
        print ind "nng_msg_put_" t "(rep, " n ");"
    }
    print ind "ok = 1;"
    if (ind != "    ")
      print "    }"
    print "  }"
    for (i = 1; i <= nargs[c]; i++) {
      t = base(atype[c, i])
      if (t == "vector" || t == "matrix")
        print "  gsl_" t "_free(" aname[c, i] ");"
    }
    print "  return ok ? 0 : -1;"
    print "}"
  }
  print ""
  print "void"
  print "nng_probe_dispatch(int64_t fn, nng_msg *req, nng_msg *rep)"
  print "{"
  print "  int status = -1;"
  print "  switch (fn) {"
  for (c = 1; c <= ncalls; c++)
    print "  case " c ": status = call_" c "(req, rep); break;"
  print "  default: break;"
  print "  }"
  print "  if (status != 0) {"
  print "    nng_msg_clear(rep);"
  print "    nng_msg_put_int(rep, NNG_PROBE_BAD_REQUEST);"
  print "  }"
  print "}"
}

BEGIN {
  if (ex !~ /^[0-9][0-9]$/ || what !~ /^(remote\.h|remote\.c|probe\.c)$/) {
    print "usage: awk -v ex=NN -v what=remote.h|remote.c|probe.c -f calls.awk CALLS" > "/dev/stderr"
    failed = 1
    exit 2
  }
  exnum = ex + 0
  ncalls = 0
  freeing = 0
  pending = ""
}

# The call gathered so far, into the tables.
function flush() {
  if (pending == "")
    return
  if (pending ~ /^hook[ \t]/) {
    p = trim(substr(pending, 5))
    sub(/;$/, "", p)
    if (!match(p, /nng_[A-Za-z_0-9]+[ \t]*\(/))
      fail("a hook is \"hook PROTOTYPE;\" with the remote stub's name nng_...: " p)
    ncalls++
    cname[ncalls] = substr(p, RSTART + 4, RLENGTH - 4)
    sub(/[ \t]*\($/, "", cname[ncalls])
    chook[ncalls] = 1
    chook_proto[ncalls] = p
    nargs[ncalls] = 0
  } else {
    parse_row(pending)
  }
  pending = ""
}

{
  line = $0
  sub(/#.*/, "", line)
  if (trim(line) == "")
    next
  # An indented line goes on with the call above.
  if (pending != "" && line ~ /^[ \t]/) {
    pending = pending " " trim(line)
    next
  }
  flush()
  line = trim(line)
  if (line ~ /^header[ \t]/) { header = trim(substr(line, 7)); next }
  if (line ~ /^hooks[ \t]/) { hooks = trim(substr(line, 6)); next }
  if (line ~ /^include[ \t]/) { includes[++nincludes] = trim(substr(line, 8)); next }
  if (line == "freeing") { freeing = 1; next }
  if (line ~ /^define[ \t]/) { defines[++ndefines] = trim(substr(line, 7)); next }
  if (line ~ /^(header|hooks|include|define)$/)
    fail(line " needs what it names")
  pending = line
  pending_line = FNR
}

END {
  if (failed)
    exit 1
  flush()
  if (header == "")
    fail("no \"header\" line: which header do students read?")
  if (ncalls == 0)
    fail("no calls")
  if (what == "remote.h")
    emit_remote_h()
  else if (what == "remote.c")
    emit_remote_c()
  else
    emit_probe_c()
}
