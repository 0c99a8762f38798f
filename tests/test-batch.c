/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "batchtest.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int
setup(void **state)
{
  (void) state;
  const char *fx = "tests/fixtures";
  if (batch_test_setup("batch") != 0
      || nn_test_shell("mkdir -p '%s/class/stubs/ex01'", batch_work) != 0
      || nn_test_shell("cp -R '%s/%s/solutions' '%s/class/correct'", batch_src, fx, batch_work) != 0
      || nn_test_shell("cp -R '%s/%s/hostile/segfault' '%s/class/segfault'", batch_src, fx, batch_work) != 0
      || nn_test_shell("cp '%s/exercises/ex01/exercise1.c' '%s/class/stubs/ex01/'", batch_src, batch_work) != 0
      || nn_test_shell("cp -R '%s/%s/hidden' '%s/hidden'", batch_src, fx, batch_work) != 0
      || nn_test_shell("chmod -R u+w '%s'", batch_work) != 0)
    return -1;
  return 0;
}

static void
hidden_tests_and_rubric_make_the_grade(void **state)
{
  (void) state;
  FILE *f;
  char path[1400];
  snprintf(path, sizeof path, "%s/times.csv", batch_work);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("student,time\ncorrect,2026-12-01 23:00\nsegfault,2026-12-03 08:00\n", f);
  fclose(f);
  snprintf(path, sizeof path, "%s/rubric.txt", batch_work);
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
                       batch_nngrade, batch_work, batch_work, batch_work, batch_work), 0);
  char *csv = batch_slurp("%s/graded/grades.csv", batch_work);
  assert_non_null(csv);
  /* RFC 4180: every line ends in CRLF */
  assert_true(strncmp(csv, "student,ex01,days_late,late_factor,total\r\n", 42) == 0);
  assert_non_null(strstr(csv, "\ncorrect,"));
  for (const char *p = strchr(csv, '\n'); p != NULL; p = strchr(p + 1, '\n'))
    assert_true(p > csv && p[-1] == '\r');

  /* The rubric makes dot_multiplies_then_sums worth 3 instead of 1. */
  double all = batch_public_points(NULL) + 2.0, dot = batch_public_points("ex1_dot") + 2.0;
  double hidden = 2.0 + 1.0;
  double full = batch_public_points(NULL) + 2.0 + hidden;  /* points of exercise 1 */
  (void) all;
  assert_close(batch_cell(csv, "correct", 1), 2 * full, 1e-12);
  assert_close(batch_cell(csv, "correct", 2), 0, 0);           /* on time */
  assert_close(batch_cell(csv, "correct", 4), 2 * full, 1e-12);
  /* segfault: every test about ex1_dot fails (public and hidden), and it is
   * late by 1 day 8 hours: 2 days, 20% off */
  double earned = full - (dot + 2.0);
  assert_close(batch_cell(csv, "segfault", 1), 2 * earned, 1e-12);
  assert_close(batch_cell(csv, "segfault", 2), 2, 0);
  assert_close(batch_cell(csv, "segfault", 3), 0.8, 1e-12);
  assert_close(batch_cell(csv, "segfault", 4), 0.8 * 2 * earned, 1e-12);
  assert_close(batch_cell(csv, "stubs", 4), 0, 0);
  free(csv);

  /* Feedback: hidden tests as a count and a score, not by name. */
  char *fb = batch_slurp("%s/graded/feedback/segfault.md", batch_work);
  assert_non_null(fb);
  assert_non_null(strstr(fb, "Hidden tests: 1 of 2 passed, 1/3 points"));
  assert_null(strstr(fb, "dot_of_long_vectors"));
  assert_non_null(strstr(fb, "Late by 2 days"));
  free(fb);

  /* Gradescope's schema: the fields each test needs. */
  char *json = batch_slurp("%s/graded/results/correct.json", batch_work);
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
  char *summary = batch_slurp("%s/graded/summary.md", batch_work);
  assert_non_null(summary);
  assert_non_null(strstr(summary, "| 1. Vectors, matrices and derivatives | 3 |"));
  assert_non_null(strstr(summary, "The tests most students fail"));
  free(summary);
  struct stat st;
  snprintf(path, sizeof path, "%s/graded/summary/scores-ex01.gp", batch_work);
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
                       "|| exit 1; done", batch_work, batch_work, batch_work), 0);
  assert_int_equal(nn_test_shell("%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
                       "--out '%s/whole'", batch_nngrade, batch_work, batch_work), 0);
  char *whole = batch_slurp("%s/whole/grades.csv", batch_work);
  assert_non_null(whole);

  /* The same class, killed with SIGKILL (its workers too) once a few
   * students are graded. */
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
           "--out '%s/killed'", batch_nngrade, batch_work, batch_work);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", cmd, (char *) NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  char state_dir[1400];
  snprintf(state_dir, sizeof state_dir, "%s/killed/.nngrade/state", batch_work);
  /* However slow the machine, wait until three students are graded (the
   * time limit is only there to end a test that hangs). */
  int graded = 0;
  time_t give_up = time(NULL) + 600;
  while (!graded && time(NULL) < give_up) {
    usleep(20000);
    char count[1600];
    snprintf(count, sizeof count, "test $(ls '%s' 2>/dev/null | grep -c 'state$') -ge 3",
             state_dir);
    graded = nn_test_shell("%s", count) == 0;
  }
  kill(-pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
  assert_true(WIFSIGNALED(status));
  assert_true(graded);
  /* killed half-way: some students graded, not all */
  assert_int_equal(nn_test_shell("test $(ls '%s' | grep -c 'state$') -lt 16", state_dir), 0);

  /* Resume: the same command grades the rest; grades.csv is the same. */
  assert_int_equal(nn_test_shell("%s batch -q -j2 --cpu-limit 1 --wall-limit 3 '%s/big' "
                       "--out '%s/killed'", batch_nngrade, batch_work, batch_work), 0);
  char *resumed = batch_slurp("%s/killed/grades.csv", batch_work);
  assert_non_null(resumed);
  assert_string_equal(resumed, whole);
  /* 16 rows and a header, each student once */
  assert_int_equal(batch_lines(resumed), 17);
  free(resumed);
  free(whole);
}

static void
gradescope_writes_results_json(void **state)
{
  (void) state;
  /* Laid out like Gradescope's /autograder: submission/ and results/. */
  assert_int_equal(nn_test_shell("mkdir -p '%s/autograder/results' && cp -R '%s/class/segfault' "
                       "'%s/autograder/submission'", batch_work, batch_work, batch_work), 0);
  assert_int_equal(nn_test_shell("%s gradescope '%s/autograder/submission' "
                       "'%s/autograder/results/results.json'", batch_nngrade, batch_work, batch_work), 0);
  char *json = batch_slurp("%s/autograder/results/results.json", batch_work);
  assert_non_null(json);
  char want[128];
  snprintf(want, sizeof want, "\"score\": %g,", batch_public_points(NULL) - batch_public_points("ex1_dot"));
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
                       batch_work, batch_work, batch_work, batch_src, batch_work, batch_work, batch_work, batch_work, batch_work), 0);
  char *env = strdup(batch_nngrade);
  assert_non_null(env);
  char *last = strrchr(env, ' ');  /* the variables, without the program */
  assert_non_null(last);
  *last = '\0';
  int status = nn_test_shell("%s AUTOGRADER_ROOT='%s/ag' NNGRADE='%s/grader/nngrade' "
                   "sh '%s/ag/source/run_autograder'", env, batch_work, batch_build, batch_work);
  free(env);
  assert_int_equal(status, 0);
  char *json = batch_slurp("%s/ag/results/results.json", batch_work);
  assert_non_null(json);
  char want[128];
  snprintf(want, sizeof want, "\"score\": %g,", batch_public_points(NULL) + 3);
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
                       batch_work, batch_work, batch_work, batch_work, batch_work, batch_work, batch_work, batch_work, batch_work, batch_work, batch_work), 0);
  assert_int_equal(nn_test_shell("%s batch -q -e 1 '%s/arch/in' --out '%s/arch/out' 2> '%s/arch/err'",
                       batch_nngrade, batch_work, batch_work, batch_work), 0);
  char *csv = batch_slurp("%s/arch/out/grades.csv", batch_work);
  assert_non_null(csv);
  double full = batch_public_points(NULL);
  assert_close(batch_cell(csv, "alice", 1), full - batch_public_points("ex1_dot"), 0);
  assert_close(batch_cell(csv, "bob", 1), full, 0);
  assert_close(batch_cell(csv, "carol", 1), full, 0);
  assert_null(strstr(csv, "README"));
  free(csv);
  char *err = batch_slurp("%s/arch/err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "README.txt: not a folder, .tar.gz or .zip: skipped"));
  free(err);
}

static void
setup_mistakes_are_named(void **state)
{
  (void) state;
  char path[1400];
  snprintf(path, sizeof path, "%s/bad-rubric.txt", batch_work);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("exercise 1 weight 2\nexercise 1 test no_such_test 3\n", f);
  fclose(f);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --rubric '%s' 2> '%s/err'",
                       batch_nngrade, batch_work, batch_work, path, batch_work), 2);
  char *err = batch_slurp("%s/err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "bad-rubric.txt:2: exercise 1 has no test \"no_such_test\""));
  free(err);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("deadline tomorrow\n", f);
  fclose(f);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --rubric '%s' 2> '%s/err'",
                       batch_nngrade, batch_work, batch_work, path, batch_work), 2);
  err = batch_slurp("%s/err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "bad-rubric.txt:1: a deadline"));
  free(err);
  /* hidden tests that do not compile */
  assert_int_equal(nn_test_shell("mkdir -p '%s/bad-hidden/ex01' && echo 'this is not C' > "
                       "'%s/bad-hidden/ex01/t.c'", batch_work, batch_work), 0);
  assert_int_equal(nn_test_shell("%s batch -q '%s/class' --out '%s/x' --hidden '%s/bad-hidden' "
                       "2> '%s/err'", batch_nngrade, batch_work, batch_work, batch_work, batch_work), 2);
  err = batch_slurp("%s/err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "do not compile"));
  free(err);
}

int
main(void)
{
  if (!nn_test_long_wanted("test-batch"))
    return 77;
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
