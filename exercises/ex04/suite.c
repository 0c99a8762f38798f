/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex04.c: the public tests of exercise 4.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_loss_mse, nn_loss_bce and nn_loss_softmax_ce give the expected losses
 * and gradients. The gradients are also checked the way the course checks
 * every gradient: against central differences of the cost, here the mean of
 * the student's own losses, with a relative error below 1e-7, and a gradient
 * of zeros is refused. Inputs live in arrays on the stack, so a failing test
 * leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/loss.h>

#include "exercises.h"
#include "remote-ex04.h"
#include "testkit.h"

/* Rows of B one-hot targets over K classes, the hot class of row b given. */
static void
one_hot(double *Y, size_t B, size_t K, const size_t *hot)
{
  for (size_t b = 0; b < B; b++)
    for (size_t k = 0; k < K; k++)
      Y[b * K + k] = k == hot[b] ? 1.0 : 0.0;
}

/* ===== The gradient check ===== */

typedef int remote_loss(const gsl_matrix *, const gsl_matrix *, gsl_vector *);

/* J = the mean of the student's losses for the prediction A. */
static int
student_cost(remote_loss *loss, const gsl_matrix *A, const gsl_matrix *Y, double *J)
{
  double la[16];
  nng_set_all(la, A->size1, NAN);  /* sent along as the value before the call */
  gsl_vector_view losses = gsl_vector_view_array(la, A->size1);
  int status = loss(A, Y, &losses.vector);
  if (status != GSL_SUCCESS)
    return status;
  double sum = 0.0;
  for (size_t b = 0; b < A->size1; b++)
    sum += la[b];
  *J = sum / (double) A->size1;
  return GSL_SUCCESS;
}

/* The student's gradient G of the cost at A against central differences of
 * the mean of the student's own losses, entry by entry:
 *
 *   error = max_i |G_i - n_i| / max_i (|G_i| + |n_i|)  <  1e-7,
 *
 * after refusing a G of zeros (it would agree with any flat cost). A has at
 * most 16 rows and 16 entries in all. */
static void
gradient_check(remote_loss *loss, const char *loss_name, const char *grad_name,
               gsl_matrix *A, const gsl_matrix *Y, const gsl_matrix *G)
{
  const double h = 1e-5;
  double largest = 0.0;
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++)
      largest = fmax(largest, fabs(gsl_matrix_get(G, i, j)));
  NNG_EXPECT_TRUE(largest > 0.0, "%s returned a gradient of zeros: a gradient check "
                  "cannot pass it (the cost is not flat here).", grad_name);
  double worst = 0.0, scale = 0.0;
  for (size_t i = 0; i < A->size1; i++)
    for (size_t j = 0; j < A->size2; j++) {
      const double a = gsl_matrix_get(A, i, j);
      double up = NAN, down = NAN;
      gsl_matrix_set(A, i, j, a + h);
      int s1 = student_cost(loss, A, Y, &up);
      gsl_matrix_set(A, i, j, a - h);
      int s2 = student_cost(loss, A, Y, &down);
      gsl_matrix_set(A, i, j, a);
      NNG_REQUIRE_SUCCESS(s1, loss_name);
      NNG_REQUIRE_SUCCESS(s2, loss_name);
      const double numerical = (up - down) / (2.0 * h), g = gsl_matrix_get(G, i, j);
      worst = fmax(worst, fabs(g - numerical));
      scale = fmax(scale, fabs(g) + fabs(numerical));
      if (!isfinite(numerical) || !isfinite(g))
        worst = INFINITY;
    }
  const double error = worst / scale;
  NNG_EXPECT_TRUE(error < 1e-7, "%s against central differences of the mean of your "
                  "%s losses (step h = 1e-5): relative error %.3g, expected below "
                  "1e-7. One of them is wrong: compare both with the formulas of "
                  "exercise4.h.", grad_name, loss_name, error);
}

/* ===== ex4_mse, ex4_mse_grad ===== */

static void
mse_is_the_mean_squared_error_of_each_row(void **state)
{
  (void) state;
  double Ya[4 * 3], Ta[4 * 3], la[4], ea[4];
  nng_fill_uniform(Ya, 12, -3, 3, 401);
  nng_fill_uniform(Ta, 12, -3, 3, 402);
  nng_set_all(la, 4, NAN);
  gsl_matrix_view Yhat = gsl_matrix_view_array(Ya, 4, 3), Y = gsl_matrix_view_array(Ta, 4, 3);
  gsl_vector_view losses = gsl_vector_view_array(la, 4), e = gsl_vector_view_array(ea, 4);
  nn_loss_mse(NULL, &e.vector, NULL, &Yhat.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_mse(&Yhat.matrix, &Y.matrix, &losses.vector), "ex4_mse");
  NNG_EXPECT_VECTOR_CLOSE("ex4_mse of 4 samples of 3 outputs", &losses.vector,
                          &e.vector, 1e-12);
}

static void
mse_gradient_is_the_gradient_of_the_mean(void **state)
{
  (void) state;
  double Ya[4 * 3], Ta[4 * 3], Ga[4 * 3], Ea[4 * 3];
  nng_fill_uniform(Ya, 12, -3, 3, 411);
  nng_fill_uniform(Ta, 12, -3, 3, 412);
  nng_set_all(Ga, 12, NAN);
  gsl_matrix_view Yhat = gsl_matrix_view_array(Ya, 4, 3), Y = gsl_matrix_view_array(Ta, 4, 3);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 4, 3), E = gsl_matrix_view_array(Ea, 4, 3);
  nn_loss_mse(NULL, NULL, &E.matrix, &Yhat.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_mse_grad(&Yhat.matrix, &Y.matrix, &G.matrix),
                      "ex4_mse_grad");
  nng_show_input("Yhat", &Yhat.matrix);
  nng_show_input("Y", &Y.matrix);
  NNG_EXPECT_MATRIX_CLOSE("ex4_mse_grad of 4 samples of 3 outputs", &G.matrix,
                          &E.matrix, 1e-12);
}

static void
mse_gradient_passes_a_gradient_check(void **state)
{
  (void) state;
  double Ya[3 * 4], Ta[3 * 4], Ga[3 * 4];
  nng_fill_uniform(Ya, 12, -2.385, 2.385, 421);
  nng_fill_uniform(Ta, 12, -2.385, 2.385, 422);
  nng_set_all(Ga, 12, NAN);
  gsl_matrix_view Yhat = gsl_matrix_view_array(Ya, 3, 4), Y = gsl_matrix_view_array(Ta, 3, 4);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 3, 4);
  NNG_REQUIRE_SUCCESS(nng_ex4_mse_grad(&Yhat.matrix, &Y.matrix, &G.matrix),
                      "ex4_mse_grad");
  gradient_check(nng_ex4_mse, "ex4_mse", "ex4_mse_grad", &Yhat.matrix, &Y.matrix,
                 &G.matrix);
}

static void
mse_rejects_shapes_that_do_not_fit(void **state)
{
  (void) state;
  double Ya[6] = {1, 2, 3, 4, 5, 6}, Ta[6] = {6, 5, 4, 3, 2, 1};
  double la[3] = {7.5, 8.5, 9.5}, Ga[6] = {4.25, 4.25, 4.25, 4.25, 4.25, 4.25};
  gsl_matrix_view Yhat = gsl_matrix_view_array(Ya, 2, 3);
  gsl_matrix_view T32 = gsl_matrix_view_array(Ta, 3, 2), T23 = gsl_matrix_view_array(Ta, 2, 3);
  gsl_vector_view l2 = gsl_vector_view_array(la, 2), l3 = gsl_vector_view_array(la, 3);
  gsl_matrix_view G32 = gsl_matrix_view_array(Ga, 3, 2), G23 = gsl_matrix_view_array(Ga, 2, 3);
  NNG_EXPECT_STATUS(nng_ex4_mse(&Yhat.matrix, &T32.matrix, &l2.vector), GSL_EBADLEN,
                    "ex4_mse", "Yhat of 2x3 and Y of 3x2");
  NNG_EXPECT_STATUS(nng_ex4_mse(&Yhat.matrix, &T23.matrix, &l3.vector), GSL_EBADLEN,
                    "ex4_mse", "2 samples and losses of 3 entries");
  NNG_EXPECT_TRUE(la[0] == 7.5 && la[1] == 8.5 && la[2] == 9.5,
                  "ex4_mse changed losses although the shapes did not fit: "
                  "(%g, %g, %g), it was (7.5, 8.5, 9.5).", la[0], la[1], la[2]);
  NNG_EXPECT_STATUS(nng_ex4_mse_grad(&Yhat.matrix, &T32.matrix, &G23.matrix),
                    GSL_EBADLEN, "ex4_mse_grad", "Yhat of 2x3 and Y of 3x2");
  NNG_EXPECT_STATUS(nng_ex4_mse_grad(&Yhat.matrix, &T23.matrix, &G32.matrix),
                    GSL_EBADLEN, "ex4_mse_grad", "Yhat of 2x3 and dYhat of 3x2");
  NNG_EXPECT_TRUE(nng_all_equal(Ga, 6, 4.25), "ex4_mse_grad changed dYhat although the "
                  "shapes did not fit.");
}

/* ===== ex4_bce, ex4_bce_grad ===== */

static void
bce_is_minus_the_log_of_the_probability_of_the_truth(void **state)
{
  (void) state;
  double Pa[4 * 3], Ta[4 * 3] = {1, 0, 1, 0, 0, 1, 1, 1, 0, 0.3, 0.5, 1};
  double la[4], ea[4];
  nng_fill_uniform(Pa, 12, 0.05, 0.95, 431);
  nng_set_all(la, 4, NAN);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 4, 3), Y = gsl_matrix_view_array(Ta, 4, 3);
  gsl_vector_view losses = gsl_vector_view_array(la, 4), e = gsl_vector_view_array(ea, 4);
  nn_loss_bce(NULL, &e.vector, NULL, &P.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_bce(&P.matrix, &Y.matrix, &losses.vector), "ex4_bce");
  NNG_EXPECT_VECTOR_CLOSE("ex4_bce of 4 samples of 3 probabilities (targets 0, 1, "
                          "0.3 and 0.5)", &losses.vector, &e.vector, 1e-12);
}

static void
bce_is_clamped_against_log_zero(void **state)
{
  (void) state;
  /* sure and wrong, sure and right, in both directions */
  double Pa[2 * 2] = {0.0, 1.0, 1.0, 0.0}, Ta[2 * 2] = {1.0, 0.0, 1.0, 0.0};
  double la[2] = {NAN, NAN}, ea[2], Ga[4], Ea[4];
  nng_set_all(Ga, 4, NAN);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 2, 2), Y = gsl_matrix_view_array(Ta, 2, 2);
  gsl_vector_view losses = gsl_vector_view_array(la, 2), e = gsl_vector_view_array(ea, 2);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 2), E = gsl_matrix_view_array(Ea, 2, 2);
  nn_loss_bce(NULL, &e.vector, &E.matrix, &P.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_bce(&P.matrix, &Y.matrix, &losses.vector), "ex4_bce");
  NNG_EXPECT_VECTOR_CLOSE("ex4_bce with probabilities of exactly 0 and 1",
                          &losses.vector, &e.vector, 1e-9);
  NNG_REQUIRE_SUCCESS(nng_ex4_bce_grad(&P.matrix, &Y.matrix, &G.matrix), "ex4_bce_grad");
  nng_show_input("P", &P.matrix);
  nng_show_input("Y", &Y.matrix);
  NNG_EXPECT_MATRIX_CLOSE("ex4_bce_grad with probabilities of exactly 0 and 1",
                          &G.matrix, &E.matrix, 1e-6);
}

static void
bce_gradient_passes_a_gradient_check(void **state)
{
  (void) state;
  double Pa[3 * 4], Ta[3 * 4] = {1, 0, 0, 1, 1, 1, 0, 0, 0.25, 1, 0, 1};
  double Ga[3 * 4], Ea[3 * 4];
  nng_fill_uniform(Pa, 12, 0.1, 0.9, 441);
  nng_set_all(Ga, 12, NAN);
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 3, 4), Y = gsl_matrix_view_array(Ta, 3, 4);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 3, 4), E = gsl_matrix_view_array(Ea, 3, 4);
  nn_loss_bce(NULL, NULL, &E.matrix, &P.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_bce_grad(&P.matrix, &Y.matrix, &G.matrix), "ex4_bce_grad");
  nng_show_input("P", &P.matrix);
  nng_show_input("Y", &Y.matrix);
  NNG_EXPECT_MATRIX_CLOSE("ex4_bce_grad of 3 samples of 4 probabilities", &G.matrix,
                          &E.matrix, 1e-12);
  gradient_check(nng_ex4_bce, "ex4_bce", "ex4_bce_grad", &P.matrix, &Y.matrix,
                 &G.matrix);
}

static void
bce_rejects_probabilities_outside_0_1(void **state)
{
  (void) state;
  double Ta[4] = {1, 0, 1, 0}, la[2] = {7.5, 8.5}, Ga[4] = {4.25, 4.25, 4.25, 4.25};
  const double bad[] = {1.2, -0.1, NAN};
  const char *what[] = {"P with an entry 1.2", "P with an entry -0.1", "P with a NaN"};
  gsl_matrix_view Y = gsl_matrix_view_array(Ta, 2, 2);
  gsl_vector_view losses = gsl_vector_view_array(la, 2);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 2);
  for (size_t k = 0; k < 3; k++) {
    double Pa[4] = {0.25, 0.5, 0.75, bad[k]};
    gsl_matrix_view P = gsl_matrix_view_array(Pa, 2, 2);
    NNG_EXPECT_STATUS(nng_ex4_bce(&P.matrix, &Y.matrix, &losses.vector), GSL_EDOM,
                      "ex4_bce", what[k]);
    NNG_EXPECT_STATUS(nng_ex4_bce_grad(&P.matrix, &Y.matrix, &G.matrix), GSL_EDOM,
                      "ex4_bce_grad", what[k]);
  }
  double Pa[4] = {0.25, 0.5, 0.75, 0.5}, Tb[4] = {1, 0, 2, 0};
  gsl_matrix_view P = gsl_matrix_view_array(Pa, 2, 2), Y2 = gsl_matrix_view_array(Tb, 2, 2);
  NNG_EXPECT_STATUS(nng_ex4_bce(&P.matrix, &Y2.matrix, &losses.vector), GSL_EDOM,
                    "ex4_bce", "a target of 2");
  NNG_EXPECT_TRUE(la[0] == 7.5 && la[1] == 8.5 && nng_all_equal(Ga, 4, 4.25),
                  "ex4_bce or ex4_bce_grad changed its output although a number was "
                  "outside [0, 1].");
}

/* ===== ex4_cross_entropy, ex4_cross_entropy_grad ===== */

static void
cross_entropy_is_minus_the_log_softmax_of_the_class(void **state)
{
  (void) state;
  double Za[3 * 4], Ta[3 * 4], la[3], ea[3];
  const size_t hot[3] = {2, 0, 3};
  nng_fill_uniform(Za, 12, -3, 3, 451);
  one_hot(Ta, 3, 4, hot);
  nng_set_all(la, 3, NAN);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 3, 4), Y = gsl_matrix_view_array(Ta, 3, 4);
  gsl_vector_view losses = gsl_vector_view_array(la, 3), e = gsl_vector_view_array(ea, 3);
  nn_loss_softmax_ce(NULL, &e.vector, NULL, &Z.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_cross_entropy(&Z.matrix, &Y.matrix, &losses.vector),
                      "ex4_cross_entropy");
  NNG_EXPECT_VECTOR_CLOSE("ex4_cross_entropy of 3 samples of 4 classes (one-hot "
                          "targets)", &losses.vector, &e.vector, 1e-12);
}

static void
cross_entropy_is_stable_for_large_scores(void **state)
{
  (void) state;
  double Za[2 * 3] = {1000.0, 998.0, -1000.0, -800.0, -801.5, -802.385};
  double Ta[2 * 3], la[2] = {NAN, NAN}, ea[2], Ga[6], Ea[6];
  const size_t hot[2] = {1, 2};
  one_hot(Ta, 2, 3, hot);
  nng_set_all(Ga, 6, NAN);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3), Y = gsl_matrix_view_array(Ta, 2, 3);
  gsl_vector_view losses = gsl_vector_view_array(la, 2), e = gsl_vector_view_array(ea, 2);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 2, 3), E = gsl_matrix_view_array(Ea, 2, 3);
  nn_loss_softmax_ce(NULL, &e.vector, &E.matrix, &Z.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_cross_entropy(&Z.matrix, &Y.matrix, &losses.vector),
                      "ex4_cross_entropy");
  NNG_EXPECT_VECTOR_CLOSE("ex4_cross_entropy with scores of 1000 and -800",
                          &losses.vector, &e.vector, 1e-12);
  NNG_REQUIRE_SUCCESS(nng_ex4_cross_entropy_grad(&Z.matrix, &Y.matrix, &G.matrix),
                      "ex4_cross_entropy_grad");
  nng_show_input("Z", &Z.matrix);
  nng_show_input("Y", &Y.matrix);
  NNG_EXPECT_MATRIX_CLOSE("ex4_cross_entropy_grad with scores of 1000 and -800",
                          &G.matrix, &E.matrix, 1e-12);
}

static void
cross_entropy_gradient_is_p_minus_y_over_b(void **state)
{
  (void) state;
  double Za[4 * 3], Ta[4 * 3], Ga[4 * 3], Ea[4 * 3];
  const size_t hot[4] = {0, 2, 1, 1};
  nng_fill_uniform(Za, 12, -2.385, 2.385, 461);
  one_hot(Ta, 4, 3, hot);
  nng_set_all(Ga, 12, NAN);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 4, 3), Y = gsl_matrix_view_array(Ta, 4, 3);
  gsl_matrix_view G = gsl_matrix_view_array(Ga, 4, 3), E = gsl_matrix_view_array(Ea, 4, 3);
  nn_loss_softmax_ce(NULL, NULL, &E.matrix, &Z.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_cross_entropy_grad(&Z.matrix, &Y.matrix, &G.matrix),
                      "ex4_cross_entropy_grad");
  nng_show_input("Z", &Z.matrix);
  nng_show_input("Y", &Y.matrix);
  NNG_EXPECT_MATRIX_CLOSE("ex4_cross_entropy_grad of 4 samples of 3 classes",
                          &G.matrix, &E.matrix, 1e-12);
  gradient_check(nng_ex4_cross_entropy, "ex4_cross_entropy", "ex4_cross_entropy_grad",
                 &Z.matrix, &Y.matrix, &G.matrix);
}

static void
cross_entropy_rejects_shapes_that_do_not_fit(void **state)
{
  (void) state;
  double Za[6] = {1, 2, 3, 4, 5, 6}, Ta[6] = {0, 1, 0, 0, 0, 1};
  double la[3] = {7.5, 8.5, 9.5}, Ga[6] = {4.25, 4.25, 4.25, 4.25, 4.25, 4.25};
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3);
  gsl_matrix_view T32 = gsl_matrix_view_array(Ta, 3, 2), T23 = gsl_matrix_view_array(Ta, 2, 3);
  gsl_vector_view l2 = gsl_vector_view_array(la, 2), l3 = gsl_vector_view_array(la, 3);
  gsl_matrix_view G32 = gsl_matrix_view_array(Ga, 3, 2);
  NNG_EXPECT_STATUS(nng_ex4_cross_entropy(&Z.matrix, &T32.matrix, &l2.vector),
                    GSL_EBADLEN, "ex4_cross_entropy", "Z of 2x3 and Y of 3x2");
  NNG_EXPECT_STATUS(nng_ex4_cross_entropy(&Z.matrix, &T23.matrix, &l3.vector),
                    GSL_EBADLEN, "ex4_cross_entropy", "2 samples and losses of 3 entries");
  NNG_EXPECT_STATUS(nng_ex4_cross_entropy_grad(&Z.matrix, &T23.matrix, &G32.matrix),
                    GSL_EBADLEN, "ex4_cross_entropy_grad", "Z of 2x3 and dZ of 3x2");
  NNG_EXPECT_TRUE(la[0] == 7.5 && la[1] == 8.5 && la[2] == 9.5 && nng_all_equal(Ga, 6, 4.25),
                  "ex4_cross_entropy or its gradient changed its output although the "
                  "shapes did not fit.");
}

/* ===== ex4_cost ===== */

static void
cost_is_the_mean_of_the_losses(void **state)
{
  (void) state;
  /* the losses of a batch, and the library's cost of the same batch */
  double Ya[5 * 2], Ta[5 * 2], la[5], cost = NAN, expected;
  nng_fill_uniform(Ya, 10, -3, 3, 471);
  nng_fill_uniform(Ta, 10, -3, 3, 472);
  gsl_matrix_view Yhat = gsl_matrix_view_array(Ya, 5, 2), Y = gsl_matrix_view_array(Ta, 5, 2);
  gsl_vector_view losses = gsl_vector_view_array(la, 5);
  nn_loss_mse(&expected, &losses.vector, NULL, &Yhat.matrix, &Y.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex4_cost(&losses.vector, &cost), "ex4_cost");
  NNG_EXPECT_CLOSE("ex4_cost of 5 losses", cost, expected, 1e-12);
  double one[1] = {2.385};
  gsl_vector_view single = gsl_vector_view_array(one, 1);
  cost = NAN;
  NNG_REQUIRE_SUCCESS(nng_ex4_cost(&single.vector, &cost), "ex4_cost");
  NNG_EXPECT_CLOSE("ex4_cost of the single loss 2.385", cost, 2.385, 1e-15);
}

static void
cost_rejects_an_empty_batch(void **state)
{
  (void) state;
  double nothing = 0.0, cost = 42.0;
  gsl_vector empty = {0, 1, &nothing, NULL, 0};  /* size 0: no sample at all */
  NNG_EXPECT_STATUS(nng_ex4_cost(&empty, &cost), GSL_EBADLEN, "ex4_cost",
                    "losses of 0 entries");
  NNG_EXPECT_CLOSE("ex4_cost's result after the error (it must be left as it was)",
                   cost, 42.0, 0.0);
}

const nng_test nng_ex04_tests[] = {
  {"mse_is_the_mean_squared_error_of_each_row", mse_is_the_mean_squared_error_of_each_row,
   "ex4_mse", 1,
   "For each row b: add up (yhat - y)² over the N columns, then divide by N."},
  {"mse_gradient_is_the_gradient_of_the_mean", mse_gradient_is_the_gradient_of_the_mean,
   "ex4_mse_grad", 1,
   "The cost averages over B rows and each loss over N columns: divide 2 (yhat - y) "
   "by B*N, with B = Yhat->size1 and N = Yhat->size2."},
  {"mse_gradient_passes_a_gradient_check", mse_gradient_passes_a_gradient_check,
   "ex4_mse_grad", 1,
   "Nudge one prediction by h and the mean of your losses moves by about h times "
   "your gradient entry: if not, check the factor 2 and the division by B*N."},
  {"mse_rejects_shapes_that_do_not_fit", mse_rejects_shapes_that_do_not_fit,
   "ex4_mse", 1,
   "Check Y's rows and columns against Yhat's, losses->size against the rows, "
   "dYhat's shape, all before writing anything; return GSL_EBADLEN."},
  {"bce_is_minus_the_log_of_the_probability_of_the_truth",
   bce_is_minus_the_log_of_the_probability_of_the_truth, "ex4_bce", 1,
   "Per entry: -(y log p + (1 - y) log(1 - p)); then the mean over the row. "
   "Targets may be fractions such as 0.3: do not round them."},
  {"bce_is_clamped_against_log_zero", bce_is_clamped_against_log_zero, "ex4_bce", 1,
   "Clamp first: p = fmin(fmax(p, EX4_EPSILON), 1 - EX4_EPSILON), then use that p "
   "in the loss and in the gradient alike."},
  {"bce_gradient_passes_a_gradient_check", bce_gradient_passes_a_gradient_check,
   "ex4_bce_grad", 1,
   "d/dp of -(y log p + (1 - y) log(1 - p)) is (p - y) / (p (1 - p)); the cost "
   "divides by B*N."},
  {"bce_rejects_probabilities_outside_0_1", bce_rejects_probabilities_outside_0_1,
   "ex4_bce", 1,
   "!(v >= 0 && v <= 1) is true for numbers outside [0, 1] and for NaN: check every "
   "entry of P and of Y before writing, and return GSL_EDOM."},
  {"cross_entropy_is_minus_the_log_softmax_of_the_class",
   cross_entropy_is_minus_the_log_softmax_of_the_class, "ex4_cross_entropy", 1,
   "log softmax(z)_k = z_k - lse(z), lse(z) = log Σ_j e^(z_j); the loss of a row is "
   "-Σ_k y_k log softmax(z)_k."},
  {"cross_entropy_is_stable_for_large_scores", cross_entropy_is_stable_for_large_scores,
   "ex4_cross_entropy", 1,
   "e^1000 overflows: subtract m = the largest score of the row before exp, and add "
   "it back: lse(z) = m + log Σ_j e^(z_j - m)."},
  {"cross_entropy_gradient_is_p_minus_y_over_b", cross_entropy_gradient_is_p_minus_y_over_b,
   "ex4_cross_entropy_grad", 1,
   "Row by row: p = softmax(z) (computed with the max shifted out), then (p - y) / B."},
  {"cross_entropy_rejects_shapes_that_do_not_fit",
   cross_entropy_rejects_shapes_that_do_not_fit, "ex4_cross_entropy", 1,
   "Compare the shapes of Z, Y and the output before you compute anything; return "
   "GSL_EBADLEN."},
  {"cost_is_the_mean_of_the_losses", cost_is_the_mean_of_the_losses, "ex4_cost", 1,
   "Add the losses up and divide by losses->size."},
  {"cost_rejects_an_empty_batch", cost_rejects_an_empty_batch, "ex4_cost", 1,
   "With losses->size == 0 there is no mean (0/0): return GSL_EBADLEN and leave "
   "*cost alone."},
  {NULL, NULL, NULL, 0, NULL},
};
