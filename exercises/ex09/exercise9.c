/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise9.c: your solutions to Exercise 9 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise9
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise9.h"

int
ex9_momentum_step(gsl_vector *theta, gsl_vector *b, const gsl_vector *g, double lr,
                  double mu)
{
  (void) theta;
  (void) b;
  (void) g;
  (void) lr;
  (void) mu;
  /* TODO: check the sizes, lr and mu; then update b, then theta. */
  return GSL_EUNIMPL;
}

int
ex9_rmsprop_step(gsl_vector *theta, gsl_vector *v, const gsl_vector *g, double lr,
                 double alpha, double eps)
{
  (void) theta;
  (void) v;
  (void) g;
  (void) lr;
  (void) alpha;
  (void) eps;
  /* TODO: check the sizes and the hyper-parameters; then update v, then theta. */
  return GSL_EUNIMPL;
}

int
ex9_adam_step(gsl_vector *theta, gsl_vector *m, gsl_vector *v, const gsl_vector *g,
              size_t t, double lr, double beta1, double beta2, double eps)
{
  (void) theta;
  (void) m;
  (void) v;
  (void) g;
  (void) t;
  (void) lr;
  (void) beta1;
  (void) beta2;
  (void) eps;
  /* TODO: check the sizes, t and the hyper-parameters; then update m and v,
   * correct their bias, and step. */
  return GSL_EUNIMPL;
}

int
ex9_clip_grad_norm(gsl_vector *g, double max_norm, double *norm)
{
  (void) g;
  (void) max_norm;
  (void) norm;
  /* TODO: check max_norm; then the norm of g, and scale g when it is too long. */
  return GSL_EUNIMPL;
}
