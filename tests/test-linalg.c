/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/linalg.h: the dot product and both matrix-vector products. */
#include "nntest.h"

#include <gsl/gsl_rng.h>
#include <nn/linalg.h>

static void
dot_multiplies_then_sums(void **state)
{
  (void) state;
  double xa[] = {2.385, -1.25, 0.5}, ya[] = {4.0, 3.2, -7.75};
  gsl_vector_view x = gsl_vector_view_array(xa, 3), y = gsl_vector_view_array(ya, 3);
  double r = NAN;
  assert_int_equal(nn_linalg_dot(&x.vector, &y.vector, &r), GSL_SUCCESS);
  /* 9.54 - 4.0 - 3.875 */
  assert_close(r, 1.665, 1e-14);
}

static void
dot_of_orthogonal_vectors_is_zero(void **state)
{
  (void) state;
  double xa[] = {3.0, 4.0}, ya[] = {-4.0, 3.0};
  gsl_vector_view x = gsl_vector_view_array(xa, 2), y = gsl_vector_view_array(ya, 2);
  double r = NAN;
  assert_int_equal(nn_linalg_dot(&x.vector, &y.vector, &r), GSL_SUCCESS);
  assert_close(r, 0.0, 0.0);
}

static void
dot_rejects_lengths_that_differ(void **state)
{
  (void) state;
  double xa[] = {1.5, 2.5, 3.5}, ya[] = {1.0, 2.0};
  gsl_vector_view x = gsl_vector_view_array(xa, 3), y = gsl_vector_view_array(ya, 2);
  double r = 7.0;
  assert_gsl_error(nn_linalg_dot(&x.vector, &y.vector, &r), GSL_EBADLEN,
                   "x has 3 entries but y has 2");
  assert_close(r, 7.0, 0.0);  /* the output is untouched */
  assert_gsl_error(nn_linalg_dot(NULL, &y.vector, &r), GSL_EINVAL, "NULL");
}

/* Both products agree with the definition y_i = Σ_j W_ij x_j, written out. */
static void
matvec_both_ways_agree_with_the_definition(void **state)
{
  (void) state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  double Wa[4 * 5], xa[5], ya[4], za[4];
  for (size_t k = 0; k < 20; k++)
    Wa[k] = gsl_rng_uniform(rng) * 4.0 - 2.0;
  for (size_t k = 0; k < 5; k++)
    xa[k] = gsl_rng_uniform(rng) * 4.0 - 2.0;
  gsl_rng_free(rng);
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 4, 5);
  gsl_vector_view x = gsl_vector_view_array(xa, 5);
  gsl_vector_view y = gsl_vector_view_array(ya, 4), z = gsl_vector_view_array(za, 4);
  assert_int_equal(nn_linalg_matvec_rows(&W.matrix, &x.vector, &y.vector), GSL_SUCCESS);
  assert_int_equal(nn_linalg_matvec(&W.matrix, &x.vector, &z.vector), GSL_SUCCESS);
  for (size_t i = 0; i < 4; i++) {
    double sum = 0.0;
    for (size_t j = 0; j < 5; j++)
      sum += Wa[i * 5 + j] * xa[j];
    assert_close(ya[i], sum, 1e-14);
    assert_close(za[i], sum, 1e-14);
  }
}

static void
matvec_names_both_shapes_when_they_do_not_fit(void **state)
{
  (void) state;
  double Wa[6] = {0}, xa[3] = {0}, ya[2] = {0};
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 2, 3);
  gsl_vector_view x2 = gsl_vector_view_array(xa, 2), x3 = gsl_vector_view_array(xa, 3);
  gsl_vector_view y2 = gsl_vector_view_array(ya, 2), y1 = gsl_vector_view_array(ya, 1);
  assert_gsl_error(nn_linalg_matvec_rows(&W.matrix, &x2.vector, &y2.vector),
                   GSL_EBADLEN, "W is 2x3 but x has 2 entries");
  assert_gsl_error(nn_linalg_matvec(&W.matrix, &x3.vector, &y1.vector),
                   GSL_EBADLEN, "W is 2x3 but y has 1 entries");
  assert_gsl_error(nn_linalg_matvec(NULL, &x3.vector, &y1.vector), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_linalg_matvec_rows(&W.matrix, NULL, &y2.vector), GSL_EINVAL, "NULL");
}

static void
matvec_with_empty_rows_is_zero(void **state)
{
  (void) state;
  double Wa[1] = {0}, ya[2] = {5.5, -1.5};
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 2, 1);
  gsl_matrix_view W0 = gsl_matrix_submatrix(&W.matrix, 0, 0, 2, 0);
  gsl_vector_view y = gsl_vector_view_array(ya, 2);
  gsl_vector_view x0 = gsl_vector_subvector(&y.vector, 0, 0);
  double ra[2] = {5.5, -1.5};
  gsl_vector_view r = gsl_vector_view_array(ra, 2);
  assert_int_equal(nn_linalg_matvec(&W0.matrix, &x0.vector, &r.vector), GSL_SUCCESS);
  assert_close(ra[0], 0.0, 0.0);
  assert_close(ra[1], 0.0, 0.0);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(dot_multiplies_then_sums),
    cmocka_unit_test(dot_of_orthogonal_vectors_is_zero),
    cmocka_unit_test(dot_rejects_lengths_that_differ),
    cmocka_unit_test(matvec_both_ways_agree_with_the_definition),
    cmocka_unit_test(matvec_names_both_shapes_when_they_do_not_fit),
    cmocka_unit_test(matvec_with_empty_rows_is_zero),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
