/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise4.c: your solutions to Exercise 4 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise4
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise4.h"

int
ex4_mse(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_vector *losses)
{
  (void) Yhat;
  (void) Y;
  (void) losses;
  /* TODO: check the shapes; then, row by row, the mean of the squared errors. */
  return GSL_EUNIMPL;
}

int
ex4_mse_grad(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_matrix *dYhat)
{
  (void) Yhat;
  (void) Y;
  (void) dYhat;
  /* TODO: check the shapes; then 2 (yhat - y) / (B N) for every entry. */
  return GSL_EUNIMPL;
}

int
ex4_bce(const gsl_matrix *P, const gsl_matrix *Y, gsl_vector *losses)
{
  (void) P;
  (void) Y;
  (void) losses;
  /* TODO: check the shapes and that P and Y are in [0, 1]; clamp p; then
   * minus the mean over the row of y log p + (1 - y) log(1 - p). */
  return GSL_EUNIMPL;
}

int
ex4_bce_grad(const gsl_matrix *P, const gsl_matrix *Y, gsl_matrix *dP)
{
  (void) P;
  (void) Y;
  (void) dP;
  /* TODO: the same checks; then (p - y) / (p (1 - p) B N) with p clamped. */
  return GSL_EUNIMPL;
}

int
ex4_cross_entropy(const gsl_matrix *Z, const gsl_matrix *Y, gsl_vector *losses)
{
  (void) Z;
  (void) Y;
  (void) losses;
  /* TODO: check the shapes and Y; then, row by row, the log-sum-exp of z
   * with its largest entry shifted out, and -Σ_k y_k (z_k - lse). */
  return GSL_EUNIMPL;
}

int
ex4_cross_entropy_grad(const gsl_matrix *Z, const gsl_matrix *Y, gsl_matrix *dZ)
{
  (void) Z;
  (void) Y;
  (void) dZ;
  /* TODO: the same checks; then (softmax(z_b) - y_b) / B, row by row. */
  return GSL_EUNIMPL;
}

int
ex4_cost(const gsl_vector *losses, double *cost)
{
  (void) losses;
  (void) cost;
  /* TODO: refuse an empty batch; then the mean of the losses. */
  return GSL_EUNIMPL;
}
