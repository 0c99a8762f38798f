/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise10.c: your solutions to Exercise 10 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise10
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise10.h"

int
ex10_dropout_forward(gsl_matrix *Y, gsl_matrix *M, const gsl_matrix *X,
                     const gsl_matrix *U, double p, int training)
{
  (void) Y;
  (void) M;
  (void) X;
  (void) U;
  (void) p;
  (void) training;
  /* TODO: check the shapes, p and U; then in training M = 0 where U < p and
   * 1/(1 - p) elsewhere, at test time M = 1; and Y = X ⊙ M. */
  return GSL_EUNIMPL;
}

int
ex10_dropout_backward(gsl_matrix *dX, const gsl_matrix *dY, const gsl_matrix *M)
{
  (void) dX;
  (void) dY;
  (void) M;
  /* TODO: check the shapes; then dX = dY ⊙ M, entry by entry. */
  return GSL_EUNIMPL;
}

int
ex10_l2_penalty(const gsl_vector *w, double lambda, double *penalty, gsl_vector *grad)
{
  (void) w;
  (void) lambda;
  (void) penalty;
  (void) grad;
  /* TODO: check λ and the sizes; then (λ/2) Σ w² into *penalty and
   * grad += λ w (either may be NULL). */
  return GSL_EUNIMPL;
}

int
ex10_early_stop(const gsl_vector *dev_loss, size_t patience, double min_delta,
                size_t *best_epoch, size_t *stop_epoch)
{
  (void) dev_loss;
  (void) patience;
  (void) min_delta;
  (void) best_epoch;
  (void) stop_epoch;
  /* TODO: check the arguments; then walk the epochs from 1, keeping the best
   * loss, its epoch and the epochs waited since; stop when the wait reaches
   * patience. */
  return GSL_EUNIMPL;
}
