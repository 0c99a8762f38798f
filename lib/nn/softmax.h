/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/softmax.h: the softmax, which turns scores into probabilities.
 *
 * Given K scores (logits) z_1..z_K, the softmax
 *
 *   p_k = e^(z_k) / Σ_j e^(z_j)
 *
 * is positive and sums to 1: a probability for each of K classes, largest
 * where the score is largest. Adding the same number c to every score does
 * not change it (e^(z_k + c) = e^c e^(z_k), and e^c cancels), and that is
 * the trick that makes it safe to compute: with c = -max_j z_j every
 * exponent is <= 0, so e^x never overflows, and the largest term is e^0 = 1,
 * so the sum never underflows to 0. Scores of 1000 give the same
 * probabilities as scores of 0, not NaN.
 *
 * Its logarithm, log p_k = z_k - log Σ_j e^(z_j), needs the log-sum-exp
 *
 *   lse(z) = log Σ_j e^(z_j) = m + log Σ_j e^(z_j - m),  m = max_j z_j,
 *
 * computed with the same shift; the cross-entropy loss (nn/loss.h) uses it.
 *
 * Backward. The softmax mixes its inputs: ∂p_k/∂z_i = p_k (δ_ki - p_i). Given
 * dp, the gradient of the cost with respect to p, the chain rule gives
 *
 *   dz_i = Σ_k dp_k p_k (δ_ki - p_i) = p_i (dp_i - Σ_k p_k dp_k),
 *
 * which needs only the forward output p: no K×K Jacobian is ever built.
 *
 * On a batch, each row is one sample and the softmax works row by row:
 * Z is (B, K), P = softmax(Z) is (B, K), each row of P sums to 1.
 *
 * Legal call order: nn_softmax_rows(P, Z), then (for training)
 * nn_softmax_backward_rows(dZ, P, dP) with the same P.
 *
 * Errors: GSL_EBADLEN for empty inputs or shapes that differ (the message
 * names both), GSL_EINVAL for NULL.
 */
#ifndef NN_SOFTMAX_H
#define NN_SOFTMAX_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* p = softmax(z). p and z have the same length; p may be z (in place). */
int nn_softmax_vector(gsl_vector *p, const gsl_vector *z);

/* Each row of P = the softmax of that row of Z. P and Z are (B, K); P may
 * be Z (in place). */
int nn_softmax_rows(gsl_matrix *P, const gsl_matrix *Z);

/* *result = log Σ_j e^(z_j), without overflow. */
int nn_softmax_logsumexp(const gsl_vector *z, double *result);

/* dz = p ⊙ (dp - (p · dp)): the gradient with respect to the scores, given
 * the forward output p and the gradient dp with respect to it. dz is
 * overwritten; it may be dp (in place) but not p. */
int nn_softmax_backward_vector(gsl_vector *dz, const gsl_vector *p,
                               const gsl_vector *dp);

/* The same, row by row: dZ, P and dP are (B, K). dZ may be dP, not P. */
int nn_softmax_backward_rows(gsl_matrix *dZ, const gsl_matrix *P,
                             const gsl_matrix *dP);

#endif /* NN_SOFTMAX_H */
