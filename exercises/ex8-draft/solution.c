/* SPDX-License-Identifier: GPL-3.0-or-later */
/* solution.c: a reference solution of Exercise 8 (see README.md). */
#include <math.h>
#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_randist.h>
#include <nn/loss.h>

#include "exercise8.h"

int
ex8_batch_count(size_t n, size_t batch_size, size_t *count)
{
  if (count == NULL)
    GSL_ERROR("ex8_batch_count: count must not be NULL", GSL_EINVAL);
  if (batch_size == 0)
    GSL_ERROR("ex8_batch_count: the batch size must be at least 1", GSL_EDOM);
  *count = n / batch_size + (n % batch_size != 0);
  return GSL_SUCCESS;
}

int
ex8_batch(const gsl_matrix *X, const gsl_vector *y, const gsl_permutation *order,
          size_t k, gsl_matrix *Xb, gsl_vector *yb, size_t *rows)
{
  if (X == NULL || y == NULL || order == NULL || Xb == NULL || yb == NULL
      || rows == NULL)
    GSL_ERROR("ex8_batch: no argument may be NULL", GSL_EINVAL);
  const size_t n = X->size1, B = Xb->size1;
  char msg[160];
  if (y->size != n || order->size != n) {
    snprintf(msg, sizeof msg, "ex8_batch: X has %zu rows, y %zu entries, order %zu",
             n, y->size, order->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (Xb->size2 != X->size2 || yb->size != B) {
    snprintf(msg, sizeof msg, "ex8_batch: Xb is %zux%zu and yb has %zu entries, for "
             "samples of %zu inputs", B, Xb->size2, yb->size, X->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (k >= n / B + (n % B != 0)) {
    snprintf(msg, sizeof msg, "ex8_batch: batch %zu is past the last of %zu rows in "
             "batches of %zu", k, n, B);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t first = k * B, count = first + B <= n ? B : n - first;
  for (size_t i = 0; i < count; i++) {
    const size_t r = gsl_permutation_get(order, first + i);
    gsl_vector_const_view row = gsl_matrix_const_row(X, r);
    gsl_matrix_set_row(Xb, i, &row.vector);
    gsl_vector_set(yb, i, gsl_vector_get(y, r));
  }
  *rows = count;
  return GSL_SUCCESS;
}

int
ex8_sgd_step(gsl_vector *theta, const gsl_vector *grad, double lr)
{
  if (theta == NULL || grad == NULL)
    GSL_ERROR("ex8_sgd_step: theta and grad must not be NULL", GSL_EINVAL);
  if (theta->size != grad->size) {
    char msg[128];
    snprintf(msg, sizeof msg, "ex8_sgd_step: theta has %zu entries but grad %zu",
             theta->size, grad->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (!isfinite(lr) || lr <= 0)
    GSL_ERROR("ex8_sgd_step: the learning rate must be finite and positive", GSL_EDOM);
  return gsl_blas_daxpy(-lr, grad, theta);
}

int
ex8_train(nn_network *net, const gsl_matrix *X, const gsl_vector *y, double lr,
          size_t epochs, size_t batch_size, gsl_rng *rng)
{
  if (net == NULL || X == NULL || y == NULL || rng == NULL)
    GSL_ERROR("ex8_train: no argument may be NULL", GSL_EINVAL);
  if (epochs == 0 || batch_size == 0)
    GSL_ERROR("ex8_train: epochs and the batch size must be at least 1", GSL_EDOM);
  const size_t n = X->size1, d = X->size2;
  if (X->size2 != net->sizes[0] || y->size != n || net->sizes[net->n_layers] != 1
      || batch_size > net->max_batch || n == 0)
    GSL_ERROR("ex8_train: X, y or the batch size do not fit the network", GSL_EBADLEN);
  if (!isfinite(lr) || lr <= 0)
    GSL_ERROR("ex8_train: the learning rate must be finite and positive", GSL_EDOM);
  const size_t B = batch_size < n ? batch_size : n;
  gsl_permutation *order = gsl_permutation_alloc(n);
  gsl_matrix *Xb = gsl_matrix_alloc(B, d), *dY = gsl_matrix_alloc(B, 1);
  gsl_vector *yb = gsl_vector_alloc(B);
  int status = GSL_SUCCESS;
  size_t count = 0;
  ex8_batch_count(n, B, &count);
  for (size_t e = 0; e < epochs && status == GSL_SUCCESS; e++) {
    gsl_permutation_init(order);
    gsl_ran_shuffle(rng, order->data, n, sizeof order->data[0]);
    for (size_t k = 0; k < count && status == GSL_SUCCESS; k++) {
      size_t rows;
      status = ex8_batch(X, y, order, k, Xb, yb, &rows);
      if (status != GSL_SUCCESS)
        break;
      gsl_matrix_view Xr = gsl_matrix_submatrix(Xb, 0, 0, rows, d);
      gsl_matrix_view G = gsl_matrix_submatrix(dY, 0, 0, rows, 1);
      gsl_matrix_const_view Y = gsl_matrix_const_view_vector(yb, rows, 1);
      nn_network_zero_grad(net);
      status = nn_network_forward(net, NULL, &Xr.matrix);
      if (status == GSL_SUCCESS)
        status = nn_loss_bce(NULL, NULL, &G.matrix, nn_network_output(net), &Y.matrix);
      if (status == GSL_SUCCESS)
        status = nn_network_backward(net, NULL, &G.matrix);
      if (status == GSL_SUCCESS)
        status = ex8_sgd_step(net->params, net->grads, lr);
    }
  }
  gsl_permutation_free(order);
  gsl_matrix_free(Xb);
  gsl_matrix_free(dY);
  gsl_vector_free(yb);
  return status;
}
