/* SPDX-License-Identifier: GPL-3.0-or-later */
/* solution.c: a reference solution of Exercise 10, for the grader's test
 * fixtures (never shipped to students). It earns full marks. */
#include <math.h>

#include "exercise10.h"

/* A and B are both (rows, cols) of the first. */
static int
same_shape(const gsl_matrix *a, const gsl_matrix *b)
{
  return a->size1 == b->size1 && a->size2 == b->size2;
}

int
ex10_dropout_forward(gsl_matrix *Y, gsl_matrix *M, const gsl_matrix *X,
                     const gsl_matrix *U, double p, int training)
{
  if (Y == NULL || M == NULL || X == NULL || (training && U == NULL))
    GSL_ERROR("Y, M, X (and U in training) must not be NULL", GSL_EINVAL);
  if (!same_shape(X, Y) || !same_shape(X, M) || (training && !same_shape(X, U)))
    GSL_ERROR("X, Y, M (and U in training) must have the same shape", GSL_EBADLEN);
  if (!(p >= 0.0 && p < 1.0))
    GSL_ERROR("p must be in [0, 1)", GSL_EDOM);
  if (training)  /* check every draw before writing anything */
    for (size_t i = 0; i < X->size1; i++)
      for (size_t j = 0; j < X->size2; j++) {
        double u = gsl_matrix_get(U, i, j);
        if (!(u >= 0.0 && u < 1.0))
          GSL_ERROR("every U_ij must be in [0, 1)", GSL_EDOM);
      }
  const double keep = 1.0 / (1.0 - p);
  for (size_t i = 0; i < X->size1; i++)
    for (size_t j = 0; j < X->size2; j++) {
      double m = !training ? 1.0 : gsl_matrix_get(U, i, j) < p ? 0.0 : keep;
      gsl_matrix_set(M, i, j, m);
      gsl_matrix_set(Y, i, j, gsl_matrix_get(X, i, j) * m);  /* right when Y == X */
    }
  return GSL_SUCCESS;
}

int
ex10_dropout_backward(gsl_matrix *dX, const gsl_matrix *dY, const gsl_matrix *M)
{
  if (dX == NULL || dY == NULL || M == NULL)
    GSL_ERROR("dX, dY and M must not be NULL", GSL_EINVAL);
  if (!same_shape(dY, dX) || !same_shape(dY, M))
    GSL_ERROR("dX, dY and M must have the same shape", GSL_EBADLEN);
  for (size_t i = 0; i < dY->size1; i++)
    for (size_t j = 0; j < dY->size2; j++)
      gsl_matrix_set(dX, i, j, gsl_matrix_get(dY, i, j) * gsl_matrix_get(M, i, j));
  return GSL_SUCCESS;
}

int
ex10_l2_penalty(const gsl_vector *w, double lambda, double *penalty, gsl_vector *grad)
{
  if (w == NULL)
    GSL_ERROR("w must not be NULL", GSL_EINVAL);
  if (w->size == 0 || (grad != NULL && grad->size != w->size))
    GSL_ERROR("w must not be empty, and grad must have as many entries", GSL_EBADLEN);
  if (!(isfinite(lambda) && lambda >= 0.0))
    GSL_ERROR("lambda must be finite and >= 0", GSL_EDOM);
  double sum = 0.0;
  for (size_t k = 0; k < w->size; k++) {
    double wk = gsl_vector_get(w, k);
    sum += wk * wk;
    if (grad != NULL)
      gsl_vector_set(grad, k, gsl_vector_get(grad, k) + lambda * wk);  /* += λw */
  }
  if (penalty != NULL)
    *penalty = 0.5 * lambda * sum;
  return GSL_SUCCESS;
}

int
ex10_early_stop(const gsl_vector *dev_loss, size_t patience, double min_delta,
                size_t *best_epoch, size_t *stop_epoch)
{
  if (dev_loss == NULL || best_epoch == NULL || stop_epoch == NULL)
    GSL_ERROR("dev_loss, best_epoch and stop_epoch must not be NULL", GSL_EINVAL);
  if (dev_loss->size == 0)
    GSL_ERROR("dev_loss must have at least one epoch", GSL_EBADLEN);
  if (patience == 0 || !(isfinite(min_delta) && min_delta >= 0.0))
    GSL_ERROR("patience must be >= 1 and min_delta finite and >= 0", GSL_EDOM);
  for (size_t e = 0; e < dev_loss->size; e++)
    if (isnan(gsl_vector_get(dev_loss, e)))
      GSL_ERROR("a dev loss is not a number", GSL_EDOM);
  double best = INFINITY;
  size_t best_at = 0, waited = 0, stop = 0;
  for (size_t e = 1; e <= dev_loss->size && stop == 0; e++) {
    double loss = gsl_vector_get(dev_loss, e - 1);
    if (loss < best - min_delta) {
      best = loss;
      best_at = e;
      waited = 0;
    } else if (++waited == patience) {
      stop = e;
    }
  }
  if (best_at == 0)  /* every loss was +∞: the first epoch is as good as any */
    best_at = 1;
  *best_epoch = best_at;
  *stop_epoch = stop;
  return GSL_SUCCESS;
}
