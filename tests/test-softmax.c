/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/softmax.h: probabilities that sum to 1, shift invariance, huge
 * scores, log-sum-exp, the backward pass by gradient check, and bad input. */
#include "nntest.h"

#include <gsl/gsl_rng.h>
#include <nn/gradcheck.h>
#include <nn/softmax.h>

static void
softmax_gives_probabilities_that_keep_the_order(void **state)
{
  (void) state;
  double za[] = {2.385, -1.2, 0.5, 3.1}, pa[4];
  gsl_vector_view z = gsl_vector_view_array(za, 4), p = gsl_vector_view_array(pa, 4);
  assert_int_equal(nn_softmax_vector(&p.vector, &z.vector), GSL_SUCCESS);
  double total = 0.0, sum_e = 0.0;
  for (size_t k = 0; k < 4; k++)
    sum_e += exp(za[k]);
  for (size_t k = 0; k < 4; k++) {
    assert_close(pa[k], exp(za[k]) / sum_e, 1e-15);  // the definition
    assert_true(pa[k] > 0.0);
    total += pa[k];
  }
  assert_close(total, 1.0, 1e-15);
  assert_true(pa[3] > pa[0] && pa[0] > pa[2] && pa[2] > pa[1]);
}

static void
softmax_is_shift_invariant_even_for_huge_scores(void **state)
{
  (void) state;
  const double base[] = {2.385, -1.2, 0.5};
  const double shifts[] = {1000.0, -1000.0, 1e5, 700.0};
  double pa[3], qa[3], za[3];
  gsl_vector_view p = gsl_vector_view_array(pa, 3), q = gsl_vector_view_array(qa, 3);
  gsl_vector_view z = gsl_vector_view_array(za, 3);
  memcpy(za, base, sizeof za);
  assert_int_equal(nn_softmax_vector(&p.vector, &z.vector), GSL_SUCCESS);
  for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
    for (size_t k = 0; k < 3; k++)
      za[k] = base[k] + shifts[s];
    assert_int_equal(nn_softmax_vector(&q.vector, &z.vector), GSL_SUCCESS);
    double total = 0.0;
    for (size_t k = 0; k < 3; k++) {
      assert_false(isnan(qa[k]));
      // shifting by c rounds the scores to the spacing of doubles near c
      assert_close(qa[k], pa[k], 1e-15 * fabs(shifts[s]));
      total += qa[k];
    }
    assert_close(total, 1.0, 1e-15);
  }
  // 1000, 999, 998 are 2, 1, 0 shifted
  double ha[] = {1000.0, 999.0, 998.0}, la[] = {2.0, 1.0, 0.0};
  gsl_vector_view h = gsl_vector_view_array(ha, 3), l = gsl_vector_view_array(la, 3);
  assert_int_equal(nn_softmax_vector(&h.vector, &h.vector), GSL_SUCCESS);  // in place
  assert_int_equal(nn_softmax_vector(&l.vector, &l.vector), GSL_SUCCESS);
  for (size_t k = 0; k < 3; k++)
    assert_close(ha[k], la[k], 1e-15);
}

static void
logsumexp_is_the_log_of_the_sum_without_overflow(void **state)
{
  (void) state;
  double za[] = {2.385, -1.2, 0.5}, r = NAN;
  gsl_vector_view z = gsl_vector_view_array(za, 3);
  assert_int_equal(nn_softmax_logsumexp(&z.vector, &r), GSL_SUCCESS);
  assert_close(r, log(exp(2.385) + exp(-1.2) + exp(0.5)), 1e-15);
  double ha[] = {1000.0, 1000.0};
  gsl_vector_view h = gsl_vector_view_array(ha, 2);
  assert_int_equal(nn_softmax_logsumexp(&h.vector, &r), GSL_SUCCESS);
  assert_close(r, 1000.0 + log(2.0), 1e-15);
  ha[0] = -1000.0;
  ha[1] = -1002.385;
  assert_int_equal(nn_softmax_logsumexp(&h.vector, &r), GSL_SUCCESS);
  assert_close(r, -1000.0 + log1p(exp(-2.385)), 1e-15);
}

static void
rows_are_softmaxed_one_sample_at_a_time(void **state)
{
  (void) state;
  double Za[] = {2.385, -1.2, 0.5, 1000.0, 0.0, -1000.0}, Pa[6];
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3), P = gsl_matrix_view_array(Pa, 2, 3);
  assert_int_equal(nn_softmax_rows(&P.matrix, &Z.matrix), GSL_SUCCESS);
  for (size_t b = 0; b < 2; b++) {
    double pa[3];
    gsl_vector_view p = gsl_vector_view_array(pa, 3);
    gsl_vector_const_view z = gsl_matrix_const_row(&Z.matrix, b);
    assert_int_equal(nn_softmax_vector(&p.vector, &z.vector), GSL_SUCCESS);
    double total = 0.0;
    for (size_t k = 0; k < 3; k++) {
      assert_close(Pa[3 * b + k], pa[k], 0.0);
      total += Pa[3 * b + k];
    }
    assert_close(total, 1.0, 1e-15);
  }
  assert_close(Pa[3], 1.0, 0.0);  // e^-1000 is 0 next to e^0
  assert_close(Pa[5], 0.0, 0.0);
  assert_int_equal(nn_softmax_rows(&Z.matrix, &Z.matrix), GSL_SUCCESS);  // in place
  assert_memory_equal(Za, Pa, sizeof Pa);
}

/* J(z) = Σ_b Σ_k G_bk softmax(z_b)_k: its gradient with respect to the scores
 * is the softmax backward with dP = G. */
static double
weighted_softmax(const gsl_vector *theta, void *params)
{
  const gsl_matrix *G = params;
  double Pa[12];
  gsl_matrix_const_view Z = gsl_matrix_const_view_vector(theta, G->size1, G->size2);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, G->size1, G->size2);
  nn_softmax_rows(&P.matrix, &Z.matrix);
  double J = 0.0;
  for (size_t i = 0; i < G->size1; i++)
    for (size_t j = 0; j < G->size2; j++)
      J += gsl_matrix_get(G, i, j) * Pa[i * G->size2 + j];
  return J;
}

static void
backward_passes_a_gradient_check(void **state)
{
  (void) state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  double Za[12], Ga[12], Pa[12], dZa[12];
  for (size_t i = 0; i < 12; i++) {
    Za[i] = 4.0 * gsl_rng_uniform(rng) - 2.0;
    Ga[i] = 4.0 * gsl_rng_uniform(rng) - 2.0;
  }
  gsl_rng_free(rng);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 3, 4), G = gsl_matrix_view_array(Ga, 3, 4);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 3, 4), dZ = gsl_matrix_view_array(dZa, 3, 4);
  assert_int_equal(nn_softmax_rows(&P.matrix, &Z.matrix), GSL_SUCCESS);
  assert_int_equal(nn_softmax_backward_rows(&dZ.matrix, &P.matrix, &G.matrix),
                   GSL_SUCCESS);
  gsl_vector_view theta = gsl_vector_view_array(Za, 12), g = gsl_vector_view_array(dZa, 12);
  double err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, weighted_softmax, &G.matrix, &theta.vector,
                                        &g.vector, NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(err < 1e-7);

  // the vector form gives each row, and may work in place (dz = dp)
  for (size_t b = 0; b < 3; b++) {
    double da[4];
    memcpy(da, Ga + 4 * b, sizeof da);
    gsl_vector_view d = gsl_vector_view_array(da, 4), p = gsl_vector_view_array(Pa + 4 * b, 4);
    assert_int_equal(nn_softmax_backward_vector(&d.vector, &p.vector, &d.vector),
                     GSL_SUCCESS);
    for (size_t k = 0; k < 4; k++)
      assert_close(da[k], dZa[4 * b + k], 1e-15);
  }
  // a gradient that only shifts every dp equally changes nothing: dz = 0
  double ca[4] = {2.385, 2.385, 2.385, 2.385}, za[4];
  gsl_vector_view c = gsl_vector_view_array(ca, 4), zz = gsl_vector_view_array(za, 4);
  gsl_vector_view p0 = gsl_vector_view_array(Pa, 4);
  assert_int_equal(nn_softmax_backward_vector(&zz.vector, &p0.vector, &c.vector),
                   GSL_SUCCESS);
  for (size_t k = 0; k < 4; k++)
    assert_close(za[k], 0.0, 1e-15);
}

static void
bad_shapes_are_named(void **state)
{
  (void) state;
  double a[6] = {1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, b[6], r;
  gsl_vector_view z3 = gsl_vector_view_array(a, 3), p2 = gsl_vector_view_array(b, 2);
  gsl_vector_view e = gsl_vector_subvector(&z3.vector, 0, 0);
  gsl_matrix_view Z23 = gsl_matrix_view_array(a, 2, 3), P32 = gsl_matrix_view_array(b, 3, 2);
  gsl_matrix_view P23 = gsl_matrix_view_array(b, 2, 3);
  assert_gsl_error(nn_softmax_vector(&p2.vector, &z3.vector), GSL_EBADLEN,
                   "z has 3 entries but p has 2");
  assert_gsl_error(nn_softmax_vector(&e.vector, &e.vector), GSL_EBADLEN, "empty");
  assert_gsl_error(nn_softmax_logsumexp(&e.vector, &r), GSL_EBADLEN, "empty");
  assert_gsl_error(nn_softmax_rows(&P32.matrix, &Z23.matrix), GSL_EBADLEN,
                   "Z is 2x3 but P is 3x2");
  assert_gsl_error(nn_softmax_backward_rows(&P23.matrix, &Z23.matrix, &P32.matrix),
                   GSL_EBADLEN, "P is 2x3 but dP is 3x2");
  assert_gsl_error(nn_softmax_backward_rows(&P32.matrix, &Z23.matrix, &P23.matrix),
                   GSL_EBADLEN, "P is 2x3 but dZ is 3x2");
  assert_gsl_error(nn_softmax_backward_vector(&z3.vector, &z3.vector, &p2.vector),
                   GSL_EBADLEN, "p has 3 entries but dp has 2");
  assert_gsl_error(nn_softmax_vector(NULL, &z3.vector), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_softmax_rows(&P23.matrix, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_softmax_logsumexp(&z3.vector, NULL), GSL_EINVAL, "NULL");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(softmax_gives_probabilities_that_keep_the_order),
    cmocka_unit_test(softmax_is_shift_invariant_even_for_huge_scores),
    cmocka_unit_test(logsumexp_is_the_log_of_the_sum_without_overflow),
    cmocka_unit_test(rows_are_softmaxed_one_sample_at_a_time),
    cmocka_unit_test(backward_passes_a_gradient_check),
    cmocka_unit_test(bad_shapes_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
