/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/network.h: the one parameter buffer, the forward pass against
 * loops, two linear layers collapsing into one, the backward pass by gradient
 * check (with each loss of nn/loss.h), accumulation, initialisation, and
 * every error path. */
#include "nntest.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/gradcheck.h>
#include <nn/loss.h>
#include <nn/network.h>

static void
fill_uniform(gsl_rng *rng, gsl_matrix *M, double lo, double hi)
{
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++)
      gsl_matrix_set(M, i, j, lo + (hi - lo) * gsl_rng_uniform(rng));
}

/* Random weights and biases (init leaves the biases at 0, too easy). */
static void
randomize(nn_network *net, gsl_rng *rng)
{
  for (size_t k = 0; k < net->params->size; k++)
    gsl_vector_set(net->params, k, 2.0 * gsl_rng_uniform(rng) - 1.0);
}

static void
one_buffer_holds_every_parameter(void **state)
{
  (void) state;
  const size_t sizes[] = {3, 4, 2};
  const nn_activation_kind acts[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 3, acts, 8);
  assert_non_null(net);
  // layer 0: W 4x3 at 0..11, b at 12..15; layer 1: W 2x4 at 16..23, b at 24..25
  assert_int_equal(net->params->size, 26);
  assert_int_equal(net->grads->size, 26);
  assert_int_equal(net->n_layers, 2);
  for (size_t k = 0; k < 26; k++)
    assert_close(gsl_vector_get(net->params, k), 0.0, 0.0);  // starts at 0
  gsl_matrix *W0 = nn_network_W(net, 0), *W1 = nn_network_W(net, 1);
  gsl_vector *b0 = nn_network_b(net, 0), *b1 = nn_network_b(net, 1);
  assert_int_equal(W1->size1, 2);
  assert_int_equal(W1->size2, 4);
  assert_ptr_equal(gsl_matrix_ptr(W0, 0, 0), gsl_vector_ptr(net->params, 0));
  assert_ptr_equal(gsl_matrix_ptr(W0, 3, 2), gsl_vector_ptr(net->params, 11));
  assert_ptr_equal(gsl_vector_ptr(b0, 0), gsl_vector_ptr(net->params, 12));
  assert_ptr_equal(gsl_matrix_ptr(W1, 1, 3), gsl_vector_ptr(net->params, 23));
  assert_ptr_equal(gsl_vector_ptr(b1, 1), gsl_vector_ptr(net->params, 25));
  assert_ptr_equal(gsl_matrix_ptr(nn_network_dW(net, 1), 0, 2), gsl_vector_ptr(net->grads, 18));
  assert_ptr_equal(gsl_vector_ptr(nn_network_db(net, 0), 3), gsl_vector_ptr(net->grads, 15));

  // writing the buffer changes the layer, and the other way round
  gsl_vector_set(net->params, 17, 2.385);
  assert_close(gsl_matrix_get(W1, 0, 1), 2.385, 0.0);
  gsl_vector_set(b1, 0, -1.25);
  assert_close(gsl_vector_get(net->params, 24), -1.25, 0.0);
  // ... and what the network computes: with W0 = 0 the hidden layer is tanh(b0)
  gsl_vector_set(net->params, 13, 0.75);  // b0[1]
  double xa[3] = {0.5, -0.25, 1.5}, ya[2];
  gsl_matrix_view X = gsl_matrix_view_array(xa, 1, 3), Y = gsl_matrix_view_array(ya, 1, 2);
  assert_int_equal(nn_network_forward(net, &Y.matrix, &X.matrix), GSL_SUCCESS);
  assert_close(ya[0], 2.385 * tanh(0.75) - 1.25, 1e-15);
  assert_close(ya[1], 0.0, 0.0);
  nn_network_free(net);
  nn_network_free(NULL);
}

/* The forward pass written out: loops over samples, units and inputs. */
static void
forward_matches_loops_layer_by_layer(void **state)
{
  (void) state;
  const size_t sizes[] = {3, 4, 2};
  const nn_activation_kind acts[] = {NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_SIGMOID};
  nn_network *net = nn_network_alloc(sizes, 3, acts, 8);
  assert_non_null(net);
  assert_close(net->layers[0].slope, NN_ACTIVATION_LEAKY_SLOPE, 0.0);  // the default
  assert_int_equal(nn_network_set_slope(net, 0, 0.3), GSL_SUCCESS);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  randomize(net, rng);
  gsl_matrix *X = gsl_matrix_alloc(5, 3), *Y = gsl_matrix_alloc(5, 2);
  fill_uniform(rng, X, -2.0, 2.0);
  gsl_rng_free(rng);
  assert_int_equal(nn_network_forward(net, Y, X), GSL_SUCCESS);
  const gsl_matrix *out = nn_network_output(net);
  assert_non_null(out);
  assert_int_equal(out->size1, 5);
  assert_int_equal(out->size2, 2);
  int negative_seen = 0;
  for (size_t b = 0; b < 5; b++) {
    double h[4];
    for (size_t j = 0; j < 4; j++) {
      double z = gsl_vector_get(nn_network_b(net, 0), j);
      for (size_t i = 0; i < 3; i++)
        z += gsl_matrix_get(nn_network_W(net, 0), j, i) * gsl_matrix_get(X, b, i);
      h[j] = z > 0 ? z : 0.3 * z;
      negative_seen |= z < 0;
    }
    for (size_t j = 0; j < 2; j++) {
      double z = gsl_vector_get(nn_network_b(net, 1), j);
      for (size_t i = 0; i < 4; i++)
        z += gsl_matrix_get(nn_network_W(net, 1), j, i) * h[i];
      assert_close(gsl_matrix_get(Y, b, j), 1.0 / (1.0 + exp(-z)), 1e-14);
      assert_close(gsl_matrix_get(out, b, j), gsl_matrix_get(Y, b, j), 0.0);
    }
  }
  assert_true(negative_seen);  // the leaky side was exercised
  // a smaller batch, without a copy of the output
  gsl_matrix_view X2 = gsl_matrix_submatrix(X, 3, 0, 2, 3);
  assert_int_equal(nn_network_forward(net, NULL, &X2.matrix), GSL_SUCCESS);
  out = nn_network_output(net);
  assert_int_equal(out->size1, 2);
  for (size_t j = 0; j < 2; j++)
    assert_close(gsl_matrix_get(out, 1, j), gsl_matrix_get(Y, 4, j), 1e-15);
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  nn_network_free(net);
}

/* Lecture 3: without activations, W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2):
 * two linear layers are one linear layer. */
static void
stacked_linear_layers_collapse_into_one(void **state)
{
  (void) state;
  const size_t sizes2[] = {3, 4, 2}, sizes1[] = {3, 2};
  const nn_activation_kind lin2[] = {NN_ACTIVATION_IDENTITY, NN_ACTIVATION_IDENTITY};
  const nn_activation_kind tanh2[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  const nn_activation_kind lin1[] = {NN_ACTIVATION_IDENTITY};
  nn_network *deep = nn_network_alloc(sizes2, 3, lin2, 6);
  nn_network *bent = nn_network_alloc(sizes2, 3, tanh2, 6);
  nn_network *flat = nn_network_alloc(sizes1, 2, lin1, 6);
  assert_non_null(deep);
  assert_non_null(bent);
  assert_non_null(flat);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  randomize(deep, rng);
  gsl_vector_memcpy(bent->params, deep->params);
  gsl_matrix *X = gsl_matrix_alloc(6, 3);
  fill_uniform(rng, X, -3.0, 3.0);
  gsl_rng_free(rng);
  // W = W2 W1, b = W2 b1 + b2
  gsl_matrix *W1 = nn_network_W(deep, 0), *W2 = nn_network_W(deep, 1);
  gsl_vector *b1 = nn_network_b(deep, 0), *b2 = nn_network_b(deep, 1);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W2, W1, 0.0, nn_network_W(flat, 0));
  gsl_vector_memcpy(nn_network_b(flat, 0), b2);
  gsl_blas_dgemv(CblasNoTrans, 1.0, W2, b1, 1.0, nn_network_b(flat, 0));

  double da[12], fa[12], ba[12];
  gsl_matrix_view Yd = gsl_matrix_view_array(da, 6, 2), Yf = gsl_matrix_view_array(fa, 6, 2);
  gsl_matrix_view Yb = gsl_matrix_view_array(ba, 6, 2);
  assert_int_equal(nn_network_forward(deep, &Yd.matrix, X), GSL_SUCCESS);
  assert_int_equal(nn_network_forward(flat, &Yf.matrix, X), GSL_SUCCESS);
  assert_int_equal(nn_network_forward(bent, &Yb.matrix, X), GSL_SUCCESS);
  double max_bend = 0.0;
  for (size_t k = 0; k < 12; k++) {
    assert_close(da[k], fa[k], 1e-13);
    max_bend = fmax(max_bend, fabs(ba[k] - fa[k]));
  }
  assert_true(max_bend > 0.1);  // a tanh in between does not collapse
  gsl_matrix_free(X);
  nn_network_free(deep);
  nn_network_free(bent);
  nn_network_free(flat);
}

/* ===== Backward by gradient check =====
 *
 * J(θ) = the cost of the network's output on (X, T) for one of the losses.
 * θ is the network's own params (or X, for dX): the forward pass reads it
 * through the views.
 */

enum loss_kind { MSE, BCE, BCE_LOGITS, SOFTMAX_CE, SOFTMAX_CE_LABELS };

struct problem {
  nn_network *net;
  const gsl_matrix *X, *T;
  const size_t *labels;
  enum loss_kind loss;
};

static int
loss(const struct problem *p, double *cost, gsl_matrix *dY)
{
  const gsl_matrix *Y = nn_network_output(p->net);
  switch (p->loss) {
  case MSE:        return nn_loss_mse(cost, NULL, dY, Y, p->T);
  case BCE:        return nn_loss_bce(cost, NULL, dY, Y, p->T);
  case BCE_LOGITS: return nn_loss_bce_logits(cost, NULL, dY, Y, p->T);
  case SOFTMAX_CE: return nn_loss_softmax_ce(cost, NULL, dY, Y, p->T);
  case SOFTMAX_CE_LABELS: return nn_loss_softmax_ce_labels(cost, NULL, dY, Y, p->labels);
  }
  return GSL_EINVAL;
}

static double
cost_of(const gsl_vector *theta, void *params)
{
  (void) theta;
  const struct problem *p = params;
  double J = NAN;
  if (nn_network_forward(p->net, NULL, p->X) != GSL_SUCCESS || loss(p, &J, NULL) != 0)
    return NAN;
  return J;
}

static void
check_network(const size_t *sizes, size_t n_sizes, const nn_activation_kind *acts,
              enum loss_kind which, unsigned long seed)
{
  const size_t B = 5, n_in = sizes[0], n_out = sizes[n_sizes - 1];
  nn_network *net = nn_network_alloc(sizes, n_sizes, acts, 8);
  assert_non_null(net);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  assert_int_equal(nn_network_init(net, rng), GSL_SUCCESS);
  for (size_t l = 0; l + 1 < n_sizes; l++)  // biases too, not only the weights
    for (size_t j = 0; j < sizes[l + 1]; j++)
      gsl_vector_set(nn_network_b(net, l), j, gsl_rng_uniform(rng) - 0.5);
  gsl_matrix *X = gsl_matrix_alloc(B, n_in), *T = gsl_matrix_calloc(B, n_out);
  gsl_matrix *dY = gsl_matrix_alloc(B, n_out), *dX = gsl_matrix_alloc(B, n_in);
  size_t labels[5];
  fill_uniform(rng, X, -2.0, 2.0);
  for (size_t b = 0; b < B; b++) {
    labels[b] = gsl_rng_uniform_int(rng, n_out);
    if (which == SOFTMAX_CE)
      gsl_matrix_set(T, b, labels[b], 1.0);  // one-hot
    else
      for (size_t j = 0; j < n_out; j++)
        gsl_matrix_set(T, b, j, which == MSE ? 3.0 * gsl_rng_uniform(rng) - 1.5
                                             : gsl_rng_uniform(rng));
  }
  gsl_rng_free(rng);
  struct problem p = {net, X, T, labels, which};

  // the analytic gradient: forward, loss gradient, backward
  nn_network_zero_grad(net);
  assert_int_equal(nn_network_forward(net, NULL, X), GSL_SUCCESS);
  double J = NAN;
  assert_int_equal(loss(&p, &J, dY), GSL_SUCCESS);
  assert_int_equal(nn_network_backward(net, dX, dY), GSL_SUCCESS);

  double err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, cost_of, &p, net->params, net->grads,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  if (!(err < 1e-7))
    print_error("params: relative error %g (loss %d)\n", err, (int) which);
  assert_true(err < 1e-7);
  gsl_vector_view x = gsl_vector_view_array(X->data, B * n_in);
  gsl_vector_view dx = gsl_vector_view_array(dX->data, B * n_in);
  err = NAN;
  assert_int_equal(nn_gradcheck_compare(&err, cost_of, &p, &x.vector, &dx.vector,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  if (!(err < 1e-7))
    print_error("X: relative error %g (loss %d)\n", err, (int) which);
  assert_true(err < 1e-7);

  gsl_matrix_free(X);
  gsl_matrix_free(T);
  gsl_matrix_free(dY);
  gsl_matrix_free(dX);
  nn_network_free(net);
}

static void
backward_passes_a_gradient_check(void **state)
{
  (void) state;
  const size_t s1[] = {3, 5, 4, 2};
  const nn_activation_kind a1[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_SIGMOID,
                                   NN_ACTIVATION_IDENTITY};
  check_network(s1, 4, a1, MSE, 2385);
  const size_t s2[] = {4, 6, 3};
  const nn_activation_kind a2[] = {NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_IDENTITY};
  check_network(s2, 3, a2, SOFTMAX_CE, 11);
  check_network(s2, 3, a2, SOFTMAX_CE_LABELS, 12);
  const size_t s3[] = {2, 7, 5, 1};
  const nn_activation_kind a3[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_TANH,
                                   NN_ACTIVATION_IDENTITY};
  check_network(s3, 4, a3, BCE_LOGITS, 7);
  const size_t s4[] = {3, 4, 2};
  const nn_activation_kind a4[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_SIGMOID};
  check_network(s4, 3, a4, BCE, 5);
  const size_t s5[] = {3, 2};  // a single layer
  const nn_activation_kind a5[] = {NN_ACTIVATION_SIGMOID};
  check_network(s5, 2, a5, MSE, 3);
}

static void
backward_accumulates_until_zero_grad(void **state)
{
  (void) state;
  const size_t sizes[] = {3, 4, 2};
  const nn_activation_kind acts[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 3, acts, 4);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  assert_int_equal(nn_network_init(net, rng), GSL_SUCCESS);
  gsl_matrix *X = gsl_matrix_alloc(4, 3), *dY = gsl_matrix_alloc(4, 2);
  fill_uniform(rng, X, -2.0, 2.0);
  fill_uniform(rng, dY, -1.0, 1.0);
  gsl_rng_free(rng);
  gsl_vector *once = gsl_vector_alloc(net->grads->size);
  double dxa[12], dxb[12];
  gsl_matrix_view dX1 = gsl_matrix_view_array(dxa, 4, 3), dX2 = gsl_matrix_view_array(dxb, 4, 3);

  assert_int_equal(nn_network_forward(net, NULL, X), GSL_SUCCESS);
  assert_int_equal(nn_network_backward(net, &dX1.matrix, dY), GSL_SUCCESS);
  gsl_vector_memcpy(once, net->grads);
  assert_true(gsl_vector_max(once) > 0.0 || gsl_vector_min(once) < 0.0);
  assert_int_equal(nn_network_backward(net, &dX2.matrix, dY), GSL_SUCCESS);
  for (size_t k = 0; k < once->size; k++)
    assert_close(gsl_vector_get(net->grads, k), 2.0 * gsl_vector_get(once, k), 1e-15);
  assert_memory_equal(dxa, dxb, sizeof dxa);  // dX is overwritten, not accumulated
  nn_network_zero_grad(net);
  for (size_t k = 0; k < once->size; k++)
    assert_close(gsl_vector_get(net->grads, k), 0.0, 0.0);
  nn_network_zero_grad(NULL);
  gsl_vector_free(once);
  gsl_matrix_free(X);
  gsl_matrix_free(dY);
  nn_network_free(net);
}

static void
init_scales_the_weights_to_the_layer(void **state)
{
  (void) state;
  const size_t sizes[] = {400, 300, 10};
  const nn_activation_kind acts[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_TANH};
  nn_network *net = nn_network_alloc(sizes, 3, acts, 1);
  nn_network *twin = nn_network_alloc(sizes, 3, acts, 1);
  assert_non_null(net);
  assert_non_null(twin);
  gsl_vector_set_all(net->grads, 2.385);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2385);
  assert_int_equal(nn_network_init(net, rng), GSL_SUCCESS);
  gsl_rng_set(rng, 2385);
  assert_int_equal(nn_network_init(twin, rng), GSL_SUCCESS);
  assert_memory_equal(net->params->data, twin->params->data,
                      net->params->size * sizeof(double));  // same seed, same net
  gsl_rng_set(rng, 2386);
  assert_int_equal(nn_network_init(twin, rng), GSL_SUCCESS);
  assert_true(gsl_vector_get(twin->params, 0) != gsl_vector_get(net->params, 0));
  gsl_rng_free(rng);

  // He for the ReLU layer: sd = sqrt(2/400); Glorot for tanh: sqrt(2/(300+10))
  const double expect[] = {sqrt(2.0 / 400.0), sqrt(2.0 / 310.0)};
  const double tol[] = {0.02, 0.05};
  for (size_t l = 0; l < 2; l++) {
    gsl_matrix *W = nn_network_W(net, l);
    const size_t n = W->size1 * W->size2;
    const double mean = gsl_stats_mean(W->data, 1, n);
    const double sd = gsl_stats_sd_m(W->data, 1, n, mean);
    assert_true(fabs(mean) < 3.0 * expect[l] / sqrt((double) n));
    assert_close(sd / expect[l], 1.0, tol[l]);
    gsl_vector *b = nn_network_b(net, l);
    for (size_t j = 0; j < b->size; j++)
      assert_close(gsl_vector_get(b, j), 0.0, 0.0);
  }
  for (size_t k = 0; k < net->grads->size; k++)
    assert_close(gsl_vector_get(net->grads, k), 0.0, 0.0);
  nn_network_free(net);
  nn_network_free(twin);
}

static void
bad_sizes_and_shapes_are_named(void **state)
{
  (void) state;
  const size_t sizes[] = {3, 4, 2}, zero[] = {3, 0, 2};
  const nn_activation_kind acts[] = {NN_ACTIVATION_TANH, NN_ACTIVATION_IDENTITY};
  const nn_activation_kind bad[] = {NN_ACTIVATION_TANH, (nn_activation_kind) 42};
  assert_null(nn_network_alloc(sizes, 1, acts, 4));
  assert_non_null(strstr(nn_test_last_error, "at least 2 sizes"));
  assert_null(nn_network_alloc(zero, 3, acts, 4));
  assert_non_null(strstr(nn_test_last_error, "sizes[1] is 0"));
  assert_null(nn_network_alloc(sizes, 3, acts, 0));
  assert_non_null(strstr(nn_test_last_error, "max_batch"));
  assert_null(nn_network_alloc(sizes, 3, bad, 4));
  assert_non_null(strstr(nn_test_last_error, "activations[1] is 42"));
  assert_null(nn_network_alloc(NULL, 3, acts, 4));
  assert_non_null(strstr(nn_test_last_error, "NULL"));

  nn_network *net = nn_network_alloc(sizes, 3, acts, 4);
  assert_non_null(net);
  double a[40] = {0};
  gsl_matrix_view X42 = gsl_matrix_view_array(a, 4, 2), X53 = gsl_matrix_view_array(a, 5, 3);
  gsl_matrix_view X43 = gsl_matrix_view_array(a, 4, 3), Y33 = gsl_matrix_view_array(a, 3, 3);
  gsl_matrix_view Y42 = gsl_matrix_view_array(a, 4, 2), dY32 = gsl_matrix_view_array(a, 3, 2);
  gsl_matrix_view Y43 = gsl_matrix_view_array(a + 20, 4, 3);
  nn_test_last_error[0] = '\0';
  assert_null(nn_network_output(net));
  assert_non_null(strstr(nn_test_last_error, "before the first forward"));
  assert_gsl_error(nn_network_backward(net, NULL, &Y42.matrix), GSL_EINVAL,
                   "before any forward");
  assert_gsl_error(nn_network_forward(net, NULL, &X42.matrix), GSL_EBADLEN,
                   "X is 4x2 but the network takes 3 inputs");
  assert_gsl_error(nn_network_forward(net, NULL, &X53.matrix), GSL_EBADLEN,
                   "X is 5x3 but the network takes batches of 1 to 4 rows");
  assert_gsl_error(nn_network_forward(net, &Y33.matrix, &X43.matrix), GSL_EBADLEN,
                   "X is 4x3 so Y must be 4x2, not 3x3");
  assert_gsl_error(nn_network_forward(NULL, NULL, &X43.matrix), GSL_EINVAL, "NULL");
  assert_int_equal(nn_network_forward(net, NULL, &X43.matrix), GSL_SUCCESS);
  assert_gsl_error(nn_network_backward(net, NULL, &dY32.matrix), GSL_EBADLEN,
                   "dY is 3x2 but the last forward gave Y of 4x2");
  assert_gsl_error(nn_network_backward(net, &Y42.matrix, &Y43.matrix), GSL_EBADLEN,
                   "dY is 4x3 but the last forward gave Y of 4x2");
  assert_gsl_error(nn_network_backward(net, &Y42.matrix, &Y42.matrix), GSL_EBADLEN,
                   "dX is 4x2 but the last forward took X of 4x3");
  assert_gsl_error(nn_network_backward(net, NULL, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_network_set_slope(net, 0, 1.5), GSL_EDOM, "[0, 1), not 1.5");
  assert_gsl_error(nn_network_set_slope(net, 0, -0.01), GSL_EDOM, "not -0.01");
  assert_gsl_error(nn_network_set_slope(net, 2, 0.1), GSL_EBADLEN,
                   "layer 2 asked of a network of 2 layers");
  assert_gsl_error(nn_network_init(net, NULL), GSL_EINVAL, "NULL");
  nn_test_last_error[0] = '\0';
  assert_null(nn_network_W(net, 2));
  assert_non_null(strstr(nn_test_last_error, "nn_network_W: layer 2 asked of a network"
                                             " of 2 layers"));
  assert_null(nn_network_b(net, 5));
  assert_null(nn_network_dW(net, 2));
  assert_null(nn_network_db(NULL, 0));
  nn_network_free(net);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(one_buffer_holds_every_parameter),
    cmocka_unit_test(forward_matches_loops_layer_by_layer),
    cmocka_unit_test(stacked_linear_layers_collapse_into_one),
    cmocka_unit_test(backward_passes_a_gradient_check),
    cmocka_unit_test(backward_accumulates_until_zero_grad),
    cmocka_unit_test(init_scales_the_weights_to_the_layer),
    cmocka_unit_test(bad_sizes_and_shapes_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
