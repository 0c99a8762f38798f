/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nngrade's sandbox on hostile submissions.
 *
 * A class is built under the build tree from the reference solution and the
 * hostile fixtures (tests/fixtures/hostile): each is the reference solution
 * with one function made hostile (it crashes, loops, prints, forks, fills
 * the disk, ignores signals, kills the grader, reads the hidden tests,
 * writes over the grades), or a file that breaks a rule as a whole (it calls
 * the course library or BLAS, needs an edited header, does not compile, is
 * missing). The TA's hidden tests (mode 700) hold a secret line; the output
 * folder holds a file of the TA's. The probes that attack a path are told
 * its exact place (TARGET_* macros added at the top of their copy).
 *
 * nngrade batch grades the class with the sandbox it chooses, and again
 * without bubblewrap (NNGRADE_NO_BWRAP=1) when it chose bubblewrap. Each
 * time:
 *   - the reference solution earns full marks; a hostile function costs
 *     exactly the points of its tests (public, from `nngrade list`, and
 *     hidden, from the hidden suite's table), a broken file all of them, and
 *     the feedback says why;
 *   - grades.csv has one row per student; nothing changed outside the
 *     scratch folders: the submissions, the TA's file, no mark of a probe in
 *     the outputs or the temporary folders, no scratch folder left behind;
 *   - nngrade and this test survive, and the batch ends in bounded time.
 * The fixtures that only a sandbox can stop (reading private files; writing
 * outside its folder, killing the grader) join the class only when nngrade
 * reports a sandbox that stops them (another user; namespaces): killing
 * every process it may signal, run as you without a sandbox, would kill
 * this test too.
 *
 * Two colluding students (keyring-writer, keyring-reader), graded one after
 * the other in each sandbox, find no way to pass answers through the
 * kernel. The limits a fixture trips, it trips whatever the speed or load
 * of the machine: the memory hog reaches its memory limit in milliseconds
 * of CPU time; the time a probe waits for a CPU does not count against its
 * wall-clock limit, which is ten times its CPU limit (1 s, killed at 2 s),
 * so that a looping probe is always told of its CPU time, with bubblewrap
 * too (its supervisor measures it), and never of wall-clock time.
 */
#include "batchtest.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* The whole of a file, NUL-terminated (the caller frees it), or NULL. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0, r;
  char *buf = malloc(cap);
  while (buf != NULL && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n - 1 == 0) {
      char *b = realloc(buf, cap *= 2);
      if (b == NULL) {
        free(buf);
        buf = NULL;
      } else {
        buf = b;
      }
    }
  }
  fclose(f);
  if (buf != NULL)
    buf[n] = '\0';
  return buf;
}

static double
now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* ===== Points ===== */

/* Per function of exercise 1: the points of its tests, public and hidden. */
static struct {
  char function[64];
  double points;
} points[16];
static size_t n_points;
static double full;          /* all of exercise 1's points */
static double public_total;  /* those of its public tests */

static void
add_points(const char *function, double p)
{
  size_t k = 0;
  while (k < n_points && strcmp(points[k].function, function) != 0)
    k++;
  if (k == n_points) {
    assert_true(k < 16);
    snprintf(points[k].function, sizeof points[k].function, "%s", function);
    n_points++;
  }
  points[k].points += p;
  full += p;
}

static double
points_of(const char *function)
{
  for (size_t k = 0; k < n_points; k++)
    if (strcmp(points[k].function, function) == 0)
      return points[k].points;
  print_error("no test is about %s\n", function);
  fail();
  return 0;
}

/* Exercise 1's public tests from `nngrade list`, its hidden ones from the
 * table of the hidden suite (lines {"name", function, "ex1_...", points, ...). */
static void
read_points(void)
{
  char path[1400], line[512], name[200], fn[200];
  double pts;
  int number, in_ex1 = 0;
  snprintf(path, sizeof path, "%s/list.txt", batch_work);
  assert_int_equal(nn_test_shell("%s list > '%s'", batch_nngrade, path), 0);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "Exercise %d:", &number) == 1)
      in_ex1 = number == 1;
    else if (in_ex1 && sscanf(line, " %199s %199s %lf", name, fn, &pts) == 3) {
      add_points(fn, pts);
      public_total += pts;
    }
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/hidden/ex01/hidden-ex01.c", batch_work);
  f = fopen(path, "r");
  assert_non_null(f);
  while (fgets(line, sizeof line, f) != NULL)
    if (sscanf(line, " {\"%199[^\"]\", %199[^,], \"%199[^\"]\", %lf", name, path, fn,
               &pts) == 4)
      add_points(fn, pts);
  fclose(f);
  assert_true(n_points >= 4);
}

/* ===== The class ===== */

/* What a fixture needs to be run safely, and stopped: limits only; student
 * code that runs as another user (reading private files); namespaces
 * (writing anywhere else, killing every process it may signal). */
enum { PLAIN, NEEDS_OTHER_USER, NEEDS_NAMESPACES };

/* Each fixture: the function it breaks (NULL: the whole exercise earns 0),
 * what its feedback says (every '|'-separated part, each with alternatives
 * separated by '^'), what it needs to be run safely, and what its feedback
 * must never say (NULL: no such check). */
static const struct fixture {
  const char *name, *function, *says;
  int needs;
  const char *never;
} fixtures[] = {
  {"segfault", "ex1_dot", "segmentation fault (SIGSEGV)|(peak memory ", PLAIN, NULL},
  {"stack-overflow", "ex1_matvec",
   "segmentation fault (SIGSEGV)|recursion too deep for the stack", PLAIN, NULL},
  {"abort", "ex1_central_difference", "aborted (SIGABRT)", PLAIN, NULL},
  {"infinite-loop", "ex1_matvec", "CPU time", PLAIN, "wall-clock"},
  {"endless-printing", "ex1_poly_derivative", "printed more than 1 MiB", PLAIN, NULL},
  {"fork-bomb", "ex1_dot",
   "CPU time|fork: Resource temporarily unavailable", PLAIN, "wall-clock"},
  {"memory-hog", "ex1_poly_derivative", "expected -3, got", PLAIN, NULL},
  {"closes-pipe", "ex1_central_difference", "wall-clock time", PLAIN, "CPU time"},
  {"signal-handlers", "ex1_matvec", "CPU time", PLAIN, "wall-clock"},
  {"fake-pass", NULL, "before it answered: something in your code called exit()", PLAIN, NULL},
  {"calls-reference", NULL, "exercise1.c calls nn_linalg_dot, the course library's own "
   "implementation: not allowed (earns no points)", PLAIN, NULL},
  {"calls-blas", NULL, "exercise1.c calls gsl_blas_ddot, which this exercise asks you "
   "to write yourself: not allowed (earns no points)", PLAIN, NULL},
  {"edited-header", NULL, "does not compile|conflicting types for 'ex1_dot'", PLAIN, NULL},
  {"no-compile", NULL, "does not compile|'last' undeclared", PLAIN, NULL},
  {"missing-files", NULL, "exercise1.c was not found", PLAIN, NULL},
  {"read-hidden", "ex1_dot", "could not read the hidden tests nor any other submission",
   NEEDS_OTHER_USER, NULL},
  {"disk-filler", "ex1_matvec", "filled its folder with more than 16 MiB of files",
   NEEDS_NAMESPACES, NULL},
  {"write-outputs", "ex1_poly_derivative", "could not write outside its own folder",
   NEEDS_NAMESPACES, NULL},
  {"kill-parent", "ex1_central_difference",
   "kill(-1): |ended (exit status 0) before it answered", NEEDS_NAMESPACES, NULL},
};
#define N_FIXTURES (sizeof fixtures / sizeof fixtures[0])

/* What nngrade batch said about its sandbox. */
typedef enum { SB_BWRAP, SB_NAMESPACES, SB_USER, SB_NONE } sandbox_kind;

static sandbox_kind
sandbox_said(const char *err_path)
{
  char *text = slurp(err_path);
  assert_non_null(text);
  sandbox_kind k = strstr(text, "sandbox: bubblewrap:") ? SB_BWRAP
                 : strstr(text, "sandbox: namespaces") ? SB_NAMESPACES
                 : strstr(text, "sandbox: user ") ? SB_USER : SB_NONE;
  if (k == SB_NONE && strstr(text, "sandbox: none") == NULL) {
    print_error("nngrade batch did not say which sandbox it uses:\n%s\n", text);
    free(text);
    fail();
  }
  free(text);
  return k;
}

static int
included(const struct fixture *fx, sandbox_kind k)
{
  switch (fx->needs) {
  case NEEDS_OTHER_USER:
    return k != SB_NONE;
  case NEEDS_NAMESPACES:
    return k == SB_BWRAP || k == SB_NAMESPACES;
  default:
    return 1;
  }
}

/* Put TEXT at the top of the file PATH. */
static void
prepend(const char *path, const char *text)
{
  char *old = slurp(path);
  assert_non_null(old);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fputs(old, f);
  assert_int_equal(fclose(f), 0);
  free(old);
}

/* Make PASS's class: the reference solution and the fixtures sandbox K can
 * run; the attackers are told the exact paths. */
static void
make_class(const char *pass, sandbox_kind k, size_t *students)
{
  const char *fx = "tests/fixtures";
  char class[1400], out[1400];
  snprintf(class, sizeof class, "%s/%s/class", batch_work, pass);
  snprintf(out, sizeof out, "%s/%s/out", batch_work, pass);
  assert_int_equal(nn_test_shell("mkdir -p '%s' '%s/%s/tmp' && cp -R '%s/%s/solutions' "
                       "'%s/correct' && chmod -R u+w '%s' && rm -rf '%s'/correct/ex0[2-9]",
                       class, batch_work, pass, batch_src, fx, class, class, class), 0);
  *students = 1;
  for (size_t i = 0; i < N_FIXTURES; i++) {
    if (!included(&fixtures[i], k))
      continue;
    assert_int_equal(nn_test_shell("cp -R '%s/%s/hostile/%s' '%s/%s' && chmod -R u+w '%s/%s'",
                         batch_src, fx, fixtures[i].name, class, fixtures[i].name, class,
                         fixtures[i].name), 0);
    ++*students;
  }
  if (k != SB_NONE) {
    /* The attackers learn the exact paths; read-hidden also the reference
     * solutions of the source tree, when only bubblewrap keeps them out of
     * view (they are world-readable). */
    char defs[4096], file[1600];
    int n = snprintf(defs, sizeof defs, "#define TARGET_HIDDEN \"%s/hidden\"\n"
                     "#define TARGET_SUBMISSIONS \"%s\"\n", batch_work, class);
    if (k == SB_BWRAP)
      snprintf(defs + n, sizeof defs - (size_t) n, "#define TARGET_REFERENCE "
               "\"%s/%s/solutions\"\n", batch_src, fx);
    snprintf(file, sizeof file, "%s/read-hidden/ex01/exercise1.c", class);
    prepend(file, defs);
  }
  if (k == SB_BWRAP || k == SB_NAMESPACES) {
    char defs[4096], file[1600];
    snprintf(defs, sizeof defs, "#define TARGET_OUT \"%s\"\n#define TARGET_SUBMISSIONS "
             "\"%s\"\n", out, class);
    snprintf(file, sizeof file, "%s/write-outputs/ex01/exercise1.c", class);
    prepend(file, defs);
  }
  /* Private, as the TA keeps them: nobody else may read the submissions. */
  assert_int_equal(nn_test_shell("chmod -R u+w,go-rwx '%s'", class), 0);
  /* The output folder already holds a file of the TA's. */
  assert_int_equal(nn_test_shell("mkdir -p '%s' && echo 'notes of the TA' > '%s/ta-notes.txt'",
                       out, out), 0);
}

/* ===== Checks ===== */

/* STUDENT's score in the first column of grades.csv; -1 when absent. */
static double
score_of(const char *csv, const char *student)
{
  char key[256];
  snprintf(key, sizeof key, "\n%s,", student);
  const char *p = strstr(csv, key);
  return p != NULL ? strtod(p + strlen(key), NULL) : -1;
}

/* TEXT says every '|'-separated part of SAYS (any of its '^' alternatives). */
static int
says_all(const char *text, const char *says, char *missing, size_t n)
{
  char buf[512];
  snprintf(buf, sizeof buf, "%s", says);
  char *save = NULL;
  for (char *part = strtok_r(buf, "|", &save); part != NULL;
       part = strtok_r(NULL, "|", &save)) {
    int found = 0;
    char alt[256];
    snprintf(alt, sizeof alt, "%s", part);
    char *save2 = NULL;
    for (char *a = strtok_r(alt, "^", &save2); a != NULL && !found;
         a = strtok_r(NULL, "^", &save2))
      found = strstr(text, a) != NULL;
    if (!found) {
      snprintf(missing, n, "%s", part);
      return 0;
    }
  }
  return 1;
}

/* Which sandbox nngrade batch chooses with ENV: it grades a class of one,
 * the reference solution (full marks), and says. */
static sandbox_kind
preflight(const char *pass, const char *env)
{
  char err[1400], path[1600];
  snprintf(err, sizeof err, "%s/%s/preflight.txt", batch_work, pass);
  assert_int_equal(nn_test_shell("mkdir -p '%s/%s/pre/correct' && cp -R '%s/tests/fixtures/solutions/"
                       "ex01' '%s/%s/pre/correct/' && chmod -R u+w '%s/%s/pre' && %s %s batch -e 1 '%s/%s/pre' --out "
                       "'%s/%s/pre-out' 2> '%s'", batch_work, pass, batch_src, batch_work, pass, batch_work, pass,
                       env, batch_nngrade, batch_work, pass, batch_work, pass, err), 0);
  snprintf(path, sizeof path, "%s/%s/pre-out/grades.csv", batch_work, pass);
  char *csv = slurp(path);
  assert_non_null(csv);
  assert_close(score_of(csv, "correct"), public_total, 0);
  free(csv);
  return sandbox_said(err);
}

/* Grade PASS's class with ENV before nngrade, and check everything. */
static void
grade_and_check(const char *pass, const char *env, sandbox_kind k)
{
  char class[1400], out[1400], tmp[1400], path[1600], sums[1400];
  snprintf(class, sizeof class, "%s/%s/class", batch_work, pass);
  snprintf(out, sizeof out, "%s/%s/out", batch_work, pass);
  snprintf(tmp, sizeof tmp, "%s/%s/tmp", batch_work, pass);
  snprintf(sums, sizeof sums, "%s/%s/sums", batch_work, pass);
  char *csv;

  size_t students = 0;
  make_class(pass, k, &students);
  assert_int_equal(nn_test_shell("rm -f /tmp/nngrade-pwned.txt /tmp/nngrade-fill-* "
                       "/var/tmp/nngrade-fill-* /dev/shm/nngrade-fill-* 2>/dev/null; "
                       "cd '%s' && find . -type f -exec cksum {} + | sort > '%s.before'",
                       class, sums), 0);

  /* The batch, in bounded time; nngrade survives it (status 0: every
   * student graded) and so does this test (it is still running). A hang
   * would be forever: timeout ends it (status 124) after half an hour, ten
   * times what the batch took on a machine loaded 18 times over its cores
   * (how long it takes depends on the machine, and is only printed). */
  double start = now();
  int status = nn_test_shell("TMPDIR='%s' timeout 1800 env %s %s batch -e 1 -j2 --cpu-limit 1 "
                   "--wall-limit 10 '%s' --out '%s' --hidden '%s/hidden' 2> '%s/%s/batch.txt'",
                   tmp, env, batch_nngrade, class, out, batch_work, batch_work, pass);
  double seconds = now() - start;
  print_message("nngrade batch, %s, %zu students: %.1f s\n",
                k == SB_BWRAP ? "bubblewrap" : k == SB_NAMESPACES ? "namespaces"
                : k == SB_USER ? "sandbox user only" : "no sandbox", students, seconds);
  assert_int_equal(status, 0);

  snprintf(path, sizeof path, "%s/grades.csv", out);
  csv = slurp(path);
  assert_non_null(csv);
  size_t lines = 0;
  for (const char *p = csv; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, students + 1);
  assert_close(score_of(csv, "correct"), full, 0);
  for (size_t i = 0; i < N_FIXTURES; i++) {
    const struct fixture *fx = &fixtures[i];
    if (!included(fx, k))
      continue;
    double expected = fx->function ? full - points_of(fx->function) : 0.0;
    double got = score_of(csv, fx->name);
    if (got != expected) {
      print_error("%s: %s scores %g, expected %g\n", pass, fx->name, got, expected);
      fail();
    }
    snprintf(path, sizeof path, "%s/feedback/%s.md", out, fx->name);
    char *text = slurp(path), missing[256];
    assert_non_null(text);
    if (!says_all(text, fx->says, missing, sizeof missing)) {
      print_error("%s: %s does not say \"%s\":\n%s\n", pass, path, missing, text);
      free(text);
      fail();
    }
    if (fx->never != NULL && strstr(text, fx->never) != NULL) {
      print_error("%s: %s says \"%s\":\n%s\n", pass, path, fx->never, text);
      free(text);
      fail();
    }
    free(text);
  }
  free(csv);

  /* The reading probe saw nothing: not the hidden tests' secret line, in
   * no feedback; under bubblewrap, not even the folders. */
  assert_int_equal(nn_test_shell("grep -rl 'SECRET-OF-THE-TA' '%s' > /dev/null", out), 1);
  if (k == SB_BWRAP) {
    snprintf(path, sizeof path, "%s/feedback/read-hidden.md", out);
    char *text = slurp(path), want[1400];
    assert_non_null(text);
    snprintf(want, sizeof want, "cannot open %s/hidden: No such file or directory", batch_work);
    assert_non_null(strstr(text, want));
    free(text);
  }
  /* Nothing written outside the scratch folders: the submissions are as
   * they were; no mark of a probe in the outputs, which hold only what
   * nngrade writes and the TA's file; no scratch folder left; nothing in
   * the machine's temporary folders. */
  assert_int_equal(nn_test_shell("cd '%s' && find . -type f -exec cksum {} + | sort > '%s.after' && "
                       "cmp '%s.before' '%s.after'", class, sums, sums, sums), 0);
  assert_int_equal(nn_test_shell("grep -rlx PWNED-BY-A-PROBE '%s' '%s'", out, class), 1);
  assert_int_equal(nn_test_shell("test \"$(cat '%s/ta-notes.txt')\" = 'notes of the TA'", out), 0);
  assert_int_equal(nn_test_shell("cd '%s' && find . -type f | grep -v -E '^\\./(grades\\.csv|"
                       "summary\\.md|ta-notes\\.txt|summary/.*|feedback/[a-z-]+\\.md|"
                       "results/[a-z-]+\\.json|\\.nngrade/state/[a-z-]+\\.state|"
                       "\\.nngrade/hidden/.*)$'", out), 1);
  assert_int_equal(nn_test_shell("test -z \"$(ls -A '%s')\"", tmp), 0);
  assert_int_equal(nn_test_shell("for f in /tmp/nngrade-pwned.txt /tmp/nngrade-fill-* "
                       "/var/tmp/nngrade-fill-* /dev/shm/nngrade-fill-*; do "
                       "if test -e \"$f\"; then echo \"$f\"; exit 1; fi; done"), 0);
}

/* ===== Tests ===== */

static sandbox_kind first_kind;

static int
setup(void **state)
{
  (void) state;
  if (batch_test_setup("sandbox") != 0)
    return -1;
  /* The TA's hidden tests, private, with a line no student may see. */
  if (nn_test_shell("rm -rf '%s' && mkdir -p '%s' && cp -R '%s/tests/fixtures/hidden' '%s/hidden' "
          "&& chmod -R u+w,go-rwx '%s/hidden' && "
          "echo '/* SECRET-OF-THE-TA */' >> '%s/hidden/ex01/hidden-ex01.c'", batch_work, batch_work,
          batch_src, batch_work, batch_work, batch_work) != 0)
    return -1;
  read_points();
  return 0;
}

static void
hostile_class_with_the_chosen_sandbox(void **state)
{
  (void) state;
  first_kind = preflight("default", "");
  grade_and_check("default", "", first_kind);
}

static void
hostile_class_without_bubblewrap(void **state)
{
  (void) state;
  if (first_kind != SB_BWRAP) {
    print_message("nngrade does not use bubblewrap here: the first pass was without it\n");
    skip();
  }
  sandbox_kind k = preflight("no-bwrap", "NNGRADE_NO_BWRAP=1");
  assert_true(k != SB_BWRAP);
  grade_and_check("no-bwrap", "NNGRADE_NO_BWRAP=1", k);
}

/* Grade STUDENT (a hostile fixture) alone, with ENV before nngrade, in a
 * folder of PASS's; its score, with the hidden tests. */
static double
grade_alone(const char *pass, const char *env, const char *student)
{
  char dir[1400], path[1600];
  snprintf(dir, sizeof dir, "%s/%s/%s", batch_work, pass, student);
  assert_int_equal(nn_test_shell("rm -rf '%s' && mkdir -p '%s/class' '%s/tmp' && cp -R "
                       "'%s/tests/fixtures/hostile/%s' '%s/class/%s' && chmod -R "
                       "u+w,go-rwx '%s/class'", dir, dir, dir, batch_src, student, dir,
                       student, dir), 0);
  assert_int_equal(nn_test_shell("TMPDIR='%s/tmp' %s %s batch -q -e 1 '%s/class' --out "
                       "'%s/out' --hidden '%s/hidden' 2> '%s/batch.txt'", dir, env, batch_nngrade,
                       dir, dir, batch_work, dir), 0);
  snprintf(path, sizeof path, "%s/out/grades.csv", dir);
  char *csv = slurp(path);
  assert_non_null(csv);
  double score = score_of(csv, student);
  free(csv);
  return score;
}

/* Two colluding students: keyring-writer leaves every answer of ex1_dot in
 * the kernel's keyring of its user; keyring-reader, graded after it, looks
 * for them there instead of computing. Probes share no kernel state, in
 * every sandbox the tests run: the writer earns full marks, the reader
 * none of ex1_dot's points, and its output never says it learned an
 * answer. */
static void
probes_share_no_kernel_state(void **state)
{
  (void) state;
  static const char *const envs[] = {"", "NNGRADE_NO_BWRAP=1"};
  static const char *const passes[] = {"keyring-default", "keyring-no-bwrap"};
  for (size_t i = 0; i < (first_kind == SB_BWRAP ? 2U : 1U); i++) {
    assert_close(grade_alone(passes[i], envs[i], "keyring-writer"), full, 0);
    double reader = grade_alone(passes[i], envs[i], "keyring-reader");
    double expected = full - points_of("ex1_dot");
    if (reader != expected) {
      print_error("%s: keyring-reader scores %g, expected %g: it found the writer's "
                  "answers\n", passes[i], reader, expected);
      fail();
    }
    char path[1600];
    snprintf(path, sizeof path, "%s/%s/keyring-reader/out/feedback/keyring-reader.md",
             batch_work, passes[i]);
    char *text = slurp(path);
    assert_non_null(text);
    assert_null(strstr(text, "LEARNED"));
    free(text);
  }
}

/* An archive whose entries climb out with ../: nothing lands outside the
 * scratch folder it is unpacked in, and the other rows do not change. */
static void
archive_with_dotdot_paths_stays_inside(void **state)
{
  (void) state;
  char dir[1400], path[1600];
  snprintf(dir, sizeof dir, "%s/archive", batch_work);
  assert_int_equal(nn_test_shell("mkdir -p '%s/src/ex01' '%s/class' '%s/tmp/a/b' && "
                       "cp '%s/tests/fixtures/solutions/ex01/exercise1.c' '%s/src/ex01/' && "
                       "echo escaped > '%s/src/escaped' && cd '%s/src' && "
                       "tar -czPf '%s/class/climber.tar.gz' --transform "
                       "'s,^escaped$,../../escaped-by-archive.txt,' ex01/exercise1.c escaped "
                       "&& cp -R '%s/tests/fixtures/solutions' '%s/class/correct' && "
                       "chmod -R u+w '%s/class' && rm -rf '%s'/class/correct/ex0[2-9]", dir,
                       dir, dir, batch_src, dir, dir, dir, dir, batch_src, dir, dir, dir), 0);
  /* TMPDIR two levels down: ../../ from a scratch folder lands in DIR */
  int status = nn_test_shell("TMPDIR='%s/tmp/a/b' %s batch -q -e 1 '%s/class' --out '%s/out' "
                   "2> '%s/batch.txt'", dir, batch_nngrade, dir, dir, dir);
  snprintf(path, sizeof path, "%s/out/feedback/climber.md", dir);
  char *text = slurp(path);
  assert_non_null(text);
  if (strstr(text, "cannot be unpacked by this build") != NULL) {
    free(text);
    print_message("nngrade batch does not unpack archives yet\n");
    skip();
  }
  assert_int_equal(status, 0);
  assert_int_equal(nn_test_shell("find '%s' '%s' -name 'escaped-by-archive.txt' | grep .", batch_work,
                       batch_build), 1);
  snprintf(path, sizeof path, "%s/out/grades.csv", dir);
  char *csv = slurp(path);
  assert_non_null(csv);
  assert_close(score_of(csv, "correct"), public_total, 0);
  /* the climber: refused as a whole (and says why), or graded without the
   * entry that climbs */
  double climber = score_of(csv, "climber");
  if (climber != public_total && strstr(text, "..") == NULL) {
    print_error("climber scores %g without a word about ../ paths:\n%s\n", climber, text);
    fail();
  }
  free(csv);
  free(text);
}

int
main(void)
{
  if (!nn_test_long_wanted("test-sandbox"))
    return 77;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hostile_class_with_the_chosen_sandbox),
    cmocka_unit_test(hostile_class_without_bubblewrap),
    cmocka_unit_test(probes_share_no_kernel_state),
    cmocka_unit_test(archive_with_dotdot_paths_stays_inside),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
