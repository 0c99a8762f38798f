/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/network.h: a sequential network of dense layers, each followed by an
 * activation.
 *
 * Names used throughout:  B = batch size (one sample per row), L = number of
 * layers, s_0..s_L = layer sizes (s_0 inputs, s_L outputs).
 *
 * Forward, layer l = 0..L-1, starting from A_(-1) = X (B, s_0):
 *
 *   Z_l = A_(l-1) W_lᵀ + b_l      dense layer (nn/dense.h), W_l is (s_(l+1), s_l)
 *   A_l = g_l(Z_l)                activation (nn/activation.h), (B, s_(l+1))
 *
 * and the output is Y = A_(L-1) (B, s_L). A last activation of
 * NN_ACTIVATION_IDENTITY leaves raw scores (logits) for a fused loss such as
 * nn_loss_softmax_ce() (nn/loss.h).
 *
 * Backward runs the same steps in reverse, from dY = ∂J/∂Y:
 *
 *   dZ_l = dA_l ⊙ g_l'(Z_l)                       (through the activation)
 *   dA_(l-1) = dZ_l W_l;  dW_l += dZ_lᵀ A_(l-1);  db_l += column sums of dZ_l
 *
 * reusing every Z_l and A_l saved by the forward pass: that reuse is what
 * makes backpropagation cheap.
 *
 * Storage (as in llm.c). All parameters live in ONE vector, params: layer 0's
 * W (row by row) and b, then layer 1's, and so on. Every layer's W and b are
 * views into it, and dW, db views into its twin, grads. So an optimizer
 * updates every parameter with one loop over params, zeroing the gradients is
 * one call, and writing params[k] changes the layer weight it views. The
 * network owns params, grads, the layers, and buffers for Z_l, A_l and dA_l
 * sized for max_batch rows: forward and backward never allocate. Its layers
 * borrow their inputs (nn_dense_alloc_borrowing) rather than copy them: the
 * first layer keeps a view of the caller's X, so X must stay as it is
 * between nn_network_forward() and nn_network_backward().
 *
 * Legal call order:
 *
 *   size_t sizes[] = {2, 8, 1};
 *   nn_activation_kind acts[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_SIGMOID};
 *   net = nn_network_alloc(sizes, 3, acts, max_batch);   parameters all 0
 *   nn_network_init(net, rng);                           random weights
 *   loop:
 *     nn_network_zero_grad(net);
 *     nn_network_forward(net, Y, X);       or Y NULL, then nn_network_output()
 *     (a loss from nn/loss.h gives dY)
 *     nn_network_backward(net, NULL, dY);  grads += ∂J/∂params
 *     (an optimizer updates net->params from net->grads)
 *   nn_network_free(net);
 *
 * Errors: GSL_EBADLEN for shapes that do not fit or a layer index out of
 * range (the message names both sizes), GSL_EINVAL for NULL, zero sizes,
 * unknown activations, or a backward with no forward; GSL_EDOM for a leaky
 * ReLU slope outside [0, 1).
 */
#ifndef NN_NETWORK_H
#define NN_NETWORK_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

#include <nn/activation.h>
#include <nn/dense.h>

/* One layer: a dense layer, its activation, and what the forward pass saves. */
typedef struct nn_network_layer {
  nn_dense *dense;                /* W, b (views into params), dW, db (views into
                                     grads) and its input cache; owned */
  nn_activation_kind activation;  /* g_l */
  double slope;                   /* the leaky ReLU's slope for z < 0 (only read
                                     for NN_ACTIVATION_LEAKY_RELU) */
  gsl_matrix *Z;                  /* (max_batch, s_(l+1)), owned: pre-activations
                                     of the last forward, for g'(Z) */
  gsl_matrix *A;                  /* (max_batch, s_(l+1)), owned: g(Z), the next
                                     layer's input (the output for the last) */
  gsl_matrix *dA;                 /* (max_batch, s_(l+1)), owned: workspace of the
                                     backward pass, ∂J/∂A then ∂J/∂Z in place */
} nn_network_layer;

typedef struct nn_network {
  size_t n_layers;           /* L */
  size_t *sizes;             /* s_0..s_L (L + 1 entries), owned */
  size_t max_batch;          /* the most rows a batch may have */
  size_t batch;              /* B of the last forward; 0 before the first */
  gsl_matrix_view output;    /* the first B rows of the last layer's A: the
                                output of the last forward */
  gsl_vector *params;        /* every W and b, layer by layer; owned */
  gsl_vector *grads;         /* the twin of params: ∂J/∂params; owned */
  nn_network_layer *layers;  /* L layers, owned */
} nn_network;

/* A network of n_sizes - 1 layers: layer l maps sizes[l] inputs to
 * sizes[l+1] outputs, then applies activations[l]. Parameters and gradients
 * start at 0 (call nn_network_init()); leaky ReLU layers get the slope
 * NN_ACTIVATION_LEAKY_SLOPE (see nn_network_set_slope()). The arrays are
 * copied. NULL (and an error) for fewer than 2 sizes, a size or max_batch of
 * 0, an unknown activation, or no memory. */
nn_network *nn_network_alloc(const size_t sizes[], size_t n_sizes,
                             const nn_activation_kind activations[],
                             size_t max_batch);

/* Frees the network and everything it owns. Accepts NULL. */
void nn_network_free(nn_network *net);

/* Random weights, zero biases, zero gradients. Each W_l entry is drawn from a
 * Gaussian with mean 0 and standard deviation
 *   sqrt(2 / s_l)             for ReLU and leaky ReLU layers (He),
 *   sqrt(2 / (s_l + s_(l+1))) for the others (Glorot/Xavier),
 * so that signals keep about the same size from layer to layer. */
int nn_network_init(nn_network *net, gsl_rng *rng);

/* Set the slope of layer `layer`'s leaky ReLU (0 <= slope < 1). */
int nn_network_set_slope(nn_network *net, size_t layer, double slope);

/* grads = 0. */
void nn_network_zero_grad(nn_network *net);

/* The forward pass on X (B, s_0), 1 <= B <= max_batch. When Y is not NULL it
 * receives a copy of the output (B, s_L); either way the output stays
 * readable through nn_network_output() until the next forward. */
int nn_network_forward(nn_network *net, gsl_matrix *Y, const gsl_matrix *X);

/* The output of the last forward, (B, s_L): points into the network (do not
 * free), valid until the next forward or nn_network_free(). NULL (and
 * GSL_EINVAL) before the first forward. */
const gsl_matrix *nn_network_output(const nn_network *net);

/* The backward pass from dY = ∂J/∂Y (B, s_L, B of the last forward): grads +=
 * ∂J/∂params, and dX = ∂J/∂X (B, s_0) when dX is not NULL. */
int nn_network_backward(nn_network *net, gsl_matrix *dX, const gsl_matrix *dY);

/* Layer `layer`'s W (s_(l+1), s_l), b (s_(l+1)), dW and db: views into params
 * and grads, owned by the network. NULL (and GSL_EBADLEN) when there is no
 * such layer. */
gsl_matrix *nn_network_W(nn_network *net, size_t layer);
gsl_vector *nn_network_b(nn_network *net, size_t layer);
gsl_matrix *nn_network_dW(nn_network *net, size_t layer);
gsl_vector *nn_network_db(nn_network *net, size_t layer);

#endif /* NN_NETWORK_H */
