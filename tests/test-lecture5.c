/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 5 (gradient descent in 1D): it runs, prints its
 * lesson, writes figures that gnuplot and dot accept, and what it writes is
 * the mathematics of gradient descent:
 *
 *   - on 3x² - 3x + 4 with a fixed rate η, x_t = 0.5 + (1 - 6η)^t (x_0 - 0.5),
 *     so the descent converges to 0.5 (the checks of the syllabus), and the
 *     parametric experiments follow the same formula, cell by cell;
 *   - on cos(2πx) + x² started at 0, where f'(0) = 0, x stays 0;
 *   - every slope it records passes a gradient check against central
 *     differences of f;
 *   - the learning-rate schedules are their formulas.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture5 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"
#include "runningref.h"

#include <stdlib.h>
#include <gsl/gsl_math.h>

/* The defaults of the knobs the checks depend on. */
#define X0 2.0
#define ETA 0.02
#define EPOCHS 100
#define DECAY 0.1

static int
setup(void **state)
{
  (void) state;
  lt_init(5);
  return 0;
}

/* ===== The mathematics, written here independently of the library ===== */

static double
quadratic(double x)
{
  return 3 * x * x - 3 * x + 4;
}

static double
wavy(double x)
{
  return cos(2 * M_PI * x) + x * x;
}

static double
wavy_deriv(double x)
{
  return -2 * M_PI * sin(2 * M_PI * x) + 2 * x;
}

static double
wavy_second(double x)
{
  return -4 * M_PI * M_PI * cos(2 * M_PI * x) + 2;
}

/* The global minimum of the wavy function: the root of f' in [0.4, 0.5],
 * by bisection (f'(0.4) < 0 < f'(0.5)). */
static double
wavy_minimum(void)
{
  double lo = 0.4, hi = 0.5;
  for (int k = 0; k < 200; k++) {
    double mid = (lo + hi) / 2;
    if (wavy_deriv(mid) < 0)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

/* Fixed-rate descent on the quadratic, solved: x_T = 0.5 + (1 - 6η)^T (x_0 - 0.5). */
static double
quadratic_after(double x0, double eta, double T)
{
  return 0.5 + pow(1 - 6 * eta, T) * (x0 - 0.5);
}

/* quadratic and wavy in the form lt_check_slopes() takes, f(x, params):
 * they have no parameters. */
static double
quadratic_p(double x, const double *none)
{
  (void) none;
  return quadratic(x);
}

static double
wavy_p(double x, const double *none)
{
  (void) none;
  return wavy(x);
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 5: Gradient descent in 1D", "## 1. The idea: guess, measure, step",
    "## 2. Descent on f(x) = 3x² - 3x + 4",
    "## 3. Code challenge: an unfortunate starting value",
    "## 4. Parametric experiments", "## 5. Code challenge: fixed or dynamic",
    "## 6. Local minima", "## 7. The running problem, one weight at a time",
    "## What to remember", "## Check yourself", "## Figures written", NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**basin of attraction**"));
  lt_check_terminal_plot(r, "An unfortunate starting value");
  /* the code challenges ask, and answer only with --reveal */
  assert_true(lt_contains(r->out, "Challenge: Started at exactly x_0 = 0"));
  assert_null(strstr(r->out, "It never moves."));
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise5`"));
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {
    "descent-path", "descent-per-epoch", "unfortunate-start", "final-x-vs-start",
    "final-x-vs-rate", "final-x-heat-map", "schedules-x", "schedules-rate",
    "restarts", "running-one-weight", NULL};
  static const char *const graphs[] = {"descent-loop", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== The checks of the syllabus ===== */

/* Descent on 3x² - 3x + 4 converges to 0.5, step by step as the formula says. */
static void
descent_converges_to_half_on_the_quadratic(void **state)
{
  (void) state;
  double t[256], x[256], tt[256], slope[256];
  const char *path = lt_path(lt_default_dir(), "descent-per-epoch", "dat");
  size_t n = lt_read_block(path, 0, t, x, 256);
  assert_int_equal(n, EPOCHS + 1);
  for (size_t k = 0; k < n; k++) {
    assert_close(t[k], (double) k, 0);
    assert_close(x[k], quadratic_after(X0, ETA, (double) k), 1e-12);
  }
  assert_true(fabs(x[n - 1] - 0.5) < 1e-5);
  /* the slope recorded at each x_t is f'(x_t) = 6 x_t - 3 ... */
  assert_int_equal(lt_read_block(path, 1, tt, slope, 256), n);
  for (size_t k = 0; k < n; k++)
    assert_close(slope[k], 6 * x[k] - 3, 1e-12);
  /* ... and passes a gradient check against central differences of f */
  lt_check_slopes("descent-per-epoch", x, slope, n, quadratic_p, NULL);
  /* the lesson says so in numbers */
  assert_close(lt_printed_after(lt_default_run.out, "after 100 epochs: x = "), 0.5, 1e-5);
  assert_close(lt_printed_after(lt_default_run.out, "largest |formula - run| over the "
                                                 "100 epochs: "), 0.0, 1e-12);
}

/* On cos(2πx) + x² started at exactly 0, f'(0) = 0 and x never moves; a
 * nudge either way rolls into the global minima ±x*. */
static void
descent_stays_at_zero_on_the_cos_challenge(void **state)
{
  (void) state;
  double x[256], f[256];
  const char *path = lt_path(lt_default_dir(), "unfortunate-start", "dat");
  size_t n = lt_read_block(path, 1, x, f, 256);  /* block 0 is the function */
  assert_int_equal(n, EPOCHS + 1);
  for (size_t k = 0; k < n; k++) {
    assert_true(x[k] == 0.0);
    assert_true(f[k] == 1.0);
  }
  assert_true(lt_contains(lt_default_run.out, "from x_0 = 0: x_t = 0 exactly at every "
                                              "one of the 101 epochs (0 exceptions)"));
  const double xs = wavy_minimum();
  n = lt_read_block(path, 2, x, f, 256);
  assert_close(x[n - 1], xs, 1e-9);
  n = lt_read_block(path, 3, x, f, 256);
  assert_close(x[n - 1], -xs, 1e-9);
  assert_close(lt_printed_after(lt_default_run.out, "the global minima are x = ±"), xs,
               1e-5);
  /* the path lies on the function */
  for (size_t k = 0; k < n; k++)
    assert_close(f[k], wavy(x[k]), 1e-12);
}

/* ===== The parametric experiments ===== */

static void
final_x_against_the_start(void **state)
{
  (void) state;
  static double x0[1024], xT[1024];
  const char *path = lt_path(lt_default_dir(), "final-x-vs-start", "dat");
  size_t n = lt_read_block(path, 0, x0, xT, 1024);
  assert_true(n >= 100);
  for (size_t k = 0; k < n; k++)
    assert_close(xT[k], quadratic_after(x0[k], ETA, EPOCHS), 1e-12);
  /* the wavy function: every run ends on a flat point, a minimum but for the
   * start at 0 (a maximum, section 3), and the ends climb with the start: a
   * staircase of basins */
  n = lt_read_block(path, 1, x0, xT, 1024);
  assert_true(n >= 100);
  size_t at_zero = 0;
  for (size_t k = 0; k < n; k++) {
    assert_true(fabs(wavy_deriv(xT[k])) < 1e-8);
    if (x0[k] == 0.0) {
      at_zero++;
      assert_true(xT[k] == 0.0);
    } else {
      assert_true(wavy_second(xT[k]) > 0);
    }
    if (k > 0)
      assert_true(xT[k] >= xT[k - 1] - 1e-12);
  }
  assert_int_equal(at_zero, 1);
}

static void
final_x_against_the_learning_rate(void **state)
{
  (void) state;
  static double eta[1024], xT[1024];
  size_t n = lt_read_block(lt_path(lt_default_dir(), "final-x-vs-rate", "dat"), 0, eta, xT,
                           1024);
  assert_true(n >= 100);
  for (size_t k = 0; k < n; k++)
    assert_close(xT[k], quadratic_after(X0, eta[k], EPOCHS), 1e-9);
  /* the printed borders: 2/f''(x*) for both functions */
  assert_close(lt_printed_after(lt_default_run.out, "  3x² - 3x + 4     6"), 1.0 / 3,
               1e-5);
  double xs = wavy_minimum();
  const char *w = lt_find(lt_default_run.out, "  cos(2πx) + x²    ");
  double d2, limit;
  assert_int_equal(sscanf(w + strlen("  cos(2πx) + x²    "), "%lf %lf", &d2, &limit), 2);
  assert_close(d2, wavy_second(xs), 1e-5);
  assert_close(limit, 2 / wavy_second(xs), 1e-5);
}

/* The heat map's value, recomputed: log10 of |x_T - 0.5| by the formula,
 * clamped to [-16, 1]; 2.5 for a run that diverged. Where the formula puts
 * x_T within 1e-10 of 0.5, rounding decides the last digits: the cell must
 * then say "at least ten digits", nothing more. */
static void
heat_map_follows_the_formula(void **state)
{
  (void) state;
  static double eta[8192], T[8192], v[8192];
  const char *path = lt_path(lt_default_dir(), "final-x-heat-map", "dat");
  size_t n = lt_read_block3(path, 0, eta, T, v, 8192);
  assert_int_equal(n, 80 * 100);
  size_t diverged = 0;
  for (size_t k = 0; k < n; k++) {
    double gap = fabs(quadratic_after(X0, eta[k], T[k]) - 0.5);
    if (!(gap < 1e6)) {           /* runs away: |1 - 6η| > 1 */
      assert_true(fabs(1 - 6 * eta[k]) > 1);
      assert_true(v[k] == 2.5);
      diverged++;
    } else if (gap < 1e-10) {
      assert_true(v[k] <= -9.9 && v[k] >= -16);
    } else {
      assert_close(v[k], fmin(1.0, log10(gap)), 1e-6);
    }
  }
  /* rates above 1/3 diverge once enough epochs have passed: some cells */
  assert_true(diverged > 0 && diverged < n / 4);
  /* the map in characters: the top row (T = 100) reads from the slow
   * rates to the runaway ones, and ends in X */
  const char *row = lt_find(lt_default_run.out, "  T = 100   ");
  row += strlen("  T = 100   ");
  assert_true(row[39] == 'X');
  for (size_t j = 0; j < 40; j++) {  /* column j is the rate 0.005 (2j + 2) */
    double gap = fabs(quadratic_after(X0, 0.005 * (double) (2 * j + 2), 100) - 0.5);
    char want = !(gap < 1e6) ? 'X' : gap >= 1 ? '.'
                : gap < 1e-9 ? '9' : (char) ('0' + (int) floor(-log10(gap)));
    if (gap > 1e-12 && fabs(log10(gap) - round(log10(gap))) < 1e-6)
      continue;  /* on a border between two digits: rounding decides */
    assert_int_equal(row[j], want);
  }
}

/* Under the rate table the lecture says what it shows, from its numbers:
 * with the default knobs three of the rates arrive; with a loss-scaled
 * rate, whose first steps are ten times the rate, none does. */
static void
the_words_after_the_rate_table_follow_the_numbers(void **state)
{
  (void) state;
  static const double shown[] = {1e-4, 1e-3, 0.01, 0.1, 1.0 / 6, 0.25, 1.0 / 3, 0.4};
  size_t arrived = 0;
  for (size_t k = 0; k < 8; k++)
    arrived += fabs(quadratic_after(X0, shown[k], EPOCHS) - 0.5) < 1e-6;
  assert_int_equal(arrived, 3);
  assert_true(lt_contains(lt_default_run.out, "3 of these rates arrive within 100 "
                                              "epochs, from η = 0.1 to η = 0.25"));
  const char *args[] = {"--schedule", "loss", "--epochs", "5", "--no-prose", NULL};
  const char *const env[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent", NULL};
  lt_run r = lt_run_lecture("loss-schedule", args, env);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "None of these rates arrives within 5 epochs with "
                                 "this schedule"));
  assert_null(strstr(r.out, "rates arrive within"));
  lt_run_free(&r);
}

/* Runs that diverge print as diverged, never as nan or inf, and the table of
 * where the runs end groups them instead of giving each start a row. */
static void
diverged_runs_are_named_and_grouped(void **state)
{
  (void) state;
  const char *args[] = {"--function", "wavy", "--lr", "2", "--schedule", "slope",
                        "--no-prose", NULL};
  const char *const env[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent", NULL};
  lt_run r = lt_run_lecture("wavy-slope", args, env);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "nan"));
  assert_null(strstr(r.out, "inf"));
  const char *from = lt_find(r.out, "wavy: where the runs end");
  const char *to = lt_find(from, "\n\n");
  size_t rows = 0;
  for (const char *c = from; c < to; c++)
    rows += *c == '\n';
  assert_true(rows <= 20);
  /* the quadratic, descended with η = 2 too, diverges from all but a few starts */
  assert_true(lt_contains(r.out, "of the 401 runs diverged; the other"));
  lt_run_free(&r);
}

/* ===== The running problem, one weight ===== */

/* The walk along c: it starts at --weight-start, every point lies on the
 * cost J of the hand-set network (recomputed here), and every step is
 * -η ∂J/∂c, with ∂J/∂c a central difference of that J; J goes down. */
static void
the_running_walk_descends_its_cost(void **state)
{
  (void) state;
  rr_data d;
  rr_make_data(&d, 0.15);
  double theta[RR_PARAMS];
  rr_hand_set(theta, 10);
  const size_t c = rr_index("c");
  static double x[256], J[256];
  const char *path = lt_path(lt_default_dir(), "running-one-weight", "dat");
  size_t n = lt_read_block(path, 1, x, J, 256);
  assert_int_equal(n, EPOCHS + 1);
  assert_true(x[0] == -5.0);
  size_t checked = 0;
  for (size_t t = 0; t < n; t++) {
    theta[c] = x[t];
    assert_close(J[t], rr_cost(theta, &d), 1e-12);
    if (t + 1 == n)
      break;
    assert_true(J[t + 1] <= J[t] * (1 + 1e-14));  /* flat at the end: rounding */
    double slope = rr_partial(theta, c, &d);
    if (fabs(slope) > 1e-8) {
      assert_close(x[t + 1] - x[t], -20 * slope, 1e-5);
      checked++;
    }
  }
  assert_true(checked > 50);
  assert_true(J[n - 1] < 0.5 * J[0]);
  /* the first slope, as printed, is the partial derivative */
  theta[c] = -5;
  assert_close(lt_printed_after(lt_default_run.out, "∂J/∂c at the start: chain rule "),
               rr_partial(theta, c, &d), 2e-5);
  /* the hand-set network classifies the twenty points right */
  rr_hand_set(theta, 10);
  assert_close(lt_printed_after(lt_default_run.out, "hand-set weights with k = 10: J = "),
               rr_cost(theta, &d), 1e-5);
}

/* The knobs of section 7 reach it: another weight, scale and spread. */
static void
the_running_knobs_change_the_walk(void **state)
{
  (void) state;
  const char *args[] = {"--weight", "v1", "--weight-start", "0", "--running-lr", "5",
                        "--scale", "4", "--running-sd", "0.3", "--epochs", "30",
                        "--no-prose", NULL};
  const char *const env[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent", NULL};
  lt_run r = lt_run_lecture("running-knobs", args, env);
  lt_check_succeeded(&r);
  rr_data d;
  rr_make_data(&d, 0.3);
  double theta[RR_PARAMS];
  rr_hand_set(theta, 4);
  const size_t v1 = rr_index("v1");
  static double x[64], J[64];
  size_t n = lt_read_block(lt_path(lt_dir("running-knobs"), "running-one-weight", "dat"),
                           1, x, J, 64);
  assert_int_equal(n, 31);
  assert_true(x[0] == 0.0);
  for (size_t t = 0; t + 1 < n; t++) {
    theta[v1] = x[t];
    assert_close(J[t], rr_cost(theta, &d), 1e-12);
    assert_close(x[t + 1] - x[t], -5 * rr_partial(theta, v1, &d), 1e-5);
  }
  assert_true(lt_contains(r.out, "the walk moves v1 (hand-set 4) from v1 = 0, η = 5, "
                                 "T = 30"));
  lt_run_free(&r);
}

/* ===== Learning-rate schedules ===== */

static void
schedules_are_their_formulas(void **state)
{
  (void) state;
  static double t[256], rate[256], tx[256], x[256];
  const char *rates = lt_path(lt_default_dir(), "schedules-rate", "dat");
  const char *xs = lt_path(lt_default_dir(), "schedules-x", "dat");
  /* blocks: 0 fixed, 1 linear, 2 inverse, 3 slope, 4 loss */
  for (size_t s = 0; s < 5; s++) {
    size_t n = lt_read_block(rates, s, t, rate, 256);
    assert_int_equal(n, EPOCHS);
    assert_int_equal(lt_read_block(xs, s, tx, x, 256), EPOCHS + 1);
    for (size_t k = 0; k < n; k++) {
      double expected = s == 0 ? ETA
                      : s == 1 ? ETA * (1 - t[k] / EPOCHS)
                      : s == 2 ? ETA / (1 + DECAY * t[k])
                      : s == 3 ? ETA * fabs(6 * x[k] - 3)
                      : ETA * fabs(quadratic(x[k]));
      assert_close(rate[k], expected, 1e-12);
      /* and the walk took exactly that step */
      assert_close(x[k + 1], x[k] - rate[k] * (6 * x[k] - 3), 1e-12);
    }
  }
}

/* The failures of section 5, recomputed by hand. */
static void
each_schedule_fails_somewhere(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double x0, eta, fixed, scheduled;
  /* decay with a small η: x_T - 0.5 = 1.5 Π_t (1 - 6 η (1 - t/T)) */
  const char *row = lt_find(out, "  small η, linear decay");
  assert_int_equal(sscanf(row + strlen("  small η, linear decay"), "%lf %lf %lf %lf", &x0, &eta,
                          &fixed, &scheduled), 4);
  double prod = 1.0;
  for (int k = 0; k < 100; k++)
    prod *= 1 - 6 * eta * (1 - k / 100.0);
  assert_close(fixed, fabs(quadratic_after(x0, eta, 100) - 0.5), 1e-3);
  assert_close(scheduled, fabs(prod * (x0 - 0.5)), 1e-3);
  assert_true(scheduled > fixed);
  /* the slope-scaled rate diverges from far away and crawls near the bottom */
  assert_true(lt_contains(lt_find(out, "  far start, slope-scaled"), "diverged at step"));
  row = lt_find(out, "  near the bottom, slope-scaled");
  assert_int_equal(sscanf(row + strlen("  near the bottom, slope-scaled"), "%lf %lf %lf %lf",
                          &x0, &eta, &fixed, &scheduled), 4);
  assert_true(scheduled > 1000 * fixed);
  /* the loss-scaled rate: the quadratic's minimum value 3.25 makes η_t at
   * least 3.25 η = 0.39 > 1/3: it runs away where the fixed rate arrives */
  row = lt_find(out, "  η = 0.12, loss-scaled");
  assert_true(lt_contains(row, "diverged at step"));
  assert_true(3.25 * 0.12 > 1.0 / 3);
}

/* ===== Local minima ===== */

static void
restarts_end_in_minima_and_keep_the_best(void **state)
{
  (void) state;
  static double x0[1024], f0[1024], xT[1024], fT[1024];
  const char *path = lt_path(lt_default_dir(), "restarts", "dat");
  size_t n = lt_read_block(path, 1, x0, f0, 1024);
  assert_int_equal(n, 20);
  assert_int_equal(lt_read_block(path, 2, xT, fT, 1024), n);
  const double xs = wavy_minimum();
  size_t global = 0;
  double best = INFINITY;
  for (size_t k = 0; k < n; k++) {
    assert_true(x0[k] >= -2 && x0[k] <= 2);
    assert_close(f0[k], wavy(x0[k]), 1e-12);
    assert_true(fabs(wavy_deriv(xT[k])) < 1e-8);   /* a flat point ... */
    assert_true(wavy_second(xT[k]) > 0);            /* ... and a minimum */
    assert_true(fT[k] <= f0[k]);                    /* descent went down */
    global += fabs(fabs(xT[k]) - xs) < 1e-4;
    best = GSL_MIN(best, fT[k]);
  }
  double bx[2], bf[2];
  assert_int_equal(lt_read_block(path, 3, bx, bf, 2), 1);
  assert_close(bf[0], best, 1e-12);
  char text[96];
  snprintf(text, sizeof text, "%zu of the 20 runs found a global minimum", global);
  assert_true(lt_contains(lt_default_run.out, text));
}

/* The fraction of random symmetric matrices that are positive definite:
 * 1/2 for n = 1, (2 - √2)/4 for 2x2 matrices of the Gaussian orthogonal
 * ensemble, and falling fast with n. */
static void
flat_points_are_rarely_minima_in_high_dimension(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "with all eigenvalues > 0\n");
  s = strchr(s, '\n') + 1;
  double frac[7];
  for (int n = 1; n <= 6; n++) {
    int index;
    assert_int_equal(sscanf(s, " %d %lf", &index, &frac[n]), 2);
    assert_int_equal(index, n);
    s = strchr(s, '\n') + 1;
  }
  /* 20000 draws: the standard error is at most 0.0036 */
  assert_close(frac[1], 0.5, 0.015);
  assert_close(frac[2], (2 - M_SQRT2) / 4, 0.012);
  for (int n = 2; n <= 6; n++)
    assert_true(frac[n] <= frac[n - 1]);
  assert_true(frac[4] < 0.01);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--function quadratic|wavy", "--start X", "--lr X", "--epochs N",
    "--schedule fixed|linear|inverse|slope|loss",
    "--decay X", "--restarts N", "--weight w11|w12|w21|w22|b1|b2|v1|v2|c",
    "--weight-start X", "--running-lr X", "--running-sd X", "--scale X",
    "(default c)", "(default -5)", "(default 0.15)", "(default 10)",
    "--seed N", "--out DIR", "(default quadratic)",
    "(default 2)", "(default 0.02)", "(default 100)", "(default fixed)",
    "(default 0.1)", "(default 20)", "(default out/lecture5)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    {"--function", "cubic", NULL, "--function", "cubic"},
    {"--schedule", "adam", NULL, "--schedule", "adam"},
    {"--lr", "0", NULL, "--lr", "'0'"},
    {"--lr", "-0.1", NULL, "--lr", "-0.1"},
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "2.5", NULL, "--epochs", "2.5"},
    {"--start", "11", NULL, "--start", "11"},
    {"--decay", "-1", NULL, "--decay", "-1"},
    {"--restarts", "0", NULL, "--restarts", "'0'"},
    {"--weight", "v3", NULL, "--weight", "v3"},
    {"--running-lr", "0", NULL, "--running-lr", "'0'"},
    {"--running-sd", "-0.1", NULL, "--running-sd", "-0.1"},
    {"--scale", "0", NULL, "--scale", "'0'"},
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

/* The knobs reach the runs: the wavy function with an inverse decay. */
static void
knobs_change_the_lesson(void **state)
{
  (void) state;
  const char *args[] = {"--function", "wavy", "--start", "0.3", "--lr", "0.01",
                        "--epochs", "50", "--schedule", "inverse", "--decay",
                        "0.5", "--restarts", "5", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "basin of attraction"));  /* --no-prose */
  assert_true(lt_contains(r.out, "f(x) = cos(2πx) + x², x₀ = 0.3, η = 0.01 "
                                 "(inverse), T = 50 epochs"));
  const char *dir = lt_dir("knobs");
  const char *path = lt_path(dir, "descent-per-epoch", "dat");
  double t[64], x[64], tt[64], slope[64];
  size_t n = lt_read_block(path, 0, t, x, 64);
  assert_int_equal(n, 51);
  assert_int_equal(lt_read_block(path, 1, tt, slope, 64), n);
  /* the slopes are f'(x) of the wavy function, checked numerically */
  lt_check_slopes("knobs/descent-per-epoch", x, slope, n, wavy_p, NULL);
  /* and each step used the inverse decay 0.01 / (1 + 0.5 t) */
  for (size_t k = 0; k + 1 < n; k++)
    assert_close(x[k + 1], x[k] - 0.01 / (1 + 0.5 * (double) k) * wavy_deriv(x[k]),
                 1e-12);
  double x0[16], f0[16];
  assert_int_equal(lt_read_block(lt_path(dir, "restarts", "dat"), 1, x0, f0, 16), 5);
  static double eta[8192], T[8192], xT[8192];
  path = lt_path(dir, "final-x-heat-map", "dat");
  assert_int_equal(lt_read_block3(path, 0, eta, T, xT, 8192), 80 * 50);
  lt_run_free(&r);
}

/* A learning rate far too large: the run of section 2 diverges, and the
 * lecture says so instead of failing. */
static void
a_diverging_run_is_a_result_not_an_error(void **state)
{
  (void) state;
  const char *args[] = {"--lr", "1.5", "--schedule", "slope", "--quiet", NULL};
  lt_run r = lt_run_lecture("diverge", args, NULL);
  lt_check_succeeded(&r);
  assert_string_equal(r.out, "");
  assert_true(lt_file_size(lt_dir("diverge"), "descent-path", "dat") > 0);
  const char *more[] = {"--lr", "1.5", "--schedule", "slope", "--no-prose", NULL};
  lt_run_free(&r);
  r = lt_run_lecture("diverge", more, NULL);
  assert_int_equal(r.status, 0);
  assert_true(lt_contains(r.out, "the run diverged at step"));
  lt_run_free(&r);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(descent_converges_to_half_on_the_quadratic),
    cmocka_unit_test(descent_stays_at_zero_on_the_cos_challenge),
    cmocka_unit_test(final_x_against_the_start),
    cmocka_unit_test(final_x_against_the_learning_rate),
    cmocka_unit_test(heat_map_follows_the_formula),
    cmocka_unit_test(the_words_after_the_rate_table_follow_the_numbers),
    cmocka_unit_test(diverged_runs_are_named_and_grouped),
    cmocka_unit_test(the_running_walk_descends_its_cost),
    cmocka_unit_test(the_running_knobs_change_the_walk),
    cmocka_unit_test(schedules_are_their_formulas),
    cmocka_unit_test(each_schedule_fails_somewhere),
    cmocka_unit_test(restarts_end_in_minima_and_keep_the_best),
    cmocka_unit_test(flat_points_are_rarely_minima_in_high_dimension),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(knobs_change_the_lesson),
    cmocka_unit_test(a_diverging_run_is_a_result_not_an_error),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
