/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/dense.h: the dense (fully connected) layer, on a batch.
 *
 * Names used throughout:  B = batch size (samples, one per row),
 *                         N_in = inputs per sample, N_out = outputs per sample.
 *
 * Each output is a neuron: a weighted sum of all inputs plus a bias,
 * y_j = b_j + Σ_i W_ji x_i, that is y = W x + b for one sample. Stacking the
 * B samples of a batch as the rows of X turns B matrix-vector products into
 * one matrix product:
 *
 *   forward:   Y = X Wᵀ + b      X is (B, N_in), W is (N_out, N_in),
 *                                b has N_out entries (added to every row),
 *                                Y is (B, N_out)
 *
 * Backward. Given dY = ∂J/∂Y, the gradient of the cost J with respect to the
 * output (B, N_out), the chain rule gives the gradients with respect to the
 * layer's input and parameters:
 *
 *   dX  = dY W              (B, N_in):  each input feeds every output
 *   dW += dYᵀ X             (N_out, N_in): sums over the batch
 *   db += Σ_b dY[b, :]      (N_out): column sums of dY
 *
 * The parameter gradients accumulate (+=), so that the gradients of several
 * batches, or of several uses of the layer, add up; zero them before each
 * step (nn_network_zero_grad() does it for a whole network). dX is a
 * gradient with respect to an input, not a parameter: it is overwritten.
 *
 * Storage. The layer does not own its parameters: W and b are views into a
 * vector the caller owns (params, N_out·N_in + N_out entries: W row by row,
 * then b), and dW and db into its twin (grads). A network puts all its
 * layers in one vector this way (nn/network.h), so that an optimizer sees one
 * vector. The layer owns one cache: a copy of the last input X, which the
 * backward pass needs for dW = dYᵀ X. It is sized at nn_dense_alloc() for up
 * to max_batch rows: forward and backward never allocate. A borrowing layer
 * (nn_dense_alloc_borrowing) keeps a view of X instead, when the caller
 * promises to leave X alone until the backward pass.
 *
 * Legal call order:
 *
 *   params, grads = gsl_vector_calloc(nn_dense_n_params(N_in, N_out));
 *   layer = nn_dense_alloc(N_in, N_out, max_batch, params, grads);
 *   (set params: W and b)
 *   nn_dense_forward(layer, Y, X);     any B <= max_batch
 *   nn_dense_backward(layer, dX, dY);  same B as the last forward
 *   nn_dense_free(layer);              then free params and grads
 *
 * Errors: GSL_EBADLEN for shapes that do not fit (the message names both
 * shapes), GSL_EINVAL for NULL, zero sizes, or a backward with no forward.
 */
#ifndef NN_DENSE_H
#define NN_DENSE_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

typedef struct nn_dense {
  size_t n_in;          /* N_in: inputs per sample */
  size_t n_out;         /* N_out: outputs (neurons) */
  size_t max_batch;     /* the most rows a batch may have */
  gsl_matrix_view W;    /* (N_out, N_in): row j holds neuron j's weights; a view
                           into params, not owned */
  gsl_vector_view b;    /* (N_out): the biases; a view into params, not owned */
  gsl_matrix_view dW;   /* (N_out, N_in): ∂J/∂W, a view into grads, not owned */
  gsl_vector_view db;   /* (N_out): ∂J/∂b, a view into grads, not owned */
  gsl_matrix *X_cache;  /* (max_batch, N_in), owned: the first `batch` rows hold
                           a copy of the last forward's input, for dW = dYᵀ X;
                           NULL for a borrowing layer */
  gsl_matrix_view X_rows;  /* the first B rows of X_cache, or (borrowing) a
                           description of the caller's X */
  const gsl_matrix *X_seen;  /* (B, N_in): the last forward's input, for
                           dW = dYᵀ X: &X_rows.matrix (not owned) */
  size_t batch;         /* B of the last forward; 0 before the first */
} nn_dense;

/* How many numbers a layer's W and b hold: N_out·N_in + N_out. */
size_t nn_dense_n_params(size_t n_in, size_t n_out);

/* A layer N_in -> N_out for batches of up to max_batch rows, whose W and b
 * are views into params and dW, db views into grads. params and grads must
 * each have nn_dense_n_params(n_in, n_out) entries and unit stride, must
 * outlive the layer, and are not changed here. NULL (and GSL_EINVAL or
 * GSL_EBADLEN) on bad sizes; GSL_ENOMEM when memory runs out. */
nn_dense *nn_dense_alloc(size_t n_in, size_t n_out, size_t max_batch,
                         gsl_vector *params, gsl_vector *grads);

/* The same layer, but one that borrows its input instead of copying it:
 * the forward pass keeps a view of X, not a copy, so X must stay as it is
 * until the backward pass. It saves a copy of every batch and its memory;
 * a network's layers borrow (nn/network.h), since it keeps their inputs. */
nn_dense *nn_dense_alloc_borrowing(size_t n_in, size_t n_out, size_t max_batch,
                                   gsl_vector *params, gsl_vector *grads);

/* Frees the layer and its cache, not params or grads. Accepts NULL. */
void nn_dense_free(nn_dense *layer);

/* Y = X Wᵀ + b. X is (B, N_in) with 1 <= B <= max_batch, Y is (B, N_out);
 * Y must not overlap X. Keeps a copy of X for the backward pass (a view of
 * X for a borrowing layer). */
int nn_dense_forward(nn_dense *layer, gsl_matrix *Y, const gsl_matrix *X);

/* Given dY (B, N_out), the gradient of the cost with respect to the last
 * forward's Y: dW += dYᵀ X, db += column sums of dY, and dX = dY W (B, N_in)
 * when dX is not NULL (the first layer of a network has no use for it).
 * dX must not overlap dY. */
int nn_dense_backward(nn_dense *layer, gsl_matrix *dX, const gsl_matrix *dY);

#endif /* NN_DENSE_H */
