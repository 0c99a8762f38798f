/* SPDX-License-Identifier: GPL-3.0-or-later */
/* softmax.c: the softmax, which turns scores into probabilities (see nn/softmax.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

#include <nn/softmax.h>

/* ===== The work, on one vector =====
 *
 * These helpers assume the checks are done: the public functions check once,
 * then call them for one vector or for every row of a matrix.
 */

static double
max_entry(const gsl_vector *z)
{
  double m = gsl_vector_get(z, 0);
  for (size_t k = 1; k < z->size; k++)
    if (gsl_vector_get(z, k) > m)
      m = gsl_vector_get(z, k);
  return m;
}

static void
softmax(gsl_vector *p, const gsl_vector *z)
{
  const double m = max_entry(z);  /* shift: every exponent is <= 0 */
  double sum = 0.0;
  for (size_t k = 0; k < z->size; k++) {
    const double e = exp(gsl_vector_get(z, k) - m);
    gsl_vector_set(p, k, e);  /* p may be z: z_k is read before p_k is written */
    sum += e;
  }
  /* sum >= 1, since the largest score contributes e^0 = 1 */
  for (size_t k = 0; k < p->size; k++)
    gsl_vector_set(p, k, gsl_vector_get(p, k) / sum);
}

static double
logsumexp(const gsl_vector *z)
{
  const double m = max_entry(z);
  double sum = 0.0;
  for (size_t k = 0; k < z->size; k++)
    sum += exp(gsl_vector_get(z, k) - m);
  return m + log(sum);
}

static void
softmax_backward(gsl_vector *dz, const gsl_vector *p, const gsl_vector *dp)
{
  double p_dot_dp = 0.0;  /* Σ_k p_k dp_k: how much dp pushes the total */
  for (size_t k = 0; k < p->size; k++)
    p_dot_dp += gsl_vector_get(p, k) * gsl_vector_get(dp, k);
  for (size_t i = 0; i < p->size; i++)
    gsl_vector_set(dz, i, gsl_vector_get(p, i) * (gsl_vector_get(dp, i) - p_dot_dp));
}

/* ===== Vectors ===== */

static int
check_pair(const char *who, const char *a_name, const gsl_vector *a,
           const char *b_name, const gsl_vector *b)
{
  char msg[160];
  if (a == NULL || b == NULL) {
    snprintf(msg, sizeof msg, "%s: %s and %s must not be NULL", who, a_name, b_name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (a->size == 0) {
    snprintf(msg, sizeof msg, "%s: %s is empty (a softmax needs at least one score)",
             who, a_name);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (a->size != b->size) {
    snprintf(msg, sizeof msg, "%s: %s has %zu entries but %s has %zu", who, a_name,
             a->size, b_name, b->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
nn_softmax_vector(gsl_vector *p, const gsl_vector *z)
{
  int status = check_pair("nn_softmax_vector", "z", z, "p", p);
  if (status != GSL_SUCCESS)
    return status;
  softmax(p, z);
  return GSL_SUCCESS;
}

int
nn_softmax_logsumexp(const gsl_vector *z, double *result)
{
  if (z == NULL || result == NULL)
    GSL_ERROR("nn_softmax_logsumexp: z and result must not be NULL", GSL_EINVAL);
  if (z->size == 0)
    GSL_ERROR("nn_softmax_logsumexp: z is empty", GSL_EBADLEN);
  *result = logsumexp(z);
  return GSL_SUCCESS;
}

int
nn_softmax_backward_vector(gsl_vector *dz, const gsl_vector *p, const gsl_vector *dp)
{
  int status = check_pair("nn_softmax_backward_vector", "p", p, "dp", dp);
  if (status == GSL_SUCCESS)
    status = check_pair("nn_softmax_backward_vector", "p", p, "dz", dz);
  if (status != GSL_SUCCESS)
    return status;
  softmax_backward(dz, p, dp);
  return GSL_SUCCESS;
}

/* ===== Matrices, row by row ===== */

static int
check_same_shape(const char *who, const char *a_name, const gsl_matrix *a,
                 const char *b_name, const gsl_matrix *b)
{
  char msg[160];
  if (a == NULL || b == NULL) {
    snprintf(msg, sizeof msg, "%s: %s and %s must not be NULL", who, a_name, b_name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (a->size2 == 0) {
    snprintf(msg, sizeof msg, "%s: %s is %zux0 (a softmax needs at least one score)",
             who, a_name, a->size1);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (a->size1 != b->size1 || a->size2 != b->size2) {
    snprintf(msg, sizeof msg, "%s: %s is %zux%zu but %s is %zux%zu", who, a_name,
             a->size1, a->size2, b_name, b->size1, b->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
nn_softmax_rows(gsl_matrix *P, const gsl_matrix *Z)
{
  int status = check_same_shape("nn_softmax_rows", "Z", Z, "P", P);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t b = 0; b < Z->size1; b++) {  /* one sample per row */
    gsl_vector_const_view z = gsl_matrix_const_row(Z, b);
    gsl_vector_view p = gsl_matrix_row(P, b);
    softmax(&p.vector, &z.vector);
  }
  return GSL_SUCCESS;
}

int
nn_softmax_backward_rows(gsl_matrix *dZ, const gsl_matrix *P, const gsl_matrix *dP)
{
  int status = check_same_shape("nn_softmax_backward_rows", "P", P, "dP", dP);
  if (status == GSL_SUCCESS)
    status = check_same_shape("nn_softmax_backward_rows", "P", P, "dZ", dZ);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t b = 0; b < P->size1; b++) {
    gsl_vector_const_view p = gsl_matrix_const_row(P, b), dp = gsl_matrix_const_row(dP, b);
    gsl_vector_view dz = gsl_matrix_row(dZ, b);
    softmax_backward(&dz.vector, &p.vector, &dp.vector);
  }
  return GSL_SUCCESS;
}
