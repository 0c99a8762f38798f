/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poly.c: polynomials and their derivatives (see nn/poly.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_poly.h>

#include <nn/poly.h>

int
nn_poly_eval(const gsl_vector *c, double x, double *result)
{
  if (c == NULL || result == NULL)
    GSL_ERROR("nn_poly_eval: c and result must not be NULL", GSL_EINVAL);
  if (c->size == 0)
    GSL_ERROR("nn_poly_eval: a polynomial needs at least one coefficient",
              GSL_EBADLEN);
  if (c->stride == 1) {
    *result = gsl_poly_eval(c->data, (int) c->size, x);
    return GSL_SUCCESS;
  }
  double p = gsl_vector_get(c, c->size - 1);  /* Horner: ((c_n x + c_n-1) x + ...) */
  for (size_t k = c->size - 1; k-- > 0;)
    p = p * x + gsl_vector_get(c, k);
  *result = p;
  return GSL_SUCCESS;
}

int
nn_poly_derivative(const gsl_vector *c, gsl_vector *dc)
{
  if (c == NULL || dc == NULL)
    GSL_ERROR("nn_poly_derivative: c and dc must not be NULL", GSL_EINVAL);
  if (c->size == 0)
    GSL_ERROR("nn_poly_derivative: a polynomial needs at least one coefficient",
              GSL_EBADLEN);
  if (c->size != dc->size) {
    char msg[128];
    snprintf(msg, sizeof msg,
             "nn_poly_derivative: c has %zu coefficients but dc has %zu",
             c->size, dc->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  /* Front to back, so that dc may alias c: entry k reads c_(k+1) before
   * entry k+1 overwrites it. */
  for (size_t k = 0; k + 1 < c->size; k++)
    gsl_vector_set(dc, k, (double) (k + 1) * gsl_vector_get(c, k + 1));
  gsl_vector_set(dc, c->size - 1, 0.0);
  return GSL_SUCCESS;
}

double
nn_poly_function(double x, void *params)
{
  const gsl_vector *c = params;
  double y;
  if (c == NULL || c->size == 0)
    return NAN;
  if (nn_poly_eval(c, x, &y) != GSL_SUCCESS)
    return NAN;
  return y;
}
