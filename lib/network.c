/* SPDX-License-Identifier: GPL-3.0-or-later */
/* network.c: a sequential network of dense layers (see nn/network.h). */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include <nn/network.h>

/* ===== Allocation =====
 *
 * First the sizes are checked and the parameter count is added up, then one
 * params vector and its twin are allocated, and only then the layers, each
 * given the slice of params (and grads) that holds its W and b. Everything
 * is allocated with calloc-like zeroing, so that nn_network_free() can undo
 * a construction that stopped half-way.
 */

nn_network *
nn_network_alloc(const size_t sizes[], size_t n_sizes,
                 const nn_activation_kind activations[], size_t max_batch)
{
  char msg[192];
  if (sizes == NULL || activations == NULL)
    GSL_ERROR_NULL("nn_network_alloc: sizes and activations must not be NULL",
                   GSL_EINVAL);
  if (n_sizes < 2) {
    snprintf(msg, sizeof msg, "nn_network_alloc: a network needs at least 2 sizes"
             " (inputs and outputs), not %zu", n_sizes);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  if (max_batch == 0)
    GSL_ERROR_NULL("nn_network_alloc: max_batch must be positive, not 0", GSL_EINVAL);
  const size_t L = n_sizes - 1;
  size_t n_params = 0;
  for (size_t l = 0; l <= L; l++)
    if (sizes[l] == 0) {
      snprintf(msg, sizeof msg, "nn_network_alloc: sizes[%zu] is 0 (every layer needs"
               " at least one unit)", l);
      GSL_ERROR_NULL(msg, GSL_EINVAL);
    }
  for (size_t l = 0; l < L; l++) {
    if ((int) activations[l] < 0 || (int) activations[l] >= (int) NN_ACTIVATION_COUNT) {
      snprintf(msg, sizeof msg, "nn_network_alloc: activations[%zu] is %d, not a known"
               " activation kind", l, (int) activations[l]);
      GSL_ERROR_NULL(msg, GSL_EINVAL);
    }
    if (sizes[l] >= SIZE_MAX / sizes[l + 1]
        || nn_dense_n_params(sizes[l], sizes[l + 1]) > SIZE_MAX - n_params)
      GSL_ERROR_NULL("nn_network_alloc: the network is too large", GSL_EINVAL);
    n_params += nn_dense_n_params(sizes[l], sizes[l + 1]);
  }

  nn_network *net = calloc(1, sizeof *net);
  if (net == NULL)
    GSL_ERROR_NULL("nn_network_alloc: out of memory", GSL_ENOMEM);
  net->n_layers = L;
  net->max_batch = max_batch;
  net->sizes = malloc(n_sizes * sizeof net->sizes[0]);
  net->layers = calloc(L, sizeof net->layers[0]);
  net->params = gsl_vector_calloc(n_params);
  net->grads = gsl_vector_calloc(n_params);
  if (net->sizes == NULL || net->layers == NULL || net->params == NULL
      || net->grads == NULL)
    goto no_memory;
  for (size_t l = 0; l <= L; l++)
    net->sizes[l] = sizes[l];

  size_t offset = 0;  // where layer l's W starts in params
  for (size_t l = 0; l < L; l++) {
    nn_network_layer *layer = &net->layers[l];
    const size_t n_in = sizes[l], n_out = sizes[l + 1];
    const size_t n = nn_dense_n_params(n_in, n_out);
    gsl_vector_view p = gsl_vector_subvector(net->params, offset, n);
    gsl_vector_view g = gsl_vector_subvector(net->grads, offset, n);
    // the layer keeps views of the data, not of p and g themselves
    layer->dense = nn_dense_alloc_borrowing(n_in, n_out, max_batch, &p.vector, &g.vector);
    layer->activation = activations[l];
    layer->slope = NN_ACTIVATION_LEAKY_SLOPE;
    layer->Z = gsl_matrix_alloc(max_batch, n_out);
    layer->A = gsl_matrix_alloc(max_batch, n_out);
    layer->dA = gsl_matrix_alloc(max_batch, n_out);
    if (layer->dense == NULL || layer->Z == NULL || layer->A == NULL
        || layer->dA == NULL)
      goto no_memory;
    offset += n;
  }
  return net;

no_memory:
  nn_network_free(net);  // frees whatever was built; the rest is NULL
  GSL_ERROR_NULL("nn_network_alloc: out of memory", GSL_ENOMEM);
}

void
nn_network_free(nn_network *net)
{
  if (net == NULL)
    return;
  if (net->layers != NULL)
    for (size_t l = 0; l < net->n_layers; l++) {
      nn_dense_free(net->layers[l].dense);
      gsl_matrix_free(net->layers[l].Z);
      gsl_matrix_free(net->layers[l].A);
      gsl_matrix_free(net->layers[l].dA);
    }
  free(net->layers);
  gsl_vector_free(net->params);
  gsl_vector_free(net->grads);
  free(net->sizes);
  free(net);
}

/* ===== Set-up ===== */

int
nn_network_init(nn_network *net, gsl_rng *rng)
{
  if (net == NULL || rng == NULL)
    GSL_ERROR("nn_network_init: net and rng must not be NULL", GSL_EINVAL);
  for (size_t l = 0; l < net->n_layers; l++) {
    nn_network_layer *layer = &net->layers[l];
    const double n_in = (double) net->sizes[l], n_out = (double) net->sizes[l + 1];
    /* Var(z) = n_in Var(w) Var(x): a variance of 2/n_in makes up for the half
     * of the signal a ReLU cuts off (He); 2/(n_in + n_out) keeps both the
     * forward signal and the backward gradient near their size (Glorot). */
    const int relu_like = layer->activation == NN_ACTIVATION_RELU
                          || layer->activation == NN_ACTIVATION_LEAKY_RELU;
    const double sigma = relu_like ? sqrt(2.0 / n_in) : sqrt(2.0 / (n_in + n_out));
    gsl_matrix *W = &layer->dense->W.matrix;
    for (size_t j = 0; j < W->size1; j++)
      for (size_t i = 0; i < W->size2; i++)
        gsl_matrix_set(W, j, i, gsl_ran_gaussian(rng, sigma));
    gsl_vector_set_zero(&layer->dense->b.vector);
  }
  gsl_vector_set_zero(net->grads);
  return GSL_SUCCESS;
}

/* Is LAYER an index of NET's layers? Reports when not. */
static int
check_layer(const char *who, const nn_network *net, size_t layer)
{
  char msg[128];
  if (net == NULL) {
    snprintf(msg, sizeof msg, "%s: net must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (layer >= net->n_layers) {
    snprintf(msg, sizeof msg, "%s: layer %zu asked of a network of %zu layers", who,
             layer, net->n_layers);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
nn_network_set_slope(nn_network *net, size_t layer, double slope)
{
  int status = check_layer("nn_network_set_slope", net, layer);
  if (status != GSL_SUCCESS)
    return status;
  if (!(slope >= 0.0 && slope < 1.0)) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_network_set_slope: a leaky ReLU's slope must be in"
             " [0, 1), not %g", slope);
    GSL_ERROR(msg, GSL_EDOM);
  }
  net->layers[layer].slope = slope;
  return GSL_SUCCESS;
}

void
nn_network_zero_grad(nn_network *net)
{
  if (net != NULL)
    gsl_vector_set_zero(net->grads);
}

/* ===== Forward =====
 *
 * Layer by layer, Z_l = dense(A_(l-1)) and A_l = g_l(Z_l), both kept: the
 * backward pass needs Z_l for g'(Z_l), and each dense layer keeps its input.
 * Only the first B rows of each buffer are used: views, not copies.
 */

int
nn_network_forward(nn_network *net, gsl_matrix *Y, const gsl_matrix *X)
{
  if (net == NULL || X == NULL)
    GSL_ERROR("nn_network_forward: net and X must not be NULL", GSL_EINVAL);
  char msg[192];
  const size_t L = net->n_layers, n_in = net->sizes[0], n_out = net->sizes[L];
  if (X->size2 != n_in) {
    snprintf(msg, sizeof msg, "nn_network_forward: X is %zux%zu but the network takes"
             " %zu inputs", X->size1, X->size2, n_in);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (X->size1 == 0 || X->size1 > net->max_batch) {
    snprintf(msg, sizeof msg, "nn_network_forward: X is %zux%zu but the network takes"
             " batches of 1 to %zu rows", X->size1, X->size2, net->max_batch);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (Y != NULL && (Y->size1 != X->size1 || Y->size2 != n_out)) {
    snprintf(msg, sizeof msg, "nn_network_forward: X is %zux%zu so Y must be %zux%zu,"
             " not %zux%zu", X->size1, X->size2, X->size1, n_out, Y->size1, Y->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t B = X->size1;

  gsl_matrix_view prev;  // the first B rows of the previous layer's A
  for (size_t l = 0; l < L; l++) {
    nn_network_layer *layer = &net->layers[l];
    const size_t width = net->sizes[l + 1];
    const gsl_matrix *in = (l == 0) ? X : &prev.matrix;
    gsl_matrix_view Z = gsl_matrix_submatrix(layer->Z, 0, 0, B, width);
    gsl_matrix_view A = gsl_matrix_submatrix(layer->A, 0, 0, B, width);
    int status = nn_dense_forward(layer->dense, &Z.matrix, in);
    if (status == GSL_SUCCESS)
      status = nn_activation_forward(layer->activation, layer->slope, &A.matrix, &Z.matrix);
    if (status != GSL_SUCCESS) {
      net->batch = 0;  // the saved values are half-updated: no backward from here
      return status;
    }
    prev = A;  // the next layer's input
  }
  net->batch = B;
  net->output = gsl_matrix_submatrix(net->layers[L - 1].A, 0, 0, B, n_out);
  if (Y != NULL)
    gsl_matrix_memcpy(Y, &net->output.matrix);
  return GSL_SUCCESS;
}

const gsl_matrix *
nn_network_output(const nn_network *net)
{
  if (net == NULL)
    GSL_ERROR_NULL("nn_network_output: net must not be NULL", GSL_EINVAL);
  if (net->batch == 0)
    GSL_ERROR_NULL("nn_network_output: there is no output before the first forward"
                   " pass", GSL_EINVAL);
  return &net->output.matrix;
}

/* ===== Backward =====
 *
 * From the last layer to the first. layer->dA holds first ∂J/∂A_l, which the
 * layer after it wrote, then, in place, ∂J/∂Z_l = ∂J/∂A_l ⊙ g'(Z_l), which
 * its dense layer turns into ∂J/∂A_(l-1) (written into the previous layer's
 * dA) and its own dW, db.
 */

int
nn_network_backward(nn_network *net, gsl_matrix *dX, const gsl_matrix *dY)
{
  if (net == NULL || dY == NULL)
    GSL_ERROR("nn_network_backward: net and dY must not be NULL", GSL_EINVAL);
  if (net->batch == 0)
    GSL_ERROR("nn_network_backward: called before any forward pass", GSL_EINVAL);
  char msg[192];
  const size_t L = net->n_layers, B = net->batch;
  const size_t n_in = net->sizes[0], n_out = net->sizes[L];
  if (dY->size1 != B || dY->size2 != n_out) {
    snprintf(msg, sizeof msg, "nn_network_backward: dY is %zux%zu but the last forward"
             " gave Y of %zux%zu", dY->size1, dY->size2, B, n_out);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (dX != NULL && (dX->size1 != B || dX->size2 != n_in)) {
    snprintf(msg, sizeof msg, "nn_network_backward: dX is %zux%zu but the last forward"
             " took X of %zux%zu", dX->size1, dX->size2, B, n_in);
    GSL_ERROR(msg, GSL_EBADLEN);
  }

  for (size_t l = L; l-- > 0;) {
    nn_network_layer *layer = &net->layers[l];
    const size_t width = net->sizes[l + 1];
    gsl_matrix_view dZ = gsl_matrix_submatrix(layer->dA, 0, 0, B, width);
    gsl_matrix_const_view Z = gsl_matrix_const_submatrix(layer->Z, 0, 0, B, width);
    // dZ_l = dA_l ⊙ g'(Z_l); for the last layer dA is the caller's dY
    const gsl_matrix *dA = (l == L - 1) ? dY : &dZ.matrix;
    int status = nn_activation_backward(layer->activation, layer->slope, &dZ.matrix,
                                        &Z.matrix, dA);
    if (status != GSL_SUCCESS)
      return status;
    // dA_(l-1) = dZ_l W_l, into the previous layer's buffer (or the caller's dX)
    gsl_matrix *dA_prev = dX;
    gsl_matrix_view prev;
    if (l > 0) {
      prev = gsl_matrix_submatrix(net->layers[l - 1].dA, 0, 0, B, net->sizes[l]);
      dA_prev = &prev.matrix;
    }
    status = nn_dense_backward(layer->dense, dA_prev, &dZ.matrix);
    if (status != GSL_SUCCESS)
      return status;
  }
  return GSL_SUCCESS;
}

/* ===== Access to a layer's parameters ===== */

gsl_matrix *
nn_network_W(nn_network *net, size_t layer)
{
  if (check_layer("nn_network_W", net, layer) != GSL_SUCCESS)
    return NULL;
  return &net->layers[layer].dense->W.matrix;
}

gsl_vector *
nn_network_b(nn_network *net, size_t layer)
{
  if (check_layer("nn_network_b", net, layer) != GSL_SUCCESS)
    return NULL;
  return &net->layers[layer].dense->b.vector;
}

gsl_matrix *
nn_network_dW(nn_network *net, size_t layer)
{
  if (check_layer("nn_network_dW", net, layer) != GSL_SUCCESS)
    return NULL;
  return &net->layers[layer].dense->dW.matrix;
}

gsl_vector *
nn_network_db(nn_network *net, size_t layer)
{
  if (check_layer("nn_network_db", net, layer) != GSL_SUCCESS)
    return NULL;
  return &net->layers[layer].dense->db.vector;
}
