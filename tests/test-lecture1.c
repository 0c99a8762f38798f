/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 1: it runs, prints its lesson, writes figures that
 * gnuplot and dot accept, its numbers agree with mathematics, and its command
 * line behaves (help, bad values, impossible folders, seeds).
 *
 * The lecture is run as a program, lectures/lecture1 in the build tree
 * (NN_TOP_BUILDDIR), and writes only under tests/out/lecture1 there. When
 * gnuplot or dot cannot be run, the tests assert the documented fallback
 * instead: the lecture says so, still writes the scripts, and succeeds. */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_fit.h>

/* lt_init() also runs the lecture with its default knobs: lt_default_run,
 * which most tests read. */

/* Numbers the lesson computes are printed to 6 significant digits or more:
 * a printed number agrees with its value to this relative tolerance. */
#define PRINTED 1e-5

static int
setup(void **state)
{
  (void) state;
  lt_init(1);
  return 0;
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  /* headings, from the prose and from the program, in the order of the
   * source */
  static const char *const headings[] = {
    "# Lecture 1: Vectors, matrices and derivatives", "## 1. Vectors",
    "## 2. The dot product", "## 7. Numerical", "## 8. The error against the step h",
    "## What to remember", "## Check yourself", "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  /* prose, with its Markdown kept as written (stdout is not a terminal) */
  assert_true(lt_contains(r->out, "multiply\nthe entries pair by pair"));
  assert_true(lt_contains(r->out, "**second order**"));
  assert_true(lt_contains(r->out, "make exercise1"));
  lt_check_terminal_plot(r, "Error of the numerical derivative of sin at a = 1");
}

/* The graph of section 2 is named and shown in text, one edge per line:
 * x_i with its weight w_i, the bias on a constant 1, and the sum Σ, which is
 * w · x + b of the printed vectors. */
static void
the_weighted_sum_graph_reads_in_text(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 2. The dot product");
  assert_true(lt_contains(s, "weighted-sum.svg"));
  double x[9], w[9];
  assert_int_equal(lt_printed_vector(lt_default_run.out, "\nx = (", x, 9), 4);
  assert_int_equal(lt_printed_vector(lt_default_run.out, "\nw = (", w, 9), 4);
  double b = lt_printed_after(lt_default_run.out, "\nb = ");
  static const char *const subs[] = {"₁", "₂", "₃", "₄"};
  double sum = b;
  const char *at = lt_find(s, "one edge per line");
  for (size_t i = 0; i < 4; i++) {
    char text[32];
    snprintf(text, sizeof text, "\n  x%s = ", subs[i]);
    at = lt_find(at, text);
    assert_close(lt_printed_after(at, text), x[i], 0);
    snprintf(text, sizeof text, "--[ w%s = ", subs[i]);
    assert_close(lt_printed_after(at, text), w[i], 0);
    sum += w[i] * x[i];
  }
  assert_close(lt_printed_after(at, "--[ b = "), b, 0);
  assert_close(lt_printed_after(at, "Σ = w · x + b = "), sum, PRINTED);
}

/* ===== The figures ===== */

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {"quadratic-and-derivative",
                                      "derivative-error-vs-h", NULL};
  static const char *const graphs[] = {"weighted-sum", "matrix-vector-product", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== The mathematics ===== */

/* Least-squares slope of log10(y) against log10(x) for x in [lo, hi]. */
static double
slope_between(const double *x, const double *y, size_t n, double lo, double hi)
{
  double lx[256], ly[256];
  size_t m = 0;
  for (size_t k = 0; k < n && m < 256; k++)
    if (x[k] >= lo * (1 - 1e-9) && x[k] <= hi * (1 + 1e-9) && y[k] > 0) {
      lx[m] = log10(x[k]);
      ly[m] = log10(y[k]);
      m++;
    }
  assert_true(m >= 5);
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(lx, 1, ly, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  return c1;
}

/* The value of block data at x (which must be one of its points). */
static double
at_x(const double *x, const double *y, size_t n, double x0)
{
  for (size_t k = 0; k < n; k++)
    if (fabs(x[k] - x0) <= 1e-12 * x0)
      return y[k];
  fail_msg("no point at x = %g", x0);
  return NAN;
}

static void
errors_follow_taylor_until_rounding(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  const char *path = lt_path(lt_default_dir(), "derivative-error-vs-h", "dat");
  /* The defaults: f = sin at a = 1, h from 1 down to 1e-16, 4 per decade.
   * Blocks: 0..2 the model, 3 forward, 4 central, 5 GSL. */
  double h[256], e[256], hm[256], m[256];
  size_t nf = lt_read_block(path, 3, h, e, 256);
  assert_true(nf >= 60);
  /* forward: first order, error ≈ (h/2) sin(1), for h from 1e-6 to 0.1 */
  assert_close(slope_between(h, e, nf, 1e-6, 0.1), 1.0, 0.02);
  assert_close(at_x(h, e, nf, 1e-3) / (1e-3 / 2 * sin(1.0)), 1.0, 0.01);

  size_t nc = lt_read_block(path, 4, h, e, 256);
  assert_int_equal(nc, nf);
  /* central: second order, error ≈ (h²/6) cos(1), for h from 1e-4 to 0.1 */
  assert_close(slope_between(h, e, nc, 1e-4, 0.1), 2.0, 0.02);
  assert_close(at_x(h, e, nc, 1e-2) / (1e-4 / 6 * cos(1.0)), 1.0, 0.01);
  /* until rounding takes over: at h = 1e-12 the error is far above the
   * error at 1e-5, and it grows as h shrinks further (slope about -1) */
  assert_true(at_x(h, e, nc, 1e-12) > 100 * at_x(h, e, nc, 1e-5));
  assert_true(slope_between(h, e, nc, 1e-15, 1e-9) < -0.5);

  /* the model lines are the formulas they claim to be */
  size_t nm = lt_read_block(path, 1, hm, m, 256);
  assert_int_equal(nm, nc);
  assert_close(at_x(hm, m, nm, 1e-2), 1e-4 / 6 * cos(1.0), 1e-12);
  nm = lt_read_block(path, 0, hm, m, 256);
  assert_close(at_x(hm, m, nm, 1e-2), 1e-2 / 2 * sin(1.0), 1e-12);
}

static void
printed_numbers_are_right(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* f(x) = 3x² - 3x + 4: f'(0.5) = 0, f(0.5) = 3.25, f'(1) = 3 */
  assert_true(lt_contains(out, "f'(x)  = 6x - 3"));
  assert_close(lt_printed_after(out, "f'(0.5) = "), 0.0, 1e-15);
  assert_close(lt_printed_after(out, "f(0.5) = "), 3.25, 1e-15);
  assert_close(lt_printed_after(out, "At a = 1: f'(a) = "), 3.0, 1e-15);
  /* the measured orders of the error */
  assert_close(lt_printed_after(out, "forward difference:\n  measured slope "), 1.0, 0.02);
  assert_close(lt_printed_after(out, "central difference:\n  measured slope "), 2.0, 0.02);
  /* the analytic derivative of sin at 1 */
  assert_close(lt_printed_after(out, "  f'(a)   = "), cos(1.0), PRINTED);
  assert_close(lt_printed_after(out, "  f'''(a) = "), -cos(1.0), PRINTED);
  /* both matrix-vector products agree */
  assert_close(lt_printed_after(out, "rows vs BLAS:"), 0.0, 1e-14);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--at X", "--function sin|exp", "--step X", "--hmin X", "--hmax X",
    "--per-decade N", "--rows N", "--cols N", "--seed N", "--out DIR",
    "--no-prose", "--quiet", "--help", "(default 1)", "(default sin)",
    "(default out/lecture1)", NULL,
  };
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--at", "abc", NULL, "--at", "abc"},
    {"--at", "11", NULL, "--at", "11"},
    {"--function", "cos", NULL, "--function", "cos"},
    {"--rows", "0", NULL, "--rows", "'0'"},
    {"--per-decade", "2.5", NULL, "--per-decade", "2.5"},
    {"--step", "nan", NULL, "--step", "nan"},
    {"--seed", "-1", NULL, "--seed", "-1"},
    {"--hmin", "0.5", NULL, "--hmin", "--hmax"},
    {"--bogus", NULL, NULL, "--bogus", "--help"},
    {"--at", NULL, NULL, "--at", "needs a value"},
    {"stray", NULL, NULL, "stray", "unexpected"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][3], cases[k][4]);
}

static void
an_impossible_out_folder_fails_by_name(void **state)
{
  (void) state;
  char file[PATH_MAX + 32], dir[PATH_MAX + 64];
  snprintf(file, sizeof file, "%s/a-file", lt_out_root());
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fputs("not a folder\n", f);
  fclose(f);
  snprintf(dir, sizeof dir, "%s/sub/folder", file);
  const char *argv[] = {lt_lecture(), "--out", dir, NULL};
  lt_run r = lt_run_program(argv, NULL, NULL);
  assert_int_equal(r.status, 1);
  assert_true(lt_contains(r.err, "lecture1: error: "));
  assert_true(lt_contains(r.err, dir));
  assert_true(lt_contains(r.err, "output folder"));
  lt_run_free(&r);
}

static void
the_same_seed_gives_the_same_lesson(void **state)
{
  (void) state;
  const char *seven[] = {"--seed", "7", NULL}, *eight[] = {"--seed", "8", NULL};
  lt_run a = lt_run_lecture("seed", seven, NULL);
  const char *path = lt_path(lt_dir("seed"), "matrix-vector-product", "dot");
  char *dot_a = lt_read_file(path, NULL);
  lt_run b = lt_run_lecture("seed", seven, NULL);
  char *dot_b = lt_read_file(path, NULL);
  lt_run c = lt_run_lecture("seed", eight, NULL);
  assert_int_equal(a.status, 0);
  assert_int_equal(b.status, 0);
  assert_int_equal(c.status, 0);
  assert_string_equal(a.out, b.out);
  assert_non_null(dot_a);
  assert_non_null(dot_b);
  assert_string_equal(dot_a, dot_b);
  /* the seed is used: another seed draws another example */
  assert_true(strcmp(a.out, c.out) != 0);
  assert_true(lt_contains(a.out, "--seed 7"));
  free(dot_a);
  free(dot_b);
  lt_run_free(&a);
  lt_run_free(&b);
  lt_run_free(&c);
}

static void
no_prose_keeps_headings_and_numbers(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", NULL};
  lt_run r = lt_run_lecture("no-prose", args, NULL);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "## 5. The derivative of a polynomial"));
  assert_true(lt_contains(r.out, "f'(0.5) = 0"));
  assert_null(strstr(r.out, "pair by pair"));
  lt_run_free(&r);
  const char *quiet[] = {"--quiet", NULL};
  r = lt_run_lecture("quiet", quiet, NULL);
  lt_check_succeeded(&r);
  assert_string_equal(r.out, "");
  assert_true(lt_file_size(lt_dir("quiet"), "derivative-error-vs-h", "dat") > 0);
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  lt_check_missing_programs(NULL, "quadratic-and-derivative", "matrix-vector-product");
  /* every script and its data, but no picture */
  const char *dir = lt_dir("fallback");
  assert_true(lt_file_size(dir, "derivative-error-vs-h", "gp") > 0);
  assert_true(lt_file_size(dir, "derivative-error-vs-h", "dat") > 0);
  assert_int_equal(lt_file_size(dir, "quadratic-and-derivative", "png"), -1);
}

/* --section, --sections and the terminal attributes, which every lecture
 * has from the runtime: tested here, on the first lecture. */
static void
sections_and_the_terminal(void **state)
{
  (void) state;
  lt_check_sections_and_terminal();
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(the_weighted_sum_graph_reads_in_text),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(errors_follow_taylor_until_rounding),
    cmocka_unit_test(printed_numbers_are_right),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(an_impossible_out_folder_fails_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(no_prose_keeps_headings_and_numbers),
    cmocka_unit_test(missing_programs_are_not_fatal),
    cmocka_unit_test(sections_and_the_terminal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
