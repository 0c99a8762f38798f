/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/deriv.h: the difference quotients against the calculus. */
#include "nntest.h"

#include <gsl/gsl_math.h>
#include <nn/deriv.h>
#include <nn/poly.h>

static double quad[] = {4.0, -3.0, 3.0};  /* 3x² - 3x + 4 */

static double
sin_fn(double x, void *params)
{
  (void) params;
  return sin(x);
}

static void
the_quadratic_has_zero_slope_at_one_half(void **state)
{
  (void) state;
  gsl_vector_view c = gsl_vector_view_array(quad, 3);
  gsl_function f = {nn_poly_function, &c.vector};
  double d = NAN, err = NAN;
  /* The central difference is exact on a quadratic (f''' = 0): only round-off. */
  assert_int_equal(nn_deriv_central(&f, 0.5, 1e-3, &d), GSL_SUCCESS);
  assert_close(d, 0.0, 1e-11);
  assert_int_equal(nn_deriv_central(&f, 2.385, 1e-3, &d), GSL_SUCCESS);
  assert_close(d, 6 * 2.385 - 3, 1e-11);
  assert_int_equal(nn_deriv_gsl_central(&f, 0.5, 1e-3, &d, &err), GSL_SUCCESS);
  assert_close(d, 0.0, 1e-10);
  assert_true(err >= 0.0 && err < 1e-8);
  /* The forward difference is off by (h/2) f'' = 3h. */
  assert_int_equal(nn_deriv_forward(&f, 0.5, 1e-3, &d), GSL_SUCCESS);
  assert_close(d, 3e-3, 1e-9);
}

/* On sin at x = 1: central error ≈ (h²/6)·cos(1), forward error ≈ (h/2)·sin(1). */
static void
truncation_errors_follow_their_orders(void **state)
{
  (void) state;
  gsl_function f = {sin_fn, NULL};
  const double x = 1.0, exact = cos(1.0);
  for (double h = 1e-2; h >= 1e-4; h /= 10) {
    double c = NAN, fw = NAN;
    assert_int_equal(nn_deriv_central(&f, x, h, &c), GSL_SUCCESS);
    assert_int_equal(nn_deriv_forward(&f, x, h, &fw), GSL_SUCCESS);
    double ec = fabs(c - exact), ef = fabs(fw - exact);
    assert_close(ec / (h * h * cos(1.0) / 6.0), 1.0, 0.01);
    assert_close(ef / (h * sin(1.0) / 2.0), 1.0, 0.01);
  }
}

static void
round_off_takes_over_for_tiny_steps(void **state)
{
  (void) state;
  gsl_function f = {sin_fn, NULL};
  const double exact = cos(1.0);
  double best = NAN, tiny = NAN;
  assert_int_equal(nn_deriv_central(&f, 1.0, 1e-5, &best), GSL_SUCCESS);
  assert_int_equal(nn_deriv_central(&f, 1.0, 1e-13, &tiny), GSL_SUCCESS);
  assert_true(fabs(tiny - exact) > 100 * fabs(best - exact));
}

static double
bowl(const gsl_vector *x, void *params)
{
  /* f(x; a) = a·x0²·x1 + sin(x1): ∂f/∂x0 = 2a·x0·x1, ∂f/∂x1 = a·x0² + cos(x1) */
  double a = *(const double *) params;
  double x0 = gsl_vector_get(x, 0), x1 = gsl_vector_get(x, 1);
  return a * x0 * x0 * x1 + sin(x1);
}

static void
partial_derivatives_match_and_restore_x(void **state)
{
  (void) state;
  double a = 2.385, xa[] = {0.7, -1.3};
  gsl_vector_view x = gsl_vector_view_array(xa, 2);
  double d0 = NAN, d1 = NAN;
  assert_int_equal(nn_deriv_partial(bowl, &a, &x.vector, 0, 1e-5, &d0), GSL_SUCCESS);
  assert_int_equal(nn_deriv_partial(bowl, &a, &x.vector, 1, 1e-5, &d1), GSL_SUCCESS);
  assert_close(d0, 2 * a * 0.7 * -1.3, 1e-8);
  assert_close(d1, a * 0.49 + cos(-1.3), 1e-8);
  assert_true(xa[0] == 0.7 && xa[1] == -1.3);
}

static void
bad_steps_and_indices_are_named(void **state)
{
  (void) state;
  gsl_function f = {sin_fn, NULL};
  double d = 0, a = 1.0, xa[] = {1.0, 2.0};
  gsl_vector_view x = gsl_vector_view_array(xa, 2);
  assert_gsl_error(nn_deriv_central(&f, 1.0, 0.0, &d), GSL_EDOM, "finite and positive");
  assert_gsl_error(nn_deriv_forward(&f, 1.0, -1e-3, &d), GSL_EDOM, "-0.001");
  assert_gsl_error(nn_deriv_gsl_central(&f, 1.0, NAN, &d, NULL), GSL_EDOM, "nan");
  assert_gsl_error(nn_deriv_central(NULL, 1.0, 1e-3, &d), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_deriv_partial(bowl, &a, &x.vector, 2, 1e-5, &d), GSL_EBADLEN,
                   "component 2 asked of a vector of 2 entries");
  assert_gsl_error(nn_deriv_partial(bowl, &a, NULL, 0, 1e-5, &d), GSL_EINVAL, "NULL");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_quadratic_has_zero_slope_at_one_half),
    cmocka_unit_test(truncation_errors_follow_their_orders),
    cmocka_unit_test(round_off_takes_over_for_tiny_steps),
    cmocka_unit_test(partial_derivatives_match_and_restore_x),
    cmocka_unit_test(bad_steps_and_indices_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
