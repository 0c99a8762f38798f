/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex10.c: the public tests of exercise 10.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_dropout_forward and nn_dropout_backward (nn/dropout.h) for dropout,
 * nn_train_l2_penalty and the early-stopping watcher of nn/train.h for the
 * rest. The library draws dropout's mask from a gsl_rng; the exercise
 * takes the draws as a matrix U instead, so the tests draw U from a copy
 * of the very generator the library is given: same draws, same mask. Two
 * conventions are the exercise's own and are stated where they are used:
 * the early-stopping rule is run over a whole curve at once (the library
 * watches one epoch at a time), and its best epoch is 1 when no loss is
 * below +∞ (the library says -1, "none yet"). Gradients are also checked
 * the way the course checks every gradient: against central differences.
 * Inputs live in arrays on the stack, and what the library allocates is
 * freed before the first judgement, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/dropout.h>
#include <nn/gradcheck.h>
#include <nn/train.h>

#include "exercises.h"
#include "remote-ex10.h"
#include "testkit.h"

#define B 4
#define N 5

/* ===== Dropout, by the library ===== */

/* The library's inverted dropout of X (B, N) in training with drop
 * probability p and a generator seeded with SEED: its output into Y, its
 * mask into M, and the draws it made, in the order it made them (row by
 * row), into U. */
static void
reference_dropout(const double *X, double p, unsigned long seed, double *U, double *Y,
                  double *M)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  gsl_rng *copy = gsl_rng_clone(r);
  for (size_t k = 0; k < B * N; k++)
    U[k] = gsl_rng_uniform(copy);
  nn_dropout *d = nn_dropout_alloc(N, B, p);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N);
  nn_dropout_train(d, 1);
  nn_dropout_forward(d, r, &Yv.matrix, &Xv.matrix);
  for (size_t i = 0; i < B; i++)
    for (size_t j = 0; j < N; j++)
      M[i * N + j] = gsl_matrix_get(d->mask, i, j);
  nn_dropout_free(d);
  gsl_rng_free(copy);
  gsl_rng_free(r);
}

/* The student's forward in training on a simple case (p = 1/2, every
 * other draw below it): 1 when it gives the right mask. */
static int
forward_works(void)
{
  double X[B * N], U[B * N], Y[B * N], M[B * N];
  for (size_t k = 0; k < B * N; k++) {
    X[k] = 1.0 + (double) k;
    U[k] = k % 2 ? 0.75 : 0.25;
  }
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N), Uv = gsl_matrix_view_array(U, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), Mv = gsl_matrix_view_array(M, B, N);
  if (nng_ex10_dropout_forward(&Yv.matrix, &Mv.matrix, &Xv.matrix, &Uv.matrix, 0.5, 1)
      != GSL_SUCCESS)
    return 0;
  for (size_t k = 0; k < B * N; k++)
    if (M[k] != (k % 2 ? 2.0 : 0.0) || Y[k] != X[k] * M[k])
      return 0;
  return 1;
}

/* ===== ex10_dropout_forward ===== */

static void
dropout_forward_matches_the_library(void **state)
{
  (void) state;
  double X[B * N], U[B * N], Y[B * N], M[B * N], eY[B * N], eM[B * N];
  nng_fill_uniform(X, B * N, -2, 2, 101);
  reference_dropout(X, 0.3, 102, U, eY, eM);
  nng_set_all(Y, B * N, NAN);
  nng_set_all(M, B * N, NAN);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N), Uv = gsl_matrix_view_array(U, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view eYv = gsl_matrix_view_array(eY, B, N), eMv = gsl_matrix_view_array(eM, B, N);
  nng_show_input("U", &Uv.matrix);
  nng_show_input("X", &Xv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_forward(&Yv.matrix, &Mv.matrix, &Xv.matrix,
                                               &Uv.matrix, 0.3, 1),
                      "ex10_dropout_forward");
  NNG_EXPECT_MATRIX_CLOSE("the mask M with p = 0.3 (0 where U < p, 1/(1 - p) elsewhere)",
                          &Mv.matrix, &eMv.matrix, 1e-15);
  NNG_EXPECT_MATRIX_CLOSE("Y = X ⊙ M with p = 0.3", &Yv.matrix, &eYv.matrix, 1e-15);
}

static void
dropout_forward_is_the_identity_at_test_time(void **state)
{
  (void) state;
  double X[B * N], Y[B * N], M[B * N], ones[B * N];
  nng_fill_uniform(X, B * N, -2, 2, 103);
  nng_set_all(Y, B * N, NAN);
  nng_set_all(M, B * N, NAN);
  nng_set_all(ones, B * N, 1.0);
  /* the library in evaluation mode */
  double eY[B * N];
  gsl_matrix_const_view Xc = gsl_matrix_const_view_array(X, B, N);
  gsl_matrix_view eYv = gsl_matrix_view_array(eY, B, N);
  nn_dropout *d = nn_dropout_alloc(N, B, 0.6);
  nn_dropout_train(d, 0);
  nn_dropout_forward(d, NULL, &eYv.matrix, &Xc.matrix);
  nn_dropout_free(d);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view onesv = gsl_matrix_view_array(ones, B, N);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_forward(&Yv.matrix, &Mv.matrix, &Xv.matrix, NULL,
                                               0.6, 0),
                      "ex10_dropout_forward");
  NNG_EXPECT_MATRIX_CLOSE("Y at test time (training = 0, p = 0.6, U = NULL): X itself",
                          &Yv.matrix, &eYv.matrix, 0.0);
  NNG_EXPECT_MATRIX_CLOSE("M at test time (training = 0): 1 everywhere", &Mv.matrix,
                          &onesv.matrix, 0.0);
}

static void
dropout_forward_keeps_the_expected_activation(void **state)
{
  (void) state;
  /* 400 copies of x = 2.385, p = 0.4: the mean of Y is x up to the noise
   * of 400 draws, whose standard error is x √(p / (1 - p)) / √400 ≈ 0.097.
   * The draws are fixed, so the test is too; without the scale 1/(1 - p)
   * the mean is about 0.6 x = 1.43, far outside 4 standard errors. */
  enum { R = 20, C = 20 };
  const double x = 2.385, p = 0.4;
  double X[R * C], U[R * C], Y[R * C], M[R * C];
  nng_set_all(X, R * C, x);
  nng_fill_uniform(U, R * C, 0, 1, 104);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, R, C), Uv = gsl_matrix_view_array(U, R, C);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, R, C), Mv = gsl_matrix_view_array(M, R, C);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_forward(&Yv.matrix, &Mv.matrix, &Xv.matrix,
                                               &Uv.matrix, p, 1),
                      "ex10_dropout_forward");
  double mean = 0.0;
  size_t kept = 0;
  for (size_t k = 0; k < R * C; k++) {
    mean += Y[k] / (R * C);
    kept += Y[k] != 0.0;
  }
  const double se = x * sqrt(p / (1 - p)) / sqrt((double) (R * C));
  NNG_EXPECT_TRUE(kept > 0 && kept < R * C,
                  "with p = 0.4, your dropout kept %zu of %d units: it should drop "
                  "about 40%% of them (where U < p).", kept, R * C);
  NNG_EXPECT_TRUE(fabs(mean - x) < 4 * se,
                  "the mean of Y over 400 copies of x = 2.385 with p = 0.4 is %.4g, "
                  "expected %.4g give or take %.2g: dropout must keep the expected "
                  "activation.", mean, x, 4 * se);
}

static void
dropout_forward_in_place(void **state)
{
  (void) state;
  double X[B * N], U[B * N], M[B * N], eY[B * N], eM[B * N];
  nng_fill_uniform(X, B * N, -2, 2, 105);
  reference_dropout(X, 0.5, 106, U, eY, eM);
  nng_set_all(M, B * N, NAN);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N), Uv = gsl_matrix_view_array(U, B, N);
  gsl_matrix_view Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view eYv = gsl_matrix_view_array(eY, B, N), eMv = gsl_matrix_view_array(eM, B, N);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_forward_in_place(&Xv.matrix, &Mv.matrix, &Uv.matrix,
                                                        0.5, 1),
                      "ex10_dropout_forward");
  NNG_EXPECT_MATRIX_CLOSE("Y written over X (Y and X the same matrix), p = 0.5",
                          &Xv.matrix, &eYv.matrix, 1e-15);
  NNG_EXPECT_MATRIX_CLOSE("the mask M when Y is X, p = 0.5", &Mv.matrix, &eMv.matrix,
                          1e-15);
}

static void
dropout_forward_rejects_bad_input(void **state)
{
  (void) state;
  double X[B * N], U[B * N], bad[B * N], Y[B * N], M[B * N], big[(B + 1) * N];
  nng_fill_uniform(X, B * N, -1, 1, 107);
  nng_fill_uniform(U, B * N, 0, 1, 108);
  nng_fill_uniform(bad, B * N, 0, 1, 108);
  bad[B * N - 1] = 1.0;  /* the last draw outside [0, 1) */
  nng_set_all(Y, B * N, 5.5);
  nng_set_all(M, B * N, 6.5);
  nng_fill_uniform(big, (B + 1) * N, 0, 1, 109);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N), Uv = gsl_matrix_view_array(U, B, N);
  gsl_matrix_view badv = gsl_matrix_view_array(bad, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view U5 = gsl_matrix_view_array(big, B + 1, N);  /* one row too many */
  const char *fn = "ex10_dropout_forward";
  gsl_matrix *Ym = &Yv.matrix, *Mm = &Mv.matrix, *Xm = &Xv.matrix;
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, &Uv.matrix, 1.0, 1), GSL_EDOM, fn,
                    "p = 1");
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, &Uv.matrix, -0.25, 1), GSL_EDOM,
                    fn, "p = -0.25");
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, &Uv.matrix, NAN, 1), GSL_EDOM, fn,
                    "p = NaN");
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, &badv.matrix, 0.5, 1), GSL_EDOM,
                    fn, "a draw U[3][4] = 1, outside [0, 1)");
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, &U5.matrix, 0.5, 1), GSL_EBADLEN,
                    fn, "X of 4x5 but U of 5x5");
  NNG_EXPECT_STATUS(nng_ex10_dropout_forward(Ym, Mm, Xm, NULL, 0.5, 1), GSL_EINVAL, fn,
                    "U = NULL in training");
  NNG_EXPECT_TRUE(nng_all_equal(Y, B * N, 5.5) && nng_all_equal(M, B * N, 6.5),
                  "ex10_dropout_forward wrote into Y or M although it returned an "
                  "error: check p, the shapes and every draw before writing anything.");
}

/* ===== ex10_dropout_backward ===== */

/* J(X) = Σ (X ⊙ M) ⊙ R for a fixed mask M: ∂J/∂X = R ⊙ M, the backward
 * pass of dropout with dY = R. params holds M then R. */
static double
dropout_cost(const gsl_vector *x, void *params)
{
  const double *M = params, *R = M + B * N;
  double J = 0.0;
  for (size_t k = 0; k < B * N; k++)
    J += gsl_vector_get(x, k) * M[k] * R[k];
  return J;
}

static void
dropout_backward_matches_the_library(void **state)
{
  (void) state;
  double X[B * N], Y[B * N], M[B * N], dY[B * N], dX[B * N], edX[B * N];
  nng_fill_uniform(X, B * N, -2, 2, 110);
  nng_fill_uniform(dY, B * N, -1, 1, 111);
  /* the library's forward then backward: the same mask on the way back */
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 112);
  nn_dropout *d = nn_dropout_alloc(N, B, 0.35);
  gsl_matrix_const_view Xc = gsl_matrix_const_view_array(X, B, N);
  gsl_matrix_const_view dYc = gsl_matrix_const_view_array(dY, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), edXv = gsl_matrix_view_array(edX, B, N);
  nn_dropout_forward(d, r, &Yv.matrix, &Xc.matrix);
  nn_dropout_backward(d, &edXv.matrix, &dYc.matrix);
  for (size_t k = 0; k < B * N; k++)
    M[k] = d->mask->data[k];  /* (max_batch = B, N): contiguous */
  nn_dropout_free(d);
  gsl_rng_free(r);
  nng_set_all(dX, B * N, NAN);
  gsl_matrix_view dXv = gsl_matrix_view_array(dX, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view dYv = gsl_matrix_view_array(dY, B, N);
  nng_show_input("M", &Mv.matrix);
  nng_show_input("dY", &dYv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_backward(&dXv.matrix, &dYv.matrix, &Mv.matrix),
                      "ex10_dropout_backward");
  NNG_EXPECT_MATRIX_CLOSE("dX = dY ⊙ M with the mask of a forward pass, p = 0.35",
                          &dXv.matrix, &edXv.matrix, 1e-15);
}

static void
dropout_backward_passes_a_gradient_check(void **state)
{
  (void) state;
  double X[B * N], U[B * N], Y[B * N], params[2 * B * N], dX[B * N], num[B * N];
  double *M = params, *R = params + B * N;
  nng_fill_uniform(X, B * N, -2, 2, 113);
  reference_dropout(X, 0.25, 114, U, Y, M);
  nng_fill_uniform(R, B * N, -1, 1, 115);
  gsl_vector_view xv = gsl_vector_view_array(X, B * N), nv = gsl_vector_view_array(num, B * N);
  nn_gradcheck_numerical(&nv.vector, dropout_cost, params, &xv.vector, NN_GRADCHECK_STEP);
  nng_set_all(dX, B * N, NAN);
  gsl_matrix_view dXv = gsl_matrix_view_array(dX, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view Rv = gsl_matrix_view_array(R, B, N);
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_backward(&dXv.matrix, &Rv.matrix, &Mv.matrix),
                      "ex10_dropout_backward");
  double error = 1.0;
  gsl_vector_view av = gsl_vector_view_array(dX, B * N);
  int status = nn_gradcheck_relative_error(&error, NULL, &av.vector, &nv.vector);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                  "dX is all zeros: a gradient of zeros cannot be checked.");
  NNG_EXPECT_TRUE(error < 1e-7,
                  "dX fails the central-difference check of J = Σ (X ⊙ M) ⊙ dY: "
                  "relative error %.2g, expected below 1e-7.", error);
}

static void
dropout_backward_in_place_and_bad_shapes(void **state)
{
  (void) state;
  double dY[B * N], M[B * N], e[B * N], dX[(B + 1) * N];
  nng_fill_uniform(dY, B * N, -1, 1, 116);
  for (size_t k = 0; k < B * N; k++) {
    M[k] = k % 3 ? 1.0 / 0.7 : 0.0;
    e[k] = dY[k] * M[k];
  }
  nng_set_all(dX, (B + 1) * N, 7.5);
  gsl_matrix_view dYv = gsl_matrix_view_array(dY, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view ev = gsl_matrix_view_array(e, B, N);
  gsl_matrix_view dX5 = gsl_matrix_view_array(dX, B + 1, N);  /* one row too many */
  gsl_matrix_view M54 = gsl_matrix_view_array(M, N, B);       /* transposed shape */
  NNG_EXPECT_STATUS(nng_ex10_dropout_backward(&dX5.matrix, &dYv.matrix, &Mv.matrix),
                    GSL_EBADLEN, "ex10_dropout_backward", "dX of 5x5 but dY of 4x5");
  NNG_EXPECT_TRUE(nng_all_equal(dX, (B + 1) * N, 7.5),
                  "ex10_dropout_backward wrote into dX although the shapes did not "
                  "fit: check them before writing anything.");
  nng_set_all(dX, B * N, 7.5);
  gsl_matrix_view dXv = gsl_matrix_view_array(dX, B, N);
  NNG_EXPECT_STATUS(nng_ex10_dropout_backward(&dXv.matrix, &dYv.matrix, &M54.matrix),
                    GSL_EBADLEN, "ex10_dropout_backward", "dY of 4x5 but M of 5x4");
  NNG_EXPECT_TRUE(nng_all_equal(dX, B * N, 7.5),
                  "ex10_dropout_backward wrote into dX although M had another shape.");
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_backward_in_place(&dYv.matrix, &Mv.matrix),
                      "ex10_dropout_backward");
  NNG_EXPECT_MATRIX_CLOSE("dX written over dY (dX and dY the same matrix)", &dYv.matrix,
                          &ev.matrix, 1e-15);
}

static void
dropout_backward_after_its_forward(void **state)
{
  (void) state;
  /* the student's forward makes the mask, the student's backward uses it */
  double X[B * N], U[B * N], Y[B * N], M[B * N], dY[B * N], dX[B * N];
  double eY[B * N], eM[B * N], edX[B * N];
  nng_fill_uniform(X, B * N, -2, 2, 117);
  nng_fill_uniform(dY, B * N, -1, 1, 118);
  reference_dropout(X, 0.45, 119, U, eY, eM);
  for (size_t k = 0; k < B * N; k++)
    edX[k] = dY[k] * eM[k];  /* nn_dropout_backward's dY ⊙ M, with that mask */
  nng_set_all(dX, B * N, NAN);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, B, N), Uv = gsl_matrix_view_array(U, B, N);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, N), Mv = gsl_matrix_view_array(M, B, N);
  gsl_matrix_view dYv = gsl_matrix_view_array(dY, B, N), dXv = gsl_matrix_view_array(dX, B, N);
  gsl_matrix_view edXv = gsl_matrix_view_array(edX, B, N);
  nng_builds_on("ex10_dropout_forward", forward_works());
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_forward(&Yv.matrix, &Mv.matrix, &Xv.matrix,
                                               &Uv.matrix, 0.45, 1),
                      "ex10_dropout_forward");
  NNG_REQUIRE_SUCCESS(nng_ex10_dropout_backward(&dXv.matrix, &dYv.matrix, &Mv.matrix),
                      "ex10_dropout_backward");
  nng_show_input("dY", &dYv.matrix);
  NNG_EXPECT_MATRIX_CLOSE("dX after your forward (p = 0.45) and your backward", &dXv.matrix,
                          &edXv.matrix, 1e-15);
}

/* ===== ex10_l2_penalty ===== */

#define NW 7

static void
l2_penalty_matches_the_library(void **state)
{
  (void) state;
  double w[NW], grad[NW], egrad[NW], penalty = NAN, epenalty;
  nng_fill_uniform(w, NW, -3, 3, 120);
  nng_fill_uniform(grad, NW, -1, 1, 121);  /* the data loss's gradient, already there */
  for (size_t k = 0; k < NW; k++)
    egrad[k] = grad[k];
  gsl_vector_view wv = gsl_vector_view_array(w, NW), gv = gsl_vector_view_array(grad, NW);
  gsl_vector_view egv = gsl_vector_view_array(egrad, NW);
  nn_train_l2_penalty(&wv.vector, 0.0385, &egv.vector, &epenalty);
  nng_show_input_vector("w", &wv.vector);
  NNG_REQUIRE_SUCCESS(nng_ex10_l2_penalty(&wv.vector, 0.0385, &penalty, &gv.vector),
                      "ex10_l2_penalty");
  NNG_EXPECT_CLOSE("the penalty (λ/2) Σ w² with λ = 0.0385", penalty, epenalty, 1e-13);
  NNG_EXPECT_VECTOR_CLOSE("grad after grad += λ w, λ = 0.0385 (grad held the data "
                          "loss's gradient)", &gv.vector, &egv.vector, 1e-13);
}

/* J(w) = (λ/2) Σ w², the penalty as a function for the gradient check;
 * params points to λ. */
static double
l2_cost(const gsl_vector *w, void *params)
{
  const double lambda = *(const double *) params;
  double sum = 0.0;
  for (size_t k = 0; k < w->size; k++)
    sum += gsl_vector_get(w, k) * gsl_vector_get(w, k);
  return 0.5 * lambda * sum;
}

static void
l2_gradient_passes_a_gradient_check(void **state)
{
  (void) state;
  double w[NW], grad[NW], num[NW], lambda = 0.7;
  nng_fill_uniform(w, NW, -2, 2, 122);
  nng_set_all(grad, NW, 0.0);
  gsl_vector_view wv = gsl_vector_view_array(w, NW), gv = gsl_vector_view_array(grad, NW);
  gsl_vector_view nv = gsl_vector_view_array(num, NW);
  nn_gradcheck_numerical(&nv.vector, l2_cost, &lambda, &wv.vector, NN_GRADCHECK_STEP);
  /* penalty = NULL: only the gradient is wanted */
  NNG_REQUIRE_SUCCESS(nng_ex10_l2_gradient(&wv.vector, lambda, &gv.vector),
                      "ex10_l2_penalty");
  double error = 1.0;
  int status = nn_gradcheck_relative_error(&error, NULL, &gv.vector, &nv.vector);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                  "with penalty = NULL, ex10_l2_penalty left grad all zeros: a NULL "
                  "penalty only means the penalty is not wanted.");
  NNG_EXPECT_TRUE(error < 1e-7,
                  "grad fails the central-difference check of (λ/2) Σ w², λ = 0.7: "
                  "relative error %.2g, expected below 1e-7.", error);
  /* grad = NULL: only the penalty is wanted */
  double penalty = NAN, epenalty;
  nn_train_l2_penalty(&wv.vector, lambda, NULL, &epenalty);
  NNG_REQUIRE_SUCCESS(nng_ex10_l2_penalty(&wv.vector, lambda, &penalty, NULL),
                      "ex10_l2_penalty");
  NNG_EXPECT_CLOSE("the penalty with grad = NULL, λ = 0.7", penalty, epenalty, 1e-13);
}

static void
l2_penalty_rejects_bad_input(void **state)
{
  (void) state;
  double w[NW], grad[NW + 1], penalty = 8.5;
  nng_fill_uniform(w, NW, -1, 1, 123);
  nng_set_all(grad, NW + 1, 9.5);
  gsl_vector_view wv = gsl_vector_view_array(w, NW), gv = gsl_vector_view_array(grad, NW);
  gsl_vector_view g8 = gsl_vector_view_array(grad, NW + 1);
  const char *fn = "ex10_l2_penalty";
  NNG_EXPECT_STATUS(nng_ex10_l2_penalty(&wv.vector, -0.1, &penalty, &gv.vector), GSL_EDOM,
                    fn, "λ = -0.1");
  NNG_EXPECT_STATUS(nng_ex10_l2_penalty(&wv.vector, NAN, &penalty, &gv.vector), GSL_EDOM, fn,
                    "λ = NaN");
  NNG_EXPECT_STATUS(nng_ex10_l2_penalty(&wv.vector, INFINITY, &penalty, &gv.vector), GSL_EDOM,
                    fn, "λ = infinity");
  NNG_EXPECT_STATUS(nng_ex10_l2_penalty(&wv.vector, 0.1, &penalty, &g8.vector), GSL_EBADLEN,
                    fn, "w of 7 entries but grad of 8");
  NNG_EXPECT_TRUE(penalty == 8.5 && nng_all_equal(grad, NW + 1, 9.5),
                  "ex10_l2_penalty wrote the penalty or grad although it returned an "
                  "error: check λ and the sizes before writing anything.");
}

/* ===== ex10_early_stop ===== */

/* The library's watcher fed the curve epoch by epoch, until it says stop:
 * the best epoch (1 when it saw no best: the exercise's convention) and
 * the epoch it stopped after, 0 when the curve ended first. */
static void
reference_early_stop(const double *loss, size_t n, unsigned patience, double min_delta,
                     int *best, int *stop)
{
  nn_early_stop es;
  nn_early_stop_init(&es, patience, min_delta);
  *stop = 0;
  for (size_t e = 1; e <= n; e++) {
    nn_early_stop_update(&es, (long) e, loss[e - 1], NULL);
    if (es.stop) {
      *stop = (int) e;
      break;
    }
  }
  *best = es.best_epoch < 0 ? 1 : (int) es.best_epoch;
}

/* A dev curve: down to a minimum at epoch 6, a small dip at epoch 9, then up. */
static const double curve[12] = {0.92, 0.71, 0.60, 0.55, 0.53, 0.525, 0.531, 0.54,
                                 0.522, 0.56, 0.58, 0.61};

static void
check_early_stop(const double *loss, size_t n, size_t patience, double min_delta,
                 const char *situation)
{
  int best = 0, stop = 0, ebest, estop;
  reference_early_stop(loss, n, (unsigned) patience, min_delta, &ebest, &estop);
  gsl_vector_const_view lv = gsl_vector_const_view_array(loss, n);
  nng_show_input_vector("dev_loss", &lv.vector);
  NNG_REQUIRE_SUCCESS(nng_ex10_early_stop(&lv.vector, patience, min_delta, &best, &stop),
                      "ex10_early_stop");
  NNG_EXPECT_TRUE(best == ebest && stop == estop,
                  "on %s, ex10_early_stop gave best epoch %d and stop epoch %d, expected "
                  "best %d and stop %d.", situation, best, stop, ebest, estop);
}

static void
early_stop_finds_the_best_epoch(void **state)
{
  (void) state;
  check_early_stop(curve, 12, 3, 0.0,
                   "a curve whose lowest loss is 0.522 at epoch 9 (patience 3, "
                   "min_delta 0)");
  check_early_stop(curve, 12, 2, 0.0,
                   "the same curve with patience 2: epochs 7 and 8 bring nothing better");
}

static void
early_stop_needs_more_than_min_delta(void **state)
{
  (void) state;
  check_early_stop(curve, 12, 3, 0.01,
                   "the curve with min_delta 0.01 (0.525 and 0.522 do not beat 0.53 by more "
                   "than 0.01)");
  const double flat[6] = {1.0, 0.9996, 0.9992, 0.9988, 0.9984, 0.998};
  check_early_stop(flat, 6, 4, 0.001,
                   "a curve that falls by 0.0004 an epoch, min_delta 0.001, patience 4");
}

static void
early_stop_runs_out_of_epochs(void **state)
{
  (void) state;
  const double falling[5] = {2.3, 1.9, 1.6, 1.4, 1.3};
  check_early_stop(falling, 5, 2, 0.0, "a curve that falls every epoch (patience 2)");
  check_early_stop(curve, 9, 4, 0.0, "the first 9 epochs of the curve (patience 4)");
}

static void
early_stop_rejects_bad_input(void **state)
{
  (void) state;
  double nan_loss[4] = {0.9, 0.8, NAN, 0.7};
  gsl_vector_const_view cv = gsl_vector_const_view_array(curve, 12);
  gsl_vector_const_view nv = gsl_vector_const_view_array(nan_loss, 4);
  int best = 77, stop = 88;
  const char *fn = "ex10_early_stop";
  NNG_EXPECT_STATUS(nng_ex10_early_stop(&cv.vector, 0, 0.0, &best, &stop), GSL_EDOM, fn,
                    "patience = 0");
  NNG_EXPECT_STATUS(nng_ex10_early_stop(&cv.vector, 3, -0.01, &best, &stop), GSL_EDOM, fn,
                    "min_delta = -0.01");
  NNG_EXPECT_STATUS(nng_ex10_early_stop(&cv.vector, 3, NAN, &best, &stop), GSL_EDOM, fn,
                    "min_delta = NaN");
  NNG_EXPECT_STATUS(nng_ex10_early_stop(&nv.vector, 3, 0.0, &best, &stop), GSL_EDOM, fn,
                    "a dev loss of NaN at epoch 3");
  NNG_EXPECT_TRUE(best == 77 && stop == 88,
                  "ex10_early_stop wrote best_epoch or stop_epoch although it returned "
                  "an error (they became %d and %d, they were 77 and 88): check every "
                  "loss before walking the epochs.", best, stop);
}

const nng_test nng_ex10_tests[] = {
  {"dropout_forward_matches_the_library", dropout_forward_matches_the_library,
   "ex10_dropout_forward", 1,
   "M[i][j] = 0 when U[i][j] < p, else 1/(1 - p); then Y[i][j] = X[i][j] · M[i][j]."},
  {"dropout_forward_is_the_identity_at_test_time",
   dropout_forward_is_the_identity_at_test_time, "ex10_dropout_forward", 1,
   "With training = 0, copy X into Y and set M to 1 everywhere; U is NULL then: do "
   "not read it."},
  {"dropout_forward_keeps_the_expected_activation",
   dropout_forward_keeps_the_expected_activation, "ex10_dropout_forward", 1,
   "A kept unit is scaled by 1/(1 - p), so that E[Y] = (1 - p) · x/(1 - p) = x: "
   "inverted dropout."},
  {"dropout_forward_in_place", dropout_forward_in_place, "ex10_dropout_forward", 1,
   "Y may be X: read X[i][j] before you write Y[i][j], entry by entry."},
  {"dropout_forward_rejects_bad_input", dropout_forward_rejects_bad_input,
   "ex10_dropout_forward", 1,
   "!(p >= 0 && p < 1) is true for NaN too: GSL_EDOM. Check the shapes of X, Y, M "
   "and U (GSL_EBADLEN), U != NULL in training (GSL_EINVAL) and every draw in "
   "[0, 1), all before writing."},
  {"dropout_backward_matches_the_library", dropout_backward_matches_the_library,
   "ex10_dropout_backward", 1,
   "dX[i][j] = dY[i][j] · M[i][j]: the mask already holds the scale 1/(1 - p), do "
   "not divide again."},
  {"dropout_backward_passes_a_gradient_check", dropout_backward_passes_a_gradient_check,
   "ex10_dropout_backward", 1,
   "Y = X ⊙ M, so ∂Y[i][j]/∂X[i][j] = M[i][j]: multiply, entry by entry."},
  {"dropout_backward_in_place_and_bad_shapes", dropout_backward_in_place_and_bad_shapes,
   "ex10_dropout_backward", 1,
   "dX, dY and M must all have the same rows and columns (GSL_EBADLEN otherwise, "
   "before writing); dX may be dY."},
  {"dropout_backward_after_its_forward", dropout_backward_after_its_forward,
   "ex10_dropout_backward", 1,
   "The backward pass takes the mask M the forward pass wrote: the units dropped on "
   "the way forward get no gradient on the way back."},
  {"l2_penalty_matches_the_library", l2_penalty_matches_the_library, "ex10_l2_penalty",
   1,
   "penalty = (λ/2) Σ w², not λ Σ w²; and grad[k] += λ w[k]: add to what grad holds, "
   "do not overwrite it."},
  {"l2_gradient_passes_a_gradient_check", l2_gradient_passes_a_gradient_check,
   "ex10_l2_penalty", 1,
   "The derivative of (λ/2) w² is λ w. penalty or grad may be NULL: then skip that "
   "one and still compute the other."},
  {"l2_penalty_rejects_bad_input", l2_penalty_rejects_bad_input, "ex10_l2_penalty", 1,
   "!(isfinite(λ) && λ >= 0) catches negative, NaN and infinite λ (GSL_EDOM); grad "
   "must have as many entries as w (GSL_EBADLEN)."},
  {"early_stop_finds_the_best_epoch", early_stop_finds_the_best_epoch, "ex10_early_stop",
   1,
   "Epochs count from 1. A loss below best - min_delta is a new best and resets the "
   "wait; otherwise the wait grows by one, and when it reaches patience, stop."},
  {"early_stop_needs_more_than_min_delta", early_stop_needs_more_than_min_delta,
   "ex10_early_stop", 1,
   "Compare with the best loss so far minus min_delta (loss < best - min_delta), not "
   "with the previous epoch's loss."},
  {"early_stop_runs_out_of_epochs", early_stop_runs_out_of_epochs, "ex10_early_stop", 1,
   "When the epochs end before the wait reaches patience, the stop epoch is 0 and "
   "the best epoch is still the last new best."},
  {"early_stop_rejects_bad_input", early_stop_rejects_bad_input, "ex10_early_stop", 1,
   "patience 0, a negative or NaN min_delta, or any loss that isnan(): GSL_EDOM, "
   "before writing best_epoch or stop_epoch."},
  {NULL, NULL, NULL, 0, NULL},
};
