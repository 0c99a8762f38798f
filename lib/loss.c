/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loss.c: losses, costs, and their gradients (see nn/loss.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

#include <nn/activation.h>
#include <nn/loss.h>
#include <nn/softmax.h>

/* ===== Checks =====
 *
 * Every loss checks all of its inputs before it writes anything, so that on
 * an error the caller's outputs are as they were.
 */

/* The prediction (B, N) is not empty, and the target, the gradient and the
 * per-sample losses (each may be NULL) fit it. */
static int
check_shapes(const char *who, const char *pred_name, const gsl_matrix *pred,
             const char *target_name, const gsl_matrix *target,
             const char *grad_name, const gsl_matrix *grad, const gsl_vector *losses)
{
  char msg[192];
  if (pred->size1 == 0 || pred->size2 == 0) {
    snprintf(msg, sizeof msg, "%s: %s is %zux%zu: there is nothing to compare", who,
             pred_name, pred->size1, pred->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (target != NULL && (target->size1 != pred->size1 || target->size2 != pred->size2)) {
    snprintf(msg, sizeof msg, "%s: %s is %zux%zu but %s is %zux%zu", who, pred_name,
             pred->size1, pred->size2, target_name, target->size1, target->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (grad != NULL && (grad->size1 != pred->size1 || grad->size2 != pred->size2)) {
    snprintf(msg, sizeof msg, "%s: %s is %zux%zu but %s is %zux%zu", who, pred_name,
             pred->size1, pred->size2, grad_name, grad->size1, grad->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (losses != NULL && losses->size != pred->size1) {
    snprintf(msg, sizeof msg, "%s: %s is %zux%zu but losses has %zu entries (one per"
             " row)", who, pred_name, pred->size1, pred->size2, losses->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

/* Every entry of M is in [0, 1] (NaN is not). HINT ends the message. */
static int
check_unit_interval(const char *who, const char *name, const gsl_matrix *M,
                    const char *hint)
{
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++) {
      const double v = gsl_matrix_get(M, i, j);
      if (!(v >= 0.0 && v <= 1.0)) {
        char msg[192];
        snprintf(msg, sizeof msg, "%s: %s[%zu][%zu] = %g is not in [0, 1]%s", who,
                 name, i, j, v, hint);
        GSL_ERROR(msg, GSL_EDOM);
      }
    }
  return GSL_SUCCESS;
}

/* ===== Mean squared error ===== */

int
nn_loss_mse(double *cost, gsl_vector *losses, gsl_matrix *dYhat,
            const gsl_matrix *Yhat, const gsl_matrix *Y)
{
  if (Yhat == NULL || Y == NULL)
    GSL_ERROR("nn_loss_mse: Yhat and Y must not be NULL", GSL_EINVAL);
  int status = check_shapes("nn_loss_mse", "Yhat", Yhat, "Y", Y, "dYhat", dYhat, losses);
  if (status != GSL_SUCCESS)
    return status;
  const size_t B = Yhat->size1, N = Yhat->size2;
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    double L = 0.0;
    for (size_t j = 0; j < N; j++) {
      const double e = gsl_matrix_get(Yhat, b, j) - gsl_matrix_get(Y, b, j);
      L += e * e;
      if (dYhat != NULL)  // ∂/∂ŷ of (1/B)(1/N) e² is 2e/(BN)
        gsl_matrix_set(dYhat, b, j, 2.0 * e / (double) (B * N));
    }
    L /= (double) N;
    if (losses != NULL)
      gsl_vector_set(losses, b, L);
    sum += L;
  }
  if (cost != NULL)
    *cost = sum / (double) B;
  return GSL_SUCCESS;
}

/* ===== Binary cross-entropy ===== */

int
nn_loss_bce(double *cost, gsl_vector *losses, gsl_matrix *dP, const gsl_matrix *P,
            const gsl_matrix *Y)
{
  static const char who[] = "nn_loss_bce";
  if (P == NULL || Y == NULL)
    GSL_ERROR("nn_loss_bce: P and Y must not be NULL", GSL_EINVAL);
  int status = check_shapes(who, "P", P, "Y", Y, "dP", dP, losses);
  if (status == GSL_SUCCESS)
    status = check_unit_interval(who, "P", P, " (a probability: is the sigmoid"
                                 " missing?)");
  if (status == GSL_SUCCESS)
    status = check_unit_interval(who, "Y", Y, " (a target probability)");
  if (status != GSL_SUCCESS)
    return status;
  const double eps = NN_LOSS_BCE_EPSILON;
  const size_t B = P->size1, N = P->size2;
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    double L = 0.0;
    for (size_t j = 0; j < N; j++) {
      // clamp: log(0) = -inf would make the cost infinite and its gradient NaN
      const double p = fmin(fmax(gsl_matrix_get(P, b, j), eps), 1.0 - eps);
      const double y = gsl_matrix_get(Y, b, j);
      L -= y * log(p) + (1.0 - y) * log1p(-p);
      if (dP != NULL)  // d/dp of -[y log p + (1-y) log(1-p)] = (p - y) / (p (1-p))
        gsl_matrix_set(dP, b, j, (p - y) / (p * (1.0 - p)) / (double) (B * N));
    }
    L /= (double) N;
    if (losses != NULL)
      gsl_vector_set(losses, b, L);
    sum += L;
  }
  if (cost != NULL)
    *cost = sum / (double) B;
  return GSL_SUCCESS;
}

/* From logits. With p = sigmoid(z): log p = -log(1 + e^-z) and
 * log(1 - p) = -z - log(1 + e^-z), so
 *   -[y log p + (1-y) log(1-p)] = z - z y + log(1 + e^-z)
 * which overflows e^-z for z << 0; for z < 0 rewrite log(1 + e^-z) as
 * -z + log(1 + e^z). Both cases in one line:
 *   max(z, 0) - z y + log(1 + e^-|z|). */
int
nn_loss_bce_logits(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                   const gsl_matrix *Z, const gsl_matrix *Y)
{
  static const char who[] = "nn_loss_bce_logits";
  if (Z == NULL || Y == NULL)
    GSL_ERROR("nn_loss_bce_logits: Z and Y must not be NULL", GSL_EINVAL);
  int status = check_shapes(who, "Z", Z, "Y", Y, "dZ", dZ, losses);
  if (status == GSL_SUCCESS)
    status = check_unit_interval(who, "Y", Y, " (a target probability)");
  if (status != GSL_SUCCESS)
    return status;
  const size_t B = Z->size1, N = Z->size2;
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    double L = 0.0;
    for (size_t j = 0; j < N; j++) {
      const double z = gsl_matrix_get(Z, b, j), y = gsl_matrix_get(Y, b, j);
      L += fmax(z, 0.0) - z * y + log1p(exp(-fabs(z)));
      if (dZ != NULL)
        gsl_matrix_set(dZ, b, j, (nn_activation_sigmoid(z) - y) / (double) (B * N));
    }
    L /= (double) N;
    if (losses != NULL)
      gsl_vector_set(losses, b, L);
    sum += L;
  }
  if (cost != NULL)
    *cost = sum / (double) B;
  return GSL_SUCCESS;
}

/* ===== Categorical cross-entropy with softmax =====
 *
 * log softmax(z)_k = z_k - lse(z), so L = Σ_k y_k (lse(z) - z_k): the
 * probabilities are never formed for the loss, and lse is computed with the
 * max shifted out. With s = Σ_k y_k (1 for a distribution),
 * ∂L/∂z_k = s p_k - y_k, as ∂lse/∂z_k = p_k.
 *
 * One function serves both kinds of target: a matrix Y, or class indices
 * (labels), read as a one-hot row.
 */

static double
target(const gsl_matrix *Y, const size_t labels[], size_t b, size_t k)
{
  if (Y != NULL)
    return gsl_matrix_get(Y, b, k);
  return labels[b] == k ? 1.0 : 0.0;
}

static int
softmax_ce(double *cost, gsl_vector *losses, gsl_matrix *dZ,
           const gsl_matrix *Z, const gsl_matrix *Y, const size_t labels[])
{
  const size_t B = Z->size1, K = Z->size2;
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    gsl_vector_const_view z = gsl_matrix_const_row(Z, b);
    double lse, s = 0.0, L = 0.0;
    int status = nn_softmax_logsumexp(&z.vector, &lse);
    if (status != GSL_SUCCESS)
      return status;
    for (size_t k = 0; k < K; k++) {
      const double y = target(Y, labels, b, k);
      s += y;
      if (y != 0.0)  // 0 · (lse - z_k) is 0 even when z_k is -inf
        L += y * (lse - gsl_vector_get(&z.vector, k));
    }
    if (dZ != NULL)  // after L: dZ may be Z
      for (size_t k = 0; k < K; k++) {
        const double p = exp(gsl_matrix_get(Z, b, k) - lse);  // softmax(z)_k
        gsl_matrix_set(dZ, b, k, (s * p - target(Y, labels, b, k)) / (double) B);
      }
    if (losses != NULL)
      gsl_vector_set(losses, b, L);
    sum += L;
  }
  if (cost != NULL)
    *cost = sum / (double) B;
  return GSL_SUCCESS;
}

int
nn_loss_softmax_ce(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                   const gsl_matrix *Z, const gsl_matrix *Y)
{
  static const char who[] = "nn_loss_softmax_ce";
  if (Z == NULL || Y == NULL)
    GSL_ERROR("nn_loss_softmax_ce: Z and Y must not be NULL", GSL_EINVAL);
  int status = check_shapes(who, "Z", Z, "Y", Y, "dZ", dZ, losses);
  if (status == GSL_SUCCESS)
    status = check_unit_interval(who, "Y", Y, " (a target probability: one-hot rows)");
  if (status != GSL_SUCCESS)
    return status;
  return softmax_ce(cost, losses, dZ, Z, Y, NULL);
}

int
nn_loss_softmax_ce_labels(double *cost, gsl_vector *losses, gsl_matrix *dZ,
                          const gsl_matrix *Z, const size_t labels[])
{
  static const char who[] = "nn_loss_softmax_ce_labels";
  if (Z == NULL || labels == NULL)
    GSL_ERROR("nn_loss_softmax_ce_labels: Z and labels must not be NULL", GSL_EINVAL);
  int status = check_shapes(who, "Z", Z, NULL, NULL, "dZ", dZ, losses);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t b = 0; b < Z->size1; b++)
    if (labels[b] >= Z->size2) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s: labels[%zu] is %zu but Z is %zux%zu (classes 0 to"
               " %zu)", who, b, labels[b], Z->size1, Z->size2, Z->size2 - 1);
      GSL_ERROR(msg, GSL_EINVAL);
    }
  return softmax_ce(cost, losses, dZ, Z, NULL, labels);
}
