/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise11.c: your solutions to Exercise 11 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise11
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise11.h"

int
ex11_argmax(gsl_vector *classes, const gsl_matrix *Y)
{
  (void) classes;
  (void) Y;
  /* TODO: check the sizes and every score; then for each row b, walk the
   * columns from 0 and keep the first index of the largest score. */
  return GSL_EUNIMPL;
}

int
ex11_accuracy(double *accuracy, const gsl_matrix *Y, const gsl_vector *labels)
{
  (void) accuracy;
  (void) Y;
  (void) labels;
  /* TODO: check the sizes, the scores and every label; then count the rows
   * whose argmax is their label, and divide by the number of rows. */
  return GSL_EUNIMPL;
}

int
ex11_confusion(gsl_matrix *C, const gsl_vector *truth, const gsl_vector *predicted)
{
  (void) C;
  (void) truth;
  (void) predicted;
  /* TODO: check the sizes and every label; then set C to zero and add 1 to
   * C[truth[n]][predicted[n]] for each sample n. */
  return GSL_EUNIMPL;
}

int
ex11_one_hot(gsl_matrix *Y, const gsl_vector *labels)
{
  (void) Y;
  (void) labels;
  /* TODO: check the sizes and every label; then write 0 everywhere in Y
   * and 1 at Y[b][labels[b]]. */
  return GSL_EUNIMPL;
}
