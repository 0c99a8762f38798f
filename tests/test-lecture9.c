/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 9 (optimizers): it runs, prints its lesson, writes
 * figures that gnuplot accepts, and what it computes is the mathematics of
 * the update rules, checked here against formulas of this file's own: the
 * defaults are PyTorch's; the first step of each rule is its formula, and
 * Adam's is η·sign(g) up to ε; every optimizer lowers a convex quadratic
 * (SGD's end has a closed form there); the paths in Rosenbrock's valley
 * are SGD, momentum and Adam steps on Rosenbrock's function, recomputed
 * here; on peaks momentum rolls through the shallow pit into the deepest
 * one while SGD stops in it; the network's runs start from one cost and go
 * down; the schedules are their formulas; clipping keeps a run that
 * explodes without it finite. Its command line behaves, and progress never
 * reaches a pipe.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture9 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>

/* The defaults the checks depend on. */
#define STEPS 600
#define X0 (-1.2)
#define Y0 1.0
#define PEAKS_X0 0.3
#define PEAKS_Y0 0.9
#define CLIP 1.0
#define CLIP_LR 0.01

enum { SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADADELTA, ADAM, N_OPTIM };
static const char *const names[N_OPTIM] = {
  "SGD", "Momentum", "Nesterov", "Adagrad", "RMSProp", "Adadelta", "Adam"};

/* The rates the lecture gives each optimizer in the valley and on peaks. */
static const double valley_lr[N_OPTIM] = {1e-3, 1e-3, 1e-3, 0.3, 0.01, 1.0, 0.1};
static const double peaks_lr[N_OPTIM] = {0.02, 0.02, 0.02, 0.1, 0.01, 1.0, 0.05};

static int
setup(void **state)
{
  (void) state;
  lt_init(9);
  return 0;
}

/* ===== The mathematics, independently of the library ===== */

static double
rosenbrock(double x, double y)
{
  return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

/* ∇f by central differences, h = 1e-6 relative (error far below 1e-6). */
static void
rosenbrock_gradient(double x, double y, double g[2])
{
  const double hx = 1e-6 * fmax(fabs(x), 1), hy = 1e-6 * fmax(fabs(y), 1);
  g[0] = (rosenbrock(x + hx, y) - rosenbrock(x - hx, y)) / (2 * hx);
  g[1] = (rosenbrock(x, y + hy) - rosenbrock(x, y - hy)) / (2 * hy);
}

static double
bowl(double x, double y)
{
  return (x * x + 10 * y * y) / 2;
}

/* ===== Reading what the lecture wrote ===== */

/* A path of up to STEPS + 1 points. */
typedef struct path {
  double x[4 * STEPS], y[4 * STEPS], z[4 * STEPS];
  size_t n;
} path;

/* Path K of the map NAME (blocks 0 and 1 are the grid; then each
 * optimizer's path and its end marker). */
static void
read_map_path(const char *dir, const char *name, int k, path *p)
{
  p->n = lt_read_block3(lt_path(dir, name, "dat"), 2 + 2 * (size_t) k, p->x, p->y, p->z,
                        4 * STEPS);
}

/* The rest of the line of OUT that starts with the optimizer NAME padded as
 * the lecture's tables pad it, after the text AFTER. */
static const char *
table_row(const char *out, const char *after, const char *name)
{
  char row[64];
  snprintf(row, sizeof row, "\n  %-12s", name);
  return lt_find(lt_find(out, after), row) + strlen(row);
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 9: Optimizers",
    "## 1. Seven update rules, side by side",
    "## 2. Adaptive learning rates: the first step",
    "## 3. Every optimizer goes downhill on a bowl",
    "## 4. A narrow valley: Rosenbrock's function",
    "## 5. Peaks: momentum rolls through a pit",
    "## 6. The same on a small network",
    "## 7. Learning-rate schedules",
    "## 8. Exploding gradients and gradient clipping",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise9`"));
  /* every figure is drawn in the terminal too */
  lt_check_terminal_plot(r, "Seven optimizers in Rosenbrock's valley, 600 steps from "
                         "(-1.2, 1)");
  lt_check_terminal_plot(r, "f per step in Rosenbrock's valley");
  lt_check_terminal_plot(r, "Seven optimizers on peaks, 600 steps from (0.3, 0.9)");
  lt_check_terminal_plot(r, "z per step on peaks from (0.3, 0.9)");
  lt_check_terminal_plot(r, "Cost per step of a 2-8-1 network on noisy XOR");
  lt_check_terminal_plot(r, "Learning-rate schedules from");
  lt_check_terminal_plot(r, "SGD in Rosenbrock's valley, η = 0.01, with and without "
                         "clipping at 1");
  /* progress is for a terminal only: a pipe gets none */
  assert_null(strstr(r->err, "training networks"));
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {
    "rosenbrock-paths", "rosenbrock-loss", "peaks-paths", "peaks-loss",
    "network-loss", "lr-schedules", "clipping", NULL};
  static const char *const graphs[] = {"adam-step", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== The update rules ===== */

/* PyTorch's defaults (torch.optim's documentation), and the course's two
 * choices for SGD: rate 0.01, momentum 0.9. */
static void
the_defaults_are_pytorchs(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const char *after = "other hyper-parameters";
  static const char *const rows[N_OPTIM] = {
    "0.01     -", "0.01     μ = 0.9", "0.01     μ = 0.9",
    "0.01     ε = 1e-10, s starts at 0", "0.01     α = 0.99, ε = 1e-08",
    "1        ρ = 0.9, ε = 1e-06", "0.001    β₁ = 0.9, β₂ = 0.999, ε = 1e-08"};
  for (int k = 0; k < N_OPTIM; k++) {
    const char *row = table_row(out, after, names[k]);
    if (strncmp(row, rows[k], strlen(rows[k])) != 0)
      print_error("%s: %.60s\n", names[k], row);
    assert_int_equal(strncmp(row, rows[k], strlen(rows[k])), 0);
  }
}

/* The first step from θ = 0 with g = (2.385, -0.03, 0.0004), by each rule's
 * formula with the default hyper-parameters (t = 1, every state 0). */
static void
first_step(int k, double g, double *step)
{
  switch (k) {
  case SGD:
  case MOMENTUM:  /* b = g at the first step */
    *step = -0.01 * g;
    break;
  case NESTEROV:  /* g + μ b, b = g */
    *step = -0.01 * (g + 0.9 * g);
    break;
  case ADAGRAD:   /* s = g² */
    *step = -0.01 * g / (sqrt(g * g) + 1e-10);
    break;
  case RMSPROP:   /* v = (1 - α) g² */
    *step = -0.01 * g / (sqrt(0.01 * g * g) + 1e-8);
    break;
  case ADADELTA:  /* v = (1 - ρ) g², u = 0 */
    *step = -1.0 * sqrt(1e-6) / sqrt(0.1 * g * g + 1e-6) * g;
    break;
  default: {      /* Adam: m̂ = m / (1 - β₁) = g, v̂ = g² */
    double m = 0.1 * g / (1 - 0.9), v = 0.001 * g * g / (1 - 0.999);
    *step = -0.001 * m / (sqrt(v) + 1e-8);
  }
  }
}

static void
the_first_steps_are_the_rules(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const double g[3] = {2.385, -0.03, 0.0004};
  const char *table = lt_find(out, "step θ₁ - θ₀");
  for (int k = 0; k < N_OPTIM; k++) {
    char marker[32];
    snprintf(marker, sizeof marker, "\n  %-12s(", names[k]);
    double step[3];
    assert_int_equal(lt_printed_vector(table, marker, step, 3), 3);
    for (int i = 0; i < 3; i++) {
      double expected;
      first_step(k, g[i], &expected);
      assert_close(step[i], expected, 1e-5 * fabs(expected));  /* 6 digits */
    }
  }
  /* Adam's first step is η·sign(g) up to ε: |step| = η |g| / (|g| + ε) */
  char marker[32];
  snprintf(marker, sizeof marker, "\n  %-12s(", "Adam");
  double step[3];
  lt_printed_vector(table, marker, step, 3);
  for (int i = 0; i < 3; i++) {
    const double sign = g[i] > 0 ? 1 : -1;
    assert_true(step[i] * sign < 0);                         /* against g */
    assert_true(fabs(fabs(step[i]) - 0.001) <= 0.001 * 1e-8 / fabs(g[i]) + 1e-11);
  }
}

/* Every optimizer lowers the convex bowl (x² + 10y²)/2 from (2.385, -1.5);
 * each row's end is a point with that height; SGD never goes up, and its
 * end is (0.99^200 x₀, 0.9^200 y₀) exactly (each coordinate shrinks by
 * 1 - η·curvature). */
static void
every_optimizer_lowers_a_convex_quadratic(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const double f0 = bowl(2.385, -1.5);
  for (int k = 0; k < N_OPTIM; k++) {
    const char *row = table_row(out, "f after 200 steps", names[k]);
    double lr, start, end, x, y;
    unsigned long up;
    assert_int_equal(sscanf(row, "%lf %lf %lf (%lf, %lf) %lu", &lr, &start, &end, &x,
                            &y, &up), 6);
    assert_close(start, f0, 1e-5);
    assert_true(end < start);
    assert_close(end, bowl(x, y), 1e-4 * fmax(end, 1e-12) + 1e-12);
    if (k == SGD) {
      assert_int_equal(up, 0);
      assert_close(x, pow(0.99, 200) * 2.385, 1e-5);
      assert_close(y, pow(0.9, 200) * -1.5, 1e-14);
    }
  }
}

/* ===== The two surfaces ===== */

static void
the_valley_paths_are_the_rules_on_rosenbrock(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* the gradient by hand at the start */
  double g[2], printed[2];
  rosenbrock_gradient(X0, Y0, g);
  assert_int_equal(lt_printed_vector(out, "by hand             ∇f = (", printed, 2), 2);
  assert_true(lt_relative_error(printed, g, 2) < 1e-7);
  assert_close(lt_printed_after(out, "at (-1.2, 1): f = "), rosenbrock(X0, Y0), 1e-5);

  static path p[N_OPTIM];
  for (int k = 0; k < N_OPTIM; k++) {
    read_map_path(lt_default_dir(), "rosenbrock-paths", k, &p[k]);
    assert_int_equal(p[k].n, STEPS + 1);
    assert_true(p[k].x[0] == X0 && p[k].y[0] == Y0);
    for (size_t t = 0; t < p[k].n; t++)  /* the map shows log10(1 + f) */
      assert_close(p[k].z[t], log10(1 + rosenbrock(p[k].x[t], p[k].y[t])), 1e-12);
  }
  /* SGD: θ ← θ - η∇f; momentum: Δ_(t+1) = μΔ_t - η∇f (b = g first) */
  double vx = 0, vy = 0;
  for (size_t t = 0; t < STEPS; t++) {
    rosenbrock_gradient(p[SGD].x[t], p[SGD].y[t], g);
    assert_close(p[SGD].x[t + 1], p[SGD].x[t] - valley_lr[SGD] * g[0], 1e-8);
    assert_close(p[SGD].y[t + 1], p[SGD].y[t] - valley_lr[SGD] * g[1], 1e-8);
    rosenbrock_gradient(p[MOMENTUM].x[t], p[MOMENTUM].y[t], g);
    vx = 0.9 * vx + g[0];
    vy = 0.9 * vy + g[1];
    assert_close(p[MOMENTUM].x[t + 1], p[MOMENTUM].x[t] - valley_lr[MOMENTUM] * vx, 1e-7);
    assert_close(p[MOMENTUM].y[t + 1], p[MOMENTUM].y[t] - valley_lr[MOMENTUM] * vy, 1e-7);
  }
  /* Adam, step by step from the path's own points */
  double m[2] = {0, 0}, v[2] = {0, 0};
  for (size_t t = 0; t < STEPS; t++) {
    double at[2] = {p[ADAM].x[t], p[ADAM].y[t]}, next[2] = {p[ADAM].x[t + 1],
                                                           p[ADAM].y[t + 1]};
    rosenbrock_gradient(at[0], at[1], g);
    for (int i = 0; i < 2; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      double mhat = m[i] / (1 - pow(0.9, (double) t + 1));
      double vhat = v[i] / (1 - pow(0.999, (double) t + 1));
      assert_close(next[i], at[i] - valley_lr[ADAM] * mhat / (sqrt(vhat) + 1e-8), 1e-7);
    }
  }
  /* momentum gets far closer to the minimum than SGD */
  assert_true(rosenbrock(p[MOMENTUM].x[STEPS], p[MOMENTUM].y[STEPS])
              < 0.01 * rosenbrock(p[SGD].x[STEPS], p[SGD].y[STEPS]));
  /* the loss figure: f per step of the same paths */
  static double t[STEPS + 1], f[STEPS + 1];
  for (int k = 0; k < N_OPTIM; k++) {
    size_t n = lt_read_block(lt_path(lt_default_dir(), "rosenbrock-loss", "dat"),
                             (size_t) k, t, f, STEPS + 1);
    assert_int_equal(n, STEPS + 1);
    for (size_t i = 0; i < n; i += 37)
      assert_close(f[i], rosenbrock(p[k].x[i], p[k].y[i]), 1e-12);
    /* the table's rate and end */
    const char *row = table_row(out, "ends at (x, y)", names[k]);
    double lr, x, y, end;
    assert_int_equal(sscanf(row, "%lf (%lf, %lf) %lf", &lr, &x, &y, &end), 4);
    assert_close(lr, valley_lr[k], 1e-12);
    assert_close(x, p[k].x[STEPS], 1e-5);
    assert_close(end, f[STEPS], 1e-5);
  }
}

static void
on_peaks_momentum_rolls_through_the_shallow_pit(void **state)
{
  (void) state;
  static path p[N_OPTIM];
  for (int k = 0; k < N_OPTIM; k++) {
    read_map_path(lt_default_dir(), "peaks-paths", k, &p[k]);
    assert_int_equal(p[k].n, STEPS + 1);
    assert_true(p[k].x[0] == PEAKS_X0 && p[k].y[0] == PEAKS_Y0);
    for (size_t t = 0; t < p[k].n; t += 13)
      assert_close(p[k].z[t], lt_peaks(p[k].x[t], p[k].y[t]), 1e-12);
  }
  double g[2];
  for (size_t t = 0; t < STEPS; t++) {  /* SGD: θ ← θ - η∇z */
    lt_peaks_gradient(p[SGD].x[t], p[SGD].y[t], 1e-6, g);
    assert_close(p[SGD].x[t + 1], p[SGD].x[t] - peaks_lr[SGD] * g[0], 1e-8);
    assert_close(p[SGD].y[t + 1], p[SGD].y[t] - peaks_lr[SGD] * g[1], 1e-8);
  }
  /* SGD stops in the shallow pit near (0.296, 0.320), momentum in the
   * deepest, near (0.228, -1.626): both flat, both minima of peaks */
  const double *xs = p[SGD].x, *ys = p[SGD].y, *xm = p[MOMENTUM].x, *ym = p[MOMENTUM].y;
  lt_peaks_gradient(xs[STEPS], ys[STEPS], 1e-6, g);
  assert_true(hypot(g[0], g[1]) < 1e-6);
  assert_true(hypot(xs[STEPS] - 0.296, ys[STEPS] - 0.320) < 0.01);
  assert_true(lt_peaks(xs[STEPS], ys[STEPS]) > -0.07);
  assert_true(hypot(xm[STEPS] - 0.228, ym[STEPS] - (-1.626)) < 0.01);
  assert_true(lt_peaks(xm[STEPS], ym[STEPS]) < -6.55);
  /* and nesterov stays in the shallow pit */
  assert_true(hypot(p[NESTEROV].x[STEPS] - 0.296, p[NESTEROV].y[STEPS] - 0.320) < 0.01);
}

/* ===== The network ===== */

static void
the_network_runs_start_together_and_go_down(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double start[N_OPTIM], end[N_OPTIM];
  static double t[256], c[256];
  const size_t T = 200;  /* 100 points in batches of 20, 40 epochs */
  assert_true(lt_contains(out, "5 steps per epoch, 200 in all"));
  for (int k = 0; k < N_OPTIM; k++) {
    const char *row = table_row(out, "mean accuracy", names[k]);
    double lr, acc;
    assert_int_equal(sscanf(row, "%lf %lf %lf %lf", &lr, &start[k], &end[k], &acc), 4);
    assert_true(end[k] < start[k]);
    assert_true(acc > 0.5 && acc <= 1);
    assert_close(start[k], start[0], 0);  /* the same weights for all */
    size_t n = lt_read_block(lt_path(lt_default_dir(), "network-loss", "dat"),
                             (size_t) k, t, c, 256);
    assert_int_equal(n, T + 1);
    assert_close(c[0], start[k], 1e-5);
    assert_close(c[T], end[k], 1e-5);
  }
  /* small random weights: logits near 0, cost near ln 2 */
  assert_true(fabs(start[0] - log(2)) < 0.1);
  /* what the prose says: momentum, Nesterov and Adam end with a third of
   * SGD's cost or less; Adadelta at η = 1 has hardly moved */
  assert_true(end[MOMENTUM] < end[SGD] / 3);
  assert_true(end[NESTEROV] < end[SGD] / 3);
  assert_true(end[ADAM] < end[SGD] / 3);
  assert_true(end[ADADELTA] > 0.8 * start[ADADELTA]);
}

/* ===== Schedules and clipping ===== */

/* f at the end of RMSProp's run with schedule NAME, from the table after
 * "RMSProp from (". */
static double
schedule_result(const char *name)
{
  const char *table = lt_find(lt_default_run.out, "RMSProp from (");
  char row[32];
  snprintf(row, sizeof row, "\n  %s ", name);
  double f;
  assert_int_equal(sscanf(lt_find(table, row) + strlen(row), "%lf", &f), 1);
  return f;
}

static void
the_schedules_are_their_formulas(void **state)
{
  (void) state;
  static double e[64], lr[64];
  for (int s = 0; s < 3; s++) {
    size_t n = lt_read_block(lt_path(lt_default_dir(), "lr-schedules", "dat"),
                             (size_t) s, e, lr, 64);
    assert_int_equal(n, 31);
    for (size_t i = 0; i < n; i++) {
      const double expect = s == 0 ? 0.1 * pow(0.5, floor(e[i] / 10))
                            : s == 1 ? 0.1 * pow(0.9, e[i])
                            : 0.05 * (1 + cos(M_PI * e[i] / 30));
      assert_close(lr[i], expect, 1e-12);
    }
  }
  /* the printed table, at epoch 25 */
  const char *row = strstr(lt_find(lt_default_run.out, "  epoch   step"), "\n  25 ");
  assert_non_null(row);
  double a, b, c;
  assert_int_equal(sscanf(row, " 25 %lf %lf %lf", &a, &b, &c), 3);
  assert_close(a, 0.025, 1e-7);
  assert_close(b, 0.1 * pow(0.9, 25), 1e-7);
  assert_close(c, 0.05 * (1 + cos(M_PI * 25 / 30)), 1e-7);
  /* every decaying rate ends lower than the constant one */
  const double constant = schedule_result("constant");
  const double step = schedule_result("step");
  const double exponential = schedule_result("exponential");
  const double cosine = schedule_result("cosine");
  assert_true(constant > 0);
  assert_true(step < constant && exponential < constant && cosine < constant);
  /* and the exponential, which decays fastest, gains least */
  assert_true(exponential > step && exponential > cosine);
}

static void
clipping_keeps_an_exploding_run_finite(void **state)
{
  (void) state;
  static double t[STEPS + 1], f[STEPS + 1];
  const char *file = lt_path(lt_default_dir(), "clipping", "dat");
  /* without clipping: a few steps, each higher than the one before */
  size_t n = lt_read_block(file, 0, t, f, STEPS + 1);
  assert_true(n > 2 && n < 20);
  for (size_t i = 1; i < n; i++)
    assert_true(f[i] > f[i - 1]);
  double g[2];
  rosenbrock_gradient(X0, Y0, g);
  assert_close(f[1], rosenbrock(X0 - CLIP_LR * g[0], Y0 - CLIP_LR * g[1]), 1e-9);
  /* clipped: every step, the first one of length η·c along -∇f */
  n = lt_read_block(file, 1, t, f, STEPS + 1);
  assert_int_equal(n, STEPS + 1);
  const double norm = hypot(g[0], g[1]), scale = CLIP / (norm + 1e-6);
  assert_close(f[1], rosenbrock(X0 - CLIP_LR * scale * g[0], Y0 - CLIP_LR * scale * g[1]),
               1e-9);
  assert_true(f[STEPS] < 0.01 * f[0]);
  assert_close(lt_printed_after(lt_default_run.out, "at the start ‖∇f‖ = "), norm, 1e-5);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--steps N", "--lr-scale X", "--start-x X", "--start-y X", "--peaks-x X",
    "--peaks-y X", "--epochs N", "--batch N", "--hidden N", "--repeats N", "--clip X",
    "--clip-lr X", "--seed N", "--out DIR", "--no-prose", "--quiet", "--help",
    "(default 600)", "(default -1.2)", "(default 0.3)", "(default 0.9)", "(default 40)",
    "(default 20)", "(default 8)", "(default 3)", "(default 0.01)",
    "(default out/lecture9)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][7] = {
    /* the arguments, then two texts the message must contain */
    {"--steps", "0", NULL, NULL, NULL, "--steps", "'0'"},
    {"--steps", "ten", NULL, NULL, NULL, "--steps", "ten"},
    {"--lr-scale", "0", NULL, NULL, NULL, "--lr-scale", "'0'"},
    {"--lr-scale", "nan", NULL, NULL, NULL, "--lr-scale", "nan"},
    {"--start-x", "5", NULL, NULL, NULL, "--start-x", "'5'"},
    {"--start-x", "1", "--start-y", "1", NULL, "--start-x", "bottom of the valley"},
    {"--peaks-y", "-4", NULL, NULL, NULL, "--peaks-y", "-4"},
    {"--epochs", "2.5", NULL, NULL, NULL, "--epochs", "2.5"},
    {"--batch", "0", NULL, NULL, NULL, "--batch", "'0'"},
    {"--hidden", "1000", NULL, NULL, NULL, "--hidden", "1000"},
    {"--repeats", "-1", NULL, NULL, NULL, "--repeats", "-1"},
    {"--clip", "0", NULL, NULL, NULL, "--clip", "'0'"},
    {"--clip-lr", "inf", NULL, NULL, NULL, "--clip-lr", "inf"},
    {"--bogus", NULL, NULL, NULL, NULL, "--bogus", "--help"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][5], cases[k][6]);
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

static void
the_knobs_change_the_run(void **state)
{
  (void) state;
  const char *args[] = {"--steps", "50", "--lr-scale", "2", "--start-x", "0.5",
                        "--start-y", "2", "--epochs", "3", "--batch", "7",
                        "--hidden", "3", "--repeats", "1", "--no-prose", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "The classic test is Rosenbrock"));  /* --no-prose */
  /* 100 points in batches of 7: 15 steps an epoch */
  assert_true(lt_contains(r.out, "a 2-3-1 network (13 parameters), batches of 7: "
                          "15 steps per epoch, 45 in all"));
  static path p;
  read_map_path(lt_dir("knobs"), "rosenbrock-paths", SGD, &p);
  assert_int_equal(p.n, 51);
  assert_true(p.x[0] == 0.5 && p.y[0] == 2.0);
  double g[2];
  for (size_t t = 0; t < 50; t++) {  /* twice the rate */
    rosenbrock_gradient(p.x[t], p.y[t], g);
    assert_close(p.x[t + 1], p.x[t] - 2 * valley_lr[SGD] * g[0], 1e-8);
  }
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", "--repeats", "1", NULL};
  lt_check_missing_programs(args, "rosenbrock-paths", "adam-step");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_defaults_are_pytorchs),
    cmocka_unit_test(the_first_steps_are_the_rules),
    cmocka_unit_test(every_optimizer_lowers_a_convex_quadratic),
    cmocka_unit_test(the_valley_paths_are_the_rules_on_rosenbrock),
    cmocka_unit_test(on_peaks_momentum_rolls_through_the_shallow_pit),
    cmocka_unit_test(the_network_runs_start_together_and_go_down),
    cmocka_unit_test(the_schedules_are_their_formulas),
    cmocka_unit_test(clipping_keeps_an_exploding_run_finite),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(sections_and_terminal),
    cmocka_unit_test(the_knobs_change_the_run),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
