/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex13.c: the public tests of exercise 13.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_attention_forward and nn_attention_backward (nn/attention.h) for the
 * attention, nn_softmax_rows (nn/softmax.h) for the softmax. Two pieces of
 * the exercise are not functions of the library and are computed here from
 * first principles, as the library computes them inside its forward pass:
 * the scores S = Q Kᵀ / √d_k (one gsl_blas_dgemm), and the masked softmax
 * (the scores of the future set to −∞, then nn_softmax_rows, whose e^(−∞)
 * is exactly 0). Beyond matching the library, the weights are checked for
 * what makes them weights: finite, each row summing to 1, and zero on the
 * future under the causal mask; and the backward pass is checked the way
 * the course checks every gradient, against central differences. Inputs
 * live in arrays on the stack, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/attention.h>
#include <nn/gradcheck.h>
#include <nn/softmax.h>

#include "exercises.h"
#include "remote-ex13.h"
#include "testkit.h"

/* Shapes of the tests: NQ queries and NK keys of DK entries, values of DV
 * entries (rectangular on purpose: a transposed answer has another shape);
 * N tokens for the causal mask, which is a square here as in a sequence
 * model attending to itself. */
#define NQ 3
#define NK 5
#define DK 4
#define DV 2
#define N 4

/* ===== The references ===== */

/* S (n_q, n_k) = Q Kᵀ / √d_k: the first step of nn_attention_forward, which
 * the library does not export on its own. */
static void
reference_scores(double *S, const double *Q, const double *K, size_t n_q, size_t n_k,
                 size_t d_k)
{
  gsl_matrix_const_view Qv = gsl_matrix_const_view_array(Q, n_q, d_k);
  gsl_matrix_const_view Kv = gsl_matrix_const_view_array(K, n_k, d_k);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, n_q, n_k);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0 / sqrt((double) d_k), &Qv.matrix,
                 &Kv.matrix, 0.0, &Sv.matrix);
}

/* P (rows, cols) = the softmax of each row of S, masked when causal: the
 * library's way, the future's scores set to −∞ before nn_softmax_rows. */
static void
reference_softmax(double *P, const double *S, size_t rows, size_t cols, int causal)
{
  for (size_t i = 0; i < rows; i++)
    for (size_t j = 0; j < cols; j++)
      P[i * cols + j] = causal && j > i ? -INFINITY : S[i * cols + j];
  gsl_matrix_view Pv = gsl_matrix_view_array(P, rows, cols);
  nn_softmax_rows(&Pv.matrix, &Pv.matrix);
}

/* O (n_q, d_v) and P (n_q, n_k) of nn_attention_forward. */
static void
reference_attention(double *O, double *P, const double *Q, const double *K, const double *V,
                    size_t n_q, size_t n_k, size_t d_k, size_t d_v, int causal)
{
  gsl_matrix_const_view Qv = gsl_matrix_const_view_array(Q, n_q, d_k);
  gsl_matrix_const_view Kv = gsl_matrix_const_view_array(K, n_k, d_k);
  gsl_matrix_const_view Vv = gsl_matrix_const_view_array(V, n_k, d_v);
  gsl_matrix_view Ov = gsl_matrix_view_array(O, n_q, d_v), Pv = gsl_matrix_view_array(P, n_q, n_k);
  nn_attention_forward(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix, &Vv.matrix, causal);
}

/* ===== What makes attention weights ===== */

/* 1 when every column j of P (rows, cols) that a query sees sums to 1: the
 * softmax taken down the columns (over the queries) instead of along the
 * rows. A column no query sees (j >= rows, causal) is left out. */
static int
columns_sum_to_one(const double *P, size_t rows, size_t cols, int causal)
{
  for (size_t j = 0; j < cols && !(causal && j >= rows); j++) {
    double sum = 0.0;
    for (size_t i = 0; i < rows; i++)
      sum += P[i * cols + j];
    if (!(fabs(sum - 1.0) < 1e-12))
      return 0;
  }
  return 1;
}

/* P (rows, cols), the student's weights: finite, zero on the future when
 * causal but not on the diagonal (query i sees key i) where the expected
 * weights EP are more than the tests' tolerance (a weight that underflows
 * to 0 may), each row summing to 1. WHAT names them in the messages. */
static void
expect_weights(const double *P, const double *eP, size_t rows, size_t cols, int causal,
               const char *what)
{
  for (size_t i = 0; i < rows; i++)
    for (size_t j = 0; j < cols; j++)
      NNG_EXPECT_TRUE(isfinite(P[i * cols + j]),
                      "%s: P[%zu][%zu] is %g. Did exp overflow (exp(710) is inf, and "
                      "inf / inf is NaN) or underflow to a sum of 0? Subtract the row's "
                      "largest visible score before exp.", what, i, j, P[i * cols + j]);
  if (causal)
    for (size_t i = 0; i < rows; i++)
      for (size_t j = i + 1; j < cols; j++)
        NNG_EXPECT_TRUE(P[i * cols + j] == 0.0,
                        "%s: P[%zu][%zu] = %.3g, but with the causal mask query %zu may "
                        "not see key %zu (j > i): that weight must be exactly 0.",
                        what, i, j, P[i * cols + j], i, j);
  if (causal)
    for (size_t i = 0; i < rows && i < cols; i++)
      NNG_EXPECT_TRUE(P[i * cols + i] != 0.0 || eP[i * cols + i] < 1e-12,
                      "%s: P[%zu][%zu] = 0, expected %.6g. With the causal mask query %zu "
                      "sees keys 0..%zu, itself included: only the keys j > i are hidden "
                      "(j > i, not j >= i), so that row 0 still sees key 0.",
                      what, i, i, eP[i * cols + i], i, i);
  for (size_t i = 0; i < rows; i++) {
    double sum = 0.0;
    for (size_t j = 0; j < cols; j++)
      sum += P[i * cols + j];
    NNG_EXPECT_TRUE(fabs(sum - 1.0) < 1e-12,
                    "%s: row %zu of P sums to %.15g, not 1. Each row is a probability "
                    "distribution over the keys%s.", what, i, sum,
                    columns_sum_to_one(P, rows, cols, causal)
                    ? " that query sees, but each column of P sums to 1 instead: take the "
                      "softmax along each row of S (one query, all its keys), not down "
                      "each column"
                    : causal ? " it may see: mask the scores before the softmax (leave "
                               "out j > i), do not zero the weights after it" : "");
  }
}

/* ===== Simple cases, for the tests of what builds on them ===== */

/* The student's scores of one query (1, 2, 3, 4) against two keys: 1 when
 * they are (1, 5) / √4 = (0.5, 2.5). */
static int
scores_work(void)
{
  double Q[4] = {1, 2, 3, 4}, K[8] = {1, 0, 0, 0, 0, 1, 1, 0}, S[2] = {NAN, NAN};
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, 1, 4), Kv = gsl_matrix_view_array(K, 2, 4);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, 1, 2);
  return nng_ex13_scores(&Sv.matrix, &Qv.matrix, &Kv.matrix) == GSL_SUCCESS
         && fabs(S[0] - 0.5) < 1e-14 && fabs(S[1] - 2.5) < 1e-14;
}

/* The student's softmax of (0, ln 3) without the mask, (1/4, 3/4); and of
 * ((0, 9), (0, ln 3)) with it, ((1, 0), (1/4, 3/4)): 1 when both are right. */
static int
softmax_works(void)
{
  double S[4] = {0, 9, 0, log(3.0)}, P[4] = {NAN, NAN, NAN, NAN};
  gsl_matrix_view Sv = gsl_matrix_view_array(S, 2, 2), Pv = gsl_matrix_view_array(P, 2, 2);
  gsl_matrix_view S1 = gsl_matrix_view_array(S + 2, 1, 2), P1 = gsl_matrix_view_array(P, 1, 2);
  if (nng_ex13_softmax_rows(&P1.matrix, &S1.matrix, 0) != GSL_SUCCESS
      || fabs(P[0] - 0.25) > 1e-14 || fabs(P[1] - 0.75) > 1e-14)
    return 0;
  return nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, 1) == GSL_SUCCESS && P[0] == 1.0
         && P[1] == 0.0 && fabs(P[2] - 0.25) < 1e-14 && fabs(P[3] - 0.75) < 1e-14;
}

/* The student's causal attention of three tokens against the library's: 1
 * when it agrees. */
static int
attention_works(void)
{
  double Q[3 * 2], K[3 * 2], V[3 * 2], O[3 * 2], P[3 * 3], eO[3 * 2], eP[3 * 3];
  nng_fill_uniform(Q, 6, -1, 1, 1301);
  nng_fill_uniform(K, 6, -1, 1, 1302);
  nng_fill_uniform(V, 6, -1, 1, 1303);
  reference_attention(eO, eP, Q, K, V, 3, 3, 2, 2, 1);
  nng_set_all(O, 6, NAN);
  nng_set_all(P, 9, NAN);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, 3, 2), Kv = gsl_matrix_view_array(K, 3, 2);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, 3, 2), Ov = gsl_matrix_view_array(O, 3, 2);
  gsl_matrix_view Pv = gsl_matrix_view_array(P, 3, 3);
  if (nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix, &Vv.matrix, 1)
      != GSL_SUCCESS)
    return 0;
  for (size_t k = 0; k < 9; k++)
    if (!(fabs(P[k] - eP[k]) < 1e-12) || (k < 6 && !(fabs(O[k] - eO[k]) < 1e-12)))
      return 0;
  return 1;
}

/* ===== ex13_scores ===== */

static void
scores_match_the_library(void **state)
{
  (void) state;
  enum { D = 6 };  /* √6 ≈ 2.449: a factor no other slip gives */
  double Q[NQ * D], K[NK * D], S[NQ * NK], eS[NQ * NK];
  nng_fill_uniform(Q, NQ * D, -2, 2, 1311);
  nng_fill_uniform(K, NK * D, -2, 2, 1312);
  reference_scores(eS, Q, K, NQ, NK, D);
  nng_set_all(S, NQ * NK, NAN);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, NQ, D), Kv = gsl_matrix_view_array(K, NK, D);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK), eSv = gsl_matrix_view_array(eS, NQ, NK);
  nng_show_input("Q", &Qv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex13_scores(&Sv.matrix, &Qv.matrix, &Kv.matrix), "ex13_scores");
  NNG_EXPECT_MATRIX_CLOSE("S = Q Kᵀ / √d_k for Q of 3x6 and K of 5x6 (d_k = 6, "
                          "√d_k ≈ 2.449)", &Sv.matrix, &eSv.matrix, 1e-13);
}

static void
scores_reject_bad_input(void **state)
{
  (void) state;
  double Q[NQ * DK], K[NK * DK], S[NQ * NK];
  nng_fill_uniform(Q, NQ * DK, -1, 1, 1313);
  nng_fill_uniform(K, NK * DK, -1, 1, 1314);
  nng_set_all(S, NQ * NK, 4.5);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, NQ, DK), Kv = gsl_matrix_view_array(K, NK, DK);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK);
  gsl_matrix_view K35 = gsl_matrix_view_array(K, DK + 1, DK - 1);  /* d_k of 3 */
  gsl_matrix_view S53 = gsl_matrix_view_array(S, NK, NQ);          /* transposed shape */
  const char *fn = "ex13_scores";
  NNG_EXPECT_STATUS(nng_ex13_scores(&Sv.matrix, &Qv.matrix, &K35.matrix), GSL_EBADLEN, fn,
                    "Q of 3x4 but K of 5x3 (d_k differs)");
  NNG_EXPECT_STATUS(nng_ex13_scores(&S53.matrix, &Qv.matrix, &Kv.matrix), GSL_EBADLEN, fn,
                    "Q of 3x4 and K of 5x4 but S of 5x3 (it must be 3x5)");
  Q[5] = NAN;
  NNG_EXPECT_STATUS(nng_ex13_scores(&Sv.matrix, &Qv.matrix, &Kv.matrix), GSL_EDOM, fn,
                    "Q[1][1] = NaN");
  Q[5] = 0.5;
  K[NK * DK - 1] = -INFINITY;
  NNG_EXPECT_STATUS(nng_ex13_scores(&Sv.matrix, &Qv.matrix, &Kv.matrix), GSL_EDOM, fn,
                    "K[4][3] = -infinity");
  NNG_EXPECT_TRUE(nng_all_equal(S, NQ * NK, 4.5),
                  "ex13_scores wrote into S although it returned an error: check the "
                  "shapes and every entry of Q and K before writing anything.");
}

/* ===== ex13_softmax_rows ===== */

static void
softmax_rows_match_the_library(void **state)
{
  (void) state;
  double S[NQ * NK], P[NQ * NK], eP[NQ * NK];
  nng_fill_uniform(S, NQ * NK, -3, 3, 1321);
  reference_softmax(eP, S, NQ, NK, 0);
  nng_set_all(P, NQ * NK, NAN);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view ePv = gsl_matrix_view_array(eP, NQ, NK);
  nng_show_input("S", &Sv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, 0), "ex13_softmax_rows");
  expect_weights(P, eP, NQ, NK, 0, "the softmax of a 3x5 S without the mask");
  NNG_EXPECT_MATRIX_CLOSE("P = the softmax of each row of S (no mask)", &Pv.matrix,
                          &ePv.matrix, 1e-13);
}

static void
softmax_rows_with_the_causal_mask(void **state)
{
  (void) state;
  /* rectangular first: 3 queries, 5 keys; then a square, in place */
  double S[NQ * NK], P[NQ * NK], eP[NQ * NK], T[N * N], eT[N * N];
  nng_fill_uniform(S, NQ * NK, -3, 3, 1322);
  nng_fill_uniform(T, N * N, -3, 3, 1323);
  reference_softmax(eP, S, NQ, NK, 1);
  reference_softmax(eT, T, N, N, 1);
  nng_set_all(P, NQ * NK, NAN);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view ePv = gsl_matrix_view_array(eP, NQ, NK);
  gsl_matrix_view Tv = gsl_matrix_view_array(T, N, N), eTv = gsl_matrix_view_array(eT, N, N);
  nng_show_input("S", &Sv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, 1), "ex13_softmax_rows");
  expect_weights(P, eP, NQ, NK, 1, "the causal softmax of a 3x5 S");
  NNG_EXPECT_MATRIX_CLOSE("P = the causal softmax of S (3 queries, 5 keys)", &Pv.matrix,
                          &ePv.matrix, 1e-13);
  NNG_REQUIRE_SUCCESS(nng_ex13_softmax_rows_in_place(&Tv.matrix, 1), "ex13_softmax_rows");
  expect_weights(T, eT, N, N, 1, "the causal softmax of a 4x4 S, P written over S");
  NNG_EXPECT_MATRIX_CLOSE("P written over S (P and S the same 4x4 matrix), causal",
                          &Tv.matrix, &eTv.matrix, 1e-13);
}

static void
softmax_rows_survive_large_scores(void **state)
{
  (void) state;
  /* exp(1001) and exp(710) are inf, exp(-999) is 0: only the shift by the
   * row's largest score keeps these rows finite */
  double S[NQ * NK] = {1000, 1001, 999, 1000.5, 998,
                       -1000, -1002, -999, -1001, -1000.5,
                       700, 710, 705, 709, 0.5};
  double P[NQ * NK], eP[NQ * NK];
  const char *situation[2] = {"scores near ±1000 without the mask",
                              "scores near ±1000 with the causal mask"};
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view ePv = gsl_matrix_view_array(eP, NQ, NK);
  nng_show_input("S", &Sv.matrix);
  for (int causal = 0; causal <= 1; causal++) {
    reference_softmax(eP, S, NQ, NK, causal);
    nng_set_all(P, NQ * NK, NAN);
    NNG_REQUIRE_SUCCESS(nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, causal),
                        "ex13_softmax_rows");
    expect_weights(P, eP, NQ, NK, causal, situation[causal]);
    NNG_EXPECT_MATRIX_CLOSE(situation[causal], &Pv.matrix, &ePv.matrix, 1e-13);
  }
}

static void
softmax_rows_reject_bad_input(void **state)
{
  (void) state;
  double S[NQ * NK], P[NQ * NK];
  nng_fill_uniform(S, NQ * NK, -1, 1, 1324);
  nng_set_all(P, NQ * NK, 3.5);
  gsl_matrix_view Sv = gsl_matrix_view_array(S, NQ, NK), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view P53 = gsl_matrix_view_array(P, NK, NQ);  /* transposed shape */
  const char *fn = "ex13_softmax_rows";
  NNG_EXPECT_STATUS(nng_ex13_softmax_rows(&P53.matrix, &Sv.matrix, 0), GSL_EBADLEN, fn,
                    "S of 3x5 but P of 5x3");
  S[NK + 2] = NAN;
  NNG_EXPECT_STATUS(nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, 0), GSL_EDOM, fn,
                    "S[1][2] = NaN");
  S[NK + 2] = 0.25;
  S[NQ * NK - 1] = INFINITY;  /* in the future of row 2: still an error */
  NNG_EXPECT_STATUS(nng_ex13_softmax_rows(&Pv.matrix, &Sv.matrix, 1), GSL_EDOM, fn,
                    "S[2][4] = infinity, with the causal mask");
  NNG_EXPECT_TRUE(nng_all_equal(P, NQ * NK, 3.5),
                  "ex13_softmax_rows wrote into P although it returned an error: check "
                  "the shapes and every entry of S before writing anything.");
}

/* ===== ex13_attention ===== */

/* The student's attention against the library's on Q, K, V drawn in
 * [-range, range) from SEED, (n_q, n_k, d_k, d_v) and the mask as given. */
static void
check_attention(size_t n_q, size_t n_k, size_t d_k, size_t d_v, int causal, double range,
                unsigned long seed, const char *situation)
{
  double Q[8 * 8], K[8 * 8], V[8 * 8], O[8 * 8], P[8 * 8], eO[8 * 8], eP[8 * 8];
  nng_fill_uniform(Q, n_q * d_k, -range, range, seed);
  nng_fill_uniform(K, n_k * d_k, -range, range, seed + 1);
  nng_fill_uniform(V, n_k * d_v, -2, 2, seed + 2);
  reference_attention(eO, eP, Q, K, V, n_q, n_k, d_k, d_v, causal);
  nng_set_all(O, n_q * d_v, NAN);
  nng_set_all(P, n_q * n_k, NAN);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, n_q, d_k), Kv = gsl_matrix_view_array(K, n_k, d_k);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, n_k, d_v);
  gsl_matrix_view Ov = gsl_matrix_view_array(O, n_q, d_v), Pv = gsl_matrix_view_array(P, n_q, n_k);
  gsl_matrix_view eOv = gsl_matrix_view_array(eO, n_q, d_v);
  gsl_matrix_view ePv = gsl_matrix_view_array(eP, n_q, n_k);
  nng_builds_on("ex13_scores", scores_work());
  nng_builds_on("ex13_softmax_rows", softmax_works());
  nng_show_input("Q", &Qv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                         &Vv.matrix, causal),
                      "ex13_attention");
  char what[200];
  snprintf(what, sizeof what, "the weights P of %s", situation);
  expect_weights(P, eP, n_q, n_k, causal, what);
  NNG_EXPECT_MATRIX_CLOSE(what, &Pv.matrix, &ePv.matrix, 1e-12);
  snprintf(what, sizeof what, "the output O = P V of %s", situation);
  NNG_EXPECT_MATRIX_CLOSE(what, &Ov.matrix, &eOv.matrix, 1e-12);
}

static void
attention_matches_the_library(void **state)
{
  (void) state;
  check_attention(NQ, NK, DK, DV, 0, 1.5, 1331,
                  "3 queries against 5 keys, d_k = 4, d_v = 2, no mask");
}

static void
attention_with_the_causal_mask(void **state)
{
  (void) state;
  check_attention(N + 1, N + 1, 3, 4, 1, 1.5, 1334,
                  "5 tokens attending to themselves, d_k = 3, d_v = 4, causal");
}

static void
attention_survives_large_scores(void **state)
{
  (void) state;
  /* entries up to 40 in size: scores in the hundreds and thousands */
  check_attention(NQ, NK, DK, DV, 0, 40, 1337, "Q and K in [-40, 40): large scores, no mask");
  check_attention(N, N, DK, DV, 1, 40, 1340, "Q and K in [-40, 40): large scores, causal");
}

static void
attention_rejects_bad_input(void **state)
{
  (void) state;
  double Q[NQ * DK], K[NK * DK], V[NK * DV + DV], O[NQ * DV + DV], P[NQ * NK + NK];
  nng_fill_uniform(Q, NQ * DK, -1, 1, 1343);
  nng_fill_uniform(K, NK * DK, -1, 1, 1344);
  nng_fill_uniform(V, NK * DV + DV, -1, 1, 1345);
  nng_set_all(O, NQ * DV + DV, 2.5);
  nng_set_all(P, NQ * NK + NK, 1.5);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, NQ, DK), Kv = gsl_matrix_view_array(K, NK, DK);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, NK, DV), Ov = gsl_matrix_view_array(O, NQ, DV);
  gsl_matrix_view Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view K45 = gsl_matrix_view_array(K, DK, NK);          /* d_k of 5 */
  gsl_matrix_view V62 = gsl_matrix_view_array(V, NK + 1, DV);      /* one value too many */
  gsl_matrix_view P45 = gsl_matrix_view_array(P, NQ + 1, NK);      /* one row too many */
  gsl_matrix_view O23 = gsl_matrix_view_array(O, DV, NQ);          /* transposed shape */
  const char *fn = "ex13_attention";
  NNG_EXPECT_STATUS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &K45.matrix,
                                       &Vv.matrix, 0),
                    GSL_EBADLEN, fn, "Q of 3x4 but K of 4x5 (d_k differs)");
  NNG_EXPECT_STATUS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                       &V62.matrix, 0),
                    GSL_EBADLEN, fn, "K of 5x4 but V of 6x2 (one value per key)");
  NNG_EXPECT_STATUS(nng_ex13_attention(&Ov.matrix, &P45.matrix, &Qv.matrix, &Kv.matrix,
                                       &Vv.matrix, 1),
                    GSL_EBADLEN, fn, "P of 4x5 for 3 queries and 5 keys");
  NNG_EXPECT_STATUS(nng_ex13_attention(&O23.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                       &Vv.matrix, 0),
                    GSL_EBADLEN, fn, "O of 2x3 for 3 queries and values of 2");
  V[3] = NAN;
  NNG_EXPECT_STATUS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                       &Vv.matrix, 0),
                    GSL_EDOM, fn, "V[1][1] = NaN");
  V[3] = 0.5;
  K[2] = INFINITY;
  NNG_EXPECT_STATUS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                       &Vv.matrix, 0),
                    GSL_EDOM, fn, "K[0][2] = infinity");
  NNG_EXPECT_TRUE(nng_all_equal(O, NQ * DV + DV, 2.5) && nng_all_equal(P, NQ * NK + NK, 1.5),
                  "ex13_attention wrote into O or P although it returned an error: check "
                  "every shape, and every entry of Q, K and V, before writing anything.");
}

/* ===== ex13_attention_backward ===== */

/* The backward pass of the student on shapes that fit: GSL_EBADLEN there
 * comes from a product of the student's own (a gsl_blas_dgemm whose
 * operands do not fit), most often a transpose left out. SHAPES names the
 * shapes of the call. */
static void
expect_no_bad_length(int status, const char *shapes)
{
  NNG_EXPECT_TRUE(status != GSL_EBADLEN,
                  "ex13_attention_backward returned GSL_EBADLEN for shapes that fit (%s): "
                  "one of your products does not. Is a transpose missing? dV = Pᵀ dO is "
                  "(n_k x n_q)(n_q x d_v), dK = dSᵀ Q is (n_k x n_q)(n_q x d_k).", shapes);
}

/* How ex13's outputs are written: a product into them with β = 0. */
static const char ex13_writes[] = "Overwrite it: β = 0 in gsl_blas_dgemm, = rather than +=.";

/* The gradient check's cost: J(Q, K, V) = Σ O ⊙ R, O the library's
 * attention (causal) of the three matrices packed in x one after the
 * other; then ∂J/∂O = R. */
typedef struct backward_case {
  const double *R;  /* (N, DV) */
  int causal;
} backward_case;

static double
attention_cost(const gsl_vector *x, void *params)
{
  const backward_case *c = params;
  double O[N * DV], P[N * N];
  reference_attention(O, P, x->data, x->data + N * DK, x->data + 2 * N * DK, N, N, DK, DV,
                      c->causal);
  double J = 0.0;
  for (size_t k = 0; k < N * DV; k++)
    J += O[k] * c->R[k];
  return J;
}

static void
attention_backward_matches_the_library(void **state)
{
  (void) state;
  double Q[NQ * DK], K[NK * DK], V[NK * DV], O[NQ * DV], P[NQ * NK], dO[NQ * DV];
  double dQ[NQ * DK], dK[NK * DK], dV[NK * DV], eQ[NQ * DK], eK[NK * DK], eV[NK * DV];
  double work[NQ * NK];
  nng_fill_uniform(Q, NQ * DK, -1.5, 1.5, 1351);
  nng_fill_uniform(K, NK * DK, -1.5, 1.5, 1352);
  nng_fill_uniform(V, NK * DV, -2, 2, 1353);
  nng_fill_uniform(dO, NQ * DV, -1, 1, 1354);
  reference_attention(O, P, Q, K, V, NQ, NK, DK, DV, 0);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, NQ, DK), Kv = gsl_matrix_view_array(K, NK, DK);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, NK, DV), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view dOv = gsl_matrix_view_array(dO, NQ, DV), wv = gsl_matrix_view_array(work, NQ, NK);
  gsl_matrix_view dQv = gsl_matrix_view_array(dQ, NQ, DK), dKv = gsl_matrix_view_array(dK, NK, DK);
  gsl_matrix_view dVv = gsl_matrix_view_array(dV, NK, DV);
  gsl_matrix_view eQv = gsl_matrix_view_array(eQ, NQ, DK), eKv = gsl_matrix_view_array(eK, NK, DK);
  gsl_matrix_view eVv = gsl_matrix_view_array(eV, NK, DV);
  nn_attention_backward(&eQv.matrix, &eKv.matrix, &eVv.matrix, &wv.matrix, &dOv.matrix,
                        &Qv.matrix, &Kv.matrix, &Vv.matrix, &Pv.matrix);
  nng_set_all(dQ, NQ * DK, NAN);
  nng_set_all(dK, NK * DK, NAN);
  nng_set_all(dV, NK * DV, NAN);
  nng_show_input("Q", &Qv.matrix);
  nng_show_input("K", &Kv.matrix);
  const int status = nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                 &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                 &Vv.matrix, &Pv.matrix);
  expect_no_bad_length(status, "Q 3x4, K 5x4, V 5x2, dO 3x2, P 3x5");
  NNG_REQUIRE_SUCCESS(status, "ex13_attention_backward");
  NNG_EXPECT_OVERWRITTEN(dV, NK * DV, "dV", ex13_writes);
  NNG_EXPECT_OVERWRITTEN(dQ, NQ * DK, "dQ", ex13_writes);
  NNG_EXPECT_OVERWRITTEN(dK, NK * DK, "dK", ex13_writes);
  NNG_EXPECT_MATRIX_CLOSE("dV = Pᵀ dO (3 queries, 5 keys, d_v = 2)", &dVv.matrix,
                          &eVv.matrix, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE("dQ = dS K / √d_k (3 queries; d_k = 4, the width of Q and K, "
                          "not V's d_v = 2)", &dQv.matrix, &eQv.matrix, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE("dK = dSᵀ Q / √d_k (5 keys; d_k = 4, the width of Q and K, "
                          "not V's d_v = 2)", &dKv.matrix, &eKv.matrix, 1e-12);
}

static void
attention_backward_passes_a_gradient_check(void **state)
{
  (void) state;
  enum { NQK = N * DK, NV = N * DV, NX = 2 * N * DK + N * DV };
  double x[NX], R[NV], O[NV], P[N * N], grad[NX], num[NX];
  nng_fill_uniform(x, NX, -1.5, 1.5, 1355);
  nng_fill_uniform(R, NV, -1, 1, 1356);
  const double *Q = x, *K = x + NQK, *V = x + 2 * NQK;
  reference_attention(O, P, Q, K, V, N, N, DK, DV, 1);
  backward_case c = {R, 1};
  gsl_vector_view xv = gsl_vector_view_array(x, NX), nv = gsl_vector_view_array(num, NX);
  nn_gradcheck_numerical(&nv.vector, attention_cost, &c, &xv.vector, NN_GRADCHECK_STEP);
  nng_set_all(grad, NX, NAN);
  gsl_matrix_const_view Qv = gsl_matrix_const_view_array(Q, N, DK);
  gsl_matrix_const_view Kv = gsl_matrix_const_view_array(K, N, DK);
  gsl_matrix_const_view Vv = gsl_matrix_const_view_array(V, N, DV);
  gsl_matrix_view Pv = gsl_matrix_view_array(P, N, N), Rv = gsl_matrix_view_array(R, N, DV);
  gsl_matrix_view dQv = gsl_matrix_view_array(grad, N, DK);
  gsl_matrix_view dKv = gsl_matrix_view_array(grad + NQK, N, DK);
  gsl_matrix_view dVv = gsl_matrix_view_array(grad + 2 * NQK, N, DV);
  NNG_REQUIRE_SUCCESS(nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                  &Rv.matrix, &Qv.matrix, &Kv.matrix,
                                                  &Vv.matrix, &Pv.matrix),
                      "ex13_attention_backward");
  const char *name[3] = {"dQ", "dK", "dV"};
  const size_t start[4] = {0, NQK, 2 * NQK, NX};
  for (size_t m = 0; m < 3; m++)
    NNG_EXPECT_OVERWRITTEN(grad + start[m], start[m + 1] - start[m], name[m], ex13_writes);
  for (size_t m = 0; m < 3; m++) {
    gsl_vector_view a = gsl_vector_view_array(grad + start[m], start[m + 1] - start[m]);
    gsl_vector_view n = gsl_vector_view_array(num + start[m], start[m + 1] - start[m]);
    double error = 1.0;
    size_t worst = 0;
    int status = nn_gradcheck_relative_error(&error, &worst, &a.vector, &n.vector);
    NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                    "%s is all zeros: a gradient of zeros cannot be "
                    "checked.", name[m]);
    const size_t cols = m < 2 ? DK : DV;
    NNG_EXPECT_TRUE(error < 1e-7,
                    "%s fails the central-difference check of J = Σ O ⊙ dO for 4 tokens "
                    "with the causal mask: relative error %.2g, expected below 1e-7; the "
                    "worst entry is %s[%zu][%zu] = %.6g, numerically %.6g.", name[m], error,
                    name[m], worst / cols, worst % cols, grad[start[m] + worst],
                    num[start[m] + worst]);
  }
}

static void
attention_backward_rejects_bad_input(void **state)
{
  (void) state;
  double Q[NQ * DK], K[NK * DK], V[NK * DV], P[NQ * NK], dO[NQ * DV + DV];
  double dQ[NQ * DK + DK], dK[NK * DK], dV[NK * DV];
  nng_fill_uniform(Q, NQ * DK, -1, 1, 1357);
  nng_fill_uniform(K, NK * DK, -1, 1, 1358);
  nng_fill_uniform(V, NK * DV, -1, 1, 1359);
  nng_fill_uniform(dO, NQ * DV + DV, -1, 1, 1360);
  nng_set_all(P, NQ * NK, 1.0 / NK);
  nng_set_all(dQ, NQ * DK + DK, 6.5);
  nng_set_all(dK, NK * DK, 7.5);
  nng_set_all(dV, NK * DV, 8.5);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, NQ, DK), Kv = gsl_matrix_view_array(K, NK, DK);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, NK, DV), Pv = gsl_matrix_view_array(P, NQ, NK);
  gsl_matrix_view dOv = gsl_matrix_view_array(dO, NQ, DV);
  gsl_matrix_view dQv = gsl_matrix_view_array(dQ, NQ, DK), dKv = gsl_matrix_view_array(dK, NK, DK);
  gsl_matrix_view dVv = gsl_matrix_view_array(dV, NK, DV);
  gsl_matrix_view dQ44 = gsl_matrix_view_array(dQ, NQ + 1, DK);  /* one row too many */
  gsl_matrix_view dO42 = gsl_matrix_view_array(dO, NQ + 1, DV);  /* one row too many */
  gsl_matrix_view P53 = gsl_matrix_view_array(P, NK, NQ);        /* transposed shape */
  gsl_matrix_view dK45 = gsl_matrix_view_array(dK, DK, NK);      /* transposed shape */
  const char *fn = "ex13_attention_backward";
  NNG_EXPECT_STATUS(nng_ex13_attention_backward(&dQ44.matrix, &dKv.matrix, &dVv.matrix,
                                                &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                &Vv.matrix, &Pv.matrix),
                    GSL_EBADLEN, fn, "dQ of 4x4 for Q of 3x4");
  NNG_EXPECT_STATUS(nng_ex13_attention_backward(&dQv.matrix, &dK45.matrix, &dVv.matrix,
                                                &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                &Vv.matrix, &Pv.matrix),
                    GSL_EBADLEN, fn, "dK of 4x5 for K of 5x4");
  NNG_EXPECT_STATUS(nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                &dO42.matrix, &Qv.matrix, &Kv.matrix,
                                                &Vv.matrix, &Pv.matrix),
                    GSL_EBADLEN, fn, "dO of 4x2 for 3 queries");
  NNG_EXPECT_STATUS(nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                &Vv.matrix, &P53.matrix),
                    GSL_EBADLEN, fn, "P of 5x3 for 3 queries and 5 keys");
  dO[4] = NAN;
  NNG_EXPECT_STATUS(nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                &Vv.matrix, &Pv.matrix),
                    GSL_EDOM, fn, "dO[2][0] = NaN");
  NNG_EXPECT_TRUE(nng_all_equal(dQ, NQ * DK + DK, 6.5) && nng_all_equal(dK, NK * DK, 7.5)
                  && nng_all_equal(dV, NK * DV, 8.5),
                  "ex13_attention_backward wrote into dQ, dK or dV although it returned "
                  "an error: check every shape and every entry of dO before writing "
                  "anything.");
}

static void
attention_backward_after_its_forward(void **state)
{
  (void) state;
  /* the student's forward makes P, the student's backward uses it */
  double Q[N * DK], K[N * DK], V[N * DV], O[N * DV], P[N * N], dO[N * DV], eO[N * DV];
  double eP[N * N], work[N * N], dQ[N * DK], dK[N * DK], dV[N * DV];
  double eQ[N * DK], eK[N * DK], eV[N * DV];
  nng_fill_uniform(Q, N * DK, -1.5, 1.5, 1361);
  nng_fill_uniform(K, N * DK, -1.5, 1.5, 1362);
  nng_fill_uniform(V, N * DV, -2, 2, 1363);
  nng_fill_uniform(dO, N * DV, -1, 1, 1364);
  reference_attention(eO, eP, Q, K, V, N, N, DK, DV, 1);
  gsl_matrix_view Qv = gsl_matrix_view_array(Q, N, DK), Kv = gsl_matrix_view_array(K, N, DK);
  gsl_matrix_view Vv = gsl_matrix_view_array(V, N, DV), Ov = gsl_matrix_view_array(O, N, DV);
  gsl_matrix_view Pv = gsl_matrix_view_array(P, N, N), ePv = gsl_matrix_view_array(eP, N, N);
  gsl_matrix_view dOv = gsl_matrix_view_array(dO, N, DV), wv = gsl_matrix_view_array(work, N, N);
  gsl_matrix_view dQv = gsl_matrix_view_array(dQ, N, DK), dKv = gsl_matrix_view_array(dK, N, DK);
  gsl_matrix_view dVv = gsl_matrix_view_array(dV, N, DV);
  gsl_matrix_view eQv = gsl_matrix_view_array(eQ, N, DK), eKv = gsl_matrix_view_array(eK, N, DK);
  gsl_matrix_view eVv = gsl_matrix_view_array(eV, N, DV);
  nn_attention_backward(&eQv.matrix, &eKv.matrix, &eVv.matrix, &wv.matrix, &dOv.matrix,
                        &Qv.matrix, &Kv.matrix, &Vv.matrix, &ePv.matrix);
  nng_set_all(O, N * DV, NAN);
  nng_set_all(P, N * N, NAN);
  nng_set_all(dQ, N * DK, NAN);
  nng_set_all(dK, N * DK, NAN);
  nng_set_all(dV, N * DV, NAN);
  nng_builds_on("ex13_attention", attention_works());
  NNG_REQUIRE_SUCCESS(nng_ex13_attention(&Ov.matrix, &Pv.matrix, &Qv.matrix, &Kv.matrix,
                                         &Vv.matrix, 1),
                      "ex13_attention");
  NNG_REQUIRE_SUCCESS(nng_ex13_attention_backward(&dQv.matrix, &dKv.matrix, &dVv.matrix,
                                                  &dOv.matrix, &Qv.matrix, &Kv.matrix,
                                                  &Vv.matrix, &Pv.matrix),
                      "ex13_attention_backward");
  NNG_EXPECT_OVERWRITTEN(dQ, N * DK, "dQ", ex13_writes);
  NNG_EXPECT_OVERWRITTEN(dK, N * DK, "dK", ex13_writes);
  NNG_EXPECT_OVERWRITTEN(dV, N * DV, "dV", ex13_writes);
  NNG_EXPECT_MATRIX_CLOSE("dQ after your causal forward and your backward (4 tokens)",
                          &dQv.matrix, &eQv.matrix, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE("dK after your causal forward and your backward", &dKv.matrix,
                          &eKv.matrix, 1e-12);
  NNG_EXPECT_MATRIX_CLOSE("dV after your causal forward and your backward", &dVv.matrix,
                          &eVv.matrix, 1e-12);
}

const nng_test nng_ex13_tests[] = {
  {"scores_match_the_library", scores_match_the_library, "ex13_scores", 1,
   "S[i][j] = Σ_c Q[i][c] · K[j][c] / √d_k: row i of Q against row j of K (that is "
   "Q Kᵀ), and d_k is the number of columns of Q, not of S."},
  {"scores_reject_bad_input", scores_reject_bad_input, "ex13_scores", 1,
   "Q and K need the same number of columns (d_k), S is (rows of Q) x (rows of K): "
   "GSL_EBADLEN otherwise; !isfinite() of any entry of Q or K: GSL_EDOM. All before "
   "writing S."},
  {"softmax_rows_match_the_library", softmax_rows_match_the_library, "ex13_softmax_rows",
   1,
   "Row by row: P[i][j] = exp(S[i][j] - m_i) / Σ_j' exp(S[i][j'] - m_i), m_i the largest "
   "score of row i. Each row on its own, not the whole matrix at once."},
  {"softmax_rows_with_the_causal_mask", softmax_rows_with_the_causal_mask,
   "ex13_softmax_rows", 1,
   "With causal, row i takes the softmax of S[i][0..i] only (max and sum over j <= i) "
   "and sets P[i][j] = 0 for j > i. P may be S: read a row's scores before writing its "
   "weights."},
  {"softmax_rows_survive_large_scores", softmax_rows_survive_large_scores,
   "ex13_softmax_rows", 1,
   "exp(1000) is inf and exp(-1000) is 0: subtract the row's largest visible score "
   "first, so that every exponent is <= 0 and the largest term is exactly 1."},
  {"softmax_rows_reject_bad_input", softmax_rows_reject_bad_input, "ex13_softmax_rows", 1,
   "P must have S's shape (GSL_EBADLEN); any NaN or ±∞ in S is GSL_EDOM, even in the "
   "masked part; check all of S before writing P."},
  {"attention_matches_the_library", attention_matches_the_library, "ex13_attention", 1,
   "P = softmax(Q Kᵀ / √d_k) row by row, then O = P V: (n_q x n_k) times (n_k x d_v). "
   "Your ex13_scores then ex13_softmax_rows in place on P do the first part."},
  {"attention_with_the_causal_mask", attention_with_the_causal_mask, "ex13_attention", 1,
   "Pass causal on to the softmax: token i attends to tokens 0..i, so P is lower "
   "triangular and O's row i mixes the values of rows 0..i of V only."},
  {"attention_survives_large_scores", attention_survives_large_scores, "ex13_attention", 1,
   "Large queries and keys give scores in the thousands: the softmax must subtract each "
   "row's largest visible score before exp, or exp overflows into NaN."},
  {"attention_rejects_bad_input", attention_rejects_bad_input, "ex13_attention", 1,
   "Check all five shapes (K has Q's columns, V has K's rows, P is n_q x n_k, O is "
   "n_q x d_v) and that Q, K and V are finite, before the scores go into P."},
  {"attention_backward_matches_the_library", attention_backward_matches_the_library,
   "ex13_attention_backward", 1,
   "dV = Pᵀ dO; dP = dO Vᵀ; dS[i][j] = P[i][j] (dP[i][j] - Σ_j' P[i][j'] dP[i][j']); "
   "dQ = dS K / √d_k and dK = dSᵀ Q / √d_k. Overwrite dQ, dK, dV, do not add to them."},
  {"attention_backward_passes_a_gradient_check", attention_backward_passes_a_gradient_check,
   "ex13_attention_backward", 1,
   "Write each gradient's shape beside its product: dQ is Q's (n_q x d_k), dK is K's, "
   "dV is V's, dS is P's. The 1/√d_k of the scores comes back in both dQ and dK."},
  {"attention_backward_rejects_bad_input", attention_backward_rejects_bad_input,
   "ex13_attention_backward", 1,
   "dQ, dK and dV have the shapes of Q, K and V; dO is n_q x d_v; P is n_q x n_k "
   "(GSL_EBADLEN); NaN or ±∞ in dO is GSL_EDOM; check before writing."},
  {"attention_backward_after_its_forward", attention_backward_after_its_forward,
   "ex13_attention_backward", 1,
   "The backward pass takes the P your forward pass wrote: with the causal mask its "
   "zeros carry the mask back, and dS is 0 wherever P is 0."},
  {NULL, NULL, NULL, 0, NULL},
};
