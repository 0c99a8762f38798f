/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nntest.h: what every cmocka test of nncourse shares.
 *
 * cmocka 1.1.5 has assert_float_equal but no assertion for doubles, so
 * assert_close() compares with a relative tolerance and prints both numbers.
 * Library calls that are expected to fail report through GSL_ERROR; the tests
 * switch GSL's aborting handler off (nn_test_init) and look at the status.
 * Tests that read back the files a program wrote use nn_test_read_file().
 */
#ifndef NN_NNTEST_H
#define NN_NNTEST_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <gsl/gsl_errno.h>

/* |actual - expected| <= tol * max(1, |expected|), and both finite. */
#define assert_close(actual, expected, tol) \
  nn_test_assert_close((actual), (expected), (tol), #actual, __FILE__, __LINE__)

static inline void
nn_test_assert_close(double actual, double expected, double tol,
                     const char *what, const char *file, int line)
{
  double scale = fabs(expected) > 1.0 ? fabs(expected) : 1.0;
  if (!isfinite(actual) || !isfinite(expected)
      || fabs(actual - expected) > tol * scale) {
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", what, actual,
                expected, tol);
    _fail(file, line);
  }
}

/* The slow end-to-end tests run only under `make check-long`, which sets
 * NN_CHECK_LONG=1; elsewhere their main() returns 77 (automake's SKIP) after
 * saying why. */
static inline int
nn_test_long_wanted(const char *program)
{
  const char *v = getenv("NN_CHECK_LONG");
  if (v != NULL && strcmp(v, "1") == 0)
    return 1;
  printf("%s: skipped: a slow end-to-end test that `make check-long` runs\n", program);
  return 0;
}

/* The last message GSL_ERROR reported, for tests of error paths. */
static char nn_test_last_error[512];

static inline void
nn_test_error_handler(const char *reason, const char *file, int line, int err)
{
  (void) file;
  (void) line;
  (void) err;
  snprintf(nn_test_last_error, sizeof nn_test_last_error, "%s", reason);
}

static inline void
nn_test_init(void)
{
  gsl_set_error_handler(nn_test_error_handler);
}

/* The call returned CODE and its message mentions TEXT. */
#define assert_gsl_error(call, code, text)                                   \
  do {                                                                       \
    nn_test_last_error[0] = '\0';                                            \
    int nn_status_ = (call);                                                 \
    assert_int_equal(nn_status_, (code));                                    \
    if (strstr(nn_test_last_error, (text)) == NULL) {                        \
      print_error("error message \"%s\" does not mention \"%s\"\n",         \
                  nn_test_last_error, (text));                               \
      fail();                                                                \
    }                                                                        \
  } while (0)

/* The whole of the file at PATH, NUL-terminated; *size its length (size may
 * be NULL). NULL when it cannot be read. The caller frees it. */
static inline char *
nn_test_read_file(const char *path, size_t *size)
{
  if (size != NULL)
    *size = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0;
  char *s = malloc(cap);
  size_t got;
  while (s != NULL && (got = fread(s + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {  /* full: double it, keeping room for the NUL */
      char *bigger = realloc(s, 2 * cap);
      if (bigger == NULL) {
        free(s);
        s = NULL;
        break;
      }
      s = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (s != NULL)
    s[n] = '\0';
  if (size != NULL)
    *size = n;
  return s;
}

/* Run a shell command made printf-style (at most 16 KiB); its exit status,
 * or -1 when it did not exit. For the tests that drive programs (nngrade). */
static inline int nn_test_shell(const char *fmt, ...)
  __attribute__((format(printf, 1, 2)));

static inline int
nn_test_shell(const char *fmt, ...)
{
  char cmd[16384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int s = system(cmd);
  return s != -1 && WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

#endif /* NN_NNTEST_H */
