/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex05.c: the public tests of exercise 5.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_descent_step_1d for a step, nn_descent_rate for a learning-rate
 * schedule, and nn_descent_run_1d for the trajectory of a whole descent.
 * The library's path is copied into arrays on the stack and freed before the
 * student's answer is judged, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

#include <nn/descent.h>

#include "exercises.h"
#include "remote-ex05.h"
#include "testkit.h"

/* The library's options for the student's. */
static nn_descent_options
library_options(const ex5_options *o)
{
  return (nn_descent_options) {.lr = o->lr, .epochs = o->epochs,
                               .schedule = (nn_descent_schedule) o->schedule,
                               .decay = o->decay};
}

/* The library's trajectory of the descent of function KIND (coefficients P
 * for NNG_FN_POLY) from x0: T + 1 entries into xs, fs and dfs. */
static void
library_run(int kind, const gsl_vector *p, double x0, const ex5_options *o,
            double *xs, double *fs, double *dfs)
{
  /* the probe's own polynomial (probe-functions.c): the same numbers */
  nng_fn poly = {NNG_FN_POLY, p, 0};
  gsl_function_fdf fn = {nn_descent_quadratic, nn_descent_quadratic_deriv,
                         nn_descent_quadratic_fdf, NULL};
  if (kind == NNG_FN_WAVY)
    fn = (gsl_function_fdf) {nn_descent_wavy, nn_descent_wavy_deriv,
                             nn_descent_wavy_fdf, NULL};
  else if (kind == NNG_FN_POLY)
    fn = (gsl_function_fdf) {nng_fn_eval, nng_fn_deriv, nng_fn_fdf, &poly};
  nn_descent_options opt = library_options(o);
  nn_descent_path *path = nn_descent_path_alloc(1, o->epochs);
  nn_descent_run_1d(&fn, x0, &opt, path);
  for (size_t t = 0; t <= o->epochs; t++) {
    xs[t] = gsl_matrix_get(path->x, t, 0);
    fs[t] = gsl_vector_get(path->f, t);
    dfs[t] = gsl_matrix_get(path->grad, t, 0);
  }
  nn_descent_path_free(path);
}

/* ===== ex5_step ===== */

static void
step_moves_against_the_slope(void **state)
{
  (void) state;
  double x = 2.385, expected = 2.385;
  nn_descent_step_1d(&expected, 11.31, 0.02, 0);
  NNG_REQUIRE_SUCCESS(nng_ex5_step(&x, 11.31, 0.02), "ex5_step");
  NNG_EXPECT_CLOSE("ex5_step from x = 2.385 with f'(x) = 11.31, lr = 0.02", x,
                   expected, 1e-15);
  x = expected = -0.75;
  nn_descent_step_1d(&expected, -7.5, 0.1, 0);
  NNG_REQUIRE_SUCCESS(nng_ex5_step(&x, -7.5, 0.1), "ex5_step");
  NNG_EXPECT_CLOSE("ex5_step from x = -0.75 with f'(x) = -7.5, lr = 0.1 (a negative "
                   "slope: x moves right)", x, expected, 1e-15);
}

static void
step_with_a_zero_rate_or_slope_stays_put(void **state)
{
  (void) state;
  double x = 2.385;
  NNG_REQUIRE_SUCCESS(nng_ex5_step(&x, 0.0, 0.5), "ex5_step");
  NNG_EXPECT_CLOSE("ex5_step at a flat point, f'(x) = 0", x, 2.385, 0.0);
  NNG_REQUIRE_SUCCESS(nng_ex5_step(&x, 4.77, 0.0), "ex5_step");
  NNG_EXPECT_CLOSE("ex5_step with lr = 0", x, 2.385, 0.0);
}

static void
step_rejects_bad_rates(void **state)
{
  (void) state;
  const double rates[] = {-0.01, NAN, INFINITY};
  const char *names[] = {"lr = -0.01", "lr = NaN", "lr = infinity"};
  for (size_t k = 0; k < 3; k++) {
    double x = 42.0;
    NNG_EXPECT_STATUS(nng_ex5_step(&x, 1.5, rates[k]), GSL_EDOM, "ex5_step", names[k]);
    NNG_EXPECT_CLOSE("x after the error (it must be left as it was)", x, 42.0, 0.0);
  }
}

/* ===== ex5_rate ===== */

/* The student's rate against the library's, for one set of arguments. */
static void
expect_rate(const ex5_options *o, size_t epoch, double fx, double dfdx,
            const char *what)
{
  nn_descent_options opt = library_options(o);
  double expected = NAN, rate = NAN;
  nn_descent_rate(&opt, epoch, fx, fabs(dfdx), &expected);
  NNG_REQUIRE_SUCCESS(nng_ex5_rate(o, epoch, fx, dfdx, &rate), "ex5_rate");
  NNG_EXPECT_CLOSE(what, rate, expected, 1e-14);
}

static void
rate_of_the_fixed_and_decaying_schedules(void **state)
{
  (void) state;
  ex5_options o = {0.04, 100, EX5_FIXED, 0.0};
  expect_rate(&o, 37, 3.5, -1.25, "ex5_rate, EX5_FIXED, lr = 0.04, epoch 37 of 100");
  o.schedule = EX5_LINEAR_DECAY;
  expect_rate(&o, 0, 3.5, -1.25, "ex5_rate, EX5_LINEAR_DECAY, epoch 0 of 100");
  expect_rate(&o, 37, 3.5, -1.25, "ex5_rate, EX5_LINEAR_DECAY, epoch 37 of 100");
  expect_rate(&o, 99, 3.5, -1.25, "ex5_rate, EX5_LINEAR_DECAY, epoch 99 of 100");
  o = (ex5_options) {0.3, 50, EX5_INVERSE_DECAY, 0.25};
  expect_rate(&o, 0, 3.5, -1.25, "ex5_rate, EX5_INVERSE_DECAY, k = 0.25, epoch 0");
  expect_rate(&o, 10, 3.5, -1.25, "ex5_rate, EX5_INVERSE_DECAY, k = 0.25, epoch 10");
  expect_rate(&o, 49, 3.5, -1.25, "ex5_rate, EX5_INVERSE_DECAY, k = 0.25, epoch 49");
}

static void
rate_scaled_by_the_slope_and_the_loss(void **state)
{
  (void) state;
  ex5_options o = {0.02, 100, EX5_SLOPE_SCALED, 0.0};
  expect_rate(&o, 5, 2.385, -4.77, "ex5_rate, EX5_SLOPE_SCALED at f'(x) = -4.77");
  expect_rate(&o, 5, 2.385, 6.5, "ex5_rate, EX5_SLOPE_SCALED at f'(x) = 6.5");
  o.schedule = EX5_LOSS_SCALED;
  expect_rate(&o, 5, -0.75, 6.5, "ex5_rate, EX5_LOSS_SCALED at f(x) = -0.75");
  expect_rate(&o, 5, 10.0, 6.5, "ex5_rate, EX5_LOSS_SCALED at f(x) = 10");
}

static void
rate_rejects_bad_options(void **state)
{
  (void) state;
  static const struct {
    ex5_options o;
    size_t epoch;
    int status;
    const char *what;
  } cases[] = {
    {{0.0, 100, EX5_FIXED, 0.0}, 3, GSL_EDOM, "lr = 0"},
    {{-0.02, 100, EX5_FIXED, 0.0}, 3, GSL_EDOM, "lr = -0.02"},
    {{NAN, 100, EX5_FIXED, 0.0}, 3, GSL_EDOM, "lr = NaN"},
    {{0.02, 0, EX5_FIXED, 0.0}, 0, GSL_EBADLEN, "epochs = 0"},
    {{0.02, 100, EX5_FIXED, 0.0}, 100, GSL_EDOM, "epoch 100 of a run of 100 "
     "(the epochs are 0 to 99)"},
    {{0.02, 100, 7, 0.0}, 3, GSL_EDOM, "a schedule of 7"},
    {{0.02, 100, EX5_INVERSE_DECAY, -0.5}, 3, GSL_EDOM, "EX5_INVERSE_DECAY with "
     "decay = -0.5"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double rate = 42.0;
    NNG_EXPECT_STATUS(nng_ex5_rate(&cases[k].o, cases[k].epoch, 1.0, 1.0, &rate),
                      cases[k].status, "ex5_rate", cases[k].what);
    NNG_EXPECT_CLOSE("the rate after the error (it must be left as it was)", rate,
                     42.0, 0.0);
  }
}

/* ===== ex5_descend ===== */

/* Run the student's descent and the library's, and compare the three
 * trajectories. T <= 100. */
static void
expect_descent(int kind, const gsl_vector *p, double x0, const ex5_options *o,
               const char *what)
{
  enum { MAX = 101 };
  const size_t n = o->epochs + 1;
  double xa[MAX], fa[MAX], da[MAX], xe[MAX], fe[MAX], de[MAX];
  nng_set_all(xa, n, NAN);
  nng_set_all(fa, n, NAN);
  nng_set_all(da, n, NAN);
  library_run(kind, p, x0, o, xe, fe, de);
  gsl_vector_view xs = gsl_vector_view_array(xa, n), fs = gsl_vector_view_array(fa, n);
  gsl_vector_view ds = gsl_vector_view_array(da, n);
  gsl_vector_view ex = gsl_vector_view_array(xe, n), ef = gsl_vector_view_array(fe, n);
  gsl_vector_view ed = gsl_vector_view_array(de, n);
  NNG_REQUIRE_SUCCESS(nng_ex5_descend(kind, p, x0, o, &xs.vector, &fs.vector,
                                      &ds.vector), "ex5_descend");
  char label[256];
  snprintf(label, sizeof label, "xs (x_0 .. x_T) of %s", what);
  NNG_EXPECT_VECTOR_CLOSE(label, &xs.vector, &ex.vector, 1e-12);
  snprintf(label, sizeof label, "fs (f(x_t)) of %s", what);
  NNG_EXPECT_VECTOR_CLOSE(label, &fs.vector, &ef.vector, 1e-12);
  snprintf(label, sizeof label, "dfs (f'(x_t)) of %s", what);
  NNG_EXPECT_VECTOR_CLOSE(label, &ds.vector, &ed.vector, 1e-12);
}

static void
descend_reaches_the_minimum_of_the_quadratic(void **state)
{
  (void) state;
  ex5_options o = {0.05, 60, EX5_FIXED, 0.0};
  expect_descent(NNG_FN_QUADRATIC, NULL, 2.385, &o,
                 "3x² - 3x + 4 from 2.385, lr = 0.05, 60 epochs");
}

static void
descend_records_f_and_its_slope(void **state)
{
  (void) state;
  ex5_options o = {0.01, 80, EX5_FIXED, 0.0};
  expect_descent(NNG_FN_WAVY, NULL, 1.2, &o,
                 "cos(2πx) + x² from 1.2, lr = 0.01, 80 epochs");
}

static void
descend_never_moves_from_a_flat_start(void **state)
{
  (void) state;
  enum { T = 50 };
  double xa[T + 1], fa[T + 1], da[T + 1];
  nng_set_all(xa, T + 1, NAN);
  nng_set_all(fa, T + 1, NAN);
  nng_set_all(da, T + 1, NAN);
  gsl_vector_view xs = gsl_vector_view_array(xa, T + 1);
  gsl_vector_view fs = gsl_vector_view_array(fa, T + 1);
  gsl_vector_view ds = gsl_vector_view_array(da, T + 1);
  ex5_options o = {0.02, T, EX5_FIXED, 0.0};
  NNG_REQUIRE_SUCCESS(nng_ex5_descend(NNG_FN_WAVY, NULL, 0.0, &o, &xs.vector,
                                      &fs.vector, &ds.vector), "ex5_descend");
  NNG_EXPECT_TRUE(nng_all_equal(xa, T + 1, 0.0) && nng_all_equal(da, T + 1, 0.0)
                  && nng_all_equal(fa, T + 1, 1.0),
                  "ex5_descend on cos(2πx) + x² from x0 = 0, where f'(0) = 0: every "
                  "x_t must be exactly 0 (f = 1, f' = 0), but x_1 = %g, x_T = %g.",
                  xa[1], xa[T]);
}

static void
descend_follows_the_schedule(void **state)
{
  (void) state;
  ex5_options o = {0.1, 40, EX5_LINEAR_DECAY, 0.0};
  expect_descent(NNG_FN_QUADRATIC, NULL, -1.7, &o,
                 "3x² - 3x + 4 from -1.7, EX5_LINEAR_DECAY, lr = 0.1, 40 epochs");
  o = (ex5_options) {0.05, 30, EX5_INVERSE_DECAY, 0.2};
  expect_descent(NNG_FN_QUADRATIC, NULL, 2.385, &o,
                 "3x² - 3x + 4 from 2.385, EX5_INVERSE_DECAY, k = 0.2, 30 epochs");
  /* x⁴/4 - x², minima at ±√2 */
  double pa[] = {0.0, 0.0, -1.0, 0.0, 0.25};
  gsl_vector_view p = gsl_vector_view_array(pa, 5);
  o = (ex5_options) {0.05, 40, EX5_SLOPE_SCALED, 0.0};
  expect_descent(NNG_FN_POLY, &p.vector, 0.3, &o,
                 "x⁴/4 - x² from 0.3, EX5_SLOPE_SCALED, lr = 0.05, 40 epochs");
  o = (ex5_options) {0.1, 40, EX5_LOSS_SCALED, 0.0};
  expect_descent(NNG_FN_POLY, &p.vector, 2.2, &o,
                 "x⁴/4 - x² from 2.2, EX5_LOSS_SCALED, lr = 0.1, 40 epochs");
}

static void
descend_rejects_sizes_that_do_not_fit(void **state)
{
  (void) state;
  double xa[11], fa[11], da[11];
  nng_set_all(xa, 11, 7.5);
  nng_set_all(fa, 11, 7.5);
  nng_set_all(da, 11, 7.5);
  ex5_options o = {0.05, 10, EX5_FIXED, 0.0};
  gsl_vector_view x10 = gsl_vector_view_array(xa, 10), x11 = gsl_vector_view_array(xa, 11);
  gsl_vector_view f10 = gsl_vector_view_array(fa, 10), f11 = gsl_vector_view_array(fa, 11);
  gsl_vector_view d11 = gsl_vector_view_array(da, 11);
  NNG_EXPECT_STATUS(nng_ex5_descend(NNG_FN_QUADRATIC, NULL, 2.0, &o, &x10.vector,
                                    &f11.vector, &d11.vector), GSL_EBADLEN,
                    "ex5_descend", "10 epochs and xs of 10 entries (it needs 11)");
  NNG_EXPECT_STATUS(nng_ex5_descend(NNG_FN_QUADRATIC, NULL, 2.0, &o, &x11.vector,
                                    &f10.vector, &d11.vector), GSL_EBADLEN,
                    "ex5_descend", "10 epochs and fs of 10 entries");
  NNG_EXPECT_TRUE(nng_all_equal(xa, 11, 7.5) && nng_all_equal(fa, 11, 7.5)
                  && nng_all_equal(da, 11, 7.5),
                  "ex5_descend wrote into xs, fs or dfs although their sizes did not "
                  "fit.");
}

static void
descend_rejects_bad_options(void **state)
{
  (void) state;
  double xa[11], fa[11], da[11];
  nng_set_all(xa, 11, 7.5);
  nng_set_all(fa, 11, 7.5);
  nng_set_all(da, 11, 7.5);
  gsl_vector_view xs = gsl_vector_view_array(xa, 11), fs = gsl_vector_view_array(fa, 11);
  gsl_vector_view ds = gsl_vector_view_array(da, 11);
  ex5_options o = {-0.01, 10, EX5_FIXED, 0.0};
  NNG_EXPECT_STATUS(nng_ex5_descend(NNG_FN_QUADRATIC, NULL, 2.0, &o, &xs.vector,
                                    &fs.vector, &ds.vector), GSL_EDOM,
                    "ex5_descend", "lr = -0.01");
  o = (ex5_options) {0.05, 10, 9, 0.0};
  NNG_EXPECT_STATUS(nng_ex5_descend(NNG_FN_QUADRATIC, NULL, 2.0, &o, &xs.vector,
                                    &fs.vector, &ds.vector), GSL_EDOM,
                    "ex5_descend", "a schedule of 9");
  NNG_EXPECT_TRUE(nng_all_equal(xa, 11, 7.5) && nng_all_equal(fa, 11, 7.5)
                  && nng_all_equal(da, 11, 7.5),
                  "ex5_descend wrote into xs, fs or dfs although the options were bad.");
}

const nng_test nng_ex05_tests[] = {
  {"step_moves_against_the_slope", step_moves_against_the_slope, "ex5_step", 1,
   "x - lr * dfdx: a positive slope moves x left, a negative one right."},
  {"step_with_a_zero_rate_or_slope_stays_put", step_with_a_zero_rate_or_slope_stays_put,
   "ex5_step", 1,
   "lr = 0 is allowed (>= 0), and so is a slope of 0: x stays where it is."},
  {"step_rejects_bad_rates", step_rejects_bad_rates, "ex5_step", 1,
   "!(lr >= 0) catches negative numbers and NaN, isfinite(lr) catches infinity: "
   "return GSL_EDOM before touching *x."},
  {"rate_of_the_fixed_and_decaying_schedules", rate_of_the_fixed_and_decaying_schedules,
   "ex5_rate", 1,
   "Linear decay: lr * (1 - epoch / epochs), in doubles (cast the size_t values); "
   "inverse decay: lr / (1 + decay * epoch)."},
  {"rate_scaled_by_the_slope_and_the_loss", rate_scaled_by_the_slope_and_the_loss,
   "ex5_rate", 1,
   "Scale by the size of the slope or of the loss: fabs(dfdx), fabs(fx). A rate is "
   "never negative."},
  {"rate_rejects_bad_options", rate_rejects_bad_options, "ex5_rate", 1,
   "Check lr (finite, > 0: GSL_EDOM), epochs (0: GSL_EBADLEN), the schedule (not one "
   "of ex5_schedule: GSL_EDOM), the decay of EX5_INVERSE_DECAY (< 0: GSL_EDOM), then "
   "epoch < epochs (GSL_EDOM)."},
  {"descend_reaches_the_minimum_of_the_quadratic",
   descend_reaches_the_minimum_of_the_quadratic, "ex5_descend", 1,
   "Record x_0 first; then for t = 0 .. T-1: the rate at (t, f(x_t), f'(x_t)), the "
   "step, and record x_{t+1} with its f and f'. T + 1 entries in all."},
  {"descend_records_f_and_its_slope", descend_records_f_and_its_slope, "ex5_descend", 1,
   "fs[t] = GSL_FN_FDF_EVAL_F(f, xs[t]) and dfs[t] = GSL_FN_FDF_EVAL_DF(f, xs[t]), "
   "at the x of the same row."},
  {"descend_never_moves_from_a_flat_start", descend_never_moves_from_a_flat_start,
   "ex5_descend", 1,
   "Where f'(x) = 0 the step is 0: do not nudge x, do not stop early, record every "
   "epoch."},
  {"descend_follows_the_schedule", descend_follows_the_schedule, "ex5_descend", 1,
   "Step t uses the rate of ex5_rate(opt, t, f(x_t), f'(x_t)): the scaled schedules "
   "read f and f' at the x before the step."},
  {"descend_rejects_sizes_that_do_not_fit", descend_rejects_sizes_that_do_not_fit,
   "ex5_descend", 1,
   "xs, fs and dfs each need opt->epochs + 1 entries: check before the first write "
   "and return GSL_EBADLEN."},
  {"descend_rejects_bad_options", descend_rejects_bad_options, "ex5_descend", 1,
   "Check the options as ex5_rate does (lr, epochs, schedule, decay) before the "
   "first write."},
  {NULL, NULL, NULL, 0, NULL},
};
