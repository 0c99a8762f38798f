/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/loss.h: losses, costs, and their gradients.
 *
 * Names used throughout:  B = batch size (one sample per row), N = outputs
 * per sample (K when they are the scores of K classes).
 *
 * A loss L_b measures how wrong the prediction for one sample b is; the cost
 * is their mean over the batch (the empirical risk),
 *
 *   J = (1/B) Σ_b L_b,
 *
 * and training follows the gradient of J. Every function here returns the
 * three of them, each optional (pass NULL for what you do not need):
 *
 *   *cost     J, a number
 *   losses    L_b, one entry per sample (B entries)
 *   grad      ∂J/∂(prediction), same shape as the prediction (B, N). It is
 *             the gradient of the MEAN, so it carries the factor 1/B. It is
 *             overwritten, not accumulated: it is where backpropagation
 *             starts (dY of nn_network_backward()). It may be the prediction
 *             matrix itself (in place).
 *
 * The losses, for a prediction row ŷ (or probabilities p, or scores z) and
 * a target row y:
 *
 *   MSE, regression (continuous outputs):
 *     L = (1/N) Σ_j (ŷ_j - y_j)²                ∂J/∂ŷ_j = 2 (ŷ_j - y_j) / (B N)
 *
 *   Binary cross-entropy on probabilities p in [0, 1], targets y in [0, 1]
 *   (N independent yes/no outputs, e.g. after a sigmoid):
 *     L = -(1/N) Σ_j [y_j log p_j + (1 - y_j) log(1 - p_j)]
 *                                               ∂J/∂p_j = (p_j - y_j) / (p_j (1 - p_j) B N)
 *     log 0 = -∞ would poison the cost, so p is first clamped into
 *     [ε, 1 - ε], ε = NN_LOSS_BCE_EPSILON: p = 0 or 1 gives a large but
 *     finite loss and gradient.
 *
 *   Binary cross-entropy from logits z, with p = sigmoid(z) folded in:
 *     L = (1/N) Σ_j [max(z_j, 0) - z_j y_j + log(1 + e^(-|z_j|))]
 *                                               ∂J/∂z_j = (sigmoid(z_j) - y_j) / (B N)
 *     The same number as BCE(sigmoid(z)), written so that no exponent is
 *     positive: exact and finite for any z, no clamp needed. Prefer it for
 *     training (last activation NN_ACTIVATION_IDENTITY).
 *
 *   Categorical cross-entropy with softmax, from scores z of K classes and a
 *   target distribution y (one-hot: 1 for the true class, 0 elsewhere):
 *     L = -Σ_k y_k log softmax(z)_k = Σ_k y_k (lse(z) - z_k)
 *                                               ∂J/∂z_k = ((Σ_j y_j) p_k - y_k) / B
 *     with lse the log-sum-exp (nn/softmax.h) and p = softmax(z); for a
 *     one-hot y the gradient is the famous (p - y) / B. The targets may also
 *     be given as class indices (nn_loss_softmax_ce_labels()).
 *
 * MSE and BCE average over the N outputs of a sample (as PyTorch's
 * reduction "mean" does); cross-entropy sums over the K classes, which
 * together make one distribution.
 *
 * Errors: GSL_EBADLEN for shapes that do not fit (the message names both),
 * GSL_EDOM for a probability or target outside [0, 1] (the message names the
 * entry), GSL_EINVAL for NULL inputs and class labels out of range. On an
 * error, no output is changed.
 */
#ifndef NN_LOSS_H
#define NN_LOSS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* BCE clamps probabilities into [ε, 1 - ε]: the loss is then at most
 * -log ε ≈ 27.6 per output. */
#define NN_LOSS_BCE_EPSILON 1e-12

/* Mean squared error of predictions Yhat (B, N) against targets Y (B, N). */
int nn_loss_mse(double *cost, gsl_vector *losses, gsl_matrix *dYhat,
                const gsl_matrix *Yhat, const gsl_matrix *Y);

/* Binary cross-entropy of probabilities P (B, N) against targets Y (B, N),
 * both in [0, 1]; P is clamped against log 0. */
int nn_loss_bce(double *cost, gsl_vector *losses, gsl_matrix *dP,
                const gsl_matrix *P, const gsl_matrix *Y);

/* Binary cross-entropy of sigmoid(Z) against Y, from the logits Z (B, N):
 * stable for any Z. dZ is ∂J/∂Z. */
int nn_loss_bce_logits(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                       const gsl_matrix *Z, const gsl_matrix *Y);

/* Cross-entropy of softmax(Z) against target distributions Y, from the
 * scores Z (B, K); each row of Y is one-hot (or any distribution: entries in
 * [0, 1]). Stable for any Z (log-sum-exp). dZ is ∂J/∂Z. */
int nn_loss_softmax_ce(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                       const gsl_matrix *Z, const gsl_matrix *Y);

/* The same with the targets as class indices: labels[b] in 0..K-1 is the
 * class of sample b (B entries), as if Y were its one-hot encoding. */
int nn_loss_softmax_ce_labels(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                              const gsl_matrix *Z, const size_t labels[]);

#endif /* NN_LOSS_H */
