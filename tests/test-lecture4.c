/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 4 (loss and cost): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, the numbers and curves it
 * writes are the mathematics of the losses (checked against the formulas
 * here, and the derivative curves against central differences of them), its
 * loss landscape is the cost of its own data, and its command line behaves.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture4 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>
#include <gsl/gsl_fit.h>

/* The defaults of the knobs the checks depend on. */
#define DEFAULT_TARGET 1.5
#define DEFAULT_CLASSES 3
#define DEFAULT_SAMPLES 20


/* Numbers the lesson computes are printed to 6 significant digits or more:
 * a printed number agrees with its value to this relative tolerance. */
#define PRINTED 1e-5

/* The runs with other knobs read the data and scripts a lecture writes, not
 * its pictures: drawing them is skipped, which keeps the test fast. */
static const char *const no_drawing[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent",
                                         NULL};

static int
setup(void **state)
{
  (void) state;
  lt_init(4);
  return 0;
}

/* ===== Helpers ===== */

/* The line of OUT that starts with TEXT (after blanks), parsed by FMT. */
static int
scan_line(const char *out, const char *text, const char *fmt, double *a, double *b)
{
  return sscanf(lt_find(out, text) + strlen(text), fmt, a, b);
}

/* The number printed after TEXT, looking from where ANCHOR is printed. */
static double
printed_after_anchor(const char *out, const char *anchor, const char *text)
{
  return lt_printed_after(lt_find(out, anchor), text);
}

/* A curve of the lecture is the function F of x, entry by entry. */
static void
assert_curve(const char *path, size_t index, double (*F)(double, const double *),
             const double *params, size_t min_points, double tol)
{
  static double x[4096], y[4096];
  size_t n = lt_read_block(path, index, x, y, 4096);
  if (n < min_points)
    print_error("%s: block %zu has %zu points\n", path, index, n);
  assert_true(n >= min_points);
  for (size_t k = 0; k < n; k++)
    assert_close(y[k], F(x[k], params), tol);
}

/* The derivative curve (block DERIV) of a figure passes a gradient check
 * against central differences of the loss formula F, at every one of its
 * points (at least 50). */
static void
assert_derivative_checks(const char *path, size_t deriv,
                         double (*F)(double, const double *), const double *params)
{
  static double x[4096], a[4096];
  size_t n = lt_read_block(path, deriv, x, a, 4096);
  assert_true(n >= 50);
  lt_check_slopes(path, x, a, n, F, params);
}

/* The losses, as mathematics. params[0] is the target (or K). */
static double
squared(double yhat, const double *t)
{
  return (yhat - t[0]) * (yhat - t[0]);
}

static double
squared_deriv(double yhat, const double *t)
{
  return 2 * (yhat - t[0]);
}

static double
bce(double p, const double *y)
{
  return -(y[0] * log(p) + (1 - y[0]) * log(1 - p));
}

static double
bce_deriv(double p, const double *y)
{
  return (p - y[0]) / (p * (1 - p));
}

/* Cross-entropy of class 1 with scores (z, 0, ..., 0), K = params[0]:
 * -log(e^z / (e^z + K - 1)). */
static double
ce_of_score(double z, const double *K)
{
  return log(exp(z) + K[0] - 1) - z;
}

static double
p_of_score(double z, const double *K)
{
  return exp(z) / (exp(z) + K[0] - 1);
}

static double
ce_deriv(double z, const double *K)
{
  return p_of_score(z, K) - 1;
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 4: Loss and cost", "## 1. Three kinds of output",
    "## 2. Loss per sample, cost over the data set",
    "## 3. The squared error", "## 4. Binary cross-entropy",
    "## 5. Categorical cross-entropy", "## 6. Checking the gradients",
    "## 7. The loss landscape", "## 8. Why the cost of a batch",
    "## 9. The running problem", "## What to remember", "## Check yourself",
    "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**empirical risk**"));
  assert_true(lt_contains(r->out, "**objective function**"));
  assert_true(lt_contains(r->out, "J(θ) = (1/N) Σ_i ( σ(v · σ(W x_i + b) + c) − y_i )²"));
  assert_true(lt_contains(r->out, "make exercise4"));
  /* every figure the terminal cannot show is named, or described */
  assert_true(lt_contains(r->out, "cost-landscape-surface.svg"));
  assert_true(lt_contains(r->out, "cost-graph.svg"));
  assert_true(lt_contains(r->out, "  L₁ = (ŷ₁ − y₁)² = "));
  lt_check_terminal_plot(r, "Binary cross-entropy of one probability p");
}

/* ===== The figures ===== */

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {
    "mse-vs-prediction", "bce-vs-probability", "loss-gradients",
    "cross-entropy-vs-score", "cost-landscape-contour", "cost-landscape-surface",
    "data-and-lines", "running-cost-contour", NULL};
  static const char *const graphs[] = {"cost-graph", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* Each loss against the prediction, for a fixed target, is its formula. */
static void
loss_curves_are_the_formulas(void **state)
{
  (void) state;
  const double t = DEFAULT_TARGET, one = 1.0, zero = 0.0, K = DEFAULT_CLASSES;
  const char *mse = lt_path(lt_default_dir(), "mse-vs-prediction", "dat");
  assert_curve(mse, 0, squared, &t, 100, 1e-13);
  assert_curve(mse, 1, squared_deriv, &t, 100, 1e-13);
  /* the target line stands at the bottom of the parabola */
  double x[4], y[4];
  assert_int_equal(lt_read_block(mse, 2, x, y, 4), 2);
  assert_close(x[0], t, 0);

  const char *bp = lt_path(lt_default_dir(), "bce-vs-probability", "dat");
  assert_curve(bp, 0, bce, &one, 100, 1e-13);
  assert_curve(bp, 1, bce, &zero, 100, 1e-13);
  assert_curve(bp, 2, squared, &one, 100, 1e-13);  /* (p - 1)² */

  const char *g = lt_path(lt_default_dir(), "loss-gradients", "dat");
  assert_curve(g, 0, bce_deriv, &one, 100, 1e-12);   /* -1/p */
  assert_curve(g, 1, squared_deriv, &one, 100, 1e-13);

  const char *ce = lt_path(lt_default_dir(), "cross-entropy-vs-score", "dat");
  assert_curve(ce, 0, ce_of_score, &K, 100, 1e-13);
  assert_curve(ce, 1, p_of_score, &K, 100, 1e-13);
  assert_curve(ce, 2, ce_deriv, &K, 100, 1e-13);
}

/* Every derivative the lecture draws passes a numerical gradient check. */
static void
derivative_curves_pass_a_gradient_check(void **state)
{
  (void) state;
  const double t = DEFAULT_TARGET, one = 1.0, K = DEFAULT_CLASSES;
  const char *dir = lt_default_dir();
  assert_derivative_checks(lt_path(dir, "mse-vs-prediction", "dat"), 1, squared, &t);
  assert_derivative_checks(lt_path(dir, "loss-gradients", "dat"), 0, bce, &one);
  assert_derivative_checks(lt_path(dir, "loss-gradients", "dat"), 1, squared, &one);
  assert_derivative_checks(lt_path(dir, "cross-entropy-vs-score", "dat"), 2, ce_of_score,
                           &K);
}

/* ===== The numbers ===== */

static void
the_cost_is_the_mean_of_the_losses(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* The table of section 2: b, ŷ_b, y_b, ŷ_b - y_b, L_b. */
  const char *s = lt_find(out, "L_b = (ŷ_b - y_b)²\n");
  s = strchr(s, '\n') + 1;
  double sum = 0.0;
  for (int b = 1; b <= 5; b++) {
    int index;
    double yhat, y, e, L;
    assert_int_equal(sscanf(s, " %d %lf %lf %lf %lf", &index, &yhat, &y, &e, &L), 5);
    assert_int_equal(index, b);
    assert_close(e, yhat - y, 1e-12);
    assert_close(L, (yhat - y) * (yhat - y), 1e-5);  /* printed with 6 digits */
    sum += (yhat - y) * (yhat - y);
    s = strchr(s, '\n') + 1;
  }
  assert_close(lt_printed_after(out, "cost J = "), sum / 5, 1e-5);
  /* the gradient of the cost: 2(ŷ - y)/B, and the library agrees */
  assert_close(lt_printed_after(out, "largest |difference|: "), 0.0, 1e-15);
}

static void
cross_entropy_numbers_are_right(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* clamping: the loss of a sure mistake is -log ε, finite */
  assert_true(lt_contains(out, "-log(1 - sigmoid(40)) in floating point: inf"));
  assert_close(lt_printed_after(out, "nn_loss_bce for p = 0, y = 1:           L = "),
               -log(1e-12), PRINTED);
  assert_close(lt_printed_after(out, "for p = sigmoid(40), y = 0: L = "), -log(1e-12),
               1e-4);
  /* from the logit, BCE at z = 40 with y = 0 is 40 (up to e^-40) */
  double z40, logit40;
  assert_int_equal(scan_line(out, "\n  40     0   ", "%lf %lf", &z40, &logit40), 2);
  assert_close(logit40, 40.0, 1e-15);
  /* two classes are BCE of a sigmoid: log(1 + e^-0.8) both ways */
  double ce2, bce2;
  assert_int_equal(scan_line(out, "scores (0.8, 0), class 1: cross-entropy ",
                             "%lf, BCE of sigmoid(0.8) %lf", &ce2, &bce2), 2);
  assert_close(ce2, log1p(exp(-0.8)), PRINTED);
  assert_close(bce2, log1p(exp(-0.8)), PRINTED);
  /* the gradient of softmax cross-entropy is (P - Y)/B and its rows sum to 0 */
  const char *ce = lt_find(out, "## 5. Categorical");
  assert_close(lt_printed_after(ce, "largest |difference|: "), 0.0, 1e-15);
  assert_close(lt_printed_after(ce, "row 1 of ∂J/∂Z sums to "), 0.0, 1e-15);
}

static void
printed_gradient_checks_pass(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  static const char *const rows[] = {
    "squared error (nn_loss_mse)", "BCE (nn_loss_bce)",
    "BCE from logits (nn_loss_bce_logits)", "cross-entropy (nn_loss_softmax_ce)"};
  for (size_t k = 0; k < 4; k++) {
    double largest, error;
    assert_int_equal(scan_line(out, rows[k], "%lf %lf", &largest, &error), 2);
    assert_true(largest > 1e-3);  /* not an all-zero gradient */
    if (!(error < 1e-7))
      print_error("%s: relative error %g\n", rows[k], error);
    assert_true(error < 1e-7);
  }
  assert_true(lt_printed_after(out, "gradient check of (∂J/∂w0, ∂J/∂w1): "
                                    "relative error ") < 1e-7);
}

/* The landscape is the cost of the lecture's own data: read the samples
 * from data-and-lines.dat and recompute everything with the formulas. */
static void
the_landscape_is_the_cost_of_the_data(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double x[1024], y[1024];
  const char *data = lt_path(lt_default_dir(), "data-and-lines", "dat");
  size_t n = lt_read_block(data, 0, x, y, 1024);
  assert_int_equal(n, DEFAULT_SAMPLES);

  /* the bottom is the least-squares line, where J is the mean squared residual */
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  const char *ls = "the least-squares line: ";
  assert_close(printed_after_anchor(out, ls, "w0 = "), c0, PRINTED);
  assert_close(printed_after_anchor(out, ls, ", w1 = "), c1, PRINTED);
  assert_close(lt_printed_after(out, "J there = "), sumsq / n, PRINTED);
  double g0, g1;
  assert_int_equal(scan_line(out, "the gradient there: ∂J/∂w0 = ",
                             "%lf, ∂J/∂w1 = %lf", &g0, &g1), 2);
  assert_close(g0, 0.0, 1e-12);
  assert_close(g1, 0.0, 1e-12);

  /* at (0, 0): J = mean y², ∂J/∂w0 = -2 mean y, ∂J/∂w1 = -2 mean x y */
  double my2 = 0, my = 0, mxy = 0;
  for (size_t b = 0; b < n; b++) {
    my2 += y[b] * y[b] / n;
    my += y[b] / n;
    mxy += x[b] * y[b] / n;
  }
  assert_close(lt_printed_after(out, "J(0, 0) = "), my2, PRINTED);
  assert_close(printed_after_anchor(out, "J(0, 0) = ", "∂J/∂w0 = "), -2 * my, PRINTED);
  assert_close(printed_after_anchor(out, "J(0, 0) = ", ", ∂J/∂w1 = "), -2 * mxy, PRINTED);

  /* the grid of the contour figure: J(w0, w1) = (1/N) Σ (w0 + w1 x_b - y_b)²,
   * never below the minimum */
  static double w0[301 * 301], w1[301 * 301], J[301 * 301];
  const char *contour = lt_path(lt_default_dir(), "cost-landscape-contour", "dat");
  size_t m = lt_read_block3(contour, 0, w0, w1, J, 301 * 301);
  assert_int_equal(m, 81 * 81);
  for (size_t k = 0; k < m; k += 37) {
    double sum = 0;
    for (size_t b = 0; b < n; b++) {
      double r = w0[k] + w1[k] * x[b] - y[b];
      sum += r * r;
    }
    assert_close(J[k], sum / n, 1e-12);
    assert_true(J[k] >= sumsq / n * (1 - 1e-12));
  }
  /* the dashed line: where the loss of sample 1 alone is 0, w0 + w1 x_1 = y_1 */
  size_t ml = lt_read_block3(contour, 2, w0, w1, J, 301 * 301);
  assert_true(ml >= 10);
  for (size_t k = 0; k < ml; k++)
    assert_close(w0[k] + w1[k] * x[0], y[0], 1e-12);
  /* the line that fits sample 1 only: loss 0 there, yet a larger cost */
  double v0, v1, loss1, cost1;
  const char *fits = lt_find(out, "fits sample 1 only:");
  assert_int_equal(sscanf(fits + strlen("fits sample 1 only:"), "%lf %lf %lf %lf", &v0,
                          &v1, &loss1, &cost1), 4);
  assert_close(loss1, 0.0, 1e-12);
  assert_true(cost1 > sumsq / n);
}

/* Section 9: the cost of the hand-set XOR network (k = 10) on the 20
 * points, one printed row per term: each ŷ is the network's formula at the
 * printed x, each term (ŷ - y)², and J their mean; the landscape over w11
 * and w12 holds J at the hand-set point, never goes below 0 nor above 1,
 * and its lowest point is the one printed. */
static double
sig(double z)
{
  return 1.0 / (1.0 + exp(-z));
}

static double
xor_net(double k, double x1, double x2)
{
  double h1 = sig(k * x1 + k * x2 - 0.5 * k), h2 = sig(-k * x1 - k * x2 + 1.5 * k);
  return sig(k * h1 + k * h2 - 1.5 * k);
}

static void
the_running_cost_is_written_out_whole(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 9. The running problem");
  const char *at = lt_find(s, "  i    x_1      x_2      y   ŷ            (ŷ − y)²\n");
  double sum = 0;
  size_t ones = 0;
  for (int i = 1; i <= 20; i++) {
    char row[16];
    snprintf(row, sizeof row, "\n  %-4d ", i);
    at = lt_find(at, row) + strlen(row);
    char *end;
    double x1 = strtod(at, &end), x2 = strtod(end, &end), y = strtod(end, &end);
    double yhat = strtod(end, &end), term = strtod(end, &end);
    assert_true(y == 0 || y == 1);
    ones += y == 1;
    /* the label is XOR at the nearest corner */
    assert_int_equal((int) y, (x1 > 0.5) ^ (x2 > 0.5));
    assert_true(fabs(yhat - xor_net(10, x1, x2)) < 1e-2);  /* x printed to 3 decimals */
    assert_close(term, (yhat - y) * (yhat - y), 1e-3);
    sum += term;
  }
  assert_int_equal(ones, 10);
  double J = lt_printed_after(s, "running_cost: J(θ) = ");
  assert_close(J, sum / 20, 1e-3);
  assert_true(J > 0 && J < 0.05);
  assert_close(lt_printed_after(s, "; accuracy "), 1, 0);
  /* the grid */
  static double gx[301 * 301], gy[301 * 301], gz[301 * 301];
  size_t m = lt_read_block3(lt_path(lt_default_dir(), "running-cost-contour", "dat"), 0, gx,
                            gy, gz, 301 * 301);
  assert_int_equal(m, 81 * 81);
  double lowest = INFINITY;
  int seen = 0;
  for (size_t k = 0; k < m; k++) {
    assert_true(gz[k] >= 0 && gz[k] <= 1);
    lowest = fmin(lowest, gz[k]);
    /* the hand-set point of the default pair: (v1, c) = (k, -1.5 k), k = 10 */
    if (fabs(gx[k] - 10) < 1e-9 && fabs(gy[k] + 15) < 1e-9) {
      assert_close(gz[k], J, PRINTED);
      seen = 1;
    }
  }
  assert_true(seen);
  assert_true(lowest <= J);
  const char *low = lt_find(s, "lowest grid point: (v1, c) = (");
  assert_close(lt_printed_after(low, "), J = "), lowest, PRINTED);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--target X", "--classes N", "--samples N", "--slope X", "--noise X",
    "--grid N", "--pair TEXT", "(default v1,c)", "--scale X", "(default 10)",
    "--running-sd X", "(default 0.15)", "--seed N", "--out DIR", "(default 1.5)",
    "(default 3)",
    "(default 20)", "(default 0.5)", "(default 81)", "(default out/lecture4)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--classes", "1", NULL, "--classes", "'1'"},
    {"--classes", "10", NULL, "--classes", "10"},
    {"--samples", "2", NULL, "--samples", "'2'"},
    {"--noise", "-1", NULL, "--noise", "-1"},
    {"--grid", "abc", NULL, "--grid", "abc"},
    {"--target", "11", NULL, "--target", "11"},
    {"--slope", "nan", NULL, "--slope", "nan"},
    {"--pair", "w11", NULL, "--pair", "'w11'"},
    {"--pair", "w11,w11", NULL, "--pair", "two different names"},
    {"--pair", "w11,x", NULL, "--pair", "'w11,x'"},
    {"--scale", "-1", NULL, "--scale", "-1"},
    {"--running-sd", "5", NULL, "--running-sd", "5"},
    {"--bogus", NULL, NULL, "--bogus", "--help"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][3], cases[k][4]);
}

static void
the_same_seed_gives_the_same_lesson(void **state)
{
  (void) state;
  lt_check_seed_determines_the_lesson();
}

/* The knobs reach the figures: another target, K and data set. */
static void
knobs_change_the_lesson(void **state)
{
  (void) state;
  const char *args[] = {"--target", "-2.385", "--classes", "5", "--samples", "7",
                        "--slope", "-1", "--grid", "11", "--pair", "b1,c",
                        "--scale", "0", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, no_drawing);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "empirical risk"));  /* --no-prose */
  assert_true(lt_contains(r.out, "## 7. The loss landscape"));
  const char *dir = lt_dir("knobs");
  const double t = -2.385, K = 5;
  assert_curve(lt_path(dir, "mse-vs-prediction", "dat"), 0, squared, &t, 100, 1e-13);
  assert_curve(lt_path(dir, "cross-entropy-vs-score", "dat"), 0, ce_of_score, &K, 100,
               1e-13);
  double x[64], y[64];
  assert_int_equal(lt_read_block(lt_path(dir, "data-and-lines", "dat"), 0, x, y, 64), 7);
  static double w0[128], w1[128], J[128];
  const char *contour = lt_path(dir, "cost-landscape-contour", "dat");
  assert_int_equal(lt_read_block3(contour, 0, w0, w1, J, 128), 11 * 11);
  /* all weights 0: ŷ = σ(0) = 1/2 for every point, so J = 1/4 */
  const char *nine = lt_find(r.out, "## 9. The running problem");
  assert_close(lt_printed_after(nine, "running_cost: J(θ) = "), 0.25, 1e-15);
  assert_true(lt_contains(nine, "J over b1 and c, each in [-2, 2]"));
  lt_run_free(&r);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(loss_curves_are_the_formulas),
    cmocka_unit_test(derivative_curves_pass_a_gradient_check),
    cmocka_unit_test(the_cost_is_the_mean_of_the_losses),
    cmocka_unit_test(cross_entropy_numbers_are_right),
    cmocka_unit_test(printed_gradient_checks_pass),
    cmocka_unit_test(the_landscape_is_the_cost_of_the_data),
    cmocka_unit_test(the_running_cost_is_written_out_whole),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(knobs_change_the_lesson),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
