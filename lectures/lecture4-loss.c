/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 4: Loss and cost
///
/// Lecture 3 ran a network forward: numbers in, a prediction out. Before a
/// network can learn, it needs to be told how wrong its prediction is, as a
/// single number that is small when it is right and grows as it gets worse.
/// That number is the **loss**. This lecture builds the three losses that
/// cover almost every network you will meet:
///
/// - the mean squared error (MSE), for outputs that are numbers;
/// - the binary cross-entropy (BCE), for yes/no probabilities;
/// - the categorical cross-entropy, for one class out of K, after a softmax;
///
/// together with their gradients, which training will follow, and then it
/// looks at the **cost**, the mean loss over a data set, as a landscape over
/// the parameters of a tiny model: the landscape gradient descent
/// (lecture 5) walks down. It ends with the cost of the course's running
/// problem, the XOR network of lecture 3, written out whole, and its
/// landscape over two of the network's weights.
///
/// The small examples are drawn at random from the seed (`--seed`): rerun
/// with another seed for other numbers.

/* lecture4-loss.c: lecture 4 as a literate program. The `///` lines are the
 * lesson's prose (see lesson.h); main() is the outline of the lecture and
 * the sections follow it in order. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <nn/nn.h>

#include "lesson.h"
#include "running.h"
#include "lectures/lecture4-loss.prose.h"

/* ===== Knobs ===== */

static double target = 1.5;   /* --target: the target of the MSE figure */
static int classes = 3;       /* --classes: K, classes of the categorical examples */
static int samples = 20;      /* --samples: N, samples of the tiny model's data */
static double slope = 1.5;    /* --slope: the slope behind that data */
static double noise = 0.5;    /* --noise: the noise of that data */
static int grid = 81;         /* --grid: points per axis of the landscape */
static const char *pair = "v1,c";  /* --pair: the two weights of section 9 (lecture 6 descends the same two) */
static double scale = RUNNING_SCALE;   /* --scale: k of the hand-set XOR network */
static double running_sd = RUNNING_SD; /* --running-sd: spread of the XOR points */

static const lesson_option options[] = {
  {"target", LESSON_DOUBLE, &target,
   "the target y of the figure of the squared error", .min = -10, .max = 10},
  {"classes", LESSON_INT, &classes, "K, the classes of the categorical examples",
   .min = 2, .max = 9},
  {"samples", LESSON_INT, &samples,
   "N, the samples of the data set of the tiny model", .min = 3, .max = 1000},
  {"slope", LESSON_DOUBLE, &slope, "the slope m of that data, y = m x + noise",
   .min = -3, .max = 3},
  {"noise", LESSON_DOUBLE, &noise, "the standard deviation of its noise",
   .min = 0, .max = 5},
  {"grid", LESSON_INT, &grid, "points per axis of the loss landscape",
   .min = 11, .max = 301},
  {"pair", LESSON_STRING, &pair, "the two parameters of the XOR network whose "
   "landscape section 9 draws, two of w11 w12 w21 w22 b1 b2 v1 v2 c",
   .choices = NULL},
  {"scale", LESSON_DOUBLE, &scale,
   "k, the size of the hand-set weights of the XOR network", .min = 0, .max = 100},
  {"running-sd", LESSON_DOUBLE, &running_sd,
   "spread of the 20 XOR points around the corners", .min = 0, .max = 1},
  {0}
};

/* The regression data of sections 7 and 8 and its best line. */
typedef struct landscape {
  nn_data *data;       /* N samples: X is (N, 1), y has N entries */
  double w0, w1;       /* the least-squares line: the minimum of J */
  double jmin;         /* J(w0, w1) there */
} landscape;

/* The regression batch of sections 2 and 3: B = 5 predictions and targets. */
enum { BATCH = 5 };
typedef struct batch {
  double yhat[BATCH];  /* the predictions ŷ_b */
  double y[BATCH];     /* the targets y_b */
} batch;

static void output_kinds(lesson *L);
static void loss_and_cost(lesson *L, batch *r);
static void squared_error(lesson *L, const batch *r);
static void binary_cross_entropy(lesson *L);
static void categorical_cross_entropy(lesson *L);
static void gradient_checks(lesson *L);
static void loss_landscape(lesson *L, landscape *s);
static void batch_not_sample(lesson *L, const landscape *s);
static void running_cost_section(lesson *L, size_t first, size_t second);
static void check_yourself(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 4, .title = "Loss and cost",
      .options = options, .prose = &lecture_prose});
  /* --pair: two different names of the XOR network's parameters */
  size_t first = RUNNING_N_PARAMS, second = RUNNING_N_PARAMS;
  const char *comma = strchr(pair, ',');
  for (size_t i = 0; comma != NULL && i < RUNNING_N_PARAMS; i++) {
    const char *name = running_param_name(i);
    if (strlen(name) == (size_t) (comma - pair) && strncmp(pair, name, strlen(name)) == 0)
      first = i;
    if (strcmp(comma + 1, name) == 0)
      second = i;
  }
  if (first == RUNNING_N_PARAMS || second == RUNNING_N_PARAMS || first == second)
    lesson_usage_error(L, "invalid value '%s' for --pair: expected two different names "
                       "of w11 w12 w21 w22 b1 b2 v1 v2 c, separated by a comma", pair);
  LESSON_PROSE(L);

  output_kinds(L);
  batch r;
  loss_and_cost(L, &r);
  squared_error(L, &r);
  binary_cross_entropy(L);
  categorical_cross_entropy(L);
  gradient_checks(L);
  landscape s = {NULL, 0, 0, 0};
  loss_landscape(L, &s);
  batch_not_sample(L, &s);
  running_cost_section(L, first, second);
  check_yourself(L);

  nn_data_free(s.data);
  return lesson_finish(L);
}

/* ===== Helpers ===== */

/* Unicode subscripts for figures and tables: ŷ₁, L₃. Indices run 0..9. */
static const char *
sub(size_t k)
{
  static const char *const digits[] = {"₀", "₁", "₂", "₃", "₄",
                                       "₅", "₆", "₇", "₈", "₉"};
  return digits[k % 10];
}

/* A multiple of `unit` drawn uniformly from [lo, hi] (both multiples of
 * unit): numbers a reader can check by hand. */
static double
draw_multiple(gsl_rng *rng, double lo, double hi, double unit)
{
  long n = lround((hi - lo) / unit);
  return lo + unit * (double) gsl_rng_uniform_int(rng, (unsigned long) n + 1);
}

/* "ŷ = w0 + w1 x" with the sign of w1 in the operator: "ŷ = -2.05 − 0.443 x". */
static void
line_text(char *buf, size_t size, double w0, double w1)
{
  snprintf(buf, size, "ŷ = %.3g %s %.3g x", w0, w1 < 0 ? "−" : "+", fabs(w1));
}

/* The cost of a 1x1 "batch": one prediction against one target, and the
 * gradient of that cost. Each loss of nn/loss.h is drawn this way in the
 * figures, so that the curves are the library's own numbers. */
typedef int one_loss_fn(double *cost, gsl_vector *losses, gsl_matrix *grad,
                        const gsl_matrix *pred, const gsl_matrix *target);

static void
loss_of_one(one_loss_fn *loss, double prediction, double y, double *value,
            double *gradient)
{
  double p = prediction, t = y, g;
  gsl_matrix_view P = gsl_matrix_view_array(&p, 1, 1);
  gsl_matrix_view T = gsl_matrix_view_array(&t, 1, 1);
  gsl_matrix_view G = gsl_matrix_view_array(&g, 1, 1);
  loss(value, NULL, &G.matrix, &P.matrix, &T.matrix);
  if (gradient != NULL)
    *gradient = g;
}

/// ## 1. Three kinds of output
///
/// What a network predicts decides how we measure its mistakes. There are
/// three kinds of output, and each has its own last activation and its own
/// loss:
///
///     output       example                      last activation   loss
///     continuous   a price, a temperature       none (identity)   squared error
///     binary       spam or not, ill or healthy  sigmoid           binary cross-entropy
///     categorical  which of K classes           softmax           cross-entropy
///
/// A continuous output is any real number, and its error is a distance. A
/// binary output is a probability p in [0, 1], "how sure am I that the
/// answer is yes", produced by a sigmoid. A categorical output is K
/// probabilities that sum to 1, produced by a softmax from K scores. The
/// last two are judged by how much probability they gave to the truth.

static void
output_kinds(lesson *L)
{
  LESSON_PROSE(L);
}

/// ## 2. Loss per sample, cost over the data set
///
/// The **loss** L_b judges one sample b: its prediction ŷ_b against its
/// target y_b. The **cost** J judges the model on a whole data set (or a
/// batch) of B samples: it is the mean of their losses,
///
///     J = (1/B) Σ_b L_b
///
/// Statisticians call J the **empirical risk**: the average loss on the data
/// we have, standing in for the average loss on all the data the model will
/// ever see. Optimisers call it the **objective function**: the function
/// whose lowest point training is after. (You will also meet "cost
/// function" and, loosely, "loss function" for the same J.) Training
/// lowers J, not any single L_b. Here are B = 5
/// predictions of a regression model and their targets, with the squared
/// error L_b = (ŷ_b - y_b)² of each:

static void
loss_and_cost(lesson *L, batch *r)
{
  LESSON_PROSE(L);
  enum { B = BATCH };
  double *yhat = r->yhat, *y = r->y, losses_a[B];
  for (size_t b = 0; b < B; b++) {
    y[b] = draw_multiple(L->rng, -2.0, 2.0, 0.1);
    yhat[b] = draw_multiple(L->rng, -2.0, 2.0, 0.1);
  }
  lesson_printf(L, "  b   ŷ_b     y_b     ŷ_b - y_b   L_b = (ŷ_b - y_b)²\n");
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    double e = yhat[b] - y[b];
    sum += e * e;
    /* %.6g: the squares of tenths, without the rounding noise of the 15th
     * digit (0.3² is 0.0899999999999999 in binary floating point) */
    lesson_printf(L, "  %zu   %-7s %-7s %-11.6g %.6g\n", b + 1, lesson_num(L, yhat[b]),
                  lesson_num(L, y[b]), e, e * e);
  }
  lesson_printf(L, "\nJ by hand = (L_1 + ... + L_5) / 5 = %.6g / 5 = %.6g\n", sum,
                sum / B);

  /// The library's nn_loss_mse() returns all three things training needs:
  /// the cost, the loss of every sample, and the gradient of the cost with
  /// respect to every prediction (next section). A batch is a matrix, one
  /// sample per row, so B = 5 predictions of one output each are a 5 x 1
  /// matrix:
  LESSON_PROSE(L);
  gsl_matrix_view Yhat = gsl_matrix_view_array(yhat, B, 1);
  gsl_matrix_view Y = gsl_matrix_view_array(y, B, 1);
  gsl_vector_view losses = gsl_vector_view_array(losses_a, B);
  double cost;
  nn_loss_mse(&cost, &losses.vector, NULL, &Yhat.matrix, &Y.matrix);
  lesson_printf(L, "losses = (");
  for (size_t b = 0; b < B; b++)
    lesson_printf(L, "%s%.6g", b ? ", " : "", losses_a[b]);
  lesson_printf(L, ")\ncost J = %.6g\n", cost);

  /// Why the mean and not the sum? The mean does not grow with the size of
  /// the data set, so the same learning rate works for 5 samples or for
  /// 50 000, and costs of data sets of different sizes can be compared.
  /// The worst sample here has the largest loss, and it weighs the most in
  /// J: squaring makes large errors count more than small ones.
  LESSON_PROSE(L);
  size_t worst = gsl_vector_max_index(&losses.vector);
  lesson_printf(L, "the largest loss: sample %zu, L = %.6g, %.0f%% of the sum of "
                "the losses\n", worst + 1, losses_a[worst],
                sum > 0 ? 100.0 * losses_a[worst] / sum : 0.0);
}

/// ## 3. The squared error, for continuous outputs
///
/// For a number, the natural mistake is the distance between the
/// prediction and the target, and the usual loss is its square:
///
///     L = (ŷ - y)²        (with N outputs: the mean over them, (1/N) Σ_j (ŷ_j - y_j)²)
///
/// The square is never negative, is 0 only when ŷ = y, punishes large
/// errors more than small ones, and is smooth, so it has a derivative
/// everywhere:
///
///     ∂L/∂ŷ = 2 (ŷ - y)
///
/// The derivative says which way to move the prediction, and how far: it
/// points away from the target and is proportional to the error. For the
/// cost J = (1/B) Σ_b L_b each prediction appears in one loss only, so
///
///     ∂J/∂ŷ_b = 2 (ŷ_b - y_b) / B
///
/// This is the gradient nn_loss_mse() writes, the number backpropagation
/// (lecture 7) will start from. On the batch of section 2:

static void
squared_error(lesson *L, const batch *r)
{
  LESSON_PROSE(L);
  enum { B = BATCH };
  double yhat[B], y[B], grad[B];
  memcpy(yhat, r->yhat, sizeof yhat);
  memcpy(y, r->y, sizeof y);
  gsl_matrix_view Yhat = gsl_matrix_view_array(yhat, B, 1);
  gsl_matrix_view Y = gsl_matrix_view_array(y, B, 1);
  gsl_matrix_view G = gsl_matrix_view_array(grad, B, 1);
  nn_loss_mse(NULL, NULL, &G.matrix, &Yhat.matrix, &Y.matrix);
  lesson_printf(L, "  b   ŷ_b - y_b   2 (ŷ_b - y_b) / B   nn_loss_mse's ∂J/∂ŷ_b\n");
  double gap = 0.0;
  for (size_t b = 0; b < B; b++) {
    double e = yhat[b] - y[b], formula = 2.0 * e / B;
    gap = GSL_MAX(gap, fabs(formula - grad[b]));
    lesson_printf(L, "  %zu   %-11.6g %-19.6g %.6g\n", b + 1, e, formula, grad[b]);
  }
  lesson_printf(L, "largest |difference|: %.3g\n", gap);

  /// The figure: the loss of one prediction ŷ against a fixed target
  /// y (`--target`), and its derivative. The loss is a parabola with its
  /// bottom at the target; the derivative is a straight line through zero
  /// there: negative to the left (move up), positive to the right (move
  /// down).
  LESSON_PROSE(L);
  enum { N = 241 };
  double xs[N], ls[N], ds[N];
  for (int k = 0; k < N; k++) {
    xs[k] = target - 3.0 + 6.0 * k / (N - 1);
    loss_of_one(nn_loss_mse, xs[k], target, &ls[k], &ds[k]);
  }
  nn_plot *p = lesson_plot(L, "mse-vs-prediction");
  char title[160], legend[96];
  snprintf(title, sizeof title, "Squared error of one prediction, target y = %s",
           lesson_num(L, target));
  nn_plot_title(p, title);
  nn_plot_labels(p, "prediction ŷ", "loss, and its derivative");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_set(p, "xrange [%.17g:%.17g]", xs[0], xs[N - 1]);
  nn_plot_series(p, "loss L = (ŷ − y)²", xs, ls, N, "lines lw 3");
  nn_plot_series(p, "derivative ∂L/∂ŷ = 2(ŷ − y)", xs, ds, N, "lines lw 3");
  double tx[2] = {target, target}, ty[2] = {-6.0, 9.0};
  snprintf(legend, sizeof legend, "the target y = %s", lesson_num(L, target));
  nn_plot_series(p, legend, tx, ty, 2, "lines lw 1.5 dt 2 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "predict where the parabola's bottom goes, then run "
             "`make lecture4 ARGS='--target -2'`.");
}

/// ## 4. Binary cross-entropy, for probabilities
///
/// A binary classifier ends in a sigmoid and outputs p, the probability it
/// gives to "yes" (y = 1); it then gives 1 - p to "no" (y = 0). A good
/// model gives a high probability to what actually happened. The
/// probability it gave to the truth is
///
///     p^y (1 - p)^(1 - y)        (p when y = 1, 1 - p when y = 0)
///
/// and over independent samples these probabilities multiply: the
/// **likelihood** of the data. Maximising a product of many small numbers
/// is awkward; its logarithm turns it into a sum, and a minus sign turns
/// "maximise" into "minimise". The loss of one sample is
///
///     L = -[y log p + (1 - y) log(1 - p)]
///
/// the **binary cross-entropy**: minus the log of the probability given to
/// the truth. It is 0 for a sure and right prediction, and grows without
/// bound as the model grows sure of the wrong answer. A batch of 5
/// probabilities and labels:

static void
binary_cross_entropy(lesson *L)
{
  LESSON_PROSE(L);
  enum { B = 5 };
  double p[B], y[B], losses_a[B];
  for (size_t b = 0; b < B; b++) {
    p[b] = draw_multiple(L->rng, 0.05, 0.95, 0.05);
    y[b] = (double) gsl_rng_uniform_int(L->rng, 2);
  }
  lesson_printf(L, "  b   p_b    y_b   probability of the truth   L_b = -log(it)\n");
  double sum = 0.0;
  for (size_t b = 0; b < B; b++) {
    double truth = y[b] == 1.0 ? p[b] : 1.0 - p[b];
    sum += -log(truth);
    lesson_printf(L, "  %zu   %-6s %-5s %-26s %s\n", b + 1, lesson_num(L, p[b]),
                  lesson_num(L, y[b]), lesson_num(L, truth), lesson_num(L, -log(truth)));
  }
  gsl_matrix_view P = gsl_matrix_view_array(p, B, 1), Y = gsl_matrix_view_array(y, B, 1);
  gsl_vector_view losses = gsl_vector_view_array(losses_a, B);
  double cost;
  nn_loss_bce(&cost, &losses.vector, NULL, &P.matrix, &Y.matrix);
  lesson_printf(L, "\nJ by hand = %s; nn_loss_bce: J = %s\n", lesson_num(L, sum / B),
                lesson_num(L, cost));

  /// The figure puts the two cases side by side, and the squared error
  /// (p - 1)² for comparison. When the truth is y = 1, BCE is -log p: small
  /// near p = 1, and steeper and steeper as p goes to 0. The squared error
  /// of a probability can never exceed 1, however wrong the model is.
  LESSON_PROSE(L);
  enum { N = 400 };
  double ps[N], bce1[N], bce0[N], mse1[N], g_bce[N], g_mse[N];
  for (int k = 0; k < N; k++) {
    ps[k] = (k + 0.5) / N;  /* 0.00125 .. 0.99875 */
    loss_of_one(nn_loss_bce, ps[k], 1.0, &bce1[k], &g_bce[k]);
    loss_of_one(nn_loss_bce, ps[k], 0.0, &bce0[k], NULL);
    loss_of_one(nn_loss_mse, ps[k], 1.0, &mse1[k], &g_mse[k]);
  }
  nn_plot *fig = lesson_plot(L, "bce-vs-probability");
  nn_plot_title(fig, "Binary cross-entropy of one probability p");
  nn_plot_labels(fig, "predicted probability p of y = 1", "loss");
  nn_plot_set(fig, "xrange [0:1]");
  nn_plot_set(fig, "yrange [0:5]");
  nn_plot_series(fig, "BCE, target y = 1: −log p", ps, bce1, N, "lines lw 3");
  nn_plot_series(fig, "BCE, target y = 0: −log(1 − p)", ps, bce0, N, "lines lw 3");
  nn_plot_series(fig, "squared error, target y = 1: (p − 1)²", ps, mse1, N,
                 "lines lw 2 dt 2 lc rgb '#555555'");
  lesson_show_plot(L, fig);
  nn_plot_free(fig);

  /// What matters for learning is the slope. For y = 1 the derivative of
  /// BCE is ∂L/∂p = -1/p: the more wrong the model, the harder it is
  /// pushed. The squared error's 2(p - 1) is never steeper than -2.
  /// (In general ∂L/∂p = (p - y) / (p (1 - p)).)
  LESSON_PROSE(L);
  fig = lesson_plot(L, "loss-gradients");
  nn_plot_title(fig, "How hard each loss pushes: derivatives for target y = 1");
  nn_plot_labels(fig, "predicted probability p of y = 1", "derivative ∂L/∂p");
  nn_plot_set(fig, "xrange [0:1]");
  nn_plot_set(fig, "yrange [-10:1]");
  nn_plot_set(fig, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_series(fig, "BCE: −1/p", ps, g_bce, N, "lines lw 3");
  nn_plot_series(fig, "squared error: 2(p − 1)", ps, g_mse, N,
                 "lines lw 2 dt 2 lc rgb '#555555'");
  lesson_show_plot(L, fig);
  nn_plot_free(fig);
  double at[] = {0.5, 0.1, 0.01};
  lesson_printf(L, "  p      BCE -log p    its slope -1/p   squared error   its slope\n");
  for (size_t k = 0; k < 3; k++) {
    double lb, gb, lm, gm;
    loss_of_one(nn_loss_bce, at[k], 1.0, &lb, &gb);
    loss_of_one(nn_loss_mse, at[k], 1.0, &lm, &gm);
    lesson_printf(L, "  %-6s %-13.6g %-16.6g %-15.6g %.6g\n", lesson_num(L, at[k]), lb,
                  gb, lm, gm);
  }

  /// **Clamping against log 0.** A model that outputs exactly p = 1 for a
  /// sample whose label is 0 has a loss of -log(1 - 1) = -log 0 = +∞, and
  /// one infinite loss makes the cost infinite and its gradient NaN:
  /// training is over. It happens: near 1, floating-point numbers are
  /// about 1e-16 apart, so a sigmoid whose input is a little above 36
  /// rounds to exactly 1. The library clamps p into [ε, 1 - ε] first
  /// (ε = NN_LOSS_BCE_EPSILON), so the loss stays large but finite:
  LESSON_PROSE(L);
  double zero = 0.0, one = 1.0, clamped, clamped_grad;
  double s40 = nn_activation_sigmoid(40.0);
  lesson_printf(L, "sigmoid(40) = %s, so 1 - sigmoid(40) = %g\n", lesson_num(L, s40),
                1.0 - s40);
  lesson_printf(L, "-log(1 - sigmoid(40)) in floating point: %g\n", -log(1.0 - s40));
  loss_of_one(nn_loss_bce, s40, zero, &clamped, &clamped_grad);
  lesson_printf(L, "nn_loss_bce for p = sigmoid(40), y = 0: L = %s, ∂L/∂p = %g\n",
                lesson_num(L, clamped), clamped_grad);
  loss_of_one(nn_loss_bce, zero, one, &clamped, &clamped_grad);
  lesson_printf(L, "nn_loss_bce for p = 0, y = 1:           L = %s, ∂L/∂p = %g\n",
                lesson_num(L, clamped), clamped_grad);
  lesson_printf(L, "the ceiling: -log ε = -log(%g) = %s (1 - ε is rounded, hence the "
                "small gap)\n", NN_LOSS_BCE_EPSILON, lesson_num(L, -log(NN_LOSS_BCE_EPSILON)));

  /// Better still is never to form p at all. With p = sigmoid(z) the loss
  /// can be rewritten in terms of the score z (the *logit*) so that no
  /// exponential can overflow:
  ///
  ///     L = max(z, 0) - z y + log(1 + e^(-|z|))
  ///
  /// This is nn_loss_bce_logits(), the form to train with: the same number
  /// as BCE of the sigmoid wherever both can be computed, and finite for any
  /// z. Its gradient is simply ∂L/∂z = sigmoid(z) - y.
  LESSON_PROSE(L);
  const double zs[] = {-3.0, 0.5, 4.0, 40.0};
  lesson_printf(L, "  z      y   BCE(sigmoid(z))      BCE from the logit\n");
  for (size_t k = 0; k < 4; k++) {
    double pz = nn_activation_sigmoid(zs[k]), a, b2;
    double yk = 1.0 - (double) (k % 2);  /* labels 1, 0, 1, 0 */
    loss_of_one(nn_loss_bce, pz, yk, &a, NULL);
    loss_of_one(nn_loss_bce_logits, zs[k], yk, &b2, NULL);
    lesson_printf(L, "  %-6s %-3s %-20s %s\n", lesson_num(L, zs[k]), lesson_num(L, yk),
                  lesson_num(L, a), lesson_num(L, b2));
  }
  lesson_printf(L, "(at z = 40 the sigmoid rounds to 1: the clamp keeps the first "
                "column finite,\n but only the form with the logit gives the true "
                "loss)\n");
  if (lesson_challenge(L, "A model gives p = 0.9 to a sample whose label is 0. "
                       "What is its binary cross-entropy?"))
    lesson_printf(L, "The probability it gave to the truth is 1 - 0.9 = 0.1, so "
                  "L = -log 0.1 = %s (natural log); with p = 0.99 it is "
                  "-log 0.01 = %s: ten times surer, twice the loss.\n",
                  lesson_num(L, -log(0.1)), lesson_num(L, -log(0.01)));
}

/// ## 5. Categorical cross-entropy, with softmax
///
/// With K classes the network outputs K scores z_1..z_K, and the softmax
/// turns them into probabilities, p_k = e^(z_k) / Σ_j e^(z_j) (lecture 3).
/// The target is **one-hot**: y_k = 1 for the true class c, 0 for the
/// others. The loss is again minus the log of the probability given to the
/// truth:
///
///     L = -Σ_k y_k log p_k = -log p_c
///
/// Written with the scores, log p_c = z_c - log Σ_j e^(z_j), so
///
///     L = log Σ_j e^(z_j) - z_c
///
/// and the log-sum-exp is computed with the largest score shifted out, so
/// it never overflows. The gradient with respect to the scores is the
/// famous
///
///     ∂L/∂z_k = p_k - y_k
///
/// the predicted distribution minus the true one: push the true class's
/// score up by how much probability it is missing, and every other score
/// down by the probability it took. (For the cost, divide by B.) A batch of
/// 3 samples with K classes (`--classes`):

static void
categorical_cross_entropy(lesson *L)
{
  LESSON_PROSE(L);
  const size_t B = 3, K = (size_t) classes;
  gsl_matrix *Z = gsl_matrix_alloc(B, K), *Y = gsl_matrix_calloc(B, K);
  gsl_matrix *P = gsl_matrix_alloc(B, K), *dZ = gsl_matrix_alloc(B, K);
  gsl_vector *losses = gsl_vector_alloc(B);
  size_t label[3];
  for (size_t b = 0; b < B; b++) {
    for (size_t k = 0; k < K; k++)
      gsl_matrix_set(Z, b, k, draw_multiple(L->rng, -2.0, 2.0, 0.5));
    label[b] = (size_t) gsl_rng_uniform_int(L->rng, K);
    gsl_matrix_set(Y, b, label[b], 1.0);
  }
  nn_softmax_rows(P, Z);
  double cost;
  nn_loss_softmax_ce(&cost, losses, dZ, Z, Y);
  lesson_matrix(L, "scores Z (one sample per row)", Z);
  lesson_matrix(L, "one-hot targets Y", Y);
  lesson_matrix(L, "P = softmax(Z), row by row", P);
  lesson_printf(L, "  b   class c   p_c                 -log p_c            "
                "nn_loss_softmax_ce's L_b\n");
  for (size_t b = 0; b < B; b++) {
    double pc = gsl_matrix_get(P, b, label[b]);
    lesson_printf(L, "  %zu   %-9zu %-19s %-19s %s\n", b + 1, label[b] + 1,
                  lesson_num(L, pc), lesson_num(L, -log(pc)),
                  lesson_num(L, gsl_vector_get(losses, b)));
  }
  lesson_printf(L, "cost J = %s\n\n", lesson_num(L, cost));
  lesson_matrix(L, "∂J/∂Z from the library", dZ);
  gsl_matrix *formula = gsl_matrix_alloc(B, K);
  gsl_matrix_memcpy(formula, P);
  gsl_matrix_sub(formula, Y);            /* P - Y */
  gsl_matrix_scale(formula, 1.0 / (double) B);  /* the cost is a mean */
  lesson_matrix(L, "(P - Y) / B", formula);
  gsl_matrix_sub(formula, dZ);
  lesson_printf(L, "largest |difference|: %.3g\n",
                GSL_MAX(gsl_matrix_max(formula), -gsl_matrix_min(formula)));
  /* Each row of the gradient sums to 0: Σ_k p_k - Σ_k y_k = 1 - 1. */
  double row_sum = 0.0;
  for (size_t k = 0; k < K; k++)
    row_sum += gsl_matrix_get(dZ, 0, k);
  lesson_printf(L, "row 1 of ∂J/∂Z sums to %.3g: probability taken from one "
                "class is given to the others\n", row_sum);

  /// The figure: one sample whose true class is class 1. Its score z_1
  /// moves along the x axis while the K - 1 other scores stay at 0. The
  /// loss log(e^(z_1) + K - 1) - z_1 falls towards 0 as z_1 wins, and grows
  /// like a straight line of slope -1 as it loses: the gradient p_1 - 1
  /// never vanishes for a wrong answer, however wrong.
  LESSON_PROSE(L);
  enum { N = 241 };
  double zs[N], ce[N], p1[N], g1[N];
  gsl_vector *z = gsl_vector_calloc(K), *pz = gsl_vector_alloc(K);
  gsl_vector *dz = gsl_vector_alloc(K);
  for (int i = 0; i < N; i++) {
    zs[i] = -6.0 + 12.0 * i / (N - 1);
    gsl_vector_set(z, 0, zs[i]);
    gsl_matrix_view Z1 = gsl_matrix_view_vector(z, 1, K);
    gsl_matrix_view D1 = gsl_matrix_view_vector(dz, 1, K);
    size_t true_class = 0;
    nn_loss_softmax_ce_labels(&ce[i], NULL, &D1.matrix, &Z1.matrix, &true_class);
    nn_softmax_vector(pz, z);
    p1[i] = gsl_vector_get(pz, 0);
    g1[i] = gsl_vector_get(dz, 0);
  }
  nn_plot *p = lesson_plot(L, "cross-entropy-vs-score");
  char title[160];
  snprintf(title, sizeof title, "Cross-entropy of one sample of class 1, "
           "K = %zu classes, other scores 0", K);
  nn_plot_title(p, title);
  nn_plot_labels(p, "score z₁ of the true class", "loss, probability, derivative");
  nn_plot_set(p, "xzeroaxis lt 1 lw 1 lc rgb '#808080'");
  nn_plot_set(p, "xrange [-6:6]");
  nn_plot_series(p, "loss L = −log p₁", zs, ce, N, "lines lw 3");
  nn_plot_series(p, "p₁ = softmax(z)₁", zs, p1, N, "lines lw 3");
  nn_plot_series(p, "derivative ∂L/∂z₁ = p₁ − 1", zs, g1, N, "lines lw 3");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// Two classes are the binary case in disguise: with scores (z, 0) the
  /// softmax gives p_1 = e^z / (e^z + 1) = sigmoid(z), and the cross-entropy
  /// is the binary cross-entropy of that sigmoid.
  LESSON_PROSE(L);
  double two[2] = {0.8, 0.0}, ce2, bce2;
  gsl_matrix_view Z2 = gsl_matrix_view_array(two, 1, 2);
  size_t c0 = 0;
  nn_loss_softmax_ce_labels(&ce2, NULL, NULL, &Z2.matrix, &c0);
  loss_of_one(nn_loss_bce_logits, 0.8, 1.0, &bce2, NULL);
  lesson_printf(L, "scores (0.8, 0), class 1: cross-entropy %s, BCE of sigmoid(0.8) "
                "%s\n", lesson_num(L, ce2), lesson_num(L, bce2));

  gsl_vector_free(z);
  gsl_vector_free(pz);
  gsl_vector_free(dz);
  gsl_matrix_free(formula);
  gsl_matrix_free(Z);
  gsl_matrix_free(Y);
  gsl_matrix_free(P);
  gsl_matrix_free(dZ);
  gsl_vector_free(losses);
  lesson_try(L, "predict the loss of a uniform guess among 5 classes, then run "
             "`make lecture4 ARGS='--classes 5'`.");
}

/// ## 6. Checking the gradients
///
/// A gradient formula is easy to get subtly wrong (a missing 1/B, a sign),
/// and a wrong gradient does not crash: training just goes badly. So every
/// gradient gets checked against central differences (lecture 1): nudge one
/// prediction by ±h, recompute the cost, and compare the slope with the
/// formula. nn_gradcheck_compare() does this for every entry and reports
/// the largest difference relative to the largest gradient. In double
/// precision a correct gradient gives errors around 1e-9 or smaller (what
/// is left is the truncation and rounding of the central difference); the
/// course's tests demand less than 1e-7, and refuse a gradient that is all
/// zeros, which would "agree" with anything flat.

/* J(θ) for a gradient check: θ holds the predictions, row by row. */
typedef struct check_case {
  one_loss_fn *loss;          /* the loss under test */
  const gsl_matrix *target;   /* Y, (B, N) */
} check_case;

static double
cost_of_theta(const gsl_vector *theta, void *params)
{
  const check_case *c = params;
  gsl_matrix_const_view pred = gsl_matrix_const_view_vector(theta, c->target->size1,
                                                            c->target->size2);
  double J = NAN;
  c->loss(&J, NULL, NULL, &pred.matrix, c->target);
  return J;
}

static void
gradient_checks(lesson *L)
{
  LESSON_PROSE(L);
  const size_t B = 4, N = 3;
  static const char *const names[] = {"squared error (nn_loss_mse)",
                                      "BCE (nn_loss_bce)",
                                      "BCE from logits (nn_loss_bce_logits)",
                                      "cross-entropy (nn_loss_softmax_ce)"};
  one_loss_fn *const losses[] = {nn_loss_mse, nn_loss_bce, nn_loss_bce_logits,
                                 nn_loss_softmax_ce};
  gsl_matrix *pred = gsl_matrix_alloc(B, N), *Y = gsl_matrix_calloc(B, N);
  gsl_matrix *grad = gsl_matrix_alloc(B, N);
  lesson_printf(L, "  B = %zu samples of N = %zu outputs, step h = %g\n\n", B, N,
                NN_GRADCHECK_STEP);
  lesson_printf(L, "  %s largest |∂J/∂ŷ|   relative error\n",
                lesson_pad(L, "loss", 38));
  for (size_t m = 0; m < 4; m++) {
    /* Predictions inside (0.1, 0.9), so that a probability nudged by h
     * stays a probability; targets to match each loss. */
    for (size_t b = 0; b < B; b++) {
      size_t hot = (size_t) gsl_rng_uniform_int(L->rng, N);
      for (size_t j = 0; j < N; j++) {
        double u = 0.1 + 0.8 * gsl_rng_uniform(L->rng);
        gsl_matrix_set(pred, b, j, m == 3 ? 4.0 * u - 2.0 : u);
        double t = m == 0 ? 2.0 * gsl_rng_uniform(L->rng) - 1.0
                 : m == 3 ? (j == hot) : (double) gsl_rng_uniform_int(L->rng, 2);
        gsl_matrix_set(Y, b, j, t);
      }
    }
    losses[m](NULL, NULL, grad, pred, Y);
    check_case c = {losses[m], Y};
    gsl_vector_view theta = gsl_vector_view_array(pred->data, B * N);
    gsl_vector_view analytic = gsl_vector_view_array(grad->data, B * N);
    double error = 1.0;
    nn_gradcheck_compare(&error, cost_of_theta, &c, &theta.vector, &analytic.vector,
                         NN_GRADCHECK_STEP);
    double largest = GSL_MAX(gsl_matrix_max(grad), -gsl_matrix_min(grad));
    lesson_printf(L, "  %s %-17.4g %.2e  %s\n", lesson_pad(L, names[m], 38), largest,
                  error, error < 1e-7 ? "ok" : "WRONG");
  }
  gsl_matrix_free(pred);
  gsl_matrix_free(Y);
  gsl_matrix_free(grad);
}

/// ## 7. The loss landscape of a tiny model
///
/// The cost depends on the data, which is fixed, and on the parameters,
/// which training moves. So think of J as a function of the parameters: a
/// landscape over parameter space, with one height per setting. Take the
/// tiniest model there is, a straight line with an intercept w0 and a slope
/// w1,
///
///     ŷ = w0 + w1 x
///
/// and N samples of y = m x + noise (`--samples`, `--slope`, `--noise`).
/// Its cost J(w0, w1) = (1/N) Σ_b (w0 + w1 x_b - y_b)² is a function of two
/// numbers, so we can draw all of it. By the chain rule (each ŷ_b depends
/// on w0 with slope 1 and on w1 with slope x_b):
///
///     ∂J/∂w0 = Σ_b ∂J/∂ŷ_b            ∂J/∂w1 = Σ_b ∂J/∂ŷ_b · x_b
///
/// For this model the bottom of the landscape can also be found exactly:
/// it is the least-squares line (gsl_fit_linear). The data:

/* J(w0, w1) and its gradient, through nn_loss_mse on the whole data set:
 * the predictions are a column of N values, yhat_b = w0 + w1 x_b. */
static double
cost_of_line(const nn_data *d, double w0, double w1, double *dw0, double *dw1)
{
  const size_t n = d->X->size1;
  gsl_matrix *yhat = gsl_matrix_alloc(n, 1), *grad = gsl_matrix_alloc(n, 1);
  for (size_t b = 0; b < n; b++)
    gsl_matrix_set(yhat, b, 0, w0 + w1 * gsl_matrix_get(d->X, b, 0));
  gsl_matrix_const_view y = gsl_matrix_const_view_vector(d->y, n, 1);
  double J;
  nn_loss_mse(&J, NULL, grad, yhat, &y.matrix);
  double g0 = 0.0, g1 = 0.0;
  for (size_t b = 0; b < n; b++) {  /* the chain rule: ∂ŷ_b/∂w0 = 1, ∂ŷ_b/∂w1 = x_b */
    g0 += gsl_matrix_get(grad, b, 0);
    g1 += gsl_matrix_get(grad, b, 0) * gsl_matrix_get(d->X, b, 0);
  }
  if (dw0 != NULL)
    *dw0 = g0;
  if (dw1 != NULL)
    *dw1 = g1;
  gsl_matrix_free(yhat);
  gsl_matrix_free(grad);
  return J;
}

static double
cost_of_w(const gsl_vector *w, void *params)
{
  return cost_of_line(params, gsl_vector_get(w, 0), gsl_vector_get(w, 1), NULL, NULL);
}

static void
loss_landscape(lesson *L, landscape *s)
{
  LESSON_PROSE(L);
  const size_t n = (size_t) samples;
  s->data = nn_data_regression(L->rng, n, slope, noise);
  const nn_data *d = s->data;
  lesson_printf(L, "N = %zu samples of y = %s x + noise (standard deviation %s)\n",
                n, lesson_num(L, slope), lesson_num(L, noise));
  lesson_printf(L, "  b   x_b                 y_b\n");
  for (size_t b = 0; b < GSL_MIN(n, (size_t) 5); b++)
    lesson_printf(L, "  %-3zu %-19s %s\n", b + 1, lesson_num(L, gsl_matrix_get(d->X, b, 0)),
                  lesson_num(L, gsl_vector_get(d->y, b)));
  if (n > 5)
    lesson_printf(L, "  ... (%zu more)\n", n - 5);

  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_vector_const_view xcol = gsl_matrix_const_column(d->X, 0);
  gsl_fit_linear(xcol.vector.data, xcol.vector.stride, d->y->data, d->y->stride, n,
                 &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  s->w0 = c0;
  s->w1 = c1;
  double g0, g1;
  s->jmin = cost_of_line(d, c0, c1, &g0, &g1);
  lesson_printf(L, "\nthe least-squares line: w0 = %s, w1 = %s\n", lesson_num(L, c0),
                lesson_num(L, c1));
  lesson_printf(L, "J there = %s (the residual sum of squares %s, divided by N)\n",
                lesson_num(L, s->jmin), lesson_num(L, sumsq));
  lesson_printf(L, "the gradient there: ∂J/∂w0 = %.3g, ∂J/∂w1 = %.3g "
                "(zero, up to rounding: the bottom is flat)\n", g0, g1);

  /// The same gradient away from the bottom, at (w0, w1) = (0, 0), checked
  /// against central differences of J:
  LESSON_PROSE(L);
  double a0, a1;
  double j00 = cost_of_line(d, 0.0, 0.0, &a0, &a1);
  double wv[2] = {0.0, 0.0}, gv[2] = {a0, a1}, error = 1.0;
  gsl_vector_view w = gsl_vector_view_array(wv, 2), ga = gsl_vector_view_array(gv, 2);
  nn_gradcheck_compare(&error, cost_of_w, s->data, &w.vector, &ga.vector,
                       NN_GRADCHECK_STEP);
  lesson_printf(L, "J(0, 0) = %s, ∂J/∂w0 = %s, ∂J/∂w1 = %s\n", lesson_num(L, j00),
                lesson_num(L, a0), lesson_num(L, a1));
  lesson_printf(L, "gradient check of (∂J/∂w0, ∂J/∂w1): relative error %.2e\n", error);

  /// Now the whole landscape, J on a grid of (w0, w1) around the bottom.
  /// Because ŷ is linear in the parameters and the loss is a square, J is a
  /// quadratic in (w0, w1): a smooth bowl with a single lowest point. Its
  /// contour lines are ellipses; where they crowd, the landscape is steep.
  LESSON_PROSE(L);
  const size_t G = (size_t) grid;
  gsl_vector *gw0 = gsl_vector_alloc(G), *gw1 = gsl_vector_alloc(G);
  gsl_matrix *J = gsl_matrix_alloc(G, G);  /* rows: w1, columns: w0 */
  const double lo0 = round(c0) - 3.0, lo1 = round(c1) - 3.0;
  for (size_t k = 0; k < G; k++) {
    gsl_vector_set(gw0, k, lo0 + 6.0 * (double) k / (double) (G - 1));
    gsl_vector_set(gw1, k, lo1 + 6.0 * (double) k / (double) (G - 1));
  }
  size_t bi = 0, bj = 0;
  for (size_t i = 0; i < G; i++)
    for (size_t j = 0; j < G; j++) {
      double v = cost_of_line(d, gsl_vector_get(gw0, j), gsl_vector_get(gw1, i),
                              NULL, NULL);
      gsl_matrix_set(J, i, j, v);
      if (v < gsl_matrix_get(J, bi, bj))
        bi = i, bj = j;
    }
  lesson_printf(L, "grid of %zu x %zu points, w0 in [%s, %s], w1 in [%s, %s]\n", G, G,
                lesson_num(L, lo0), lesson_num(L, lo0 + 6), lesson_num(L, lo1),
                lesson_num(L, lo1 + 6));
  lesson_printf(L, "lowest grid point: w0 = %s, w1 = %s, J = %s\n",
                lesson_num(L, gsl_vector_get(gw0, bj)), lesson_num(L, gsl_vector_get(gw1, bi)),
                lesson_num(L, gsl_matrix_get(J, bi, bj)));
  lesson_printf(L, "highest grid point: J = %s\n", lesson_num(L, gsl_matrix_max(J)));

  /* The contour figure: a heat map seen from above (a 3D figure in "view
   * map"), contour lines at c times 1.25, 1.5, 2, 3, 5, 8, 13, 21, 34, 55
   * with c the minimum of J (or, for data without noise, where the minimum
   * is 0, a thousandth of the highest J of the grid), the minimum, and the
   * line where the loss of sample 1 alone is 0 (see section 8). */
  nn_plot *p = lesson_plot(L, "cost-landscape-contour");
  char title[200], levels[256], legend[128];
  snprintf(title, sizeof title, "Cost J(w0, w1) of the line ŷ = w0 + w1 x "
           "on N = %zu samples", n);
  nn_plot_title(p, title);
  nn_plot_labels(p, "intercept w0", "slope w1");
  nn_plot_3d(p);
  nn_plot_set(p, "view map");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "logscale cb");
  nn_plot_set(p, "cblabel 'J (log scale)'");
  nn_plot_set(p, "unset clabel");
  static const double factors[] = {1.25, 1.5, 2, 3, 5, 8, 13, 21, 34, 55};
  const double jtop = gsl_matrix_max(J), base = GSL_MAX(s->jmin, 1e-3 * jtop);
  size_t used = (size_t) snprintf(levels, sizeof levels, "cntrparam levels discrete ");
  for (size_t k = 0; k < sizeof factors / sizeof factors[0]; k++)
    used += (size_t) snprintf(levels + used, sizeof levels - used, "%s%.6g",
                              k ? "," : "", factors[k] * base);
  nn_plot_set(p, "%s", levels);
  /* The square map on the left, its colour box, the key on the right. */
  nn_plot_set(p, "lmargin at screen 0.08");
  nn_plot_set(p, "rmargin at screen 0.56");
  nn_plot_set(p, "bmargin at screen 0.12");
  nn_plot_set(p, "tmargin at screen 0.9");
  nn_plot_set(p, "colorbox user origin screen 0.575, 0.12 size screen 0.02, 0.78");
  nn_plot_set(p, "key at screen 0.67, 0.6 left top vertical Left reverse "
              "samplen 2 spacing 1.3");
  nn_plot_set(p, "label 1 'white lines: the contours where' at screen 0.68, 0.46 left");
  nn_plot_set(p, "label 2 'J = c × (1.25, 1.5, 2, 3, 5, 8, ...)' at screen 0.68, 0.42 "
              "left");
  if (base == s->jmin)
    nn_plot_set(p, "label 3 'with c = %.3g, the minimum of J' at screen 0.68, 0.38 "
                "left", base);
  else if (s->jmin == 0.0)
    nn_plot_set(p, "label 3 'with c = %.3g (the minimum of J is 0)' at screen 0.68, "
                "0.38 left", base);
  else
    nn_plot_set(p, "label 3 'with c = %.3g (the minimum, %.2g, is near 0)' at screen "
                "0.68, 0.38 left", base, s->jmin);
  nn_plot_set(p, "xrange [%.17g:%.17g]", lo0, lo0 + 6);
  nn_plot_set(p, "yrange [%.17g:%.17g]", lo1, lo1 + 6);
  nn_plot_grid(p, NULL, gw0, gw1, J, "pm3d");
  nn_plot_grid(p, NULL, gw0, gw1, J, "lines nosurface lw 1 lc rgb '#ffffff'");
  /* The zero-loss line of sample 1: w0 = y_1 - w1 x_1, across the plot. */
  const double x1 = gsl_matrix_get(d->X, 0, 0), y1 = gsl_vector_get(d->y, 0);
  enum { M = 201 };
  double lw0[M], lw1[M], lz[M];
  size_t m = 0;
  for (size_t k = 0; k < M; k++) {
    double w1 = lo1 + 6.0 * (double) k / (M - 1), w0 = y1 - w1 * x1;
    if (w0 >= lo0 && w0 <= lo0 + 6) {
      lw0[m] = w0;
      lw1[m] = w1;
      lz[m] = 0.0;
      m++;
    }
  }
  if (m >= 2)
    nn_plot_series3d(p, "where the loss of sample 1 alone is 0", lw0, lw1, lz, m,
                     "lines lw 3 dt 2 lc rgb '#d55e00' nocontours");
  double mz = s->jmin;
  snprintf(legend, sizeof legend, "minimum of J: (%.3g, %.3g)", c0, c1);
  nn_plot_series3d(p, legend, &s->w0, &s->w1, &mz, 1,
                   "points pt 7 ps 2.5 lc rgb '#e69f00' nocontours");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// The map is the bowl seen from above: the lowest point (the dot) in
  /// the middle of nested ellipses, J growing outwards; the dashed line is
  /// where the loss of sample 1 alone is 0 (section 8). The same bowl seen
  /// from the side, as a surface, is the figure cost-landscape-surface.svg.
  LESSON_PROSE(L);
  p = lesson_plot(L, "cost-landscape-surface");
  snprintf(title, sizeof title, "The loss landscape J(w0, w1): a bowl "
           "(N = %zu samples)", n);
  nn_plot_title(p, title);
  nn_plot_labels(p, "intercept w0", "slope w1");
  nn_plot_3d(p);
  nn_plot_set(p, "zlabel 'J' rotate parallel");
  nn_plot_set(p, "view 55, 35");
  nn_plot_set(p, "xyplane at 0");
  nn_plot_set(p, "unset colorbox");
  nn_plot_grid(p, NULL, gw0, gw1, J, "pm3d");
  nn_plot_series3d(p, legend, &s->w0, &s->w1, &mz, 1,
                   "points pt 7 ps 2.5 lc rgb '#d55e00'");
  lesson_save_plot(L, p);
  nn_plot_free(p);

  gsl_vector_free(gw0);
  gsl_vector_free(gw1);
  gsl_matrix_free(J);
  lesson_try(L, "predict how the bowl changes with noise-free data, then run "
             "`make lecture4 ARGS='--noise 0'`; or with more samples, "
             "`make lecture4 ARGS='--samples 200'`.");
}

/// ## 8. Why the cost of a batch, not the loss of one sample
///
/// Why not train on one sample at a time, lowering its loss? Because one
/// sample says very little. The loss of sample 1 alone,
/// (w0 + w1 x_1 - y_1)², is 0 on a whole line of parameters: every line
/// through the point (x_1, y_1) fits it perfectly, whatever its slope.
/// In the (w0, w1) plane that is the straight line w0 = y_1 - w1 x_1,
/// dashed in the contour map. The loss of one
/// sample has no single bottom; the mean over many samples has one. Here
/// is one such "perfect" line, through sample 1 with a slope 2 below the
/// best one:

static void
batch_not_sample(lesson *L, const landscape *s)
{
  LESSON_PROSE(L);
  const nn_data *d = s->data;
  const size_t n = d->X->size1;
  const double x1 = gsl_matrix_get(d->X, 0, 0), y1 = gsl_vector_get(d->y, 0);
  const double v1 = s->w1 - 2.0, v0 = y1 - v1 * x1;  /* through (x_1, y_1) */
  double loss1 = (v0 + v1 * x1 - y1) * (v0 + v1 * x1 - y1);
  double best1 = (s->w0 + s->w1 * x1 - y1) * (s->w0 + s->w1 * x1 - y1);
  lesson_printf(L, "                          w0        w1        loss of sample 1   "
                "cost J of all %zu\n", n);
  lesson_printf(L, "  fits sample 1 only:     %-9.4g %-9.4g %-18.3g %.4g\n", v0, v1,
                loss1, cost_of_line(d, v0, v1, NULL, NULL));
  lesson_printf(L, "  minimum of the cost:    %-9.4g %-9.4g %-18.4g %.4g\n", s->w0, s->w1,
                best1, s->jmin);

  /// The gradient tells the same story. Each sample's loss has its own
  /// gradient, ∇L_b = 2 (ŷ_b - y_b) (1, x_b), and they disagree: at the
  /// bottom of the cost, where the mean of them is zero, the samples are
  /// still pulling, each its own way, and their pulls cancel. A step on one
  /// sample's gradient would undo the progress made on the others; the mean
  /// keeps what the samples agree on. (Lecture 8 takes the middle road:
  /// mini-batches, the mean over a few dozen samples at a time.)
  LESSON_PROSE(L);
  double mean0 = 0.0, mean1 = 0.0, largest = 0.0;
  lesson_printf(L, "at the minimum of J:\n  b   ∇L_b = (∂L_b/∂w0, ∂L_b/∂w1)\n");
  for (size_t b = 0; b < n; b++) {
    double xb = gsl_matrix_get(d->X, b, 0);
    double r = s->w0 + s->w1 * xb - gsl_vector_get(d->y, b);
    double g0 = 2.0 * r, g1 = 2.0 * r * xb;
    mean0 += g0 / (double) n;
    mean1 += g1 / (double) n;
    largest = GSL_MAX(largest, hypot(g0, g1));
    if (b < 5)
      lesson_printf(L, "  %-3zu (%.4g, %.4g)\n", b + 1, g0, g1);
  }
  if (n > 5)
    lesson_printf(L, "  ... (%zu more)\n", n - 5);
  lesson_printf(L, "largest |∇L_b|: %.4g; their mean, ∇J: (%.3g, %.3g)\n", largest,
                mean0, mean1);

  /// The data, with the line of the cost's minimum and the line that fits
  /// sample 1 only:
  LESSON_PROSE(L);
  double xlo = gsl_matrix_get(d->X, 0, 0), xhi = xlo;
  for (size_t b = 1; b < n; b++) {
    xlo = GSL_MIN(xlo, gsl_matrix_get(d->X, b, 0));
    xhi = GSL_MAX(xhi, gsl_matrix_get(d->X, b, 0));
  }
  double lx[2] = {xlo - 0.25, xhi + 0.25}, fit[2], only1[2];
  for (size_t k = 0; k < 2; k++) {
    fit[k] = s->w0 + s->w1 * lx[k];
    only1[k] = v0 + v1 * lx[k];
  }
  nn_plot *p = lesson_plot(L, "data-and-lines");
  char title[160], legend[128];
  snprintf(title, sizeof title, "N = %zu samples of y = %s x + noise", n,
           lesson_num(L, slope));
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  gsl_vector_const_view xcol = gsl_matrix_const_column(d->X, 0);
  nn_plot_series_vector(p, "samples", &xcol.vector, d->y, "points pt 7 ps 1.2");
  char line[64];
  line_text(line, sizeof line, s->w0, s->w1);
  snprintf(legend, sizeof legend, "minimum of the cost: %s", line);
  nn_plot_series(p, legend, lx, fit, 2, "lines lw 3");
  line_text(line, sizeof line, v0, v1);
  snprintf(legend, sizeof legend, "fits sample 1 only: %s", line);
  nn_plot_series(p, legend, lx, only1, 2, "lines lw 3 dt 2");
  nn_plot_series(p, "sample 1", &x1, &y1, 1, "points pt 6 ps 3 lw 2 lc rgb '#d55e00'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// The cost is built from the losses, the losses from the predictions,
  /// the predictions from the parameters and the data: a computation graph,
  /// the shape every training step walks forward (to get J) and backward
  /// (to get its gradient). The graph of the first three samples, in
  /// cost-graph.svg, in words: w0 and w1 (with each sample's x_b) feed the
  /// predictions ŷ_b, each ŷ_b with its y_b feeds a loss L_b, and every
  /// L_b feeds the mean J. At the minimum of the cost its numbers are
  LESSON_PROSE(L);
  nn_graph *g = lesson_graph(L, "cost-graph");
  char label[160];
  snprintf(label, sizeof label, "J = (1/N) Σ_b L_b: the cost of the line "
           "ŷ = w0 + w1 x at its minimum (%zu samples, the first 3 shown)", n);
  nn_graph_attr(g, "label", label);
  nn_graph_attr(g, "ranksep", "0.9");
  nn_graph_style param = {.shape = "box", .fillcolor = "#fff2cc", .rank = 0,
                          .has_rank = 1};
  nn_graph_style data = {.shape = "box", .fillcolor = "#f2f2f2", .rank = 1,
                         .has_rank = 1};
  nn_graph_style pred = {.shape = "ellipse", .fillcolor = "#deebf7", .rank = 2,
                         .has_rank = 1};
  nn_graph_style loss = {.shape = "ellipse", .fillcolor = "#fde0dd", .rank = 3,
                         .has_rank = 1};
  nn_graph_style cost = {.shape = "doublecircle", .fillcolor = "#e5f5e0", .rank = 4,
                         .has_rank = 1};
  nn_graph_style edge_param = {.color = "#b08800"}, edge_data = {.color = "#808080"};
  snprintf(label, sizeof label, "w0 = %.4g", s->w0);
  nn_graph_node(g, "w0", label, &param);
  snprintf(label, sizeof label, "w1 = %.4g", s->w1);
  nn_graph_node(g, "w1", label, &param);
  snprintf(label, sizeof label, "J\n%.4g", s->jmin);
  nn_graph_node(g, "J", label, &cost);
  const size_t shown = GSL_MIN(n, (size_t) 3);
  for (size_t b = 0; b < shown; b++) {
    char id[4][16];
    double xb = gsl_matrix_get(d->X, b, 0), yb = gsl_vector_get(d->y, b);
    double yh = s->w0 + s->w1 * xb;
    snprintf(id[0], sizeof id[0], "x%zu", b + 1);
    snprintf(id[1], sizeof id[1], "y%zu", b + 1);
    snprintf(id[2], sizeof id[2], "yhat%zu", b + 1);
    snprintf(id[3], sizeof id[3], "L%zu", b + 1);
    snprintf(label, sizeof label, "x%s = %.4g", sub(b + 1), xb);
    nn_graph_node(g, id[0], label, &data);
    snprintf(label, sizeof label, "y%s = %.4g", sub(b + 1), yb);
    nn_graph_node(g, id[1], label, &data);
    snprintf(label, sizeof label, "ŷ%s = w0 + w1 x%s\n%.4g", sub(b + 1), sub(b + 1), yh);
    nn_graph_node(g, id[2], label, &pred);
    snprintf(label, sizeof label, "L%s = (ŷ%s − y%s)²\n%.4g", sub(b + 1), sub(b + 1),
             sub(b + 1), (yh - yb) * (yh - yb));
    nn_graph_node(g, id[3], label, &loss);
    nn_graph_edge(g, "w0", id[2], NULL, &edge_param);
    nn_graph_edge(g, "w1", id[2], NULL, &edge_param);
    nn_graph_edge(g, id[0], id[2], NULL, &edge_data);
    nn_graph_edge(g, id[2], id[3], NULL, NULL);
    nn_graph_edge(g, id[1], id[3], NULL, &edge_data);
    nn_graph_edge(g, id[3], "J", "mean", NULL);
  }
  if (n > shown) {
    nn_graph_style more = {.shape = "plaintext", .rank = 3, .has_rank = 1};
    snprintf(label, sizeof label, "... %zu more losses", n - shown);
    nn_graph_node(g, "more", label, &more);
    nn_graph_edge(g, "more", "J", NULL, NULL);
  }
  lesson_show_graph(L, g);
  nn_graph_free(g);
  for (size_t b = 0; b < shown; b++) {
    double xb = gsl_matrix_get(d->X, b, 0), yb = gsl_vector_get(d->y, b);
    double yh = s->w0 + s->w1 * xb;
    lesson_printf(L, "  ŷ%s = w0 + w1 x%s = %.4g + %.4g·(%.4g) = %.4g\n", sub(b + 1),
                  sub(b + 1), s->w0, s->w1, xb, yh);
    lesson_printf(L, "  L%s = (ŷ%s − y%s)² = (%.4g − %.4g)² = %.4g\n", sub(b + 1),
                  sub(b + 1), sub(b + 1), yh, yb, (yh - yb) * (yh - yb));
  }
  lesson_printf(L, "  J = (L₁ + L₂ + ... + L_N) / N, with N = %zu: %.4g\n", n, s->jmin);
}

/// ## 9. The running problem: its cost, written out whole
///
/// Back to the 20 XOR points of lectures 2 and 3 and the 2-2-1 sigmoid
/// network that classifies them. Its output ŷ is a probability, so section
/// 4 would pick the binary cross-entropy; the course keeps the squared
/// error for this network, whose gradient is the easiest to follow by
/// hand (lectures 5 to 7). Put the network inside the cost and the whole
/// objective function is one line, of the nine parameters
/// θ = (W, b, v, c):
///
///     J(θ) = (1/N) Σ_i ( σ(v · σ(W x_i + b) + c) − y_i )²
///
/// with σ applied to each entry of W x_i + b, and N = 20. The hand-set
/// network of lecture 3 (`--scale` k) on the 20 points (`--running-sd`),
/// one term of the sum per row:

static void
running_cost_section(lesson *L, size_t first, size_t second)
{
  LESSON_PROSE(L);
  running_net net;
  running_hand_set(&net, scale);
  nn_data *data = running_data(running_sd, RUNNING_SEED);
  const size_t N = data->X->size1;
  lesson_printf(L, "k = %s\n\n  i    x_1      x_2      y   ŷ            (ŷ − y)²\n",
                lesson_num(L, scale));
  double sum = 0.0;
  for (size_t i = 0; i < N; i++) {
    const double x[2] = {gsl_matrix_get(data->X, i, 0), gsl_matrix_get(data->X, i, 1)};
    const double y = gsl_vector_get(data->y, i), yhat = running_predict(&net, x, NULL);
    sum += (yhat - y) * (yhat - y);
    lesson_printf(L, "  %-4zu %-8.3f %-8.3f %-3g %-12.4g %.4g\n", i + 1, x[0], x[1], y,
                  yhat, (yhat - y) * (yhat - y));
  }
  const double J = running_cost(&net, data);
  lesson_printf(L, "\nJ(θ) = (sum of the column) / %zu = %s / %zu = %s\n", N,
                lesson_num(L, sum), N, lesson_num(L, J));
  lesson_printf(L, "running_cost: J(θ) = %s; accuracy %s\n", lesson_num(L, J),
                lesson_num(L, running_accuracy(&net, data)));

  /// Small, but not 0: the sigmoid never reaches 0 or 1, so every term
  /// keeps a little error; larger weights would shrink it further (try a
  /// larger `--scale`). A cost of nine parameters is a landscape in ten
  /// dimensions, too many to draw. Fix seven of them at their hand-set
  /// values and let two move (`--pair`): J over that plane is a landscape
  /// we can draw, a slice through the whole one. The hand-set point is
  /// marked; the grid spans ±2k around 0 in both directions.
  LESSON_PROSE(L);
  const size_t G = (size_t) grid;
  const double K = 2.0 * GSL_MAX(fabs(scale), 1.0);  /* the half-width of the grid */
  const char *nx = running_param_name(first), *ny = running_param_name(second);
  const double px = *running_param(&net, first), py = *running_param(&net, second);
  gsl_vector *gx = gsl_vector_alloc(G), *gy = gsl_vector_alloc(G);
  gsl_matrix *Jg = gsl_matrix_alloc(G, G);  /* rows: the second, columns: the first */
  for (size_t k = 0; k < G; k++) {
    gsl_vector_set(gx, k, -K + 2.0 * K * (double) k / (double) (G - 1));
    gsl_vector_set(gy, k, -K + 2.0 * K * (double) k / (double) (G - 1));
  }
  running_net moved = net;
  size_t bi = 0, bj = 0;
  for (size_t i = 0; i < G; i++)
    for (size_t j = 0; j < G; j++) {
      *running_param(&moved, first) = gsl_vector_get(gx, j);
      *running_param(&moved, second) = gsl_vector_get(gy, i);
      gsl_matrix_set(Jg, i, j, running_cost(&moved, data));
      if (gsl_matrix_get(Jg, i, j) < gsl_matrix_get(Jg, bi, bj))
        bi = i, bj = j;
    }
  lesson_printf(L, "J over %s and %s, each in [%s, %s], on a %zu x %zu grid:\n", nx, ny,
                lesson_num(L, -K), lesson_num(L, K), G, G);
  lesson_printf(L, "  at the hand-set point (%s, %s) = (%s, %s): J = %s\n", nx, ny,
                lesson_num(L, px), lesson_num(L, py), lesson_num(L, J));
  lesson_printf(L, "  lowest grid point: (%s, %s) = (%s, %s), J = %s\n", nx, ny,
                lesson_num(L, gsl_vector_get(gx, bj)), lesson_num(L, gsl_vector_get(gy, bi)),
                lesson_num(L, gsl_matrix_get(Jg, bi, bj)));
  lesson_printf(L, "  highest grid point: J = %s\n", lesson_num(L, gsl_matrix_max(Jg)));

  nn_plot *p = lesson_plot(L, "running-cost-contour");
  char title[200];
  snprintf(title, sizeof title, "Cost J of the XOR network over %s and %s, the other "
           "seven hand-set (k = %s)", nx, ny, lesson_num(L, scale));
  nn_plot_title(p, title);
  nn_plot_labels(p, nx, ny);
  nn_plot_3d(p);
  nn_plot_set(p, "view map");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "cntrparam levels incremental 0.05, 0.05, 0.5");
  nn_plot_set(p, "unset clabel");
  nn_plot_set(p, "cblabel 'J'");
  nn_plot_set(p, "key below");
  nn_plot_set(p, "xrange [%.17g:%.17g]", -K, K);
  nn_plot_set(p, "yrange [%.17g:%.17g]", -K, K);
  nn_plot_grid(p, NULL, gx, gy, Jg, "pm3d");
  nn_plot_grid(p, NULL, gx, gy, Jg, "lines nosurface lw 1 lc rgb '#ffffff'");
  double pz = J;
  nn_plot_series3d(p, "the hand-set network", &px, &py, &pz, 1,
                   "points pt 7 ps 2.5 lc rgb '#009e73' nocontours");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// In words: the map is coloured by J, which lies between 0 and 1 (each
  /// term is a squared difference of two numbers in [0, 1]), with white
  /// contour lines every 0.05. For the default pair, the weights from x_1
  /// and x_2 into the OR unit: where both are below about 4 that unit
  /// never switches on, the network says ŷ ≈ 0 everywhere, and J sits on
  /// a plateau near 1/2 (half the labels are 1); where only one is, one
  /// cloud of the four is wrong and J is near 1/4; the low valley, where
  /// both are above about 5, holds the hand-set point. Plateaus are flat:
  /// a step downhill from there is tiny, which lecture 5 will feel.
  LESSON_PROSE(L);
  lesson_try(L, "predict where the low region moves, then run `make lecture4 "
             "ARGS='--pair v1,v2'` or `make lecture4 ARGS='--pair b1,c'`; and "
             "break the network with `make lecture4 ARGS='--scale 1'`.");
  if (lesson_challenge(L, "Every weight and bias is 0 (`--scale 0`). What is J?")) {
    running_net zero;
    running_hand_set(&zero, 0.0);
    lesson_printf(L, "ŷ = σ(0) = 1/2 for every point, so every term is (1/2 − y)² = "
                  "1/4, and J = 1/4 whatever the data: running_cost gives %s.\n",
                  lesson_num(L, running_cost(&zero, data)));
  }
  gsl_vector_free(gx);
  gsl_vector_free(gy);
  gsl_matrix_free(Jg);
  nn_data_free(data);
}

/// ## What to remember
///
/// - A loss judges one sample; the cost J is their mean over the data set
///   (the empirical risk), and it is J that training lowers.
/// - Continuous outputs: the squared error, gradient 2(ŷ - y). Binary:
///   the cross-entropy -[y log p + (1 - y) log(1 - p)], clamped against
///   log 0, or better computed from the logit. Categorical: softmax and
///   -log p_c, gradient p - y.
/// - The cross-entropies are minus the log of the probability given to the
///   truth: they punish a confident mistake without limit.
/// - Every gradient is checked against central differences.
/// - As a function of the parameters the cost is a landscape; one sample's
///   loss has no single bottom, the mean over the data does.
/// - The cost of the XOR network is one expression of its nine parameters,
///   J(θ) = (1/N) Σ_i (σ(v · σ(W x_i + b) + c) − y_i)²: an objective
///   function, drawn two parameters at a time.
///
/// Next, lecture 5: walking down the landscape, one step at a time.

/* The prose above, then the questions and the exercise. */
static void
check_yourself(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
      "A model says p = 0.9 for a sample whose label is 0. What is its binary "
      "cross-entropy, and what would it be with p = 0.99?",
      "Why is the cost the mean of the losses and not their sum?",
      "The XOR network's cost is a function of how many numbers, and why can we "
      "only draw a slice of it?");
}
