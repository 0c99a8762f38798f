/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/poly.h: evaluation and the power rule. */
#include "nntest.h"

#include <gsl/gsl_math.h>
#include <nn/poly.h>

/* f(x) = 3x² - 3x + 4, the course's first function. */
static double fa[] = {4.0, -3.0, 3.0};

static void
eval_agrees_with_the_formula(void **state)
{
  (void) state;
  gsl_vector_view f = gsl_vector_view_array(fa, 3);
  const double xs[] = {-2.385, 0.0, 0.5, 1.75};
  for (size_t k = 0; k < 4; k++) {
    double x = xs[k], y = NAN;
    assert_int_equal(nn_poly_eval(&f.vector, x, &y), GSL_SUCCESS);
    assert_close(y, 3 * x * x - 3 * x + 4, 1e-14);
    assert_close(nn_poly_function(x, &f.vector), 3 * x * x - 3 * x + 4, 1e-14);
  }
}

static void
eval_works_on_strided_views(void **state)
{
  (void) state;
  /* every other entry: 1 + 2x + 3x² */
  double a[] = {1.0, 99.0, 2.0, 99.0, 3.0, 99.0};
  gsl_vector_view c = gsl_vector_view_array_with_stride(a, 2, 3);
  double y = NAN;
  assert_int_equal(nn_poly_eval(&c.vector, 2.385, &y), GSL_SUCCESS);
  assert_close(y, 1 + 2 * 2.385 + 3 * 2.385 * 2.385, 1e-14);
}

static void
derivative_follows_the_power_rule(void **state)
{
  (void) state;
  gsl_vector_view f = gsl_vector_view_array(fa, 3);
  double da[3] = {NAN, NAN, NAN};
  gsl_vector_view d = gsl_vector_view_array(da, 3);
  assert_int_equal(nn_poly_derivative(&f.vector, &d.vector), GSL_SUCCESS);
  /* f'(x) = 6x - 3 */
  assert_close(da[0], -3.0, 0.0);
  assert_close(da[1], 6.0, 0.0);
  assert_close(da[2], 0.0, 0.0);
  double y = NAN;
  assert_int_equal(nn_poly_eval(&d.vector, 0.5, &y), GSL_SUCCESS);
  assert_close(y, 0.0, 0.0);  /* the minimum of f is at x = 0.5 */
}

static void
derivative_may_overwrite_its_input(void **state)
{
  (void) state;
  double a[] = {0.25, 1.5, -2.0, 0.75};  /* 0.25 + 1.5x - 2x² + 0.75x³ */
  gsl_vector_view c = gsl_vector_view_array(a, 4);
  assert_int_equal(nn_poly_derivative(&c.vector, &c.vector), GSL_SUCCESS);
  assert_close(a[0], 1.5, 0.0);
  assert_close(a[1], -4.0, 0.0);
  assert_close(a[2], 2.25, 0.0);
  assert_close(a[3], 0.0, 0.0);
}

static void
derivative_of_a_constant_is_zero(void **state)
{
  (void) state;
  double a[] = {2.385}, d[] = {NAN};
  gsl_vector_view c = gsl_vector_view_array(a, 1), dc = gsl_vector_view_array(d, 1);
  assert_int_equal(nn_poly_derivative(&c.vector, &dc.vector), GSL_SUCCESS);
  assert_close(d[0], 0.0, 0.0);
}

static void
bad_sizes_are_named(void **state)
{
  (void) state;
  double a[4] = {1, 2, 3, 4};
  gsl_vector_view c3 = gsl_vector_view_array(a, 3), c4 = gsl_vector_view_array(a, 4);
  gsl_vector_view c0 = gsl_vector_subvector(&c4.vector, 0, 0);
  double y = 0;
  assert_gsl_error(nn_poly_derivative(&c3.vector, &c4.vector), GSL_EBADLEN,
                   "c has 3 coefficients but dc has 4");
  assert_gsl_error(nn_poly_eval(&c0.vector, 1.0, &y), GSL_EBADLEN, "at least one");
  assert_gsl_error(nn_poly_derivative(&c0.vector, &c0.vector), GSL_EBADLEN,
                   "at least one");
  assert_gsl_error(nn_poly_eval(NULL, 1.0, &y), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_poly_derivative(&c3.vector, NULL), GSL_EINVAL, "NULL");
  assert_true(isnan(nn_poly_function(1.0, NULL)));
  assert_true(isnan(nn_poly_function(1.0, &c0.vector)));
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(eval_agrees_with_the_formula),
    cmocka_unit_test(eval_works_on_strided_views),
    cmocka_unit_test(derivative_follows_the_power_rule),
    cmocka_unit_test(derivative_may_overwrite_its_input),
    cmocka_unit_test(derivative_of_a_constant_is_zero),
    cmocka_unit_test(bad_sizes_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
