/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of what nngrade batch takes from a submission and from the TA:
 * symbolic links in submission folders, calls the static check cannot see,
 * the rule of exercise 1, and the rubric's times.
 *
 * One class is built under the build tree, links made here at run time
 * (links kept in git are fragile), exercise 1 only:
 *   correct        the reference solution
 *   Doe, Jane      the same, under a name with a comma, submitted late
 *   link-out       ex01 -> a folder outside the submission (the reference)
 *   file-link-out  ex01/exercise1.c -> a file outside the submission
 *   link-inside    ex01 -> mine/ex01, whose exercise1.c -> ../real.c: links
 *                  that stay inside, which are followed
 *   calls-dlsym    ex1_dot looks cblas_ddot up with dlsym()
 *   finds-blas     ex1_dot finds cblas_ddot in the loaded libraries' symbol
 *                  tables, calling no dl* function at all
 *   calls-blas     ex1_dot calls gsl_blas_ddot
 * The rubric's deadline and the times file carry offsets from UTC and a
 * quoted name, as grades.csv writes names. Mistakes in a rubric or a times
 * file stop nngrade before it grades, naming the file and line.
 */
#include "batchtest.h"

#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

static char *
read_work(const char *name)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/%s", batch_work, name);
  char *s = nn_test_read_file(path, NULL);
  if (s == NULL)
    fail_msg("cannot read %s", path);
  return s;
}

/* Field COL (1: ex01, 2: days late, 3: factor, 4: total) of the row that
 * starts with ROW ("correct", "\"Doe, Jane\"") in CSV. */
static double
cell(const char *csv, const char *row, int col)
{
  char key[256];
  snprintf(key, sizeof key, "\n%s,", row);
  const char *p = strstr(csv, key);
  if (p == NULL)
    fail_msg("grades.csv has no row %s:\n%s", row, csv);
  p += strlen(key);
  for (int c = 1; c < col; c++) {
    p = strchr(p, ',');
    assert_non_null(p);
    p++;
  }
  return strtod(p, NULL);
}

static void
assert_says(const char *text, const char *part, const char *where)
{
  if (text == NULL || strstr(text, part) == NULL)
    fail_msg("%s does not say \"%s\":\n%s", where, part, text ? text : "(nothing)");
}

static void
write_file(const char *name, const char *text)
{
  char path[1600];
  snprintf(path, sizeof path, "%s/%s", batch_work, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
  (void) state;
  if (batch_test_setup("submissions") != 0)
    return -1;
  const char *sol = "tests/fixtures/solutions/ex01/exercise1.c";
  const char *hostile = "tests/fixtures/hostile";
  /* Relative links, so that nothing depends on where the build tree is. */
  if (nn_test_shell("rm -rf '%s' && mkdir -p '%s/elsewhere/ex01' '%s/class'", batch_work, batch_work,
                    batch_work) != 0
      || nn_test_shell("cd '%s' && cp '%s/%s' elsewhere/ex01/ && cd class && "
                       "mkdir -p correct/ex01 'Doe, Jane/ex01' link-out file-link-out/ex01 "
                       "link-inside/mine/ex01 && "
                       "cp '%s/%s' correct/ex01/ && cp '%s/%s' 'Doe, Jane/ex01/' && "
                       "ln -s ../../elsewhere/ex01 link-out/ex01 && "
                       "ln -s ../../../elsewhere/ex01/exercise1.c file-link-out/ex01/exercise1.c && "
                       "cp '%s/%s' link-inside/mine/real.c && "
                       "ln -s ../real.c link-inside/mine/ex01/exercise1.c && "
                       "ln -s mine/ex01 link-inside/ex01 && "
                       "cp -R '%s/%s/calls-dlsym' '%s/%s/finds-blas' '%s/%s/calls-blas' . && "
                       "chmod -R u+w .", batch_work, batch_src, sol, batch_src, sol, batch_src, sol, batch_src, sol,
                       batch_src, hostile, batch_src, hostile, batch_src, hostile) != 0)
    return -1;
  return 0;
}

/* ===== One batch, with links, hidden calls and a late student ===== */

static void
a_class_with_links_hidden_calls_and_late_names(void **state)
{
  (void) state;
  write_file("rubric.txt", "deadline 2026-12-01T23:59:00+01:00\n"
             "late-penalty-per-day 10\n"
             "submission-times times.csv\n");
  /* 22:59 UTC is the deadline. Jane: 1 day 11 hours late, 2 days. finds-blas:
   * 00:30 at +02:00 is 22:30 UTC the day before, on time. */
  write_file("times.csv", "student,submitted\n"
             "\"Doe, Jane\",2026-12-03 10:00\n"
             "finds-blas,2026-12-02 00:30+02:00\n"
             "correct,2026-12-01T22:59:00Z\n");
  assert_int_equal(nn_test_shell("%s batch -q -j2 -e 1 '%s/class' --out '%s/graded' "
                                 "--rubric '%s/rubric.txt' 2> '%s/batch.err'",
                                 batch_nngrade, batch_work, batch_work, batch_work, batch_work), 0);
  char *csv = read_work("graded/grades.csv");
  double full = batch_public_points(NULL), dot = batch_public_points("ex1_dot");

  assert_close(cell(csv, "correct", 1), full, 1e-12);
  assert_close(cell(csv, "correct", 3), 1.0, 0);

  /* The quoted name of grades.csv is the same student in the times file. */
  assert_close(cell(csv, "\"Doe, Jane\"", 1), full, 1e-12);
  assert_close(cell(csv, "\"Doe, Jane\"", 2), 2, 0);
  assert_close(cell(csv, "\"Doe, Jane\"", 3), 0.8, 1e-12);
  assert_close(cell(csv, "\"Doe, Jane\"", 4), 0.8 * full, 1e-12);
  char *json = read_work("graded/results/Doe%2C Jane.json");
  assert_says(json, "Late by 2 days: -20% of the total", "Jane's results.json");
  free(json);

  /* Links that lead out are refused, and the feedback names them. */
  assert_close(cell(csv, "link-out", 1), 0, 0);
  assert_close(cell(csv, "file-link-out", 1), 0, 0);
  char *fb = read_work("graded/feedback/link-out.md");
  assert_says(fb, "ex01 is a symbolic link that leads out of your submission", "feedback");
  free(fb);
  fb = read_work("graded/feedback/file-link-out.md");
  assert_says(fb, "ex01/exercise1.c is a symbolic link that leads out of your submission",
              "feedback");
  free(fb);
  /* Links that stay inside are followed. */
  assert_close(cell(csv, "link-inside", 1), full, 1e-12);

  /* dlsym is refused by name; a symbol table walked by hand finds nothing
   * to call, so ex1_dot earns nothing and the rest what it earned. The
   * offset of its time keeps it on time. */
  assert_close(cell(csv, "calls-dlsym", 1), 0, 0);
  fb = read_work("graded/feedback/calls-dlsym.md");
  assert_says(fb, "exercise1.c calls dlsym, which loads code or looks functions up at "
              "run time: not allowed (earns no points)", "feedback");
  free(fb);
  assert_close(cell(csv, "finds-blas", 1), full - dot, 1e-12);
  assert_close(cell(csv, "finds-blas", 2), 0, 0);

  /* BLAS anywhere costs the whole exercise, and the feedback says the rule
   * in the words of the README and the header. */
  assert_close(cell(csv, "calls-blas", 1), 0, 0);
  fb = read_work("graded/feedback/calls-blas.md");
  assert_says(fb, "exercise1.c calls gsl_blas_ddot", "feedback");
  const char *rule = "The rule: no gsl_blas_*, cblas_* or gsl_deriv_* anywhere in "
                     "exercise1.c, in any function; one call costs the whole exercise";
  assert_says(fb, rule, "feedback");
  free(fb);
  free(csv);
}

/* TEXT with runs of white space (and a C comment's " * " line starts)
 * made single spaces and Markdown's backticks dropped, in place. */
static char *
flatten(char *text)
{
  char *w = text;
  for (const char *r = text; *r != '\0'; r++) {
    if (*r == '`')
      continue;
    if (*r == '\n') {
      while (r[1] == ' ' || (r[1] == '*' && r[2] == ' '))
        r++;
      if (w > text && w[-1] != ' ')
        *w++ = ' ';
      continue;
    }
    *w++ = *r;
  }
  *w = '\0';
  return text;
}

static void
exercise1_states_its_rule_once_everywhere(void **state)
{
  (void) state;
  const char *rule = "The rule: no gsl_blas_*, cblas_* or gsl_deriv_* anywhere in "
                     "exercise1.c, in any function; one call costs the whole exercise";
  static const char *const files[] = {"exercises/ex01/README.md",
                                      "exercises/ex01/exercise1.h"};
  for (size_t k = 0; k < 2; k++) {
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", batch_src, files[k]);
    char *text = nn_test_read_file(path, NULL);
    assert_non_null(text);
    assert_says(flatten(text), rule, files[k]);
    /* and no rule of a narrower scope next to it */
    assert_null(strstr(text, "no BLAS (gsl_blas_*) here"));
    assert_null(strstr(text, "your own loops (no gsl_blas_*)"));
    free(text);
  }
}

/* ===== Mistakes of the TA ===== */

/* nngrade batch with RUBRIC and TIMES (NULL: none) stops with status 2
 * before grading, and says SAYS. */
static void
refused(const char *rubric, const char *times, const char *says)
{
  write_file("bad-rubric.txt", rubric);
  if (times != NULL)
    write_file("bad-times.csv", times);
  int status = nn_test_shell("%s batch -q -e 1 '%s/class' --out '%s/x' --rubric "
                             "'%s/bad-rubric.txt' 2> '%s/err'", batch_nngrade, batch_work, batch_work, batch_work,
                             batch_work);
  char *err = read_work("err");
  if (status != 2 || strstr(err, says) == NULL)
    fail_msg("rubric \"%s\", times \"%s\": status %d, expected 2 and \"%s\"; said:\n%s",
             rubric, times ? times : "", status, says, err);
  free(err);
  struct stat st;
  char path[1400];
  snprintf(path, sizeof path, "%s/x/grades.csv", batch_work);
  assert_int_not_equal(stat(path, &st), 0);  /* nothing graded */
}

static void
times_are_iso_8601_and_checked(void **state)
{
  (void) state;
  const char *with_times = "deadline 2026-12-01 23:59\nlate-penalty-per-day 10\n"
                           "submission-times bad-times.csv\n";
  refused("deadline 2026-02-31 10:00\n", NULL,
          "bad-rubric.txt:1: a deadline is a time: \"2026-02-31 10:00\" is not a date: "
          "2026-02 has 28 days");
  refused("deadline 2026-12-01 10:00 sharp\n", NULL,
          "bad-rubric.txt:1: a deadline is a time: \"2026-12-01 10:00 sharp\" is not a time");
  refused("deadline 2026-12-01 24:00\n", NULL, "bad-rubric.txt:1: a deadline is a time: "
          "\"2026-12-01 24:00\" is not a time of day");
  refused("deadline 2026-12-01T10:00+1\n", NULL, "has an offset from UTC that is not");
  refused("deadline 2026-12-1 10:00\n", NULL, "bad-rubric.txt:1: a deadline is a time");
  refused(with_times, "student,time\nalice,2026-02-31 10:00 garbage\n",
          "bad-times.csv:2: \"2026-02-31 10:00 garbage\" is not a date");
  refused(with_times, "student,time\nalice,2026-12-01 10:00 garbage\n",
          "bad-times.csv:2: \"2026-12-01 10:00 garbage\" is not a time: \" garbage\" after it");
  refused(with_times, "alice,2026-12-01 10:00\nbob,2026-02-29 10:00\n",
          "bad-times.csv:2: \"2026-02-29 10:00\" is not a date: 2026-02 has 28 days");
  refused(with_times, "alice,2026-12-01 10:00+25:00\n",
          "bad-times.csv:1: \"2026-12-01 10:00+25:00\" has an offset from UTC");
  refused(with_times, "alice,2026-12-01 10:00\n\"Doe, Jane,2026-12-01 10:00\n",
          "bad-times.csv:2: not CSV");
  refused(with_times, "alice,2026-12-01 10:00\nbob,2026-12-01,10:00\n",
          "bad-times.csv:2: expected two fields, student and time, not 3");
  refused("late-penalty-per-day 10\n", NULL,
          "bad-rubric.txt:1: a late penalty or submission times need a deadline");
  refused("exercise 1 weight 2\nsubmission-times bad-times.csv\n", "alice,2026-12-01 10:00\n",
          "bad-rubric.txt:2: a late penalty or submission times need a deadline");
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(times_are_iso_8601_and_checked),
    cmocka_unit_test(exercise1_states_its_rule_once_everywhere),
    cmocka_unit_test(a_class_with_links_hidden_calls_and_late_names),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
