/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/perceptron.h: the rule converges where a line separates the
 * classes and never does on XOR. */
#include "nntest.h"

#include <gsl/gsl_math.h>
#include <nn/data.h>
#include <nn/perceptron.h>

static int last_code;

static void
record_error(const char *reason, const char *file, int line, int err)
{
  nn_test_error_handler(reason, file, line, err);
  last_code = err;
}

static gsl_rng *
seeded(unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  return r;
}

static void
prediction_is_a_step_of_the_weighted_sum(void **state)
{
  (void) state;
  nn_perceptron *p = nn_perceptron_alloc(2);
  assert_non_null(p);
  assert_true(p->w0 == 0.0 && gsl_vector_get(p->w, 0) == 0.0);
  gsl_vector_set(p->w, 0, 2.385);
  gsl_vector_set(p->w, 1, -1.2);
  p->w0 = 0.3;
  double xa[] = {0.731, 1.9}, z = NAN, yhat = NAN;
  gsl_vector_view x = gsl_vector_view_array(xa, 2);
  assert_int_equal(nn_perceptron_sum(p, &x.vector, &z), GSL_SUCCESS);
  assert_close(z, 0.3 + 2.385 * 0.731 - 1.2 * 1.9, 1e-15);  /* -0.236... */
  assert_int_equal(nn_perceptron_predict(p, &x.vector, &yhat), GSL_SUCCESS);
  assert_true(yhat == 0.0);
  xa[1] = 1.5;  /* z = 0.243... */
  assert_int_equal(nn_perceptron_predict(p, &x.vector, &yhat), GSL_SUCCESS);
  assert_true(yhat == 1.0);
  xa[0] = 0.0;
  xa[1] = 0.25;  /* z = 0 exactly: step(0) = 1 */
  assert_int_equal(nn_perceptron_predict(p, &x.vector, &yhat), GSL_SUCCESS);
  assert_true(yhat == 1.0);
  nn_perceptron_free(p);
}

static void
one_step_of_the_rule(void **state)
{
  (void) state;
  nn_perceptron *p = nn_perceptron_alloc(2);
  gsl_vector_set(p->w, 0, 0.5);
  gsl_vector_set(p->w, 1, -0.25);
  p->w0 = 0.125;
  double xa[] = {2.385, -0.731};
  gsl_vector_view x = gsl_vector_view_array(xa, 2);
  int mistake = -1;
  /* z = 0.125 + 1.1925 + 0.18275 > 0, so ŷ = 1: right for y = 1, nothing moves. */
  assert_int_equal(nn_perceptron_update(p, &x.vector, 1.0, 0.1, &mistake), GSL_SUCCESS);
  assert_int_equal(mistake, 0);
  assert_true(gsl_vector_get(p->w, 0) == 0.5 && p->w0 == 0.125);
  /* Wrong for y = 0: w -= 0.1 x, w0 -= 0.1. */
  assert_int_equal(nn_perceptron_update(p, &x.vector, 0.0, 0.1, &mistake), GSL_SUCCESS);
  assert_int_equal(mistake, 1);
  assert_close(gsl_vector_get(p->w, 0), 0.5 - 0.2385, 1e-15);
  assert_close(gsl_vector_get(p->w, 1), -0.25 + 0.0731, 1e-15);
  assert_close(p->w0, 0.025, 1e-15);
  /* And the other way: a point the rule says 0 to, labelled 1. */
  double ya[] = {-2.0, 1.0};
  gsl_vector_view x2 = gsl_vector_view_array(ya, 2);
  double w0 = gsl_vector_get(p->w, 0), w1 = gsl_vector_get(p->w, 1), b = p->w0;
  assert_int_equal(nn_perceptron_update(p, &x2.vector, 1.0, 0.5, NULL), GSL_SUCCESS);
  assert_close(gsl_vector_get(p->w, 0), w0 - 1.0, 1e-15);
  assert_close(gsl_vector_get(p->w, 1), w1 + 0.5, 1e-15);
  assert_close(p->w0, b + 0.5, 1e-15);
  nn_perceptron_free(p);
}

static void
converges_on_separable_data(void **state)
{
  (void) state;
  gsl_rng *r = seeded(2385);
  nn_data *d = nn_data_separable(r, 100, 0.5);
  nn_perceptron *p = nn_perceptron_alloc(2);
  size_t errors = 0, mistakes = 1, epoch;
  assert_int_equal(nn_perceptron_errors(p, d->X, d->y, &errors), GSL_SUCCESS);
  assert_true(errors > 0);
  for (epoch = 0; epoch < 200 && mistakes > 0; epoch++)
    assert_int_equal(nn_perceptron_epoch(p, d->X, d->y, 0.1, &mistakes), GSL_SUCCESS);
  assert_int_equal(mistakes, 0);
  assert_true(epoch > 1);  /* it had something to learn */
  assert_int_equal(nn_perceptron_errors(p, d->X, d->y, &errors), GSL_SUCCESS);
  assert_int_equal(errors, 0);
  /* The learned line points the way of the true one, x1 + x2 = 1. */
  double w1 = gsl_vector_get(p->w, 0), w2 = gsl_vector_get(p->w, 1);
  assert_true(w1 > 0 && w2 > 0 && p->w0 < 0);
  assert_true(fabs(-p->w0 / w1 - 1.0) < 0.5 && fabs(-p->w0 / w2 - 1.0) < 0.5);
  /* Once converged, an epoch changes nothing. */
  double before = p->w0;
  assert_int_equal(nn_perceptron_epoch(p, d->X, d->y, 0.1, &mistakes), GSL_SUCCESS);
  assert_int_equal(mistakes, 0);
  assert_true(p->w0 == before);
  /* From a random start too. */
  assert_int_equal(nn_perceptron_randomize(p, r, 2.385), GSL_SUCCESS);
  mistakes = 1;
  for (epoch = 0; epoch < 200 && mistakes > 0; epoch++)
    nn_perceptron_epoch(p, d->X, d->y, 0.1, &mistakes);
  assert_int_equal(mistakes, 0);
  nn_perceptron_free(p);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
never_learns_xor(void **state)
{
  (void) state;
  gsl_rng *r = seeded(2385);
  nn_data *d = nn_data_xor(r, 25, 0.1);
  nn_perceptron *p = nn_perceptron_alloc(2);
  size_t mistakes, errors, fewest = SIZE_MAX;
  for (int epoch = 0; epoch < 1000; epoch++) {
    assert_int_equal(nn_perceptron_epoch(p, d->X, d->y, 0.1, &mistakes), GSL_SUCCESS);
    assert_true(mistakes > 0);
    assert_int_equal(nn_perceptron_errors(p, d->X, d->y, &errors), GSL_SUCCESS);
    assert_true(errors > 0);
    fewest = errors < fewest ? errors : fewest;
  }
  /* A line gets at most 3 of the 4 corners right: a quarter of the points
   * (give or take the noise) stay wrong at best. */
  assert_true(fewest >= 20);
  nn_perceptron_free(p);
  nn_data_free(d);
  gsl_rng_free(r);
}

static void
bad_arguments_are_named(void **state)
{
  (void) state;
  nn_perceptron *p = nn_perceptron_alloc(2);
  double xa[] = {1.0, 2.0, 3.0};
  gsl_vector_view x2 = gsl_vector_view_array(xa, 2), x3 = gsl_vector_view_array(xa, 3);
  double Xa[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, ya[] = {0.0, 1.0, 0.5};
  gsl_matrix_view X = gsl_matrix_view_array(Xa, 3, 2), X23 = gsl_matrix_view_array(Xa, 2, 3);
  gsl_vector_view y = gsl_vector_view_array(ya, 3), y2 = gsl_vector_view_array(ya, 2);
  double z;
  size_t count;
  assert_gsl_error(nn_perceptron_sum(p, &x3.vector, &z), GSL_EBADLEN,
                   "the perceptron has 2 weights but x has 3 entries");
  assert_gsl_error(nn_perceptron_predict(p, &x3.vector, &z), GSL_EBADLEN, "3 entries");
  assert_gsl_error(nn_perceptron_update(p, &x2.vector, 0.5, 0.1, NULL), GSL_EDOM,
                   "the label is 0.5, not 0 or 1");
  assert_gsl_error(nn_perceptron_update(p, &x2.vector, 1.0, 0.0, NULL), GSL_EDOM,
                   "learning rate must be finite and positive, not 0");
  assert_gsl_error(nn_perceptron_update(p, &x2.vector, 1.0, -2.385, NULL), GSL_EDOM,
                   "-2.385");
  assert_gsl_error(nn_perceptron_epoch(p, &X23.matrix, &y2.vector, 0.1, &count),
                   GSL_EBADLEN, "the perceptron has 2 weights but X is 2x3");
  assert_gsl_error(nn_perceptron_epoch(p, &X.matrix, &y2.vector, 0.1, &count),
                   GSL_EBADLEN, "X has 3 rows but y has 2 entries");
  /* A bad label in the last row is found before any weight moves. */
  assert_gsl_error(nn_perceptron_epoch(p, &X.matrix, &y.vector, 0.1, &count), GSL_EDOM,
                   "the label of row 2 is 0.5, not 0 or 1");
  assert_true(p->w0 == 0.0 && gsl_vector_get(p->w, 0) == 0.0
              && gsl_vector_get(p->w, 1) == 0.0);
  assert_gsl_error(nn_perceptron_errors(p, &X.matrix, &y.vector, &count), GSL_EDOM,
                   "row 2");
  ya[2] = 1.0;
  assert_gsl_error(nn_perceptron_epoch(p, &X.matrix, &y.vector, NAN, &count), GSL_EDOM,
                   "nan");
  assert_gsl_error(nn_perceptron_epoch(p, &X.matrix, &y.vector, 0.1, NULL), GSL_EINVAL,
                   "NULL");
  assert_gsl_error(nn_perceptron_sum(NULL, &x2.vector, &z), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_perceptron_randomize(p, NULL, 1.0), GSL_EINVAL, "NULL");
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  assert_gsl_error(nn_perceptron_randomize(p, r, -1.0), GSL_EDOM, "not -1");
  gsl_rng_free(r);
  nn_test_last_error[0] = '\0';
  last_code = 0;
  assert_null(nn_perceptron_alloc(0));
  assert_int_equal(last_code, GSL_EBADLEN);
  assert_non_null(strstr(nn_test_last_error, "at least 1 input, not 0"));
  nn_perceptron_free(NULL);
  nn_perceptron_free(p);
}

int
main(void)
{
  nn_test_init();
  gsl_set_error_handler(record_error);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(prediction_is_a_step_of_the_weighted_sum),
    cmocka_unit_test(one_step_of_the_rule),
    cmocka_unit_test(converges_on_separable_data),
    cmocka_unit_test(never_learns_xor),
    cmocka_unit_test(bad_arguments_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
