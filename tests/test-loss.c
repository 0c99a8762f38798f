/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/loss.h: known values, every gradient by gradient check, the
 * clamp of BCE, the stable forms from logits, the two kinds of CE target,
 * and every error path. */
#include "nntest.h"

#include <gsl/gsl_rng.h>
#include <nn/gradcheck.h>
#include <nn/loss.h>

static void
mse_is_the_mean_of_squared_errors(void **state)
{
  (void) state;
  double Pa[] = {2.385, -1.0, 0.5, 3.0}, Ya[] = {2.0, -1.5, 1.0, 2.0}, La[2], Ga[4];
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 2, 2), Y = gsl_matrix_view_array(Ya, 2, 2);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 2);
  gsl_vector_view L = gsl_vector_view_array(La, 2);
  double J = NAN;
  assert_int_equal(nn_loss_mse(&J, &L.vector, &G.matrix, &P.matrix, &Y.matrix),
                   GSL_SUCCESS);
  // errors 0.385, 0.5 | -0.5, 1.0: L0 = (0.148225 + 0.25)/2, L1 = (0.25 + 1)/2
  assert_close(La[0], 0.1991125, 1e-15);
  assert_close(La[1], 0.625, 1e-15);
  assert_close(J, (0.1991125 + 0.625) / 2, 1e-15);
  // 2e/(BN) = e/2
  assert_close(Ga[0], 0.1925, 1e-15);
  assert_close(Ga[1], 0.25, 1e-15);
  assert_close(Ga[2], -0.25, 1e-15);
  assert_close(Ga[3], 0.5, 1e-15);
  // every output is optional
  assert_int_equal(nn_loss_mse(NULL, NULL, NULL, &P.matrix, &Y.matrix), GSL_SUCCESS);
  J = NAN;
  assert_int_equal(nn_loss_mse(&J, NULL, NULL, &P.matrix, &Y.matrix), GSL_SUCCESS);
  assert_close(J, 0.41205625, 1e-15);
}

static void
bce_known_values_and_the_clamp(void **state)
{
  (void) state;
  double Pa[] = {0.8, 0.3, 0.0, 1.0}, Ya[] = {1.0, 0.0, 1.0, 0.0}, La[4], Ga[4];
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 4, 1), Y = gsl_matrix_view_array(Ya, 4, 1);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 4, 1);
  gsl_vector_view L = gsl_vector_view_array(La, 4);
  double J = NAN;
  assert_int_equal(nn_loss_bce(&J, &L.vector, &G.matrix, &P.matrix, &Y.matrix),
                   GSL_SUCCESS);
  assert_close(La[0], -log(0.8), 1e-15);
  assert_close(La[1], -log(0.7), 1e-15);
  // p = 0 for a 1 and p = 1 for a 0: the worst mistakes, large but finite
  const double worst = -log(NN_LOSS_BCE_EPSILON);
  assert_close(La[2], worst, 1e-6);
  assert_close(La[3], worst, 1e-3);  // 1 - ε is rounded: same size, less exact
  assert_true(La[2] > 27.0 && La[3] > 27.0);
  assert_close(J, (La[0] + La[1] + La[2] + La[3]) / 4, 1e-15);
  for (size_t k = 0; k < 4; k++)
    assert_true(isfinite(Ga[k]));
  assert_close(Ga[0], (0.8 - 1.0) / (0.8 * 0.2) / 4, 1e-15);
  assert_true(Ga[2] < -1e10 && Ga[3] > 1e10);  // steep, toward the target
  // a confident right answer costs (almost) nothing
  Pa[0] = 1.0;
  Pa[1] = 0.0;
  assert_int_equal(nn_loss_bce(NULL, &L.vector, NULL, &P.matrix, &Y.matrix), GSL_SUCCESS);
  assert_true(La[0] >= 0.0 && La[0] < 1e-11);
  assert_true(La[1] >= 0.0 && La[1] < 1e-11);
}

static void
bce_from_logits_is_bce_of_the_sigmoid_and_stable(void **state)
{
  (void) state;
  double Za[] = {2.385, -0.7, 0.0, -3.2, 1.1, 4.0}, Ya[] = {1.0, 0.0, 0.25, 1.0, 0.0, 0.6};
  double Pa[6], Lz[3], Lp[3], Gz[6], Gp[6];
  for (size_t k = 0; k < 6; k++)
    Pa[k] = 1.0 / (1.0 + exp(-Za[k]));
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 3, 2), Y = gsl_matrix_view_array(Ya, 3, 2);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 3, 2);
  gsl_matrix_view GZ = gsl_matrix_view_array(Gz, 3, 2), GP = gsl_matrix_view_array(Gp, 3, 2);
  gsl_vector_view LZ = gsl_vector_view_array(Lz, 3), LP = gsl_vector_view_array(Lp, 3);
  double Jz = NAN, Jp = NAN;
  assert_int_equal(nn_loss_bce_logits(&Jz, &LZ.vector, &GZ.matrix, &Z.matrix, &Y.matrix),
                   GSL_SUCCESS);
  assert_int_equal(nn_loss_bce(&Jp, &LP.vector, &GP.matrix, &P.matrix, &Y.matrix),
                   GSL_SUCCESS);
  assert_close(Jz, Jp, 1e-14);
  for (size_t b = 0; b < 3; b++)
    assert_close(Lz[b], Lp[b], 1e-14);
  // chain rule: dJ/dz = dJ/dp · p (1 - p) = (p - y) / (BN)
  for (size_t k = 0; k < 6; k++) {
    assert_close(Gz[k], Gp[k] * Pa[k] * (1.0 - Pa[k]), 1e-14);
    assert_close(Gz[k], (Pa[k] - Ya[k]) / 6.0, 1e-15);
  }
  // logits far beyond what exp() can take: exact, no clamp
  double Ha[] = {800.0, -800.0, 800.0, -800.0}, Ta[] = {0.0, 1.0, 1.0, 0.0}, Lh[4], Gh[4];
  gsl_matrix_view H = gsl_matrix_view_array(Ha, 4, 1), T = gsl_matrix_view_array(Ta, 4, 1);
  gsl_matrix_view GH = gsl_matrix_view_array(Gh, 4, 1);
  gsl_vector_view LH = gsl_vector_view_array(Lh, 4);
  assert_int_equal(nn_loss_bce_logits(NULL, &LH.vector, &GH.matrix, &H.matrix, &T.matrix),
                   GSL_SUCCESS);
  assert_close(Lh[0], 800.0, 1e-15);  // -log(1 - σ(800)) = 800 + log(1 + e^-800)
  assert_close(Lh[1], 800.0, 1e-15);
  assert_close(Lh[2], 0.0, 0.0);
  assert_close(Lh[3], 0.0, 0.0);
  assert_close(Gh[0], 0.25, 0.0);  // (σ(800) - 0) / 4
  assert_close(Gh[1], -0.25, 0.0);
  assert_close(Gh[2], 0.0, 0.0);
}

static void
softmax_ce_known_values_and_huge_logits(void **state)
{
  (void) state;
  double Za[] = {2.385, -1.2, 0.5, 1000.0, 0.0, -1000.0};
  double Ya[] = {0.0, 0.0, 1.0, 0.0, 1.0, 0.0}, La[2], Ga[6];
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3), Y = gsl_matrix_view_array(Ya, 2, 3);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 3);
  gsl_vector_view L = gsl_vector_view_array(La, 2);
  double J = NAN;
  assert_int_equal(nn_loss_softmax_ce(&J, &L.vector, &G.matrix, &Z.matrix, &Y.matrix),
                   GSL_SUCCESS);
  const double s0 = exp(2.385) + exp(-1.2) + exp(0.5);
  assert_close(La[0], -log(exp(0.5) / s0), 1e-14);
  assert_close(La[1], 1000.0, 1e-15);  // the true class scored 1000 below the best
  assert_close(J, (La[0] + La[1]) / 2.0, 1e-15);
  // (p - y) / B
  assert_close(Ga[0], exp(2.385) / s0 / 2.0, 1e-15);
  assert_close(Ga[2], (exp(0.5) / s0 - 1.0) / 2.0, 1e-15);
  assert_close(Ga[3], 0.5, 0.0);
  assert_close(Ga[4], -0.5, 0.0);
  assert_close(Ga[5], 0.0, 0.0);
  // shifting every score of a row changes nothing
  for (size_t k = 0; k < 3; k++)
    Za[k] += 700.0;
  double La2[2];
  gsl_vector_view L2 = gsl_vector_view_array(La2, 2);
  assert_int_equal(nn_loss_softmax_ce(NULL, &L2.vector, NULL, &Z.matrix, &Y.matrix),
                   GSL_SUCCESS);
  assert_close(La2[0], La[0], 1e-12);
}

static void
class_labels_are_the_same_as_one_hot_rows(void **state)
{
  (void) state;
  double Za[] = {2.385, -1.2, 0.5, 0.3, 1.7, -0.4, -2.0, 0.0, 0.9};
  double Ya[] = {1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0};
  const size_t labels[] = {0, 2, 1};
  double La[3], Lb[3], Ga[9], Gb[9], Ja = NAN, Jb = NAN;
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 3, 3), Y = gsl_matrix_view_array(Ya, 3, 3);
  gsl_matrix_view GA = gsl_matrix_view_array(Ga, 3, 3), GB = gsl_matrix_view_array(Gb, 3, 3);
  gsl_vector_view LA = gsl_vector_view_array(La, 3), LB = gsl_vector_view_array(Lb, 3);
  assert_int_equal(nn_loss_softmax_ce(&Ja, &LA.vector, &GA.matrix, &Z.matrix, &Y.matrix),
                   GSL_SUCCESS);
  assert_int_equal(nn_loss_softmax_ce_labels(&Jb, &LB.vector, &GB.matrix, &Z.matrix,
                                             labels), GSL_SUCCESS);
  assert_close(Ja, Jb, 0.0);
  assert_memory_equal(La, Lb, sizeof La);
  assert_memory_equal(Ga, Gb, sizeof Ga);
  assert_true(Ja > 0.1);
  // each row of the gradient sums to 0 (the probabilities sum to 1)
  for (size_t b = 0; b < 3; b++)
    assert_close(Ga[3 * b] + Ga[3 * b + 1] + Ga[3 * b + 2], 0.0, 1e-15);
}

static void
gradients_may_be_computed_in_place(void **state)
{
  (void) state;
  double Za[] = {2.385, -1.2, 0.5, 0.3}, Ya[] = {0.0, 1.0, 1.0, 0.0}, Ga[4];
  double Wa[4];
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 2), Y = gsl_matrix_view_array(Ya, 2, 2);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 2), W = gsl_matrix_view_array(Wa, 2, 2);
  int (*losses[])(double *, gsl_vector *, gsl_matrix *, const gsl_matrix *,
                  const gsl_matrix *) = {nn_loss_mse, nn_loss_bce_logits,
                                         nn_loss_softmax_ce};
  for (size_t f = 0; f < 3; f++) {
    double J1 = NAN, J2 = NAN;
    memcpy(Wa, Za, sizeof Wa);
    assert_int_equal(losses[f](&J1, NULL, &G.matrix, &Z.matrix, &Y.matrix), GSL_SUCCESS);
    assert_int_equal(losses[f](&J2, NULL, &W.matrix, &W.matrix, &Y.matrix), GSL_SUCCESS);
    assert_close(J1, J2, 0.0);
    assert_memory_equal(Ga, Wa, sizeof Ga);
  }
}

/* ===== Gradients by gradient check =====
 *
 * J(θ) = the cost, θ = the entries of the prediction matrix. */

enum loss_kind { MSE, BCE, BCE_LOGITS, SOFTMAX_CE, SOFTMAX_CE_LABELS };

struct problem {
  enum loss_kind kind;
  size_t B, N;
  const gsl_matrix *T;
  const size_t *labels;
};

static int
run_loss(const struct problem *p, double *J, gsl_matrix *G, const gsl_matrix *P)
{
  switch (p->kind) {
  case MSE:        return nn_loss_mse(J, NULL, G, P, p->T);
  case BCE:        return nn_loss_bce(J, NULL, G, P, p->T);
  case BCE_LOGITS: return nn_loss_bce_logits(J, NULL, G, P, p->T);
  case SOFTMAX_CE: return nn_loss_softmax_ce(J, NULL, G, P, p->T);
  case SOFTMAX_CE_LABELS: return nn_loss_softmax_ce_labels(J, NULL, G, P, p->labels);
  }
  return GSL_EINVAL;
}

static double
cost_of(const gsl_vector *theta, void *params)
{
  const struct problem *p = params;
  gsl_matrix_const_view P = gsl_matrix_const_view_vector(theta, p->B, p->N);
  double J = NAN;
  if (run_loss(p, &J, NULL, &P.matrix) != GSL_SUCCESS)
    return NAN;
  return J;
}

static void
every_gradient_passes_a_gradient_check(void **state)
{
  (void) state;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  const size_t B = 4, N = 3;
  double Pa[12], Ta[12], Ga[12];
  size_t labels[4];
  gsl_matrix_view P = gsl_matrix_view_array(Pa, B, N), T = gsl_matrix_view_array(Ta, B, N);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, B, N);
  gsl_vector_view theta = gsl_vector_view_array(Pa, B * N), g = gsl_vector_view_array(Ga, B * N);
  for (int kind = MSE; kind <= SOFTMAX_CE_LABELS; kind++) {
    for (size_t b = 0; b < B; b++) {
      labels[b] = gsl_rng_uniform_int(rng, N);
      double row = 0.0;
      for (size_t j = 0; j < N; j++) {
        // probabilities away from 0 and 1 for BCE, scores for the others
        Pa[b * N + j] = kind == BCE ? 0.1 + 0.8 * gsl_rng_uniform(rng)
                                    : 6.0 * gsl_rng_uniform(rng) - 3.0;
        Ta[b * N + j] = kind == MSE ? 4.0 * gsl_rng_uniform(rng) - 2.0
                                    : gsl_rng_uniform(rng);
        row += Ta[b * N + j];
      }
      if (kind == SOFTMAX_CE)  // soft targets: a distribution per row
        for (size_t j = 0; j < N; j++)
          Ta[b * N + j] /= row;
    }
    struct problem p = {(enum loss_kind) kind, B, N, &T.matrix, labels};
    double J = NAN, err = NAN;
    assert_int_equal(run_loss(&p, &J, &G.matrix, &P.matrix), GSL_SUCCESS);
    assert_int_equal(nn_gradcheck_compare(&err, cost_of, &p, &theta.vector, &g.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
    if (!(err < 1e-7))
      print_error("loss %d: relative error %g\n", kind, err);
    assert_true(err < 1e-7);
  }
  gsl_rng_free(rng);
}

static void
bad_input_is_named_and_outputs_stay_untouched(void **state)
{
  (void) state;
  double Pa[6] = {0.2, 0.4, 0.6, 1.3, 0.5, 0.5}, Ya[6] = {0.0, 1.0, 1.0, 0.0, 0.0, 1.0};
  double Ga[6] = {7, 7, 7, 7, 7, 7}, La[3] = {7, 7, 7}, J = 7.0;
  gsl_matrix_view P23 = gsl_matrix_view_array(Pa, 2, 3), Y23 = gsl_matrix_view_array(Ya, 2, 3);
  gsl_matrix_view Y32 = gsl_matrix_view_array(Ya, 3, 2), G32 = gsl_matrix_view_array(Ga, 3, 2);
  gsl_matrix_view G23 = gsl_matrix_view_array(Ga, 2, 3);
  gsl_vector_view L3 = gsl_vector_view_array(La, 3), L2 = gsl_vector_view_array(La, 2);
  gsl_matrix_view empty = gsl_matrix_submatrix(&P23.matrix, 0, 0, 2, 0);

  assert_gsl_error(nn_loss_mse(&J, NULL, NULL, &P23.matrix, &Y32.matrix), GSL_EBADLEN,
                   "Yhat is 2x3 but Y is 3x2");
  assert_gsl_error(nn_loss_mse(&J, NULL, &G32.matrix, &P23.matrix, &Y23.matrix),
                   GSL_EBADLEN, "Yhat is 2x3 but dYhat is 3x2");
  assert_gsl_error(nn_loss_softmax_ce(&J, &L3.vector, NULL, &P23.matrix, &Y23.matrix),
                   GSL_EBADLEN, "Z is 2x3 but losses has 3 entries");
  assert_gsl_error(nn_loss_bce_logits(&J, NULL, NULL, &empty.matrix, &empty.matrix),
                   GSL_EBADLEN, "2x0");
  // P[1][0] = 1.3 is no probability
  assert_gsl_error(nn_loss_bce(&J, &L2.vector, &G23.matrix, &P23.matrix, &Y23.matrix),
                   GSL_EDOM, "P[1][0] = 1.3 is not in [0, 1]");
  assert_non_null(strstr(nn_test_last_error, "sigmoid"));
  Pa[3] = NAN;
  assert_gsl_error(nn_loss_bce(&J, NULL, NULL, &P23.matrix, &Y23.matrix), GSL_EDOM,
                   "P[1][0] = nan");
  Pa[3] = 0.9;
  Ya[1] = -0.5;
  assert_gsl_error(nn_loss_bce(&J, NULL, NULL, &P23.matrix, &Y23.matrix), GSL_EDOM,
                   "Y[0][1] = -0.5 is not in [0, 1]");
  assert_gsl_error(nn_loss_bce_logits(&J, NULL, NULL, &P23.matrix, &Y23.matrix), GSL_EDOM,
                   "Y[0][1] = -0.5");
  assert_gsl_error(nn_loss_softmax_ce(&J, NULL, NULL, &P23.matrix, &Y23.matrix), GSL_EDOM,
                   "Y[0][1] = -0.5");
  Ya[1] = 1.0;
  const size_t bad_labels[] = {1, 3};
  assert_gsl_error(nn_loss_softmax_ce_labels(&J, NULL, &G23.matrix, &P23.matrix,
                                             bad_labels), GSL_EINVAL,
                   "labels[1] is 3 but Z is 2x3 (classes 0 to 2)");
  assert_gsl_error(nn_loss_softmax_ce_labels(&J, NULL, NULL, &P23.matrix, NULL),
                   GSL_EINVAL, "NULL");
  assert_gsl_error(nn_loss_mse(&J, NULL, NULL, NULL, &Y23.matrix), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_loss_bce(&J, NULL, NULL, &P23.matrix, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_loss_softmax_ce(&J, NULL, NULL, NULL, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_loss_bce_logits(&J, NULL, NULL, NULL, NULL), GSL_EINVAL, "NULL");
  // nothing was written by a failed call
  assert_close(J, 7.0, 0.0);
  for (size_t k = 0; k < 6; k++)
    assert_close(Ga[k], 7.0, 0.0);
  for (size_t k = 0; k < 3; k++)
    assert_close(La[k], 7.0, 0.0);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mse_is_the_mean_of_squared_errors),
    cmocka_unit_test(bce_known_values_and_the_clamp),
    cmocka_unit_test(bce_from_logits_is_bce_of_the_sigmoid_and_stable),
    cmocka_unit_test(softmax_ce_known_values_and_huge_logits),
    cmocka_unit_test(class_labels_are_the_same_as_one_hot_rows),
    cmocka_unit_test(gradients_may_be_computed_in_place),
    cmocka_unit_test(every_gradient_passes_a_gradient_check),
    cmocka_unit_test(bad_input_is_named_and_outputs_stay_untouched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
