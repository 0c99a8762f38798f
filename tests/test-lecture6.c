/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 6 (gradient descent in 2D): it runs, prints its
 * lesson, writes figures that gnuplot and dot accept, and what it computes is
 * the mathematics of the peaks surface, checked here against a formula of
 * this file's own: the analytic gradient it prints matches central
 * differences, its runs are gradient descent (each step is -η∇z) and lower
 * z, different starts end in different minima (zero gradient, curving up in
 * every direction), both ways of climbing give the same path to maxima; and
 * on the running problem (tests/runningref.h) its walk over two weights is
 * gradient descent on the cost J, and saturated units make J's partials
 * tiny.
 * Its command line behaves.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture6 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"
#include "runningref.h"

#include <stdlib.h>

/* The defaults the checks depend on. */
#define DEFAULT_LR 0.02
#define DEFAULT_EPOCHS 100
#define DEFAULT_X0 1.8
#define DEFAULT_Y0 (-1.0)

static int
setup(void **state)
{
  (void) state;
  lt_init(6);
  return 0;
}

/* ===== The mathematics, independently of the library ===== */

/* The eigenvalues lo <= hi of the Hessian by second differences. */
static void
hessian_eigenvalues(double x, double y, double *lo, double *hi)
{
  const double h = 1e-4, z = lt_peaks(x, y);
  double zxx = (lt_peaks(x + h, y) - 2 * z + lt_peaks(x - h, y)) / (h * h);
  double zyy = (lt_peaks(x, y + h) - 2 * z + lt_peaks(x, y - h)) / (h * h);
  double zxy = (lt_peaks(x + h, y + h) - lt_peaks(x + h, y - h) - lt_peaks(x - h, y + h)
                + lt_peaks(x - h, y - h)) / (4 * h * h);
  double mean = (zxx + zyy) / 2, radius = hypot((zxx - zyy) / 2, zxy);
  *lo = mean - radius;
  *hi = mean + radius;
}

/* ===== Reading what the lecture wrote ===== */

/* A path of a run: the points and heights of its epochs. */
typedef struct path {
  double x[DEFAULT_EPOCHS + 1], y[DEFAULT_EPOCHS + 1], z[DEFAULT_EPOCHS + 1];
  size_t n;
} path;

static void
read_path(const char *name, size_t block, path *p)
{
  p->n = lt_read_block3(lt_path(lt_default_dir(), name, "dat"), block, p->x, p->y, p->z,
                     DEFAULT_EPOCHS + 1);
  assert_int_equal(p->n, DEFAULT_EPOCHS + 1);
}

/* Every step of P is x ← x - sign·η∇z (sign 1 descends, -1 climbs) and
 * every z is peaks at its point. */
static void
assert_gradient_steps(const path *p, double sign)
{
  for (size_t t = 0; t < p->n; t++) {
    assert_close(p->z[t], lt_peaks(p->x[t], p->y[t]), 1e-12);
    if (t + 1 < p->n) {
      double g[2];
      lt_peaks_gradient(p->x[t], p->y[t], 1e-5, g);  /* error about 1e-10 */
      assert_close(p->x[t + 1], p->x[t] - sign * DEFAULT_LR * g[0], 1e-9);
      assert_close(p->y[t + 1], p->y[t] - sign * DEFAULT_LR * g[1], 1e-9);
    }
  }
}

/* The end of P is a flat point curving up (sign 1, a minimum) or down
 * (sign -1, a maximum) in every direction. */
static void
assert_ends_at_extremum(const path *p, double sign)
{
  const size_t T = p->n - 1;
  double g[2], lo, hi;
  lt_peaks_gradient(p->x[T], p->y[T], 1e-5, g);
  assert_true(hypot(g[0], g[1]) < 1e-3);
  hessian_eigenvalues(p->x[T], p->y[T], &lo, &hi);
  if (sign > 0)
    assert_true(lo > 1.0);
  else
    assert_true(hi < -1.0);
}

/* How many of the N ends (x[k], y[k]) differ from all earlier ones by
 * more than 0.5. */
static size_t
distinct(const double *x, const double *y, size_t n)
{
  size_t count = 0;
  for (size_t k = 0; k < n; k++) {
    int is_new = 1;
    for (size_t j = 0; j < k; j++)
      is_new &= hypot(x[k] - x[j], y[k] - y[j]) > 0.5;
    count += is_new;
  }
  return count;
}

/* ===== The lesson ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 6: Gradient descent in 2D",
    "## 1. A function of two inputs: the peaks surface",
    "## 2. Partial derivatives and the gradient",
    "## 3. The same loop, in 2D",
    "## 4. Where you start decides where you end",
    "## 5. Code challenge: gradient ascent, both ways",
    "## 6. The running problem: two weights at once",
    "## 7. Vanishing and exploding gradients",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  assert_true(lt_contains(r->out, "**steepest descent**"));
  assert_true(lt_contains(r->out, "gradient clipping"));
  /* the remedies of the course's notes */
  assert_true(lt_contains(r->out, "**few hidden layers**"));
  assert_true(lt_contains(r->out, "**pre-train**"));
  assert_true(lt_contains(r->out, "**regularization**"));
  assert_true(lt_contains(r->out, "**residual networks**"));
  /* the challenge asks and answers only with --reveal */
  assert_true(lt_contains(r->out, "Challenge: Find both ways"));
  assert_null(strstr(r->out, "1. Flip the sign of the step"));
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise6`"));
  lt_check_terminal_plot(r, "Gradient descent on peaks from (1.8, -1)");
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  assert_int_equal(lt_default_run.status, 0);
  static const char *const plots[] = {
    "peaks-surface", "peaks-z-per-epoch", "peaks-surface-path",
    "peaks-descent-paths", "peaks-ascent-paths", "running-two-weights", NULL};
  static const char *const graphs[] = {"descent-step", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== The mathematics ===== */

static void
peaks_is_the_formula(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  assert_close(lt_printed_after(out, "z(0, 0) = "), 8 / (3 * M_E), 1e-5);
  assert_close(lt_printed_after(out, "z(1, 1) = "), lt_peaks(1, 1), 1e-5);
  assert_close(lt_printed_after(out, "z(0.25, -1.6) = "), lt_peaks(0.25, -1.6), 1e-5);
  /* the surface's grid: every point is peaks there */
  static double x[121 * 61], y[121 * 61], z[121 * 61];
  size_t n = lt_read_block3(lt_path(lt_default_dir(), "peaks-surface", "dat"), 0, x, y, z,
                         121 * 61);
  assert_int_equal(n, 61 * 61);
  for (size_t k = 0; k < n; k += 7)
    assert_close(z[k], lt_peaks(x[k], y[k]), 1e-12);
}

static void
analytic_gradient_matches_central_differences(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* by hand at the origin: (-2 - 16/(3e), -6/e) */
  assert_close(lt_printed_after(out, "∂z/∂x(0, 0) = -2 - 16/(3e) = "),
               -2 - 16 / (3 * M_E), 1e-5);
  assert_close(lt_printed_after(out, "∂z/∂y(0, 0) = -6/e         = "), -6 / M_E, 1e-5);
  /* every point of the check: "at (x, y):" then "analytic  ∇z = (a, b)" */
  size_t points = 0;
  for (const char *s = strstr(out, "\nat ("); s != NULL; s = strstr(s + 1, "\nat (")) {
    double x, y, a[2], n[2];
    const char *g = strstr(s, "analytic  ∇z = (");
    if (sscanf(s, "\nat (%lf, %lf):", &x, &y) != 2 || g == NULL)
      continue;
    assert_int_equal(sscanf(g + strlen("analytic  ∇z = ("), "%lf, %lf", &a[0], &a[1]),
                     2);
    lt_peaks_gradient(x, y, 1e-5, n);
    double err = lt_relative_error(a, n, 2);  /* a is printed to 10 digits */
    if (!(err < 1e-7))
      print_error("at (%g, %g): analytic (%.15g, %.15g), numerical (%.15g, %.15g)\n",
                  x, y, a[0], a[1], n[0], n[1]);
    assert_true(err < 1e-7);
    points++;
  }
  assert_int_equal(points, 5);
}

static void
descent_lowers_z_step_by_step(void **state)
{
  (void) state;
  /* z at every epoch of section 3's run, from the default start */
  double t[DEFAULT_EPOCHS + 1], z[DEFAULT_EPOCHS + 1];
  size_t n = lt_read_block(lt_path(lt_default_dir(), "peaks-z-per-epoch", "dat"), 0, t, z,
                           DEFAULT_EPOCHS + 1);
  assert_int_equal(n, DEFAULT_EPOCHS + 1);
  assert_close(z[0], lt_peaks(DEFAULT_X0, DEFAULT_Y0), 1e-13);
  for (size_t k = 0; k + 1 < n; k++)
    assert_true(z[k + 1] <= z[k] + 1e-12);
  assert_true(z[n - 1] < z[0] - 5);  /* down into the deepest pit */
  /* the same run is the last path of the descent map (blocks 0 and 1 are
   * the heat map and the contours): each step is -η∇z */
  path p;
  read_path("peaks-descent-paths", 5, &p);
  assert_close(p.x[0], DEFAULT_X0, 0);
  assert_close(p.y[0], DEFAULT_Y0, 0);
  assert_gradient_steps(&p, 1);
  for (size_t k = 0; k < p.n; k++)
    assert_close(p.z[k], z[k], 1e-13);
  assert_true(lt_contains(lt_default_run.out,
                          "Steps where z went up (by more than rounding, 1e-12): 0"));
}

static void
different_starts_reach_different_minima(void **state)
{
  (void) state;
  double ex[4], ey[4];
  for (size_t k = 0; k < 4; k++) {
    path p;
    read_path("peaks-descent-paths", 2 + k, &p);
    assert_gradient_steps(&p, 1);
    assert_ends_at_extremum(&p, 1);
    ex[k] = p.x[p.n - 1];
    ey[k] = p.y[p.n - 1];
  }
  assert_int_equal(distinct(ex, ey, 4), 3);  /* peaks has three pits */
  assert_true(lt_contains(lt_default_run.out,
                          "Different starts, different minima: 3 distinct minima"));
  /* the lowest of them is the global minimum, near (0.228, -1.626) */
  double lowest = INFINITY;
  for (size_t k = 0; k < 4; k++)
    lowest = fmin(lowest, lt_peaks(ex[k], ey[k]));
  assert_true(lowest < -6.5 && lowest > -6.6);
}

static void
ascent_both_ways_is_one_path_to_the_tops(void **state)
{
  (void) state;
  double ex[3], ey[3];
  for (size_t k = 0; k < 3; k++) {
    path flip, negated;
    read_path("peaks-ascent-paths", 2 + 2 * k, &flip);      /* p + η∇z */
    read_path("peaks-ascent-paths", 3 + 2 * k, &negated);   /* p - η∇(-z) */
    assert_gradient_steps(&flip, -1);
    for (size_t t = 0; t < flip.n; t++) {  /* the same numbers, bit for bit */
      assert_true(flip.x[t] == negated.x[t]);
      assert_true(flip.y[t] == negated.y[t]);
      assert_true(flip.z[t] == negated.z[t]);
      if (t > 0)
        assert_true(flip.z[t] >= flip.z[t - 1] - 1e-12);  /* ascent raises z */
    }
    assert_ends_at_extremum(&flip, -1);
    ex[k] = flip.x[flip.n - 1];
    ey[k] = flip.y[flip.n - 1];
  }
  assert_int_equal(distinct(ex, ey, 3), 3);
  assert_true(lt_contains(lt_default_run.out, "3 different tops; both ways give the "
                          "same path"));
}

/* ===== The running problem over two weights ===== */

/* The walk over (v1, c): it starts at --weights-from (4, -4), every point
 * lies on the cost J of the hand-set network (recomputed here from the
 * definition), every step is -η ∇J with the partials taken as central
 * differences of that J, J goes down, and the printed partials at the start
 * are the partial derivatives. The map under it is J on its grid. */
static void
the_running_walk_descends_two_weights(void **state)
{
  (void) state;
  rr_data d;
  rr_make_data(&d, 0.15);
  double theta[RR_PARAMS];
  rr_hand_set(theta, 10);
  const size_t A = rr_index("v1"), B = rr_index("c");
  const char *file = lt_path(lt_default_dir(), "running-two-weights", "dat");
  static double x[256], y[256], J[256];
  size_t n = lt_read_block3(file, 2, x, y, J, 256);  /* blocks 0, 1: the grid */
  assert_int_equal(n, DEFAULT_EPOCHS + 1);
  assert_true(x[0] == 4.0 && y[0] == -4.0);
  for (size_t t = 0; t < n; t++) {
    theta[A] = x[t];
    theta[B] = y[t];
    assert_close(J[t], rr_cost(theta, &d), 1e-12);
    if (t + 1 < n) {
      assert_true(J[t + 1] <= J[t]);
      assert_close(x[t + 1] - x[t], -20 * rr_partial(theta, A, &d), 1e-5);
      assert_close(y[t + 1] - y[t], -20 * rr_partial(theta, B, &d), 1e-5);
    }
  }
  assert_true(J[n - 1] < 0.05 * J[0]);
  theta[A] = 4;
  theta[B] = -4;
  assert_close(lt_printed_after(lt_default_run.out, "chain rule          ∂J/∂v1 = "),
               rr_partial(theta, A, &d), 2e-5);
  assert_close(lt_printed_after(lt_default_run.out, ", ∂J/∂c = "),
               rr_partial(theta, B, &d), 2e-5);
  /* the grid of the map */
  static double gx[4096], gy[4096], gz[4096];
  size_t m = lt_read_block3(file, 0, gx, gy, gz, 4096);
  assert_int_equal(m, 61 * 61);
  for (size_t k = 0; k < m; k += 97) {
    rr_hand_set(theta, 10);
    theta[A] = gx[k];
    theta[B] = gy[k];
    assert_close(gz[k], rr_cost(theta, &d), 1e-9);
  }
}

/* Saturation: the hand-set network scaled by k with c = 0. The table's J
 * and largest partial are those of the definition, and from k = 1 on, the
 * larger the weights the smaller the largest partial. */
static void
saturated_units_make_the_partials_tiny(void **state)
{
  (void) state;
  rr_data d;
  rr_make_data(&d, 0.15);
  const char *s = lt_find(lt_default_run.out, "  k      J at c = 0");
  s = strchr(s, '\n') + 1;
  static const double ks[] = {0.5, 1, 2, 5, 10, 20};
  double before = INFINITY;
  for (size_t k = 0; k < 6; k++) {
    double kk, J, largest;
    assert_int_equal(sscanf(s, " %lf %lf %lf", &kk, &J, &largest), 3);
    assert_close(kk, ks[k], 0);
    double theta[RR_PARAMS];
    rr_hand_set(theta, ks[k]);
    theta[RR_PARAMS - 1] = 0;
    double most = 0;
    for (size_t i = 0; i < RR_PARAMS; i++)
      most = fmax(most, fabs(rr_partial(theta, i, &d)));
    assert_close(J, rr_cost(theta, &d), 1e-3);
    assert_close(largest, most, 1e-3);
    if (ks[k] >= 1) {
      assert_true(largest < before);
      before = largest;
    }
    s = strchr(s, '\n') + 1;
  }
  assert_true(before < 1e-6);
}

/* The knobs of section 6: two other weights, another start and rate. */
static void
the_running_knobs_change_the_walk(void **state)
{
  (void) state;
  const char *args[] = {"--weights", "w11,b1", "--weights-from", "2,2", "--running-lr",
                        "5", "--epochs", "20", "--restarts", "0", "--no-prose", NULL};
  const char *const env[] = {"NN_GNUPLOT=/nonexistent", "NN_DOT=/nonexistent", NULL};
  lt_run r = lt_run_lecture("running-knobs", args, env);
  lt_check_succeeded(&r);
  rr_data d;
  rr_make_data(&d, 0.15);
  double theta[RR_PARAMS];
  rr_hand_set(theta, 10);
  const size_t A = rr_index("w11"), B = rr_index("b1");
  static double x[64], y[64], J[64];
  size_t n = lt_read_block3(lt_path(lt_dir("running-knobs"), "running-two-weights",
                                    "dat"), 2, x, y, J, 64);
  assert_int_equal(n, 21);
  assert_true(x[0] == 2.0 && y[0] == 2.0);
  for (size_t t = 0; t + 1 < n; t++) {
    theta[A] = x[t];
    theta[B] = y[t];
    assert_close(J[t], rr_cost(theta, &d), 1e-12);
    assert_close(x[t + 1] - x[t], -5 * rr_partial(theta, A, &d), 1e-5);
    assert_close(y[t + 1] - y[t], -5 * rr_partial(theta, B, &d), 1e-5);
  }
  lt_run_free(&r);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--start-x X", "--start-y X", "--lr X", "--epochs N", "--ascent",
    "--restarts N", "--seed N", "--out DIR", "--no-prose", "--quiet", "--help",
    "(default 1.8)", "(default -1)", "(default 0.02)", "(default 100)",
    "(default 200)", "(default out/lecture6)", "--weights TEXT",
    "--weights-from TEXT", "--running-lr X", "--running-sd X", "--scale X",
    "(default v1,c)", "(default 4,-4)", "(default 20)", "(default 0.15)",
    "(default 10)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--lr", "0", NULL, "--lr", "'0'"},
    {"--lr", "abc", NULL, "--lr", "abc"},
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "2.5", NULL, "--epochs", "2.5"},
    {"--start-x", "4", NULL, "--start-x", "'4'"},
    {"--start-y", "nan", NULL, "--start-y", "nan"},
    {"--restarts", "-1", NULL, "--restarts", "-1"},
    {"--ascent", "yes", NULL, "yes", "unexpected"},
    {"--weights", "v1", NULL, "--weights", "'v1'"},
    {"--weights", "v1,v3", NULL, "--weights", "'v1,v3'"},
    {"--weights", "c,c", NULL, "--weights", "twice"},
    {"--weights-from", "1", NULL, "--weights-from", "'1'"},
    {"--weights-from", "1,x", NULL, "--weights-from", "'1,x'"},
    {"--running-lr", "0", NULL, "--running-lr", "'0'"},
    {"--scale", "99", NULL, "--scale", "99"},
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
the_knobs_change_the_run(void **state)
{
  (void) state;
  /* climbing from the default start, and a descent from elsewhere */
  const char *up[] = {"--ascent", "--no-prose", "--restarts", "10", NULL};
  lt_run r = lt_run_lecture("ascent", up, NULL);
  lt_check_succeeded(&r);
  assert_null(strstr(r.out, "steepest descent"));  /* --no-prose */
  assert_true(lt_contains(r.out, "The run climbs from"));
  assert_true(lt_contains(r.out, "the top of a hill"));
  double t[DEFAULT_EPOCHS + 1], z[DEFAULT_EPOCHS + 1];
  size_t n = lt_read_block(lt_path(lt_dir("ascent"), "peaks-z-per-epoch", "dat"), 0, t, z,
                           DEFAULT_EPOCHS + 1);
  assert_int_equal(n, DEFAULT_EPOCHS + 1);
  for (size_t k = 0; k + 1 < n; k++)
    assert_true(z[k + 1] >= z[k] - 1e-12);
  assert_true(z[n - 1] > z[0] + 2);
  lt_run_free(&r);

  const char *other[] = {"--start-x", "-1.5", "--start-y", "1", "--lr", "0.01",
                         "--epochs", "300", "--restarts", "0", "--quiet", NULL};
  r = lt_run_lecture("knobs", other, NULL);
  lt_check_succeeded(&r);
  assert_string_equal(r.out, "");
  static double tt[301], zz[301];
  n = lt_read_block(lt_path(lt_dir("knobs"), "peaks-z-per-epoch", "dat"), 0, tt, zz, 301);
  assert_int_equal(n, 301);
  assert_close(zz[0], lt_peaks(-1.5, 1), 1e-13);
  for (size_t k = 0; k + 1 < n; k++)
    assert_true(zz[k + 1] <= zz[k] + 1e-12);
  /* the pit on the left: z about -3.05 */
  assert_true(zz[300] < -3.0 && zz[300] > -3.1);
  lt_run_free(&r);
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", NULL};
  lt_check_missing_programs(args, "peaks-descent-paths", "descent-step");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(peaks_is_the_formula),
    cmocka_unit_test(analytic_gradient_matches_central_differences),
    cmocka_unit_test(descent_lowers_z_step_by_step),
    cmocka_unit_test(different_starts_reach_different_minima),
    cmocka_unit_test(ascent_both_ways_is_one_path_to_the_tops),
    cmocka_unit_test(the_running_walk_descends_two_weights),
    cmocka_unit_test(saturated_units_make_the_partials_tiny),
    cmocka_unit_test(the_running_knobs_change_the_walk),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(the_knobs_change_the_run),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
