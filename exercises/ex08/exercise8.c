/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise8.c: your solutions to Exercise 8 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise8
 *
 * which compiles this file and runs the public tests on it.
 */
#include <gsl/gsl_randist.h>  /* gsl_ran_shuffle */

#include "exercise8.h"

int
ex8_batch_count(size_t n, size_t batch_size, size_t *count)
{
  (void) n;
  (void) batch_size;
  (void) count;
  /* TODO: refuse a batch size of 0; then ⌈n / batch_size⌉ in whole numbers. */
  return GSL_EUNIMPL;
}

int
ex8_batch(const gsl_matrix *X, const gsl_vector *y, const gsl_permutation *order,
          size_t k, gsl_matrix *Xb, gsl_vector *yb, size_t *rows)
{
  (void) X;
  (void) y;
  (void) order;
  (void) k;
  (void) Xb;
  (void) yb;
  (void) rows;
  /* TODO: check every shape and k; then copy the rows order[k·B + i] of X
   * and the entries order[k·B + i] of y. */
  return GSL_EUNIMPL;
}

int
ex8_neuron_gradient(const gsl_vector *theta, const gsl_matrix *X, const gsl_vector *y,
                    gsl_vector *grad, double *cost)
{
  (void) theta;
  (void) X;
  (void) y;
  (void) grad;
  (void) cost;
  /* TODO: check the sizes and the labels; then for every row z = w·x + b,
   * its loss and its share (p - y) of the gradient, divided by B. */
  return GSL_EUNIMPL;
}

int
ex8_sgd_step(gsl_vector *theta, const gsl_vector *grad, double lr)
{
  (void) theta;
  (void) grad;
  (void) lr;
  /* TODO: check the sizes and lr; then theta ← theta − lr · grad. */
  return GSL_EUNIMPL;
}

int
ex8_train(gsl_vector *theta, const gsl_matrix *X, const gsl_vector *y, double lr,
          size_t epochs, size_t batch_size, gsl_rng *rng)
{
  (void) theta;
  (void) X;
  (void) y;
  (void) lr;
  (void) epochs;
  (void) batch_size;
  (void) rng;
  /* TODO: check everything; allocate order, Xb, yb and grad once; then for
   * every epoch shuffle and take one step per batch; free what you
   * allocated. */
  return GSL_EUNIMPL;
}
