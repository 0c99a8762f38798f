/* SPDX-License-Identifier: GPL-3.0-or-later */
/* attention.c: scaled dot-product attention and positional encodings (see
 * nn/attention.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/attention.h>
#include <nn/softmax.h>

#include "check.h"

/* Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v) fit together and are not empty. */
static int
check_qkv(const char *who, const gsl_matrix *Q, const gsl_matrix *K, const gsl_matrix *V)
{
  char msg[256];
  if (Q->size1 == 0 || Q->size2 == 0 || K->size1 == 0 || V->size2 == 0) {
    snprintf(msg, sizeof msg, "%s: Q is %zux%zu, K %zux%zu and V %zux%zu: none may be"
             " empty", who, Q->size1, Q->size2, K->size1, K->size2, V->size1, V->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (K->size2 != Q->size2) {
    snprintf(msg, sizeof msg, "%s: Q is %zux%zu but K is %zux%zu: queries and keys"
             " must have the same d_k", who, Q->size1, Q->size2, K->size1, K->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (V->size1 != K->size1) {
    snprintf(msg, sizeof msg, "%s: K is %zux%zu but V is %zux%zu: one value per key",
             who, K->size1, K->size2, V->size1, V->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

/* ===== Forward =====
 *
 * S = Q Kᵀ / √d_k is computed into P, masked entries set to −∞, and the
 * softmax taken in place: e^(−∞) = 0, so a masked key gets exactly zero
 * weight, and the shift by the row's maximum (a visible score, since key 0
 * always is) keeps the rest safe.
 */

int
nn_attention_forward(gsl_matrix *O, gsl_matrix *P, const gsl_matrix *Q,
                     const gsl_matrix *K, const gsl_matrix *V, int causal)
{
  static const char who[] = "nn_attention_forward";
  if (O == NULL || P == NULL || Q == NULL || K == NULL || V == NULL)
    GSL_ERROR("nn_attention_forward: O, P, Q, K and V must not be NULL", GSL_EINVAL);
  int status = check_qkv(who, Q, K, V);
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "P", P, Q->size1, K->size1, "n_q x n_k");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "O", O, Q->size1, V->size2, "n_q x d_v");
  if (status == GSL_SUCCESS)
    status = nn_check_finite(who, "Q", Q);
  if (status == GSL_SUCCESS)
    status = nn_check_finite(who, "K", K);
  if (status == GSL_SUCCESS)
    status = nn_check_finite(who, "V", V);
  if (status != GSL_SUCCESS)
    return status;

  const double scale = 1.0 / sqrt((double) Q->size2);
  status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, scale, Q, K, 0.0, P);
  if (status != GSL_SUCCESS)
    return status;
  if (causal)  // query i sees keys 0..i only
    for (size_t i = 0; i < P->size1; i++)
      for (size_t j = i + 1; j < P->size2; j++)
        gsl_matrix_set(P, i, j, -INFINITY);
  status = nn_softmax_rows(P, P);
  if (status != GSL_SUCCESS)
    return status;
  return gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, P, V, 0.0, O);  // O = P V
}

/* ===== Backward ===== */

int
nn_attention_backward(gsl_matrix *dQ, gsl_matrix *dK, gsl_matrix *dV, gsl_matrix *work,
                      const gsl_matrix *dO, const gsl_matrix *Q, const gsl_matrix *K,
                      const gsl_matrix *V, const gsl_matrix *P)
{
  static const char who[] = "nn_attention_backward";
  if (work == NULL || dO == NULL || Q == NULL || K == NULL || V == NULL || P == NULL)
    GSL_ERROR("nn_attention_backward: work, dO, Q, K, V and P must not be NULL",
              GSL_EINVAL);
  int status = check_qkv(who, Q, K, V);
  const size_t n_q = Q->size1, n_k = K->size1, d_k = Q->size2, d_v = V->size2;
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "P", P, n_q, n_k, "n_q x n_k");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "work", work, n_q, n_k, "n_q x n_k, as P");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "dO", dO, n_q, d_v, "n_q x d_v, as O");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "dQ", dQ, n_q, d_k, "as Q");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "dK", dK, n_k, d_k, "as K");
  if (status == GSL_SUCCESS)
    status = nn_check_shape(who, "dV", dV, n_k, d_v, "as V");
  if (status == GSL_SUCCESS)
    status = nn_check_finite(who, "dO", dO);
  if (status != GSL_SUCCESS)
    return status;

  if (dV != NULL)  // dV = Pᵀ dO
    status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, P, dO, 0.0, dV);
  if (status == GSL_SUCCESS)  // dP = dO Vᵀ
    status = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, dO, V, 0.0, work);
  if (status == GSL_SUCCESS)  // dS = P ⊙ (dP − rowsum(P ⊙ dP)), in place
    status = nn_softmax_backward_rows(work, P, work);
  const double scale = 1.0 / sqrt((double) d_k);
  if (status == GSL_SUCCESS && dQ != NULL)  // dQ = dS K / √d_k
    status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, scale, work, K, 0.0, dQ);
  if (status == GSL_SUCCESS && dK != NULL)  // dK = dSᵀ Q / √d_k
    status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, scale, work, Q, 0.0, dK);
  return status;
}

/* ===== Positional encodings ===== */

int
nn_attention_positional(gsl_matrix *PE)
{
  if (PE == NULL)
    GSL_ERROR("nn_attention_positional: PE must not be NULL", GSL_EINVAL);
  if (PE->size1 == 0 || PE->size2 == 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_attention_positional: PE is %zux%zu: it needs at"
             " least one position and one column", PE->size1, PE->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const double d = (double) PE->size2;
  for (size_t p = 0; p < PE->size1; p++)
    for (size_t c = 0; c < PE->size2; c++) {
      // columns 2i and 2i + 1 share the frequency 1 / 10000^(2i/d)
      const double angle = (double) p / pow(10000.0, (double) (c - c % 2) / d);
      gsl_matrix_set(PE, p, c, c % 2 == 0 ? sin(angle) : cos(angle));
    }
  return GSL_SUCCESS;
}
