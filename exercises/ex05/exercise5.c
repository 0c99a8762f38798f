/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise5.c: your solutions to Exercise 5 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise5
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise5.h"

int
ex5_step(double *x, double dfdx, double lr)
{
  (void) x;
  (void) dfdx;
  (void) lr;
  /* TODO: check lr; then step against the slope. */
  return GSL_EUNIMPL;
}

int
ex5_rate(const ex5_options *opt, size_t epoch, double fx, double dfdx, double *rate)
{
  (void) opt;
  (void) epoch;
  (void) fx;
  (void) dfdx;
  (void) rate;
  /* TODO: check the options and the epoch; then one case per schedule. */
  return GSL_EUNIMPL;
}

int
ex5_descend(const gsl_function_fdf *f, double x0, const ex5_options *opt,
            gsl_vector *xs, gsl_vector *fs, gsl_vector *dfs)
{
  (void) f;
  (void) x0;
  (void) opt;
  (void) xs;
  (void) fs;
  (void) dfs;
  /* TODO: check the options and the three sizes; record the start; then
   * for each epoch: the rate, the step, and the new x, f(x), f'(x). */
  return GSL_EUNIMPL;
}
