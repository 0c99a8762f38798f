/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex12.c: the public tests of exercise 12.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * the Elman layer of nn/rnn.h, with no output layer, run on a batch of one
 * sequence, its parameters packed into one buffer as the header documents
 * (W_xh, W_hh, b_h, row by row), and nn_optim_clip_grad_norm of nn/optim.h
 * on that buffer. Where the exercise's API differs from the library's, the
 * test says so: the student's BPTT overwrites its gradients (the library
 * accumulates, so the tests give it a buffer of zeros), takes the states of
 * the forward pass as an argument (the library keeps them in the layer),
 * and the student's clipping takes the three gradients as three arguments
 * (the library takes the one buffer they are views into). BPTT is also
 * checked the way the course checks every gradient: against central
 * differences of J = Σ_t ∂J/∂h_t · h_t, the loss whose gradients the tests
 * send. Inputs live in arrays on the stack, and what the library allocates
 * is freed before the first judgement, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>

#include <nn/gradcheck.h>
#include <nn/optim.h>
#include <nn/rnn.h>

#include "exercises.h"
#include "remote-ex12.h"
#include "testkit.h"

#define NI 3   /* N_in: inputs per step */
#define NH 4   /* H: hidden units */
#define NT 5   /* T: steps of the longest sequence of the tests */

/* The layer's parameters, packed as nn/rnn.h stores them. */
#define NP (NH * NI + NH * NH + NH)
#define W_XH(p) (p)
#define W_HH(p) ((p) + NH * NI)
#define B_H(p) ((p) + NH * NI + NH * NH)

/* ===== The library's Elman layer ===== */

/* The library's forward pass over T steps of X (T, NI) from h0 (NH) with
 * the parameters P (NP, packed): h_1..h_T into Hs (T, NH). When dHs (T, NH)
 * is not NULL, its backward pass too, from a buffer of zeros: the gradient
 * of the parameters into dP (NP, packed) and ∂J/∂h_0 into dh0 (NH). 0 when
 * the library refused. */
static int
library_rnn(double *Hs, double *dP, double *dh0, const double *P, const double *X,
            size_t T, const double *h0, const double *dHs)
{
  double params[NP], grads[NP], start[NH];
  for (size_t k = 0; k < NP; k++) {
    params[k] = P[k];
    grads[k] = 0.0;
  }
  for (size_t k = 0; k < NH; k++)
    start[k] = h0[k];
  gsl_vector_view pv = gsl_vector_view_array(params, NP), gv = gsl_vector_view_array(grads, NP);
  nn_rnn *rnn = nn_rnn_alloc(NN_RNN_ELMAN, NI, NH, 0, 1, T, &pv.vector, &gv.vector);
  if (rnn == NULL)
    return 0;
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, T, NI);
  gsl_matrix_view h0v = gsl_matrix_view_array(start, 1, NH);
  int ok = nn_rnn_forward(rnn, NULL, &Xv.matrix, T, &h0v.matrix, NULL) == GSL_SUCCESS;
  for (size_t t = 1; ok && t <= T; t++) {
    gsl_matrix_const_view h = nn_rnn_hidden(rnn, t);
    for (size_t k = 0; k < NH; k++)
      Hs[(t - 1) * NH + k] = gsl_matrix_get(&h.matrix, 0, k);
  }
  if (ok && dHs != NULL) {
    gsl_matrix_const_view dHv = gsl_matrix_const_view_array(dHs, T, NH);
    gsl_matrix_view dh0v = gsl_matrix_view_array(dh0, 1, NH);
    ok = nn_rnn_backward(rnn, NULL, &dh0v.matrix, NULL, NULL, &dHv.matrix) == GSL_SUCCESS;
    for (size_t k = 0; ok && k < NP; k++)
      dP[k] = grads[k];
  }
  nn_rnn_free(rnn);
  return ok;
}

/* Test data: the parameters P (NP), the inputs X (NT, NI), the initial
 * state h0 (NH) and the loss's gradients dHs (NT, NH), from SEED. The
 * weights are in [-0.8, 0.8): the states stay off tanh's flat tails, where
 * every gradient would vanish. */
static void
fill_sequence(double *P, double *X, double *h0, double *dHs, unsigned long seed)
{
  nng_fill_uniform(P, NP, -0.8, 0.8, seed);
  nng_fill_uniform(X, NT * NI, -2, 2, seed + 1);
  nng_fill_uniform(h0, NH, -0.5, 0.5, seed + 2);
  nng_fill_uniform(dHs, NT * NH, -1, 1, seed + 3);
}

/* ===== What later functions build on ===== */

/* The student's step on a simple case (W_xh = 0.5 everywhere, W_hh 0.25
 * on the diagonal above the main one and 0 elsewhere, so that W_hh and its
 * transpose differ, b = 0.1, x = 1, h_prev = (0.1, 0.2, 0.3, 0.4)): 1 when
 * it is right. */
static int
step_works(void)
{
  double Wxh[NH * NI], Whh[NH * NH] = {0}, b[NH], x[NI], hp[NH] = {0.1, 0.2, 0.3, 0.4}, h[NH];
  nng_set_all(Wxh, NH * NI, 0.5);
  nng_set_all(b, NH, 0.1);
  nng_set_all(h, NH, NAN);
  nng_set_all(x, NI, 1.0);
  for (size_t i = 0; i + 1 < NH; i++)
    Whh[i * NH + i + 1] = 0.25;
  gsl_matrix_view Wxhv = gsl_matrix_view_array(Wxh, NH, NI), Whhv = gsl_matrix_view_array(Whh, NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(b, NH), xv = gsl_vector_view_array(x, NI);
  gsl_vector_view hpv = gsl_vector_view_array(hp, NH), hv = gsl_vector_view_array(h, NH);
  if (nng_ex12_rnn_step(&hv.vector, &xv.vector, &hpv.vector, &Wxhv.matrix, &Whhv.matrix,
                        &bv.vector) != GSL_SUCCESS)
    return 0;
  for (size_t i = 0; i < NH; i++)
    if (!(fabs(h[i] - tanh(0.5 * NI + (i + 1 < NH ? 0.25 * hp[i + 1] : 0.0) + 0.1)) <= 1e-12))
      return 0;  /* written so that NaN is wrong too */
  return 1;
}

/* The student's forward on the data of SEED over 3 steps: 1 when it gives
 * the library's states. */
static int
forward_works(unsigned long seed)
{
  double P[NP], X[NT * NI], h0[NH], dHs[NT * NH], Hs[3 * NH], eHs[3 * NH];
  fill_sequence(P, X, h0, dHs, seed);
  if (!library_rnn(eHs, NULL, NULL, P, X, 3, h0, NULL))
    return 0;
  nng_set_all(Hs, 3 * NH, NAN);
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, 3, NH), Xv = gsl_matrix_view_array(X, 3, NI);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH), h0v = gsl_vector_view_array(h0, NH);
  if (nng_ex12_rnn_forward(&Hv.matrix, &Xv.matrix, &h0v.vector, &Wxh.matrix, &Whh.matrix,
                           &bv.vector) != GSL_SUCCESS)
    return 0;
  for (size_t k = 0; k < 3 * NH; k++)
    if (!(fabs(Hs[k] - eHs[k]) <= 1e-12))
      return 0;  /* NaN too */
  return 1;
}

/* What the step's h and the forward pass's Hs need. */
static const char step_writes[] = "Write h before you add to it: h = b first, or β = 0 "
                                  "in the first gsl_blas_dgemv.";

/* What BPTT's outputs need. */
static const char bptt_writes[] = "dW_xh, dW_hh and db start from zero (set them to zero "
                                  "after the checks, then add each step's share), and "
                                  "dh0 is written, not added to.";

/* ===== ex12_rnn_step ===== */

static void
rnn_step_matches_the_library(void **state)
{
  (void) state;
  double P[NP], X[NT * NI], h0[NH], dHs[NT * NH], h[NH], eh[NH];
  fill_sequence(P, X, h0, dHs, 1201);
  assert_true(library_rnn(eh, NULL, NULL, P, X, 1, h0, NULL));  /* one step */
  nng_set_all(h, NH, NAN);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH), xv = gsl_vector_view_array(X, NI);
  gsl_vector_view hpv = gsl_vector_view_array(h0, NH), hv = gsl_vector_view_array(h, NH);
  gsl_vector_view ehv = gsl_vector_view_array(eh, NH);
  nng_show_input_vector("h_prev", &hpv.vector);
  nng_show_input_vector("b", &bv.vector);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_step(&hv.vector, &xv.vector, &hpv.vector, &Wxh.matrix,
                                        &Whh.matrix, &bv.vector),
                      "ex12_rnn_step");
  NNG_EXPECT_OVERWRITTEN(h, NH, "h", step_writes);
  NNG_EXPECT_VECTOR_CLOSE("h = tanh(W_xh x + W_hh h_prev + b)", &hv.vector, &ehv.vector,
                          1e-13);
}

static void
rnn_step_saturates_without_overflow(void **state)
{
  (void) state;
  /* pre-activations of ±900 and ±1e300: tanh is ±1 there, exactly */
  double Wxh[NH * NI] = {0}, Whh[NH * NH] = {0}, b[NH] = {900, -900, 1e300, -1e300};
  double x[NI] = {0.5, -0.25, 2.0}, hp[NH] = {0.1, 0.2, 0.3, 0.4}, h[NH], eh[NH];
  for (size_t i = 0; i < NH; i++)
    eh[i] = tanh(b[i]);  /* W_xh = W_hh = 0: from first principles */
  nng_set_all(h, NH, NAN);
  gsl_matrix_view Wxhv = gsl_matrix_view_array(Wxh, NH, NI), Whhv = gsl_matrix_view_array(Whh, NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(b, NH), xv = gsl_vector_view_array(x, NI);
  gsl_vector_view hpv = gsl_vector_view_array(hp, NH), hv = gsl_vector_view_array(h, NH);
  gsl_vector_view ehv = gsl_vector_view_array(eh, NH);
  nng_show_input_vector("b", &bv.vector);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_step(&hv.vector, &xv.vector, &hpv.vector, &Wxhv.matrix,
                                        &Whhv.matrix, &bv.vector),
                      "ex12_rnn_step");
  /* A step wrong on small numbers too is not the overflow this test is about. */
  int right = 1;
  for (size_t i = 0; i < NH; i++)
    right = right && h[i] == eh[i];
  NNG_EXPECT_TRUE(right || step_works(),
                  "ex12_rnn_step is wrong on small pre-activations too (x = 1, h_prev = "
                  "(0.1, 0.2, 0.3, 0.4)): rnn_step_matches_the_library says what to fix "
                  "first; this test is about large ones.");
  NNG_EXPECT_VECTOR_CLOSE("h with pre-activations of 900, -900, 1e300 and -1e300 "
                          "(W_xh = W_hh = 0, so h = tanh(b))", &hv.vector, &ehv.vector, 0);
}

static void
rnn_step_rejects_bad_shapes(void **state)
{
  (void) state;
  double P[NP], x[NI + 1], hp[NH + 1], h[NH + 1];
  nng_fill_uniform(P, NP, -1, 1, 1203);
  nng_fill_uniform(x, NI + 1, -1, 1, 1204);
  nng_fill_uniform(hp, NH + 1, -1, 1, 1205);
  nng_set_all(h, NH + 1, 6.5);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_matrix_view W43 = gsl_matrix_view_array(W_HH(P), NH, NI);  /* W_hh not square */
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH);
  gsl_vector_view x3 = gsl_vector_view_array(x, NI), x4 = gsl_vector_view_array(x, NI + 1);
  gsl_vector_view hp4 = gsl_vector_view_array(hp, NH), hp5 = gsl_vector_view_array(hp, NH + 1);
  gsl_vector_view h4 = gsl_vector_view_array(h, NH), h5 = gsl_vector_view_array(h, NH + 1);
  const char *fn = "ex12_rnn_step";
  NNG_EXPECT_STATUS(nng_ex12_rnn_step(&h4.vector, &x4.vector, &hp4.vector, &Wxh.matrix,
                                      &Whh.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "x of 4 entries but W_xh of 4x3");
  NNG_EXPECT_STATUS(nng_ex12_rnn_step(&h4.vector, &x3.vector, &hp4.vector, &Wxh.matrix,
                                      &W43.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "W_hh of 4x3 (not square)");
  NNG_EXPECT_STATUS(nng_ex12_rnn_step(&h4.vector, &x3.vector, &hp5.vector, &Wxh.matrix,
                                      &Whh.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "h_prev of 5 entries but W_hh of 4x4");
  NNG_EXPECT_STATUS(nng_ex12_rnn_step(&h5.vector, &x3.vector, &hp4.vector, &Wxh.matrix,
                                      &Whh.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "h of 5 entries but 4 hidden units");
  NNG_EXPECT_TRUE(nng_all_equal(h, NH + 1, 6.5),
                  "ex12_rnn_step wrote into h although the sizes did not fit: check "
                  "them all before writing anything.");
}

/* ===== ex12_rnn_forward ===== */

/* The student's forward on T steps of the data of SEED, against the
 * library's states. */
static void
check_forward(size_t T, unsigned long seed, double *X, const char *what)
{
  double P[NP], Xs[NT * NI], h0[NH], dHs[NT * NH], Hs[NT * NH], eHs[NT * NH];
  fill_sequence(P, Xs, h0, dHs, seed);
  if (X == NULL)
    X = Xs;
  assert_true(library_rnn(eHs, NULL, NULL, P, X, T, h0, NULL));
  nng_set_all(Hs, T * NH, NAN);
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, T, NH), eHv = gsl_matrix_view_array(eHs, T, NH);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, T, NI);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH), h0v = gsl_vector_view_array(h0, NH);
  nng_builds_on("ex12_rnn_step", step_works());
  nng_show_input("X", &Xv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_forward(&Hv.matrix, &Xv.matrix, &h0v.vector, &Wxh.matrix,
                                           &Whh.matrix, &bv.vector),
                      "ex12_rnn_forward");
  NNG_EXPECT_OVERWRITTEN(Hs, T * NH, "Hs", step_writes);
  NNG_EXPECT_MATRIX_CLOSE(what, &Hv.matrix, &eHv.matrix, 1e-12);
}

static void
rnn_forward_matches_the_library(void **state)
{
  (void) state;
  check_forward(NT, 1206, NULL, "the states Hs (row t - 1 = h_t) over 5 steps from h0");
}

static void
rnn_forward_carries_the_state(void **state)
{
  (void) state;
  /* an input at step 1 only: h_2..h_4 come from the recurrence alone */
  double X[4 * NI] = {1.5, -0.7, 0.9};
  check_forward(4, 1207, X, "the states Hs over 4 steps with x_1 = (1.5, -0.7, 0.9) and "
                "every later input 0");
}

static void
rnn_forward_rejects_bad_shapes(void **state)
{
  (void) state;
  double P[NP], X[NT * NI], h0[NH + 1], Hs[(NT + 1) * NH];
  nng_fill_uniform(P, NP, -1, 1, 1208);
  nng_fill_uniform(X, NT * NI, -1, 1, 1209);
  nng_fill_uniform(h0, NH + 1, -1, 1, 1210);
  nng_set_all(Hs, (NT + 1) * NH, 4.5);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, NT, NI);
  gsl_matrix_view H6 = gsl_matrix_view_array(Hs, NT + 1, NH);  /* one row too many */
  gsl_matrix_view H5 = gsl_matrix_view_array(Hs, NT, NH);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH);
  gsl_vector_view h04 = gsl_vector_view_array(h0, NH), h05 = gsl_vector_view_array(h0, NH + 1);
  const char *fn = "ex12_rnn_forward";
  NNG_EXPECT_STATUS(nng_ex12_rnn_forward(&H6.matrix, &Xv.matrix, &h04.vector, &Wxh.matrix,
                                         &Whh.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "X of 5 steps but Hs of 6 rows");
  NNG_EXPECT_STATUS(nng_ex12_rnn_forward(&H5.matrix, &Xv.matrix, &h05.vector, &Wxh.matrix,
                                         &Whh.matrix, &bv.vector),
                    GSL_EBADLEN, fn, "h0 of 5 entries but 4 hidden units");
  NNG_EXPECT_TRUE(nng_all_equal(Hs, (NT + 1) * NH, 4.5),
                  "ex12_rnn_forward wrote into Hs although the sizes did not fit: check "
                  "them all before the first step.");
}

/* ===== ex12_rnn_bptt ===== */

/* The student's BPTT over T steps of the data of SEED (dHs replaced by
 * DHS when not NULL: a loss on h_T alone), with the library's states, its
 * outputs holding SENTINEL before the call; judged against the library's
 * backward pass. */
static void
check_bptt(size_t T, unsigned long seed, const double *DHS, double sentinel,
           const char *situation)
{
  double P[NP], X[NT * NI], h0[NH], dHs[NT * NH], Hs[NT * NH], eP[NP], edh0[NH];
  double dWxh[NH * NI], dWhh[NH * NH], db[NH], dh0[NH];
  fill_sequence(P, X, h0, dHs, seed);
  if (DHS != NULL)
    for (size_t k = 0; k < T * NH; k++)
      dHs[k] = DHS[k];
  assert_true(library_rnn(Hs, eP, edh0, P, X, T, h0, dHs));
  nng_set_all(dWxh, NH * NI, sentinel);
  nng_set_all(dWhh, NH * NH, sentinel);
  nng_set_all(db, NH, sentinel);
  nng_set_all(dh0, NH, sentinel);
  gsl_matrix_view dWxhv = gsl_matrix_view_array(dWxh, NH, NI);
  gsl_matrix_view dWhhv = gsl_matrix_view_array(dWhh, NH, NH);
  gsl_vector_view dbv = gsl_vector_view_array(db, NH), dh0v = gsl_vector_view_array(dh0, NH);
  gsl_matrix_view edWxh = gsl_matrix_view_array(W_XH(eP), NH, NI);
  gsl_matrix_view edWhh = gsl_matrix_view_array(W_HH(eP), NH, NH);
  gsl_vector_view edb = gsl_vector_view_array(B_H(eP), NH);
  gsl_vector_view edh0v = gsl_vector_view_array(edh0, NH);
  gsl_matrix_view dHv = gsl_matrix_view_array(dHs, T, NH), Xv = gsl_matrix_view_array(X, T, NI);
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, T, NH);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view h0v = gsl_vector_view_array(h0, NH);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_bptt(&dWxhv.matrix, &dWhhv.matrix, &dbv.vector,
                                        &dh0v.vector, &dHv.matrix, &Xv.matrix, &Hv.matrix,
                                        &h0v.vector, &Whh.matrix),
                      "ex12_rnn_bptt");
  if (isnan(sentinel)) {
    NNG_EXPECT_OVERWRITTEN(db, NH, "db", bptt_writes);
    NNG_EXPECT_OVERWRITTEN(dWxh, NH * NI, "dW_xh", bptt_writes);
    NNG_EXPECT_OVERWRITTEN(dWhh, NH * NH, "dW_hh", bptt_writes);
    NNG_EXPECT_OVERWRITTEN(dh0, NH, "dh0", bptt_writes);
  }
  if (DHS != NULL)
    NNG_EXPECT_TRUE(!nng_all_equal(dh0, NH, 0.0),
                    "dh0 is all zeros with a loss on h_%zu alone: that loss reaches h_0 "
                    "only through the steps in between, so dh is not carried from each "
                    "step to the one before.", T);
  char what[4][300];
  const char *names[4] = {"dW_xh", "dW_hh", "db", "dh0"};
  for (size_t k = 0; k < 4; k++)
    snprintf(what[k], sizeof what[k], "%s %s", names[k], situation);
  NNG_EXPECT_VECTOR_CLOSE(what[2], &dbv.vector, &edb.vector, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE(what[0], &dWxhv.matrix, &edWxh.matrix, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE(what[1], &dWhhv.matrix, &edWhh.matrix, 1e-12);
  NNG_EXPECT_VECTOR_CLOSE(what[3], &dh0v.vector, &edh0v.vector, 1e-12);
}

static void
rnn_bptt_matches_the_library(void **state)
{
  (void) state;
  check_bptt(NT, 1211, NULL, NAN, "over 5 steps with a loss at every step");
}

static void
rnn_bptt_reaches_back_from_the_last_step(void **state)
{
  (void) state;
  /* many-to-one: a loss on h_T alone */
  double dHs[NT * NH] = {0};
  nng_fill_uniform(dHs + (NT - 1) * NH, NH, -1, 1, 1212);
  check_bptt(NT, 1213, dHs, NAN, "over 5 steps with a loss on h_5 alone (rows 0 to 3 of dHs "
             "are 0)");
}

static void
rnn_bptt_overwrites_its_outputs(void **state)
{
  (void) state;
  /* one step: no recurrence to get wrong, only the start from zero */
  check_bptt(1, 1214, NULL, 0.5, "of one step, the outputs holding 0.5 before the call");
}

/* J(θ) = Σ_t dHs_t · h_t of the library's forward, θ = (the packed
 * parameters, h0): the loss whose ∂J/∂h_t are dHs, for the gradient check.
 * params points to the data. */
typedef struct bptt_data {
  double X[NT * NI], dHs[NT * NH];
} bptt_data;

static double
bptt_loss(const gsl_vector *theta, void *params)
{
  const bptt_data *d = params;
  double P[NP], h0[NH], Hs[NT * NH], J = 0.0;
  for (size_t k = 0; k < NP; k++)
    P[k] = gsl_vector_get(theta, k);
  for (size_t k = 0; k < NH; k++)
    h0[k] = gsl_vector_get(theta, NP + k);
  if (!library_rnn(Hs, NULL, NULL, P, d->X, NT, h0, NULL))
    return NAN;
  for (size_t k = 0; k < NT * NH; k++)
    J += d->dHs[k] * Hs[k];
  return J;
}

static void
rnn_bptt_passes_a_gradient_check(void **state)
{
  (void) state;
  bptt_data d;
  double theta[NP + NH], Hs[NT * NH], grad[NP + NH], num[NP + NH];
  fill_sequence(theta, d.X, theta + NP, d.dHs, 1215);
  assert_true(library_rnn(Hs, NULL, NULL, theta, d.X, NT, theta + NP, NULL));
  gsl_vector_view tv = gsl_vector_view_array(theta, NP + NH);
  gsl_vector_view nv = gsl_vector_view_array(num, NP + NH);
  assert_int_equal(nn_gradcheck_numerical(&nv.vector, bptt_loss, &d, &tv.vector,
                                          NN_GRADCHECK_STEP), GSL_SUCCESS);
  /* the student's gradients straight into the same packing */
  nng_set_all(grad, NP + NH, NAN);
  gsl_matrix_view dWxh = gsl_matrix_view_array(W_XH(grad), NH, NI);
  gsl_matrix_view dWhh = gsl_matrix_view_array(W_HH(grad), NH, NH);
  gsl_vector_view db = gsl_vector_view_array(B_H(grad), NH);
  gsl_vector_view dh0 = gsl_vector_view_array(grad + NP, NH);
  gsl_matrix_view dHv = gsl_matrix_view_array(d.dHs, NT, NH), Xv = gsl_matrix_view_array(d.X, NT, NI);
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, NT, NH);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(theta), NH, NH);
  gsl_vector_view h0v = gsl_vector_view_array(theta + NP, NH);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_bptt(&dWxh.matrix, &dWhh.matrix, &db.vector, &dh0.vector,
                                        &dHv.matrix, &Xv.matrix, &Hv.matrix, &h0v.vector,
                                        &Whh.matrix),
                      "ex12_rnn_bptt");
  NNG_EXPECT_OVERWRITTEN(grad, NP + NH, "dW_xh, dW_hh, db and dh0", bptt_writes);
  gsl_vector_view gv = gsl_vector_view_array(grad, NP + NH);
  double error = 1.0;
  size_t worst = 0;
  int status = nn_gradcheck_relative_error(&error, &worst, &gv.vector, &nv.vector);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                  "dW_xh, dW_hh, db and dh0 are all zeros: a gradient of zeros cannot "
                  "be checked.");
  const char *part = worst < NH * NI ? "dW_xh" : worst < NH * NI + NH * NH ? "dW_hh"
                     : worst < NP ? "db" : "dh0";
  NNG_EXPECT_TRUE(error < 1e-6,
                  "the gradients fail the central-difference check of J = Σ_t dHs_t · h_t "
                  "over 5 steps: relative error %.2g, expected below 1e-6; the worst entry "
                  "is in %s.", error, part);
}

static void
rnn_bptt_rejects_bad_shapes(void **state)
{
  (void) state;
  double P[NP], X[NT * NI], h0[NH], dHs[NT * NH], Hs[NT * NH];
  double dWxh[NH * NI], dWhh[NH * NH], db[NH + 1], dh0[NH];
  fill_sequence(P, X, h0, dHs, 1216);
  nng_fill_uniform(Hs, NT * NH, -0.9, 0.9, 1217);
  nng_set_all(dWxh, NH * NI, 3.5);
  nng_set_all(dWhh, NH * NH, 3.5);
  nng_set_all(db, NH + 1, 3.5);
  nng_set_all(dh0, NH, 3.5);
  gsl_matrix_view dWxhv = gsl_matrix_view_array(dWxh, NH, NI);
  gsl_matrix_view dWhhv = gsl_matrix_view_array(dWhh, NH, NH);
  gsl_vector_view db4 = gsl_vector_view_array(db, NH), db5 = gsl_vector_view_array(db, NH + 1);
  gsl_vector_view dh0v = gsl_vector_view_array(dh0, NH);
  gsl_matrix_view dHv = gsl_matrix_view_array(dHs, NT, NH), Xv = gsl_matrix_view_array(X, NT, NI);
  gsl_matrix_view dH4 = gsl_matrix_view_array(dHs, NT - 1, NH);  /* a step short */
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, NT, NH);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view h0v = gsl_vector_view_array(h0, NH);
  const char *fn = "ex12_rnn_bptt";
  NNG_EXPECT_STATUS(nng_ex12_rnn_bptt(&dWxhv.matrix, &dWhhv.matrix, &db4.vector, &dh0v.vector,
                                      &dH4.matrix, &Xv.matrix, &Hv.matrix, &h0v.vector,
                                      &Whh.matrix),
                    GSL_EBADLEN, fn, "X and Hs of 5 steps but dHs of 4");
  NNG_EXPECT_STATUS(nng_ex12_rnn_bptt(&dWxhv.matrix, &dWhhv.matrix, &db5.vector, &dh0v.vector,
                                      &dHv.matrix, &Xv.matrix, &Hv.matrix, &h0v.vector,
                                      &Whh.matrix),
                    GSL_EBADLEN, fn, "db of 5 entries but 4 hidden units");
  NNG_EXPECT_STATUS(nng_ex12_rnn_bptt(&dWhhv.matrix, &dWxhv.matrix, &db4.vector, &dh0v.vector,
                                      &dHv.matrix, &Xv.matrix, &Hv.matrix, &h0v.vector,
                                      &Whh.matrix),
                    GSL_EBADLEN, fn, "dW_xh of 4x4 and dW_hh of 4x3 (swapped)");
  NNG_EXPECT_TRUE(nng_all_equal(dWxh, NH * NI, 3.5) && nng_all_equal(dWhh, NH * NH, 3.5)
                  && nng_all_equal(db, NH + 1, 3.5) && nng_all_equal(dh0, NH, 3.5),
                  "ex12_rnn_bptt wrote into its outputs although the sizes did not fit: "
                  "check them all before zeroing the gradients.");
}

static void
rnn_bptt_after_its_forward(void **state)
{
  (void) state;
  /* the student's forward makes the states, the student's BPTT uses them */
  double P[NP], X[NT * NI], h0[NH], dHs[NT * NH], Hs[NT * NH], eHs[NT * NH], eP[NP], edh0[NH];
  double dWxh[NH * NI], dWhh[NH * NH], db[NH], dh0[NH];
  fill_sequence(P, X, h0, dHs, 1218);
  assert_true(library_rnn(eHs, eP, edh0, P, X, NT, h0, dHs));
  nng_set_all(Hs, NT * NH, NAN);
  nng_set_all(dWxh, NH * NI, NAN);
  nng_set_all(dWhh, NH * NH, NAN);
  nng_set_all(db, NH, NAN);
  nng_set_all(dh0, NH, NAN);
  gsl_matrix_view Hv = gsl_matrix_view_array(Hs, NT, NH), Xv = gsl_matrix_view_array(X, NT, NI);
  gsl_matrix_view dHv = gsl_matrix_view_array(dHs, NT, NH);
  gsl_matrix_view Wxh = gsl_matrix_view_array(W_XH(P), NH, NI);
  gsl_matrix_view Whh = gsl_matrix_view_array(W_HH(P), NH, NH);
  gsl_vector_view bv = gsl_vector_view_array(B_H(P), NH), h0v = gsl_vector_view_array(h0, NH);
  gsl_matrix_view dWxhv = gsl_matrix_view_array(dWxh, NH, NI);
  gsl_matrix_view dWhhv = gsl_matrix_view_array(dWhh, NH, NH);
  gsl_vector_view dbv = gsl_vector_view_array(db, NH), dh0v = gsl_vector_view_array(dh0, NH);
  gsl_matrix_view edWhh = gsl_matrix_view_array(W_HH(eP), NH, NH);
  gsl_vector_view edh0v = gsl_vector_view_array(edh0, NH);
  nng_builds_on("ex12_rnn_forward", forward_works(1219));
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_forward(&Hv.matrix, &Xv.matrix, &h0v.vector, &Wxh.matrix,
                                           &Whh.matrix, &bv.vector),
                      "ex12_rnn_forward");
  NNG_EXPECT_OVERWRITTEN(Hs, NT * NH, "Hs", step_writes);
  NNG_REQUIRE_SUCCESS(nng_ex12_rnn_bptt(&dWxhv.matrix, &dWhhv.matrix, &dbv.vector,
                                        &dh0v.vector, &dHv.matrix, &Xv.matrix, &Hv.matrix,
                                        &h0v.vector, &Whh.matrix),
                      "ex12_rnn_bptt");
  NNG_EXPECT_OVERWRITTEN(dWhh, NH * NH, "dW_hh", bptt_writes);
  NNG_EXPECT_OVERWRITTEN(dh0, NH, "dh0", bptt_writes);
  NNG_EXPECT_MATRIX_CLOSE("dW_hh after your forward and your BPTT over 5 steps",
                          &dWhhv.matrix, &edWhh.matrix, 1e-12);
  NNG_EXPECT_VECTOR_CLOSE("dh0 after your forward and your BPTT over 5 steps", &dh0v.vector,
                          &edh0v.vector, 1e-12);
}

/* ===== ex12_clip_grad_norm ===== */

/* The library's clipping of the packed gradients G (NP) with MAX_NORM, in
 * place; their joint norm before it into *norm. */
static void
library_clip(double *G, double max_norm, double *norm)
{
  gsl_vector_view gv = gsl_vector_view_array(G, NP);
  assert_int_equal(nn_optim_clip_grad_norm(&gv.vector, max_norm, norm), GSL_SUCCESS);
}

/* Gradients of unequal sizes: dW_xh large, dW_hh middling, db small, so
 * that clipping each by its own norm, or each entry, is told apart from
 * clipping them together. */
static void
fill_gradients(double *G, unsigned long seed)
{
  nng_fill_uniform(W_XH(G), NH * NI, -3, 3, seed);
  nng_fill_uniform(W_HH(G), NH * NH, -1.5, 1.5, seed + 1);
  nng_fill_uniform(B_H(G), NH, -0.05, 0.05, seed + 2);
}

/* The gradients G (NP) that the student clipped with MAX_NORM from G0, of
 * joint norm N: not G0 times max_norm / n, without the 1e-6 (or clipped
 * when n > max_norm, by max_norm / n), a slip the comparison could only
 * call "1 times the expected one". */
static void
expect_the_epsilon(const double *G, const double *G0, double max_norm, double n)
{
  int bare = 1;
  for (size_t k = 0; k < NP; k++)
    bare = bare && fabs(G[k] - G0[k] * max_norm / n) <= 1e-13 * fmax(1, fabs(G[k]));
  NNG_EXPECT_TRUE(!bare,
                  "with max_norm = %g you multiplied by max_norm / n = %.9g: the factor is "
                  "c = max_norm / (n + 1e-6) = %.9g, and it applies when c < 1 (the 1e-6 "
                  "keeps a zero gradient from a division by 0, as in "
                  "torch.nn.utils.clip_grad_norm_).", max_norm, max_norm / n,
                  max_norm / (n + 1e-6));
}

static void
clip_grad_norm_scales_by_the_joint_norm(void **state)
{
  (void) state;
  double G[NP], eG[NP], norm = NAN, enorm;
  fill_gradients(G, 1220);
  for (size_t k = 0; k < NP; k++)
    eG[k] = G[k];
  library_clip(eG, 2.5, &enorm);
  gsl_matrix_view dWxh = gsl_matrix_view_array(W_XH(G), NH, NI);
  gsl_matrix_view dWhh = gsl_matrix_view_array(W_HH(G), NH, NH);
  gsl_vector_view db = gsl_vector_view_array(B_H(G), NH);
  gsl_matrix_view edWxh = gsl_matrix_view_array(W_XH(eG), NH, NI);
  gsl_matrix_view edWhh = gsl_matrix_view_array(W_HH(eG), NH, NH);
  gsl_vector_view edb = gsl_vector_view_array(B_H(eG), NH);
  NNG_REQUIRE_SUCCESS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, 2.5,
                                              &norm),
                      "ex12_clip_grad_norm");
  /* the classic slip, named: each gradient clipped by its own norm */
  double alone[NP];
  fill_gradients(alone, 1220);
  const size_t start[3] = {0, NH * NI, NH * NI + NH * NH}, size[3] = {NH * NI, NH * NH, NH};
  int like_alone = 1;
  for (size_t part = 0; part < 3; part++) {
    gsl_vector_view av = gsl_vector_view_array(alone + start[part], size[part]);
    assert_int_equal(nn_optim_clip_grad_norm(&av.vector, 2.5, NULL), GSL_SUCCESS);
  }
  for (size_t k = 0; k < NP; k++)
    like_alone = like_alone && fabs(G[k] - alone[k]) <= 1e-12 * fmax(1, fabs(alone[k]));
  NNG_EXPECT_TRUE(!like_alone,
                  "with max_norm = 2.5 you clipped dW_xh, dW_hh and db each by its own "
                  "norm: clip all three by their joint norm, one factor for all.");
  double before[NP];
  fill_gradients(before, 1220);
  expect_the_epsilon(G, before, 2.5, enorm);
  NNG_EXPECT_CLOSE("the joint norm of dW_xh, dW_hh and db before clipping", norm, enorm,
                   1e-13);
  NNG_EXPECT_MATRIX_CLOSE("dW_xh clipped with max_norm = 2.5", &dWxh.matrix, &edWxh.matrix,
                          1e-13);
  NNG_EXPECT_MATRIX_CLOSE("dW_hh clipped with max_norm = 2.5", &dWhh.matrix, &edWhh.matrix,
                          1e-13);
  NNG_EXPECT_VECTOR_CLOSE("db clipped with max_norm = 2.5", &db.vector, &edb.vector, 1e-13);
}

static void
clip_grad_norm_leaves_small_gradients_alone(void **state)
{
  (void) state;
  double G[NP], eG[NP], norm = NAN, enorm;
  fill_gradients(G, 1221);
  for (size_t k = 0; k < NP; k++)
    eG[k] = G[k];
  library_clip(eG, 100.0, &enorm);  /* far above the norm: nothing changes */
  gsl_matrix_view dWxh = gsl_matrix_view_array(W_XH(G), NH, NI);
  gsl_matrix_view dWhh = gsl_matrix_view_array(W_HH(G), NH, NH);
  gsl_vector_view db = gsl_vector_view_array(B_H(G), NH);
  gsl_vector_view gv = gsl_vector_view_array(G, NP), egv = gsl_vector_view_array(eG, NP);
  NNG_REQUIRE_SUCCESS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, 100.0,
                                              &norm),
                      "ex12_clip_grad_norm");
  NNG_EXPECT_CLOSE("the joint norm with max_norm = 100 (no clipping)", norm, enorm, 1e-13);
  NNG_EXPECT_VECTOR_CLOSE("dW_xh, dW_hh and db one after the other, with max_norm = 100 "
                          "(above their norm: unchanged)", &gv.vector, &egv.vector, 0);
  /* norm = NULL: the clipping is still wanted */
  double before[NP];
  for (size_t k = 0; k < NP; k++)
    before[k] = eG[k] = G[k];
  library_clip(eG, 0.75, &enorm);
  NNG_REQUIRE_SUCCESS(nng_ex12_clip_grad_norm_quietly(&dWxh.matrix, &dWhh.matrix, &db.vector,
                                                      0.75),
                      "ex12_clip_grad_norm");
  expect_the_epsilon(G, before, 0.75, enorm);
  NNG_EXPECT_VECTOR_CLOSE("dW_xh, dW_hh and db one after the other, clipped with "
                          "max_norm = 0.75 and norm = NULL", &gv.vector, &egv.vector, 1e-13);
}

static void
clip_grad_norm_rejects_bad_input(void **state)
{
  (void) state;
  double G[NP + 1], norm = 8.5;
  fill_gradients(G, 1222);
  G[NP] = 0.25;
  double before[NP + 1];
  for (size_t k = 0; k <= NP; k++)
    before[k] = G[k];
  gsl_matrix_view dWxh = gsl_matrix_view_array(W_XH(G), NH, NI);
  gsl_matrix_view dWhh = gsl_matrix_view_array(W_HH(G), NH, NH);
  gsl_vector_view db = gsl_vector_view_array(B_H(G), NH);
  gsl_vector_view db5 = gsl_vector_view_array(B_H(G), NH + 1);
  const char *fn = "ex12_clip_grad_norm";
  NNG_EXPECT_STATUS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, 0.0,
                                            &norm),
                    GSL_EDOM, fn, "max_norm = 0");
  NNG_EXPECT_STATUS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, -1.5,
                                            &norm),
                    GSL_EDOM, fn, "max_norm = -1.5");
  NNG_EXPECT_STATUS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, NAN,
                                            &norm),
                    GSL_EDOM, fn, "max_norm = NaN");
  NNG_EXPECT_STATUS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db.vector, INFINITY,
                                            &norm),
                    GSL_EDOM, fn, "max_norm = infinity");
  NNG_EXPECT_STATUS(nng_ex12_clip_grad_norm(&dWxh.matrix, &dWhh.matrix, &db5.vector, 1.0,
                                            &norm),
                    GSL_EBADLEN, fn, "db of 5 entries but dW_hh of 4x4");
  int untouched = norm == 8.5;
  for (size_t k = 0; k <= NP; k++)
    untouched = untouched && G[k] == before[k];
  NNG_EXPECT_TRUE(untouched,
                  "ex12_clip_grad_norm changed the gradients or the norm although it "
                  "returned an error: check max_norm and the sizes before anything else.");
}

const nng_test nng_ex12_tests[] = {
  {"rnn_step_matches_the_library", rnn_step_matches_the_library, "ex12_rnn_step", 1,
   "h[i] = tanh(Σ_j W_xh[i][j] x[j] + Σ_k W_hh[i][k] h_prev[k] + b[i]): row i of each "
   "matrix times the vector (not its column), both sums and the bias inside the tanh."},
  {"rnn_step_saturates_without_overflow", rnn_step_saturates_without_overflow,
   "ex12_rnn_step", 1,
   "Use tanh() of <math.h>: (e^a - e^-a)/(e^a + e^-a) is inf/inf = NaN once a is above "
   "about 710."},
  {"rnn_step_rejects_bad_shapes", rnn_step_rejects_bad_shapes, "ex12_rnn_step", 1,
   "W_xh is (H, N_in) with N_in = x's size, W_hh (H, H), and h_prev, b and h have H "
   "entries: GSL_EBADLEN otherwise, before writing h."},
  {"rnn_forward_matches_the_library", rnn_forward_matches_the_library, "ex12_rnn_forward",
   1,
   "Row t - 1 of Hs is h_t: the step from row t - 1 of X and h_(t-1) (h0 for the first "
   "row). Take row views (gsl_matrix_row) and call your ex12_rnn_step."},
  {"rnn_forward_carries_the_state", rnn_forward_carries_the_state, "ex12_rnn_forward", 1,
   "With inputs 0 after step 1, h_2, h_3, ... come from the recurrence alone: each step "
   "takes the state the step before wrote (the row above), not h0 every time."},
  {"rnn_forward_rejects_bad_shapes", rnn_forward_rejects_bad_shapes, "ex12_rnn_forward", 1,
   "Hs must have as many rows as X (T) and H columns, and h0 H entries: GSL_EBADLEN "
   "otherwise, before the first step."},
  {"rnn_bptt_matches_the_library", rnn_bptt_matches_the_library, "ex12_rnn_bptt", 1,
   "Walk t from T down to 1: dh = dHs_t + what step t + 1 sent back; da = dh ⊙ (1 - h_t²); "
   "add da x_tᵀ, da h_(t-1)ᵀ (h0 at t = 1) and da; send W_hhᵀ da back."},
  {"rnn_bptt_reaches_back_from_the_last_step", rnn_bptt_reaches_back_from_the_last_step,
   "ex12_rnn_bptt", 1,
   "A loss on h_T alone still reaches every earlier step through h_t = tanh(... W_hh "
   "h_(t-1) ...): carry dh = W_hhᵀ da back and add it to dHs of the step before."},
  {"rnn_bptt_overwrites_its_outputs", rnn_bptt_overwrites_its_outputs, "ex12_rnn_bptt", 1,
   "dW_xh, dW_hh and db are overwritten: set them to zero (after the checks), then add "
   "each step's share."},
  {"rnn_bptt_passes_a_gradient_check", rnn_bptt_passes_a_gradient_check, "ex12_rnn_bptt",
   1,
   "tanh'(a) = 1 - tanh(a)² = 1 - h_t², from the state itself; W_hh multiplies h_(t-1), "
   "so dW_hh += da h_(t-1)ᵀ and the gradient sent back is W_hhᵀ da (transposed)."},
  {"rnn_bptt_rejects_bad_shapes", rnn_bptt_rejects_bad_shapes, "ex12_rnn_bptt", 1,
   "X (T, N_in), Hs and dHs (T, H), W_hh and dW_hh (H, H), dW_xh (H, N_in), h0, db and "
   "dh0 of H: GSL_EBADLEN otherwise, before writing any output."},
  {"rnn_bptt_after_its_forward", rnn_bptt_after_its_forward, "ex12_rnn_bptt", 1,
   "BPTT takes the states Hs your forward pass wrote: h_t is row t - 1, h_(t-1) the row "
   "above it (h0 for t = 1)."},
  {"clip_grad_norm_scales_by_the_joint_norm", clip_grad_norm_scales_by_the_joint_norm,
   "ex12_clip_grad_norm", 1,
   "One norm for all three: n = sqrt(Σ dW_xh² + Σ dW_hh² + Σ db²), then every entry of "
   "every gradient times max_norm / (n + 1e-6); not each gradient by its own norm, nor "
   "each entry clamped."},
  {"clip_grad_norm_leaves_small_gradients_alone", clip_grad_norm_leaves_small_gradients_alone,
   "ex12_clip_grad_norm", 1,
   "Scale only when c = max_norm / (n + 1e-6) is below 1; write *norm only when norm is "
   "not NULL, and clip all the same when it is NULL."},
  {"clip_grad_norm_rejects_bad_input", clip_grad_norm_rejects_bad_input,
   "ex12_clip_grad_norm", 1,
   "!(isfinite(max_norm) && max_norm > 0) catches 0, negative, NaN and infinite values "
   "(GSL_EDOM); dW_hh must be (H, H), dW_xh have H rows and db H entries (GSL_EBADLEN)."},
  {NULL, NULL, NULL, 0, NULL},
};
