/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise7.c: your solutions to Exercise 7 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise7
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise7.h"

int
ex7_add_backward(double dc, double *da, double *db)
{
  (void) dc;
  (void) da;
  (void) db;
  /* TODO: check dc; then a sum passes dc unchanged to both operands (+=). */
  return GSL_EUNIMPL;
}

int
ex7_mul_backward(double a, double b, double dc, double *da, double *db)
{
  (void) a;
  (void) b;
  (void) dc;
  (void) da;
  (void) db;
  /* TODO: check the numbers; then each factor gets the other one times dc. */
  return GSL_EUNIMPL;
}

int
ex7_tanh_backward(double c, double dc, double *da)
{
  (void) c;
  (void) dc;
  (void) da;
  /* TODO: check c and dc; then the local derivative 1 - c², times dc (+=). */
  return GSL_EUNIMPL;
}

int
ex7_dense_backward(const gsl_matrix *X, const gsl_matrix *W, const gsl_matrix *dY,
                   gsl_matrix *dX, gsl_matrix *dW, gsl_vector *db)
{
  (void) X;
  (void) W;
  (void) dY;
  (void) dX;
  (void) dW;
  (void) db;
  /* TODO: check every shape first; then dX = dY W (when dX is not NULL),
   * dW += dYᵀ X and db += the column sums of dY. */
  return GSL_EUNIMPL;
}
