/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/gradcheck.h: the checker against gradients known by calculus,
 * wrong gradients, and the refusal of an all-zero gradient. */
#include "nntest.h"

#include <nn/gradcheck.h>

/* J(θ) = a θ0² θ1 + sin θ1 + e^(0.3 θ2), with
 * ∂J/∂θ0 = 2a θ0 θ1,  ∂J/∂θ1 = a θ0² + cos θ1,  ∂J/∂θ2 = 0.3 e^(0.3 θ2). */
static double
bowl(const gsl_vector *theta, void *params)
{
  const double a = *(const double *) params;
  const double t0 = gsl_vector_get(theta, 0), t1 = gsl_vector_get(theta, 1);
  const double t2 = gsl_vector_get(theta, 2);
  return a * t0 * t0 * t1 + sin(t1) + exp(0.3 * t2);
}

static void
bowl_gradient(const gsl_vector *theta, double a, gsl_vector *g)
{
  const double t0 = gsl_vector_get(theta, 0), t1 = gsl_vector_get(theta, 1);
  const double t2 = gsl_vector_get(theta, 2);
  gsl_vector_set(g, 0, 2 * a * t0 * t1);
  gsl_vector_set(g, 1, a * t0 * t0 + cos(t1));
  gsl_vector_set(g, 2, 0.3 * exp(0.3 * t2));
}

static void
numerical_gradient_matches_the_calculus_and_restores_theta(void **state)
{
  (void) state;
  double a = 2.385, ta[] = {0.7, -1.3, 1.9}, na[3], ga[3];
  const double saved[] = {0.7, -1.3, 1.9};
  gsl_vector_view theta = gsl_vector_view_array(ta, 3);
  gsl_vector_view n = gsl_vector_view_array(na, 3), g = gsl_vector_view_array(ga, 3);
  assert_int_equal(nn_gradcheck_numerical(&n.vector, bowl, &a, &theta.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
  bowl_gradient(&theta.vector, a, &g.vector);
  for (size_t i = 0; i < 3; i++)
    assert_close(na[i], ga[i], 1e-9);
  assert_memory_equal(ta, saved, sizeof saved);  // bit for bit
}

static void
a_correct_gradient_passes(void **state)
{
  (void) state;
  double a = 2.385, ta[] = {0.7, -1.3, 1.9}, na[3], ga[3];
  gsl_vector_view theta = gsl_vector_view_array(ta, 3);
  gsl_vector_view n = gsl_vector_view_array(na, 3), g = gsl_vector_view_array(ga, 3);
  bowl_gradient(&theta.vector, a, &g.vector);
  double err = NAN, err2 = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err < 1e-9);
  assert_int_equal(nn_gradcheck_numerical(&n.vector, bowl, &a, &theta.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_int_equal(nn_gradcheck_relative_error(&err2, NULL, &g.vector, &n.vector),
                   GSL_SUCCESS);
  assert_close(err2, err, 1e-12);  // the streaming check computes the same number
}

static void
wrong_gradients_fail_by_how_wrong_they_are(void **state)
{
  (void) state;
  double a = 2.385, ta[] = {0.7, -1.3, 1.9}, ga[3];
  gsl_vector_view theta = gsl_vector_view_array(ta, 3);
  gsl_vector_view g = gsl_vector_view_array(ga, 3);
  double err = NAN;

  // twice the gradient: |2n - n| / (|2n| + |n|) = 1/3
  bowl_gradient(&theta.vector, a, &g.vector);
  gsl_vector_scale(&g.vector, 2.0);
  assert_int_equal(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_close(err, 1.0 / 3.0, 1e-8);

  // one entry off by 1% (the backward pass forgot a small term)
  bowl_gradient(&theta.vector, a, &g.vector);
  ga[2] *= 1.01;
  assert_int_equal(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err > 1e-4);
}

/* A relative error entry by entry would fail this correct gradient: ∂J/∂θ1
 * is 1e-13, far below the round-off of the difference quotient. */
static double
almost_flat(const gsl_vector *theta, void *params)
{
  (void) params;
  const double t0 = gsl_vector_get(theta, 0), t1 = gsl_vector_get(theta, 1);
  return 3.0 * t0 * t0 + 1e-13 * t1 + 40.0;
}

static void
tiny_entries_do_not_fail_a_correct_gradient(void **state)
{
  (void) state;
  double ta[] = {2.385, 0.5}, ga[] = {6.0 * 2.385, 1e-13}, na[2];
  gsl_vector_view theta = gsl_vector_view_array(ta, 2);
  gsl_vector_view g = gsl_vector_view_array(ga, 2), n = gsl_vector_view_array(na, 2);
  double err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, almost_flat, NULL, &theta.vector,
                                        &g.vector, NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err < 1e-7);
  // ... while entry 1 on its own is mostly noise
  assert_int_equal(nn_gradcheck_numerical(&n.vector, almost_flat, NULL, &theta.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(fabs(na[1] - ga[1]) / (fabs(na[1]) + fabs(ga[1])) > 1e-3);
}

static void
relative_error_is_the_largest_difference_over_the_largest_gradient(void **state)
{
  (void) state;
  double aa[] = {2.385, -1.5, 0.25, 0.0}, na[] = {2.385, -1.4, 0.2, 0.01};
  gsl_vector_view a = gsl_vector_view_array(aa, 4), n = gsl_vector_view_array(na, 4);
  double err = NAN;
  size_t worst = 99;
  assert_int_equal(nn_gradcheck_relative_error(&err, &worst, &a.vector, &n.vector),
                   GSL_SUCCESS);
  assert_close(err, 0.1 / 4.77, 1e-12);
  assert_int_equal(worst, 1);
  // NaN anywhere makes the error NaN: a check "err < tol" then fails
  na[3] = NAN;
  assert_int_equal(nn_gradcheck_relative_error(&err, &worst, &a.vector, &n.vector),
                   GSL_SUCCESS);
  assert_true(isnan(err));
  assert_int_equal(worst, 3);
}

static void
an_all_zero_gradient_is_refused(void **state)
{
  (void) state;
  double a = 2.385, ta[] = {0.7, -1.3, 1.9}, za[3] = {0}, na[3] = {0};
  gsl_vector_view theta = gsl_vector_view_array(ta, 3);
  gsl_vector_view z = gsl_vector_view_array(za, 3), n = gsl_vector_view_array(na, 3);
  double err = 0.0;
  assert_gsl_error(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &z.vector,
                                        NN_GRADCHECK_STEP), GSL_EFAILED, "all zeros");
  assert_close(err, 1.0, 0.0);
  // zeros against zeros: still refused, though |a - n| = 0
  err = 0.0;
  assert_gsl_error(nn_gradcheck_relative_error(&err, NULL, &z.vector, &n.vector),
                   GSL_EFAILED, "all zeros (3 entries)");
  assert_close(err, 1.0, 0.0);
}

static void
bad_arguments_are_named(void **state)
{
  (void) state;
  double a = 2.385, ta[] = {0.7, -1.3, 1.9}, ga[] = {1.0, 2.0, 3.0}, err;
  gsl_vector_view theta = gsl_vector_view_array(ta, 3);
  gsl_vector_view g = gsl_vector_view_array(ga, 3), g2 = gsl_vector_view_array(ga, 2);
  gsl_vector_view empty = gsl_vector_subvector(&theta.vector, 0, 0);
  assert_gsl_error(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g.vector, 0.0),
                   GSL_EDOM, "finite and positive");
  assert_gsl_error(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g.vector, NAN),
                   GSL_EDOM, "nan");
  assert_gsl_error(nn_gradcheck_numerical(&g.vector, bowl, &a, &theta.vector, -1e-5),
                   GSL_EDOM, "-1e-05");
  assert_gsl_error(nn_gradcheck_compare(&err, bowl, &a, &theta.vector, &g2.vector,
                                        1e-5), GSL_EBADLEN,
                   "theta has 3 entries but analytic has 2");
  assert_gsl_error(nn_gradcheck_numerical(&g2.vector, bowl, &a, &theta.vector, 1e-5),
                   GSL_EBADLEN, "theta has 3 entries but numerical has 2");
  assert_gsl_error(nn_gradcheck_relative_error(&err, NULL, &g.vector, &g2.vector),
                   GSL_EBADLEN, "analytic has 3 entries but numerical has 2");
  assert_gsl_error(nn_gradcheck_numerical(&empty.vector, bowl, &a, &empty.vector, 1e-5),
                   GSL_EBADLEN, "empty");
  assert_gsl_error(nn_gradcheck_compare(&err, NULL, &a, &theta.vector, &g.vector, 1e-5),
                   GSL_EINVAL, "NULL");
  assert_gsl_error(nn_gradcheck_compare(NULL, bowl, &a, &theta.vector, &g.vector, 1e-5),
                   GSL_EINVAL, "NULL");
  assert_gsl_error(nn_gradcheck_relative_error(&err, NULL, NULL, &g.vector),
                   GSL_EINVAL, "NULL");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(numerical_gradient_matches_the_calculus_and_restores_theta),
    cmocka_unit_test(a_correct_gradient_passes),
    cmocka_unit_test(wrong_gradients_fail_by_how_wrong_they_are),
    cmocka_unit_test(tiny_entries_do_not_fail_a_correct_gradient),
    cmocka_unit_test(relative_error_is_the_largest_difference_over_the_largest_gradient),
    cmocka_unit_test(an_all_zero_gradient_is_refused),
    cmocka_unit_test(bad_arguments_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
