/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/dropout.h: the identity at evaluation, inverted scaling and
 * the drop rate in training, the backward pass against central differences
 * with the mask held fixed, and the errors. */
#include "nntest.h"

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <nn/dropout.h>
#include <nn/gradcheck.h>

static void
fill(gsl_matrix *M, double start)
{
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++)
      gsl_matrix_set(M, i, j, start + 0.37 * (double) (i * M->size2 + j) - 2.385);
}

static void
evaluation_mode_is_the_identity(void **state)
{
  (void) state;
  nn_dropout *d = nn_dropout_alloc(4, 3, 0.5);
  gsl_matrix *X = gsl_matrix_alloc(3, 4), *Y = gsl_matrix_alloc(3, 4);
  fill(X, 1);
  nn_dropout_train(d, 0);
  assert_int_equal(nn_dropout_forward(d, NULL, Y, X), GSL_SUCCESS);
  assert_true(gsl_matrix_equal(X, Y));
  assert_int_equal(nn_dropout_backward(d, Y, X), GSL_SUCCESS);
  assert_true(gsl_matrix_equal(X, Y));
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  nn_dropout_free(d);
}

static void
training_drops_about_p_and_scales_the_rest(void **state)
{
  (void) state;
  const double p = 0.3;
  const size_t B = 100, N = 100;
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  nn_dropout *d = nn_dropout_alloc(N, B, p);
  gsl_matrix *X = gsl_matrix_alloc(B, N), *Y = gsl_matrix_alloc(B, N);
  gsl_matrix_set_all(X, 2.5);
  assert_int_equal(nn_dropout_forward(d, r, Y, X), GSL_SUCCESS);
  size_t dropped = 0;
  double sum = 0;
  for (size_t i = 0; i < B; i++)
    for (size_t j = 0; j < N; j++) {
      const double y = gsl_matrix_get(Y, i, j);
      if (y == 0)
        dropped++;
      else
        assert_close(y, 2.5 / (1 - p), 1e-15);
      sum += y;
    }
  /* 10,000 draws: the share dropped is p within 6 standard deviations (0.028),
   * and the mean stays 2.5 (inverted dropout) within the same margin. */
  assert_true(fabs((double) dropped / (B * N) - p) < 0.028);
  assert_true(fabs(sum / (B * N) - 2.5) < 2.5 / (1 - p) * 0.028);
  /* p = 0 keeps everything, unscaled. */
  nn_dropout *none = nn_dropout_alloc(N, B, 0);
  assert_int_equal(nn_dropout_forward(none, r, Y, X), GSL_SUCCESS);
  assert_true(gsl_matrix_equal(X, Y));
  nn_dropout_free(none);
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  nn_dropout_free(d);
  gsl_rng_free(r);
}

/* J(X) = Σ C ⊙ dropout(X), the mask drawn from a generator seeded the same
 * way at every call: a fixed mask, so J is linear in X and dJ/dX = C ⊙ M. */
typedef struct {
  nn_dropout *d;
  gsl_rng *r;
  const gsl_matrix *C;
  gsl_matrix *Y;
} args;

static double
J(const gsl_vector *x, void *params)
{
  args *a = params;
  gsl_rng_set(a->r, 42);
  gsl_matrix_const_view X = gsl_matrix_const_view_vector(x, a->C->size1, a->C->size2);
  nn_dropout_forward(a->d, a->r, a->Y, &X.matrix);
  double sum = 0;
  for (size_t i = 0; i < a->C->size1; i++)
    for (size_t j = 0; j < a->C->size2; j++)
      sum += gsl_matrix_get(a->C, i, j) * gsl_matrix_get(a->Y, i, j);
  return sum;
}

static void
backward_matches_central_differences(void **state)
{
  (void) state;
  const size_t B = 3, N = 5;
  args a = {nn_dropout_alloc(N, B, 0.4), gsl_rng_alloc(gsl_rng_mt19937), NULL,
            gsl_matrix_alloc(B, N)};
  gsl_matrix *C = gsl_matrix_alloc(B, N), *dX = gsl_matrix_alloc(B, N);
  fill(C, 0.5);
  a.C = C;
  gsl_vector *x = gsl_vector_alloc(B * N);
  for (size_t i = 0; i < B * N; i++)
    gsl_vector_set(x, i, 0.1 * (double) i - 0.7);
  J(x, &a);  /* forward with the fixed mask */
  assert_int_equal(nn_dropout_backward(a.d, dX, C), GSL_SUCCESS);
  gsl_vector_view analytic = gsl_vector_view_array(dX->data, B * N);
  double error = 1;
  assert_int_equal(nn_gradcheck_compare(&error, J, &a, x, &analytic.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(error < 1e-8);
  /* Some units were dropped and some kept: the check saw both. */
  size_t zeros = 0;
  for (size_t i = 0; i < B * N; i++)
    zeros += gsl_vector_get(&analytic.vector, i) == 0;
  assert_true(zeros > 0 && zeros < B * N);
  gsl_vector_free(x);
  gsl_matrix_free(C);
  gsl_matrix_free(dX);
  gsl_matrix_free(a.Y);
  gsl_rng_free(a.r);
  nn_dropout_free(a.d);
}

static void
bad_input_is_refused(void **state)
{
  (void) state;
  assert_null(nn_dropout_alloc(4, 2, 1.0));
  assert_null(nn_dropout_alloc(4, 2, -0.1));
  assert_null(nn_dropout_alloc(4, 2, NAN));
  assert_null(nn_dropout_alloc(0, 2, 0.5));
  nn_dropout *d = nn_dropout_alloc(4, 2, 0.5);
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_matrix *X = gsl_matrix_calloc(2, 4), *wide = gsl_matrix_calloc(2, 5);
  gsl_matrix *tall = gsl_matrix_calloc(3, 4);
  assert_gsl_error(nn_dropout_backward(d, X, X), GSL_EINVAL, "no forward");
  assert_gsl_error(nn_dropout_forward(d, r, wide, wide), GSL_EBADLEN, "2x5");
  assert_gsl_error(nn_dropout_forward(d, r, tall, tall), GSL_EBADLEN, "B <= 2");
  assert_gsl_error(nn_dropout_forward(d, NULL, X, X), GSL_EINVAL, "random generator");
  assert_int_equal(nn_dropout_forward(d, r, X, X), GSL_SUCCESS);
  gsl_matrix_view one = gsl_matrix_submatrix(X, 0, 0, 1, 4);
  assert_gsl_error(nn_dropout_backward(d, &one.matrix, &one.matrix), GSL_EBADLEN,
                   "the last forward had 2");
  gsl_matrix_free(X);
  gsl_matrix_free(wide);
  gsl_matrix_free(tall);
  gsl_rng_free(r);
  nn_dropout_free(d);
  nn_dropout_free(NULL);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(evaluation_mode_is_the_identity),
    cmocka_unit_test(training_drops_about_p_and_scales_the_rest),
    cmocka_unit_test(backward_matches_central_differences),
    cmocka_unit_test(bad_input_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
