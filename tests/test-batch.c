/* Tests of nngrade batch as a TA uses it: hidden tests, a rubric with
 * weights and a late penalty, Gradescope's results.json, the summary, and a
 * batch that is killed half-way and resumed.
 *
 * The class is built under the build tree from the fixtures: the reference
 * solution, the stubs, and the submission whose ex1_dot segfaults. Expected
 * scores come from `nngrade list` (the points of each test) and from the
 * hidden fixture's table (dot_of_long_vectors 2 points, about ex1_dot;
 * poly_derivative_in_place 1 point).
 */
#include "nntest.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char src[1024], build[1024], nngrade[4096], work[1200];

static char *
slurp(const char *fmt, ...)
{
  char path[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(path, sizeof path, fmt, ap);
  va_end(ap);
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t) n + 1);
  if (s != NULL) {
    size_t got = fread(s, 1, (size_t) n, f);
    s[got] = '\0';
  }
  fclose(f);
  return s;
}

/* Points of exercise 1's public tests, in all and about FUNCTION. */
static double
public_points(const char *function)
{
  char path[1400], line[512], name[200], fn[200];
  snprintf(path, sizeof path, "%s/list.txt", work);
  assert_int_equal(nn_test_shell("%s list > '%s'", nngrade, path), 0);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  double pts, sum = 0;
  int in_ex1 = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "Exercise", 8) == 0)
      in_ex1 = strncmp(line, "Exercise 1:", 11) == 0;
    else if (in_ex1 && sscanf(line, " %199s %199s %lf", name, fn, &pts) == 3
             && (function == NULL || strcmp(fn, function) == 0))
      sum += pts;
  }
  fclose(f);
  return sum;
}

/* Field COL (0: student) of STUDENT's row of CSV; NAN when absent. */
static double
cell(const char *csv, const char *student, int col)
{
  char key[256];
  snprintf(key, sizeof key, "\n%s,", student);
  const char *p = strstr(csv, key);
  if (p == NULL)
    return NAN;
  p += strlen(key);
  for (int c = 1; c < col; c++) {
    p = strchr(p, ',');
    if (p == NULL)
      return NAN;
    p++;
  }
  return strtod(p, NULL);
}

static int
setup(void **state)
{
  (void) state;
  const char *s = getenv("NN_TOP_SRCDIR"), *b = getenv("NN_TOP_BUILDDIR");
  if (s == NULL || b == NULL)
    return -1;
  snprintf(src, sizeof src, "%s", s);
  snprintf(build, sizeof build, "%s", b);
  snprintf(nngrade, sizeof nngrade,
           "NNGRADE_EXERCISES_DIR='%s/exercises' NNGRADE_PROBE_DIR='%s/grader' "
           "NNGRADE_INCLUDE_DIR='%s/grader' NNGRADE_LIB_INCLUDE_DIR='%s/lib' "
           "'%s/grader/nngrade'", src, build, src, src, build);
  snprintf(work, sizeof work, "%s/tests/out/batch", build);
  const char *fx = "tests/fixtures";
  if (nn_test_shell("rm -rf '%s' && mkdir -p '%s/class/stubs/ex01'", work, work) != 0
      || nn_test_shell("cp -R '%s/%s/solutions' '%s/class/correct'", src, fx, work) != 0
      || nn_test_shell("cp -R '%s/%s/hostile/segfault' '%s/class/segfault'", src, fx, work) != 0
      || nn_test_shell("cp '%s/exercises/ex01/exercise1.c' '%s/class/stubs/ex01/'", src, work) != 0
      || nn_test_shell("cp -R '%s/%s/hidden' '%s/hidden'", src, fx, work) != 0
      || nn_test_shell("chmod -R u+w '%s'", work) != 0)
    return -1;
  return 0;
}

static void
hidden_tests_and_rubric_make_the_grade(void **state)
{
  (void) state;
  FILE *f;
  char path[1400];
  snprintf(path, sizeof path, "%s/times.csv", work);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("student,time\ncorrect,2026-12-01 23:00\nsegfault,2026-12-03 08:00\n", f);
  fclose(f);
  snprintf(path, sizeof path, "%s/rubric.txt", work);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("# exercise 1 counts double; one public test is worth 3\n"
        "exercise 1 weight 2\n"
        "exercise 1 test dot_multiplies_then_sums 3\n"
        "deadline 2026-12-01 23:59\n"
        "late-penalty-per-day 10\n"
        "late-penalty-max 50\n"
        "submission-times times.csv\n", f);
  fclose(f);
  /* exercise 1 only: its column, the late columns and the total */
  assert_int_equal(nn_test_shell("%s batch -q -j2 -e 1 --cpu-limit 1 --wall-limit 3 '%s/class' "
                       "--out '%s/graded' --hidden '%s/hidden' --rubric '%s/rubric.txt'",
                       nngrade, work, work, work, work), 0);
  char *csv = slurp("%s/graded/grades.csv", work);
  assert_non_null(csv);
  assert_true(strncmp(csv, "student,ex01,days_late,late_factor,total\n", 41) == 0);

  /* The rubric makes dot_multiplies_then_sums worth 3 instead of 1. */
  double all = public_points(NULL) + 2.0, dot = public_points("ex1_dot") + 2.0;
  double hidden = 2.0 + 1.0;
  double full = public_points(NULL) + 2.0 + hidden;  /* points of exercise 1 */
  (void) all;
  assert_close(cell(csv, "correct", 1), 2 * full, 1e-12);
  assert_close(cell(csv, "correct", 2), 0, 0);           /* on time */
  assert_close(cell(csv, "correct", 4), 2 * full, 1e-12);
  /* segfault: every test about ex1_dot fails (public and hidden), and it is
   * late by 1 day 8 hours: 2 days, 20% off */
  double earned = full - (dot + 2.0);
  assert_close(cell(csv, "segfault", 1), 2 * earned, 1e-12);
  assert_close(cell(csv, "segfault", 2), 2, 0);
  assert_close(cell(csv, "segfault", 3), 0.8, 1e-12);
  assert_close(cell(csv, "segfault", 4), 0.8 * 2 * earned, 1e-12);
  assert_close(cell(csv, "stubs", 4), 0, 0);
  free(csv);

  /* Feedback: hidden tests as a count and a score, not by name. */
  char *fb = slurp("%s/graded/feedback/segfault.md", work);
  assert_non_null(fb);
  assert_non_null(strstr(fb, "Hidden tests: 1 of 2 passed, 1/3 points"));
  assert_null(strstr(fb, "dot_of_long_vectors"));
  assert_non_null(strstr(fb, "Late by 2 days"));
  free(fb);

  /* Gradescope's schema: the fields each test needs. */
  char *json = slurp("%s/graded/results/correct.json", work);
  assert_non_null(json);
  static const char *const fields[] = {"\"score\": ", "\"max_score\": ",
    "\"execution_time\": ", "\"tests\": [", "\"name\": \"Exercise 1: ",
    "\"number\": \"1.1\"", "\"status\": \"passed\"", "\"output\": ",
    "\"visibility\": \"after_published\"", "\"visibility\": \"visible\""};
  for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
    if (strstr(json, fields[k]) == NULL) {
      print_error("results.json lacks %s\n", fields[k]);
      fail();
    }
  free(json);

  /* The summary and its histogram. */
  char *summary = slurp("%s/graded/summary.md", work);
  assert_non_null(summary);
  assert_non_null(strstr(summary, "| 1. Vectors, matrices and derivatives | 3 |"));
  assert_non_null(strstr(summary, "The tests most students fail"));
  free(summary);
  struct stat st;
  snprintf(path, sizeof path, "%s/graded/summary/scores-ex01.gp", work);
  assert_int_equal(stat(path, &st), 0);
}

static void
a_batch_killed_half_way_resumes_to_the_same_grades(void **state)
{
  (void) state;
  /* A class of 16: solutions, stubs and segfaults, in turn. */
  assert_int_equal(nn_test_shell("mkdir -p '%s/big' && for i in $(seq 1 16); do "
                       "case $((i %% 3)) in 0) s=correct;; 1) s=stubs;; *) s=segfault;; "
                       "esac; cp -R '%s/class/'$s '%s/big/'$(printf 'student%%02d' $i) "
                       "|| exit 1; done", work, work, work), 0);
  assert_int_equal(nn_test_shell("%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
                       "--out '%s/whole'", nngrade, work, work), 0);
  char *whole = slurp("%s/whole/grades.csv", work);
  assert_non_null(whole);

  /* The same class, killed with SIGKILL (its workers too) once a few
   * students are graded. */
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
           "--out '%s/killed'", nngrade, work, work);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  char state_dir[1400];
  snprintf(state_dir, sizeof state_dir, "%s/killed/.nngrade/state", work);
  int graded = 0;
  for (int tries = 0; tries < 600 && graded < 3; tries++) {
    usleep(20000);
    char count[1600];
    snprintf(count, sizeof count, "test $(ls '%s' 2>/dev/null | grep -c 'state$') -ge 3",
             state_dir);
    graded = nn_test_shell("%s", count) == 0 ? 3 : 0;
  }
  kill(-pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFSIGNALED(status));
  assert_int_equal(graded, 3);
  /* killed half-way: some students graded, not all */
  assert_int_equal(nn_test_shell("test $(ls '%s' | grep -c 'state$') -lt 16", state_dir), 0);

  /* Resume: the same command grades the rest; grades.csv is the same. */
  assert_int_equal(nn_test_shell("%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
                       "--out '%s/killed'", nngrade, work, work), 0);
  char *resumed = slurp("%s/killed/grades.csv", work);
  assert_non_null(resumed);
  assert_string_equal(resumed, whole);
  /* 16 rows and a header, each student once */
  size_t lines = 0;
  for (const char *p = resumed; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 17);
  free(resumed);
  free(whole);
}

static void
gradescope_writes_results_json(void **state)
{
  (void) state;
  /* Laid out like Gradescope's /autograder: submission/ and results/. */
  assert_int_equal(nn_test_shell("mkdir -p '%s/autograder/results' && cp -R '%s/class/segfault' "
                       "'%s/autograder/submission'", work, work, work), 0);
  assert_int_equal(nn_test_shell("%s gradescope '%s/autograder/submission' "
                       "'%s/autograder/results/results.json'", nngrade, work, work), 0);
  char *json = slurp("%s/autograder/results/results.json", work);
  assert_non_null(json);
  char want[128];
  snprintf(want, sizeof want, "\"score\": %g,", public_points(NULL) - public_points("ex1_dot"));
  assert_non_null(strstr(json, want));
  assert_non_null(strstr(json, "segmentation fault"));
  free(json);
}

static void
run_autograder_works_in_a_gradescope_layout(void **state)
{
  (void) state;
  /* /autograder/source holds the autograder (with hidden tests), and
   * /autograder/submission what the student uploaded: here the files of
   * the reference solution, without their folder. */
  assert_int_equal(nn_test_shell("rm -rf '%s/ag' && mkdir -p '%s/ag/source' '%s/ag/submission' && "
                       "cp '%s/grader/gradescope/run_autograder' '%s/ag/source/' && "
                       "cp -R '%s/hidden' '%s/ag/source/hidden' && "
                       "cp '%s/class/correct/ex01/exercise1.c' '%s/ag/submission/'",
                       work, work, work, src, work, work, work, work, work), 0);
  char *env = strdup(nngrade);
  assert_non_null(env);
  char *last = strrchr(env, ' ');  /* the variables, without the program */
  assert_non_null(last);
  *last = '\0';
  int status = nn_test_shell("%s AUTOGRADER_ROOT='%s/ag' NNGRADE='%s/grader/nngrade' "
                   "sh '%s/ag/source/run_autograder'", env, work, build, work);
  free(env);
  assert_int_equal(status, 0);
  char *json = slurp("%s/ag/results/results.json", work);
  assert_non_null(json);
  char want[128];
  snprintf(want, sizeof want, "\"score\": %g,", public_points(NULL) + 3);
  assert_non_null(strstr(json, want));
  assert_non_null(strstr(json, "hidden: dot_of_long_vectors"));
  free(json);
}

static void
archives_are_graded_like_folders(void **state)
{
  (void) state;
  /* alice.tar.gz holds ex01/exercise1.c; bob.zip holds bob/ex01/exercise1.c
   * (one folder at the top, as zipping a folder makes); carol is a folder. */
  assert_int_equal(nn_test_shell("rm -rf '%s/arch' && mkdir -p '%s/arch/in' '%s/arch/bob' && "
                       "cp -R '%s/class/correct/ex01' '%s/arch/bob/' && "
                       "tar czf '%s/arch/in/alice.tar.gz' -C '%s/class/segfault' ex01 && "
                       "(cd '%s/arch' && zip -qr in/bob.zip bob) && "
                       "cp -R '%s/class/correct' '%s/arch/in/carol' && "
                       "echo 'not a submission' > '%s/arch/in/README.txt'",
                       work, work, work, work, work, work, work, work, work, work, work), 0);
  assert_int_equal(nn_test_shell("%s batch -q -e 1 '%s/arch/in' --out '%s/arch/out' 2> '%s/arch/err'",
                       nngrade, work, work, work), 0);
  char *csv = slurp("%s/arch/out/grades.csv", work);
  assert_non_null(csv);
  double full = public_points(NULL);
  assert_close(cell(csv, "alice", 1), full - public_points("ex1_dot"), 0);
  assert_close(cell(csv, "bob", 1), full, 0);
  assert_close(cell(csv, "carol", 1), full, 0);
  assert_null(strstr(csv, "README"));
  free(csv);
  char *err = slurp("%s/arch/err", work);
  assert_non_null(err);
  assert_non_null(strstr(err, "README.txt: not a folder, .tar.gz or .zip: skipped"));
  free(err);
}

static void
setup_mistakes_are_named(void **state)
{
  (void) state;
  char path[1400];
  snprintf(path, sizeof path, "%s/bad-rubric.txt", work);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("exercise 1 weight 2\nexercise 1 test no_such_test 3\n", f);
  fclose(f);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --rubric '%s' 2> '%s/err'",
                       nngrade, work, work, path, work), 2);
  char *err = slurp("%s/err", work);
  assert_non_null(err);
  assert_non_null(strstr(err, "bad-rubric.txt:2: exercise 1 has no test \"no_such_test\""));
  free(err);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("deadline tomorrow\n", f);
  fclose(f);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --rubric '%s' 2> '%s/err'",
                       nngrade, work, work, path, work), 2);
  err = slurp("%s/err", work);
  assert_non_null(err);
  assert_non_null(strstr(err, "bad-rubric.txt:1: a deadline"));
  free(err);
  /* hidden tests that do not compile */
  assert_int_equal(nn_test_shell("mkdir -p '%s/bad-hidden/ex01' && echo 'this is not C' > "
                       "'%s/bad-hidden/ex01/t.c'", work, work), 0);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --hidden '%s/bad-hidden' "
                       "2> '%s/err'", nngrade, work, work, work, work), 2);
  err = slurp("%s/err", work);
  assert_non_null(err);
  assert_non_null(strstr(err, "do not compile"));
  free(err);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hidden_tests_and_rubric_make_the_grade),
    cmocka_unit_test(a_batch_killed_half_way_resumes_to_the_same_grades),
    cmocka_unit_test(gradescope_writes_results_json),
    cmocka_unit_test(run_autograder_works_in_a_gradescope_layout),
    cmocka_unit_test(archives_are_graded_like_folders),
    cmocka_unit_test(setup_mistakes_are_named),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
