/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 7: Backpropagation
///
/// Gradient descent needs the partial derivative of the cost with respect
/// to every parameter. In lecture 6 we worked out the two partials of
/// peaks by hand. A network has thousands or millions of parameters, and
/// its cost is a long composition of simple functions: no one derives
/// that by hand. **Backpropagation** computes all the partials at once,
/// exactly, for about the price of one more pass through the network:
///
/// - the **chain rule**: the derivative of a composition is the product of
///   the derivatives of its pieces;
/// - the **computation graph**: every number of the forward pass becomes a
///   node that remembers how it was made, and the backward pass walks the
///   graph from the output to the inputs, handing gradients back;
/// - the running problem of lectures 2 to 6 once more: the nine partials
///   of its cost that lectures 5 and 6 wrote out by hand, now from its
///   graph, and checked both ways;
/// - why gradients vanish or explode through many layers: a product, by
///   the chain rule, with one factor per layer;
/// - the same for a **dense layer** of a network, in matrix form:
///   dX = dY W, dW = dYᵀ X, db = the column sums of dY;
/// - and the habit that keeps all of it honest: the **numerical gradient
///   check**.
///
/// The numbers of the examples are drawn from the seed (`--seed`).

/* lecture7-backprop.c: lecture 7 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
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
#include "running.h"
#include "lectures/lecture7-backprop.prose.h"

/* ===== Knobs ===== */

enum { ACT_RELU, ACT_TANH, ACT_SIGMOID };  /* --activation, in choice order */
static int hidden = 2;                    /* --hidden: units of the tiny MLP */
static int activation = ACT_RELU;         /* --activation: its hidden layer's */
static int batch = 4;                     /* --batch: rows of the dense example */
static double step = NN_GRADCHECK_STEP;   /* --step: h of every numerical check */
static double running_sd = RUNNING_SD;    /* --running-sd: the data's spread */
static double scale = RUNNING_SCALE;      /* --scale: k of the hand-set weights */
static int sample = 1;                    /* --sample: the point whose graph is drawn */

static const lesson_option options[] = {
  {"hidden", LESSON_INT, &hidden, "hidden units of the tiny MLP of section 4",
   .min = 1, .max = 4},
  {"activation", LESSON_CHOICE, &activation,
   "activation of the tiny MLP's hidden layer", .choices = "relu|tanh|sigmoid"},
  {"batch", LESSON_INT, &batch, "samples in the batch of the dense layer (section 5)",
   .min = 1, .max = 16},
  {"step", LESSON_DOUBLE, &step, "the step h of every central difference",
   .min = 1e-12, .max = 0.1},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the running problem's four clouds of points (section 5)",
   .min = 0, .max = 1},
  {"scale", LESSON_DOUBLE, &scale, "k: the running problem's hand-set weights are "
   "±k, k/2, 3k/2", .min = 0.1, .max = 50},
  {"sample", LESSON_INT, &sample, "the point of the running problem whose graph "
   "is drawn", .min = 1, .max = 4 * RUNNING_PER_CORNER},
  {0}
};

/* A gradient check passes below this relative error (double precision). */
#define CHECK_PASSES 1e-6

/* The neuron of sections 1 and 3: o = tanh(x1 w1 + x2 w2 + b). */
typedef struct neuron {
  double x1, x2;  /* its inputs */
  double w1, w2;  /* its weights */
  double b;       /* its bias */
} neuron;

/* The tiny MLP of section 4: 2 inputs, H hidden units, 1 output, and the
 * squared error against a target: L = (ŷ - y)². */
typedef struct mlp {
  size_t H;        /* hidden units, 1..4 */
  double x[2];     /* the input */
  double y;        /* the target */
  double W[4][2];  /* hidden weights: W[j][k] from input k to unit j */
  double b[4];     /* hidden biases */
  double v[4];     /* output weights: v[j] from unit j */
  double c;        /* output bias */
} mlp;

static void chain_rule(lesson *L, const neuron *n);
static void why_backprop(lesson *L, const mlp *net);
static void computation_graph(lesson *L, const neuron *n);
static void tiny_mlp(lesson *L, const mlp *net);
static void running_backprop(lesson *L);
static void through_depth(lesson *L);
static void closing(lesson *L);
static void dense_backward(lesson *L);
static void every_gradient(lesson *L);
static void draw_neuron(lesson *L, neuron *n);
static void draw_mlp(lesson *L, mlp *net);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 7, .title = "Backpropagation",
      .options = options, .prose = &lecture_prose});
  LESSON_PROSE(L);

  neuron n;
  mlp net;
  draw_neuron(L, &n);
  draw_mlp(L, &net);
  chain_rule(L, &n);
  why_backprop(L, &net);
  computation_graph(L, &n);
  tiny_mlp(L, &net);
  running_backprop(L);
  through_depth(L);
  dense_backward(L);
  every_gradient(L);
  closing(L);
  return lesson_finish(L);
}

/* ===== The examples, drawn from the seed ===== */

/* A multiple of 0.1 in [-2, 2], never 0: easy to follow by hand. */
static double
draw_tenths(gsl_rng *rng)
{
  long k = (long) gsl_rng_uniform_int(rng, 40) - 20;  /* -20 .. 19 */
  return (double) (k >= 0 ? k + 1 : k) / 10.0;         /* -2.0 .. 2.0, no 0 */
}

/* A multiple of 0.01 drawn from a Gaussian of standard deviation sd. */
static double
draw_hundredths(gsl_rng *rng, double sd)
{
  return round(100.0 * gsl_ran_gaussian(rng, sd)) / 100.0;
}

static void
draw_neuron(lesson *L, neuron *n)
{
  n->x1 = draw_tenths(L->rng);
  n->x2 = draw_tenths(L->rng);
  n->w1 = draw_tenths(L->rng);
  n->w2 = draw_tenths(L->rng);
  n->b = draw_tenths(L->rng);
}

static const char *
act_name(void)
{
  return activation == ACT_TANH ? "tanh" : activation == ACT_SIGMOID ? "sigmoid"
                                                                     : "ReLU";
}

/* The weights are drawn again until no hidden unit's input z_j is within
 * 0.05 of 0, where ReLU has its corner: a central difference across the
 * corner would measure neither slope. */
static void
draw_mlp(lesson *L, mlp *net)
{
  net->H = (size_t) hidden;
  for (int tries = 0;; tries++) {
    net->x[0] = draw_hundredths(L->rng, 1.0);
    net->x[1] = draw_hundredths(L->rng, 1.0);
    net->y = draw_hundredths(L->rng, 1.0);
    for (size_t j = 0; j < net->H; j++) {
      net->W[j][0] = draw_hundredths(L->rng, 1.0);
      net->W[j][1] = draw_hundredths(L->rng, 1.0);
      net->b[j] = draw_hundredths(L->rng, 0.5);
      net->v[j] = draw_hundredths(L->rng, 1.0);
    }
    net->c = draw_hundredths(L->rng, 0.5);
    int near_corner = 0;
    for (size_t j = 0; j < net->H; j++) {
      double z = net->W[j][0] * net->x[0] + net->W[j][1] * net->x[1] + net->b[j];
      near_corner |= fabs(z) < 0.05;
    }
    if (!near_corner || tries > 1000)
      break;
  }
}

/* ===== Building graphs, and checking every node numerically =====
 *
 * A forward pass is a function that builds its graph on a tape through a
 * builder. The builder counts the values as they are made; for the
 * numerical check it can shift one of them, the target-th, by a small
 * number as it is made (by adding a constant), so that everything computed
 * from it sees the shifted value. Then
 *
 *   ∂out/∂v_k ≈ (out(v_k + h) - out(v_k - h)) / (2h)
 *
 * for every value v_k of the graph, leaves and intermediate values alike:
 * exactly what backpropagation claims to compute.
 */

typedef struct builder {
  nn_autograd *t;  /* the tape the values go on */
  size_t made;     /* values made so far (shifts not counted) */
  long target;     /* the value to shift, or -1 for none */
  double shift;    /* by how much */
} builder;

/* Count V, a value just made, and shift it if it is the target. */
static nn_value *
made(builder *B, nn_value *v)
{
  if ((long) B->made++ != B->target || v == NULL)
    return v;
  nn_value *h = nn_autograd_value(B->t, B->shift, "h");
  return nn_autograd_add(B->t, v, h, "shifted");
}

static nn_value *
leaf(builder *B, double x, const char *label)
{
  return made(B, nn_autograd_value(B->t, x, label));
}

typedef nn_value *build_fn(builder *B, const void *params);

/* Build once with nothing shifted: the graph to differentiate. */
static nn_value *
build(nn_autograd *t, build_fn *fn, const void *params)
{
  builder B = {t, 0, -1, 0.0};
  return fn(&B, params);
}

/* numerical[k] = (out(v_k + h) - out(v_k - h)) / (2h) for each of the
 * numerical->size values of the graph fn builds. */
static void
numerical_grads(build_fn *fn, const void *params, double h, gsl_vector *numerical)
{
  const size_t n = numerical->size;
  nn_autograd *t = nn_autograd_alloc(n + 2);  /* the graph, a shift and an add */
  for (size_t k = 0; k < n; k++) {
    builder up = {t, 0, (long) k, h};
    double out_up = fn(&up, params)->data;
    nn_autograd_rewind(t, 0);
    builder down = {t, 0, (long) k, -h};
    double out_down = fn(&down, params)->data;
    nn_autograd_rewind(t, 0);
    gsl_vector_set(numerical, k, (out_up - out_down) / (2 * h));
  }
  nn_autograd_free(t);
}

/* Every value's backprop gradient against its numerical one, one line
 * each, then their relative error (nn_gradcheck_relative_error). Returns
 * the error. */
static double
print_node_checks(lesson *L, nn_autograd *t, const nn_value *out,
                  const gsl_vector *numerical)
{
  const size_t n = out->index + 1;
  gsl_vector *analytic = gsl_vector_alloc(n);
  lesson_printf(L, "  #   node          made by    data                 "
                   "grad (backprop)      grad (numerical)\n");
  for (size_t k = 0; k < n; k++) {
    const nn_value *v = nn_autograd_get(t, k);
    char op[32];
    if (v->nin == 0)
      snprintf(op, sizeof op, "(leaf)");
    else if (v->op == NN_AUTOGRAD_POW)
      snprintf(op, sizeof op, "^%g", v->exponent);
    else
      snprintf(op, sizeof op, "%s", nn_autograd_op_name(v->op));
    gsl_vector_set(analytic, k, v->grad);
    /* both gradients to ten digits: the point is how many of them agree */
    lesson_printf(L, "  %-3zu %s %s %-20s %-20s %s\n", k, lesson_pad(L, v->label, 13),
                  lesson_pad(L, op, 10), lesson_num(L, v->data),
                  lesson_numf(L, v->grad, 10), lesson_numf(L, gsl_vector_get(numerical, k), 10));
  }
  double err;
  nn_gradcheck_relative_error(&err, NULL, analytic, numerical);
  lesson_printf(L, "relative error over all %zu nodes: %.1e (%s)\n", n, err,
                err < CHECK_PASSES ? "the check passes" : "THE CHECK FAILS");
  gsl_vector_free(analytic);
  return err;
}

/* A graph of out after backward, drawn by the library (nn_autograd_draw):
 * one record per value, "label | data | grad", leaves in the first column,
 * each operation a circle between its operands and its result. */
static void
show_autograd_graph(lesson *L, const char *name, nn_autograd *t, const nn_value *out,
                    const char *caption, int top_down)
{
  nn_graph *g = lesson_graph(L, name);
  nn_graph_attr(g, "label", caption);
  if (top_down) {  /* a deep graph: rows instead of columns, to fit a slide */
    nn_graph_attr(g, "rankdir", "TB");
    nn_graph_attr(g, "ranksep", "0.12");
  } else {
    nn_graph_attr(g, "ranksep", "0.35");
  }
  nn_graph_attr(g, "nodesep", "0.15");
  nn_autograd_draw(t, out, g);
  lesson_show_graph(L, g);
  nn_graph_free(g);
}

/* The relative error of one gradient entry: |a - n| / (|a| + |n|), floored
 * at 1e-16 (double precision) so that it can be drawn on a log scale; 0
 * against 0 counts as the floor. */
static double
relative_error(double a, double n)
{
  const double d = fabs(a) + fabs(n);
  return d == 0 ? 1e-16 : GSL_MAX(1e-16, fabs(a - n) / d);
}

/* Bars of the relative errors of N gradient entries, and the threshold a
 * check must pass. */
static void
plot_error_bars(nn_plot *p, const char *const *labels, const double *rel, size_t n)
{
  nn_plot_bars(p, "|backprop − numerical| / (|backprop| + |numerical|)", labels, rel,
               n, "boxes fill solid 0.8 lc rgb '#0072b2'");
  double tx[2] = {-0.5, (double) n - 0.5}, ty[2] = {CHECK_PASSES, CHECK_PASSES};
  nn_plot_series(p, "the check passes below 1e-6", tx, ty, 2,
                 "lines lw 2 dt 2 lc rgb '#d55e00'");
}

/// ## 1. The chain rule
///
/// A neuron computes n = w x + b and then o = tanh(n): o is a function of
/// n, which is a function of w. How fast does o change with w? The
/// **chain rule** says rates of change multiply:
///
///     do/dw = do/dn · dn/dw
///
/// If n moves 3 times as fast as w, and o 0.5 times as fast as n, then o
/// moves 1.5 times as fast as w. Each factor is a *local* derivative,
/// which only looks at one small piece: tanh'(n) = 1 - tanh² n = 1 - o²,
/// and dn/dw = x. For the first input of this run's neuron:

static double
neuron_o_of_w(double w, void *params)
{
  const neuron *n = params;
  return tanh(w * n->x1 + n->b);
}

static void
chain_rule(lesson *L, const neuron *n)
{
  LESSON_PROSE(L);
  const double x = n->x1, w = n->w1, b = n->b;
  const double pre = w * x + b, o = tanh(pre);
  lesson_printf(L, "x = %s, w = %s, b = %s\n", lesson_num(L, x), lesson_num(L, w),
                lesson_num(L, b));
  lesson_printf(L, "n = w x + b = %s\n", lesson_num(L, pre));
  lesson_printf(L, "o = tanh(n) = %s\n", lesson_num(L, o));
  lesson_printf(L, "do/dn = 1 - o² = %s\n", lesson_num(L, 1 - o * o));
  lesson_printf(L, "dn/dw = x      = %s\n", lesson_num(L, x));
  lesson_printf(L, "do/dw = do/dn · dn/dw = %s\n", lesson_num(L, (1 - o * o) * x));
  gsl_function F = {neuron_o_of_w, (void *) n};
  double numeric;
  nn_deriv_central(&F, w, step, &numeric);
  lesson_printf(L, "central difference of o(w), h = %g: %s (relative error %.1e)\n",
                step, lesson_num(L, numeric),
                fabs(numeric - (1 - o * o) * x) / GSL_MAX(1e-300, fabs((1 - o * o) * x)));

  /// A longer chain multiplies more factors: for f(g(h(x))) the
  /// derivative is f'(g(h(x))) · g'(h(x)) · h'(x). A network is a very
  /// long chain, and the chain rule is all of backpropagation; the rest is
  /// bookkeeping, to avoid computing the same factors again and again.
  LESSON_PROSE(L);
}

/// ## 2. Backpropagation: gradient descent, super-charged
///
/// Gradient descent needs ∂J/∂θ_i for every parameter θ_i. Three ways to
/// get them:
///
/// 1. **Numerically**: nudge each parameter up and down and rerun the
///    network, two forward passes per parameter. Simple, and the perfect
///    check, but hopeless for a large network.
/// 2. **Each partial by the chain rule, separately**: for a weight of the
///    first layer, multiply the local derivatives along every path from
///    it to the cost. Exact, but the paths of different weights share
///    most of their factors (everything after the layer they start in),
///    and this way those factors are computed again for every weight.
/// 3. **Backpropagation**: compute each shared factor *once*, from the
///    output backwards. For every value v of the network,
///
///        ∂J/∂v = Σ over the values u made from v:  ∂J/∂u · ∂u/∂v
///
///    and ∂J/∂u is already known when v's turn comes, because u comes
///    after v. The local derivatives ∂u/∂v need the numbers of the forward
///    pass (tanh' = 1 - o² needs o, a product needs the other factor), so
///    the forward pass **saves its values on the way**, and the backward
///    pass reuses them.
///
/// The price, counted in forward passes:

static size_t mlp_n_params(const mlp *net) { return 3 * net->H + net->H + 1; }
static nn_value *build_mlp(builder *B, const void *params);

static void
why_backprop(lesson *L, const mlp *net)
{
  LESSON_PROSE(L);
  nn_autograd *t = nn_autograd_alloc(256);
  const nn_value *out = build(t, build_mlp, net);
  const size_t P = mlp_n_params(net), V = out->index + 1;
  size_t ops = 0;  /* values made by an operation: each is walked back once */
  for (size_t k = 0; k < V; k++)
    ops += nn_autograd_get(t, k)->nin > 0;
  nn_autograd_free(t);
  lesson_printf(L, "the tiny MLP of section 4 (2 inputs, %zu hidden, 1 output): "
                "%zu parameters, %zu values per forward pass\n", net->H, P, V);
  lesson_printf(L, "  numerical gradient: 2 × %zu = %zu forward passes (%zu values)\n",
                P, 2 * P, 2 * P * V);
  lesson_printf(L, "  backpropagation:    1 forward pass (%zu values) + 1 backward "
                "pass (%zu operations walked back)\n", V, ops);
  const size_t big = nn_dense_n_params(784, 128) + nn_dense_n_params(128, 10);
  lesson_printf(L, "an MLP 784-128-10 for 28x28 images (lecture 11): %zu parameters\n",
                big);
  lesson_printf(L, "  numerical gradient: %zu forward passes for ONE gradient\n",
                2 * big);
  lesson_printf(L, "  backpropagation:    1 forward + 1 backward pass, about the cost "
                "of 2 to 3 forward passes\n");

  /// That factor of tens of thousands is why networks are trained by
  /// backpropagation and checked, on a few parameters, by numerical
  /// differences. "Reuse" is the whole trick: in the tiny MLP,
  /// ∂L/∂ŷ is computed once and serves all its parameters; ∂L/∂h_j, the
  /// gradient of hidden unit j, is computed once and serves its two
  /// weights and its bias.
  LESSON_PROSE(L);
}

/// ## 3. A computation graph, forward and backward
///
/// Write the neuron o = tanh(x₁w₁ + x₂w₂ + b) as the steps a computer
/// takes, each one operation on one or two numbers. Each step's result is
/// a node that remembers its operation and its operands: the
/// **computation graph**. The library's scalar autograd (nn/autograd.h)
/// records the nodes on a *tape* in the order they are made. Since an
/// operation only uses values that exist already, that order is a
/// **topological order**: every node comes after the nodes it is made
/// from.
///
/// The **backward pass** sets grad(o) = 1 (∂o/∂o) and walks the tape
/// backwards; each node hands its grad to its operands, times the local
/// derivative of its operation:
///
///     c = a + b     a.grad += c.grad          b.grad += c.grad
///     c = a · b     a.grad += b · c.grad      b.grad += a · c.grad
///     c = tanh a    a.grad += (1 - c²) c.grad
///     c = e^a       a.grad += c · c.grad
///     c = a^p       a.grad += p a^(p-1) c.grad
///     c = ReLU a    a.grad += (a > 0 ? 1 : 0) c.grad
///
/// Gradients are *added* (+=): a value used twice receives one share per
/// use. Here is the tape after the backward pass, each node with its
/// value (data), its gradient ∂o/∂node from backpropagation, and beside it
/// the numerical check: the node shifted by ±h, the rest of the graph
/// recomputed, and the central difference of o.

static nn_value *
build_neuron(builder *B, const void *params)
{
  const neuron *n = params;
  nn_autograd *t = B->t;
  nn_value *x1 = leaf(B, n->x1, "x₁"), *w1 = leaf(B, n->w1, "w₁");
  nn_value *x2 = leaf(B, n->x2, "x₂"), *w2 = leaf(B, n->w2, "w₂");
  nn_value *b = leaf(B, n->b, "b");
  nn_value *x1w1 = made(B, nn_autograd_mul(t, x1, w1, "x₁w₁"));
  nn_value *x2w2 = made(B, nn_autograd_mul(t, x2, w2, "x₂w₂"));
  nn_value *sum = made(B, nn_autograd_add(t, x1w1, x2w2, "x₁w₁ + x₂w₂"));
  nn_value *pre = made(B, nn_autograd_add(t, sum, b, "n"));
  return made(B, nn_autograd_tanh(t, pre, "o"));
}

/* The same neuron with tanh written out: tanh n = (e^(2n) - 1) / (e^(2n) + 1),
 * the division as a product with a power -1. */
static nn_value *
build_neuron_exp(builder *B, const void *params)
{
  const neuron *n = params;
  nn_autograd *t = B->t;
  nn_value *x1 = leaf(B, n->x1, "x₁"), *w1 = leaf(B, n->w1, "w₁");
  nn_value *x2 = leaf(B, n->x2, "x₂"), *w2 = leaf(B, n->w2, "w₂");
  nn_value *b = leaf(B, n->b, "b");
  nn_value *two = leaf(B, 2.0, "2"), *one = leaf(B, 1.0, "1");
  nn_value *x1w1 = made(B, nn_autograd_mul(t, x1, w1, "x₁w₁"));
  nn_value *x2w2 = made(B, nn_autograd_mul(t, x2, w2, "x₂w₂"));
  nn_value *sum = made(B, nn_autograd_add(t, x1w1, x2w2, "x₁w₁ + x₂w₂"));
  nn_value *pre = made(B, nn_autograd_add(t, sum, b, "n"));
  nn_value *e = made(B, nn_autograd_exp(t, made(B, nn_autograd_mul(t, two, pre, "2n")),
                                        "e^2n"));
  nn_value *top = made(B, nn_autograd_sub(t, e, one, "e^2n - 1"));
  nn_value *bottom = made(B, nn_autograd_add(t, e, one, "e^2n + 1"));
  nn_value *inv = made(B, nn_autograd_pow(t, bottom, -1.0, "1/(e^2n + 1)"));
  return made(B, nn_autograd_mul(t, top, inv, "o"));
}

static void
computation_graph(lesson *L, const neuron *n)
{
  LESSON_PROSE(L);
  nn_autograd *t = nn_autograd_alloc(64);
  nn_value *o = build(t, build_neuron, n);
  nn_autograd_backward(t, o);
  gsl_vector *numerical = gsl_vector_alloc(o->index + 1);
  numerical_grads(build_neuron, n, step, numerical);
  double err = print_node_checks(L, t, o, numerical);

  /// Read it backwards, as the backward pass does: o.grad = 1; then
  /// n.grad = (1 - o²) · 1; a sum passes its grad unchanged to both of its
  /// operands, so x₁w₁, x₂w₂ and b all receive n's grad; a product hands
  /// each factor the *other* factor times its grad, so w₁.grad = x₁ ·
  /// (x₁w₁).grad, and x₁.grad = w₁ · (x₁w₁).grad. The figure
  /// `neuron-graph` draws this table as a graph, left to right, each node
  /// "label | data | grad", each operation a circle between its operands
  /// and its result.
  LESSON_PROSE(L);
  char caption[256];
  snprintf(caption, sizeof caption, "The neuron o = tanh(x₁w₁ + x₂w₂ + b) after "
           "backward: every grad is ∂o/∂node.\nNumerical check (central "
           "differences, h = %g): relative error %.1e over all %zu nodes",
           step, err, o->index + 1);
  show_autograd_graph(L, "neuron-graph", t, o, caption, 0);

  /// **The same neuron, spelled with exp and pow.** Nothing forces tanh to
  /// be one operation: tanh n = (e^(2n) - 1) / (e^(2n) + 1). Built that way
  /// the graph has more nodes (the constants 2 and 1 become leaves too),
  /// but the leaves must receive the very same gradients:
  LESSON_PROSE(L);
  nn_autograd *t2 = nn_autograd_alloc(64);
  nn_value *o2 = build(t2, build_neuron_exp, n);
  nn_autograd_backward(t2, o2);
  double differ = fabs(o2->data - o->data);
  lesson_printf(L, "  leaf   grad (tanh)           grad (exp and pow)\n");
  for (size_t k = 0; k < 5; k++) {  /* the five leaves come first in both */
    const nn_value *a = nn_autograd_get(t, k), *c = nn_autograd_get(t2, k);
    lesson_printf(L, "  %s %-21s %s\n", lesson_pad(L, a->label, 6),
                  lesson_num(L, a->grad), lesson_num(L, c->grad));
    differ = GSL_MAX(differ, fabs(a->grad - c->grad));
  }
  lesson_printf(L, "o = %s both ways; largest difference %.1e (rounding)\n",
                lesson_num(L, o->data), differ);
  gsl_vector *numerical2 = gsl_vector_alloc(o2->index + 1);
  numerical_grads(build_neuron_exp, n, step, numerical2);
  gsl_vector *analytic2 = gsl_vector_alloc(o2->index + 1);
  for (size_t k = 0; k <= o2->index; k++)
    gsl_vector_set(analytic2, k, nn_autograd_get(t2, k)->grad);
  double err2;
  nn_gradcheck_relative_error(&err2, NULL, analytic2, numerical2);
  lesson_printf(L, "numerical check of all %zu nodes of the longer graph: relative "
                "error %.1e\n", o2->index + 1, err2);
  gsl_vector_free(analytic2);
  gsl_vector_free(numerical2);
  gsl_vector_free(numerical);
  nn_autograd_free(t2);
  nn_autograd_free(t);
  if (lesson_challenge(L, "A value used twice: c = a · a. What gradient does a "
                       "receive from c, and how does the tape get it?"))
    lesson_printf(L, "a.grad = 2a · c.grad. The product hands each factor the other "
                  "factor times c.grad,\nso a receives a · c.grad twice, once per use, "
                  "and the two shares add (+=):\nthe derivative of a² is 2a, as it "
                  "must be. With = instead of +=, one share\nwould be lost.\n");
}

/// ## 4. A tiny MLP, node by node
///
/// A network is a bigger graph of the same operations. Ours has 2 inputs,
/// a hidden layer of `--hidden` units with the activation `--activation`,
/// one linear output, and the squared error against a target y:
///
///     s_j = w_j1 x₁ + w_j2 x₂            z_j = s_j + b_j      h_j = g(z_j)
///     ŷ = Σ_j v_j h_j + c                L = (ŷ - y)²
///
/// The backward pass starts from L.grad = 1 and computes ∂L/∂node for
/// every node: the inputs, the hidden values, and every weight and bias,
/// in one walk. The parameters are those gradient descent would update;
/// the rest are the shared factors it reuses.

static nn_value *
build_mlp(builder *B, const void *params)
{
  static const char *const sub[] = {"₁", "₂", "₃", "₄"};
  const mlp *net = params;
  nn_autograd *t = B->t;
  char label[NN_AUTOGRAD_LABEL_MAX + 1];
  nn_value *x[2] = {leaf(B, net->x[0], "x₁"), leaf(B, net->x[1], "x₂")};
  nn_value *out = NULL;
  for (size_t j = 0; j < net->H; j++) {
    nn_value *w[2], *prod[2];
    for (size_t k = 0; k < 2; k++) {
      snprintf(label, sizeof label, "w%s%s", sub[j], sub[k]);
      w[k] = leaf(B, net->W[j][k], label);
    }
    snprintf(label, sizeof label, "b%s", sub[j]);
    nn_value *b = leaf(B, net->b[j], label);
    for (size_t k = 0; k < 2; k++) {
      snprintf(label, sizeof label, "w%s%s·x%s", sub[j], sub[k], sub[k]);
      prod[k] = made(B, nn_autograd_mul(t, w[k], x[k], label));
    }
    snprintf(label, sizeof label, "s%s", sub[j]);
    nn_value *sum = made(B, nn_autograd_add(t, prod[0], prod[1], label));
    snprintf(label, sizeof label, "z%s", sub[j]);
    nn_value *z = made(B, nn_autograd_add(t, sum, b, label));
    snprintf(label, sizeof label, "h%s", sub[j]);
    nn_value *h = made(B, activation == ACT_TANH ? nn_autograd_tanh(t, z, label)
                          : activation == ACT_SIGMOID ? nn_autograd_sigmoid(t, z, label)
                          : nn_autograd_relu(t, z, label));
    snprintf(label, sizeof label, "v%s", sub[j]);
    nn_value *v = leaf(B, net->v[j], label);
    snprintf(label, sizeof label, "v%s·h%s", sub[j], sub[j]);
    nn_value *vh = made(B, nn_autograd_mul(t, v, h, label));
    snprintf(label, sizeof label, "Σ%s v·h", sub[j]);  /* the first j+1 terms */
    out = out == NULL ? vh : made(B, nn_autograd_add(t, out, vh, label));
  }
  nn_value *c = leaf(B, net->c, "c");
  nn_value *yhat = made(B, nn_autograd_add(t, out, c, "ŷ"));
  nn_value *y = leaf(B, net->y, "y");
  nn_value *diff = made(B, nn_autograd_sub(t, yhat, y, "ŷ - y"));
  return made(B, nn_autograd_pow(t, diff, 2.0, "L"));
}

/* Is tape value V a parameter of the MLP (a weight or a bias)? */
static int
is_parameter(const nn_value *v)
{
  if (v->nin != 0)
    return 0;
  const char c = v->label[0];
  return c == 'w' || c == 'b' || c == 'v' || c == 'c';
}

static void
tiny_mlp(lesson *L, const mlp *net)
{
  LESSON_PROSE(L);
  lesson_printf(L, "hidden units: %zu, activation: %s\n", net->H, act_name());
  lesson_printf(L, "x = (%s, %s), target y = %s\n", lesson_num(L, net->x[0]),
                lesson_num(L, net->x[1]), lesson_num(L, net->y));
  for (size_t j = 0; j < net->H; j++)
    lesson_printf(L, "unit %zu: w = (%s, %s), b = %s, v = %s\n", j + 1,
                  lesson_num(L, net->W[j][0]), lesson_num(L, net->W[j][1]),
                  lesson_num(L, net->b[j]), lesson_num(L, net->v[j]));
  lesson_printf(L, "output bias c = %s\n", lesson_num(L, net->c));

  nn_autograd *t = nn_autograd_alloc(256);
  nn_value *loss = build(t, build_mlp, net);
  nn_autograd_backward(t, loss);
  gsl_vector *numerical = gsl_vector_alloc(loss->index + 1);
  numerical_grads(build_mlp, net, step, numerical);
  lesson_printf(L, "\n");
  double err = print_node_checks(L, t, loss, numerical);
  size_t dead = 0;
  for (size_t j = 0; j < net->H; j++) {
    double z = net->W[j][0] * net->x[0] + net->W[j][1] * net->x[1] + net->b[j];
    dead += activation == ACT_RELU && z < 0;
  }
  if (dead > 0)
    lesson_printf(L, "(%zu hidden unit%s below 0: ReLU passes no gradient back through "
                  "it, so its weights and bias get grad 0, and so does the numerical "
                  "check)\n", dead, dead > 1 ? "s are" : " is");

  /// The graph of the MLP after backward (figure `mlp-graph`) is the
  /// table above drawn: every node shows its value and ∂L/∂node; it reads
  /// from top to bottom, the inputs and first-layer weights in the top
  /// row, every other parameter (a leaf, shaded) beside the node it feeds,
  /// and the loss at the bottom.
  LESSON_PROSE(L);
  char caption[256];
  snprintf(caption, sizeof caption, "A tiny MLP (2-%zu-1, %s) and its loss L = (ŷ - "
           "y)² after backward: every grad is ∂L/∂node.\nNumerical check "
           "(central differences, h = %g): relative error %.1e over all %zu nodes",
           net->H, act_name(), step, err, loss->index + 1);
  show_autograd_graph(L, "mlp-graph", t, loss, caption, 1);

  /// Gradient descent only needs the parameters' gradients. How close is
  /// each one to its numerical estimate? The relative error per parameter,
  /// |backprop - numerical| / (|backprop| + |numerical|), on a log scale
  /// (figure `mlp-gradient-check`, below): a right gradient sits far below
  /// the check's threshold of 1e-6, near the rounding of the central
  /// difference; a wrong one would stand out near 1. A parameter whose
  /// gradient is 0 both ways (a unit ReLU switched off) has no error to
  /// speak of and is drawn at 1e-16, the floor of double precision.
  LESSON_PROSE(L);
  const char *labels[32];
  double rel[32];
  size_t np = 0;
  lesson_printf(L, "  θ      ∂L/∂θ backprop      numerical              relative error\n");
  for (size_t k = 0; k <= loss->index && np < 32; k++) {
    const nn_value *v = nn_autograd_get(t, k);
    if (!is_parameter(v))
      continue;
    const double a = v->grad, n = gsl_vector_get(numerical, k);
    labels[np] = v->label;
    rel[np] = relative_error(a, n);
    lesson_printf(L, "  %s %-19s %-22s %.1e\n", lesson_pad(L, v->label, 6),
                  lesson_num(L, a), lesson_num(L, n), rel[np]);
    np++;
  }
  nn_plot *p = lesson_plot(L, "mlp-gradient-check");
  char title[160];
  snprintf(title, sizeof title, "Gradient check of the tiny MLP, parameter by "
           "parameter (h = %g)", step);
  nn_plot_title(p, title);
  nn_plot_labels(p, "parameter θ", "relative error");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "yrange [1e-17:1]");
  nn_plot_set(p, "format y (GPVAL_TERM eq 'dumb' ? '%%.0e' : '10^{%%L}')");
  nn_plot_set(p, "key below horizontal");
  plot_error_bars(p, labels, rel, np);
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// **The same gradients with matrices.** Section 7 is about layers; as a
  /// preview, the library's network (nn/network.h) holds the same MLP as
  /// two dense layers, W₁ (H x 2) with b₁, then W₂ (1 x H) with c, and its
  /// backward pass works on whole matrices. Its parameter gradients must be
  /// the autograd ones:
  LESSON_PROSE(L);
  size_t sizes[3] = {2, net->H, 1};
  nn_activation_kind acts[2] = {activation == ACT_TANH ? NN_ACTIVATION_TANH
                                : activation == ACT_SIGMOID ? NN_ACTIVATION_SIGMOID
                                : NN_ACTIVATION_RELU, NN_ACTIVATION_IDENTITY};
  nn_network *nw = nn_network_alloc(sizes, 3, acts, 1);
  gsl_matrix *W1 = nn_network_W(nw, 0), *W2 = nn_network_W(nw, 1);
  gsl_vector *b1 = nn_network_b(nw, 0), *b2 = nn_network_b(nw, 1);
  for (size_t j = 0; j < net->H; j++) {
    gsl_matrix_set(W1, j, 0, net->W[j][0]);
    gsl_matrix_set(W1, j, 1, net->W[j][1]);
    gsl_vector_set(b1, j, net->b[j]);
    gsl_matrix_set(W2, 0, j, net->v[j]);
  }
  gsl_vector_set(b2, 0, net->c);
  gsl_matrix *X = gsl_matrix_alloc(1, 2), *Y = gsl_matrix_alloc(1, 1);
  gsl_matrix *T = gsl_matrix_alloc(1, 1), *dY = gsl_matrix_alloc(1, 1);
  gsl_matrix_set(X, 0, 0, net->x[0]);
  gsl_matrix_set(X, 0, 1, net->x[1]);
  gsl_matrix_set(T, 0, 0, net->y);
  nn_network_zero_grad(nw);
  nn_network_forward(nw, Y, X);
  double cost;
  nn_loss_mse(&cost, NULL, dY, Y, T);  /* one sample, one output: (ŷ - y)² */
  nn_network_backward(nw, NULL, dY);
  double differ = fabs(cost - loss->data);
  /* The tape holds the parameters unit by unit, w_j1, w_j2, b_j, v_j for
   * j = 1..H, then c (see build_mlp); the network holds them layer by
   * layer, W₁ row by row, b₁, then W₂ and c. */
  gsl_matrix *dW1 = nn_network_dW(nw, 0), *dW2 = nn_network_dW(nw, 1);
  gsl_vector *db1 = nn_network_db(nw, 0), *db2 = nn_network_db(nw, 1);
  size_t k = 0;
  for (size_t i = 0; i <= loss->index; i++) {
    const nn_value *v = nn_autograd_get(t, i);
    if (!is_parameter(v))
      continue;
    const size_t j = k / 4;  /* the hidden unit; j = H for c */
    double g = j == net->H ? gsl_vector_get(db2, 0)
               : k % 4 == 0 ? gsl_matrix_get(dW1, j, 0)
               : k % 4 == 1 ? gsl_matrix_get(dW1, j, 1)
               : k % 4 == 2 ? gsl_vector_get(db1, j)
               : gsl_matrix_get(dW2, 0, j);
    differ = GSL_MAX(differ, fabs(g - v->grad));
    k++;
  }
  lesson_printf(L, "loss: autograd %s, network %s\n", lesson_num(L, loss->data),
                lesson_num(L, cost));
  lesson_matrix(L, "network dW₁", dW1);
  lesson_vector(L, "network db₁", db1);
  lesson_matrix(L, "network dW₂", dW2);
  lesson_vector(L, "network dc ", db2);
  lesson_printf(L, "largest difference from the autograd gradients: %.1e\n", differ);
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  gsl_matrix_free(T);
  gsl_matrix_free(dY);
  nn_network_free(nw);
  gsl_vector_free(numerical);
  nn_autograd_free(t);
  lesson_try(L, "predict which gradients become 0, then run `make lecture7 "
             "ARGS='--hidden 4 --activation relu --seed 3'`; and `--activation tanh`.");
}

/// ## 5. The running problem, by backpropagation
///
/// The network of the running problem (lectures 2 to 6): two inputs, two
/// sigmoid hidden units, one sigmoid output, hand-set to compute
/// "exclusive or", and its cost J, the mean squared error over the twenty
/// noisy points. In lectures 5 and 6 its partial derivatives came from the
/// chain rule written out by hand, one formula per kind of parameter
/// (lectures/running.h). Backpropagation gets all nine from the graph,
/// without a single formula written for this network.
///
/// One point's graph first, drawn: its squared error L = (ŷ - y)², every
/// node with its value and ∂L/∂node (figure `running-graph`; the point is
/// `--sample`). The output weights, biases and the inputs are leaves,
/// each beside the unit it feeds; the computation runs from top to
/// bottom, the gradients from bottom to top.

/* One point's squared error (ŷ - y)² for the running network, onto the
 * tape; the nine parameters are the leaves in P (made first, in
 * running_param order, when P[0] is NULL, and reused otherwise). */
static nn_value *
running_loss(nn_autograd *t, const running_net *net, nn_value *P[RUNNING_N_PARAMS],
             const double x[2], double y)
{
  static const char *const leaf_names[RUNNING_N_PARAMS] = {
    "w₁₁", "w₁₂", "w₂₁", "w₂₂", "b₁", "b₂", "v₁", "v₂", "c"};
  static const char *const sub[] = {"₁", "₂"};
  char label[NN_AUTOGRAD_LABEL_MAX + 1];
  running_net copy = *net;
  if (P[0] == NULL)
    for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
      P[i] = nn_autograd_value(t, *running_param(&copy, i), leaf_names[i]);
  nn_value *xs[2] = {nn_autograd_value(t, x[0], "x₁"), nn_autograd_value(t, x[1], "x₂")};
  nn_value *z = NULL;
  for (size_t j = 0; j < 2; j++) {
    nn_value *prod[2];
    for (size_t k = 0; k < 2; k++) {
      snprintf(label, sizeof label, "w%s%s·x%s", sub[j], sub[k], sub[k]);
      prod[k] = nn_autograd_mul(t, P[2 * j + k], xs[k], label);
    }
    snprintf(label, sizeof label, "a%s", sub[j]);
    nn_value *a = nn_autograd_add(t, nn_autograd_add(t, prod[0], prod[1], "sum"),
                                  P[4 + j], label);
    snprintf(label, sizeof label, "h%s", sub[j]);
    nn_value *h = nn_autograd_sigmoid(t, a, label);
    snprintf(label, sizeof label, "v%s·h%s", sub[j], sub[j]);
    nn_value *vh = nn_autograd_mul(t, P[6 + j], h, label);
    z = z == NULL ? vh : nn_autograd_add(t, z, vh, "v·h");
  }
  z = nn_autograd_add(t, z, P[8], "z");
  nn_value *yhat = nn_autograd_sigmoid(t, z, "ŷ");
  nn_value *diff = nn_autograd_sub(t, yhat, nn_autograd_value(t, y, "y"), "ŷ - y");
  return nn_autograd_pow(t, diff, 2.0, "L");
}

/* J(θ) of the running problem with the nine parameters θ, for the
 * central differences. */
static double
running_cost_of(const gsl_vector *theta, void *params)
{
  const nn_data *data = params;
  running_net net;
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
    *running_param(&net, i) = gsl_vector_get(theta, i);
  return running_cost(&net, data);
}

static void
running_backprop(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  const size_t N = data->X->size1;
  running_net net;
  running_hand_set(&net, scale);
  net.v[0] = 0.4 * scale;  /* where the walk of lecture 6 started: v1 = 4, c = -4 */
  net.c = -0.4 * scale;

  lesson_printf(L, "the network: hand-set with k = %s, but v1 = %s and c = %s, where "
                "the walk of lecture 6\nstarted; the data: %zu points, spread %s\n",
                lesson_num(L, scale), lesson_num(L, net.v[0]), lesson_num(L, net.c), N,
                lesson_num(L, running_sd));

  /* One point, drawn. */
  const size_t i0 = (size_t) sample - 1;
  double x[2] = {gsl_matrix_get(data->X, i0, 0), gsl_matrix_get(data->X, i0, 1)};
  double y = gsl_vector_get(data->y, i0);
  nn_autograd *t = nn_autograd_alloc(64 + 32 * N);
  nn_value *P[RUNNING_N_PARAMS] = {NULL};
  nn_value *loss = running_loss(t, &net, P, x, y);
  nn_autograd_backward(t, loss);
  lesson_printf(L, "point %d: x = (%s, %s), class y = %s; ŷ = %s, L = (ŷ - y)² = %s\n",
                sample, lesson_num(L, x[0]), lesson_num(L, x[1]), lesson_num(L, y),
                lesson_num(L, running_predict(&net, x, NULL)),
                lesson_num(L, loss->data));
  char caption[256];
  snprintf(caption, sizeof caption, "The running problem's network on point %d, "
           "after backward:\nevery grad is ∂L/∂node, L = (ŷ - y)²", sample);
  show_autograd_graph(L, "running-graph", t, loss, caption, 1);

  /// The cost is the mean of the twenty losses: one graph with the nine
  /// parameters as shared leaves and twenty copies of the rest, one per
  /// point, summed and divided by N. A leaf used twenty times receives
  /// twenty shares of gradient, added (+=), exactly as the sum over i in
  /// the hand-made formulas. The rows v1 and c are the two partials
  /// lecture 6 printed where its walk started. Each gradient three ways:
  /// backpropagation, the chain-rule formulas of lectures 5 and 6
  /// (running_cost_grad), and central differences of J:
  LESSON_PROSE(L);
  nn_autograd_rewind(t, 0);
  nn_autograd_zero_grad(t);
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
    P[i] = NULL;
  nn_value *sum = NULL;
  for (size_t i = 0; i < N; i++) {
    double xi[2] = {gsl_matrix_get(data->X, i, 0), gsl_matrix_get(data->X, i, 1)};
    nn_value *li = running_loss(t, &net, P, xi, gsl_vector_get(data->y, i));
    sum = sum == NULL ? li : nn_autograd_add(t, sum, li, "Σ L");
  }
  nn_value *J = nn_autograd_mul(t, sum, nn_autograd_value(t, 1.0 / (double) N, "1/N"),
                                "J");
  nn_autograd_backward(t, J);
  running_net chain;
  running_cost_grad(&net, data, &chain);
  gsl_vector *theta = gsl_vector_alloc(RUNNING_N_PARAMS);
  gsl_vector *num = gsl_vector_alloc(RUNNING_N_PARAMS);
  gsl_vector *back = gsl_vector_alloc(RUNNING_N_PARAMS);
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++) {
    gsl_vector_set(theta, i, *running_param(&net, i));
    gsl_vector_set(back, i, P[i]->grad);
  }
  nn_gradcheck_numerical(num, running_cost_of, data, theta, step);
  lesson_printf(L, "J = %s by the graph (%zu nodes), %s by the formula\n",
                lesson_num(L, J->data), J->index + 1,
                lesson_num(L, running_cost(&net, data)));
  lesson_printf(L, "  θ     ∂J/∂θ backprop       chain rule (lectures 5, 6)  "
                "central difference     rel. error\n");
  double worst_chain = 0;
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++) {
    const double a = P[i]->grad, c = *running_param(&chain, i);
    const double n = gsl_vector_get(num, i);
    worst_chain = GSL_MAX(worst_chain, relative_error(a, c));
    lesson_printf(L, "  %-5s %-20s %-27s %-22s %.1e\n", running_param_name(i),
                  lesson_num(L, a), lesson_num(L, c), lesson_num(L, n),
                  relative_error(a, n));
  }
  double err;
  nn_gradcheck_relative_error(&err, NULL, back, num);
  lesson_printf(L, "backprop against the chain-rule formulas: largest relative error "
                "%.1e\n", worst_chain);
  lesson_printf(L, "backprop against central differences (h = %g): relative error "
                "%.1e (%s)\n", step, err,
                err < CHECK_PASSES ? "the check passes" : "THE CHECK FAILS");
  gsl_vector_free(theta);
  gsl_vector_free(num);
  gsl_vector_free(back);
  nn_autograd_free(t);
  nn_data_free(data);
  lesson_try(L, "predict which partials shrink when the weights grow, then run "
             "`make lecture7 ARGS='--scale 20'` (the sigmoids saturate, lecture 6).");
}

/// ## 6. Gradients through many layers: why they vanish or explode
///
/// Lecture 6 saw the running problem's partials shrink when its sigmoids
/// saturate. Depth makes it worse, and the chain rule says why.

/* y_L after L layers y_l = g(w y_(l-1)) of one neuron each, from y_0;
 * *dydy0 = ∂y_L/∂y_0, by the chain rule: the product of the local
 * derivatives w g'(w y_(l-1)) of the layers. */
typedef enum { CHAIN_SIGMOID, CHAIN_RELU } chain_kind;

static double
chain(chain_kind kind, double w, int depth, double y0, double *dydy0)
{
  double y = y0, d = 1.0;
  for (int l = 0; l < depth; l++) {
    double in = w * y;
    if (kind == CHAIN_SIGMOID) {
      d *= w * nn_activation_sigmoid_deriv(in);
      y = nn_activation_sigmoid(in);
    } else {
      d *= w * nn_activation_relu_deriv(in);
      y = nn_activation_relu(in);
    }
  }
  if (dydy0 != NULL)
    *dydy0 = d;
  return y;
}

/* The chain as a gsl_function of y_0, for a central difference. */
struct chain_params {
  chain_kind kind;
  double w;
  int depth;
};

static double
chain_of_y0(double y0, void *params)
{
  const struct chain_params *c = params;
  return chain(c->kind, c->w, c->depth, y0, NULL);
}

static void
through_depth(lesson *L)
{
  LESSON_PROSE(L);
  /// By the chain rule, the gradient that reaches the first
  /// layer is a **product** with one factor per layer above it. Take the
  /// simplest deep net, one neuron per layer, y_l = g(w y_(l-1)): then
  ///
  ///     ∂y_L/∂y_0 = Π_l w g'(w y_(l-1))
  ///
  /// A product of many factors below 1 vanishes exponentially, and one of
  /// factors above 1 **explodes**. The sigmoid's slope is at most 1/4, so
  /// with w = 1 every layer divides the gradient by 4 or more; ReLU's slope
  /// is 1 where it is active, so everything depends on w. From y_0 = 0.5:
  LESSON_PROSE(L);
  enum { DEPTH = 50 };
  static const struct { chain_kind kind; double w; const char *name, *style; } nets[] = {
    {CHAIN_SIGMOID, 1.0, "sigmoid, w = 1", "lines lw 3 lc rgb '#0072b2'"},
    {CHAIN_RELU, 0.8, "ReLU, w = 0.8", "lines lw 3 lc rgb '#009e73'"},
    {CHAIN_RELU, 1.0, "ReLU, w = 1", "lines lw 3 dt 2 lc rgb '#555555'"},
    {CHAIN_RELU, 1.25, "ReLU, w = 1.25", "lines lw 3 lc rgb '#d55e00'"},
  };
  enum { NETS = sizeof nets / sizeof nets[0] };
  double depth[DEPTH + 1], grad[NETS][DEPTH + 1];
  for (int l = 0; l <= DEPTH; l++) {
    depth[l] = l;
    for (size_t k = 0; k < NETS; k++)
      chain(nets[k].kind, nets[k].w, l, 0.5, &grad[k][l]);
  }
  lesson_printf(L, "  layers L   ");
  for (size_t k = 0; k < NETS; k++)
    lesson_printf(L, "%s", lesson_pad(L, nets[k].name, 17));
  lesson_printf(L, "\n");
  for (int l = 0; l <= DEPTH; l += 10) {
    lesson_printf(L, "  %-10d ", l);
    for (size_t k = 0; k < NETS; k++)
      lesson_printf(L, "%-17.3e", grad[k][l]);
    lesson_printf(L, "\n");
  }
  /* The chain rule's product against a central difference of the chain. */
  struct chain_params cp = {CHAIN_SIGMOID, 1.0, 10};
  gsl_function F = {chain_of_y0, &cp};
  double numeric;
  nn_deriv_central(&F, 0.5, 1e-3, &numeric);
  lesson_printf(L, "check, sigmoid chain of 10 layers:\n  product of the local "
                "derivatives %s\n  central difference (h = 0.001) %s\n"
                "  relative error %.1e\n",
                lesson_num(L, grad[0][10]), lesson_num(L, numeric),
                fabs(numeric - grad[0][10]) / fabs(grad[0][10]));

  nn_plot *p = lesson_plot(L, "gradient-through-depth");
  nn_plot_title(p, "The gradient reaching layer 0 of a chain of one-neuron layers");
  nn_plot_labels(p, "layers L", "|∂y_L/∂y_0|");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "format y (GPVAL_TERM eq 'dumb' ? '%%.0e' : '10^{%%L}')");
  nn_plot_set(p, "xrange [0:%d]", DEPTH);
  nn_plot_set(p, "unset mytics");
  for (size_t k = 0; k < NETS; k++)
    nn_plot_series(p, nets[k].name, depth, grad[k], DEPTH + 1, nets[k].style);
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// On a log scale a product of equal factors is a straight line: slope
  /// log10 of the factor. After 50 sigmoid layers the first layer's
  /// gradient is below 10^-30: that layer does not learn at all. With
  /// w = 1.25 it is 1.25^50 ≈ 70000 times the last layer's: a single step
  /// throws the weights far away, and the cost can overflow to infinity
  /// or NaN. The usual remedies:
  ///
  /// - **activations that do not squash**: ReLU and its relatives (slope
  ///   1 where active) instead of sigmoid or tanh in hidden layers;
  /// - **careful initialisation**: draw the weights with a variance
  ///   scaled to the layer's width (Xavier/Glorot, He), so that each
  ///   layer's factor starts near 1;
  /// - **normalisation layers** (batch normalisation, layer
  ///   normalisation), which keep every layer's inputs at a steady scale;
  /// - **skip (residual) connections**, y = x + F(x): the local derivative
  ///   1 + F'(x) gives the gradient a path that no layer can shrink;
  /// - **gradient clipping** against explosions: when |∇| exceeds a
  ///   threshold c, rescale it to length c before the step;
  /// - **gated units** (LSTM, GRU) for recurrent networks, whose long
  ///   chains through time suffer most (lecture 12);
  /// - a **smaller learning rate**, or an optimizer that adapts the step
  ///   to each parameter's gradient (RMSProp, Adam: lecture 9).
  LESSON_PROSE(L);
}

/// ## 7. The dense layer's backward pass
///
/// A layer does for a whole batch at once what the graph did number by
/// number. With the B samples of a batch as the rows of X (B x N_in), a
/// dense layer computes Y = X Wᵀ + b (W is N_out x N_in, one row per
/// output, b added to every row). Given dY = ∂J/∂Y (B x N_out) from the
/// layers above, the chain rule, entry by entry, gives
///
///     dX = dY W          (B x N_in):     each input feeds every output
///     dW = dYᵀ X         (N_out x N_in): summed over the batch
///     db = Σ_b dY[b, :]  (N_out):        a bias feeds every sample
///
/// Check the shapes: that is the quickest test of a backward pass. Why
/// these products? Y[b, j] = Σ_i X[b, i] W[j, i] + b[j], so
/// ∂Y[b, j]/∂W[j, i] = X[b, i], and summing over everything W[j, i]
/// touches gives dW[j, i] = Σ_b dY[b, j] X[b, i]: the (j, i) entry of
/// dYᵀX. Likewise ∂Y[b, j]/∂X[b, i] = W[j, i] gives dX = dY W.
///
/// A batch of `--batch` samples through a layer of 3 inputs and 2 outputs,
/// with the mean squared error against targets T as the cost J (its
/// gradient dY comes from nn_loss_mse):

/* The cost of a dense layer's output against targets, as a function of
 * the layer's parameters or of its input, for the numerical checks. */
typedef struct dense_problem {
  nn_dense *layer;   /* the layer: W and b are views into params */
  gsl_matrix *X;     /* (B, N_in): the input */
  gsl_matrix *T;     /* (B, N_out): the targets */
  gsl_matrix *Y;     /* (B, N_out): workspace for the output */
} dense_problem;

/* J(θ) = MSE(X Wᵀ + b, T); theta is the layer's own params vector. */
static double
dense_cost_of_params(const gsl_vector *theta, void *params)
{
  (void) theta;  /* the layer views it: moving θ moves W and b */
  dense_problem *d = params;
  double cost;
  nn_dense_forward(d->layer, d->Y, d->X);
  nn_loss_mse(&cost, NULL, NULL, d->Y, d->T);
  return cost;
}

/* J(X) = MSE(X Wᵀ + b, T); x holds X row by row. */
static double
dense_cost_of_input(const gsl_vector *x, void *params)
{
  dense_problem *d = params;
  gsl_matrix_const_view X = gsl_matrix_const_view_vector(x, d->X->size1, d->X->size2);
  double cost;
  nn_dense_forward(d->layer, d->Y, &X.matrix);
  nn_loss_mse(&cost, NULL, NULL, d->Y, d->T);
  return cost;
}

static void
dense_backward(lesson *L)
{
  LESSON_PROSE(L);
  const size_t B = (size_t) batch, n_in = 3, n_out = 2;
  gsl_vector *params = gsl_vector_alloc(nn_dense_n_params(n_in, n_out));
  gsl_vector *grads = gsl_vector_calloc(params->size);
  nn_dense *layer = nn_dense_alloc(n_in, n_out, B, params, grads);
  for (size_t k = 0; k < params->size; k++)
    gsl_vector_set(params, k, draw_hundredths(L->rng, 1.0));
  gsl_vector *xdata = gsl_vector_alloc(B * n_in);  /* X, row by row */
  gsl_matrix_view X = gsl_matrix_view_vector(xdata, B, n_in);
  gsl_matrix *T = gsl_matrix_alloc(B, n_out), *Y = gsl_matrix_alloc(B, n_out);
  gsl_matrix *dY = gsl_matrix_alloc(B, n_out), *dX = gsl_matrix_alloc(B, n_in);
  for (size_t k = 0; k < xdata->size; k++)
    gsl_vector_set(xdata, k, draw_hundredths(L->rng, 1.0));
  for (size_t i = 0; i < B; i++)
    for (size_t j = 0; j < n_out; j++)
      gsl_matrix_set(T, i, j, draw_hundredths(L->rng, 1.0));

  double cost;
  nn_dense_forward(layer, Y, &X.matrix);
  nn_loss_mse(&cost, NULL, dY, Y, T);
  nn_dense_backward(layer, dX, dY);
  lesson_matrix(L, "X", &X.matrix);
  lesson_matrix(L, "W", &layer->W.matrix);
  lesson_vector(L, "b", &layer->b.vector);
  lesson_matrix(L, "Y = X Wᵀ + b", Y);
  lesson_matrix(L, "T", T);
  lesson_printf(L, "J = MSE(Y, T) = %s\n", lesson_num(L, cost));
  lesson_matrix(L, "dY = ∂J/∂Y = 2 (Y - T) / (B N_out)", dY);
  lesson_printf(L, "\n");
  lesson_matrix(L, "dX = dY W", dX);
  lesson_matrix(L, "dW = dYᵀ X", &layer->dW.matrix);
  lesson_vector(L, "db = column sums of dY", &layer->db.vector);

  /// **The gradient check.** Perturb each parameter, then each entry of
  /// X, by ±h, recompute J, and compare the central differences with the
  /// backward pass (nn_gradcheck_numerical, nn_gradcheck_relative_error):
  LESSON_PROSE(L);
  dense_problem d = {layer, &X.matrix, T, Y};
  gsl_vector *numeric = gsl_vector_alloc(params->size);
  nn_gradcheck_numerical(numeric, dense_cost_of_params, &d, params, step);
  const size_t nW = n_in * n_out;
  gsl_vector_const_view aW = gsl_vector_const_subvector(grads, 0, nW);
  gsl_vector_const_view nWv = gsl_vector_const_subvector(numeric, 0, nW);
  gsl_vector_const_view ab = gsl_vector_const_subvector(grads, nW, n_out);
  gsl_vector_const_view nb = gsl_vector_const_subvector(numeric, nW, n_out);
  double eW, eb, eX;
  nn_gradcheck_relative_error(&eW, NULL, &aW.vector, &nWv.vector);
  nn_gradcheck_relative_error(&eb, NULL, &ab.vector, &nb.vector);
  gsl_vector *numeric_x = gsl_vector_alloc(xdata->size);
  nn_gradcheck_numerical(numeric_x, dense_cost_of_input, &d, xdata, step);
  gsl_vector_const_view adX = gsl_vector_const_view_array(dX->data, B * n_in);
  nn_gradcheck_relative_error(&eX, NULL, &adX.vector, numeric_x);
  lesson_printf(L, "dW: relative error %.1e\n", eW);
  lesson_printf(L, "db: relative error %.1e\n", eb);
  lesson_printf(L, "dX: relative error %.1e\n", eX);
  lesson_printf(L, "%s\n", GSL_MAX(eW, GSL_MAX(eb, eX)) < CHECK_PASSES
                ? "all three pass (below 1e-6)" : "A CHECK FAILS");

  /// In a network the layer's dX is the dY of the layer below: the
  /// backward pass of a whole network is this step, layer after layer,
  /// from the top down (with the activation's dZ = dA ⊙ g'(Z) in between),
  /// and that is exactly what nn_network_backward does.
  LESSON_PROSE(L);
  gsl_vector_free(numeric_x);
  gsl_vector_free(numeric);
  gsl_matrix_free(T);
  gsl_matrix_free(Y);
  gsl_matrix_free(dY);
  gsl_matrix_free(dX);
  gsl_vector_free(xdata);
  nn_dense_free(layer);
  gsl_vector_free(params);
  gsl_vector_free(grads);
  lesson_try(L, "predict the shapes of dX, dW and db for a batch of 1, then run "
             "`make lecture7 ARGS='--batch 1'`.");
}

/// ## 8. Every gradient in the library, checked
///
/// A backward pass that is slightly wrong still trains, slowly and badly,
/// and nothing crashes: the only defence is to check it. Every backward
/// function of the library, and every operation of the autograd, is
/// checked here against central differences, at inputs drawn from the
/// seed. Each check refuses an all-zero gradient (zeros compared with
/// zeros prove nothing), and passes below a relative error of 1e-6.

/* ----- Autograd operations: c = op(a, b), ∂c/∂a and ∂c/∂b ----- */

typedef struct op_problem {
  nn_autograd_op op;
  double exponent;  /* for NN_AUTOGRAD_POW */
} op_problem;

static nn_value *
apply_op(nn_autograd *t, const op_problem *p, nn_value *a, nn_value *b)
{
  switch (p->op) {
  case NN_AUTOGRAD_ADD: return nn_autograd_add(t, a, b, "c");
  case NN_AUTOGRAD_SUB: return nn_autograd_sub(t, a, b, "c");
  case NN_AUTOGRAD_MUL: return nn_autograd_mul(t, a, b, "c");
  case NN_AUTOGRAD_DIV: return nn_autograd_div(t, a, b, "c");
  case NN_AUTOGRAD_POW: return nn_autograd_pow(t, a, p->exponent, "c");
  case NN_AUTOGRAD_EXP: return nn_autograd_exp(t, a, "c");
  case NN_AUTOGRAD_TANH: return nn_autograd_tanh(t, a, "c");
  case NN_AUTOGRAD_RELU: return nn_autograd_relu(t, a, "c");
  default: return nn_autograd_sigmoid(t, a, "c");
  }
}

/* c as a function of θ = (a, b). */
static double
op_value(const gsl_vector *theta, void *params)
{
  nn_autograd *t = nn_autograd_alloc(3);
  nn_value *a = nn_autograd_value(t, gsl_vector_get(theta, 0), "a");
  nn_value *b = nn_autograd_value(t, gsl_vector_get(theta, 1), "b");
  double c = apply_op(t, params, a, b)->data;
  nn_autograd_free(t);
  return c;
}

/* One line of the table: what was checked and its relative error. */
static double
report(lesson *L, const char *what, double err)
{
  lesson_printf(L, "  %s relative error %.1e  %s\n", lesson_pad(L, what, 44), err,
                err < CHECK_PASSES ? "ok" : "FAILS");
  return err;
}

static double
check_op(lesson *L, const op_problem *p, double a, double b, const char *what)
{
  nn_autograd *t = nn_autograd_alloc(3);
  nn_value *va = nn_autograd_value(t, a, "a"), *vb = nn_autograd_value(t, b, "b");
  nn_value *c = apply_op(t, p, va, vb);
  nn_autograd_backward(t, c);
  double ga[2] = {va->grad, vb->grad}, th[2] = {a, b}, na[2], err;
  nn_autograd_free(t);
  /* a unary operation does not use b: check ∂c/∂a alone */
  const int unary = p->op != NN_AUTOGRAD_ADD && p->op != NN_AUTOGRAD_SUB
                    && p->op != NN_AUTOGRAD_MUL && p->op != NN_AUTOGRAD_DIV;
  const size_t n = unary ? 1 : 2;
  gsl_vector_view g = gsl_vector_view_array(ga, n), nv = gsl_vector_view_array(na, n);
  gsl_vector_view tv = gsl_vector_view_array(th, 2);
  /* numerical: move a (and b) of θ = (a, b) by ±h */
  for (size_t i = 0; i < n; i++)
    nn_deriv_partial(op_value, (void *) p, &tv.vector, i, step, &na[i]);
  nn_gradcheck_relative_error(&err, NULL, &g.vector, &nv.vector);
  return report(L, what, err);
}

/* ----- Layers: J = Σ output ⊙ R, so that ∂J/∂output = R ----- */

/* An activation's backward pass: J(Z) = Σ g(Z) ⊙ R. */
typedef struct act_problem {
  nn_activation_kind kind;
  const gsl_matrix *R;  /* the weights of the sum: dA */
  gsl_matrix *A;        /* workspace */
} act_problem;

static double
act_cost(const gsl_vector *z, void *params)
{
  act_problem *p = params;
  gsl_matrix_const_view Z = gsl_matrix_const_view_vector(z, p->A->size1, p->A->size2);
  gsl_matrix_memcpy(p->A, &Z.matrix);
  nn_activation_apply_matrix(p->kind, NN_ACTIVATION_LEAKY_SLOPE, p->A);
  double J = 0;
  for (size_t i = 0; i < p->A->size1; i++)
    for (size_t j = 0; j < p->A->size2; j++)
      J += gsl_matrix_get(p->A, i, j) * gsl_matrix_get(p->R, i, j);
  return J;
}

/* The softmax's backward pass: J(Z) = Σ softmax(Z) ⊙ R. */
static double
softmax_cost(const gsl_vector *z, void *params)
{
  act_problem *p = params;
  gsl_matrix_const_view Z = gsl_matrix_const_view_vector(z, p->A->size1, p->A->size2);
  nn_softmax_rows(p->A, &Z.matrix);
  double J = 0;
  for (size_t i = 0; i < p->A->size1; i++)
    for (size_t j = 0; j < p->A->size2; j++)
      J += gsl_matrix_get(p->A, i, j) * gsl_matrix_get(p->R, i, j);
  return J;
}

/* A network's cost as a function of its params (or of its input X). */
typedef struct net_problem {
  nn_network *net;
  gsl_matrix *X, *T, *Y;
} net_problem;

static double
net_cost(const gsl_vector *theta, void *params)
{
  (void) theta;  /* the network's own params vector */
  net_problem *p = params;
  double J;
  nn_network_forward(p->net, p->Y, p->X);
  nn_loss_mse(&J, NULL, NULL, p->Y, p->T);
  return J;
}

/* A loss as a function of the prediction: J(P) against fixed targets. */
typedef struct loss_problem {
  int which;            /* 0 MSE, 1 BCE, 2 BCE from logits, 3 softmax CE */
  const gsl_matrix *T;  /* targets */
  size_t rows, cols;
} loss_problem;

static int
loss_eval(const loss_problem *p, double *J, gsl_matrix *grad, const gsl_matrix *P)
{
  switch (p->which) {
  case 0: return nn_loss_mse(J, NULL, grad, P, p->T);
  case 1: return nn_loss_bce(J, NULL, grad, P, p->T);
  case 2: return nn_loss_bce_logits(J, NULL, grad, P, p->T);
  default: return nn_loss_softmax_ce(J, NULL, grad, P, p->T);
  }
}

static double
loss_cost(const gsl_vector *pred, void *params)
{
  const loss_problem *p = params;
  gsl_matrix_const_view P = gsl_matrix_const_view_vector(pred, p->rows, p->cols);
  double J;
  loss_eval(p, &J, NULL, &P.matrix);
  return J;
}

/* The relative error between an analytic gradient (a matrix) and the
 * numerical gradient of J at theta. */
static double
matrix_check(nn_deriv_vector_fn *J, void *params, gsl_vector *theta,
             const gsl_matrix *analytic)
{
  gsl_vector *num = gsl_vector_alloc(theta->size);
  nn_gradcheck_numerical(num, J, params, theta, step);
  gsl_vector_const_view a = gsl_vector_const_view_array(analytic->data, theta->size);
  double err;
  nn_gradcheck_relative_error(&err, NULL, &a.vector, num);
  gsl_vector_free(num);
  return err;
}

/* A matrix of Gaussian numbers, kept at least 0.1 away from 0 (where ReLU
 * and the step have their corner). */
static void
fill_away_from_zero(gsl_rng *rng, gsl_matrix *M)
{
  for (size_t i = 0; i < M->size1; i++)
    for (size_t j = 0; j < M->size2; j++) {
      double z = gsl_ran_gaussian(rng, 1.0);
      gsl_matrix_set(M, i, j, z >= 0 ? z + 0.1 : z - 0.1);
    }
}

static void
every_gradient(lesson *L)
{
  LESSON_PROSE(L);
  gsl_rng *rng = L->rng;
  double worst = 0;
  size_t checks = 0;

  const double a = 0.5 + gsl_rng_uniform(rng), b = -0.5 - gsl_rng_uniform(rng);
  lesson_printf(L, "Autograd operations c = op(a, b): ∂c/∂a and ∂c/∂b\n"
                "  at a = %s, b = %s\n", lesson_num(L, a), lesson_num(L, b));
  static const struct { nn_autograd_op op; double p; const char *name; } ops[] = {
    {NN_AUTOGRAD_ADD, 0, "a + b"}, {NN_AUTOGRAD_SUB, 0, "a - b"},
    {NN_AUTOGRAD_MUL, 0, "a × b"}, {NN_AUTOGRAD_DIV, 0, "a ÷ b"},
    {NN_AUTOGRAD_POW, 2.5, "a^2.5"}, {NN_AUTOGRAD_POW, -1, "a^-1"},
    {NN_AUTOGRAD_EXP, 0, "e^a"}, {NN_AUTOGRAD_TANH, 0, "tanh a"},
    {NN_AUTOGRAD_RELU, 0, "ReLU a (a > 0)"}, {NN_AUTOGRAD_SIGMOID, 0, "σ(a)"},
  };
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    op_problem p = {ops[k].op, ops[k].p};
    worst = fmax(worst, check_op(L, &p, a, b, ops[k].name));
    checks++;
  }

  lesson_printf(L, "Activations, backward dZ = dA ⊙ g'(Z), on a 3 x 4 batch:\n");
  gsl_matrix *Z = gsl_matrix_alloc(3, 4), *R = gsl_matrix_alloc(3, 4);
  gsl_matrix *A = gsl_matrix_alloc(3, 4), *dZ = gsl_matrix_alloc(3, 4);
  fill_away_from_zero(rng, Z);
  fill_away_from_zero(rng, R);
  gsl_vector_view zv = gsl_vector_view_array(Z->data, 12);
  for (int kind = 0; kind < NN_ACTIVATION_COUNT; kind++) {
    if (kind == NN_ACTIVATION_STEP)
      continue;  /* its derivative is 0 wherever it exists: nothing to check */
    act_problem p = {(nn_activation_kind) kind, R, A};
    nn_activation_backward(p.kind, NN_ACTIVATION_LEAKY_SLOPE, dZ, Z, R);
    char what[96];
    snprintf(what, sizeof what, "nn_activation_backward, %s",
             nn_activation_name(p.kind));
    worst = fmax(worst, report(L, what, matrix_check(act_cost, &p, &zv.vector, dZ)));
    checks++;
  }
  {
    act_problem p = {NN_ACTIVATION_IDENTITY, R, A};
    nn_softmax_rows(A, Z);
    nn_softmax_backward_rows(dZ, A, R);
    worst = fmax(worst, report(L, "nn_softmax_backward_rows",
                                  matrix_check(softmax_cost, &p, &zv.vector, dZ)));
    checks++;
  }
  lesson_printf(L, "  (not the step function: its derivative is 0 wherever it "
                "exists,\n  and a check of zeros proves nothing)\n");

  lesson_printf(L, "Losses, the gradient with respect to the prediction (3 x 4):\n");
  gsl_matrix *T = gsl_matrix_alloc(3, 4), *P = gsl_matrix_alloc(3, 4);
  static const char *const loss_names[] = {
    "nn_loss_mse", "nn_loss_bce", "nn_loss_bce_logits", "nn_loss_softmax_ce"};
  for (int which = 0; which < 4; which++) {
    for (size_t i = 0; i < 3; i++) {
      size_t hot = gsl_rng_uniform_int(rng, 4);  /* softmax CE: a one-hot row */
      for (size_t j = 0; j < 4; j++) {
        double u = gsl_rng_uniform(rng);
        gsl_matrix_set(P, i, j, which == 1 ? 0.2 + 0.6 * u   /* a probability */
                                : gsl_ran_gaussian(rng, 1.0));
        gsl_matrix_set(T, i, j, which == 3 ? (j == hot) : which == 0
                                ? gsl_ran_gaussian(rng, 1.0) : gsl_rng_uniform(rng));
      }
    }
    loss_problem p = {which, T, 3, 4};
    double J;
    loss_eval(&p, &J, dZ, P);
    gsl_vector_view pv = gsl_vector_view_array(P->data, 12);
    worst = fmax(worst, report(L, loss_names[which],
                                  matrix_check(loss_cost, &p, &pv.vector, dZ)));
    checks++;
  }

  lesson_printf(L, "Layers and networks (tanh, then sigmoid; MSE on a batch of 5):\n");
  {
    /* a network 3-4-2 on a batch of 5, J = MSE against targets */
    size_t sizes[3] = {3, 4, 2};
    nn_activation_kind acts[2] = {NN_ACTIVATION_TANH, NN_ACTIVATION_SIGMOID};
    nn_network *net = nn_network_alloc(sizes, 3, acts, 5);
    nn_network_init(net, rng);
    for (size_t k = 0; k < net->params->size; k++)  /* biases too, not 0 */
      if (gsl_vector_get(net->params, k) == 0)
        gsl_vector_set(net->params, k, gsl_ran_gaussian(rng, 0.5));
    gsl_matrix *X = gsl_matrix_alloc(5, 3), *Tn = gsl_matrix_alloc(5, 2);
    gsl_matrix *Y = gsl_matrix_alloc(5, 2), *dY = gsl_matrix_alloc(5, 2);
    fill_away_from_zero(rng, X);
    fill_away_from_zero(rng, Tn);
    net_problem p = {net, X, Tn, Y};
    double J;
    nn_network_zero_grad(net);
    nn_network_forward(net, Y, X);
    nn_loss_mse(&J, NULL, dY, Y, Tn);
    gsl_matrix *dX = gsl_matrix_alloc(5, 3);
    nn_network_backward(net, dX, dY);
    gsl_matrix_const_view g = gsl_matrix_const_view_vector(net->grads, 1,
                                                           net->grads->size);
    worst = fmax(worst, report(L, "nn_network_backward, 3-4-2: params", matrix_check(net_cost, &p, net->params,
                                                         &g.matrix)));
    /* and the dense layers inside it, one at a time: the top layer's dW, db */
    double e_top;
    {
      gsl_vector *num = gsl_vector_alloc(net->params->size);
      nn_gradcheck_numerical(num, net_cost, &p, net->params, step);
      size_t off = nn_dense_n_params(3, 4), n = nn_dense_n_params(4, 2);
      gsl_vector_const_view an = gsl_vector_const_subvector(net->grads, off, n);
      gsl_vector_const_view nu = gsl_vector_const_subvector(num, off, n);
      nn_gradcheck_relative_error(&e_top, NULL, &an.vector, &nu.vector);
      gsl_vector_free(num);
    }
    worst = fmax(worst, report(L, "nn_dense_backward, its top layer: dW, db",
                                  e_top));
    /* with respect to the input: dX */
    gsl_vector *xdata = gsl_vector_alloc(15);
    gsl_vector_const_view xsrc = gsl_vector_const_view_array(X->data, 15);
    gsl_vector_memcpy(xdata, &xsrc.vector);
    gsl_matrix_view Xv = gsl_matrix_view_vector(xdata, 5, 3);
    net_problem px = {net, &Xv.matrix, Tn, Y};
    worst = fmax(worst, report(L, "nn_network_backward, 3-4-2: dX",
                                  matrix_check(net_cost, &px, xdata, dX)));
    checks += 3;
    gsl_vector_free(xdata);
    gsl_matrix_free(dX);
    gsl_matrix_free(X);
    gsl_matrix_free(Tn);
    gsl_matrix_free(Y);
    gsl_matrix_free(dY);
    nn_network_free(net);
  }

  lesson_printf(L, "Descent (lecture 6):\n");
  {
    double v[2] = {-3 + 6 * gsl_rng_uniform(rng), -3 + 6 * gsl_rng_uniform(rng)};
    v[0] = GSL_MAX(-2.5, GSL_MIN(2.5, v[0]));  /* off the flat plain */
    v[1] = GSL_MAX(-2.5, GSL_MIN(2.5, v[1]));
    double g[2];
    gsl_vector_view vv = gsl_vector_view_array(v, 2), gv = gsl_vector_view_array(g, 2);
    nn_descent_peaks_grad(&vv.vector, NULL, &gv.vector);
    gsl_matrix_const_view gm = gsl_matrix_const_view_array(g, 1, 2);
    char what[96];
    snprintf(what, sizeof what, "nn_descent_peaks_grad at (%.3f, %.3f)", v[0], v[1]);
    worst = fmax(worst, report(L, what, matrix_check(nn_descent_peaks, NULL,
                                                        &vv.vector, &gm.matrix)));
    checks++;
  }
  lesson_printf(L, "%zu checks; the largest relative error is %.1e: %s\n", checks,
                worst, worst < CHECK_PASSES ? "every gradient passes"
                                            : "SOME GRADIENT FAILS ITS CHECK");
  gsl_matrix_free(Z);
  gsl_matrix_free(R);
  gsl_matrix_free(A);
  gsl_matrix_free(dZ);
  gsl_matrix_free(T);
  gsl_matrix_free(P);

  /// With a large h the central difference's own error (about h²) shows;
  /// with a tiny one, rounding (about ε/h) does. The default 1e-5 sits
  /// between the two (lecture 1).
  LESSON_PROSE(L);
  lesson_try(L, "predict which checks fail first, then run `make lecture7 "
             "ARGS='--step 1e-2'` and `--step 1e-12`.");
}

/// ## What to remember
///
/// - The chain rule: the derivative of a composition is the product of
///   the local derivatives of its pieces.
/// - Backpropagation: a forward pass that saves its values, then one walk
///   backwards through the graph in reverse topological order, each node
///   adding (+=) its grad times its local derivative into its operands. All
///   partial derivatives for about the cost of two or three forward
///   passes, instead of two forward passes per parameter.
/// - A dense layer's backward pass: dX = dY W, dW = dYᵀ X, db = column
///   sums of dY. Check the shapes.
/// - Check every backward pass against central differences, on small
///   examples, with a relative error; refuse all-zero gradients.
///
/// Next, lecture 8: training a network, with these gradients, on real tasks.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "A value v is used by two later nodes. What is its gradient, in "
                   "terms of theirs?",
                   "Why does backpropagation cost about as much as two or three "
                   "forward passes, whatever the number of parameters?",
                   "In a chain of 20 sigmoid layers, why does the first layer learn "
                   "so slowly?");
}
