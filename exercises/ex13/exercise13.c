/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise13.c: your solutions to Exercise 13 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise13
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise13.h"

int
ex13_scores(gsl_matrix *S, const gsl_matrix *Q, const gsl_matrix *K)
{
  (void) S;
  (void) Q;
  (void) K;
  /* TODO: check the shapes and that Q and K are finite; then
   * S_ij = (row i of Q) · (row j of K) / √d_k. */
  return GSL_EUNIMPL;
}

int
ex13_softmax_rows(gsl_matrix *P, const gsl_matrix *S, int causal)
{
  (void) P;
  (void) S;
  (void) causal;
  /* TODO: check the shapes and that S is finite; then for each row i, over
   * its visible keys (all of them, or 0..i when causal): subtract the
   * largest score, exponentiate, divide by the sum; 0 for the future. */
  return GSL_EUNIMPL;
}

int
ex13_attention(gsl_matrix *O, gsl_matrix *P, const gsl_matrix *Q, const gsl_matrix *K,
               const gsl_matrix *V, int causal)
{
  (void) O;
  (void) P;
  (void) Q;
  (void) K;
  (void) V;
  (void) causal;
  /* TODO: check every shape and that V is finite; then the scores into P,
   * the softmax of P in place, and O = P V. */
  return GSL_EUNIMPL;
}

int
ex13_attention_backward(gsl_matrix *dQ, gsl_matrix *dK, gsl_matrix *dV,
                        const gsl_matrix *dO, const gsl_matrix *Q, const gsl_matrix *K,
                        const gsl_matrix *V, const gsl_matrix *P)
{
  (void) dQ;
  (void) dK;
  (void) dV;
  (void) dO;
  (void) Q;
  (void) K;
  (void) V;
  (void) P;
  /* TODO: check every shape and that dO is finite; then dV = Pᵀ dO, and
   * row by row dP = dO Vᵀ and dS = P ⊙ (dP − rowsum(P ⊙ dP)); then
   * dQ = dS K / √d_k and dK = dSᵀ Q / √d_k. Free what you allocate. */
  return GSL_EUNIMPL;
}
