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
/// - random one-hidden-layer networks, whose curves get richer as the
///   layer gets wider: the idea behind the universal approximation theorem.
///
/// The weights are drawn from the seed (`--seed`). `--sizes` sets the
/// layers of the example network, `--activation` the activation of its
/// hidden layers, and `--widths` the random networks of section 6.

/* lecture3-forward-pass.c: lecture 3 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow it in order. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture3-forward-pass.prose.h"

/* ===== Knobs ===== */

/* --activation: the words, and the kinds they stand for, in the same order */
static const nn_activation_kind activation_kinds[] = {
  NN_ACTIVATION_RELU, NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH,
  NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_STEP, NN_ACTIVATION_IDENTITY
};
static int activation = 0;                 /* --activation: relu */
static const char *sizes_text = "3,4,3,2";  /* --sizes */
static const char *widths_text = "1,2,4,16,128";  /* --widths */

static const lesson_option options[] = {
  {"sizes", LESSON_STRING, &sizes_text,
   "layer sizes of the example network, inputs first: 3 to 6 numbers from 1 "
   "to 8, at least 2 outputs", .choices = NULL},
  {"activation", LESSON_CHOICE, &activation,
   "activation of the hidden layers (and of the random networks)",
   .choices = "relu|sigmoid|tanh|leaky_relu|step|identity"},
  {"widths", LESSON_STRING, &widths_text,
   "hidden units of the random networks of section 6: 1 to 8 numbers from 1 "
   "to 1000", .choices = NULL},
  {0}
};

#define MAX_LAYERS 6     /* sizes: at most 6 numbers, so 5 layers */
#define MAX_UNITS 8      /* units per layer of the example network */
#define MAX_WIDTHS 8     /* random networks in section 6 */
#define MAX_WIDTH 1000

/* The example network of sections 1 to 5, and what its forward pass saw. */
typedef struct example {
  size_t sizes[MAX_LAYERS];  /* s_0 (inputs) .. s_L (outputs) */
  size_t n_sizes;            /* L + 1 */
  nn_activation_kind hidden; /* g of the hidden layers; the last layer has none */
  nn_network *net;           /* the network: its W_l and b_l, owned */
  gsl_vector *x;             /* the input, s_0 entries */
  gsl_vector *a[MAX_LAYERS]; /* a[0] = x, a[l] = the output of layer l (owned,
                                a[0] aside) */
  gsl_vector *p;             /* softmax of the last layer's scores a[L] */
} example;

static size_t parse_list(lesson *L, const char *option, const char *text,
                         size_t out[], size_t max_count, size_t max_value);
static void graph_view(lesson *L, example *e);
static void matrix_view(lesson *L, example *e);
static void softmax_section(lesson *L, example *e);
static void one_expression(lesson *L, const example *e);
static void linear_layers_collapse(lesson *L, const example *e);
static void random_networks(lesson *L, const size_t widths[], size_t n_widths);

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
  random_networks(L, widths, n_widths);

  for (size_t l = 1; l < e.n_sizes; l++)
    gsl_vector_free(e.a[l]);
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
/// every number can be followed by hand:

static void
graph_view(lesson *L, example *e)
{
  LESSON_PROSE(L);
  const size_t nl = e->n_sizes - 1;  /* L, the number of layers */
  nn_activation_kind acts[MAX_LAYERS];
  for (size_t l = 0; l < nl; l++)
    acts[l] = l + 1 < nl ? e->hidden : NN_ACTIVATION_IDENTITY;  /* scores last */
  e->net = nn_network_alloc(e->sizes, e->n_sizes, acts, 1);
  size_t count = 0;
  for (size_t l = 0; l < nl; l++) {
    gsl_matrix *W = nn_network_W(e->net, l);
    gsl_vector *b = nn_network_b(e->net, l);
    for (size_t j = 0; j < W->size1; j++) {
      for (size_t i = 0; i < W->size2; i++)
        gsl_matrix_set(W, j, i, draw_tenths(L->rng));
      gsl_vector_set(b, j, draw_tenths(L->rng));
    }
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
  e->x = gsl_vector_alloc(e->sizes[0]);
  for (size_t i = 0; i < e->x->size; i++)
    gsl_vector_set(e->x, i, draw_tenths(L->rng));
  e->a[0] = e->x;
  lesson_vector(L, "input x", e->x);
  for (size_t l = 0; l < nl; l++) {
    const gsl_matrix *W = nn_network_W(e->net, l);
    const gsl_vector *b = nn_network_b(e->net, l);
    nn_activation_kind g = acts[l];
    e->a[l + 1] = gsl_vector_alloc(W->size1);
    lesson_printf(L, "layer %zu:\n", l + 1);
    for (size_t j = 0; j < W->size1; j++) {
      double z = gsl_vector_get(b, j);
      for (size_t i = 0; i < W->size2; i++)
        z += gsl_matrix_get(W, j, i) * gsl_vector_get(e->a[l], i);
      double a = nn_activation_eval(g, NN_ACTIVATION_LEAKY_SLOPE, z);
      gsl_vector_set(e->a[l + 1], j, a);
      if (l + 1 < nl)
        lesson_printf(L, "  neuron %zu: z = %s, a = %s(z) = %s\n", j + 1,
                      lesson_num(L, z), nn_activation_name(g), lesson_num(L, a));
      else
        lesson_printf(L, "  output %zu: score z = %s\n", j + 1, lesson_num(L, z));
    }
  }
  e->p = gsl_vector_alloc(e->sizes[nl]);
  nn_softmax_vector(e->p, e->a[nl]);

  /// The picture: each node shows its value for this input (a_j⁽ˡ⁾ is
  /// neuron j of layer l), each edge its weight (blue positive, vermilion
  /// negative, wider when larger). The
  /// scores of the last layer go through the softmax of section 3, which
  /// turns them into the probabilities on the right.
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
      else
        snprintf(label, sizeof label, "%s%s%s\n%.3g\nb = %s", l < nl ? "a" : "z",
                 sub(L, j + 1), l < nl ? sup(L, l) : "", v,
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
    snprintf(label, sizeof label, "p%s\n%.3f", sub(L, k + 1), gsl_vector_get(e->p, k));
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

  /// The library's nn_network_forward() does the same for a whole **batch**:
  /// B inputs as the rows of a matrix X (B x s_0), each layer computing
  /// Z_l = A_(l-1) W_lᵀ + b_l for all of them in one matrix product (the
  /// same sums, written with rows instead of columns). With a batch of one:
  LESSON_PROSE(L);
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

/// ## 6. Universal approximators: random one-hidden-layer networks
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
/// Below, one network per width H of `--widths`, with random weights:
/// each unit gets a slope w_j from N(0, 2²) and a centre c_j drawn
/// uniformly in [-3, 3], its bias b_j = -w_j c_j putting its kink or step
/// at x = c_j, inside the picture; the output weights v_j come from
/// N(0, 1), and c = 0. Each network is computed for 601 inputs in one
/// batch by nn_network_forward(); then all its v_j are scaled by one
/// common factor so that its curve reaches ±1 at most, which keeps the
/// curves comparable without changing their shapes. The more units, the
/// richer the shape: with ReLU, H + 1 straight pieces, so many for
/// H = 128 that the broken line looks like a smooth curve (which is how
/// ReLU networks approximate smooth functions). A measure of the shape is
/// the number of **turning points**, where the curve changes from going
/// up to going down or back:

static void
random_networks(lesson *L, const size_t widths[], size_t n_widths)
{
  LESSON_PROSE(L);
  enum { N = 601 };
  const nn_activation_kind g = activation_kinds[activation];
  gsl_matrix *X = gsl_matrix_alloc(N, 1), *Y = gsl_matrix_alloc(N, 1);
  double x[N], y[N];
  for (size_t i = 0; i < N; i++) {
    x[i] = -3.0 + 6.0 * (double) i / (N - 1);
    gsl_matrix_set(X, i, 0, x[i]);
  }
  nn_plot *p = lesson_plot(L, "random-nets");
  char title[160];
  snprintf(title, sizeof title, "Functions computed by random networks 1 → H → 1 "
           "(%s hidden units)", nn_activation_name(g));
  nn_plot_title(p, title);
  nn_plot_labels(p, "input x", "output f(x)");
  nn_plot_set(p, "xrange [-3:3]");
  nn_plot_set(p, "yrange [-1.1:1.1]");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  lesson_printf(L, "  H      turning points\n");
  for (size_t n = 0; n < n_widths; n++) {
    const size_t H = widths[n];
    const size_t sz[] = {1, H, 1};
    const nn_activation_kind acts[] = {g, NN_ACTIVATION_IDENTITY};
    nn_network *net = nn_network_alloc(sz, 3, acts, N);
    gsl_matrix *W1 = nn_network_W(net, 0), *W2 = nn_network_W(net, 1);
    gsl_vector *b1 = nn_network_b(net, 0);
    for (size_t j = 0; j < H; j++) {
      double w = gsl_ran_gaussian(L->rng, 2.0), c = gsl_ran_flat(L->rng, -3.0, 3.0);
      gsl_matrix_set(W1, j, 0, w);
      gsl_vector_set(b1, j, -w * c);  /* w x + b = w (x - c): the unit turns at c */
      gsl_matrix_set(W2, 0, j, gsl_ran_gaussian(L->rng, 1.0));
    }
    nn_network_forward(net, Y, X);
    /* f is linear in v (c = 0): scaling every v_j by 1/max|f| scales f */
    double top = 0.0;
    for (size_t i = 0; i < N; i++)
      top = GSL_MAX(top, fabs(gsl_matrix_get(Y, i, 0)));
    if (top > 0.0) {
      gsl_matrix_scale(W2, 1.0 / top);
      nn_network_forward(net, Y, X);
    }
    size_t turns = 0;
    int dir = 0;  /* the sign of the last nonzero step of the curve */
    for (size_t i = 0; i < N; i++) {
      y[i] = gsl_matrix_get(Y, i, 0);
      if (i == 0)
        continue;
      double d = y[i] - y[i - 1];
      int s = d > 1e-12 ? 1 : d < -1e-12 ? -1 : 0;
      if (s != 0 && dir != 0 && s != dir)
        turns++;
      if (s != 0)
        dir = s;
    }
    char legend[64];
    snprintf(legend, sizeof legend, "H = %zu unit%s", H, H == 1 ? "" : "s");
    nn_plot_series(p, legend, x, y, N, "lines lw 2.5");
    lesson_printf(L, "  %-6zu %zu\n", H, turns);
    nn_network_free(net);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
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
/// - Without activations, layers collapse into one affine map. With them,
///   one hidden layer can approximate any continuous function, given
///   enough units.
///
/// Next, lecture 4: losses and costs, the numbers training minimises.
