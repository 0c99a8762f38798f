/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 8 (training a network): it runs, prints its lesson,
 * writes every figure it lists, and what it prints is the mathematics of
 * what it trained, recomputed here from the data it wrote: the
 * least-squares line and its cost from the normal equations, the
 * correlation r(ŷ, y) and the cost of the network's predictions, the
 * correlation of y = m·x + ε with x, |m|/√(m² + σ²); an epoch of shuffled
 * mini-batches uses every row once; a dead ReLU unit has
 * a zero gradient, so its network stays at p = 1/2 and J = ln 2; an epoch
 * of mini-batches takes ⌈N/B⌉ steps; accuracies are counts over the set
 * they were measured on; k folds cover the data once; and the best
 * accuracy on two unit Gaussians 4 apart is Φ(2). Its command line
 * behaves, and progress goes to a terminal only.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture8 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>

/* The defaults the checks depend on. */
#define DEFAULT_EPOCHS 300
#define REG_N 50
#define REG_EPOCHS 300
#define SIGMA 0.5
#define QW_N 200

static int
setup(void **state)
{
  (void) state;
  lt_init(8);
  return 0;
}

static const char *const plots[] = {
  "regression-loss", "regression-fit", "slope-loss", "slope-correlation",
  "qwerties-boundary", "qwerties-loss", "learning-rates", "batch-sizes",
  "train-dev-accuracy", "cross-validation", "multilayer-boundary", NULL};

/* ===== Helpers ===== */

static double
mean_of(const double *v, size_t n)
{
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += v[i];
  return s / (double) n;
}

/* Pearson's correlation of a and b, from its definition. */
static double
correlation(const double *a, const double *b, size_t n)
{
  const double ma = mean_of(a, n), mb = mean_of(b, n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / sqrt(saa * sbb);
}

/* V is a count over N samples: a whole multiple of 1/N in [0, 1]. */
static void
assert_share_of(double v, size_t n)
{
  assert_true(v >= 0 && v <= 1);
  double count = v * (double) n;  /* v has 6 significant digits when printed */
  assert_true(fabs(count - round(count)) < 1e-4);
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 8: Training a network",
    "## 1. The training loop",
    "## 2. A regression: predict a number",
    "## 3. Code challenge: manipulate the regression slope",
    "## 4. Binary classification: the qwerties",
    "## 5. A parametric experiment: the learning rate",
    "## 6. Mini-batches and stochastic gradient descent",
    "## 7. Multilayer networks, overfitting and cross-validation",
    "## 8. Linear solutions to linear problems",
    "## What to remember",
    "## Check yourself",
    "make exercise8",
    "## Figures written",
    NULL};
  lt_check_lesson(r, headings);
  lt_check_terminal_plot(r, "Regression: the cost J per epoch");
  lt_check_terminal_plot(r, "Qwerties: p(class 1) of the 2-1-1 network");
  lt_check_terminal_plot(r, "Accuracy against the learning rate");
  lt_check_terminal_plot(r, "5-fold cross-validation");
  /* a pipe gets the lesson and no progress line */
  assert_null(strstr(r->err, "slope challenge:"));
  assert_null(strstr(r->err, "learning rates:"));
  assert_null(strchr(r->err, '\r'));
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const graphs[] = {NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
  const char *out = lt_default_run.out;
  for (const char *const *p = plots; *p != NULL; p++) {
    char name[64];
    snprintf(name, sizeof name, "/%s.{gp,dat", *p);
    assert_true(lt_contains(out, name));  /* listed under "Figures written" */
  }
}

/* ===== 1. The training loop ===== */

/* Each epoch printed is a permutation of the ten rows, cut into ⌈10/4⌉ = 3
 * batches of 4, 4 and 2 rows in its order; two epochs, two orders. */
static void
an_epoch_uses_every_row_once(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "epoch 1, order");
  int orders[2][10];
  for (int e = 0; e < 2; e++) {
    char head[32];
    snprintf(head, sizeof head, "epoch %d, order", e + 1);
    s = lt_find(s, head) + strlen(head);
    int seen[10] = {0}, n = 0;
    for (int i = 0; i < 10; i++) {
      assert_int_equal(sscanf(s, " %d%n", &orders[e][i], &n), 1);
      s += n;
      assert_true(orders[e][i] >= 0 && orders[e][i] < 10);
      assert_int_equal(seen[orders[e][i]]++, 0);
    }
    static const int sizes[] = {4, 4, 2};
    for (int b = 0, k = 0; b < 3; b++) {
      char label[32];
      snprintf(label, sizeof label, "  batch %d: rows", b + 1);
      s = lt_find(s, label) + strlen(label);
      for (int i = 0; i < sizes[b]; i++, k++) {
        int row;
        assert_int_equal(sscanf(s, " %d%n", &row, &n), 1);
        s += n;
        assert_int_equal(row, orders[e][k]);
      }
      assert_true(*s == '\n');
    }
  }
  assert_true(memcmp(orders[0], orders[1], sizeof orders[0]) != 0);
  assert_true(lt_contains(s, "10 rows in batches of 4: 3 steps per epoch"));
}

/* ===== 2 and 8. The regression and the least-squares line ===== */

/* The data (x, y) and the network's ŷ, read back from regression-fit.dat
 * (the curve is drawn at the data's x, sorted): the printed correlation
 * and cost are those of ŷ and y, and the printed least-squares line is the
 * solution of the normal equations, drawn as the dashed line. */
static void
the_regression_numbers_are_those_of_its_data(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "regression-fit", "dat");
  double x[REG_N + 1], y[REG_N + 1], xs[REG_N + 1], yhat[REG_N + 1];
  assert_int_equal(lt_read_block(file, 0, x, y, REG_N + 1), REG_N);
  assert_int_equal(lt_read_block(file, 1, xs, yhat, REG_N + 1), REG_N);
  /* pair every ŷ with its data point by x */
  double ys[REG_N];
  for (size_t i = 0; i < REG_N; i++) {
    size_t k = 0;
    while (k < REG_N && x[k] != xs[i])
      k++;
    assert_true(k < REG_N);
    ys[i] = y[k];
    if (i > 0)
      assert_true(xs[i] >= xs[i - 1]);
  }
  const char *out = lt_default_run.out;
  assert_close(lt_printed_after(out, "correlation r(ŷ, y) = "),
               correlation(yhat, ys, REG_N), 1e-5);
  double J = 0;
  for (size_t i = 0; i < REG_N; i++)
    J += (yhat[i] - ys[i]) * (yhat[i] - ys[i]) / REG_N;
  assert_close(lt_printed_after(out, "J on the training data = "), J, 1e-5);
  assert_close(lt_printed_after(out, "the network's J = "), J, 1e-5);

  /* least squares: m̂ = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)², b̂ = ȳ - m̂ x̄ */
  const double mx = mean_of(x, REG_N), my = mean_of(y, REG_N);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < REG_N; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  const double m = sxy / sxx, b = my - m * mx;
  double Jls = 0;
  for (size_t i = 0; i < REG_N; i++)
    Jls += (m * x[i] + b - y[i]) * (m * x[i] + b - y[i]) / REG_N;
  assert_close(lt_printed_after(out, "least squares ŷ = "), m, 1e-5);
  const char *s = lt_find(out, "least squares ŷ = ");
  const char *sign = strstr(s, "·x ") + strlen("·x ");
  assert_true(*sign == (b < 0 ? '-' : '+'));
  assert_close(strtod(sign + 1, NULL), fabs(b), 1e-5);
  assert_close(lt_printed_after(s, ", J = "), Jls, 1e-5);
  /* no line does better: moving m or b raises the cost */
  for (int k = 0; k < 4; k++) {
    double dm = (k == 0) - (k == 1), db = (k == 2) - (k == 3), Jk = 0;
    for (size_t i = 0; i < REG_N; i++) {
      double e = (m + 0.01 * dm) * x[i] + b + 0.01 * db - y[i];
      Jk += e * e / REG_N;
    }
    assert_true(Jk > Jls);
  }
  double lx[3], ly[3];
  assert_int_equal(lt_read_block(file, 2, lx, ly, 3), 2);
  for (int k = 0; k < 2; k++)
    assert_close(ly[k], m * lx[k] + b, 1e-12);
  /* the data follow the default slope m = 1 with noise sd 0.5: the fitted
   * slope is within 4 standard errors (0.5/√50 ≈ 0.07) */
  assert_true(fabs(m - 1.0) < 4 * SIGMA / sqrt(REG_N));
}

/* The loss curve: the cost before training and after each of the 300
 * epochs, ending where the lesson says, below where it started, over the
 * noise floor σ² = 0.25 drawn as a line. */
static void
the_regression_loss_curve_falls(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "regression-loss", "dat");
  static double t[REG_EPOCHS + 2], J[REG_EPOCHS + 2], f[REG_EPOCHS + 2];
  assert_int_equal(lt_read_block(file, 0, t, J, REG_EPOCHS + 2), REG_EPOCHS + 1);
  assert_close(lt_printed_after(lt_default_run.out, "J before training = "), J[0], 1e-5);
  assert_close(lt_printed_after(lt_default_run.out, " epochs = "), J[REG_EPOCHS], 1e-5);
  assert_true(J[REG_EPOCHS] < 0.5 * J[0]);
  for (size_t e = 0; e <= REG_EPOCHS; e++)
    assert_true(J[e] >= 0);
  assert_int_equal(lt_read_block(file, 1, t, f, REG_EPOCHS + 2), REG_EPOCHS + 1);
  for (size_t e = 0; e <= REG_EPOCHS; e++)
    assert_close(f[e], SIGMA * SIGMA, 0);
}

/* ===== 3. The slope challenge ===== */

static void
the_slope_challenge_tracks_the_correlation_of_the_data(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "slope-correlation", "dat");
  double m[22], r[22], best[22], m2[22], J[22];
  assert_int_equal(lt_read_block(file, 0, m, r, 22), 21);
  assert_int_equal(lt_read_block(file, 1, m2, best, 22), 21);
  for (size_t k = 0; k < 21; k++) {
    assert_close(m[k], -2.0 + 0.2 * (double) k, 1e-12);  /* -2 to 2 in 21 steps */
    assert_true(m2[k] == m[k]);
    /* corr(m x + ε, x) with var x = 1, var ε = σ²: |m| / √(m² + σ²) */
    assert_close(best[k], fabs(m[k]) / sqrt(m[k] * m[k] + SIGMA * SIGMA), 1e-12);
    assert_true(r[k] >= -1 && r[k] <= 1);
  }
  /* a steep line is found; no line at all leaves little to correlate */
  assert_true(r[0] > 0.9 && r[20] > 0.9);
  assert_true(r[10] < r[0] - 0.3 && r[10] < r[20] - 0.3);
  file = lt_path(lt_default_dir(), "slope-loss", "dat");
  assert_int_equal(lt_read_block(file, 0, m2, J, 22), 21);
  for (size_t k = 0; k < 21; k++)
    assert_true(J[k] > 0 && J[k] < 1);
  double m3[22], floor_[22];  /* the noise floor σ² beside it */
  assert_int_equal(lt_read_block(file, 1, m3, floor_, 22), 21);
  for (size_t k = 0; k < 21; k++)
    assert_close(floor_[k], SIGMA * SIGMA, 0);
  /* the table prints the same numbers */
  const char *s = lt_find(lt_default_run.out, "  m      mean J");
  s = strchr(s, '\n') + 1;
  for (size_t k = 0; k < 21; k += 2) {
    double mm, jj, rr, bb;
    assert_int_equal(sscanf(s, " %lf %lf %lf %lf", &mm, &jj, &rr, &bb), 4);
    assert_close(mm, m[k], 1e-12);
    assert_close(jj, J[k], 1e-3);
    assert_close(rr, r[k], 1e-3);
    assert_close(bb, best[k], 1e-3);
    s = strchr(s, '\n') + 1;
  }
}

/* ===== 4. Qwerties and the dead unit ===== */

static void
the_boundary_map_is_a_probability_over_the_qwerties(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "qwerties-boundary", "dat");
  static double gx[6000], gy[6000], gz[6000];
  size_t n = lt_read_block3(file, 0, gx, gy, gz, 6000);
  assert_int_equal(n, 81 * 61);
  for (size_t k = 0; k < n; k++)
    assert_true(gz[k] > 0 && gz[k] < 1);  /* a sigmoid's output */
  /* the 2-1-1 network's p = σ(v relu(w·x + b) + c) is a monotone function
   * of w·x, which is linear along a row of the grid: p never both rises
   * and falls along a row */
  for (size_t i = 0; i < 61; i++) {
    int up = 0, down = 0;
    for (size_t j = 0; j + 1 < 81; j++) {
      double a = gz[i * 81 + j], b = gz[i * 81 + j + 1];
      up |= b > a + 1e-12;
      down |= b < a - 1e-12;
    }
    assert_false(up && down);
  }
  double px[128], py[128], pz[128];
  for (size_t c = 0; c < 2; c++) {
    assert_int_equal(lt_read_block3(file, 2 + c, px, py, pz, 128), 100);
    /* around (1, 1) and (5, 1), sd 1: the means within 4 standard errors */
    assert_true(fabs(mean_of(px, 100) - (c == 0 ? 1.0 : 5.0)) < 0.4);
    assert_true(fabs(mean_of(py, 100) - 1.0) < 0.4);
  }
  /* "accuracy a (k of 200)": a = k/200 */
  const char *s = lt_find(lt_default_run.out, "J before = ");
  double acc = lt_printed_after(s, "accuracy ");
  assert_share_of(acc, QW_N);
  assert_close(lt_printed_after(s, " ("), acc * QW_N, 1e-9);
}

/* A hidden unit whose input is negative on every point passes no
 * gradient (ReLU's slope is 0 there); with equal classes and the output
 * bias at 0, p = σ(0) = 1/2 is already the best constant, so J stays at
 * ln 2 for every epoch and the accuracy is 1/2. */
static void
a_dead_unit_never_learns(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  assert_true(lt_contains(out, "points where the hidden unit is active: 0 of 200"));
  assert_close(lt_printed_after(out, "largest |∂J/∂w| of the hidden unit: "), 0, 0);
  assert_close(lt_printed_after(out, "; ∂J/∂b = "), 0, 0);
  assert_close(lt_printed_after(out, "; ∂J/∂v = "), 0, 0);
  static double t[DEFAULT_EPOCHS + 2], J[DEFAULT_EPOCHS + 2];
  const char *file = lt_path(lt_default_dir(), "qwerties-loss", "dat");
  assert_int_equal(lt_read_block(file, 1, t, J, DEFAULT_EPOCHS + 2), DEFAULT_EPOCHS + 1);
  for (size_t e = 0; e <= DEFAULT_EPOCHS; e++)
    assert_close(J[e], M_LN2, 1e-12);
  const char *s = lt_find(out, "(ln 2 = ");
  assert_close(lt_printed_after(s, "accuracy "), 0.5, 0);
  /* the other run learns */
  assert_int_equal(lt_read_block(file, 0, t, J, DEFAULT_EPOCHS + 2), DEFAULT_EPOCHS + 1);
  assert_true(J[DEFAULT_EPOCHS] < J[0]);
}

/* ===== 5. Learning rates ===== */

static void
the_learning_rate_experiment_reports_every_run(void **state)
{
  (void) state;
  const char *file = lt_path(lt_default_dir(), "learning-rates", "dat");
  double rate[64], acc[64], mrate[16], mean[16];
  const size_t R = 3;  /* --repeats */
  assert_int_equal(lt_read_block(file, 0, rate, acc, 64), 12 * R);
  assert_int_equal(lt_read_block(file, 1, mrate, mean, 16), 12);
  size_t stuck = 0;
  for (size_t k = 0; k < 12; k++) {
    /* evenly spread on a log scale from 0.001 to 0.3 */
    assert_close(mrate[k], 1e-3 * pow(300.0, (double) k / 11), 1e-12);
    double sum = 0;
    for (size_t j = 0; j < R; j++) {
      assert_close(rate[k * R + j], mrate[k], 0);
      assert_share_of(acc[k * R + j], QW_N);
      sum += acc[k * R + j];
      stuck += acc[k * R + j] == 0.5;
    }
    assert_close(mean[k], sum / (double) R, 1e-12);
  }
  assert_close(lt_printed_after(lt_default_run.out, "exactly: "), (double) stuck, 0);
}

/* ===== 6. Mini-batches ===== */

static void
an_epoch_of_mini_batches_takes_n_over_b_steps(void **state)
{
  (void) state;
  const char *s = lt_find(lt_default_run.out, "  B      steps per epoch");
  s = strchr(s, '\n') + 1;
  static const size_t B[] = {1, 4, 16, 64, 160};
  const char *file = lt_path(lt_default_dir(), "batch-sizes", "dat");
  enum { E = 100 };  /* the experiment's epochs */
  static double t[E + 2], J[E + 2];
  double start = NAN;
  for (size_t k = 0; k < 5; k++) {
    double b, per, all, end, acc;
    assert_int_equal(sscanf(s, " %lf %lf %lf %lf %lf", &b, &per, &all, &end, &acc), 5);
    assert_close(b, B[k], 0);
    assert_close(per, (160 + B[k] - 1) / B[k], 0);  /* ⌈160 / B⌉ */
    assert_close(all, per * E, 0);
    assert_share_of(acc, 160);
    assert_int_equal(lt_read_block(file, k, t, J, E + 2), E + 1);
    assert_close(end, J[E], 1e-3);
    /* every run starts from the same weights: the same cost before training */
    if (k == 0)
      start = J[0];
    assert_close(J[0], start, 1e-12);
    s = strchr(s, '\n') + 1;
  }
}

/* ===== 7. Train, dev, test and cross-validation ===== */

static void
splits_and_folds_cover_the_data(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  assert_true(lt_contains(out, "split: 160 train, 20 dev, 20 test"));
  /* 2-16-16-1: Σ (s_l + 1) s_(l+1) weights and biases */
  assert_close(lt_printed_after(out, "20 test; "), 3 * 16 + 17 * 16 + 17 * 1, 0);
  static double t[DEFAULT_EPOCHS + 2], a[DEFAULT_EPOCHS + 2];
  const char *file = lt_path(lt_default_dir(), "train-dev-accuracy", "dat");
  assert_int_equal(lt_read_block(file, 0, t, a, DEFAULT_EPOCHS + 2), DEFAULT_EPOCHS + 1);
  for (size_t e = 0; e <= DEFAULT_EPOCHS; e++)
    assert_share_of(a[e], 160);
  assert_close(lt_printed_after(out, "train accuracy "), a[DEFAULT_EPOCHS], 1e-5);
  assert_int_equal(lt_read_block(file, 1, t, a, DEFAULT_EPOCHS + 2), DEFAULT_EPOCHS + 1);
  for (size_t e = 0; e <= DEFAULT_EPOCHS; e++)
    assert_share_of(a[e], 20);
  assert_share_of(lt_printed_after(out, "test accuracy "), 20);
  /* five folds of the 180 train and dev points, 36 each */
  double pos[8], acc[8];
  file = lt_path(lt_default_dir(), "cross-validation", "dat");
  assert_int_equal(lt_read_block(file, 0, pos, acc, 8), 5);
  const char *s = lt_find(out, "  fold   dev points");
  s = strchr(s, '\n') + 1;
  for (size_t k = 0; k < 5; k++) {
    double fold, points, a_k;
    assert_int_equal(sscanf(s, " %lf %lf %lf", &fold, &points, &a_k), 3);
    assert_close(fold, k + 1, 0);
    assert_close(points, 36, 0);
    assert_close(a_k, acc[k], 1e-5);
    assert_share_of(acc[k], 36);
    s = strchr(s, '\n') + 1;
  }
  assert_close(lt_printed_after(out, "mean over the 5 folds: "), mean_of(acc, 5), 1e-5);
}

/* ===== 8. The best accuracy possible ===== */

static void
the_best_accuracy_is_phi_of_2(void **state)
{
  (void) state;
  /* Φ(2) = erfc(-2/√2) / 2 */
  assert_close(lt_printed_after(lt_default_run.out, "Φ(2) = "), 0.5 * erfc(-M_SQRT2),
               1e-5);
  const char *s = lt_find(lt_default_run.out, "logistic regression (3 parameters)");
  assert_share_of(lt_printed_after(s, "train accuracy "), 160);
  assert_share_of(lt_printed_after(s, "held-out accuracy "), 40);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--slope X", "--lr X", "--epochs N", "--batch N", "--hidden TEXT", "--repeats N",
    "--folds N", "--seed N", "--out DIR", "--no-prose", "--no-figures", "--help",
    "(default 1)", "(default 0.05)", "(default 300)", "(default 16)",
    "(default 16,16)", "(default 3)", "(default 5)", "(default out/lecture8)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--slope", "9", NULL, "--slope", "'9'"},
    {"--slope", "nan", NULL, "--slope", "nan"},
    {"--lr", "0", NULL, "--lr", "'0'"},
    {"--lr", "fast", NULL, "--lr", "fast"},
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "2.5", NULL, "--epochs", "2.5"},
    {"--batch", "0", NULL, "--batch", "'0'"},
    {"--batch", "201", NULL, "--batch", "201"},
    {"--hidden", "", NULL, "--hidden", "''"},
    {"--hidden", "16,x", NULL, "--hidden", "'16,x'"},
    {"--hidden", "0", NULL, "--hidden", "'0'"},
    {"--hidden", "8,8,8,8,8", NULL, "--hidden", "'8,8,8,8,8'"},
    {"--hidden", "16,", NULL, "--hidden", "'16,'"},
    {"--repeats", "0", NULL, "--repeats", "'0'"},
    {"--folds", "1", NULL, "--folds", "'1'"},
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

static void
sections_and_terminal(void **state)
{
  (void) state;
  lt_check_sections_and_terminal();
}

/* Other knobs: a falling line, a smaller network, more folds, quick runs. */
static void
the_knobs_change_the_run(void **state)
{
  (void) state;
  const char *args[] = {"--slope", "-2", "--hidden", "4", "--folds", "7", "--epochs",
                        "20", "--repeats", "1", "--batch", "50", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "A **regression** predicts"));  /* --no-prose */
  assert_true(lt_contains(r.out, "slope m = -2;"));
  const char *dir = lt_dir("knobs");
  double x[REG_N + 1], y[REG_N + 1];
  assert_int_equal(lt_read_block(lt_path(dir, "regression-fit", "dat"), 0, x, y,
                                 REG_N + 1), REG_N);
  /* y falls with x: the data's correlation is about -2/√4.25 ≈ -0.97 */
  assert_true(correlation(x, y, REG_N) < -0.9);
  /* 2-4-1: 3·4 + 5·1 parameters, batches of 50 */
  assert_true(lt_contains(r.out, "17 parameters, batches of 50"));
  /* 7 folds of 180 points: 25 or 26 each, 180 in all */
  const char *s = lt_find(r.out, "  fold   dev points");
  s = strchr(s, '\n') + 1;
  double total = 0;
  for (size_t k = 0; k < 7; k++) {
    double fold, points, acc;
    assert_int_equal(sscanf(s, " %lf %lf %lf", &fold, &points, &acc), 3);
    assert_true(points == 25 || points == 26);
    assert_share_of(acc, (size_t) points);
    total += points;
    s = strchr(s, '\n') + 1;
  }
  assert_close(total, 180, 0);
  assert_true(lt_contains(r.out, "mean over the 7 folds: "));
  static double t[32], J[32];
  assert_int_equal(lt_read_block(lt_path(dir, "qwerties-loss", "dat"), 1, t, J, 32), 21);
  assert_int_equal(lt_read_block(lt_path(dir, "learning-rates", "dat"), 0, t, J, 32), 12);
  lt_run_free(&r);
}

/* Without gnuplot the lesson still runs, says once which package draws
 * its figures, and writes every script and its data but no picture. */
static void
missing_gnuplot_is_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", "--repeats", "1", "--epochs", "20", NULL};
  const char *env[] = {"NN_GNUPLOT=/nonexistent/gnuplot", NULL};
  lt_run r = lt_run_lecture_drawn("fallback", args, env);
  lt_check_succeeded(&r);
  const char *first = strstr(r.err, "gnuplot-nox");
  assert_non_null(first);
  assert_null(strstr(first + 1, "gnuplot-nox"));
  assert_true(lt_contains(r.out, "not drawn"));
  assert_true(lt_contains(r.out, "## Figures written"));
  const char *dir = lt_dir("fallback");
  for (const char *const *p = plots; *p != NULL; p++) {
    assert_true(lt_file_size(dir, *p, "gp") > 0);
    assert_true(lt_file_size(dir, *p, "dat") > 0);
    assert_int_equal(lt_file_size(dir, *p, "svg"), -1);
    assert_int_equal(lt_file_size(dir, *p, "png"), -1);
  }
  lt_run_free(&r);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(an_epoch_uses_every_row_once),
    cmocka_unit_test(the_regression_numbers_are_those_of_its_data),
    cmocka_unit_test(the_regression_loss_curve_falls),
    cmocka_unit_test(the_slope_challenge_tracks_the_correlation_of_the_data),
    cmocka_unit_test(the_boundary_map_is_a_probability_over_the_qwerties),
    cmocka_unit_test(a_dead_unit_never_learns),
    cmocka_unit_test(the_learning_rate_experiment_reports_every_run),
    cmocka_unit_test(an_epoch_of_mini_batches_takes_n_over_b_steps),
    cmocka_unit_test(splits_and_folds_cover_the_data),
    cmocka_unit_test(the_best_accuracy_is_phi_of_2),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(sections_and_terminal),
    cmocka_unit_test(the_knobs_change_the_run),
    cmocka_unit_test(missing_gnuplot_is_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
