/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 3: The forward pass
///
/// One perceptron draws one line (lecture 2). To draw anything else we
/// connect many of them: neurons side by side make a **layer**, layers one
/// after the other make a **network**, and the forward pass is the
/// computation that takes an input through it, layer by layer, to an
/// output. This lecture shows that computation twice, as a graph of
/// neurons and as a few matrix products, and then asks what it buys:
///
/// - the graph view of a small network, and the same network as
///   a_l = g(W_l a_(l-1) + b_l), layer by layer;
/// - softmax, which turns the last layer's scores into probabilities;
/// - the whole network and its L2 loss written as one expression;
/// - why the activations are needed: two linear layers collapse into one;
/// - one hidden layer of random units, and an output layer fitted to a
///   target curve: the wider the layer, the closer the fit, which is the
///   idea behind the universal approximation theorem;
/// - the running problem of the course, the 20 noisy XOR points that no
///   line separates (lecture 2), solved by a network with two hidden units.
///
/// The weights are drawn from the seed (`--seed`). `--sizes` sets the
/// layers of the example network, `--activation` the activation of its
/// hidden layers, `--widths` the hidden layers of section 6, and `--scale`
/// and `--running-sd` the running problem of section 7.

/* lecture3-forward-pass.c: lecture 3 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow it in order. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "running.h"
#include "lectures/lecture3-forward-pass.prose.h"

/* ===== Knobs ===== */

/* --activation: the words, and the kinds they stand for, in the same order */
static const nn_activation_kind activation_kinds[] = {
  NN_ACTIVATION_RELU, NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH,
  NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_STEP, NN_ACTIVATION_IDENTITY
};
static int activation = 0;                 /* --activation: relu */
static const char *sizes_text = "3,4,3,2";  /* --sizes */
static const char *widths_text = "1,2,4,8,16,32,64,128";  /* --widths */
static double scale = RUNNING_SCALE;       /* --scale: k of the hand-set network */
static double running_sd = RUNNING_SD;     /* --running-sd: spread of the XOR points */

static const lesson_option options[] = {
  {"sizes", LESSON_STRING, &sizes_text,
   "layer sizes of the example network, inputs first: 3 to 6 numbers from 1 "
   "to 8, at least 2 outputs", .choices = NULL},
  {"activation", LESSON_CHOICE, &activation,
   "activation of the hidden layers (and of the random networks)",
   .choices = "relu|sigmoid|tanh|leaky_relu|step|identity"},
  {"widths", LESSON_STRING, &widths_text,
   "hidden units of the random-feature networks of section 6: 1 to 8 numbers "
   "from 1 to 300", .choices = NULL},
  {"scale", LESSON_DOUBLE, &scale,
   "k, the size of the hand-set weights of the XOR network (±k, ±k/2, 3k/2)",
   .min = 0, .max = 100},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the 20 XOR points around the corners", .min = 0, .max = 1},
  {0}
};

#define MAX_LAYERS 6     /* sizes: at most 6 numbers, so 5 layers */
#define MAX_UNITS 8      /* units per layer of the example network */
#define MAX_WIDTHS 8     /* hidden layers in section 6 */
#define MAX_WIDTH 300    /* below the 601 points of its fit */
#define MAX_DRAWS 1000   /* draws of the example network (section 1) */

/* The example network of sections 1 to 5, and what its forward pass saw. */
typedef struct example {
  size_t sizes[MAX_LAYERS];  /* s_0 (inputs) .. s_L (outputs) */
  size_t n_sizes;            /* L + 1 */
  nn_activation_kind hidden; /* g of the hidden layers; the last layer has none */
  nn_network *net;           /* the network: its W_l and b_l, owned */
  gsl_vector *x;             /* the input, s_0 entries */
  gsl_vector *a[MAX_LAYERS]; /* a[0] = x, a[l] = the output of layer l (owned,
                                a[0] aside) */
  gsl_vector *z[MAX_LAYERS]; /* z[l] = the sums of layer l, l >= 1 (owned) */
  gsl_vector *p;             /* softmax of the last layer's scores a[L] */
} example;

static size_t parse_list(lesson *L, const char *option, const char *text,
                         size_t out[], size_t max_count, size_t max_value);
static void graph_view(lesson *L, example *e);
static void matrix_view(lesson *L, example *e);
static void softmax_section(lesson *L, example *e);
static void one_expression(lesson *L, const example *e);
static void linear_layers_collapse(lesson *L, const example *e);
static void random_features(lesson *L, const size_t widths[], size_t n_widths);
static void running_problem(lesson *L);
static void check_yourself(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 3, .title = "The forward pass",
      .options = options, .prose = &lecture_prose});
  example e = {.hidden = activation_kinds[activation]};
  e.n_sizes = parse_list(L, "sizes", sizes_text, e.sizes, MAX_LAYERS, MAX_UNITS);
  if (e.n_sizes < 3 || e.sizes[e.n_sizes - 1] < 2)
    lesson_usage_error(L, "invalid value '%s' for --sizes: give at least 3 sizes "
                       "(inputs, a hidden layer, outputs) and at least 2 outputs",
                       sizes_text);
  size_t widths[MAX_WIDTHS];
  size_t n_widths = parse_list(L, "widths", widths_text, widths, MAX_WIDTHS, MAX_WIDTH);
  LESSON_PROSE(L);

  graph_view(L, &e);
  matrix_view(L, &e);
  softmax_section(L, &e);
  one_expression(L, &e);
  linear_layers_collapse(L, &e);
  random_features(L, widths, n_widths);
  running_problem(L);
  check_yourself(L);

  for (size_t l = 1; l < e.n_sizes; l++) {
    gsl_vector_free(e.a[l]);
    gsl_vector_free(e.z[l]);
  }
  gsl_vector_free(e.x);
  gsl_vector_free(e.p);
  nn_network_free(e.net);
  return lesson_finish(L);
}

/* ===== Helpers ===== */

/* "3,4,3,2" into out[]: 1 to max_count whole numbers from 1 to max_value,
 * separated by commas; anything else stops the lecture naming --OPTION. */
static size_t
parse_list(lesson *L, const char *option, const char *text, size_t out[],
           size_t max_count, size_t max_value)
{
  size_t n = 0;
  const char *s = text;
  for (;;) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < 1 || (size_t) v > max_value || n == max_count
        || (*end != ',' && *end != '\0'))
      lesson_usage_error(L, "invalid value '%s' for --%s: expected up to %zu whole "
                         "numbers from 1 to %zu, separated by commas", text, option,
                         max_count, max_value);
    out[n++] = (size_t) v;
    if (*end == '\0')
      return n;
    s = end + 1;
  }
}

/* Unicode subscripts: x₁, W₂. Numbers up to 99. */
static const char *
sub(lesson *L, size_t k)
{
  static const char *const digits[] = {"₀", "₁", "₂", "₃", "₄",
                                       "₅", "₆", "₇", "₈", "₉"};
  char buf[16];
  if (k < 10)
    snprintf(buf, sizeof buf, "%s", digits[k]);
  else
    snprintf(buf, sizeof buf, "%s%s", digits[(k / 10) % 10], digits[k % 10]);
  return lesson_pad(L, buf, 0);
}

/* Superscript digits in parentheses, for the layer of a neuron: ⁽²⁾. */
static const char *
sup(lesson *L, size_t k)
{
  static const char *const digits[] = {"⁰", "¹", "²", "³", "⁴",
                                       "⁵", "⁶", "⁷", "⁸", "⁹"};
  char buf[32];
  snprintf(buf, sizeof buf, "⁽%s⁾", digits[k % 10]);
  return lesson_pad(L, buf, 0);
}

/* A multiple of 0.1 in [-1, 1], never 0: weights easy to follow by hand. */
static double
draw_tenths(gsl_rng *rng)
{
  long k = (long) gsl_rng_uniform_int(rng, 20) - 10;  /* -10 .. 9 */
  return (double) (k >= 0 ? k + 1 : k) / 10.0;         /* -1.0 .. 1.0, no 0 */
}

static const char *
hidden_name(const example *e)
{
  return nn_activation_name(e->hidden);
}

/// ## 1. From neurons to layers to a network: the graph view
///
/// Put several neurons side by side, each reading the same inputs, each
/// with its own weights and bias: that is a **layer**. Feed the outputs of
/// one layer to the next and you have a **network** (a multilayer
/// perceptron, or MLP). The first column holds the inputs, the last the
/// outputs, and the layers in between are **hidden**: nobody tells them
/// what to compute, training will. Every arrow carries a number from one
/// neuron to the next, multiplied by the weight written on it; every
/// neuron adds what arrives, adds its bias and applies its activation g,
/// exactly as in lecture 2.
///
/// The example network (its sizes are `--sizes`: inputs first), with
/// weights and biases drawn from the seed as multiples of 0.1, so that
/// every number can be followed by hand. A ReLU neuron whose sum z is
/// negative outputs 0, and a worked example made mostly of zeros shows
/// little, so the weights are drawn again (from the same seed) until every
/// hidden layer has at most one such neuron:

/* The weights, biases and input of the example network, drawn from the
 * lesson's generator; returns the number of neurons of the hidden layers
 * whose sum z is 0 or below for that input, and in *crowded whether one
 * hidden layer has more than one of them. */
static size_t
draw_example(lesson *L, example *e, const nn_activation_kind acts[], int *crowded)
{
  const size_t nl = e->n_sizes - 1;
  for (size_t l = 0; l < nl; l++) {
    gsl_matrix *W = nn_network_W(e->net, l);
    gsl_vector *b = nn_network_b(e->net, l);
    for (size_t j = 0; j < W->size1; j++) {
      for (size_t i = 0; i < W->size2; i++)
        gsl_matrix_set(W, j, i, draw_tenths(L->rng));
      gsl_vector_set(b, j, draw_tenths(L->rng));
    }
  }
  for (size_t i = 0; i < e->x->size; i++)
    gsl_vector_set(e->x, i, draw_tenths(L->rng));
  size_t off = 0;
  *crowded = 0;
  gsl_vector *a = gsl_vector_alloc(e->x->size);
  gsl_vector_memcpy(a, e->x);
  for (size_t l = 0; l + 1 < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    gsl_vector *z = gsl_vector_alloc(W->size1);
    nn_linalg_matvec(W, a, z);
    gsl_vector_add(z, nn_network_b(e->net, l));
    size_t here = 0;
    for (size_t j = 0; j < z->size; j++)
      here += gsl_vector_get(z, j) <= 0.0;
    off += here;
    *crowded |= here > 1;
    nn_activation_apply_vector(acts[l], NN_ACTIVATION_LEAKY_SLOPE, z);
    gsl_vector_free(a);
    a = z;
  }
  gsl_vector_free(a);
  return off;
}

static void
graph_view(lesson *L, example *e)
{
  LESSON_PROSE(L);
  const size_t nl = e->n_sizes - 1;  /* L, the number of layers */
  nn_activation_kind acts[MAX_LAYERS];
  for (size_t l = 0; l < nl; l++)
    acts[l] = l + 1 < nl ? e->hidden : NN_ACTIVATION_IDENTITY;  /* scores last */
  e->net = nn_network_alloc(e->sizes, e->n_sizes, acts, 1);
  e->x = gsl_vector_alloc(e->sizes[0]);
  /* Draw until no hidden layer has two neurons with z <= 0, keeping the
   * draw with the fewest in case MAX_DRAWS is reached (wide layers). */
  gsl_vector *best = gsl_vector_alloc(e->net->params->size);
  gsl_vector *best_x = gsl_vector_alloc(e->x->size);
  size_t fewest = SIZE_MAX, draws = 0;
  for (int crowded = 1; crowded && draws < MAX_DRAWS;) {
    size_t off = draw_example(L, e, acts, &crowded);
    draws++;
    if (!crowded || off < fewest) {
      fewest = off;
      gsl_vector_memcpy(best, e->net->params);
      gsl_vector_memcpy(best_x, e->x);
    }
  }
  gsl_vector_memcpy(e->net->params, best);
  gsl_vector_memcpy(e->x, best_x);
  gsl_vector_free(best);
  gsl_vector_free(best_x);
  lesson_printf(L, "draws of the weights: %zu; hidden neurons with z <= 0: %zu\n",
                draws, fewest);
  size_t count = 0;
  for (size_t l = 0; l < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    size_t nw = W->size1 * W->size2;
    lesson_printf(L, "layer %zu: %zu inputs -> %zu neurons (%s): %zu weights + %zu "
                  "biases\n", l + 1, e->sizes[l], e->sizes[l + 1],
                  l + 1 < nl ? hidden_name(e) : "no activation: scores", nw, W->size1);
    count += nw + W->size1;
  }
  lesson_printf(L, "parameters in all: %zu (the network's params vector holds %zu)\n\n",
                count, e->net->params->size);

  /* The forward pass, neuron by neuron, as the graph shows it: each neuron
   * sums its incoming edges. */
  e->a[0] = e->x;
  lesson_vector(L, "input x", e->x);
  for (size_t l = 0; l < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    const gsl_vector *b = nn_network_b(e->net, l);
    nn_activation_kind g = acts[l];
    e->a[l + 1] = gsl_vector_alloc(W->size1);
    e->z[l + 1] = gsl_vector_alloc(W->size1);
    lesson_printf(L, "layer %zu:\n", l + 1);
    for (size_t j = 0; j < W->size1; j++) {
      double z = gsl_vector_get(b, j);
      for (size_t i = 0; i < W->size2; i++)
        z += gsl_matrix_get(W, j, i) * gsl_vector_get(e->a[l], i);
      double a = nn_activation_eval(g, NN_ACTIVATION_LEAKY_SLOPE, z);
      gsl_vector_set(e->a[l + 1], j, a);
      gsl_vector_set(e->z[l + 1], j, z);
      if (l + 1 < nl)
        lesson_printf(L, "  neuron %zu: z = %s, a = %s(z) = %s\n", j + 1,
                      lesson_num(L, z), nn_activation_name(g), lesson_num(L, a));
      else
        lesson_printf(L, "  output %zu: score z = %s\n", j + 1, lesson_num(L, z));
    }
  }
  e->p = gsl_vector_alloc(e->sizes[nl]);
  nn_softmax_vector(e->p, e->a[nl]);

  /// The same numbers drawn as a graph, in network.svg (network.dot) in the
  /// output folder: one column of nodes per layer, each hidden node showing
  /// its sum z and its activation a = g(z) for this input (a_j⁽ˡ⁾ is neuron
  /// j of layer l), each edge its weight (blue positive, vermilion
  /// negative, wider when larger). The scores of the last layer go through
  /// the softmax of section 3, which turns them into the probabilities on
  /// the right.
  LESSON_PROSE(L);
  nn_graph *G = lesson_graph(L, "network");
  char label[256], id[32], from[32];
  snprintf(label, sizeof label, "The example network %s, %s hidden layers: the "
           "forward pass of one input\n(blue: positive weight, vermilion: negative; "
           "width grows with |weight|; b: the neuron's bias)", sizes_text,
           hidden_name(e));
  nn_graph_attr(G, "label", label);
  nn_graph_attr(G, "ranksep", "2.4");
  nn_graph_attr(G, "nodesep", "0.35");
  nn_graph_attr(G, "ordering", "out");  /* neurons top to bottom in their order */
  for (size_t l = 0; l <= nl; l++)
    for (size_t j = 0; j < e->sizes[l]; j++) {
      nn_graph_style st = {.shape = "circle", .rank = (int) l, .has_rank = 1,
                           .fillcolor = l == 0 ? "#f2f2f2"
                                        : l < nl ? "#fff2cc" : "#e5f0f8"};
      snprintf(id, sizeof id, "n%zu_%zu", l, j);
      double v = gsl_vector_get(e->a[l], j);
      if (l == 0)
        snprintf(label, sizeof label, "x%s\n%s", sub(L, j + 1), lesson_num(L, v));
      else if (l < nl)
        snprintf(label, sizeof label, "a%s%s\nz = %s\na = %s\nb = %s", sub(L, j + 1),
                 sup(L, l), lesson_num(L, gsl_vector_get(e->z[l], j)), lesson_num(L, v),
                 lesson_num(L, gsl_vector_get(nn_network_b(e->net, l - 1), j)));
      else
        snprintf(label, sizeof label, "z%s\nscore %s\nb = %s", sub(L, j + 1),
                 lesson_num(L, v),
                 lesson_num(L, gsl_vector_get(nn_network_b(e->net, l - 1), j)));
      nn_graph_node(G, id, label, &st);
    }
  nn_graph_style sm = {.shape = "box", .fillcolor = "#e8e8e8",
                       .rank = (int) nl + 1, .has_rank = 1};
  nn_graph_node(G, "softmax", "softmax", &sm);
  for (size_t k = 0; k < e->p->size; k++) {
    nn_graph_style st = {.shape = "doublecircle", .fillcolor = "#dff2e9",
                         .rank = (int) nl + 2, .has_rank = 1};
    snprintf(id, sizeof id, "p%zu", k);
    snprintf(label, sizeof label, "p%s\n%s", sub(L, k + 1),
             lesson_num(L, gsl_vector_get(e->p, k)));
    nn_graph_node(G, id, label, &st);
  }
  for (size_t l = 0; l < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    for (size_t j = 0; j < W->size1; j++)
      for (size_t i = 0; i < W->size2; i++) {
        double w = gsl_matrix_get(W, j, i);
        nn_graph_style st = {.color = w >= 0 ? "#0072b2" : "#d55e00",
                             .fontcolor = w >= 0 ? "#0072b2" : "#d55e00",
                             .penwidth = 0.5 + 3.5 * fabs(w)};  /* |w| <= 1 */
        snprintf(from, sizeof from, "n%zu_%zu", l, i);
        snprintf(id, sizeof id, "n%zu_%zu", l + 1, j);
        nn_graph_edge(G, from, id, lesson_num(L, w), &st);
      }
  }
  for (size_t k = 0; k < e->p->size; k++) {
    snprintf(from, sizeof from, "n%zu_%zu", nl, k);
    snprintf(id, sizeof id, "p%zu", k);
    nn_graph_edge(G, from, "softmax", NULL, NULL);
    nn_graph_edge(G, "softmax", id, NULL, NULL);
  }
  lesson_show_graph(L, G);
  nn_graph_free(G);
  lesson_try(L, "predict how many numbers are zero with sigmoid units, then run "
             "`make lecture3 ARGS='--activation sigmoid'`; or another network, "
             "`make lecture3 ARGS='--sizes 2,5,3'`.");
}

/// ## 2. The same network as matrices
///
/// Stack the weights of layer l into a matrix W_l, one row per neuron (so
/// W_l is s_l x s_(l-1): outputs x inputs) and the biases into a vector
/// b_l. All the sums of one layer are then one matrix-vector product, the
/// stacked dot products of lecture 1, and the activation acts on every
/// entry:
///
///     a_0 = x
///     z_l = W_l a_(l-1) + b_l          (the weighted sums of layer l)
///     a_l = g(z_l)                     (ReLU(W x + b) for a ReLU layer)
///
/// and the last layer keeps its sums z_L as the **scores**. Layer by layer:

static void
matrix_view(lesson *L, example *e)
{
  LESSON_PROSE(L);
  const size_t nl = e->n_sizes - 1;
  gsl_vector *a = gsl_vector_alloc(e->x->size);
  gsl_vector_memcpy(a, e->x);
  double by_neurons = 0.0;  /* the largest gap to section 1's neuron-by-neuron values */
  for (size_t l = 0; l < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    const gsl_vector *b = nn_network_b(e->net, l);
    gsl_vector *z = gsl_vector_alloc(W->size1);
    nn_linalg_matvec(W, a, z);  /* z = W a + b */
    gsl_vector_add(z, b);
    char name[64];
    lesson_printf(L, "layer %zu: W%zu is %zu x %zu, b%zu has %zu entries\n", l + 1,
                  l + 1, W->size1, W->size2, l + 1, b->size);
    snprintf(name, sizeof name, "W%zu", l + 1);
    lesson_matrix(L, name, W);
    snprintf(name, sizeof name, "b%zu", l + 1);
    lesson_vector(L, name, b);
    snprintf(name, sizeof name, "z%zu = W%zu a%zu + b%zu", l + 1, l + 1, l, l + 1);
    lesson_vector(L, name, z);
    gsl_vector_free(a);
    a = z;
    if (l + 1 < nl) {
      nn_activation_apply_vector(e->hidden, NN_ACTIVATION_LEAKY_SLOPE, a);
      snprintf(name, sizeof name, "a%zu = %s(z%zu)", l + 1, hidden_name(e), l + 1);
      lesson_vector(L, name, a);
    }
    for (size_t j = 0; j < a->size; j++)
      by_neurons = GSL_MAX(by_neurons, fabs(gsl_vector_get(a, j)
                                            - gsl_vector_get(e->a[l + 1], j)));
    lesson_printf(L, "\n");
  }
  lesson_printf(L, "matrices vs neuron by neuron (section 1): largest difference %.3g\n",
                by_neurons);

  /// A layer like these, in which every neuron reads every output of the
  /// layer before, with a weight for each, is called a **dense** layer (or
  /// **fully connected** layer): W_l has no entry that is forced to be 0.
  /// It is the only kind of layer in this course until the recurrent
  /// networks of lecture 12; the library's is nn_dense, and exercise 3
  /// asks you to write its forward pass, ex3_dense_forward(). For a whole **batch** of B inputs, the rows of
  /// a matrix X (B x s_0), a dense layer computes all the sums in one
  /// matrix product, Z = X Wᵀ + b (the same sums, written with rows
  /// instead of columns; b is added to every row). nn_network_forward()
  /// chains the dense layers and their activations. With a batch of one:
  LESSON_PROSE(L);
  {
    const gsl_matrix *W1 = nn_network_W(e->net, 0);
    gsl_vector *params = gsl_vector_alloc(nn_dense_n_params(W1->size2, W1->size1));
    gsl_vector *grads = gsl_vector_calloc(params->size);
    nn_dense *layer = nn_dense_alloc(W1->size2, W1->size1, 1, params, grads);
    gsl_matrix_memcpy(&layer->W.matrix, W1);
    gsl_vector_memcpy(&layer->b.vector, nn_network_b(e->net, 0));
    gsl_matrix_view X1 = gsl_matrix_view_vector(e->x, 1, e->x->size);
    gsl_matrix *Z1 = gsl_matrix_alloc(1, W1->size1);
    nn_dense_forward(layer, Z1, &X1.matrix);
    gsl_vector_view z1 = gsl_matrix_row(Z1, 0);
    lesson_vector(L, "z1 from nn_dense_forward (layer 1)", &z1.vector);
    gsl_matrix_free(Z1);
    nn_dense_free(layer);
    gsl_vector_free(params);
    gsl_vector_free(grads);
  }
  gsl_matrix_view X = gsl_matrix_view_vector(e->x, 1, e->x->size);
  gsl_matrix *Y = gsl_matrix_alloc(1, e->sizes[nl]);
  nn_network_forward(e->net, Y, &X.matrix);
  gsl_vector_view y = gsl_matrix_row(Y, 0);
  lesson_vector(L, "scores from nn_network_forward", &y.vector);
  double gap = 0.0;
  for (size_t k = 0; k < a->size; k++)
    gap = GSL_MAX(gap, fabs(gsl_vector_get(a, k) - gsl_vector_get(&y.vector, k)));
  lesson_printf(L, "layer by layer vs nn_network_forward: largest difference %.3g\n",
                gap);
  if (lesson_challenge(L, "A dense layer has 4 inputs and 3 neurons. How many "
                       "weights and biases does it hold?"))
    lesson_printf(L, "W is 3 x 4: 12 weights, one per (neuron, input) pair; b has 3 "
                  "entries, one per neuron: 15 numbers in all, "
                  "nn_dense_n_params(4, 3) = %zu.\n", nn_dense_n_params(4, 3));
  gsl_matrix_free(Y);
  gsl_vector_free(a);
}

/// ## 3. Softmax: scores into probabilities
///
/// A classifier with K classes ends with K scores (also called logits), one
/// per class: any real numbers, larger meaning "more likely". The
/// **softmax** turns them into probabilities,
///
///     p_k = e^(z_k) / (e^(z_1) + ... + e^(z_K)),
///
/// each positive (e^z > 0) and together summing to 1, largest where the
/// score is largest. Two properties matter. It only sees differences:
/// adding the same c to every score multiplies the top and the bottom by
/// e^c, which cancels (**shift invariance**). And that is how it is
/// computed safely: e^1000 overflows to infinity and e^-1000 underflows to
/// 0, and infinity/infinity or 0/0 is not a number (NaN), so the library
/// first subtracts the largest score, which changes nothing and keeps
/// every exponent at or below 0. The example network's scores, then the
/// same scores shifted by ±1000 (the sums z + 1000 are themselves rounded
/// to about 13 digits after the point, so the shifted answers agree to
/// about that):

/* p = softmax(z) the naive way, e^z_k / Σ e^z_j, for the demonstration. */
static void
naive_softmax(gsl_vector *p, const gsl_vector *z)
{
  double sum = 0.0;
  for (size_t k = 0; k < z->size; k++)
    sum += exp(gsl_vector_get(z, k));
  for (size_t k = 0; k < z->size; k++)
    gsl_vector_set(p, k, exp(gsl_vector_get(z, k)) / sum);
}

static double
sum_of(const gsl_vector *v)
{
  double s = 0.0;
  for (size_t k = 0; k < v->size; k++)
    s += gsl_vector_get(v, k);
  return s;
}

static void
softmax_section(lesson *L, example *e)
{
  LESSON_PROSE(L);
  const size_t nl = e->n_sizes - 1, K = e->sizes[nl];
  const gsl_vector *z = e->a[nl];
  lesson_vector(L, "scores z", z);
  lesson_vector(L, "p = softmax(z)", e->p);
  lesson_printf(L, "sum of p = %s\n", lesson_num(L, sum_of(e->p)));

  gsl_vector *shifted = gsl_vector_alloc(K), *q = gsl_vector_alloc(K);
  gsl_vector *naive = gsl_vector_alloc(K);
  static const double shifts[] = {1000.0, -1000.0};
  for (size_t s = 0; s < 2; s++) {
    gsl_vector_memcpy(shifted, z);
    gsl_vector_add_constant(shifted, shifts[s]);
    nn_softmax_vector(q, shifted);
    naive_softmax(naive, shifted);
    double gap = 0.0;
    for (size_t k = 0; k < K; k++)
      gap = GSL_MAX(gap, fabs(gsl_vector_get(q, k) - gsl_vector_get(e->p, k)));
    char name[64];
    snprintf(name, sizeof name, "softmax(z %s 1000)", shifts[s] > 0 ? "+" : "-");
    lesson_vector(L, name, q);
    lesson_printf(L, "  largest difference from softmax(z): %.3g\n", gap);
    lesson_printf(L, "  the naive formula e^z_k / Σ e^z_j gives (");
    for (size_t k = 0; k < K; k++)  /* NaN as "NaN", whatever its sign bit */
      lesson_printf(L, "%s%s", k ? ", " : "",
                    isnan(gsl_vector_get(naive, k)) ? "NaN"
                                                    : lesson_num(L, gsl_vector_get(naive, k)));
    lesson_printf(L, ")\n");
  }

  /// A **temperature** T > 0 divides the scores first, softmax(z / T): a
  /// low temperature sharpens the distribution towards the largest score
  /// (T -> 0 gives all the probability to it), a high one flattens it
  /// towards uniform (T -> ∞ gives 1/K each). The figure shows five scores
  /// drawn from the seed at three temperatures:
  LESSON_PROSE(L);
  enum { CLASSES = 5 };
  double scores[CLASSES];
  gsl_vector_view sv = gsl_vector_view_array(scores, CLASSES);
  for (size_t k = 0; k < CLASSES; k++)
    scores[k] = 3.0 * draw_tenths(L->rng);  /* multiples of 0.3 in [-3, 3] */
  lesson_vector(L, "scores", &sv.vector);
  char labels[CLASSES][48];
  const char *tics[CLASSES];
  for (size_t k = 0; k < CLASSES; k++) {
    snprintf(labels[k], sizeof labels[k], "z%s = %s", sub(L, k + 1),
             lesson_num(L, scores[k]));
    tics[k] = labels[k];
  }
  nn_plot *p = lesson_plot(L, "softmax");
  nn_plot_title(p, "Softmax of five scores at three temperatures T");
  nn_plot_labels(p, "class, with its score", "probability p_k = softmax(z / T)_k");
  nn_plot_set(p, "yrange [0:1.05]");
  static const double temps[] = {0.5, 1.0, 2.0};
  static const char *const colours[] = {"#0072b2", "#009e73", "#e69f00"};
  gsl_vector *scaled = gsl_vector_alloc(CLASSES), *prob = gsl_vector_alloc(CLASSES);
  for (size_t t = 0; t < 3; t++) {
    gsl_vector_memcpy(scaled, &sv.vector);
    gsl_vector_scale(scaled, 1.0 / temps[t]);
    nn_softmax_vector(prob, scaled);
    char legend[64], style[64], name[64];
    snprintf(legend, sizeof legend, "T = %s", lesson_num(L, temps[t]));
    snprintf(style, sizeof style, "boxes lc rgb '%s'", colours[t]);
    nn_plot_bars(p, legend, tics, prob->data, CLASSES, style);
    snprintf(name, sizeof name, "softmax(z / %s)", lesson_num(L, temps[t]));
    lesson_vector(L, name, prob);
    lesson_printf(L, "  sum = %s\n", lesson_num(L, sum_of(prob)));
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(scaled);
  gsl_vector_free(prob);
  gsl_vector_free(shifted);
  gsl_vector_free(q);
  gsl_vector_free(naive);
}

/// ## 4. The whole network as one expression, and its loss
///
/// Substitute each layer into the next and the network is one formula of
/// its input. Training will need a number that says how wrong the output
/// is for a target y: with y the **one-hot** vector of the right class (1
/// for that class, 0 for the others), the **L2 loss** is the squared
/// distance between prediction and target,
///
///     J = ‖ŷ - y‖² = Σ_k (ŷ_k - y_k)²,
///
/// 0 for a perfect, confident answer. (Lecture 4 compares losses and
/// prefers cross-entropy for classes; the L2 loss is the simplest.) Here
/// the right class is taken to be class 1:

static void
one_expression(lesson *L, const example *e)
{
  LESSON_PROSE(L);
  const size_t nl = e->n_sizes - 1, K = e->sizes[nl];
  /* ŷ = softmax(W₃ g(W₂ g(W₁ x + b₁) + b₂) + b₃), built from the inside out */
  char expr[512] = "x";
  for (size_t l = 1; l <= nl; l++) {
    char inner[512];
    snprintf(inner, sizeof inner, "%s", expr);
    if (l < nl)
      snprintf(expr, sizeof expr, "%s(W%s %s + b%s)", hidden_name(e), sub(L, l), inner,
               sub(L, l));
    else
      snprintf(expr, sizeof expr, "W%s %s + b%s", sub(L, l), inner, sub(L, l));
  }
  lesson_printf(L, "ŷ = softmax(%s)\n", expr);
  lesson_printf(L, "J = ‖softmax(%s) - y‖²\n\n", expr);
  gsl_vector *y = gsl_vector_calloc(K);
  gsl_vector_set(y, 0, 1.0);
  lesson_vector(L, "ŷ", e->p);
  lesson_vector(L, "y", y);
  double J = 0.0;
  lesson_printf(L, "J =");
  for (size_t k = 0; k < K; k++) {
    double d = gsl_vector_get(e->p, k) - gsl_vector_get(y, k);
    J += d * d;
    lesson_printf(L, "%s(%s)²", k ? " + " : " ", lesson_num(L, d));
  }
  lesson_printf(L, " = %s\n", lesson_num(L, J));
  /* The library's MSE is the mean over the K outputs: J = K · MSE. */
  double mse;
  gsl_matrix_const_view P = gsl_matrix_const_view_vector(e->p, 1, K);
  gsl_matrix_const_view Yt = gsl_matrix_const_view_vector(y, 1, K);
  nn_loss_mse(&mse, NULL, NULL, &P.matrix, &Yt.matrix);
  lesson_printf(L, "K · nn_loss_mse = %zu · %s = %s\n", K, lesson_num(L, mse),
                lesson_num(L, (double) K * mse));
  gsl_vector_free(y);
}

/// ## 5. Why activation functions are needed
///
/// Take the activations away and stack two layers: the result is
///
///     W₂ (W₁ x + b₁) + b₂ = (W₂ W₁) x + (W₂ b₁ + b₂) = W x + b,
///
/// one layer again, with W = W₂ W₁ and b = W₂ b₁ + b₂. However many linear
/// layers are stacked, the network stays one affine map: it can only draw
/// lines, like the lone perceptron. The first two layers of the example
/// network without their activation, and the one layer they collapse into:

static void
linear_layers_collapse(lesson *L, const example *e)
{
  LESSON_PROSE(L);
  const size_t s0 = e->sizes[0], s1 = e->sizes[1], s2 = e->sizes[2];
  const gsl_matrix *W1 = nn_network_W(e->net, 0), *W2 = nn_network_W(e->net, 1);
  const gsl_vector *b1 = nn_network_b(e->net, 0), *b2 = nn_network_b(e->net, 1);
  gsl_matrix *W = gsl_matrix_alloc(s2, s0);
  gsl_vector *b = gsl_vector_alloc(s2);
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, W2, W1, 0.0, W);  /* W = W₂ W₁ */
  gsl_vector_memcpy(b, b2);
  gsl_blas_dgemv(CblasNoTrans, 1.0, W2, b1, 1.0, b);                /* b = W₂ b₁ + b₂ */
  lesson_matrix(L, "W1", W1);
  lesson_vector(L, "b1", b1);
  lesson_matrix(L, "W2", W2);
  lesson_vector(L, "b2", b2);
  lesson_matrix(L, "W = W2 W1", W);
  lesson_vector(L, "b = W2 b1 + b2", b);

  /* Two networks with the same W₁, b₁, W₂, b₂: one linear, one with the
   * activation between the layers; and the collapsed single layer. All on
   * a batch of B random inputs (one per row). */
  enum { B = 100 };
  const size_t sz[] = {s0, s1, s2};
  const nn_activation_kind linear[] = {NN_ACTIVATION_IDENTITY, NN_ACTIVATION_IDENTITY};
  const nn_activation_kind bent[] = {e->hidden, NN_ACTIVATION_IDENTITY};
  nn_network *lin = nn_network_alloc(sz, 3, linear, B), *act = nn_network_alloc(sz, 3, bent, B);
  gsl_vector_const_view first = gsl_vector_const_subvector(e->net->params, 0,
                                                           lin->params->size);
  gsl_vector_memcpy(lin->params, &first.vector);  /* W₁, b₁, W₂, b₂: the same order */
  gsl_vector_memcpy(act->params, &first.vector);
  gsl_vector *one_params = gsl_vector_alloc(nn_dense_n_params(s0, s2));
  gsl_vector *one_grads = gsl_vector_calloc(one_params->size);
  nn_dense *one = nn_dense_alloc(s0, s2, B, one_params, one_grads);
  gsl_matrix_memcpy(&one->W.matrix, W);
  gsl_vector_memcpy(&one->b.vector, b);

  gsl_matrix *X = gsl_matrix_alloc(B, s0), *Y2 = gsl_matrix_alloc(B, s2);
  gsl_matrix *Y1 = gsl_matrix_alloc(B, s2);
  for (size_t r = 0; r < B; r++)
    for (size_t i = 0; i < s0; i++)
      gsl_matrix_set(X, r, i, gsl_ran_flat(L->rng, -2.0, 2.0));
  nn_network_forward(lin, Y2, X);
  nn_dense_forward(one, Y1, X);
  double gap = 0.0;
  for (size_t r = 0; r < B; r++)
    for (size_t k = 0; k < s2; k++)
      gap = GSL_MAX(gap, fabs(gsl_matrix_get(Y2, r, k) - gsl_matrix_get(Y1, r, k)));
  lesson_printf(L, "\ntwo linear layers vs the one layer W x + b, on %d random inputs:"
                "\n  largest difference %.3g\n", B, gap);

  /// Zero, up to rounding. An affine map has a tell-tale property: the
  /// output at the midpoint of two inputs is the midpoint of their outputs,
  /// f((u + v)/2) = (f(u) + f(v))/2. The two-layer network passes that test
  /// without its activation and fails it with one (unless `--activation` is
  /// identity, which is no activation at all). Over 50 random pairs of the
  /// inputs above:
  LESSON_PROSE(L);
  nn_network *nets[] = {lin, act};
  const char *names[] = {"no activation", hidden_name(e)};
  gsl_matrix *U = gsl_matrix_alloc(B / 2, s0), *V = gsl_matrix_alloc(B / 2, s0);
  gsl_matrix *M = gsl_matrix_alloc(B / 2, s0);
  gsl_matrix *FU = gsl_matrix_alloc(B / 2, s2), *FV = gsl_matrix_alloc(B / 2, s2);
  gsl_matrix *FM = gsl_matrix_alloc(B / 2, s2);
  gsl_matrix_const_view top = gsl_matrix_const_submatrix(X, 0, 0, B / 2, s0);
  gsl_matrix_const_view bottom = gsl_matrix_const_submatrix(X, B / 2, 0, B / 2, s0);
  gsl_matrix_memcpy(U, &top.matrix);
  gsl_matrix_memcpy(V, &bottom.matrix);
  gsl_matrix_memcpy(M, U);  /* M = (U + V) / 2, row by row */
  gsl_matrix_add(M, V);
  gsl_matrix_scale(M, 0.5);
  for (size_t n = 0; n < 2; n++) {
    nn_network_forward(nets[n], FU, U);
    nn_network_forward(nets[n], FV, V);
    nn_network_forward(nets[n], FM, M);
    double defect = 0.0;
    for (size_t r = 0; r < B / 2; r++)
      for (size_t k = 0; k < s2; k++) {
        double mid = 0.5 * (gsl_matrix_get(FU, r, k) + gsl_matrix_get(FV, r, k));
        defect = GSL_MAX(defect, fabs(gsl_matrix_get(FM, r, k) - mid));
      }
    lesson_printf(L, "  %s largest |f((u+v)/2) - (f(u)+f(v))/2| = %.3g\n",
                  lesson_pad(L, names[n], 14), defect);
  }
  gsl_matrix_free(U);
  gsl_matrix_free(V);
  gsl_matrix_free(M);
  gsl_matrix_free(FU);
  gsl_matrix_free(FV);
  gsl_matrix_free(FM);
  gsl_matrix_free(X);
  gsl_matrix_free(Y1);
  gsl_matrix_free(Y2);
  nn_dense_free(one);
  gsl_vector_free(one_params);
  gsl_vector_free(one_grads);
  nn_network_free(lin);
  nn_network_free(act);
  gsl_matrix_free(W);
  gsl_vector_free(b);
}

/// ## 6. Universal approximators: how wide must a layer be?
///
/// With an activation between them, layers no longer collapse, and even
/// one hidden layer goes a long way. A network with one input, H hidden
/// units and one output computes
///
///     f(x) = c + v_1 g(w_1 x + b_1) + ... + v_H g(w_H x + b_H):
///
/// a sum of H copies of g, each stretched, shifted and scaled. With ReLU
/// every unit adds one kink to a broken line, at x = -b_j / w_j; with tanh
/// or the sigmoid, one smooth step. The **universal approximation
/// theorem** (Cybenko 1989, Hornik 1991, Leshno and others 1993) says that
/// with enough units such sums come as close as we like to any continuous
/// function on a bounded interval, for any activation that is not a
/// polynomial. It says nothing about how many units, nor how to find the
/// weights: that is training, from lecture 5 on.
///
/// We can watch it happen without training. Draw the hidden layer at
/// random: each unit gets a slope w_j from N(0, 2²) and a centre c_j drawn
/// uniformly in [-3, 3], its bias b_j = -w_j c_j putting its kink or step
/// at x = c_j. Then choose only the output layer, v and c, to fit the
/// target
///
///     f*(x) = sin(2x) + cos(3x) / 2     on [-3, 3]
///
/// at 601 evenly spaced points. f is linear in (c, v_1, ..., v_H), so the
/// best output layer is a linear least-squares fit, which GSL solves
/// exactly (gsl_multifit_linear). Such a network is a **random-feature
/// network**. The widths are `--widths`; the narrower networks use the
/// first units of the widest, so that every wider network can do at least
/// as well as a narrower one. The error of each fit, its root mean square
/// over the 601 points and its largest gap:

/* The target curve of section 6. */
static double
target(double x)
{
  return sin(2.0 * x) + 0.5 * cos(3.0 * x);
}

static void
random_features(lesson *L, const size_t widths[], size_t n_widths)
{
  LESSON_PROSE(L);
  enum { N = 601 };
  const nn_activation_kind g = activation_kinds[activation];
  size_t hmax = 0;
  for (size_t n = 0; n < n_widths; n++)
    hmax = GSL_MAX(hmax, widths[n]);
  double x[N], t[N], y[N];
  for (size_t i = 0; i < N; i++) {
    x[i] = -3.0 + 6.0 * (double) i / (N - 1);
    t[i] = target(x[i]);
  }
  /* Phi (N, hmax + 1): a column of ones (for c), then unit j's output
   * g(w_j x_i + b_j) at every point: the hidden layer's features. */
  gsl_matrix *Phi = gsl_matrix_alloc(N, hmax + 1);
  for (size_t j = 0; j < hmax; j++) {
    double w = gsl_ran_gaussian(L->rng, 2.0), c = gsl_ran_flat(L->rng, -3.0, 3.0);
    for (size_t i = 0; i < N; i++)  /* w x + b = w (x - c): the unit turns at c */
      gsl_matrix_set(Phi, i, j + 1,
                     nn_activation_eval(g, NN_ACTIVATION_LEAKY_SLOPE, w * (x[i] - c)));
  }
  for (size_t i = 0; i < N; i++)
    gsl_matrix_set(Phi, i, 0, 1.0);
  gsl_vector_const_view tv = gsl_vector_const_view_array(t, N);

  nn_plot *fits = lesson_plot(L, "random-features-fit");
  char title[160], legend[64];
  snprintf(title, sizeof title, "Random %s units, output layer fitted by least "
           "squares", nn_activation_name(g));
  nn_plot_title(fits, title);
  nn_plot_labels(fits, "input x", "output f(x)");
  nn_plot_set(fits, "xrange [-3:3]");
  nn_plot_series(fits, "target f*(x) = sin(2x) + cos(3x)/2", x, t, N,
                 "lines lw 6 lc rgb '#bbbbbb'");
  /* Three fits in the figure: the narrowest, a middle one, the widest. */
  const size_t shown[3] = {0, n_widths / 2, n_widths - 1};
  double hs[MAX_WIDTHS], rms[MAX_WIDTHS];
  lesson_printf(L, "  H      RMS error    largest |f - f*|\n");
  for (size_t n = 0; n < n_widths; n++) {
    const size_t H = widths[n];
    gsl_matrix_const_view X = gsl_matrix_const_submatrix(Phi, 0, 0, N, H + 1);
    gsl_vector *coef = gsl_vector_alloc(H + 1);
    gsl_matrix *cov = gsl_matrix_alloc(H + 1, H + 1);
    gsl_multifit_linear_workspace *work = gsl_multifit_linear_alloc(N, H + 1);
    double chisq;
    gsl_multifit_linear(&X.matrix, &tv.vector, coef, cov, &chisq, work);
    gsl_vector_view yv = gsl_vector_view_array(y, N);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &X.matrix, coef, 0.0, &yv.vector);  /* f = Phi (c, v) */
    double sq = 0.0, worst = 0.0;
    for (size_t i = 0; i < N; i++) {
      sq += (y[i] - t[i]) * (y[i] - t[i]);
      worst = GSL_MAX(worst, fabs(y[i] - t[i]));
    }
    hs[n] = (double) H;
    rms[n] = sqrt(sq / N);
    lesson_printf(L, "  %-6zu %-12.3g %.3g\n", H, rms[n], worst);
    if (n == shown[0] || n == shown[1] || n == shown[2]) {
      snprintf(legend, sizeof legend, "H = %zu unit%s", H, H == 1 ? "" : "s");
      nn_plot_series(fits, legend, x, y, N, "lines lw 2");
    }
    gsl_multifit_linear_free(work);
    gsl_matrix_free(cov);
    gsl_vector_free(coef);
  }
  lesson_show_plot(L, fits);
  nn_plot_free(fits);

  /// On log-log axes a power law err ∝ H^(-p) is a straight line of slope
  /// -p. A broken line with H kinks spread over the interval is within
  /// about (spacing)² |f''| / 8 of a smooth curve, and the spacing shrinks
  /// like 1/H: for ReLU units expect a slope near -2 once H is large
  /// enough for the kinks to cover the interval (random kinks leave some
  /// gaps, so the measured slope wanders around it).
  LESSON_PROSE(L);
  double lh[MAX_WIDTHS], lr[MAX_WIDTHS];
  size_t m = 0;
  for (size_t n = 0; n < n_widths; n++)
    if (widths[n] >= 8 && rms[n] > 0) {
      lh[m] = log10(hs[n]);
      lr[m++] = log10(rms[n]);
    }
  if (m >= 2) {
    double c0, c1, cov00, cov01, cov11, sumsq;
    gsl_fit_linear(lh, 1, lr, 1, m, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
    lesson_printf(L, "slope of log(RMS error) against log(H), for H >= 8: %.2f\n", c1);
  } else {
    lesson_printf(L, "slope of the error: needs two widths of 8 or more (--widths)\n");
  }
  nn_plot *p = lesson_plot(L, "approximation-error");
  snprintf(title, sizeof title, "RMS error of the best fit against the hidden "
           "units H (%s)", nn_activation_name(g));
  nn_plot_title(p, title);
  nn_plot_labels(p, "hidden units H", "RMS error");
  nn_plot_set(p, "logscale xy");
  nn_plot_set(p, "xrange [%.17g:%.17g]", hs[0] / 1.5, hs[n_widths - 1] * 1.5);
  nn_plot_series(p, "random-feature network, output layer fitted", hs, rms, n_widths,
                 "linespoints lw 2 pt 7 ps 1.2 lc rgb '#0072b2'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "predict the error of 300 units, then run "
             "`make lecture3 ARGS='--widths 3,30,300'`; then smooth steps, "
             "`--activation tanh`, and no activation at all, `--activation "
             "identity`: what can H buy then?");
  gsl_matrix_free(Phi);
}

/// ## 7. The running problem: XOR with two hidden units
///
/// Lecture 2 ended with 20 points that no line separates: four clouds
/// around the corners of the unit square, (0,0) and (1,1) of class 0,
/// (0,1) and (1,0) of class 1 ("exclusive or", with noise of spread
/// `--running-sd`). The same 20 points will follow us up to lecture 7.
/// One hidden layer of two sigmoid units is enough for them:
///
///     a_j = w_j1 x_1 + w_j2 x_2 + b_j     h_j = σ(a_j)      j = 1, 2
///     z   = v_1 h_1 + v_2 h_2 + c         ŷ   = σ(z)
///
/// nine parameters, set here by hand with a size k (`--scale`):
///
///     unit 1: w_11 = w_12 = k,   b_1 = -k/2:  on when x_1 + x_2 > 1/2  (OR)
///     unit 2: w_21 = w_22 = -k,  b_2 = 3k/2:  on when x_1 + x_2 < 3/2  (NAND)
///     output: v_1 = v_2 = k,     c = -3k/2:   on when both are on      (AND)
///
/// and x_1 OR x_2, AND NOT (x_1 AND x_2), is x_1 XOR x_2. Each hidden unit
/// draws one line; the output combines them, which one neuron alone can
/// never do. At the corners:

static void
running_problem(lesson *L)
{
  LESSON_PROSE(L);
  running_net net;
  running_hand_set(&net, scale);
  lesson_printf(L, "k = %s\n", lesson_num(L, scale));
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
    lesson_printf(L, "%s%s = %s", i ? ", " : "", running_param_name(i),
                  lesson_num(L, *running_param(&net, i)));
  lesson_printf(L, "\n\n  x_1  x_2   a_1       h_1 (OR)   a_2       h_2 (NAND)  "
                "z          ŷ          XOR\n");
  for (int k = 0; k < 4; k++) {
    const double x[2] = {k / 2, k % 2};
    double h[2];
    const double yhat = running_predict(&net, x, h);
    const double a1 = net.w[0][0] * x[0] + net.w[0][1] * x[1] + net.b[0];
    const double a2 = net.w[1][0] * x[0] + net.w[1][1] * x[1] + net.b[1];
    const double z = net.v[0] * h[0] + net.v[1] * h[1] + net.c;
    lesson_printf(L, "  %-4g %-5g %-9s %-10s %-9s %-11s %-10s %-10s %d\n", x[0], x[1],
                  lesson_num(L, a1), lesson_num(L, h[0]), lesson_num(L, a2),
                  lesson_num(L, h[1]), lesson_num(L, z), lesson_num(L, yhat),
                  (k / 2) ^ (k % 2));
  }
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  const size_t N = data->X->size1;
  const double acc = running_accuracy(&net, data);
  lesson_printf(L, "\nthe %zu points (spread %s): %.0f of %zu classified right "
                "(ŷ > 1/2 means class 1), accuracy %s\n", N,
                lesson_num(L, running_sd), acc * (double) N, N, lesson_num(L, acc));

  /// The decision map: ŷ over the plane, from 0 (class 0) to 1 (class 1),
  /// with the 20 points on top, written to xor-decision-map.svg. In words:
  /// ŷ is above 1/2 in the diagonal band between the lines
  /// x_1 + x_2 = 1/2 and x_1 + x_2 = 3/2, where the two hidden units
  /// switch, and below 1/2 on both sides of it. The corners (0,1) and
  /// (1,0) lie in the band, (0,0) and (1,1) outside: two lines, where
  /// lecture 2 had one.
  LESSON_PROSE(L);
  enum { G = 81 };
  gsl_vector *gx = gsl_vector_alloc(G), *gy = gsl_vector_alloc(G);
  gsl_matrix *Yhat = gsl_matrix_alloc(G, G);  /* rows: x_2, columns: x_1 */
  for (size_t k = 0; k < G; k++) {
    gsl_vector_set(gx, k, -0.5 + 2.0 * (double) k / (G - 1));
    gsl_vector_set(gy, k, -0.5 + 2.0 * (double) k / (G - 1));
  }
  for (size_t i = 0; i < G; i++)
    for (size_t j = 0; j < G; j++) {
      const double xy[2] = {gsl_vector_get(gx, j), gsl_vector_get(gy, i)};
      gsl_matrix_set(Yhat, i, j, running_predict(&net, xy, NULL));
    }
  nn_plot *p = lesson_plot(L, "xor-decision-map");
  char title[160];
  snprintf(title, sizeof title, "The hand-set 2-2-1 network on the XOR points: "
           "ŷ over the plane (k = %s)", lesson_num(L, scale));
  nn_plot_title(p, title);
  nn_plot_labels(p, "x₁", "x₂");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "xrange [-0.5:1.5]");
  nn_plot_set(p, "yrange [-0.5:1.5]");
  nn_plot_set(p, "cbrange [0:1]");
  nn_plot_set(p, "cblabel 'ŷ'");
  nn_plot_set(p, "palette defined (0 '#0072b2', 0.5 '#f7f7f7', 1 '#d55e00')");
  nn_plot_grid(p, NULL, gx, gy, Yhat, NULL);
  for (int cls = 0; cls <= 1; cls++) {
    double xs[64], ys[64];
    size_t m = 0;
    for (size_t i = 0; i < N && m < 64; i++)
      if (gsl_vector_get(data->y, i) == cls) {
        xs[m] = gsl_matrix_get(data->X, i, 0);
        ys[m++] = gsl_matrix_get(data->X, i, 1);
      }
    nn_plot_series(p, cls ? "class 1 (x₁ XOR x₂ = 1)" : "class 0", xs, ys, m,
                   cls ? "points pt 5 ps 1.5 lc rgb '#000000'"
                       : "points pt 6 ps 1.5 lw 2 lc rgb '#000000'");
  }
  const double lx[2] = {-0.5, 1.5}, l1[2] = {1.0, -1.0}, l2[2] = {2.0, 0.0};
  nn_plot_series(p, "x₁ + x₂ = 1/2 and 3/2: where h₁, h₂ switch", lx, l1, 2,
                 "lines lw 1.5 dt 2 lc rgb '#555555'");
  nn_plot_series(p, NULL, lx, l2, 2, "lines lw 1.5 dt 2 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(gx);
  gsl_vector_free(gy);
  gsl_matrix_free(Yhat);
  nn_data_free(data);

  lesson_try(L, "predict the accuracy with weights ten times smaller, then run "
             "`make lecture3 ARGS='--scale 1'`; and with wider clouds, "
             "`make lecture3 ARGS='--running-sd 0.4'`.");
  if (lesson_challenge(L, "With --scale 0 every weight and bias is 0. What does the "
                       "network answer for every input, and how many of the 20 "
                       "points does it get right?"))
    lesson_printf(L, "Every a_j is 0, so h_1 = h_2 = σ(0) = 1/2, z = 0 and ŷ = "
                  "σ(0) = 1/2 for every input. ŷ > 1/2 never holds: all 20 points "
                  "are called class 0, and the 10 of class 0 are right, "
                  "accuracy 1/2.\n");
}

/// ## What to remember
///
/// - A layer is neurons side by side; a network is layers in a row. The
///   forward pass computes a_l = g(W_l a_(l-1) + b_l), layer by layer; the
///   graph and the matrices are two views of the same sums.
/// - The last layer gives scores; softmax makes them probabilities (all
///   positive, sum 1, unchanged by a shift; computed after subtracting the
///   largest score).
/// - The whole network is one expression of x, and a loss such as
///   ‖ŷ - y‖² one more step: a number training can push down.
/// - A layer whose neurons read every input is a dense (fully connected)
///   layer: Z = X Wᵀ + b for a batch, one sample per row.
/// - Without activations, layers collapse into one affine map. With them,
///   one hidden layer can approximate any continuous function, given
///   enough units: the error of the best random-feature fit falls like a
///   power of H.
/// - Two sigmoid units and an output unit solve XOR, which no single
///   neuron can: each hidden unit draws a line, the output combines them.
///
/// Next, lecture 4: how wrong is a network? Losses and costs, the numbers
/// training minimises, starting with the cost of the XOR network.

/* The prose above, then the questions and the exercise. */
static void
check_yourself(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
      "A dense layer reads 5 inputs and has 3 neurons: what are the shapes of "
      "W and b, and how many parameters does it hold?",
      "Why do two layers without an activation between them compute no more "
      "than one layer?",
      "In the XOR network of section 7, what does each hidden unit compute, "
      "and why does the output unit need both?");
}
