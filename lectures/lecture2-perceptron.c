/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 2: The perceptron
///
/// Lecture 1 ended with a neuron's weighted sum, w · x + b. This lecture
/// adds the last piece of a neuron, a **nonlinearity** that turns the sum
/// into an answer, and then the oldest learning algorithm of the field:
/// Rosenblatt's perceptron (1958), which learns to draw a line between two
/// classes of points, and fails, famously, on XOR.
///
/// - a neuron: weighted sum + bias + nonlinearity, y = g(w0 + wᵀx);
/// - the bias as the intercept of the line the neuron draws;
/// - linear and nonlinear operations, and why a linear model can only
///   separate classes that a straight line separates;
/// - the usual activation functions g and their derivatives;
/// - the perceptron learning rule on a 2D data set, epoch by epoch, and
///   its failure on XOR: the 20 points of the course's running problem,
///   which lectures 3 to 7 go on to solve;
/// - why deep learning took from 1958 to the 2010s.
///
/// The example numbers and the separable data set are drawn from the seed
/// (`--seed`); `--data`, `--rate` and `--epochs` rerun the training
/// experiment by hand, and `--running-sd` spreads the XOR points.

/* lecture2-perceptron.c: lecture 2 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow it in order. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "running.h"
#include "lectures/lecture2-perceptron.prose.h"

/* ===== Knobs ===== */

enum { DATA_SEPARABLE, DATA_XOR };  /* --data, in the order of its choices */
static double rate = 0.1;           /* --rate: η of the learning rule */
static int epochs = 20;             /* --epochs: passes over the data, at most */
static int data_set = DATA_SEPARABLE;
static int points = 40;             /* --points: samples per class */
static double leak = 0.1;           /* --leak: the leaky ReLU's slope in the figures */
static double margin = 0.2;         /* --margin: the empty band of the separable set */
static double running_sd = RUNNING_SD;  /* --running-sd: spread of the XOR points */

static const lesson_option options[] = {
  {"rate", LESSON_DOUBLE, &rate, "learning rate η of the perceptron rule",
   .min = 1e-6, .max = 10},
  {"epochs", LESSON_INT, &epochs, "passes over the data, at most", .min = 1,
   .max = 1000},
  {"data", LESSON_CHOICE, &data_set, "the data set the perceptron learns",
   .choices = "separable|xor"},
  {"points", LESSON_INT, &points, "samples per class in the separable data set",
   .min = 2, .max = 500},
  {"margin", LESSON_DOUBLE, &margin, "width of the empty band between the classes "
   "of the separable data", .min = 0, .max = NN_DATA_SEPARABLE_MARGIN_MAX},
  {"leak", LESSON_DOUBLE, &leak, "slope of the leaky ReLU for z < 0 in section 4",
   .min = 0, .max = 0.99},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the 20 XOR points (the running problem) around the corners",
   .min = 0, .max = 1},
  {0}
};
/* The perceptron starts from weights drawn from N(0, INIT_SD²). */
#define INIT_SD 0.5

static void a_neuron(lesson *L);
static void bias_is_the_intercept(lesson *L);
static void linear_and_nonlinear(lesson *L);
static void activation_functions(lesson *L);
static void biological_picture(lesson *L);
/* What sections 6 and 7 share: the two data sets (section 6 draws the one
 * --data chooses, section 7 the other) and the weights every training run
 * starts from. */
typedef struct experiment {
  nn_data *sets[2];     /* [DATA_SEPARABLE] and [DATA_XOR]; owned, NULL until drawn */
  gsl_vector *start_w;  /* the 2 starting weights; owned */
  double start_w0;      /* the starting bias */
} experiment;

static void learning_rule(lesson *L, experiment *ex);
static void failure_on_xor(lesson *L, experiment *ex);
static void why_now(lesson *L);
static void check_yourself(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 2, .title = "The perceptron",
      .options = options, .prose = &lecture_prose});
  LESSON_PROSE(L);
  a_neuron(L);
  bias_is_the_intercept(L);
  linear_and_nonlinear(L);
  activation_functions(L);
  biological_picture(L);
  experiment ex = {{NULL, NULL}, NULL, 0.0};
  learning_rule(L, &ex);
  failure_on_xor(L, &ex);
  why_now(L);
  check_yourself(L);
  nn_data_free(ex.sets[DATA_SEPARABLE]);
  nn_data_free(ex.sets[DATA_XOR]);
  gsl_vector_free(ex.start_w);
  return lesson_finish(L);
}

/* ===== Helpers ===== */

/* Unicode subscripts for the figures: x₁, w₂. Indices run 0..9. */
static const char *
sub(size_t k)
{
  static const char *const digits[] = {"₀", "₁", "₂", "₃", "₄",
                                       "₅", "₆", "₇", "₈", "₉"};
  return digits[k % 10];
}

/* A number drawn from the seed: a multiple of 0.1 in [-2, 2], never 0, so
 * that sums are easy to check by hand. */
static double
draw_tenths(gsl_rng *rng)
{
  long k = (long) gsl_rng_uniform_int(rng, 40) - 20;  /* -20 .. 19 */
  return (double) (k >= 0 ? k + 1 : k) / 10.0;         /* -2.0 .. 2.0, no 0 */
}

/* The activations of section 4, in the order of the tables and figures. */
static const nn_activation_kind kinds[] = {
  NN_ACTIVATION_STEP, NN_ACTIVATION_SIGMOID, NN_ACTIVATION_TANH,
  NN_ACTIVATION_RELU, NN_ACTIVATION_LEAKY_RELU
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

/// ## 1. A neuron: weighted sum, bias, nonlinearity
///
/// A neuron with n inputs x = (x_1, ..., x_n) has one weight per input,
/// w = (w_1, ..., w_n), and one more number, the **bias** w0. It computes
///
///     z = w0 + wᵀx = w0 + w_1 x_1 + ... + w_n x_n     (the weighted sum)
///     y = g(z)                                         (the activation)
///
/// wᵀx is the dot product of lecture 1 written as a matrix product: w is a
/// column, wᵀ a row, and a row times a column is one number. The function
/// g is the **activation function**, the neuron's nonlinearity. The
/// perceptron uses the simplest one, the **step**: it answers 1 when z is 0
/// or more and 0 otherwise, a yes/no decision. A neuron drawn from the
/// seed, with three inputs:

static void
a_neuron(lesson *L)
{
  LESSON_PROSE(L);
  const size_t n = 3;
  nn_perceptron *p = nn_perceptron_alloc(n);
  gsl_vector *x = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++) {
    gsl_vector_set(x, i, draw_tenths(L->rng));
    gsl_vector_set(p->w, i, draw_tenths(L->rng));
  }
  p->w0 = draw_tenths(L->rng);
  lesson_vector(L, "x", x);
  lesson_vector(L, "w", p->w);
  lesson_printf(L, "w0 = %s\n\n", lesson_num(L, p->w0));

  /* the sum by hand, term by term, next to the library's */
  double z_hand = p->w0;
  lesson_printf(L, "z = w0");
  for (size_t i = 0; i < n; i++)
    lesson_printf(L, " + w_%zu x_%zu", i + 1, i + 1);
  lesson_printf(L, "\n  = %s", lesson_num(L, p->w0));
  for (size_t i = 0; i < n; i++) {
    double wi = gsl_vector_get(p->w, i), xi = gsl_vector_get(x, i);
    z_hand += wi * xi;
    lesson_printf(L, " + (%s)(%s)", lesson_num(L, wi), lesson_num(L, xi));
  }
  double z, yhat;
  nn_perceptron_sum(p, x, &z);
  nn_perceptron_predict(p, x, &yhat);
  lesson_printf(L, "\n  = %s\n", lesson_num(L, z_hand));
  lesson_printf(L, "nn_perceptron_sum: z = %s\n", lesson_num(L, z));
  lesson_printf(L, "nn_perceptron_predict: ŷ = step(z) = %s\n\n", lesson_num(L, yhat));

  /// The same sum through each activation of section 4. Only the step gives
  /// a hard yes/no; the others give a graded answer, and that is what will
  /// let gradient descent (lecture 5 on) train them:
  LESSON_PROSE(L);
  for (size_t k = 0; k < N_KINDS; k++) {
    char name[32];
    snprintf(name, sizeof name, "%s(z)", nn_activation_name(kinds[k]));
    lesson_printf(L, "  %s = %s\n", lesson_pad(L, name, 16),
                  lesson_num(L, nn_activation_eval(kinds[k], leak, z)));
  }

  /// Drawn as a graph, in neuron.svg (neuron.dot) in the output folder: the
  /// inputs and a constant input 1 enter along edges that multiply them by
  /// their weights (the bias is the weight of the constant 1), the node Σ
  /// adds them into z, and g decides: x → Σ → g → ŷ, the sum above.
  LESSON_PROSE(L);
  nn_graph *g = lesson_graph(L, "neuron");
  char label[256], id[16];
  snprintf(label, sizeof label, "A neuron: ŷ = step(w0 + wᵀx) = step(%s) = %s\n"
           "(blue: positive weight, vermilion: negative; width grows with |weight|)",
           lesson_num(L, z), lesson_num(L, yhat));
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "ranksep", "1.6");
  nn_graph_style in = {.shape = "circle", .fillcolor = "#f2f2f2",
                       .rank = 0, .has_rank = 1};
  nn_graph_style sum_node = {.shape = "circle", .fillcolor = "#fff2cc",
                             .rank = 1, .has_rank = 1};
  nn_graph_style act_node = {.shape = "box", .fillcolor = "#e5f0f8",
                             .rank = 2, .has_rank = 1};
  nn_graph_style out_node = {.shape = "doublecircle", .fillcolor = "#dff2e9",
                             .rank = 3, .has_rank = 1};
  snprintf(label, sizeof label, "Σ\nz = %s", lesson_num(L, z));
  nn_graph_node(g, "sum", label, &sum_node);
  nn_graph_node(g, "g", "g = step\n1 if z ≥ 0\n0 if z < 0", &act_node);
  snprintf(label, sizeof label, "ŷ = %s", lesson_num(L, yhat));
  nn_graph_node(g, "yhat", label, &out_node);
  double wmax = fabs(p->w0);
  for (size_t i = 0; i < n; i++)
    wmax = GSL_MAX(wmax, fabs(gsl_vector_get(p->w, i)));
  for (size_t i = 0; i <= n; i++) {
    int bias = i == n;  /* the bias is the weight of a constant input 1 */
    double wi = bias ? p->w0 : gsl_vector_get(p->w, i);
    snprintf(id, sizeof id, bias ? "one" : "x%zu", i + 1);
    if (bias)
      snprintf(label, sizeof label, "1");
    else
      snprintf(label, sizeof label, "x%s\n%s", sub(i + 1),
               lesson_num(L, gsl_vector_get(x, i)));
    nn_graph_node(g, id, label, &in);
    nn_graph_style edge = {.color = wi >= 0 ? "#0072b2" : "#d55e00",
                           .fontcolor = wi >= 0 ? "#0072b2" : "#d55e00",
                           .penwidth = 1.0 + 4.0 * fabs(wi) / wmax};
    if (bias)
      snprintf(label, sizeof label, "w0 = %s (bias)", lesson_num(L, wi));
    else
      snprintf(label, sizeof label, "w%s = %s", sub(i + 1), lesson_num(L, wi));
    nn_graph_edge(g, id, "sum", label, &edge);
  }
  nn_graph_edge(g, "sum", "g", "z", NULL);
  nn_graph_edge(g, "g", "yhat", NULL, NULL);
  lesson_show_graph(L, g);
  nn_graph_free(g);
  gsl_vector_free(x);
  nn_perceptron_free(p);
}

/// ## 2. The bias is the intercept
///
/// With two inputs, the points where the weighted sum is zero,
///
///     w0 + w_1 x_1 + w_2 x_2 = 0,
///
/// form a straight line in the plane: the **decision boundary**. On one
/// side z > 0 and the step says 1, on the other z < 0 and it says 0.
/// Solved for x_2 (when w_2 is not 0) it is the line of school algebra,
///
///     x_2 = -(w_1 / w_2) x_1 - w0 / w_2,
///
/// with slope -w_1/w_2, set by the weights, and intercept -w0/w_2, set by
/// the bias. The weight vector (w_1, w_2) is perpendicular to the line and
/// points to the side of the 1s; the line's distance from the origin is
/// |w0| / |w|. **Without a bias every boundary passes through the origin**
/// (z = 0 at x = 0, whatever w), so the bias is what lets the line go
/// where the data need it. The same weights with three biases:

static void
bias_is_the_intercept(lesson *L)
{
  LESSON_PROSE(L);
  const double w1 = draw_tenths(L->rng);
  double w2 = draw_tenths(L->rng);
  const double norm = hypot(w1, w2);
  lesson_printf(L, "w = (%s, %s), |w| = %s, slope -w_1/w_2 = %s\n\n", lesson_num(L, w1),
                lesson_num(L, w2), lesson_num(L, norm), lesson_num(L, -w1 / w2));
  lesson_printf(L, "  w0      intercept -w0/w_2   distance |w0|/|w|   "
                   "z at the origin\n");
  const double biases[] = {-1.5, 0.0, 1.5};
  for (size_t k = 0; k < 3; k++) {
    double w0 = biases[k];
    lesson_printf(L, "  %-7s %-19s %-19s %s\n", lesson_num(L, w0),
                  lesson_num(L, -w0 / w2), lesson_num(L, fabs(w0) / norm),
                  lesson_num(L, w0 + w1 * 0.0 + w2 * 0.0));
  }
  if (lesson_challenge(L, "With w = (1, 1), which bias w0 puts the decision line "
                       "through the point (1, 0), and which side is class 1?"))
    lesson_printf(L, "w0 + 1·1 + 1·0 = 0 gives w0 = -1: the line x_1 + x_2 = 1. "
                  "Class 1 is where x_1 + x_2 - 1 ≥ 0, the side w = (1, 1) points "
                  "to, away from the origin.\n");
}

/// ## 3. Linear and nonlinear operations
///
/// A map f is **linear** when it respects sums and scaling,
///
///     f(αu + βv) = α f(u) + β f(v)   for all inputs u, v and numbers α, β.
///
/// Dot products and matrix products are linear; adding a constant is not
/// (it is **affine**: linear plus a shift), and neither is any bent
/// function such as the step or the sigmoid. The test with inputs, α and β
/// drawn from the seed (a difference of 0, up to rounding, means linear).
/// The inputs are drawn so that the weighted sum is positive at u and
/// negative at v: where every sum is positive the ReLU acts as the
/// identity, and it would pass the test by luck.

/* One of the maps of the linearity test: x -> a number. */
typedef struct map {
  const char *name;
  double (*apply)(const struct map *m, const gsl_vector *x);
  const nn_perceptron *p;    /* its weights */
  nn_activation_kind kind;   /* after the sum, when it has an activation */
} map;

static double
sum_without_bias(const map *m, const gsl_vector *x)
{
  double z;
  nn_linalg_dot(m->p->w, x, &z);
  return z;
}

static double
sum_with_bias(const map *m, const gsl_vector *x)
{
  double z;
  nn_perceptron_sum(m->p, x, &z);
  return z;
}

static double
activated_sum(const map *m, const gsl_vector *x)
{
  return nn_activation_eval(m->kind, leak, sum_with_bias(m, x));
}

static double
activated_sum_without_bias(const map *m, const gsl_vector *x)
{
  return nn_activation_eval(m->kind, leak, sum_without_bias(m, x));
}

static void
linear_and_nonlinear(lesson *L)
{
  LESSON_PROSE(L);
  const size_t n = 2;
  nn_perceptron *p = nn_perceptron_alloc(n);
  gsl_vector *u = gsl_vector_alloc(n), *v = gsl_vector_alloc(n);
  gsl_vector *mix = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(p->w, i, draw_tenths(L->rng));
  p->w0 = draw_tenths(L->rng);
  /* u and v drawn again until the sums wᵀu and w0 + wᵀu are positive and
   * wᵀv and w0 + wᵀv negative: each side of the ReLU's kink */
  for (double su = 0, sv = 0, bu = 0, bv = 0; !(su > 0 && bu > 0 && sv < 0 && bv < 0);) {
    for (size_t i = 0; i < n; i++) {
      gsl_vector_set(u, i, draw_tenths(L->rng));
      gsl_vector_set(v, i, draw_tenths(L->rng));
    }
    nn_linalg_dot(p->w, u, &su);
    nn_linalg_dot(p->w, v, &sv);
    bu = su + p->w0;
    bv = sv + p->w0;
  }
  const double alpha = draw_tenths(L->rng), beta = draw_tenths(L->rng);
  lesson_vector(L, "w", p->w);
  lesson_printf(L, "w0 = %s\n", lesson_num(L, p->w0));
  lesson_vector(L, "u", u);
  lesson_vector(L, "v", v);
  lesson_printf(L, "α = %s, β = %s\n", lesson_num(L, alpha), lesson_num(L, beta));
  {
    double su, sv;
    nn_linalg_dot(p->w, u, &su);
    nn_linalg_dot(p->w, v, &sv);
    lesson_printf(L, "wᵀu = %s, wᵀv = %s, w0 + wᵀu = %s, w0 + wᵀv = %s\n\n",
                  lesson_num(L, su), lesson_num(L, sv), lesson_num(L, p->w0 + su),
                  lesson_num(L, p->w0 + sv));
  }
  gsl_vector_memcpy(mix, u);  /* mix = αu + βv */
  gsl_vector_scale(mix, alpha);
  gsl_blas_daxpy(beta, v, mix);

  const map maps[] = {
    {"wᵀx (no bias)", sum_without_bias, p, NN_ACTIVATION_IDENTITY},
    {"w0 + wᵀx", sum_with_bias, p, NN_ACTIVATION_IDENTITY},
    {"step(w0 + wᵀx)", activated_sum, p, NN_ACTIVATION_STEP},
    {"sigmoid(w0 + wᵀx)", activated_sum, p, NN_ACTIVATION_SIGMOID},
    {"relu(w0 + wᵀx)", activated_sum, p, NN_ACTIVATION_RELU},
    {"relu(wᵀx)", activated_sum_without_bias, p, NN_ACTIVATION_RELU},
  };
  lesson_printf(L, "  %s %-20s %-20s %s\n", lesson_pad(L, "f(x)", 19), "f(αu + βv)",
                "α f(u) + β f(v)", "difference");
  for (size_t k = 0; k < sizeof maps / sizeof maps[0]; k++) {
    const map *m = &maps[k];
    double left = m->apply(m, mix);
    double right = alpha * m->apply(m, u) + beta * m->apply(m, v);
    lesson_printf(L, "  %s %-20s %-20s %.3g\n", lesson_pad(L, m->name, 19),
                  lesson_num(L, left), lesson_num(L, right), fabs(left - right));
  }
  /// The last row is the ReLU alone, after a linear sum: it fails because
  /// the sum at v is negative, where relu(wᵀv) = 0 and not wᵀv. (A
  /// nonlinear map can pass the test by luck for one pair of inputs, say
  /// when every sum is positive; a linear map passes it for every pair.)
  ///
  /// **Why a linear model only separates linearly.** Whatever increasing
  /// g the neuron uses, the decision "g(z) is at least some threshold t" is
  /// the same as "z is at least g⁻¹(t)": a condition on the weighted sum,
  /// which is constant along straight lines. For the sigmoid and t = 1/2,
  /// sigmoid(z) ≥ 1/2 exactly when z ≥ 0. So a single neuron, whatever
  /// its activation, splits the plane with a straight line (a flat
  /// hyperplane in n dimensions). Classes that no line separates need
  /// more than one neuron: lecture 3.
  LESSON_PROSE(L);
  lesson_printf(L, "sigmoid(0) = %s: the threshold 1/2 sits exactly at z = 0\n",
                lesson_num(L, nn_activation_sigmoid(0.0)));
  gsl_vector_free(u);
  gsl_vector_free(v);
  gsl_vector_free(mix);
  nn_perceptron_free(p);
}

/// ## 4. Activation functions and their derivatives
///
/// The activations of the course, g(z) and its derivative g'(z):
///
///     step        1 if z ≥ 0, else 0          0 (no slope; undefined at 0)
///     sigmoid     σ(z) = 1 / (1 + e^(-z))     σ(z) (1 - σ(z)), at most 1/4
///     tanh        tanh z                      1 - tanh² z, at most 1
///     ReLU        max(0, z)                   1 if z > 0, else 0
///     leaky ReLU  z if z > 0, else a z        1 if z > 0, else a
///
/// The sigmoid squashes any number into (0, 1), a probability; tanh into
/// (-1, 1), centred on 0; the ReLU ("rectified linear unit") keeps
/// positives and zeroes negatives, and is the default in deep networks
/// because its slope does not fade for large z. The leaky ReLU keeps a
/// small slope a for negatives, so that a neuron whose sum is negative
/// still has a gradient. (The library's usual a is 0.01; the figures use
/// `--leak`, 0.1 by default, so that the slope can be seen.)
///
/// The derivatives matter from lecture 5 on, where training follows
/// slopes. That is why the step is of no use there: its derivative is 0
/// wherever it exists, so it tells gradient descent nothing. At the kink
/// z = 0 of the step and the ReLUs the derivative does not exist; the
/// library uses the value on the left, as the common libraries do.

/* The grid of the figures: z = -Z_MAX .. Z_MAX in steps of 1/Z_PER_UNIT,
 * with z = 0 exactly on it. */
#define Z_MAX 3
#define Z_PER_UNIT 100
#define Z_POINTS (2 * Z_MAX * Z_PER_UNIT + 1)

static double
activation_at(double z, void *params)
{
  const nn_activation_kind *kind = params;
  return nn_activation_eval(*kind, leak, z);
}

static void
activation_functions(lesson *L)
{
  LESSON_PROSE(L);
  static const double at[] = {-2, -0.5, 0, 0.5, 2};
  const size_t n_at = sizeof at / sizeof at[0];
  for (int deriv = 0; deriv <= 1; deriv++) {
    lesson_printf(L, "  %s", lesson_pad(L, deriv ? "g'(z)" : "g(z)", 12));
    for (size_t j = 0; j < n_at; j++)
      lesson_printf(L, " %-18s", lesson_num(L, at[j]));
    lesson_printf(L, "\n");
    for (size_t k = 0; k < N_KINDS; k++) {
      lesson_printf(L, "  %s", lesson_pad(L, nn_activation_name(kinds[k]), 12));
      for (size_t j = 0; j < n_at; j++) {
        double v = deriv ? nn_activation_deriv(kinds[k], leak, at[j])
                         : nn_activation_eval(kinds[k], leak, at[j]);
        lesson_printf(L, " %-18s", lesson_num(L, v));
      }
      lesson_printf(L, "\n");
    }
    lesson_printf(L, "\n");
  }

  double *z = malloc(Z_POINTS * sizeof *z), *g = malloc(Z_POINTS * sizeof *g);
  if (z == NULL || g == NULL)
    GSL_ERROR_VOID("activation_functions: out of memory", GSL_ENOMEM);
  for (size_t i = 0; i < Z_POINTS; i++)
    z[i] = ((double) i - Z_MAX * Z_PER_UNIT) / Z_PER_UNIT;  /* exact 0 in the middle */

  /* The step first and wide, in light grey, so that where another curve
   * lies on it (the ReLU's derivative is 0 for z < 0, like the step's) the
   * step still shows around it. */
  static const char *const styles[N_KINDS] = {
    "lines lw 7 lc rgb '#bbbbbb'",
    "lines lw 3 lc rgb '#0072b2'",
    "lines lw 3 lc rgb '#009e73'",
    "lines lw 3 lc rgb '#d55e00'",
    "lines lw 3 dt 2 lc rgb '#cc79a7'",
  };
  char legend[96];

  nn_plot *p = lesson_plot(L, "activations");
  nn_plot_title(p, "Activation functions g(z)");
  nn_plot_labels(p, "z = w0 + wᵀx", "g(z)");
  nn_plot_set(p, "xrange [%d:%d]", -Z_MAX, Z_MAX);
  nn_plot_set(p, "yrange [-1.5:3.05]");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_set(p, "yzeroaxis lt 1 lw 1 lc rgb '#808080'");
  for (size_t k = 0; k < N_KINDS; k++) {
    for (size_t i = 0; i < Z_POINTS; i++)
      g[i] = nn_activation_eval(kinds[k], leak, z[i]);
    if (kinds[k] == NN_ACTIVATION_LEAKY_RELU)
      snprintf(legend, sizeof legend, "leaky_relu, a = %s", lesson_num(L, leak));
    else
      snprintf(legend, sizeof legend, "%s", nn_activation_name(kinds[k]));
    nn_plot_series(p, legend, z, g, Z_POINTS, styles[k]);
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// Their derivatives are drawn in activation-derivatives.svg (the second
  /// table above gives them at five points). Where a derivative jumps (at
  /// the kink z = 0) the curve has a gap: there is no derivative there. Note how small the
  /// sigmoid's slope is everywhere (at most 1/4), and how it vanishes for
  /// large |z|, like tanh's: a first hint of the vanishing gradients of
  /// lecture 6.
  LESSON_PROSE(L);
  p = lesson_plot(L, "activation-derivatives");
  nn_plot_title(p, "Derivatives g′(z) of the activation functions");
  nn_plot_labels(p, "z", "g′(z)");
  nn_plot_set(p, "xrange [%d:%d]", -Z_MAX, Z_MAX);
  nn_plot_set(p, "yrange [-0.1:1.15]");
  for (size_t k = 0; k < N_KINDS; k++) {
    int kink = kinds[k] == NN_ACTIVATION_STEP || kinds[k] == NN_ACTIVATION_RELU
               || kinds[k] == NN_ACTIVATION_LEAKY_RELU;
    for (size_t i = 0; i < Z_POINTS; i++)
      g[i] = (kink && z[i] == 0.0) ? NAN : nn_activation_deriv(kinds[k], leak, z[i]);
    if (kinds[k] == NN_ACTIVATION_LEAKY_RELU)
      snprintf(legend, sizeof legend, "leaky_relu′, a = %s", lesson_num(L, leak));
    else
      snprintf(legend, sizeof legend, "%s′", nn_activation_name(kinds[k]));
    nn_plot_series(p, legend, z, g, Z_POINTS, styles[k]);
  }
  lesson_save_plot(L, p);
  nn_plot_free(p);

  /// Are the formulas right? Lecture 1's central difference checks them:
  /// for each activation, the analytic g'(z) against (g(z+h) - g(z-h))/(2h)
  /// with h = 1e-5 at every point of the figure's grid but the kink, and
  /// one number per activation, the relative error
  ///
  ///     max |analytic - numerical| / max (|analytic| + |numerical|)
  ///
  /// (nn_gradcheck_relative_error). Below 1e-7 the two agree to rounding.
  /// The step's derivative is 0 on both sides, so there is nothing to
  /// compare: a check of zeros against zeros proves nothing, and the
  /// library refuses it.
  LESSON_PROSE(L);
  const double h = 1e-5;
  gsl_vector *analytic = gsl_vector_alloc(Z_POINTS - 1);
  gsl_vector *numeric = gsl_vector_alloc(Z_POINTS - 1);
  for (size_t k = 0; k < N_KINDS; k++) {
    nn_activation_kind kind = kinds[k];
    gsl_function G = {activation_at, &kind};
    size_t m = 0;
    for (size_t i = 0; i < Z_POINTS; i++) {
      if (z[i] == 0.0)
        continue;  /* the kink: no derivative to compare */
      double d;
      nn_deriv_central(&G, z[i], h, &d);
      gsl_vector_set(analytic, m, nn_activation_deriv(kind, leak, z[i]));
      gsl_vector_set(numeric, m, d);
      m++;
    }
    double err = 1.0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();  /* the step's zeros */
    int status = nn_gradcheck_relative_error(&err, NULL, analytic, numeric);
    gsl_set_error_handler(old);
    if (status == GSL_SUCCESS)
      lesson_printf(L, "  %s relative error %.2g over %zu points\n",
                    lesson_pad(L, nn_activation_name(kind), 12), err, m);
    else
      lesson_printf(L, "  %s g' = 0 at all %zu points, and so is every central "
                    "difference\n", lesson_pad(L, nn_activation_name(kind), 12), m);
  }
  /// At the kink itself the central difference straddles the jump and
  /// measures an average, not a derivative. For the step it measures the
  /// height of the jump divided by 2h, which grows without bound as h
  /// shrinks: the step has no derivative at 0.
  LESSON_PROSE(L);
  for (size_t k = 0; k < N_KINDS; k++) {
    nn_activation_kind kind = kinds[k];
    if (kind == NN_ACTIVATION_SIGMOID || kind == NN_ACTIVATION_TANH)
      continue;
    gsl_function G = {activation_at, &kind};
    lesson_printf(L, "  %s at z = 0:", lesson_pad(L, nn_activation_name(kind), 12));
    for (double hk = 1e-1; hk >= 1e-5; hk /= 100) {
      double d;
      nn_deriv_central(&G, 0.0, hk, &d);
      lesson_printf(L, "  h = %g: %s", hk, lesson_num(L, d));
    }
    lesson_printf(L, "\n");
  }
  gsl_vector_free(analytic);
  gsl_vector_free(numeric);
  free(z);
  free(g);
  lesson_try(L, "predict the leaky ReLU's value at z = -2 with a slope of 0.25, "
             "then run `make lecture2 ARGS='--leak 0.25'`.");
}

/// ## 5. The biological picture, with its asterisk
///
/// The vocabulary comes from biology. A nerve cell collects signals from
/// other cells through its **dendrites**; each connection, a **synapse**,
/// is stronger or weaker, exciting or inhibiting (the weights, positive or
/// negative). The cell body adds up what arrives, and when the total
/// crosses a threshold the cell **fires**: a pulse travels down its
/// **axon** to the next cells (the step function, and the bias as minus
/// the threshold). McCulloch and Pitts wrote this model down in 1943;
/// Rosenblatt built the perceptron on it in 1958.
///
/// The asterisk: it is an inspiration, not a description. Real neurons
/// speak in trains of spikes over time, not in one number; their
/// dendrites compute nonlinear things of their own; a synapse is not a
/// single adjustable weight; and nobody has found the brain running the
/// perceptron rule or, later in this course, backpropagation. Artificial
/// networks are mathematics that borrowed a picture. Judge them by what
/// the mathematics does.

/* A section of prose only: the lesson prints it in its place. */
static void
biological_picture(lesson *L)
{
  LESSON_PROSE(L);
}

/// ## 6. The perceptron learning rule
///
/// Now the perceptron learns its weights from examples: points x in the
/// plane, each with a label y, 0 or 1. Start from random weights, and visit
/// the samples one at a time. For each, predict ŷ = step(w0 + wᵀx), then
///
///     w  <- w  + η (y - ŷ) x
///     w0 <- w0 + η (y - ŷ)
///
/// where η (eta, `--rate`) is the **learning rate**. When the answer is
/// right, y - ŷ = 0 and nothing moves. When the perceptron said 0 but the
/// label is 1, y - ŷ = +1: x is added to w, which raises the sum of that
/// sample by η (1 + |x|²); said 1 for a 0, the sum falls by as much. Each
/// mistake tilts and shifts the line towards the side the point belongs
/// on. One pass over all samples is an **epoch**; an epoch without a
/// mistake changes nothing, so training is over.
///
/// The **perceptron convergence theorem** (Novikoff, 1962): when some line
/// separates the two classes with a margin, the rule makes only finitely
/// many mistakes, whatever the rate and the start. The data set here is
/// chosen by `--data`: **separable** (the default) draws points on both
/// sides of the line x_1 + x_2 = 1 with an empty band of width `--margin`
/// between the classes (a narrower band takes more mistakes to find);
/// **xor** is the course's running problem: 20 points in four clouds on
/// the corners of the unit square, labelled by exclusive or (section 7).
/// The samples are shuffled once, then visited in that order
/// every epoch; the table shows the mistakes made during each epoch, the
/// errors of the weights at its end, and the weights.

/* A data set, shuffled once with the lesson's generator. XOR is the running
 * problem's 20 points, drawn from their own seed: the same points in
 * lectures 2 to 7. */
static nn_data *
make_data(lesson *L, int which)
{
  nn_data *d = which == DATA_XOR ? running_data(running_sd, RUNNING_SEED)
                                 : nn_data_separable(L->rng, (size_t) points, margin);
  nn_data *s = nn_data_alloc(d->X->size1, d->X->size2);
  gsl_permutation *order = gsl_permutation_alloc(d->X->size1);
  nn_data_shuffle(L->rng, order);
  for (size_t i = 0; i < d->X->size1; i++) {
    size_t from = gsl_permutation_get(order, i);
    gsl_vector_const_view row = gsl_matrix_const_row(d->X, from);
    gsl_matrix_set_row(s->X, i, &row.vector);
    gsl_vector_set(s->y, i, gsl_vector_get(d->y, from));
  }
  gsl_permutation_free(order);
  nn_data_free(d);
  return s;
}

/* The history of one training run: the weights at the end of epoch e
 * (e = 0: the start), the mistakes made during epoch e (e >= 1) and the
 * errors of the weights at its end. */
typedef struct history {
  size_t epochs_run;  /* epochs trained (stops early after a clean epoch) */
  size_t converged;   /* the first epoch without a mistake, 0 if none */
  double *w1, *w2;    /* [e]: the two weights at the end of epoch e (owned) */
  double *w0;         /* [e]: the bias at the end of epoch e (owned) */
  size_t *mistakes;   /* [e]: mistakes made during epoch e; [0] unused (owned) */
  size_t *errors;     /* [e]: samples the weights of epoch e get wrong (owned) */
} history;

static history
train(const nn_data *data, const gsl_vector *w_start, double w0_start, int stop_early)
{
  const size_t E = (size_t) epochs;
  history h = {0, 0, malloc((E + 1) * sizeof(double)), malloc((E + 1) * sizeof(double)),
               malloc((E + 1) * sizeof(double)), calloc(E + 1, sizeof(size_t)),
               calloc(E + 1, sizeof(size_t))};
  if (!h.w1 || !h.w2 || !h.w0 || !h.mistakes || !h.errors)
    GSL_ERROR_VAL("train: out of memory", GSL_ENOMEM, h);
  nn_perceptron *p = nn_perceptron_alloc(2);
  gsl_vector_memcpy(p->w, w_start);
  p->w0 = w0_start;
  h.w1[0] = gsl_vector_get(p->w, 0);
  h.w2[0] = gsl_vector_get(p->w, 1);
  h.w0[0] = p->w0;
  nn_perceptron_errors(p, data->X, data->y, &h.errors[0]);
  for (size_t e = 1; e <= E; e++) {
    nn_perceptron_epoch(p, data->X, data->y, rate, &h.mistakes[e]);
    nn_perceptron_errors(p, data->X, data->y, &h.errors[e]);
    h.w1[e] = gsl_vector_get(p->w, 0);
    h.w2[e] = gsl_vector_get(p->w, 1);
    h.w0[e] = p->w0;
    h.epochs_run = e;
    if (h.mistakes[e] == 0 && h.converged == 0) {
      h.converged = e;
      if (stop_early)
        break;
    }
  }
  nn_perceptron_free(p);
  return h;
}

static void
history_free(history *h)
{
  free(h->w1);
  free(h->w2);
  free(h->w0);
  free(h->mistakes);
  free(h->errors);
}

/* The part of the line w1 x + w2 y + w0 = 0 inside the box [x0, x1] x
 * [y0, y1], as two end points; 0 when the line misses the box. */
static int
clip_line(double w1, double w2, double w0, const double box[4], double px[2],
          double py[2])
{
  double cx[4], cy[4];
  int n = 0;
  if (w2 != 0.0)  /* the left and right sides */
    for (int s = 0; s < 2; s++) {
      double x = box[s], y = -(w0 + w1 * x) / w2;
      if (y >= box[2] && y <= box[3]) {
        cx[n] = x;
        cy[n++] = y;
      }
    }
  if (w1 != 0.0)  /* the bottom and top sides */
    for (int s = 2; s < 4; s++) {
      double y = box[s], x = -(w0 + w2 * y) / w1;
      if (x >= box[0] && x <= box[1]) {
        cx[n] = x;
        cy[n++] = y;
      }
    }
  if (n < 2)
    return 0;
  /* the two points farthest apart (a corner may be found twice) */
  int a = 0, b = 1;
  double best = -1;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      double d = hypot(cx[i] - cx[j], cy[i] - cy[j]);
      if (d > best) {
        best = d;
        a = i;
        b = j;
      }
    }
  px[0] = cx[a];
  py[0] = cy[a];
  px[1] = cx[b];
  py[1] = cy[b];
  return 1;
}

static const char *
data_name(int which)
{
  return which == DATA_XOR ? "xor" : "separable";
}

/* The figure NAME: the data, and the line of the weights after each epoch
 * of the history H, from the start (dashed grey) through light to dark
 * green to the last line (black). */
static void
plot_epochs(lesson *L, const char *name, const char *title, const nn_data *data,
            const history *h)
{
  const size_t N = data->X->size1, last = h->epochs_run;
  double box[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY};  /* x0 x1 y0 y1 */
  for (size_t i = 0; i < N; i++) {
    box[0] = GSL_MIN(box[0], gsl_matrix_get(data->X, i, 0));
    box[1] = GSL_MAX(box[1], gsl_matrix_get(data->X, i, 0));
    box[2] = GSL_MIN(box[2], gsl_matrix_get(data->X, i, 1));
    box[3] = GSL_MAX(box[3], gsl_matrix_get(data->X, i, 1));
  }
  const double pad = 0.08 * GSL_MAX(box[1] - box[0], box[3] - box[2]);
  box[0] -= pad;
  box[1] += pad;
  box[2] -= pad;
  box[3] += pad;

  nn_plot *p = lesson_plot(L, name);
  char legend[96], style[96];
  nn_plot_title(p, title);
  nn_plot_labels(p, "x₁", "x₂");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "xrange [%.17g:%.17g]", box[0], box[1]);
  nn_plot_set(p, "yrange [%.17g:%.17g]", box[2], box[3]);
  nn_plot_set(p, "palette defined (0 '#c7e9c0', 1 '#00441b')");
  nn_plot_set(p, "cbrange [0:%zu]", GSL_MAX(last, (size_t) 1));
  nn_plot_set(p, "unset colorbox");
  /* the lines end on the border: draw them even when rounding puts both
   * ends a hair outside the range */
  nn_plot_set(p, "clip two");
  /* the two classes */
  for (int cls = 0; cls <= 1; cls++) {
    double *xs = malloc(N * sizeof *xs), *ys = malloc(N * sizeof *ys);
    size_t m = 0;
    for (size_t i = 0; i < N; i++)
      if (gsl_vector_get(data->y, i) == cls) {
        xs[m] = gsl_matrix_get(data->X, i, 0);
        ys[m++] = gsl_matrix_get(data->X, i, 1);
      }
    snprintf(legend, sizeof legend, "class %d (y = %d)", cls, cls);
    nn_plot_series(p, legend, xs, ys, m,
                   cls ? "points pt 5 ps 1.3 lc rgb '#d55e00'"
                       : "points pt 7 ps 1.3 lc rgb '#0072b2'");
    free(xs);
    free(ys);
  }
  /* one line per epoch: e = 0 the start, e = last the final one */
  for (size_t e = 0; e <= last; e++) {
    double px[2] = {NAN, NAN}, py[2] = {NAN, NAN};
    clip_line(h->w1[e], h->w2[e], h->w0[e], box, px, py);
    if (e == 0) {
      nn_plot_series(p, "epoch 0: the random start", px, py, 2,
                     "lines lw 2 dt 2 lc rgb '#666666'");
    } else if (e == last) {
      snprintf(legend, sizeof legend, "epoch %zu: the final line", e);
      nn_plot_series(p, legend, px, py, 2, "lines lw 4 lc rgb '#000000'");
    } else {
      snprintf(style, sizeof style, "lines lw 2 lc palette cb %zu", e);
      if (last == 2)
        snprintf(legend, sizeof legend, "epoch 1");
      else
        snprintf(legend, sizeof legend, "epochs 1 to %zu, light to dark", last - 1);
      nn_plot_series(p, e == 1 ? legend : NULL, px, py, 2, style);
    }
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
}

static void
learning_rule(lesson *L, experiment *ex)
{
  LESSON_PROSE(L);
  const nn_data *data = ex->sets[data_set] = make_data(L, data_set);
  const size_t N = data->X->size1;
  nn_perceptron *p0 = nn_perceptron_alloc(2);
  nn_perceptron_randomize(p0, L->rng, INIT_SD);
  const gsl_vector *start_w = ex->start_w = gsl_vector_alloc(2);
  gsl_vector_memcpy(ex->start_w, p0->w);
  const double start_w0 = ex->start_w0 = p0->w0;
  nn_perceptron_free(p0);

  size_t ones = 0;
  for (size_t i = 0; i < N; i++)
    ones += gsl_vector_get(data->y, i) == 1.0;
  lesson_printf(L, "data: %s, %zu samples (%zu of class 0, %zu of class 1)\n",
                data_name(data_set), N, N - ones, ones);
  lesson_printf(L, "η = %s, at most %d epochs, start w = (%s, %s), w0 = %s\n\n",
                lesson_num(L, rate), epochs, lesson_num(L, gsl_vector_get(start_w, 0)),
                lesson_num(L, gsl_vector_get(start_w, 1)), lesson_num(L, start_w0));
  history h = train(data, start_w, start_w0, 1);
  lesson_printf(L, "  epoch  mistakes  errors   w_1                  w_2"
                   "                  w0\n");
  for (size_t e = 0; e <= h.epochs_run; e++) {
    char m[16] = "-";
    if (e > 0)
      snprintf(m, sizeof m, "%zu", h.mistakes[e]);
    lesson_printf(L, "  %-6zu %-9s %-8zu %-20s %-20s %s\n", e, m, h.errors[e],
                  lesson_num(L, h.w1[e]), lesson_num(L, h.w2[e]),
                  lesson_num(L, h.w0[e]));
  }
  size_t last = h.epochs_run;
  lesson_printf(L, "\nfinal: w_1 = %s, w_2 = %s, w0 = %s, errors = %zu of %zu\n",
                lesson_num(L, h.w1[last]), lesson_num(L, h.w2[last]),
                lesson_num(L, h.w0[last]), h.errors[last], N);
  if (h.converged)
    lesson_printf(L, "converged: epoch %zu made no mistake, so every later epoch "
                  "would change nothing.\n", h.converged);
  else
    lesson_printf(L, "not converged: every one of the %zu epochs made a mistake.\n",
                  h.epochs_run);

  /// The figure shows the data and the line after every epoch, from the
  /// random start (dashed) through lighter to darker green to the final
  /// line (black). Class 1 lies on the side the weight vector points to.
  LESSON_PROSE(L);
  char title[160];
  snprintf(title, sizeof title, "The perceptron on the %s data: its line after "
           "each epoch (η = %s)", data_name(data_set), lesson_num(L, rate));
  plot_epochs(L, "perceptron-epochs", title, data, &h);
  lesson_try(L, "predict the number of epochs with a narrower band, then run "
             "`make lecture2 ARGS='--margin 0.02'`; or a larger step, "
             "`make lecture2 ARGS='--rate 2'`.");
  history_free(&h);
}

/// ## 7. Failure on XOR: the running problem
///
/// Exclusive or answers 1 when exactly one of its two inputs is 1:
///
///     x_1  x_2  y          condition on the weights
///     0    0    0          w0 < 0
///     0    1    1          w0 + w_2 ≥ 0
///     1    0    1          w0 + w_1 ≥ 0
///     1    1    0          w0 + w_1 + w_2 < 0
///
/// No weights meet all four conditions. Add the middle two:
/// w_1 + w_2 + 2 w0 ≥ 0, so w0 + w_1 + w_2 ≥ -w0, which is positive by the
/// first line; the last line says it is negative. No line separates the
/// two classes, so every epoch makes at least one mistake, and the
/// perceptron never settles: the rule keeps moving the line, forever.
/// This is what Minsky and Papert's book *Perceptrons* (1969) made famous.
///
/// The data: the **running problem** of this course, 20 points in four
/// clouds of 5 around the corners of the unit square, spread
/// `--running-sd`, labelled by exclusive or. The same 20 points come back
/// in every lecture up to 7. The perceptron rule on them, from the same
/// start and at the same rate as section 6, for `--epochs` epochs; the
/// accuracy is the share of the points the line of that epoch gets right:

static void
failure_on_xor(lesson *L, experiment *ex)
{
  LESSON_PROSE(L);
  const int other = data_set == DATA_XOR ? DATA_SEPARABLE : DATA_XOR;
  ex->sets[other] = make_data(L, other);
  const nn_data *sep = ex->sets[DATA_SEPARABLE], *xor = ex->sets[DATA_XOR];
  history hs = train(sep, ex->start_w, ex->start_w0, 0);
  history hx = train(xor, ex->start_w, ex->start_w0, 0);
  const size_t E = (size_t) epochs, N = xor->X->size1;
  lesson_printf(L, "  epoch  mistakes  accuracy   w_1          w_2          w0\n");
  size_t fewest = hx.errors[0];
  for (size_t e = 0; e <= E; e++) {
    char m[16] = "-";
    if (e > 0)
      snprintf(m, sizeof m, "%zu", hx.mistakes[e]);
    fewest = GSL_MIN(fewest, hx.errors[e]);
    lesson_printf(L, "  %-6zu %-9s %-10s %-12s %-12s %s\n", e, m,
                  lesson_num(L, 1.0 - (double) hx.errors[e] / (double) N),
                  lesson_num(L, hx.w1[e]), lesson_num(L, hx.w2[e]),
                  lesson_num(L, hx.w0[e]));
  }
  size_t xor_clean = 0;  /* epochs of XOR without a mistake: there are none */
  for (size_t e = 1; e <= E; e++)
    xor_clean += hx.mistakes[e] == 0;
  lesson_printf(L, "\nxor (%zu samples): epochs without a mistake: %zu of %zu; "
                "best accuracy at the end of an epoch: %s\n", N, xor_clean, E,
                lesson_num(L, 1.0 - (double) fewest / (double) N));
  lesson_printf(L, "separable (%zu samples), for comparison: ", sep->X->size1);
  if (hs.converged)
    lesson_printf(L, "no mistake from epoch %zu on\n", hs.converged);
  else
    lesson_printf(L, "still making mistakes after %zu epochs\n", E);

  /// The accuracy never reaches 1, and it cannot: a line that gets three
  /// corners right gets the fourth wrong. The rule does not even settle on
  /// the best line, which gets three clouds of five right: every mistake
  /// moves the line, and the next epoch's mistakes move it back. Often it
  /// ends an epoch outside the square altogether, where it gives every
  /// point the same class and gets half of them right, as in the table.
  /// The figure draws the lines of the epochs that cross the square (from
  /// the dashed start to the black last one, when they do): none leaves
  /// the two classes on two sides.
  LESSON_PROSE(L);
  char title[160];
  snprintf(title, sizeof title, "The perceptron on the 20 XOR points: its line after "
           "each epoch (η = %s)", lesson_num(L, rate));
  plot_epochs(L, "perceptron-xor-epochs", title, xor, &hx);

  /// Side by side, the mistakes made during each epoch on the two data
  /// sets, with the same start and the same rate: on the separable set
  /// they fall to 0 and stay there (the convergence theorem), on XOR they
  /// never do.
  LESSON_PROSE(L);
  double *ep = malloc(E * sizeof *ep), *ms = malloc(E * sizeof *ms);
  double *mx = malloc(E * sizeof *mx);
  for (size_t e = 1; e <= E; e++) {
    ep[e - 1] = (double) e;
    ms[e - 1] = (double) hs.mistakes[e];
    mx[e - 1] = (double) hx.mistakes[e];
  }
  nn_plot *p = lesson_plot(L, "mistakes-per-epoch");
  snprintf(title, sizeof title, "Mistakes of the perceptron rule in each epoch "
           "(η = %s)", lesson_num(L, rate));
  nn_plot_title(p, title);
  nn_plot_labels(p, "epoch", "mistakes during the epoch");
  nn_plot_set(p, "xrange [0.5:%.1f]", (double) E + 0.5);
  nn_plot_set(p, "yrange [-1:*]");
  if (E <= 30)
    nn_plot_set(p, "xtics 1");
  nn_plot_series(p, "separable data", ep, ms, E,
                 "linespoints lw 2 pt 7 ps 1.2 lc rgb '#0072b2'");
  nn_plot_series(p, "XOR data", ep, mx, E,
                 "linespoints lw 2 pt 5 ps 1.2 lc rgb '#d55e00'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(ep);
  free(ms);
  free(mx);
  history_free(&hs);
  history_free(&hx);

  lesson_try(L, "predict whether more epochs or tighter clouds help, then run "
             "`make lecture2 ARGS='--epochs 200'` or "
             "`make lecture2 ARGS='--running-sd 0'`.");
  if (lesson_challenge(L, "Of the four corners (0,0), (0,1), (1,0), (1,1), how many "
                       "can one line classify right, at best?"))
    lesson_printf(L, "Three. The four conditions above cannot all hold, and any "
                  "three of them can: w = (1, 1), w0 = -0.5 gets every corner but "
                  "(1,1) right. So on the 20 points a line that keeps each cloud on "
                  "one side gets at most 15 right: three clouds of five.\n");

  /// The way out is more than one neuron: lecture 3 puts two of them side
  /// by side in a hidden layer, each drawing its own line, and a third
  /// neuron that combines them, and classifies these same 20 points
  /// without a mistake.
  LESSON_PROSE(L);
}

/// ## 8. Why deep learning, why now
///
/// The perceptron is from 1958, and the way to train networks of many
/// layers, backpropagation (lecture 7), was popularised in 1986. Yet deep
/// networks only took over from about 2012, when one won the ImageNet
/// image-recognition contest by a wide margin. Three things had changed:
///
/// - **data**: the web, phones and cheap sensors produced labelled data
///   sets of millions of examples (ImageNet: 14 million images), and deep
///   networks keep improving with more data where older methods level off;
/// - **compute**: graphics processors (GPUs) do thousands of the
///   multiply-and-sum operations of lecture 1 in parallel, and a network's
///   work is almost nothing else; training that took months took days;
/// - **methods and software**: ReLU activations (lecture 2), better
///   initialisation, dropout (lecture 10), Adam (lecture 9), and open-source
///   libraries that compute gradients automatically (the computation graph
///   of lecture 7) made deep networks trainable, and shareable.
///
/// The ideas are old; what is new is that we can afford to run them at
/// scale. The rest of this course builds those ideas one at a time.

/* A section of prose only: the lesson prints it in its place. */
static void
why_now(lesson *L)
{
  LESSON_PROSE(L);
}

/// ## What to remember
///
/// - A neuron: y = g(w0 + wᵀx). The weights set the direction of its
///   decision line, the bias its offset from the origin.
/// - Sums and matrix products are linear; activations are not. One neuron,
///   whatever its activation, separates with a straight line.
/// - step, sigmoid, tanh, ReLU, leaky ReLU, and their derivatives (checked
///   against central differences). The step's derivative is 0: no slope
///   to learn from.
/// - The perceptron rule w += η (y - ŷ) x, w0 += η (y - ŷ) learns any
///   linearly separable set in finitely many mistakes, and never learns XOR:
///   on the 20 points of the running problem its accuracy never reaches 1.
/// - Deep learning now: more data, faster parallel hardware, better methods
///   and open software.
///
/// Next, lecture 3: neurons in layers, layers in a network, the forward
/// pass that computes what a network says, and a network that solves XOR.

/* The prose above, then the questions and the exercise. */
static void
check_yourself(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
      "A neuron has w = (2, -1) and w0 = 1. Which side of its line is class 1, "
      "and where does the line cross the x_2 axis?",
      "Why does the perceptron rule stop changing the weights after an epoch "
      "without a mistake?",
      "Why can no single neuron, whatever its activation, classify XOR?");
}
