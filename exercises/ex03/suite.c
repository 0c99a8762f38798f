/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex03.c: the public tests of exercise 3.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_dense_forward for a dense layer, nn_softmax_vector for the softmax,
 * nn_network_forward for a stack of layers. Inputs live in arrays on the
 * stack, and the library's objects are freed before the student's answer
 * is judged, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/activation.h>
#include <nn/dense.h>
#include <nn/network.h>
#include <nn/softmax.h>

#include "exercises.h"
#include "remote-ex03.h"
#include "testkit.h"

/* Every entry of M still holds 7.5 (what it was before an error). */
static int
untouched(const gsl_matrix *M)
{
  for (size_t r = 0; r < M->size1; r++)
    for (size_t c = 0; c < M->size2; c++)
      if (gsl_matrix_get(M, r, c) != 7.5)
        return 0;
  return 1;
}

/* ===== ex3_dense_forward ===== */

/* Y = X Wᵀ + b by the library's dense layer, into E (B, N_out). */
static void
library_dense(const gsl_matrix *X, const gsl_matrix *W, const gsl_vector *b,
              gsl_matrix *E)
{
  const size_t n_in = W->size2, n_out = W->size1;
  gsl_vector *params = gsl_vector_alloc(nn_dense_n_params(n_in, n_out));
  gsl_vector *grads = gsl_vector_calloc(params->size);
  nn_dense *layer = nn_dense_alloc(n_in, n_out, X->size1, params, grads);
  gsl_matrix_memcpy(&layer->W.matrix, W);
  gsl_vector_memcpy(&layer->b.vector, b);
  nn_dense_forward(layer, E, X);
  nn_dense_free(layer);
  gsl_vector_free(params);
  gsl_vector_free(grads);
}

/* The student's dense layer on a random batch B x N_in -> N_out. */
static void
expect_dense(size_t B, size_t n_in, size_t n_out, unsigned long seed)
{
  double Xa[64], Wa[64], ba[8], Ya[64], Ea[64];
  nng_fill_uniform(Xa, B * n_in, -2.0, 2.0, seed);
  nng_fill_uniform(Wa, n_out * n_in, -2.0, 2.0, seed + 1);
  nng_fill_uniform(ba, n_out, -2.0, 2.0, seed + 2);
  for (size_t k = 0; k < B * n_out; k++)
    Ya[k] = NAN;
  gsl_matrix_view X = gsl_matrix_view_array(Xa, B, n_in);
  gsl_matrix_view W = gsl_matrix_view_array(Wa, n_out, n_in);
  gsl_vector_view b = gsl_vector_view_array(ba, n_out);
  gsl_matrix_view Y = gsl_matrix_view_array(Ya, B, n_out);
  gsl_matrix_view E = gsl_matrix_view_array(Ea, B, n_out);
  library_dense(&X.matrix, &W.matrix, &b.vector, &E.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex3_dense_forward(&X.matrix, &W.matrix, &b.vector, &Y.matrix),
                      "ex3_dense_forward");
  char what[96];
  snprintf(what, sizeof what, "ex3_dense_forward: Y for X of %zux%zu and W of %zux%zu",
           B, n_in, n_out, n_in);
  nng_show_input("X", &X.matrix);
  NNG_EXPECT_MATRIX_CLOSE(what, &Y.matrix, &E.matrix, 1e-12);
}

static void
dense_forward_of_one_sample(void **state)
{
  (void) state;
  expect_dense(1, 4, 3, 301);
}

static void
dense_forward_of_a_batch(void **state)
{
  (void) state;
  expect_dense(5, 3, 4, 311);
}

static void
dense_forward_rejects_bad_shapes(void **state)
{
  (void) state;
  double Xa[12], Wa[12], ba[4], Ya[16];
  nng_fill_uniform(Xa, 12, -2.0, 2.0, 321);
  nng_fill_uniform(Wa, 12, -2.0, 2.0, 322);
  nng_fill_uniform(ba, 4, -2.0, 2.0, 323);
  for (size_t k = 0; k < 16; k++)
    Ya[k] = 7.5;
  /* X is 4x3, W 4x3 (4 neurons of 3 inputs), b 4, Y 4x4: that fits. Then: */
  gsl_matrix_view X = gsl_matrix_view_array(Xa, 4, 3), X2 = gsl_matrix_view_array(Xa, 3, 4);
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 4, 3);
  gsl_vector_view b = gsl_vector_view_array(ba, 4), b3 = gsl_vector_view_array(ba, 3);
  gsl_matrix_view Y = gsl_matrix_view_array(Ya, 4, 4), Y34 = gsl_matrix_view_array(Ya, 3, 4);
  gsl_matrix_view Y43 = gsl_matrix_view_array(Ya, 4, 3);
  const struct {
    const gsl_matrix *X;
    const gsl_vector *b;
    gsl_matrix *Y;
    const char *situation;
  } cases[] = {
    {&X2.matrix, &b.vector, &Y34.matrix, "X of 3x4 (4 inputs) and W of 4x3 (3 inputs)"},
    {&X.matrix, &b3.vector, &Y.matrix, "W of 4x3 (4 neurons) and b of 3 entries"},
    {&X.matrix, &b.vector, &Y34.matrix, "X of 4 rows and Y of 3 rows"},
    {&X.matrix, &b.vector, &Y43.matrix, "W of 4 neurons and Y of 3 columns"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    NNG_EXPECT_STATUS(nng_ex3_dense_forward(cases[k].X, &W.matrix, cases[k].b,
                                            cases[k].Y),
                      GSL_EBADLEN, "ex3_dense_forward", cases[k].situation);
    NNG_EXPECT_TRUE(untouched(cases[k].Y), "ex3_dense_forward changed Y although the "
                    "shapes did not fit (%s).", cases[k].situation);
  }
}

/* ===== ex3_softmax ===== */

/* The student's softmax(z / T) against the library's softmax of z / T. */
static void
expect_softmax(const double *za, size_t n, double T, const char *what)
{
  double scaled[16], ea[16], pa[16];
  for (size_t k = 0; k < n; k++) {
    scaled[k] = za[k] / T;
    pa[k] = NAN;
  }
  gsl_vector_view s = gsl_vector_view_array(scaled, n), e = gsl_vector_view_array(ea, n);
  nn_softmax_vector(&e.vector, &s.vector);
  gsl_vector_const_view z = gsl_vector_const_view_array(za, n);
  gsl_vector_view p = gsl_vector_view_array(pa, n);
  NNG_REQUIRE_SUCCESS(nng_ex3_softmax(&z.vector, T, &p.vector), "ex3_softmax");
  NNG_EXPECT_VECTOR_CLOSE(what, &p.vector, &e.vector, 1e-13);
  double sum = 0.0;
  for (size_t k = 0; k < n; k++)
    sum += pa[k];
  NNG_EXPECT_CLOSE("the sum of the probabilities", sum, 1.0, 1e-13);
}

static void
softmax_matches_the_definition(void **state)
{
  (void) state;
  double za[6];
  nng_fill_uniform(za, 6, -2.0, 2.0, 331);
  expect_softmax(za, 6, 1.0, "ex3_softmax of 6 scores, T = 1");
  const double two[] = {2.385, -0.5};
  expect_softmax(two, 2, 1.0, "ex3_softmax of (2.385, -0.5), T = 1");
}

static void
softmax_of_large_scores_does_not_overflow(void **state)
{
  (void) state;
  const double big[] = {1000.0, 999.5, 998.0, -1000.0, 1000.0};
  expect_softmax(big, 5, 1.0, "ex3_softmax of (1000, 999.5, 998, -1000, 1000)");
  const double small[] = {-1000.0, -1001.0, -1002.5};
  expect_softmax(small, 3, 1.0, "ex3_softmax of (-1000, -1001, -1002.5)");
}

static void
softmax_with_a_temperature(void **state)
{
  (void) state;
  double za[5];
  nng_fill_uniform(za, 5, -2.0, 2.0, 341);
  expect_softmax(za, 5, 0.5, "ex3_softmax of 5 scores, T = 0.5");
  expect_softmax(za, 5, 4.0, "ex3_softmax of 5 scores, T = 4");
}

static void
softmax_rejects_a_bad_temperature(void **state)
{
  (void) state;
  double za[] = {1.5, -0.5, 2.385}, pa[] = {7.5, 7.5, 7.5};
  gsl_vector_view z = gsl_vector_view_array(za, 3), p = gsl_vector_view_array(pa, 3);
  const double temps[] = {0.0, -1.0, NAN, INFINITY};
  const char *names[] = {"T = 0", "T = -1", "T = NaN", "T = infinity"};
  for (size_t k = 0; k < 4; k++) {
    NNG_EXPECT_STATUS(nng_ex3_softmax(&z.vector, temps[k], &p.vector), GSL_EDOM,
                      "ex3_softmax", names[k]);
    NNG_EXPECT_TRUE(pa[0] == 7.5 && pa[1] == 7.5 && pa[2] == 7.5,
                    "ex3_softmax changed p although it reported an error (%s).",
                    names[k]);
  }
}

static void
softmax_rejects_lengths_that_differ(void **state)
{
  (void) state;
  double za[] = {1.5, -0.5, 2.385}, pa[] = {7.5, 7.5};
  gsl_vector_view z = gsl_vector_view_array(za, 3), p = gsl_vector_view_array(pa, 2);
  NNG_EXPECT_STATUS(nng_ex3_softmax(&z.vector, 1.0, &p.vector), GSL_EBADLEN,
                    "ex3_softmax", "z of 3 entries and p of 2");
  NNG_EXPECT_TRUE(pa[0] == 7.5 && pa[1] == 7.5,
                  "ex3_softmax changed p although the sizes did not fit.");
}

/* ===== ex3_forward ===== */

/* The library's kind for each value of ex3_activation. */
static nn_activation_kind
library_kind(int activation)
{
  switch (activation) {
  case EX3_RELU: return NN_ACTIVATION_RELU;
  case EX3_SIGMOID: return NN_ACTIVATION_SIGMOID;
  case EX3_TANH: return NN_ACTIVATION_TANH;
  default: return NN_ACTIVATION_IDENTITY;
  }
}

/* The library's forward pass through LAYERS (sizes s_0 .. s_L) on X, into E. */
static void
library_forward(const ex3_layer *layers, size_t n, const gsl_matrix *X,
                gsl_matrix *E)
{
  size_t sizes[NNG_EX3_MAX_LAYERS + 1];
  nn_activation_kind acts[NNG_EX3_MAX_LAYERS];
  sizes[0] = X->size2;
  for (size_t l = 0; l < n; l++) {
    sizes[l + 1] = layers[l].W->size1;
    acts[l] = library_kind(layers[l].activation);
  }
  nn_network *net = nn_network_alloc(sizes, n + 1, acts, X->size1);
  for (size_t l = 0; l < n; l++) {
    gsl_matrix_memcpy(nn_network_W(net, l), layers[l].W);
    gsl_vector_memcpy(nn_network_b(net, l), layers[l].b);
  }
  nn_network_forward(net, E, X);
  nn_network_free(net);
}

/* A random layer of n_in inputs and n_out neurons, in the caller's arrays. */
static ex3_layer
random_layer(double *Wa, double *ba, gsl_matrix_view *W, gsl_vector_view *b,
             size_t n_in, size_t n_out, int activation, unsigned long seed)
{
  nng_fill_uniform(Wa, n_out * n_in, -2.0, 2.0, seed);
  nng_fill_uniform(ba, n_out, -2.0, 2.0, seed + 1);
  *W = gsl_matrix_view_array(Wa, n_out, n_in);
  *b = gsl_vector_view_array(ba, n_out);
  return (ex3_layer) {&W->matrix, &b->vector, activation};
}

/* The student's forward pass of a random batch of B rows through LAYERS. */
static void
expect_forward(const ex3_layer *layers, size_t n, size_t B, unsigned long seed,
               const char *what)
{
  const size_t n_in = layers[0].W->size2, n_out = layers[n - 1].W->size1;
  double Xa[64], Ya[64], Ea[64];
  nng_fill_uniform(Xa, B * n_in, -2.0, 2.0, seed);
  for (size_t k = 0; k < B * n_out; k++)
    Ya[k] = NAN;
  gsl_matrix_view X = gsl_matrix_view_array(Xa, B, n_in);
  gsl_matrix_view Y = gsl_matrix_view_array(Ya, B, n_out);
  gsl_matrix_view E = gsl_matrix_view_array(Ea, B, n_out);
  library_forward(layers, n, &X.matrix, &E.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex3_forward(layers, n, &X.matrix, &Y.matrix), "ex3_forward");
  NNG_EXPECT_MATRIX_CLOSE(what, &Y.matrix, &E.matrix, 1e-12);
}

static void
forward_through_two_relu_layers(void **state)
{
  (void) state;
  double W1[15], b1[5], W2[10], b2[2];
  gsl_matrix_view W1v, W2v;
  gsl_vector_view b1v, b2v;
  ex3_layer layers[] = {
    random_layer(W1, b1, &W1v, &b1v, 3, 5, EX3_RELU, 351),
    random_layer(W2, b2, &W2v, &b2v, 5, 2, EX3_IDENTITY, 353),
  };
  expect_forward(layers, 2, 4, 355, "ex3_forward through 3 -> 5 (relu) -> 2, Y");
}

static void
forward_through_sigmoid_and_tanh(void **state)
{
  (void) state;
  double W1[12], b1[3], W2[9], b2[3], W3[6], b3[2];
  gsl_matrix_view W1v, W2v, W3v;
  gsl_vector_view b1v, b2v, b3v;
  ex3_layer layers[] = {
    random_layer(W1, b1, &W1v, &b1v, 4, 3, EX3_SIGMOID, 361),
    random_layer(W2, b2, &W2v, &b2v, 3, 3, EX3_TANH, 363),
    random_layer(W3, b3, &W3v, &b3v, 3, 2, EX3_RELU, 365),
  };
  expect_forward(layers, 3, 3, 367,
                 "ex3_forward through 4 -> 3 (sigmoid) -> 3 (tanh) -> 2 (relu), Y");
}

static void
forward_of_linear_layers_is_one_layer(void **state)
{
  (void) state;
  /* W₂ (W₁ x + b₁) + b₂ = (W₂ W₁) x + (W₂ b₁ + b₂) */
  double W1[12], b1[4], W2[8], b2[2], W[6], b[2];
  gsl_matrix_view W1v, W2v;
  gsl_vector_view b1v, b2v;
  ex3_layer two[] = {
    random_layer(W1, b1, &W1v, &b1v, 3, 4, EX3_IDENTITY, 371),
    random_layer(W2, b2, &W2v, &b2v, 4, 2, EX3_IDENTITY, 373),
  };
  for (size_t i = 0; i < 2; i++) {
    b[i] = b2[i];
    for (size_t k = 0; k < 4; k++)
      b[i] += W2[i * 4 + k] * b1[k];
    for (size_t j = 0; j < 3; j++) {
      W[i * 3 + j] = 0.0;
      for (size_t k = 0; k < 4; k++)
        W[i * 3 + j] += W2[i * 4 + k] * W1[k * 3 + j];
    }
  }
  gsl_matrix_view Wv = gsl_matrix_view_array(W, 2, 3);
  gsl_vector_view bv = gsl_vector_view_array(b, 2);
  ex3_layer one[] = {{&Wv.matrix, &bv.vector, EX3_IDENTITY}};
  /* the one layer: the student's stack of one against the library */
  expect_forward(one, 1, 5, 375, "ex3_forward through the one layer (W₂W₁, W₂b₁ + b₂), Y");
  /* the two layers: the same numbers as the one layer */
  double Xa[15], Ya[10], Ea[10];
  nng_fill_uniform(Xa, 15, -2.0, 2.0, 375);
  for (size_t k = 0; k < 10; k++)
    Ya[k] = NAN;
  gsl_matrix_view X = gsl_matrix_view_array(Xa, 5, 3);
  gsl_matrix_view Y = gsl_matrix_view_array(Ya, 5, 2), E = gsl_matrix_view_array(Ea, 5, 2);
  library_dense(&X.matrix, &Wv.matrix, &bv.vector, &E.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex3_forward(two, 2, &X.matrix, &Y.matrix), "ex3_forward");
  NNG_EXPECT_MATRIX_CLOSE("ex3_forward through two identity layers 3 -> 4 -> 2, against "
                          "the one layer they collapse into", &Y.matrix, &E.matrix, 1e-12);
}

static void
forward_rejects_layers_that_do_not_fit(void **state)
{
  (void) state;
  double W1[12], b1[4], W2[8], b2[2], W2bad[6], Xa[6], Ya[8];
  gsl_matrix_view W1v, W2v, W2badv;
  gsl_vector_view b1v, b2v, b2badv;
  const ex3_layer l1 = random_layer(W1, b1, &W1v, &b1v, 3, 4, EX3_RELU, 381);
  const ex3_layer l2 = random_layer(W2, b2, &W2v, &b2v, 4, 2, EX3_IDENTITY, 383);
  /* a second layer of 3 inputs after a first of 4 outputs */
  const ex3_layer l2_inputs = random_layer(W2bad, b2, &W2badv, &b2badv, 3, 2,
                                               EX3_IDENTITY, 385);
  /* a second layer whose b has 1 entry for 2 neurons */
  gsl_vector_view b_short = gsl_vector_view_array(b2, 1);
  const ex3_layer l2_bias = {&W2v.matrix, &b_short.vector, EX3_IDENTITY};
  nng_fill_uniform(Xa, 6, -2.0, 2.0, 387);
  for (size_t k = 0; k < 8; k++)
    Ya[k] = 7.5;
  gsl_matrix_view X = gsl_matrix_view_array(Xa, 2, 3), X32 = gsl_matrix_view_array(Xa, 3, 2);
  gsl_matrix_view Y = gsl_matrix_view_array(Ya, 2, 2), Y23 = gsl_matrix_view_array(Ya, 2, 3);
  gsl_matrix_view Y32 = gsl_matrix_view_array(Ya, 3, 2);
  const struct {
    ex3_layer layers[2];
    const gsl_matrix *X;
    gsl_matrix *Y;
    const char *situation;
  } cases[] = {
    {{l1, l2_inputs}, &X.matrix, &Y.matrix,
     "layer 1 has 4 outputs but layer 2's W has 3 columns"},
    {{l1, l2_bias}, &X.matrix, &Y.matrix, "layer 2's W has 2 rows but its b 1 entry"},
    {{l1, l2}, &X32.matrix, &Y32.matrix, "X has 2 columns but layer 1's W has 3"},
    {{l1, l2}, &X.matrix, &Y23.matrix, "the last layer has 2 outputs but Y 3 columns"},
    {{l1, l2}, &X.matrix, &Y32.matrix, "X has 2 rows but Y 3"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    NNG_EXPECT_STATUS(nng_ex3_forward(cases[k].layers, 2, cases[k].X, cases[k].Y),
                      GSL_EBADLEN, "ex3_forward", cases[k].situation);
    NNG_EXPECT_TRUE(untouched(cases[k].Y), "ex3_forward changed Y although the "
                    "layers did not fit (%s).", cases[k].situation);
  }
}

static void
forward_rejects_empty_or_unknown_layers(void **state)
{
  (void) state;
  double W1[6], b1[2], W2[4], b2[2], Xa[6], Ya[4];
  gsl_matrix_view W1v, W2v;
  gsl_vector_view b1v, b2v;
  const ex3_layer l1 = random_layer(W1, b1, &W1v, &b1v, 3, 2, EX3_TANH, 391);
  const ex3_layer bad = random_layer(W2, b2, &W2v, &b2v, 2, 2, 9, 393);
  nng_fill_uniform(Xa, 6, -2.0, 2.0, 395);
  for (size_t k = 0; k < 4; k++)
    Ya[k] = 7.5;
  gsl_matrix_view X = gsl_matrix_view_array(Xa, 2, 3), Y = gsl_matrix_view_array(Ya, 2, 2);
  const ex3_layer layers[] = {l1, bad};
  NNG_EXPECT_STATUS(nng_ex3_forward(layers, 2, &X.matrix, &Y.matrix), GSL_EINVAL,
                    "ex3_forward", "layer 2 with the unknown activation 9");
  NNG_EXPECT_TRUE(untouched(&Y.matrix), "ex3_forward changed Y although layer 2 has "
                  "an unknown activation.");
  gsl_matrix_view Y23 = gsl_matrix_view_array(Ya, 2, 3);
  NNG_EXPECT_STATUS(nng_ex3_forward(NULL, 0, &X.matrix, &Y23.matrix), GSL_EINVAL,
                    "ex3_forward", "no layers at all (n_layers = 0)");
  NNG_EXPECT_TRUE(untouched(&Y.matrix), "ex3_forward changed Y although there were "
                  "no layers.");
}

const nng_test nng_ex03_tests[] = {
  {"dense_forward_of_one_sample", dense_forward_of_one_sample, "ex3_dense_forward", 1,
   "Y[0][j] = b_j + Σ_i W[j][i] X[0][i]: row j of W holds neuron j's weights."},
  {"dense_forward_of_a_batch", dense_forward_of_a_batch, "ex3_dense_forward", 1,
   "Loop over the rows r of X (samples) outside, the neurons j inside: every sample "
   "goes through every neuron, and gets the same biases."},
  {"dense_forward_rejects_bad_shapes",
   dense_forward_rejects_bad_shapes, "ex3_dense_forward", 1,
   "Check W->size2 == X->size2, b->size == W->size1, Y->size1 == X->size1 and "
   "Y->size2 == W->size1 before writing Y; else GSL_EBADLEN."},
  {"softmax_matches_the_definition", softmax_matches_the_definition, "ex3_softmax", 1,
   "p_k = exp(z_k) / Σ_j exp(z_j): all positive, and they add up to 1."},
  {"softmax_of_large_scores_does_not_overflow", softmax_of_large_scores_does_not_overflow,
   "ex3_softmax", 1,
   "exp(1000) is infinity. Subtract the largest score from every score first: the "
   "answer does not change, and every exponent is at most 0."},
  {"softmax_with_a_temperature", softmax_with_a_temperature, "ex3_softmax", 1,
   "Divide every score by T before the exponential: exp((z_k - max) / T)."},
  {"softmax_rejects_a_bad_temperature", softmax_rejects_a_bad_temperature,
   "ex3_softmax", 1,
   "!(T > 0) catches 0, negatives and NaN; isfinite(T) catches infinity: GSL_EDOM, "
   "before writing p."},
  {"softmax_rejects_lengths_that_differ", softmax_rejects_lengths_that_differ,
   "ex3_softmax", 1, "Compare z->size with p->size first: GSL_EBADLEN."},
  {"forward_through_two_relu_layers", forward_through_two_relu_layers, "ex3_forward", 1,
   "Layer by layer: the dense layer (your ex3_dense_forward) into a new matrix, then "
   "the activation on every entry; the result is the next layer's input."},
  {"forward_through_sigmoid_and_tanh", forward_through_sigmoid_and_tanh, "ex3_forward", 1,
   "Each layer applies its own activation: sigmoid 1/(1 + exp(-z)), tanh(z), relu "
   "max(0, z), identity z."},
  {"forward_of_linear_layers_is_one_layer", forward_of_linear_layers_is_one_layer,
   "ex3_forward", 1,
   "With identity activations the stack is one affine map. If one layer works but two "
   "do not, check that layer 2 reads layer 1's output, not X."},
  {"forward_rejects_layers_that_do_not_fit", forward_rejects_layers_that_do_not_fit,
   "ex3_forward", 1,
   "Before computing anything, walk the layers: each W must have as many columns as "
   "the previous layer has outputs (X->size2 for the first), each b one entry per row "
   "of W; Y is (X->size1, rows of the last W). Else GSL_EBADLEN."},
  {"forward_rejects_empty_or_unknown_layers",
   forward_rejects_empty_or_unknown_layers, "ex3_forward", 1,
   "n_layers == 0 and an activation that is not EX3_IDENTITY, EX3_RELU, EX3_SIGMOID "
   "or EX3_TANH are GSL_EINVAL, found before Y is written."},
  {NULL, NULL, NULL, 0, NULL},
};
