/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exercise3.c: your solutions to Exercise 3 (see README.md).
 *
 * Replace each TODO with your code. Check your work with
 *
 *   make exercise3
 *
 * which compiles this file and runs the public tests on it.
 */
#include "exercise3.h"

int
ex3_dense_forward(const gsl_matrix *X, const gsl_matrix *W, const gsl_vector *b,
                  gsl_matrix *Y)
{
  (void) X;
  (void) W;
  (void) b;
  (void) Y;
  /* TODO: check the four shapes; then Y[r][j] = b_j + Σ_i W[j][i] X[r][i]. */
  return GSL_EUNIMPL;
}

int
ex3_softmax(const gsl_vector *z, double T, gsl_vector *p)
{
  (void) z;
  (void) T;
  (void) p;
  /* TODO: check T and the sizes; subtract the largest score before exp. */
  return GSL_EUNIMPL;
}

int
ex3_forward(const ex3_layer layers[], size_t n_layers, const gsl_matrix *X,
            gsl_matrix *Y)
{
  (void) layers;
  (void) n_layers;
  (void) X;
  (void) Y;
  /* TODO: check every layer and Y; then one dense layer and its activation
   * after the other, keeping each layer's output for the next. */
  return GSL_EUNIMPL;
}
