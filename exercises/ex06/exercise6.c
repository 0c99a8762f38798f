/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise6.c: your solutions to Exercise 6 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise6
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise6.h"

int
ex6_peaks(const gsl_vector *p, double *z)
{
  (void) p;
  (void) z;
  /* TODO: check the size of p; then the three terms of peaks. */
  return GSL_EUNIMPL;
}

int
ex6_peaks_gradient(const gsl_vector *p, gsl_vector *grad)
{
  (void) p;
  (void) grad;
  /* TODO: check both sizes; then ∂z/∂x and ∂z/∂y, term by term. */
  return GSL_EUNIMPL;
}

int
ex6_step(gsl_vector *p, const gsl_vector *grad, double lr, int ascent)
{
  (void) p;
  (void) grad;
  (void) lr;
  (void) ascent;
  /* TODO: check the sizes and lr; then move every entry of p at once. */
  return GSL_EUNIMPL;
}

int
ex6_descend(const gsl_vector *p0, double lr, int ascent, gsl_matrix *path,
            gsl_vector *z)
{
  (void) p0;
  (void) lr;
  (void) ascent;
  (void) path;
  (void) z;
  /* TODO: check every size and lr; then record p_0, z_0 and take
   * path->size1 - 1 steps with your gradient and your step. */
  return GSL_EUNIMPL;
}
