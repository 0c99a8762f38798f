/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dense.c: the dense (fully connected) layer, on a batch (see nn/dense.h). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/dense.h>

size_t
nn_dense_n_params(size_t n_in, size_t n_out)
{
  return n_out * n_in + n_out;  /* W, then b */
}

/* ===== Allocation =====
 *
 * The layer's W and b are views: W is the first N_out·N_in entries of
 * params read row by row (row j = neuron j), b the N_out entries after them.
 * gsl_matrix_view_vector needs unit stride, hence the check.
 */

static int
check_storage(const char *name, const gsl_vector *v, size_t n_in, size_t n_out)
{
  char msg[192];
  if (v->size != nn_dense_n_params(n_in, n_out)) {
    snprintf(msg, sizeof msg,
             "nn_dense_alloc: %s has %zu entries but a %zu -> %zu layer needs %zu",
             name, v->size, n_in, n_out, nn_dense_n_params(n_in, n_out));
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (v->stride != 1) {
    snprintf(msg, sizeof msg, "nn_dense_alloc: %s must have unit stride, not %zu",
             name, v->stride);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

static nn_dense *
dense_alloc(size_t n_in, size_t n_out, size_t max_batch, gsl_vector *params,
            gsl_vector *grads, int borrow)
{
  if (params == NULL || grads == NULL)
    GSL_ERROR_NULL("nn_dense_alloc: params and grads must not be NULL", GSL_EINVAL);
  if (n_in == 0 || n_out == 0 || max_batch == 0) {
    char msg[160];
    snprintf(msg, sizeof msg,
             "nn_dense_alloc: sizes must be positive, not n_in %zu, n_out %zu,"
             " max_batch %zu", n_in, n_out, max_batch);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  if (n_in >= SIZE_MAX / n_out)  /* n_out·(n_in + 1) must fit in a size_t */
    GSL_ERROR_NULL("nn_dense_alloc: the layer is too large", GSL_EINVAL);
  if (check_storage("params", params, n_in, n_out) != GSL_SUCCESS
      || check_storage("grads", grads, n_in, n_out) != GSL_SUCCESS)
    return NULL;

  nn_dense *layer = malloc(sizeof *layer);
  if (layer == NULL)
    GSL_ERROR_NULL("nn_dense_alloc: out of memory for the layer", GSL_ENOMEM);
  layer->X_cache = borrow ? NULL : gsl_matrix_alloc(max_batch, n_in);
  if (!borrow && layer->X_cache == NULL) {
    free(layer);  /* free what was built before reporting */
    GSL_ERROR_NULL("nn_dense_alloc: out of memory for the input cache", GSL_ENOMEM);
  }
  layer->n_in = n_in;
  layer->n_out = n_out;
  layer->max_batch = max_batch;
  layer->batch = 0;
  const size_t n_W = n_out * n_in;
  layer->W = gsl_matrix_view_vector(params, n_out, n_in);
  layer->b = gsl_vector_subvector(params, n_W, n_out);
  layer->dW = gsl_matrix_view_vector(grads, n_out, n_in);
  layer->db = gsl_vector_subvector(grads, n_W, n_out);
  return layer;
}

nn_dense *
nn_dense_alloc(size_t n_in, size_t n_out, size_t max_batch, gsl_vector *params,
               gsl_vector *grads)
{
  return dense_alloc(n_in, n_out, max_batch, params, grads, 0);
}

nn_dense *
nn_dense_alloc_borrowing(size_t n_in, size_t n_out, size_t max_batch, gsl_vector *params,
                         gsl_vector *grads)
{
  return dense_alloc(n_in, n_out, max_batch, params, grads, 1);
}

void
nn_dense_free(nn_dense *layer)
{
  if (layer == NULL)
    return;
  if (layer->X_cache != NULL)
    gsl_matrix_free(layer->X_cache);
  free(layer);
}

/* ===== Forward ===== */

int
nn_dense_forward(nn_dense *layer, gsl_matrix *Y, const gsl_matrix *X)
{
  if (layer == NULL || Y == NULL || X == NULL)
    GSL_ERROR("nn_dense_forward: layer, Y and X must not be NULL", GSL_EINVAL);
  char msg[192];
  if (X->size2 != layer->n_in) {
    snprintf(msg, sizeof msg, "nn_dense_forward: X is %zux%zu but the layer takes %zu"
             " inputs", X->size1, X->size2, layer->n_in);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (X->size1 == 0 || X->size1 > layer->max_batch) {
    snprintf(msg, sizeof msg, "nn_dense_forward: X is %zux%zu but the layer takes"
             " batches of 1 to %zu rows", X->size1, X->size2, layer->max_batch);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (Y->size1 != X->size1 || Y->size2 != layer->n_out) {
    snprintf(msg, sizeof msg, "nn_dense_forward: X is %zux%zu so Y must be %zux%zu,"
             " not %zux%zu", X->size1, X->size2, X->size1, layer->n_out,
             Y->size1, Y->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t B = X->size1;

  // keep X (a copy, or a view when borrowing): the backward pass needs it for dW = dYᵀ X
  if (layer->X_cache != NULL) {
    gsl_matrix_view Xc = gsl_matrix_submatrix(layer->X_cache, 0, 0, B, layer->n_in);
    gsl_matrix_memcpy(&Xc.matrix, X);
    layer->X_rows = Xc;
  } else {
    /* a copy of X's description (X itself may be a view on the caller's
     * stack), pointing at X's numbers */
    layer->X_rows.matrix = *X;
    layer->X_rows.matrix.owner = 0;
  }
  layer->X_seen = &layer->X_rows.matrix;
  layer->batch = B;

  // Y = b in every row (the same biases for every sample), then
  // Y += X Wᵀ: entry (b, j) is sample b's row of X dotted with neuron j's row of W
  for (size_t r = 0; r < B; r++)
    memcpy(gsl_matrix_ptr(Y, r, 0), layer->b.vector.data, layer->n_out * sizeof(double));
  return gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, layer->X_seen, &layer->W.matrix,
                        1.0, Y);
}

/* ===== Backward =====
 *
 * Why these three products: Y_bj = b_j + Σ_i W_ji X_bi, so
 *   ∂Y_bj/∂X_bi = W_ji  ->  dX_bi = Σ_j dY_bj W_ji        (dX = dY W)
 *   ∂Y_bj/∂W_ji = X_bi  ->  dW_ji = Σ_b dY_bj X_bi        (dW = dYᵀ X)
 *   ∂Y_bj/∂b_j  = 1     ->  db_j  = Σ_b dY_bj             (column sums)
 * The sums over b are there because every sample uses the same W and b.
 */

int
nn_dense_backward(nn_dense *layer, gsl_matrix *dX, const gsl_matrix *dY)
{
  if (layer == NULL || dY == NULL)
    GSL_ERROR("nn_dense_backward: layer and dY must not be NULL", GSL_EINVAL);
  if (layer->batch == 0)
    GSL_ERROR("nn_dense_backward: called before any forward pass (no X to use)",
              GSL_EINVAL);
  char msg[192];
  const size_t B = layer->batch;
  if (dY->size1 != B || dY->size2 != layer->n_out) {
    snprintf(msg, sizeof msg, "nn_dense_backward: dY is %zux%zu but the last forward"
             " gave Y of %zux%zu", dY->size1, dY->size2, B, layer->n_out);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (dX != NULL && (dX->size1 != B || dX->size2 != layer->n_in)) {
    snprintf(msg, sizeof msg, "nn_dense_backward: dX is %zux%zu but the last forward"
             " took X of %zux%zu", dX->size1, dX->size2, B, layer->n_in);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  int status = GSL_SUCCESS;
  if (dX != NULL)  // dX = dY W, overwritten
    status = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, dY, &layer->W.matrix,
                            0.0, dX);
  if (status == GSL_SUCCESS)  // dW += dYᵀ X (beta = 1: accumulate)
    status = gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, dY, layer->X_seen, 1.0,
                            &layer->dW.matrix);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t r = 0; r < B; r++) {  // db += each row of dY
    gsl_vector_const_view dy = gsl_matrix_const_row(dY, r);
    gsl_blas_daxpy(1.0, &dy.vector, &layer->db.vector);
  }
  return GSL_SUCCESS;
}
