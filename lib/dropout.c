/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dropout.c: inverted dropout (see nn/dropout.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/dropout.h>

nn_dropout *
nn_dropout_alloc(size_t n, size_t max_batch, double p)
{
  if (n == 0 || max_batch == 0)
    GSL_ERROR_NULL("nn_dropout_alloc: the units per sample and max_batch must be >= 1",
                   GSL_EINVAL);
  if (!(p >= 0 && p < 1)) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_dropout_alloc: p = %g: the probability of dropping a "
             "unit must be in [0, 1)", p);
    GSL_ERROR_NULL(msg, GSL_EDOM);
  }
  nn_dropout *d = calloc(1, sizeof *d);
  if (d == NULL)
    GSL_ERROR_NULL("nn_dropout_alloc: out of memory", GSL_ENOMEM);
  d->mask = gsl_matrix_alloc(max_batch, n);
  if (d->mask == NULL) {
    free(d);
    GSL_ERROR_NULL("nn_dropout_alloc: out of memory for the mask", GSL_ENOMEM);
  }
  d->n = n;
  d->max_batch = max_batch;
  d->p = p;
  d->training = 1;
  return d;
}

void
nn_dropout_free(nn_dropout *d)
{
  if (d == NULL)
    return;
  gsl_matrix_free(d->mask);
  free(d);
}

void
nn_dropout_train(nn_dropout *d, int training)
{
  if (d != NULL)
    d->training = training != 0;
}

/* Both matrices (B, N) with 1 <= B <= max_batch. */
static int
check_shapes(const nn_dropout *d, const char *who, const char *a_name, const gsl_matrix *a,
             const char *b_name, const gsl_matrix *b)
{
  char msg[256];
  if (a == NULL || b == NULL) {
    snprintf(msg, sizeof msg, "%s: %s and %s must not be NULL", who, a_name, b_name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (a->size2 != d->n || b->size1 != a->size1 || b->size2 != a->size2 || a->size1 == 0
      || a->size1 > d->max_batch) {
    snprintf(msg, sizeof msg,
             "%s: %s is %zux%zu and %s %zux%zu, but the layer takes (B, %zu) with "
             "1 <= B <= %zu", who, a_name, a->size1, a->size2, b_name, b->size1, b->size2,
             d->n, d->max_batch);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
nn_dropout_forward(nn_dropout *d, gsl_rng *r, gsl_matrix *Y, const gsl_matrix *X)
{
  if (d == NULL)
    GSL_ERROR("nn_dropout_forward: the layer must not be NULL", GSL_EINVAL);
  int s = check_shapes(d, "nn_dropout_forward", "X", X, "Y", Y);
  if (s != GSL_SUCCESS)
    return s;
  if (d->training && r == NULL)
    GSL_ERROR("nn_dropout_forward: training mode needs a random generator", GSL_EINVAL);
  const size_t B = X->size1, N = d->n;
  d->batch = B;
  if (!d->training) {
    if (Y != X)
      gsl_matrix_memcpy(Y, X);
    return GSL_SUCCESS;
  }
  const double keep = 1.0 / (1.0 - d->p);
  for (size_t i = 0; i < B; i++) {
    double *m = gsl_matrix_ptr(d->mask, i, 0);
    const double *x = gsl_matrix_const_ptr(X, i, 0);
    double *y = gsl_matrix_ptr(Y, i, 0);
    for (size_t j = 0; j < N; j++) {
      m[j] = gsl_rng_uniform(r) < d->p ? 0.0 : keep;
      y[j] = x[j] * m[j];
    }
  }
  return GSL_SUCCESS;
}

int
nn_dropout_backward(nn_dropout *d, gsl_matrix *dX, const gsl_matrix *dY)
{
  if (d == NULL)
    GSL_ERROR("nn_dropout_backward: the layer must not be NULL", GSL_EINVAL);
  if (d->batch == 0)
    GSL_ERROR("nn_dropout_backward: no forward pass to go back through", GSL_EINVAL);
  int s = check_shapes(d, "nn_dropout_backward", "dY", dY, "dX", dX);
  if (s != GSL_SUCCESS)
    return s;
  if (dY->size1 != d->batch) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_dropout_backward: dY has %zu rows but the last forward "
             "had %zu", dY->size1, d->batch);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (!d->training) {
    if (dX != dY)
      gsl_matrix_memcpy(dX, dY);
    return GSL_SUCCESS;
  }
  for (size_t i = 0; i < d->batch; i++) {
    const double *m = gsl_matrix_const_ptr(d->mask, i, 0);
    const double *g = gsl_matrix_const_ptr(dY, i, 0);
    double *out = gsl_matrix_ptr(dX, i, 0);
    for (size_t j = 0; j < d->n; j++)
      out[j] = g[j] * m[j];
  }
  return GSL_SUCCESS;
}
