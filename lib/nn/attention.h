/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/attention.h: scaled dot-product attention and sinusoidal positional
 * encodings (Vaswani et al., "Attention is all you need", 2017).
 *
 * Names used throughout:  n_q = queries, n_k = keys (and values), d_k =
 * entries of a query and a key, d_v = entries of a value. One sequence,
 * one head: each query, key and value is a row.
 *
 * Attention is a soft look-up. Each query q_i is compared with every key
 * k_j by a dot product; the softmax of the scores says how much of each
 * value v_j the query takes:
 *
 *   S = Q Kᵀ / √d_k        (n_q, n_k)    Q (n_q, d_k), K (n_k, d_k)
 *   P = softmax(S), row by row           each row of P sums to 1
 *   O = P V                (n_q, d_v)    V (n_k, d_v)
 *
 * Why √d_k: with d_k independent entries of unit variance, q·k has variance
 * d_k; dividing by √d_k keeps the scores near unit size whatever d_k, so the
 * softmax does not saturate into a one-hot row whose gradient is ~0.
 *
 * The causal mask lets query i see keys j <= i only (a sequence model must
 * not look at the future): S_ij = −∞ for j > i, so P_ij = 0 exactly. This is
 * torch's is_causal (the mask is tril(ones(n_q, n_k))); key 0 is always
 * visible, so no row is empty.
 *
 * Backward. Given dO = ∂J/∂O:
 *
 *   dV = Pᵀ dO                        (n_k, d_v)
 *   dP = dO Vᵀ                        (n_q, n_k)
 *   dS = P ⊙ (dP − rowsum(P ⊙ dP))    the softmax's backward, row by row
 *                                     (nn/softmax.h); 0 where masked
 *   dQ = dS K / √d_k                  (n_q, d_k)
 *   dK = dSᵀ Q / √d_k                 (n_k, d_k)
 *
 * Q, K and V are inputs, so dQ, dK and dV are overwritten (not accumulated).
 *
 * Positional encodings. Attention by itself does not see order (permuting
 * the keys and values together permutes nothing in O), so the position p
 * of a token is added to its embedding as a vector of d numbers:
 *
 *   PE[p, 2i] = sin(p / 10000^(2i/d)),  PE[p, 2i + 1] = cos(p / 10000^(2i/d))
 *
 * a sinusoid per pair of columns, from a period of 2π (i = 0) to 10000·2π:
 * near positions differ in the fast columns, far ones in the slow ones.
 *
 * No allocation: P is the caller's (it is both the heat map of the lecture
 * and what the backward pass needs), and the backward pass takes a
 * workspace of P's shape.
 *
 * Legal call order:
 *
 *   nn_attention_forward(O, P, Q, K, V, causal);
 *   (a loss gives dO)
 *   nn_attention_backward(dQ, dK, dV, work, dO, Q, K, V, P);  same Q, K, V, P
 *
 * Errors: GSL_EBADLEN for shapes that do not fit or empty inputs (the
 * message names the shapes), GSL_EDOM for an input that is not finite
 * (NaN or infinite: the message names the matrix, the entry and its shape),
 * GSL_EINVAL for NULL.
 */
#ifndef NN_ATTENTION_H
#define NN_ATTENTION_H

#include <gsl/gsl_matrix.h>

/* O = softmax(Q Kᵀ / √d_k) V, with the causal mask when causal is not 0.
 * Q is (n_q, d_k), K (n_k, d_k), V (n_k, d_v); O (n_q, d_v) and P (n_q, n_k)
 * receive the output and the attention weights (each row sums to 1). O and
 * P must not overlap the inputs. */
int nn_attention_forward(gsl_matrix *O, gsl_matrix *P, const gsl_matrix *Q,
                         const gsl_matrix *K, const gsl_matrix *V, int causal);

/* dQ, dK, dV = ∂J/∂Q, ∂J/∂K, ∂J/∂V (overwritten; any may be NULL) given dO
 * (n_q, d_v) and the Q, K, V and P of the forward pass (the mask is in P:
 * its zeros). work (n_q, n_k) is a workspace. */
int nn_attention_backward(gsl_matrix *dQ, gsl_matrix *dK, gsl_matrix *dV,
                          gsl_matrix *work, const gsl_matrix *dO,
                          const gsl_matrix *Q, const gsl_matrix *K,
                          const gsl_matrix *V, const gsl_matrix *P);

/* PE (n_pos, d) = the sinusoidal encodings of positions 0..n_pos − 1, as
 * above (an odd d ends with a sine column). */
int nn_attention_positional(gsl_matrix *PE);

#endif /* NN_ATTENTION_H */
