/* SPDX-License-Identifier: GPL-3.0-or-later */
/* linalg.c: the dot product and the matrix-vector product (see nn/linalg.h). */
#include <config.h>

#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/linalg.h>

int
nn_linalg_dot(const gsl_vector *x, const gsl_vector *y, double *result)
{
  if (x == NULL || y == NULL || result == NULL)
    GSL_ERROR("nn_linalg_dot: x, y and result must not be NULL", GSL_EINVAL);
  if (x->size != y->size) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_linalg_dot: x has %zu entries but y has %zu",
             x->size, y->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  double sum = 0.0;
  for (size_t i = 0; i < x->size; i++)  /* multiply, then sum */
    sum += gsl_vector_get(x, i) * gsl_vector_get(y, i);
  *result = sum;
  return GSL_SUCCESS;
}

/* The shape checks both products share. */
static int
check_matvec(const char *who, const gsl_matrix *W, const gsl_vector *x,
             const gsl_vector *y)
{
  char msg[160];
  if (W == NULL || x == NULL || y == NULL) {
    snprintf(msg, sizeof msg, "%s: W, x and y must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (W->size2 != x->size) {
    snprintf(msg, sizeof msg, "%s: W is %zux%zu but x has %zu entries",
             who, W->size1, W->size2, x->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (W->size1 != y->size) {
    snprintf(msg, sizeof msg, "%s: W is %zux%zu but y has %zu entries",
             who, W->size1, W->size2, y->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
nn_linalg_matvec_rows(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y)
{
  int status = check_matvec("nn_linalg_matvec_rows", W, x, y);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < W->size1; i++) {
    gsl_vector_const_view row = gsl_matrix_const_row(W, i);
    double yi;
    nn_linalg_dot(&row.vector, x, &yi);  /* sizes checked above */
    gsl_vector_set(y, i, yi);
  }
  return GSL_SUCCESS;
}

int
nn_linalg_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y)
{
  int status = check_matvec("nn_linalg_matvec", W, x, y);
  if (status != GSL_SUCCESS)
    return status;
  if (W->size1 == 0)
    return GSL_SUCCESS;
  if (W->size2 == 0) {  /* BLAS rejects empty rows; the product is 0 */
    gsl_vector_set_zero(y);
    return GSL_SUCCESS;
  }
  return gsl_blas_dgemv(CblasNoTrans, 1.0, W, x, 0.0, y);
}
