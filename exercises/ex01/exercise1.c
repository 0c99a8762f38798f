/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise1.c: your solutions to Exercise 1 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise1
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise1.h"

int
ex1_dot(const gsl_vector *x, const gsl_vector *y, double *result)
{
  (void) x;
  (void) y;
  (void) result;
  /* TODO: check the sizes, then multiply and sum. */
  return GSL_EUNIMPL;
}

int
ex1_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y)
{
  (void) W;
  (void) x;
  (void) y;
  /* TODO: check the three sizes; then one dot product per row of W. */
  return GSL_EUNIMPL;
}

int
ex1_central_difference(const gsl_function *f, double x, double h, double *result)
{
  (void) f;
  (void) x;
  (void) h;
  (void) result;
  /* TODO: check h; then (f(x + h) - f(x - h)) / (2h). */
  return GSL_EUNIMPL;
}

int
ex1_poly_derivative(const gsl_vector *c, gsl_vector *dc)
{
  (void) c;
  (void) dc;
  /* TODO: check the sizes; then the power rule, entry by entry. */
  return GSL_EUNIMPL;
}
