/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise2.c: your solutions to Exercise 2 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise2
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise2.h"

int
ex2_weighted_sum(const gsl_vector *w, double w0, const gsl_vector *x, double *z)
{
  (void) w;
  (void) w0;
  (void) x;
  (void) z;
  /* TODO: check the sizes; then start from the bias and add w_i x_i. */
  return GSL_EUNIMPL;
}

int
ex2_activate(ex2_activation kind, double slope, const gsl_vector *z, gsl_vector *a)
{
  (void) kind;
  (void) slope;
  (void) z;
  (void) a;
  /* TODO: check the kind, the slope (leaky ReLU only) and the sizes; then
   * g(z_i) for every entry, with a switch on the kind. */
  return GSL_EUNIMPL;
}

int
ex2_activate_deriv(ex2_activation kind, double slope, const gsl_vector *z,
                   gsl_vector *d)
{
  (void) kind;
  (void) slope;
  (void) z;
  (void) d;
  /* TODO: the same checks; then g'(z_i) for every entry. */
  return GSL_EUNIMPL;
}

int
ex2_perceptron_update(gsl_vector *w, double *w0, const gsl_vector *x, double y,
                      double lr, int *mistake)
{
  (void) w;
  (void) w0;
  (void) x;
  (void) y;
  (void) lr;
  (void) mistake;
  /* TODO: check the sizes, the rate and the label; predict; then move w
   * and w0 by lr (y - ŷ) when the prediction was wrong. */
  return GSL_EUNIMPL;
}
