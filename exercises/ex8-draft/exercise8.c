/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise8.c: your solutions to Exercise 8 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise8
 *
 * which compiles this file and runs the public tests on it.
 */
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
  /* TODO: check the shapes and k; then copy rows order[k·B + i] of X and y. */
  return GSL_EUNIMPL;
}

int
ex8_sgd_step(gsl_vector *theta, const gsl_vector *grad, double lr)
{
  (void) theta;
  (void) grad;
  (void) lr;
  /* TODO: check the lengths and lr; then theta ← theta − lr · grad. */
  return GSL_EUNIMPL;
}

int
ex8_train(nn_network *net, const gsl_matrix *X, const gsl_vector *y, double lr,
          size_t epochs, size_t batch_size, gsl_rng *rng)
{
  (void) net;
  (void) X;
  (void) y;
  (void) lr;
  (void) epochs;
  (void) batch_size;
  (void) rng;
  /* TODO: the loop of lecture 8: shuffle, then batch, forward, loss,
   * backward and step for every batch of every epoch. */
  return GSL_EUNIMPL;
}
