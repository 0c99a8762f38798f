/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 2 (the perceptron): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, the numbers it prints and the
 * data it writes agree with mathematics (the weighted sum, the activations,
 * their derivatives against central differences, the learned line against
 * the data), and its command line behaves (help, bad values, seeds).
 *
 * Everything is recomputed here from the formulas, not from the library:
 * the lecture shows the library working, and this test checks it. */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <limits.h>
#include <stdlib.h>

/* The run on XOR, besides the default run (lt_default_run). */
static lt_run xor_run;
static char xor_dir[PATH_MAX + 64];

/* The default knobs, as the lecture documents them. */
#define LEAK 0.1
#define POINTS 40
#define MARGIN 0.2
#define EPOCHS 20
#define XOR_POINTS 10  /* per class: the running problem's 20 points */

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
  lt_init(2);
  snprintf(xor_dir, sizeof xor_dir, "%s", lt_dir("xor"));
  const char *xor_args[] = {"--data", "xor", "--epochs", "15", NULL};
  xor_run = lt_run_lecture_drawn("xor", xor_args, NULL);
  return 0;
}

static int
teardown(void **state)
{
  lt_run_free(&xor_run);
  return lt_teardown(state);
}

/* The activations, written out here once more. */
static double
step(double z)
{
  return z >= 0 ? 1.0 : 0.0;
}

static double
sigmoid(double z)
{
  return 1.0 / (1.0 + exp(-z));
}

static double
relu(double z)
{
  return z > 0 ? z : 0.0;
}

static double
leaky(double z)
{
  return z > 0 ? z : LEAK * z;
}

static double (*const g[5])(double) = {step, sigmoid, tanh, relu, leaky};
static const char *const names[5] = {"step", "sigmoid", "tanh", "relu", "leaky_relu"};

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 2: The perceptron", "## 1. A neuron", "## 2. The bias is the intercept",
    "## 3. Linear and nonlinear operations", "## 4. Activation functions",
    "## 5. The biological picture", "## 6. The perceptron learning rule",
    "## 7. Failure on XOR", "## 8. Why deep learning, why now", "## What to remember",
    "## Check yourself", "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**perceptron convergence theorem**"));
  /* why now: data, compute, methods and software */
  const char *why = lt_find(r->out, "## 8. Why deep learning, why now");
  assert_true(lt_contains(why, "**data**") && lt_contains(why, "**compute**")
              && lt_contains(why, "**methods and software**"));
  assert_true(lt_contains(r->out, "make exercise2"));
  lt_check_terminal_plot(r, "Activation functions g(z)");
  lt_check_succeeded(&xor_run);
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"activations", "activation-derivatives",
                                      "perceptron-epochs", "perceptron-xor-epochs",
                                      "mistakes-per-epoch", NULL};
  static const char *const graphs[] = {"neuron", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
  lt_check_figures(xor_dir, plots, graphs);
}

/* ===== The mathematics ===== */

static void
the_neuron_computes_its_weighted_sum(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* the numbers follow the prose of section 1 (whose own "w = (w_1, ...)"
   * is not a vector of numbers): x, then w, then w0 */
  const char *at = strstr(out, "\nx = (");
  assert_non_null(at);
  double x[8], w[8];
  size_t n = lt_printed_vector(at, "\nx = (", x, 8);
  assert_int_equal(n, 3);
  assert_int_equal(lt_printed_vector(at, "\nw = (", w, 8), 3);
  double w0 = lt_printed_after(at, "\nw0 = ");
  double z = w0;
  for (size_t i = 0; i < n; i++)
    z += w[i] * x[i];
  assert_close(lt_printed_after(out, "nn_perceptron_sum: z = "), z, PRINTED);
  assert_close(lt_printed_after(out, "ŷ = step(z) = "), step(z), 0);
  /* the same sum through each activation */
  for (size_t k = 0; k < 5; k++) {
    char text[64];
    snprintf(text, sizeof text, "  %s(z)", names[k]);
    const char *s = strstr(out, text);
    assert_non_null(s);
    assert_close(lt_printed_after(s, "= "), g[k](z), PRINTED);
  }
  /* the diagram shows it */
  char *dot = lt_read_file(lt_path(lt_default_dir(), "neuron", "dot"), NULL);
  assert_non_null(dot);
  assert_true(lt_contains(dot, "w0 = "));
  assert_true(lt_contains(dot, "Σ"));
  free(dot);
}

static void
the_linearity_test_tells_linear_from_affine(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 3. Linear");
  /* the difference column: wᵀx passes (rounding only), w0 + wᵀx fails by
   * exactly |w0 (1 - α - β)| */
  double w[2], alpha, beta, w0;
  assert_int_equal(lt_printed_vector(s, "\nw = (", w, 2), 2);
  w0 = lt_printed_after(s, "\nw0 = ");
  alpha = lt_printed_after(s, "α = ");
  beta = lt_printed_after(s, "β = ");
  const char *row = strstr(s, "wᵀx (no bias)");
  assert_non_null(row);
  double f1, f2, diff;
  assert_int_equal(sscanf(row + strlen("wᵀx (no bias)"), "%lf %lf %lf", &f1, &f2, &diff), 3);
  assert_true(diff < 1e-12);
  row = strstr(s, "  w0 + wᵀx");
  assert_non_null(row);
  assert_int_equal(sscanf(row + strlen("  w0 + wᵀx"), "%lf %lf %lf", &f1, &f2, &diff), 3);
  assert_close(diff, fabs(w0 * (1 - alpha - beta)), 1e-2);  /* printed with 3 digits */
  /* the ReLU alone: the inputs straddle its kink (wᵀu > 0 > wᵀv), so it
   * fails the test, by |relu(αwᵀu + βwᵀv) - α relu(wᵀu) - β relu(wᵀv)| */
  double u[2], v[2];
  assert_int_equal(lt_printed_vector(s, "\nu = (", u, 2), 2);
  assert_int_equal(lt_printed_vector(s, "\nv = (", v, 2), 2);
  double su = w[0] * u[0] + w[1] * u[1], sv = w[0] * v[0] + w[1] * v[1];
  assert_true(su > 0 && sv < 0);
  assert_true(w0 + su > 0 && w0 + sv < 0);
  row = strstr(s, "  relu(wᵀx)");
  assert_non_null(row);
  assert_int_equal(sscanf(row + strlen("  relu(wᵀx)"), "%lf %lf %lf", &f1, &f2, &diff), 3);
  double expected = fabs(relu(alpha * su + beta * sv) - alpha * relu(su) - beta * relu(sv));
  assert_true(expected > 1e-3);
  assert_close(diff, expected, 1e-2);
}

static void
activations_follow_their_formulas(void **state)
{
  (void) state;
  const char *path = lt_path(lt_default_dir(), "activations", "dat");
  static double z[1000], y[1000];
  for (size_t k = 0; k < 5; k++) {
    size_t n = lt_read_block(path, k, z, y, 1000);
    assert_int_equal(n, 601);  /* z = -3 .. 3 in steps of 0.01 */
    assert_close(z[0], -3.0, 1e-15);
    assert_close(z[n - 1], 3.0, 1e-15);
    for (size_t i = 0; i < n; i++)
      assert_close(y[i], g[k](z[i]), 1e-13);
  }
}

/* The derivatives the lecture drew, against central differences of the
 * formulas above: relative error (largest difference over the largest
 * gradient) below 1e-7, and a check of zeros against zeros is refused. */
static void
derivatives_pass_a_gradient_check(void **state)
{
  (void) state;
  const char *path = lt_path(lt_default_dir(), "activation-derivatives", "dat");
  static double z[1000], d[1000];
  const double h = 1e-6;
  for (size_t k = 0; k < 5; k++) {
    size_t n = lt_read_block(path, k, z, d, 1000);
    int kink = k != 1 && k != 2;  /* step, relu, leaky: no derivative at 0 */
    assert_int_equal(n, kink ? 600 : 601);  /* the kink is a gap (NaN) */
    if (k == 0) {  /* the step: flat on both sides, nothing to compare */
      for (size_t i = 0; i < n; i++) {
        assert_true(z[i] != 0.0);
        assert_close(d[i], 0.0, 0);
      }
      continue;
    }
    double worst = 0, largest = 0;
    for (size_t i = 0; i < n; i++) {
      double numerical = (g[k](z[i] + h) - g[k](z[i] - h)) / (2 * h);
      worst = fmax(worst, fabs(d[i] - numerical));
      largest = fmax(largest, fabs(d[i]) + fabs(numerical));
    }
    double analytic_largest = 0;
    for (size_t i = 0; i < n; i++)
      analytic_largest = fmax(analytic_largest, fabs(d[i]));
    if (analytic_largest == 0)
      fail_msg("%s: the derivative is all zeros: nothing is checked", names[k]);
    double error = worst / fmax(1e-8, largest);
    if (error >= 1e-7)
      fail_msg("%s: relative error %g against central differences", names[k], error);
  }
  /* and the lecture's own check says the same */
  static const char *const checked[] = {"sigmoid      relative error ",
                                        "tanh         relative error ",
                                        "relu         relative error ",
                                        "leaky_relu   relative error "};
  for (size_t k = 0; k < 4; k++) {
    double e = lt_printed_after(lt_default_run.out, checked[k]);
    assert_true(e >= 0 && e < 1e-7);
  }
  /* at the kink the central difference of the step is 1/(2h) */
  assert_close(lt_printed_after(lt_default_run.out, "step         at z = 0:  h = 0.1: "),
               5.0, 1e-12);
}

/* Points of a class from the perceptron figure's data (blocks 0 and 1). */
static size_t
class_points(const char *dir, int cls, double *x1, double *x2, size_t max)
{
  return lt_read_block(lt_path(dir, "perceptron-epochs", "dat"), (size_t) cls, x1, x2, max);
}

static void
the_learned_line_separates_the_separable_data(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  static double a1[600], a2[600], b1[600], b2[600];
  size_t n0 = class_points(lt_default_dir(), 0, a1, a2, 600);
  size_t n1 = class_points(lt_default_dir(), 1, b1, b2, 600);
  assert_int_equal(n0, POINTS);
  assert_int_equal(n1, POINTS);
  /* the data: class 1 above the line x₁ + x₂ = 1, class 0 below, every point
   * at least margin/2 from it */
  for (size_t i = 0; i < n0; i++)
    assert_true((a1[i] + a2[i] - 1) / sqrt(2.0) <= -MARGIN / 2 + 1e-12);
  for (size_t i = 0; i < n1; i++)
    assert_true((b1[i] + b2[i] - 1) / sqrt(2.0) >= MARGIN / 2 - 1e-12);
  /* the final weights classify every point right: step(w0 + wᵀx) = y */
  const char *final = lt_find(out, "final: ");
  double w1 = lt_printed_after(final, "w_1 = "), w2 = lt_printed_after(final, "w_2 = ");
  double w0 = lt_printed_after(final, "w0 = ");
  for (size_t i = 0; i < n0; i++)
    assert_true(w0 + w1 * a1[i] + w2 * a2[i] < 0);
  for (size_t i = 0; i < n1; i++)
    assert_true(w0 + w1 * b1[i] + w2 * b2[i] >= 0);
  assert_close(lt_printed_after(final, "errors = "), 0, 0);
  assert_true(lt_contains(out, "converged: epoch "));
  /* the last line of the figure is that line: its two ends lie on it */
  const char *path = lt_path(lt_default_dir(), "perceptron-epochs", "dat");
  size_t last = 2;  /* the blocks after the two classes: one line per epoch */
  double x[4], y[4];
  while (lt_read_block(path, last + 1, x, y, 4) == 2)
    last++;
  assert_int_equal(lt_read_block(path, last, x, y, 4), 2);
  for (size_t i = 0; i < 2; i++)  /* the weights are printed to 6 digits */
    assert_close(w0 + w1 * x[i] + w2 * y[i], 0.0, 1e-4);
  /* the convergence theorem: the mistakes reach 0 and stay there */
  path = lt_path(lt_default_dir(), "mistakes-per-epoch", "dat");
  double e[EPOCHS + 1], m[EPOCHS + 1];
  size_t n = lt_read_block(path, 0, e, m, EPOCHS + 1);
  assert_int_equal(n, EPOCHS);
  size_t first_clean = 0;
  for (size_t i = 0; i < n; i++) {
    assert_true(m[i] >= 0 && m[i] == floor(m[i]));
    if (m[i] == 0 && first_clean == 0)
      first_clean = i + 1;
    if (first_clean)
      assert_close(m[i], 0, 0);  /* an epoch without a mistake changes nothing */
  }
  assert_true(first_clean > 0);
}

static void
xor_is_never_learned(void **state)
{
  (void) state;
  const char *out = xor_run.out;
  assert_true(lt_contains(out, "data: xor"));
  assert_true(lt_contains(out, "not converged: every one of the 15 epochs"));
  assert_true(lt_contains(out, "20 samples (10 of class 0, 10 of class 1)"));
  /* the data is XOR: the label is x₁ XOR x₂ at the nearest corner */
  static double x1[600], x2[600];
  for (int cls = 0; cls <= 1; cls++) {
    size_t n = class_points(xor_dir, cls, x1, x2, 600);
    assert_int_equal(n, XOR_POINTS);
    for (size_t i = 0; i < n; i++) {
      int c1 = x1[i] > 0.5, c2 = x2[i] > 0.5;
      assert_int_equal(c1 ^ c2, cls);
    }
  }
  /* no line separates XOR: every epoch makes a mistake, in both runs */
  double e[64], m[64];
  size_t n = lt_read_block(lt_path(xor_dir, "mistakes-per-epoch", "dat"), 1, e, m, 64);
  assert_int_equal(n, 15);
  for (size_t i = 0; i < n; i++)
    assert_true(m[i] >= 1);
  n = lt_read_block(lt_path(lt_default_dir(), "mistakes-per-epoch", "dat"), 1, e, m, 64);
  assert_int_equal(n, EPOCHS);
  for (size_t i = 0; i < n; i++)
    assert_true(m[i] >= 1);
  assert_true(lt_contains(lt_default_run.out, "epochs without a mistake: 0 of 20"));
  /* the final line of the XOR run misclassifies some points */
  const char *final = lt_find(out, "final: ");
  assert_true(lt_printed_after(final, "errors = ") >= 1);
}

/* Section 7 of the default run: the perceptron on the running problem. The
 * table's accuracy is that of its line on the 20 points (read back from the
 * figure), below 1 at every epoch: no line separates XOR. */
static void
the_running_problem_defeats_the_perceptron(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "## 7. Failure on XOR");
  const char *path = lt_path(lt_default_dir(), "perceptron-xor-epochs", "dat");
  double a1[64], a2[64], b1[64], b2[64];
  size_t n0 = lt_read_block(path, 0, a1, a2, 64), n1 = lt_read_block(path, 1, b1, b2, 64);
  assert_int_equal(n0, XOR_POINTS);
  assert_int_equal(n1, XOR_POINTS);
  const char *at = lt_find(s, "  epoch  mistakes  accuracy");
  for (int e = 0; e <= EPOCHS; e++) {
    char row[16];
    snprintf(row, sizeof row, "\n  %-6d ", e);
    at = lt_find(at, row) + strlen(row);
    char *end;
    if (e > 0)
      assert_true(strtol(at, &end, 10) >= 1);  /* a mistake in every epoch */
    else
      end = (char *) at + 1;  /* "-" */
    double acc = strtod(end, &end), w1 = strtod(end, &end), w2 = strtod(end, &end);
    double w0 = strtod(end, &end);
    size_t right = 0;
    for (size_t i = 0; i < n0; i++)
      right += w0 + w1 * a1[i] + w2 * a2[i] < 0;
    for (size_t i = 0; i < n1; i++)
      right += w0 + w1 * b1[i] + w2 * b2[i] >= 0;
    assert_close(acc, (double) right / 20.0, 1e-9);
    assert_true(acc < 1);
  }
  assert_true(lt_contains(s, "epochs without a mistake: 0 of 20"));
  assert_true(lt_contains(s, "lecture 3 puts two of them side"));
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--rate X", "--epochs N", "--data separable|xor", "--points N", "--margin X",
    "--leak X", "--running-sd X", "(default 0.15)", "(default 0.1)", "(default 20)",
    "(default separable)",
    "(default 40)", "(default 0.2)", "--seed N", "--out DIR", "(default out/lecture2)",
    NULL,
  };
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    {"--rate", "0", NULL, "--rate", "'0'"},
    {"--rate", "fast", NULL, "--rate", "fast"},
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "2.5", NULL, "--epochs", "2.5"},
    {"--data", "and", NULL, "--data", "separable|xor"},
    {"--points", "1", NULL, "--points", "'1'"},
    {"--margin", "3", NULL, "--margin", "'3'"},
    {"--leak", "1", NULL, "--leak", "'1'"},
    {"--running-sd", "-0.1", NULL, "--running-sd", "-0.1"},
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
  /* and the same figures */
  static const char *const files[] = {"perceptron-epochs.dat", "mistakes-per-epoch.dat",
                                      "perceptron-xor-epochs.dat", "neuron.dot", NULL};
  lt_check_seed_determines_the_files(files);
}

static void
the_knobs_change_the_experiment(void **state)
{
  (void) state;
  const char *args[] = {"--rate", "2.5", "--epochs", "3", "--points", "7",
                        "--margin", "1", "--leak", "0.25", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, no_drawing);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "η = 2.5, at most 3 epochs"));
  assert_true(lt_contains(r.out, "14 samples (7 of class 0, 7 of class 1)"));
  assert_true(lt_contains(r.out, "leaky_relu(z)    = "));
  /* the leaky ReLU's slope for z < 0 is --leak: g(-2) = -0.5 */
  const char *row = lt_find(r.out, "  leaky_relu   ");
  assert_close(strtod(row + strlen("  leaky_relu   "), NULL), -0.5, 1e-15);
  assert_null(strstr(r.out, "Rosenblatt built"));  /* --no-prose */
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  lt_check_missing_programs(NULL, "perceptron-epochs", "neuron");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_neuron_computes_its_weighted_sum),
    cmocka_unit_test(the_linearity_test_tells_linear_from_affine),
    cmocka_unit_test(activations_follow_their_formulas),
    cmocka_unit_test(derivatives_pass_a_gradient_check),
    cmocka_unit_test(the_learned_line_separates_the_separable_data),
    cmocka_unit_test(xor_is_never_learned),
    cmocka_unit_test(the_running_problem_defeats_the_perceptron),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(the_knobs_change_the_experiment),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
