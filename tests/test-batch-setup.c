/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of what stands around nngrade's grading: the grader's own setup,
 * which must work from the build tree and, when broken, stop a batch before
 * any grade is written; the output folder, which may not lie inside the
 * submissions; `nngrade check --hidden`; and the version, in the program
 * and in its man page.
 */
#include <config.h>

#include "batchtest.h"

/* The variables with which a test points nngrade at the build tree. */
static const char *const variables =
  "NNGRADE_EXERCISES_DIR NNGRADE_PROBE_DIR NNGRADE_INCLUDE_DIR "
  "NNGRADE_LIB_INCLUDE_DIR NNGRADE_REFERENCE_DIR NNGRADE_CC";

static int
setup(void **state)
{
  (void) state;
  if (batch_test_setup("batch-setup") != 0)
    return -1;
  /* one student with the reference solution, one whose ex1_dot segfaults */
  return nn_test_shell("mkdir -p '%s/class' && cp -R '%s/tests/fixtures/solutions' "
                       "'%s/class/correct' && cp -R '%s/tests/fixtures/hostile/segfault' "
                       "'%s/class/segfault' && cp -R '%s/tests/fixtures/hidden' '%s/hidden' "
                       "&& chmod -R u+w '%s'", batch_work, batch_src, batch_work,
                       batch_src, batch_work, batch_src, batch_work, batch_work) == 0
         ? 0 : -1;
}

static void
the_built_nngrade_grades_from_its_build_folder(void **state)
{
  (void) state;
  /* What a TA types after ./bootstrap: the built program, no variables. */
  char unset[512] = "env";
  char copy[512];
  snprintf(copy, sizeof copy, "%s", variables);
  for (char *v = strtok(copy, " "); v != NULL; v = strtok(NULL, " "))
    snprintf(unset + strlen(unset), sizeof unset - strlen(unset), " -u %s", v);
  assert_int_equal(nn_test_shell("cd '%s' && %s '%s/grader/nngrade' batch -q -e 1 "
                                 "'%s/class' --out '%s/tree-out' 2> '%s/tree-err'",
                                 batch_work, unset, batch_build, batch_work, batch_work,
                                 batch_work), 0);
  char *csv = batch_slurp("%s/tree-out/grades.csv", batch_work);
  assert_non_null(csv);
  double full = batch_public_points(NULL);
  assert_close(batch_cell(csv, "correct", 1), full, 0);
  assert_close(batch_cell(csv, "segfault", 1), full - batch_public_points("ex1_dot"), 0);
  free(csv);
  /* and a student's check, the same way */
  assert_int_equal(nn_test_shell("%s '%s/grader/nngrade' check -e 1 '%s/class/correct' "
                                 "> '%s/tree-check'", unset, batch_build, batch_work,
                                 batch_work), 0);
}

/* Run a batch with the variable ASSIGNMENT; it must stop with status 2 and
 * a message holding MESSAGE, before any grade is written. */
static void
batch_stops(const char *assignment, const char *message)
{
  /* the build tree's variables, then ASSIGNMENT, which wins, then nngrade */
  char env[4096];
  snprintf(env, sizeof env, "%s", batch_nngrade);
  char *program = strrchr(env, ' ');
  assert_non_null(program);
  *program++ = '\0';
  assert_int_equal(nn_test_shell("rm -rf '%s/broken-out' && %s %s %s batch -q -e 1 '%s/class' "
                                 "--out '%s/broken-out' 2> '%s/broken-err'", batch_work,
                                 env, assignment, program, batch_work, batch_work,
                                 batch_work), 2);
  char *err = batch_slurp("%s/broken-err", batch_work);
  assert_non_null(err);
  if (strstr(err, message) == NULL || strstr(err, "nothing was graded") == NULL) {
    print_error("with %s nngrade said\n%s\nnot %s\n", assignment, err, message);
    fail();
  }
  free(err);
  assert_int_equal(nn_test_shell("test ! -e '%s/broken-out/grades.csv' && test -z \"$(ls "
                                 "'%s/broken-out/.nngrade/state')\"", batch_work,
                                 batch_work), 0);
}

static void
a_broken_grader_stops_the_batch_before_any_grade(void **state)
{
  (void) state;
  /* Gradescope: no results.json (the submission shows an autograder
   * failure, which can be rerun), rather than a zero */
  char env[4096];
  snprintf(env, sizeof env, "%s", batch_nngrade);
  char *program = strrchr(env, ' ');
  assert_non_null(program);
  *program++ = '\0';
  assert_int_equal(nn_test_shell("%s NNGRADE_PROBE_DIR=/nonexistent %s gradescope "
                                 "'%s/class/correct' '%s/results.json' 2> '%s/gs-err'",
                                 env, program, batch_work, batch_work, batch_work), 2);
  assert_int_equal(nn_test_shell("test ! -e '%s/results.json' && grep -q "
                                 "'probe library /nonexistent' '%s/gs-err'", batch_work,
                                 batch_work), 0);
  /* the probe libraries, the compiler, the exercise headers: missing */
  batch_stops("NNGRADE_PROBE_DIR=/nonexistent", "probe library /nonexistent/libnngrade-ex01.a");
  batch_stops("NNGRADE_CC=/nonexistent/cc", "exercise1.c does not compile");
  char empty[1400];
  snprintf(empty, sizeof empty, "NNGRADE_EXERCISES_DIR='%s/no-exercises'", batch_work);
  assert_int_equal(nn_test_shell("mkdir -p '%s/no-exercises/ex01' && cp "
                                 "'%s/exercises/ex01/exercise1.c' '%s/no-exercises/ex01/'",
                                 batch_work, batch_src, batch_work), 0);
  batch_stops(empty, "exercise1.c does not compile");
}

static void
the_output_folder_may_not_lie_in_the_submissions(void **state)
{
  (void) state;
  static const char *const outs[] = {
    "class", "class/grades", "class/correct", "class/./new/deeper", "link-to-class/x",
  };
  assert_int_equal(nn_test_shell("ln -sfn class '%s/link-to-class'", batch_work), 0);
  for (size_t k = 0; k < sizeof outs / sizeof outs[0]; k++) {
    assert_int_equal(nn_test_shell("cd '%s' && %s batch -q -e 1 class --out '%s' "
                                   "2> out-err", batch_work, batch_nngrade, outs[k]), 2);
    char *err = batch_slurp("%s/out-err", batch_work);
    assert_non_null(err);
    if (strstr(err, "is inside the submissions folder") == NULL) {
      print_error("--out %s: nngrade said\n%s\n", outs[k], err);
      fail();
    }
    free(err);
  }
  /* nothing was written into the submissions */
  assert_int_equal(nn_test_shell("cd '%s/class' && test \"$(ls -A)\" = \"$(printf "
                                 "'correct\\nsegfault')\" && test ! -e correct/grades",
                                 batch_work), 0);
}

static void
check_grades_with_the_hidden_tests(void **state)
{
  (void) state;
  /* segfault passes one of the two hidden tests (the one not on ex1_dot) */
  assert_int_equal(nn_test_shell("%s check -e 1 --hidden '%s/hidden' '%s/class/segfault' "
                                 "> '%s/check-out'", batch_nngrade, batch_work, batch_work,
                                 batch_work), 1);
  char *out = batch_slurp("%s/check-out", batch_work);
  assert_non_null(out);
  assert_non_null(strstr(out, "Hidden tests: 1 of 2 passed, 1/3 points"));
  free(out);
  /* and the reference solution passes them all, at full marks */
  assert_int_equal(nn_test_shell("%s check -e 1 --hidden '%s/hidden' '%s/class/correct' "
                                 "> '%s/check-out'", batch_nngrade, batch_work, batch_work,
                                 batch_work), 0);
  out = batch_slurp("%s/check-out", batch_work);
  assert_non_null(out);
  assert_non_null(strstr(out, "Hidden tests: 2 of 2 passed, 3/3 points"));
  free(out);
}

static void
the_version_is_in_the_program_and_its_man_page(void **state)
{
  (void) state;
  assert_int_equal(nn_test_shell("%s --version > '%s/version'", batch_nngrade, batch_work), 0);
  char *out = batch_slurp("%s/version", batch_work);
  assert_non_null(out);
  assert_string_equal(out, "nngrade (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
  free(out);
  char *man = batch_slurp("%s/grader/nngrade.1", batch_src);
  assert_non_null(man);
  char *th = strstr(man, "\n.TH NNGRADE 1 ");  /* the title line, after the comments */
  assert_non_null(th);
  char *eol = strchr(th + 1, '\n');
  assert_non_null(eol);
  *eol = '\0';
  assert_non_null(strstr(th, "\"" PACKAGE_NAME " " PACKAGE_VERSION "\""));
  free(man);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_built_nngrade_grades_from_its_build_folder),
    cmocka_unit_test(a_broken_grader_stops_the_batch_before_any_grade),
    cmocka_unit_test(the_output_folder_may_not_lie_in_the_submissions),
    cmocka_unit_test(check_grades_with_the_hidden_tests),
    cmocka_unit_test(the_version_is_in_the_program_and_its_man_page),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
