/* SPDX-License-Identifier: GPL-3.0-or-later */
/* batchtest.h: what the tests of nngrade batch share.
 *
 * Each test program calls batch_test_setup() once: it finds the source and
 * build trees (NN_TOP_SRCDIR, NN_TOP_BUILDDIR, set by `make check`), makes
 * the command that runs the built nngrade with the build tree's headers and
 * probes (batch_nngrade), and an empty working folder of its own under the
 * build tree (batch_work). Tests then drive nngrade with nn_test_shell()
 * and read back what it wrote with batch_slurp() and batch_cell().
 */
#ifndef NN_BATCHTEST_H
#define NN_BATCHTEST_H

#include "nntest.h"

static char batch_src[1024], batch_build[1024], batch_nngrade[4096], batch_work[1200];

/* Set up for the test program NAME (its working folder is
 * tests/out/NAME in the build tree). 0, or -1 outside `make check`. */
static inline int
batch_test_setup(const char *name)
{
  const char *s = getenv("NN_TOP_SRCDIR"), *b = getenv("NN_TOP_BUILDDIR");
  if (s == NULL || b == NULL)
    return -1;
  snprintf(batch_src, sizeof batch_src, "%s", s);
  snprintf(batch_build, sizeof batch_build, "%s", b);
  snprintf(batch_nngrade, sizeof batch_nngrade,
           "NNGRADE_EXERCISES_DIR='%s/exercises' NNGRADE_PROBE_DIR='%s/grader' "
           "NNGRADE_INCLUDE_DIR='%s/grader' NNGRADE_LIB_INCLUDE_DIR='%s/lib' "
           "'%s/grader/nngrade'", s, b, s, s, b);
  snprintf(batch_work, sizeof batch_work, "%s/tests/out/%s", b, name);
  return nn_test_shell("rm -rf '%s' && mkdir -p '%s'", batch_work, batch_work) == 0
         ? 0 : -1;
}

/* The whole file at the path made printf-style; NULL when unreadable. The
 * caller frees it. */
static inline char *batch_slurp(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));

static inline char *
batch_slurp(const char *fmt, ...)
{
  char path[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(path, sizeof path, fmt, ap);
  va_end(ap);
  return nn_test_read_file(path, NULL);
}

/* Field COL (0: student) of STUDENT's row of CSV, as a number; NAN when
 * absent. */
static inline double
batch_cell(const char *csv, const char *student, int col)
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

/* Points of exercise 1's public tests, in all (FUNCTION NULL) or about
 * FUNCTION, from `nngrade list`. */
static inline double
batch_public_points(const char *function)
{
  char path[1400], line[512], name[200], fn[200];
  snprintf(path, sizeof path, "%s/list.txt", batch_work);
  assert_int_equal(nn_test_shell("%s list > '%s'", batch_nngrade, path), 0);
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

/* Lines of TEXT (ends of line counted). */
static inline size_t
batch_lines(const char *text)
{
  size_t n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

#endif /* NN_BATCHTEST_H */
