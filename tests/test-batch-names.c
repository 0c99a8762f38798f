/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nngrade batch on the names of a class and on its roster: every
 * submission keeps its own row under its own name, whatever bytes the name
 * holds; names reach the terminal escaped; grades.csv guards against
 * spreadsheet formulas but never changes a key a gradebook matches on; and
 * with a roster, students without a submission are listed, not lost.
 *
 * Each student hands in the reference solution of exercise 1 (or the stub,
 * or the submission whose ex1_dot segfaults), and only exercise 1 is
 * graded, so that a class of nine stays quick.
 */
#include "batchtest.h"

#include <dirent.h>
#include <sys/stat.h>

/* Make the entry NAME of the class folder CLASS: a copy of exercise 1 of
 * the fixture submission FIXTURE (solutions, hostile/segfault) or, for
 * "stub", of the stub. NAME may hold any byte but '/' and NUL. */
static void
make_student(const char *class, const char *name, const char *fixture)
{
  char dir[2048];
  snprintf(dir, sizeof dir, "%s/%s/%s", batch_work, class, name);
  assert_int_equal(mkdir(dir, 0755), 0);
  if (strcmp(fixture, "stub") == 0)
    assert_int_equal(nn_test_shell("mkdir '%s/ex01' && cp '%s/exercises/ex01/exercise1.c' "
                                   "'%s/ex01/'", dir, batch_src, dir), 0);
  else
    assert_int_equal(nn_test_shell("cp -R '%s/tests/fixtures/%s/ex01' '%s/' && chmod -R "
                                   "u+w '%s'", batch_src, fixture, dir, dir), 0);
}

/* The number of entries of the folder PATH, but . and .. */
static int
count_files(const char *path)
{
  DIR *d = opendir(path);
  assert_non_null(d);
  int n = 0;
  struct dirent *x;
  while ((x = readdir(d)) != NULL)
    n += strcmp(x->d_name, ".") != 0 && strcmp(x->d_name, "..") != 0;
  closedir(d);
  return n;
}

/* Names that a file system takes but a naive grader mixes up, or that
 * would forge nngrade's output: each its own row, feedback and results. */
static const char *const names[] = {
  "Lê Văn An", "Lý Văn An",             /* the same after [A-Za-z0-9._-] */
  "Doe, Jane", "Doe; Jane",              /* the same too, and a comma */
  "evil\nnngrade: graded everyone (99 of 99)",  /* a forged line */
  "\x1b[2Jclear",                        /* clears the TA's screen */
  "\tTab", "\rCarriage", "=HYPERLINK(1)",   /* formulas for a spreadsheet */
  "bad\xff\xfe", "50%", "50%25",         /* not UTF-8; and an escape's look-alike */
};
#define N_NAMES (sizeof names / sizeof names[0])

static int
setup(void **state)
{
  (void) state;
  return batch_test_setup("batch-names");
}

static void
every_name_keeps_its_own_row_and_is_escaped_on_the_terminal(void **state)
{
  (void) state;
  assert_int_equal(nn_test_shell("mkdir '%s/names'", batch_work), 0);
  for (size_t k = 0; k < N_NAMES; k++)
    make_student("names", names[k], "solutions");
  /* not quiet: the progress lines name every student */
  assert_int_equal(nn_test_shell("%s batch -j2 -e 1 '%s/names' --out '%s/names-out' "
                                 "2> '%s/names-err'", batch_nngrade, batch_work,
                                 batch_work, batch_work), 0);
  char *csv = batch_slurp("%s/names-out/grades.csv", batch_work);
  assert_non_null(csv);
  double full = batch_public_points(NULL);
  char want[256];
  /* every name in its row, at full marks; quoted when it holds a comma or
   * a line break, and with an apostrophe when it starts like a formula */
  static const char *const rows[] = {
    "\nLê Văn An,", "\nLý Văn An,", "\n\"Doe, Jane\",", "\nDoe; Jane,",
    "\n\"evil\nnngrade: graded everyone (99 of 99)\",", "\n\x1b[2Jclear,",
    "\n\"'\tTab\",", "\n\"'\rCarriage\",", "\n\"'=HYPERLINK(1)\",", "\nbad\xff\xfe,",
    "\n50%,", "\n50%25,",
  };
  for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
    snprintf(want, sizeof want, "%s%g,%g\r\n", rows[k], full, full);
    if (strstr(csv, want) == NULL) {
      print_error("grades.csv lacks the row %s", want);
      fail();
    }
  }
  /* a header and one row each (a name with a newline adds a line) */
  assert_int_equal(batch_lines(csv), 1 + N_NAMES + 1);
  free(csv);
  char path[1400];
  snprintf(path, sizeof path, "%s/names-out/feedback", batch_work);
  assert_int_equal(count_files(path), (int) N_NAMES);
  snprintf(path, sizeof path, "%s/names-out/results", batch_work);
  assert_int_equal(count_files(path), (int) N_NAMES);
  /* file names a TA can read */
  char *fb = batch_slurp("%s/names-out/feedback/Lê Văn An.md", batch_work);
  assert_non_null(fb);
  free(fb);
  fb = batch_slurp("%s/names-out/feedback/Doe%%2C Jane.md", batch_work);
  assert_non_null(fb);
  free(fb);

  /* The terminal: no line forged, no escape sequence, no byte that is not
   * UTF-8; the names shown escaped. */
  char *err = batch_slurp("%s/names-err", batch_work);
  assert_non_null(err);
  assert_null(strstr(err, "\nnngrade: graded everyone"));
  assert_null(strchr(err, '\x1b'));
  assert_null(strchr(err, '\r'));
  assert_null(strstr(err, "\xff"));
  assert_non_null(strstr(err, "evil\\nnngrade: graded everyone (99 of 99)"));
  assert_non_null(strstr(err, "\\x1b[2Jclear"));
  assert_non_null(strstr(err, "bad\\xff\\xfe"));
  assert_non_null(strstr(err, "\\tTab"));
  free(err);
}

static void
one_student_twice_stops_the_batch(void **state)
{
  (void) state;
  assert_int_equal(nn_test_shell("mkdir '%s/twice'", batch_work), 0);
  make_student("twice", "alice", "solutions");
  make_student("twice", "bob", "solutions");
  assert_int_equal(nn_test_shell("cd '%s/twice' && cp -R alice tmp && (cd tmp && zip -qr "
                                 "../alice.zip .) && rm -rf tmp", batch_work), 0);
  assert_int_equal(nn_test_shell("%s batch -q -e 1 '%s/twice' --out '%s/twice-out' "
                                 "2> '%s/twice-err'", batch_nngrade, batch_work,
                                 batch_work, batch_work), 2);
  char *err = batch_slurp("%s/twice-err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "twice/alice and "));
  assert_non_null(strstr(err, "twice/alice.zip are both the submission of alice"));
  free(err);
  char *csv = batch_slurp("%s/twice-out/grades.csv", batch_work);
  assert_null(csv);  /* nobody graded: not even bob */
}

static void
a_roster_adds_its_columns_and_its_missing_students(void **state)
{
  (void) state;
  assert_int_equal(nn_test_shell("mkdir '%s/class'", batch_work), 0);
  make_student("class", "correct", "solutions");
  make_student("class", "segfault", "hostile/segfault");
  make_student("class", "stubs", "stub");
  char path[1400];
  snprintf(path, sizeof path, "%s/roster.csv", batch_work);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  /* a spreadsheet's export: a byte-order mark, CRLF, quotes; zoe handed in
   * nothing, stubs is not on the roster, and one ID looks like a formula */
  fputs("\xef\xbb\xbfsubmission,id,email,section\r\n"
        "zoe,s003,zoe@example.edu,\"A, morning\"\r\n"
        "correct,s001,correct@example.edu,A\r\n"
        "segfault,-42,seg@example.edu,B\r\n", f);
  fclose(f);
  assert_int_equal(nn_test_shell("%s batch -q -e 1 '%s/class' --out '%s/class-out' "
                                 "--roster '%s' 2> '%s/class-err'", batch_nngrade,
                                 batch_work, batch_work, path, batch_work), 0);
  char *csv = batch_slurp("%s/class-out/grades.csv", batch_work);
  assert_non_null(csv);
  double full = batch_public_points(NULL), dot = batch_public_points("ex1_dot");
  char want[512];
  assert_true(strncmp(csv, "student,id,email,section,ex01,total,status\r\n", 44) == 0);
  snprintf(want, sizeof want, "\ncorrect,\"s001\",\"correct@example.edu\",A,%g,%g,"
           "graded\r\n", full, full);
  assert_non_null(strstr(csv, want));
  /* the ID is the gradebook's key: exactly as in the roster */
  snprintf(want, sizeof want, "\nsegfault,\"-42\",\"seg@example.edu\",B,%g,%g,graded\r\n",
           full - dot, full - dot);
  assert_non_null(strstr(csv, want));
  assert_non_null(strstr(csv, "\nstubs,,,,0,0,not on roster\r\n"));
  assert_non_null(strstr(csv, "\nzoe,\"s003\",\"zoe@example.edu\",\"A, morning\",0,0,"
                         "missing\r\n"));
  assert_int_equal(batch_lines(csv), 5);
  free(csv);
  char *err = batch_slurp("%s/class-err", batch_work);
  assert_non_null(err);
  assert_non_null(strstr(err, "stubs: a submission not on the roster"));
  assert_non_null(strstr(err, "zoe: on the roster, but no submission"));
  assert_non_null(strstr(err, "roster.csv:4: the id -42 starts with a character a "
                         "spreadsheet may take for a formula"));
  free(err);
  char *summary = batch_slurp("%s/class-out/summary.md", batch_work);
  assert_non_null(summary);
  assert_non_null(strstr(summary, "No submission:\n\n- zoe\n"));
  assert_non_null(strstr(summary, "Not on the roster:\n\n- stubs\n"));
  free(summary);
}

static void
roster_mistakes_are_named_before_grading(void **state)
{
  (void) state;
  static const struct {
    const char *text, *message;
  } cases[] = {
    {"correct,s001,c@example.edu,A\n",
     "roster.csv:1: the first line must name the columns submission,id,email,section"},
    {"submission,id,email,section\ncorrect,s001,c@example.edu,A\nsegfault,s001,s@x,B\n",
     "roster.csv:3: the id s001 is also on line 2"},
    {"submission,id,email,section\ncorrect,s001,c@example.edu\n",
     "roster.csv:2: a row of 3 fields; the roster has four columns"},
    {"submission,id,email,section\ncorrect,\"s001,c@example.edu,A\n",
     "roster.csv:2: "},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    char path[1400];
    snprintf(path, sizeof path, "%s/roster.csv", batch_work);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(cases[k].text, f);
    fclose(f);
    assert_int_equal(nn_test_shell("rm -rf '%s/bad-out' && mkdir -p '%s/empty' && %s batch "
                                   "-q -e 1 '%s/empty' "
                                   "--out '%s/bad-out' --roster '%s' 2> '%s/bad-err'",
                                   batch_work, batch_work, batch_nngrade, batch_work,
                                   batch_work, path, batch_work), 2);
    char *err = batch_slurp("%s/bad-err", batch_work);
    assert_non_null(err);
    if (strstr(err, cases[k].message) == NULL) {
      print_error("for the roster\n%s\nnngrade said\n%s\nnot %s\n", cases[k].text, err,
                  cases[k].message);
      fail();
    }
    free(err);
    assert_int_equal(nn_test_shell("test ! -e '%s/bad-out/grades.csv'", batch_work), 0);
  }
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_name_keeps_its_own_row_and_is_escaped_on_the_terminal),
    cmocka_unit_test(one_student_twice_stops_the_batch),
    cmocka_unit_test(a_roster_adds_its_columns_and_its_missing_students),
    cmocka_unit_test(roster_mistakes_are_named_before_grading),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
