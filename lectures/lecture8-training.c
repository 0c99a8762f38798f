/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 8: Training a network
///
/// Lectures 2 to 7 built every piece: a network's forward pass, a cost,
/// gradient descent, and backpropagation to get the gradient. This
/// lecture puts them together and **trains** networks, then asks the
/// questions every practitioner asks of a training run:
///
/// - a **regression**: predict one number from another, y = m·x + noise;
///   the loss curve and the fitted line, and a code challenge that changes
///   the slope m;
/// - a **binary classification** of "qwerties", two clouds of points in
///   the plane; the decision boundary as a heat map; and a run that fails,
///   with the reason why;
/// - a **parametric experiment**: accuracy against the learning rate,
///   repeated;
/// - **mini-batches** and stochastic gradient descent: how many samples
///   each step looks at;
/// - **multilayer** networks, **overfitting**, the **train/dev/test**
///   split and **cross-validation**;
/// - and when a **linear model** is the right one.
///
/// One training loop does all of it. The data sets and the starting
/// weights are drawn from the seed (`--seed`).

/* lecture8-training.c: lecture 8 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture8-training.prose.h"

/* ===== Knobs ===== */

static double slope = 1.0;             /* --slope: m of the regression data */
static double lr = 0.05;               /* --lr: η of the qwerty networks */
static int epochs = 300;               /* --epochs: passes over the qwerties */
static int batch = 16;                 /* --batch: mini-batch of sections 7, 8 */
static const char *hidden = "16,16";   /* --hidden: the multilayer network */
static int repeats = 3;                /* --repeats: runs per point of the
                                          parametric experiments */
static int folds = 5;                  /* --folds: k of the cross-validation */

static const lesson_option options[] = {
  {"slope", LESSON_DOUBLE, &slope, "m in the regression data y = m·x + noise "
   "(section 2)", .min = -5, .max = 5},
  {"lr", LESSON_DOUBLE, &lr, "learning rate η of the qwerty networks (sections 4, "
   "6, 7, 8)", .min = 1e-6, .max = 10},
  {"epochs", LESSON_INT, &epochs, "passes over the qwerties of the classifiers of "
   "sections 4, 5, 7 and 8", .min = 1, .max = 100000},
  {"batch", LESSON_INT, &batch, "mini-batch size of the multilayer and linear "
   "networks (sections 7, 8)", .min = 1, .max = 2 * NN_DATA_QWERTIES_N},
  {"hidden", LESSON_STRING, &hidden, "hidden layer sizes of the multilayer network, "
   "written like 16,16 (section 7)", .choices = NULL},
  {"repeats", LESSON_INT, &repeats, "runs per point of the slope challenge and of "
   "the learning-rate experiment (50 is the full experiment)", .min = 1, .max = 1000},
  {"folds", LESSON_INT, &folds, "k of the k-fold cross-validation (section 7)",
   .min = 2, .max = 20},
  {0}
};

/* The regression of sections 2 and 3: the course's data (N = 50, noise sd
 * 0.5) and a 1-8-1 ReLU network trained on all of it at once. */
#define REG_N NN_DATA_REGRESSION_N
#define REG_NOISE NN_DATA_REGRESSION_NOISE
#define REG_HIDDEN 8
#define REG_LR 0.05
#define REG_EPOCHS 300

/* The slope challenge: slopes from -2 to 2 in 21 steps. */
#define N_SLOPES 21

/* The qwerties: 200 points, and the network of section 4, 2-1-1. */
#define QW_N (2 * NN_DATA_QWERTIES_N)

/* Section 4: learning rates spread evenly on a log scale. */
#define N_RATES 12
#define RATE_LO 1e-3
#define RATE_HI 0.3

/* Section 6 compares batch sizes over this many epochs: enough to see
 * the curves part, and a fixed cost, since B = 1 takes 160 steps an epoch. */
#define BATCH_EPOCHS 100

/* At most this many hidden layers in --hidden. */
#define MAX_HIDDEN 4

/* Section 3's failing run: every hidden pre-activation starts at or below
 * this bias, far below any w·x of the qwerties. */
#define DEAD_BIAS (-50.0)

/* Section 2's data set and its network's final cost, which section 8
 * compares with the least-squares line (owned here, freed there). */
static nn_data *reg_data;
static double reg_cost;

/* The hidden sizes of --hidden, read once at the start. */
static size_t hidden_sizes[MAX_HIDDEN];
static size_t n_hidden;

/* What a network is trained for: its loss and its last activation. */
typedef enum task { REGRESSION, CLASSIFY } task;

static void training_loop(lesson *L);
static void regression(lesson *L);
static void slope_challenge(lesson *L);
static void qwerties(lesson *L);
static void learning_rates(lesson *L);
static void mini_batches(lesson *L);
static void multilayer(lesson *L);
static void linear_solutions(lesson *L);
static void closing(lesson *L);

/* Read --hidden, or refuse it by name. */
static void
read_hidden(const lesson *L)
{
  const char *s = hidden;
  n_hidden = 0;
  for (;;) {
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || v < 1 || v > 256 || n_hidden == MAX_HIDDEN
        || (*end != ',' && *end != '\0'))
      lesson_usage_error(L, "--hidden '%s' must be 1 to %d layer sizes from 1 to 256, "
                         "written like 16,16", hidden, MAX_HIDDEN);
    hidden_sizes[n_hidden++] = (size_t) v;
    if (*end == '\0')
      break;
    s = end + 1;
  }
}

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 8, .title = "Training a network",
      .options = options, .prose = &lecture_prose});
  read_hidden(L);
  LESSON_PROSE(L);

  training_loop(L);
  regression(L);
  slope_challenge(L);
  qwerties(L);
  learning_rates(L);
  mini_batches(L);
  multilayer(L);
  linear_solutions(L);
  closing(L);
  return lesson_finish(L);
}

/* ===== Helpers: one training loop for the whole lecture ===== */

/* A network of sizes s[0..n-1]: ReLU in the hidden layers, then identity
 * (regression) or sigmoid (classification: the output is p(class 1)). It
 * holds a whole data set in one batch. Random weights from the lesson's
 * generator. */
static nn_network *
network(lesson *L, const size_t *s, size_t n, task t)
{
  nn_activation_kind acts[MAX_HIDDEN + 1];
  for (size_t l = 0; l + 1 < n; l++)
    acts[l] = NN_ACTIVATION_RELU;
  acts[n - 2] = t == REGRESSION ? NN_ACTIVATION_IDENTITY : NN_ACTIVATION_SIGMOID;
  nn_network *net = nn_network_alloc(s, n, acts, QW_N);
  nn_network_init(net, L->rng);
  return net;
}

/* The cost J of the network's last output against the targets y (B rows):
 * mean squared error for a regression, binary cross-entropy for a
 * classifier; dY = ∂J/∂output when not NULL. */
static double
cost(task t, gsl_matrix *dY, const gsl_matrix *out, const gsl_vector *y)
{
  gsl_matrix_const_view Y = gsl_matrix_const_view_vector(y, out->size1, 1);
  double J;
  if (t == REGRESSION)
    nn_loss_mse(&J, NULL, dY, out, &Y.matrix);
  else
    nn_loss_bce(&J, NULL, dY, out, &Y.matrix);
  return J;
}

/* J over the whole data set (at most QW_N rows: one forward pass). */
static double
cost_on(nn_network *net, const nn_data *data, task t)
{
  nn_network_forward(net, NULL, data->X);
  return cost(t, NULL, nn_network_output(net), data->y);
}

/* The share of DATA the classifier gets right. */
static double
accuracy_on(nn_network *net, const nn_data *data)
{
  double a;
  nn_train_accuracy(net, data->X, data->y, &a);
  return a;
}

/* What one epoch can record: the cost on the training data after it, and
 * the accuracy on the training and dev data (classifiers). NULL arrays are
 * not filled; entry 0 is before training, entry e after epoch e. */
typedef struct record {
  double *cost, *train_acc, *dev_acc;
  const nn_data *dev;
} record;

/* Train NET on DATA for E epochs of mini-batch gradient descent with rate
 * ETA and batches of B rows (B = N: all the data in every step):
 *
 *   every epoch:  shuffle the order of the rows
 *     every batch of B rows in that order:
 *       forward, cost, backward: g = ∂J_batch/∂θ
 *       θ ← θ - η g                           (the SGD step, one BLAS call)
 */
static void
train(nn_network *net, const nn_data *data, task t, double eta, size_t E, size_t B,
      gsl_rng *rng, record *rec)
{
  const size_t n = data->X->size1, d = data->X->size2;
  B = GSL_MIN(B, n);
  gsl_permutation *order = gsl_permutation_alloc(n);
  gsl_matrix *Xb = gsl_matrix_alloc(B, d), *dY = gsl_matrix_alloc(B, 1);
  gsl_vector *yb = gsl_vector_alloc(B);
  for (size_t e = 0; e <= E; e++) {
    if (e > 0) {
      nn_data_shuffle(rng, order);
      for (size_t b = 0; b < nn_data_batch_count(n, B); b++) {
        size_t rows;
        nn_data_batch(data, order, b, Xb, yb, &rows);
        gsl_matrix_view X = gsl_matrix_submatrix(Xb, 0, 0, rows, d);
        gsl_matrix_view G = gsl_matrix_submatrix(dY, 0, 0, rows, 1);
        gsl_vector_view y = gsl_vector_subvector(yb, 0, rows);
        nn_network_zero_grad(net);
        nn_network_forward(net, NULL, &X.matrix);
        cost(t, &G.matrix, nn_network_output(net), &y.vector);
        nn_network_backward(net, NULL, &G.matrix);
        gsl_blas_daxpy(-eta, net->grads, net->params);
      }
    }
    if (rec == NULL)
      continue;
    if (rec->cost != NULL)
      rec->cost[e] = cost_on(net, data, t);
    if (rec->train_acc != NULL)
      rec->train_acc[e] = accuracy_on(net, data);
    if (rec->dev_acc != NULL)
      rec->dev_acc[e] = accuracy_on(net, rec->dev);
  }
  gsl_permutation_free(order);
  gsl_matrix_free(Xb);
  gsl_matrix_free(dY);
  gsl_vector_free(yb);
}

/* The rows ORDER[from .. from+count-1] of DATA, as a new data set. */
static nn_data *
rows_of(const nn_data *data, const gsl_permutation *order, size_t from, size_t count)
{
  nn_data *s = nn_data_alloc(count, data->X->size2);
  for (size_t i = 0; i < count; i++) {
    size_t r = gsl_permutation_get(order, from + i);
    gsl_vector_const_view row = gsl_matrix_const_row(data->X, r);
    gsl_matrix_set_row(s->X, i, &row.vector);
    gsl_vector_set(s->y, i, gsl_vector_get(data->y, r));
  }
  return s;
}

/* The first N rows in ORDER of DATA except those from FROM to FROM+COUNT-1. */
static nn_data *
rows_except(const nn_data *data, const gsl_permutation *order, size_t n, size_t from,
            size_t count)
{
  nn_data *s = nn_data_alloc(n - count, data->X->size2);
  for (size_t i = 0, k = 0; i < n; i++) {
    if (i >= from && i < from + count)
      continue;
    size_t r = gsl_permutation_get(order, i);
    gsl_vector_const_view row = gsl_matrix_const_row(data->X, r);
    gsl_matrix_set_row(s->X, k, &row.vector);
    gsl_vector_set(s->y, k++, gsl_vector_get(data->y, r));
  }
  return s;
}

/* The network's prediction ŷ for every x of a one-input data set. */
static void
predict_all(nn_network *net, const nn_data *data, double *yhat)
{
  nn_network_forward(net, NULL, data->X);
  const gsl_matrix *out = nn_network_output(net);
  for (size_t i = 0; i < out->size1; i++)
    yhat[i] = gsl_matrix_get(out, i, 0);
}

/* The points of class C of a two-input data set, into x and y; how many. */
static size_t
class_points(const nn_data *data, int c, double *x, double *y)
{
  size_t k = 0;
  for (size_t i = 0; i < data->X->size1; i++)
    if (gsl_vector_get(data->y, i) == c) {
      x[k] = gsl_matrix_get(data->X, i, 0);
      y[k++] = gsl_matrix_get(data->X, i, 1);
    }
  return k;
}

/* The figure NAME: the classifier's p(class 1) over the plane as a heat
 * map, its decision boundary p = 1/2 as a line, and the qwerties on top. */
static void
boundary_figure(lesson *L, const char *name, const char *title, nn_network *net,
                const nn_data *data)
{
  enum { GX = 81, GY = 61 };
  const double x0 = -3, x1 = 9, y0 = -3, y1 = 5;
  gsl_vector *gx = gsl_vector_alloc(GX), *gy = gsl_vector_alloc(GY);
  gsl_matrix *gz = gsl_matrix_alloc(GY, GX);
  gsl_matrix *X = gsl_matrix_alloc(GX, 2);
  for (size_t j = 0; j < GX; j++)
    gsl_vector_set(gx, j, x0 + (x1 - x0) * (double) j / (GX - 1));
  for (size_t i = 0; i < GY; i++)
    gsl_vector_set(gy, i, y0 + (y1 - y0) * (double) i / (GY - 1));
  for (size_t i = 0; i < GY; i++) {  /* one row of the grid per forward pass */
    for (size_t j = 0; j < GX; j++) {
      gsl_matrix_set(X, j, 0, gsl_vector_get(gx, j));
      gsl_matrix_set(X, j, 1, gsl_vector_get(gy, i));
    }
    nn_network_forward(net, NULL, X);
    gsl_vector_const_view p = gsl_matrix_const_column(nn_network_output(net), 0);
    gsl_matrix_set_row(gz, i, &p.vector);
  }
  double px[QW_N], py[QW_N];
  nn_plot *p = lesson_plot(L, name);
  nn_plot_3d(p);
  nn_plot_title(p, title);
  nn_plot_labels(p, "x₁", "x₂");
  nn_plot_set(p, "view map");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "contour base");
  nn_plot_set(p, "cntrparam levels discrete 0.5");
  nn_plot_set(p, "cntrlabel onecolor");
  nn_plot_set(p, "cblabel 'p(class 1)'");
  nn_plot_set(p, "cbrange [0:1]");
  nn_plot_set(p, "xrange [%g:%g]", x0, x1);
  nn_plot_set(p, "yrange [%g:%g]", y0, y1);
  nn_plot_set(p, "key outside left top Left reverse samplen 2 spacing 1.3");
  nn_plot_text_contours(p, 3);
  nn_plot_grid(p, NULL, gx, gy, gz, "image nocontours");
  nn_plot_grid(p, NULL, gx, gy, gz, "lines lc rgb '#ffffff' lw 2 nosurface");
  for (int c = 0; c < 2; c++) {
    size_t n = class_points(data, c, px, py);
    double pz[QW_N] = {0};
    nn_plot_series3d(p, c == 0 ? "class 0" : "class 1", px, py, pz, n,
                     c == 0 ? "points pt 7 ps 0.6 lc rgb '#0072b2' nocontours"
                            : "points pt 5 ps 0.6 lc rgb '#d55e00' nocontours");
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(gx);
  gsl_vector_free(gy);
  gsl_matrix_free(gz);
  gsl_matrix_free(X);
}

/* ===== 1. The training loop ===== */

/// ## 1. The training loop
///
/// Every network of this lecture learns with the same loop. The cost J
/// is a mean over the N samples, so its gradient is the mean of their
/// gradients; a **mini-batch** of B samples estimates it for a fraction
/// of the price. One **epoch** is one pass over the data:
///
///     for every epoch:
///       shuffle the order of the N rows      (an index permutation)
///       for every batch of B rows in that order:
///         forward pass, cost J, backward pass: g = ∂J/∂θ
///         θ ← θ - η g                        (the SGD step)
///
/// The data set itself is never reordered: only a list of its row
/// numbers is shuffled, and each batch copies the rows it names. An
/// epoch takes ⌈N/B⌉ steps; the last batch is short when B does not
/// divide N. Every row is used exactly once per epoch, and the shuffle
/// makes the batches different every epoch. One epoch of N = 10 rows in
/// batches of B = 4:

static void
training_loop(lesson *L)
{
  LESSON_PROSE(L);
  enum { N = 10, B = 4 };
  gsl_permutation *order = gsl_permutation_alloc(N);
  for (int epoch = 1; epoch <= 2; epoch++) {
    nn_data_shuffle(L->rng, order);
    lesson_printf(L, "epoch %d, order", epoch);
    for (size_t i = 0; i < N; i++)
      lesson_printf(L, " %zu", gsl_permutation_get(order, i));
    lesson_printf(L, "\n");
    for (size_t b = 0; b < nn_data_batch_count(N, B); b++) {
      lesson_printf(L, "  batch %zu: rows", b + 1);
      for (size_t i = b * B; i < GSL_MIN((b + 1) * B, (size_t) N); i++)
        lesson_printf(L, " %zu", gsl_permutation_get(order, i));
      lesson_printf(L, "\n");
    }
  }
  lesson_printf(L, "%d rows in batches of %d: %zu steps per epoch\n", N, B,
                nn_data_batch_count(N, B));
  gsl_permutation_free(order);

  /// In the code of this lecture the loop is `train()`, and the step
  /// itself is one BLAS call, `gsl_blas_daxpy(-η, g, θ)`. Exercise 8 asks
  /// you to write these pieces yourself.
  LESSON_PROSE(L);
}

/* ===== 2. Regression ===== */

/// ## 2. A regression: predict a number
///
/// A **regression** predicts one continuous number from another. The data:
/// N = 50 points, x drawn from a standard normal, and
///
///     y = m·x + ε,      ε ~ N(0, 0.5²)
///
/// so y follows x along a line of slope m, blurred by noise of standard
/// deviation 0.5. The model: a small network, one input, 8 ReLU units,
/// one output with no activation (a number can be anything): 8 + 8
/// weights and 8 + 1 biases, 25 parameters. The cost: the mean squared
/// error over the 50 points,
///
///     J(θ) = (1/N) Σ_i (ŷ_i - y_i)².
///
/// Training is the loop of section 1 with B = N, all the data in every
/// step: forward pass, cost, backward pass, and every parameter takes its
/// step θ ← θ - η ∂J/∂θ at the same time, 300 times (epochs), η = 0.05.

static void
regression(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = reg_data = nn_data_regression(L->rng, REG_N, slope, REG_NOISE);
  const size_t sizes[] = {1, REG_HIDDEN, 1};
  nn_network *net = network(L, sizes, 3, REGRESSION);
  double curve[REG_EPOCHS + 1];
  record rec = {curve, NULL, NULL, NULL};
  train(net, data, REGRESSION, REG_LR, REG_EPOCHS, REG_N, L->rng, &rec);
  lesson_printf(L, "slope m = %s; J before training = %s, after %d epochs = %s\n",
                lesson_num(L, slope), lesson_num(L, curve[0]), REG_EPOCHS,
                lesson_num(L, curve[REG_EPOCHS]));

  /// The cost falls fast, then flattens (figure `regression-loss`, on a
  /// log scale). It cannot reach 0: the noise ε is not predictable from
  /// x, and on new data the best any model can do is the noise's
  /// variance, σ² = 0.25, the dashed line.
  LESSON_PROSE(L);
  double ep[REG_EPOCHS + 1], floor_[REG_EPOCHS + 1];
  for (size_t e = 0; e <= REG_EPOCHS; e++) {
    ep[e] = (double) e;
    floor_[e] = REG_NOISE * REG_NOISE;
  }
  nn_plot *p = lesson_plot(L, "regression-loss");
  nn_plot_title(p, "Regression: the cost J per epoch");
  nn_plot_labels(p, "epoch", "J (mean squared error)");
  nn_plot_set(p, "logscale y");
  nn_plot_series(p, "J on the training data", ep, curve, REG_EPOCHS + 1, "lines lw 2");
  nn_plot_series(p, "σ² = 0.25, the noise", ep, floor_, REG_EPOCHS + 1,
                 "lines dt 2 lw 1.5 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// The predictions against the data (figure `regression-fit`): the
  /// network's ŷ for every x, and how well ŷ follows y, measured by the
  /// correlation r(ŷ, y) (1: ŷ rises exactly with y, 0: no relation).
  LESSON_PROSE(L);
  double x[REG_N], y[REG_N], yhat[REG_N];
  for (size_t i = 0; i < REG_N; i++) {
    x[i] = gsl_matrix_get(data->X, i, 0);
    y[i] = gsl_vector_get(data->y, i);
  }
  predict_all(net, data, yhat);
  double r = gsl_stats_correlation(yhat, 1, y, 1, REG_N);
  lesson_printf(L, "correlation r(ŷ, y) = %s\n", lesson_num(L, r));

  /* the fitted curve, at sorted x */
  size_t idx[REG_N];
  gsl_sort_index(idx, x, 1, REG_N);
  double xs[REG_N], ys[REG_N];
  for (size_t i = 0; i < REG_N; i++) {
    xs[i] = x[idx[i]];
    ys[i] = yhat[idx[i]];
  }
  p = lesson_plot(L, "regression-fit");
  char title[128];
  snprintf(title, sizeof title, "Regression: data y = %s·x + noise and the network's ŷ",
           lesson_num(L, slope));
  nn_plot_title(p, title);
  nn_plot_labels(p, "x", "y");
  nn_plot_series(p, "data (x, y)", x, y, REG_N, "points pt 7 ps 0.8");
  nn_plot_series(p, "network ŷ(x)", xs, ys, REG_N, "linespoints pt 6 ps 0.6 lw 2");
  double c0, c1, cov00, cov01, cov11, sumsq, ends[2] = {xs[0], xs[REG_N - 1]}, line[2];
  gsl_fit_linear(x, 1, y, 1, REG_N, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
  for (int k = 0; k < 2; k++)
    line[k] = c0 + c1 * ends[k];
  nn_plot_series(p, "least-squares line (section 8)", ends, line, 2,
                 "lines dt 2 lw 1.5 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// **Data or relationship?** A small cost means the network predicts
  /// *these* points well. The question a scientist asks is different:
  /// did it find the *relationship* y = m·x? Fresh data from the same
  /// source, that the network never saw, answers it. Below σ² on the
  /// training data means the network learned some of the noise itself;
  /// on fresh data that part is wrong.
  LESSON_PROSE(L);
  nn_data *fresh = nn_data_regression(L->rng, REG_N, slope, REG_NOISE);
  lesson_printf(L, "J on the training data = %s, on 50 fresh points = %s, σ² = %s\n",
                lesson_num(L, cost_on(net, data, REGRESSION)),
                lesson_num(L, cost_on(net, fresh, REGRESSION)),
                lesson_num(L, REG_NOISE * REG_NOISE));
  nn_data_free(fresh);
  reg_cost = cost_on(net, data, REGRESSION);
  nn_network_free(net);
  lesson_try(L, "predict J and r for a steeper line, then run "
             "`make lecture8 ARGS='--slope 3'`; then with `--slope 0`.");
}

/* ===== 3. The slope challenge ===== */

/// ## 3. Code challenge: manipulate the regression slope
///
/// Put the data and the training into functions, then run them as an
/// experiment: the slope m from -2 to +2 in 21 steps, each trained
/// several times on fresh data (`--repeats`; 50 is the full experiment),
/// and for each slope the mean of the final cost and of the correlation
/// r(ŷ, y).

static void
slope_challenge(lesson *L)
{
  LESSON_PROSE(L);
  if (lesson_challenge(L, "Before the numbers: how do the cost and the correlation "
                       "change with the slope? Why?"))
    lesson_printf(L, "The cost hardly depends on m: a model that found the line "
                  "leaves only the\nnoise, of variance σ² = 0.25 whatever the "
                  "slope (a little less on its own\ntraining points, where it "
                  "also fits some of the noise). The correlation\ndepends on m "
                  "a lot: it is lowest at m = 0, where there is no relationship\n"
                  "and ŷ can only follow the noise it memorized. A small cost is "
                  "not the same\nthing as a model that found the relationship.\n");
  static double m[N_SLOPES], mean_J[N_SLOPES], mean_r[N_SLOPES], best_r[N_SLOPES];
  const size_t sizes[] = {1, REG_HIDDEN, 1};
  size_t flat = 0;  /* runs whose ŷ is the same for every x (r undefined) */
  for (size_t k = 0; k < N_SLOPES; k++) {
    m[k] = -2.0 + 0.2 * (double) k;
    /* the correlation of y = m x + ε with x itself: m / √(m² + σ²) in absolute
     * value, what a perfect model of the relationship reaches on average */
    best_r[k] = fabs(m[k]) / sqrt(m[k] * m[k] + REG_NOISE * REG_NOISE);
    double sJ = 0, sr = 0;
    size_t nr = 0;
    for (int rep = 0; rep < repeats; rep++) {
      nn_data *data = nn_data_regression(L->rng, REG_N, m[k], REG_NOISE);
      nn_network *net = network(L, sizes, 3, REGRESSION);
      train(net, data, REGRESSION, REG_LR, REG_EPOCHS, REG_N, L->rng, NULL);
      double yhat[REG_N];
      predict_all(net, data, yhat);
      sJ += cost_on(net, data, REGRESSION);
      double r = gsl_stats_correlation(yhat, 1, data->y->data, 1, REG_N);
      if (isfinite(r)) {
        sr += r;
        nr++;
      } else {
        flat++;
      }
      nn_network_free(net);
      nn_data_free(data);
      lesson_progress(L, "slope challenge", k * (size_t) repeats + (size_t) rep + 1,
               N_SLOPES * (size_t) repeats);
    }
    mean_J[k] = sJ / repeats;
    mean_r[k] = nr > 0 ? sr / (double) nr : NAN;
  }
  lesson_printf(L, "\n  m      mean J     mean r(ŷ, y)   |m|/√(m² + σ²)\n");
  for (size_t k = 0; k < N_SLOPES; k += 2)
    lesson_printf(L, "  %-6s %-10.4g %-14.4g %.4g\n", lesson_num(L, m[k]), mean_J[k],
                  mean_r[k], best_r[k]);
  lesson_printf(L, "%d runs per slope; runs whose ŷ was the same for every x (r "
                "undefined, left out of the mean): %zu\n", repeats, flat);

  /// The last column is the correlation between y and x themselves,
  /// |m|/√(m² + σ²): y = m·x + ε has variance m² + σ² (x has variance 1),
  /// of which m² comes from x. A model that found the relationship
  /// exactly reaches about that much; a network that beats it on its
  /// training data is fitting noise (figures `slope-loss` and
  /// `slope-correlation`).
  LESSON_PROSE(L);
  nn_plot *p = lesson_plot(L, "slope-loss");
  nn_plot_title(p, "Slope challenge: the final cost against the slope m");
  nn_plot_labels(p, "slope m", "mean final J");
  nn_plot_set(p, "yrange [0:*]");
  nn_plot_series(p, "mean J", m, mean_J, N_SLOPES, "linespoints pt 7 lw 2");
  double noise[N_SLOPES];
  for (size_t k = 0; k < N_SLOPES; k++)
    noise[k] = REG_NOISE * REG_NOISE;
  nn_plot_series(p, "σ² = 0.25, the noise", m, noise, N_SLOPES,
                 "lines dt 2 lw 1.5 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  p = lesson_plot(L, "slope-correlation");
  nn_plot_title(p, "Slope challenge: the correlation r(ŷ, y) against the slope m");
  nn_plot_labels(p, "slope m", "r(ŷ, y)");
  nn_plot_set(p, "yrange [0:1.05]");
  nn_plot_series(p, "mean r(ŷ, y)", m, mean_r, N_SLOPES, "linespoints pt 7 lw 2");
  nn_plot_series(p, "|m|/√(m²+σ²)", m, best_r, N_SLOPES,
                 "lines dt 2 lw 1.5 lc rgb '#555555'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "run the full experiment, `make lecture8 ARGS='--repeats 50'`: which "
             "curve gets smoother?");
}

/* ===== 4. Qwerties ===== */

/// ## 4. Binary classification: the qwerties
///
/// A **qwerty** is a point of one of two clouds in the plane, a
/// meaningless name for a simple problem: 100 points of class 0 around
/// (1, 1) and 100 of class 1 around (5, 1), each coordinate with
/// standard deviation 1. The network: 2 inputs, one ReLU unit, one
/// output unit with a sigmoid, so its output p = σ(z) reads as the
/// probability of class 1, and the class is 1 when p > 1/2. The cost is
/// the binary cross-entropy of lecture 4,
///
///     J = -(1/N) Σ_i [ y_i log p_i + (1 - y_i) log(1 - p_i) ].
///
/// It trains on all 200 points at once, `--epochs` times with rate `--lr`.

static void
qwerties(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = nn_data_qwerties(L->rng);
  const size_t sizes[] = {2, 1, 1};
  const size_t E = (size_t) epochs;
  double *good = malloc(2 * (E + 1) * sizeof *good), *dead = good + E + 1;
  nn_network *net = network(L, sizes, 3, CLASSIFY);
  record rec = {good, NULL, NULL, NULL};
  train(net, data, CLASSIFY, lr, E, QW_N, L->rng, &rec);
  double acc = accuracy_on(net, data);
  lesson_printf(L, "J before = %s, after %zu epochs = %s; accuracy %s (%s of %d)\n",
                lesson_num(L, good[0]), E, lesson_num(L, good[E]),
                lesson_num(L, acc), lesson_num(L, acc * QW_N), QW_N);
  if (acc == 0.5)
    lesson_printf(L, "This run failed: it calls every point the same class. The "
                  "case below shows why.\n");

  /// The **decision boundary** is where p = 1/2: on one side the network
  /// says class 0, on the other class 1. Over the whole plane, p as a
  /// heat map, the boundary as a white line, and the points (figure
  /// `qwerties-boundary`; in the terminal, the contour lines of p).
  LESSON_PROSE(L);
  boundary_figure(L, "qwerties-boundary", "Qwerties: p(class 1) of the 2-1-1 network",
                  net, data);

  /// **A case that fails.** The same network, but its hidden unit starts
  /// with a bias of -50, so that its input w·x + b is negative for every
  /// point. ReLU is 0 there, *and so is its slope*: by the chain rule,
  /// every partial derivative that passes through the unit is multiplied
  /// by 0. The output's bias still learns the share of each class, and
  /// nothing else ever moves: the unit is **dead**.
  LESSON_PROSE(L);
  nn_network_init(net, L->rng);
  gsl_vector_set_all(nn_network_b(net, 0), DEAD_BIAS);
  nn_network_zero_grad(net);
  nn_network_forward(net, NULL, data->X);
  gsl_matrix *dY = gsl_matrix_alloc(QW_N, 1);
  cost(CLASSIFY, dY, nn_network_output(net), data->y);
  nn_network_backward(net, NULL, dY);
  gsl_matrix_free(dY);
  size_t active = 0;
  const gsl_matrix *Z0 = net->layers[0].Z;
  for (size_t i = 0; i < QW_N; i++)
    active += gsl_matrix_get(Z0, i, 0) > 0;
  double dW_max = gsl_matrix_max(nn_network_dW(net, 0));
  double dW_min = gsl_matrix_min(nn_network_dW(net, 0));
  lesson_printf(L, "points where the hidden unit is active: %zu of %d\n", active, QW_N);
  lesson_printf(L, "largest |∂J/∂w| of the hidden unit: %s; ∂J/∂b = %s; ∂J/∂v = %s\n",
                lesson_num(L, GSL_MAX(fabs(dW_max), fabs(dW_min))),
                lesson_num(L, gsl_vector_get(nn_network_db(net, 0), 0)),
                lesson_num(L, gsl_matrix_get(nn_network_dW(net, 1), 0, 0)));
  record rec_dead = {dead, NULL, NULL, NULL};
  train(net, data, CLASSIFY, lr, E, QW_N, L->rng, &rec_dead);
  lesson_printf(L, "after %zu epochs: J = %s (ln 2 = %s), accuracy %s\n", E,
                lesson_num(L, dead[E]), lesson_num(L, M_LN2),
                lesson_num(L, accuracy_on(net, data)));

  /// Two classes of equal size and a constant output p: the best constant
  /// is p = 1/2, with cost ln 2 ≈ 0.693, and every point gets the same
  /// class: accuracy 1/2. The two loss curves side by side (figure
  /// `qwerties-loss`). A random start can die the same way, less
  /// visibly: with one ReLU unit, a start whose w points away from the
  /// data is enough. That is why it is dangerous to assume that a network
  /// always works, and why the next experiment repeats every run.
  LESSON_PROSE(L);
  double *ep = malloc((E + 1) * sizeof *ep);
  for (size_t e = 0; e <= E; e++)
    ep[e] = (double) e;
  nn_plot *p = lesson_plot(L, "qwerties-loss");
  nn_plot_title(p, "Qwerties: the cost J per epoch, a run that learns and a dead unit");
  nn_plot_labels(p, "epoch", "J (binary cross-entropy)");
  nn_plot_series(p, "random start", ep, good, E + 1, "lines lw 2");
  nn_plot_series(p, "hidden bias -50 (dead unit)", ep, dead, E + 1, "lines lw 2 dt 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(ep);
  free(good);
  nn_network_free(net);
  nn_data_free(data);
  lesson_try(L, "predict how many epochs the run needs at a tenth of the rate, then "
             "run `make lecture8 ARGS='--lr 0.005'`.");
}

/* ===== 5. Learning rates ===== */

/// ## 5. A parametric experiment: the learning rate
///
/// Which learning rate is best? Instead of guessing, measure: 12 rates
/// spread evenly on a log scale from 0.001 to 0.3, the network of
/// section 4 trained from fresh random starts `--repeats` times at each,
/// and the final accuracy of every run.

static void
learning_rates(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *data = nn_data_qwerties(L->rng);
  const size_t sizes[] = {2, 1, 1};
  const size_t R = (size_t) repeats;
  double rates[N_RATES], mean[N_RATES];
  double *all_r = malloc(2 * N_RATES * R * sizeof *all_r), *all_a = all_r + N_RATES * R;
  size_t stuck = 0;
  for (size_t k = 0; k < N_RATES; k++) {
    rates[k] = RATE_LO * pow(RATE_HI / RATE_LO, (double) k / (N_RATES - 1));
    mean[k] = 0;
    for (size_t rep = 0; rep < R; rep++) {
      nn_network *net = network(L, sizes, 3, CLASSIFY);
      train(net, data, CLASSIFY, rates[k], (size_t) epochs, QW_N, L->rng, NULL);
      double a = accuracy_on(net, data);
      all_r[k * R + rep] = rates[k];
      all_a[k * R + rep] = a;
      mean[k] += a / (double) R;
      stuck += a == 0.5;
      nn_network_free(net);
      lesson_progress(L, "learning rates", k * R + rep + 1, N_RATES * R);
    }
  }
  lesson_printf(L, "  η          mean accuracy\n");
  for (size_t k = 0; k < N_RATES; k++)
    lesson_printf(L, "  %-10.3g %.4g\n", rates[k], mean[k]);
  lesson_printf(L, "runs that ended at accuracy 1/2 exactly: %zu of %zu\n", stuck,
                N_RATES * R);

  /// Look at the single runs, not only the means (figure
  /// `learning-rates`). At one and the same rate, one run reaches 95%
  /// and the next stays near 50%: the means jump about, and a mean of
  /// 0.75 may be no run at all but a mix of good and failed ones. The
  /// puzzling result teaches two things: small rates need more epochs
  /// than we gave them, and whatever the rate, some starts are dead ends
  /// (the runs at exactly 1/2). A good experiment reports the spread, not
  /// only the average.
  LESSON_PROSE(L);
  nn_plot *p = lesson_plot(L, "learning-rates");
  nn_plot_title(p, "Accuracy against the learning rate (qwerties, 2-1-1 network)");
  nn_plot_labels(p, "learning rate η", "final accuracy");
  nn_plot_set(p, "logscale x");
  nn_plot_set(p, "yrange [0:1.05]");
  nn_plot_series(p, "one run", all_r, all_a, N_RATES * R, "points pt 6 ps 1");
  nn_plot_series(p, "mean of the runs", rates, mean, N_RATES, "linespoints pt 7 lw 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(all_r);
  nn_data_free(data);
  lesson_try(L, "predict the mean at η = 0.001 with ten times the epochs, then run "
             "`make lecture8 ARGS='--epochs 1000'`.");
}

/* ===== 6. Mini-batches ===== */

/// ## 6. Mini-batches and stochastic gradient descent
///
/// So far every step looked at all the points: B = N, the full-batch
/// gradient descent of lectures 5 and 6. The loop of section 1 allows
/// any B: B = 1 is **stochastic gradient descent** proper, one sample
/// per step, and everything between is mini-batch descent. Smaller
/// batches mean more steps per epoch, each one cheaper and noisier.
///
/// The experiment: a 2-8-1 network, the same start for every batch size,
/// the same rate `--lr`, 100 epochs, 160 training points.

static void
mini_batches(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *all = nn_data_qwerties(L->rng);
  gsl_permutation *order = gsl_permutation_alloc(QW_N);
  nn_data_shuffle(L->rng, order);
  enum { N_TRAIN = 160 };
  nn_data *data = rows_of(all, order, 0, N_TRAIN);
  static const size_t sizes_b[] = {1, 4, 16, 64, N_TRAIN};
  enum { N_B = sizeof sizes_b / sizeof sizes_b[0] };
  const size_t sizes[] = {2, 8, 1};
  const size_t E = BATCH_EPOCHS;
  nn_network *net = network(L, sizes, 3, CLASSIFY);
  gsl_vector *start = gsl_vector_alloc(net->params->size);
  gsl_vector_memcpy(start, net->params);
  double *curves = malloc(N_B * (E + 1) * sizeof *curves);
  lesson_printf(L, "  B      steps per epoch   steps in all   J at the end   accuracy\n");
  for (size_t k = 0; k < N_B; k++) {
    gsl_vector_memcpy(net->params, start);
    record rec = {curves + k * (E + 1), NULL, NULL, NULL};
    train(net, data, CLASSIFY, lr, E, sizes_b[k], L->rng, &rec);
    const size_t steps = nn_data_batch_count(N_TRAIN, sizes_b[k]);
    lesson_printf(L, "  %-6zu %-17zu %-14zu %-14.4g %s\n", sizes_b[k], steps,
                  steps * E, curves[k * (E + 1) + E],
                  lesson_num(L, accuracy_on(net, data)));
    lesson_progress(L, "batch sizes", k + 1, N_B);
  }

  /// Small batches take many small, noisy steps per epoch and get far in
  /// few epochs; the full batch takes one exact step per epoch (figure
  /// `batch-sizes`). Per step, the full batch is best; per epoch (per
  /// sample seen, which is the work done) small batches win, as long as
  /// their noise does not throw them about. In practice B = 16 to 256:
  /// large enough for fast matrix products, small enough for many steps.
  LESSON_PROSE(L);
  double *ep = malloc((E + 1) * sizeof *ep);
  for (size_t e = 0; e <= E; e++)
    ep[e] = (double) e;
  nn_plot *p = lesson_plot(L, "batch-sizes");
  nn_plot_title(p, "The cost per epoch for five batch sizes (2-8-1 network, same start)");
  nn_plot_labels(p, "epoch", "J on the training data");
  nn_plot_set(p, "logscale y");
  for (size_t k = 0; k < N_B; k++) {
    char legend[32];
    snprintf(legend, sizeof legend, "B = %zu", sizes_b[k]);
    nn_plot_series(p, legend, ep, curves + k * (E + 1), E + 1, "lines lw 2");
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(ep);
  free(curves);
  gsl_vector_free(start);
  nn_network_free(net);
  nn_data_free(data);
  nn_data_free(all);
  gsl_permutation_free(order);
  lesson_try(L, "predict which batch size suffers most from a rate five times "
             "larger, then run `make lecture8 ARGS='--lr 0.25'`.");
}

/* ===== 7. Multilayer networks, overfitting, cross-validation ===== */

/// ## 7. Multilayer networks, overfitting and cross-validation
///
/// A **multilayer** network stacks hidden layers (`--hidden`, 16,16 by
/// default: 2-16-16-1, 337 parameters); each layer computes features of
/// the features below it. With many parameters comes a danger:
/// **overfitting**, learning the training points, noise included, instead
/// of the pattern. A model must therefore be judged on data it was not
/// trained on. The usual split of the data, drawn at random:
///
/// - **train** (80%): the gradient steps use only these;
/// - **dev** (10%, also called validation): watched during training, to
///   choose epochs, rates and sizes;
/// - **test** (10%): looked at once, at the very end, for the number to
///   report. Choosing anything by the test set makes it one more dev set.

static void
multilayer(lesson *L)
{
  LESSON_PROSE(L);
  nn_data *all = nn_data_qwerties(L->rng);
  gsl_permutation *order = gsl_permutation_alloc(QW_N);
  nn_data_shuffle(L->rng, order);
  enum { N_TRAIN = 160, N_DEV = 20, N_TEST = 20 };
  nn_data *train_set = rows_of(all, order, 0, N_TRAIN);
  nn_data *dev = rows_of(all, order, N_TRAIN, N_DEV);
  nn_data *test = rows_of(all, order, N_TRAIN + N_DEV, N_TEST);
  size_t sizes[MAX_HIDDEN + 2] = {2};
  for (size_t l = 0; l < n_hidden; l++)
    sizes[l + 1] = hidden_sizes[l];
  sizes[n_hidden + 1] = 1;
  const size_t E = (size_t) epochs;
  nn_network *net = network(L, sizes, n_hidden + 2, CLASSIFY);
  double *tr = malloc(3 * (E + 1) * sizeof *tr), *dv = tr + E + 1, *ep = dv + E + 1;
  record rec = {NULL, tr, dv, dev};
  train(net, train_set, CLASSIFY, lr, E, (size_t) batch, L->rng, &rec);
  lesson_printf(L, "split: %d train, %d dev, %d test; %zu parameters, batches of %d\n",
                N_TRAIN, N_DEV, N_TEST, net->params->size, batch);
  lesson_printf(L, "after %zu epochs: train accuracy %s, dev accuracy %s, test "
                "accuracy %s\n", E, lesson_num(L, tr[E]), lesson_num(L, dv[E]),
                lesson_num(L, accuracy_on(net, test)));

  /// Train and dev accuracy per epoch (figure `train-dev-accuracy`). A
  /// dev accuracy that stays below the train accuracy, or falls while the
  /// train accuracy still climbs, is the mark of overfitting. The dev set
  /// here is small, 20 points: one point is 5%, so its curve moves in
  /// steps of 0.05 and one unlucky split can mislead.
  LESSON_PROSE(L);
  for (size_t e = 0; e <= E; e++)
    ep[e] = (double) e;
  nn_plot *p = lesson_plot(L, "train-dev-accuracy");
  nn_plot_title(p, "Multilayer network on the qwerties: accuracy per epoch");
  nn_plot_labels(p, "epoch", "accuracy");
  nn_plot_set(p, "yrange [0.4:1.02]");
  nn_plot_series(p, "train (160 points)", ep, tr, E + 1, "lines lw 2");
  nn_plot_series(p, "dev (20 points)", ep, dv, E + 1, "lines lw 2 dt 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(tr);

  /// **k-fold cross-validation** uses small data better. Cut the 180
  /// points of train and dev into k folds (`--folds`); train k networks,
  /// each on all folds but one, and measure it on the fold it did not
  /// see. Every point is a dev point exactly once, and the mean of the k
  /// accuracies is a steadier estimate than one dev set gives. The test
  /// set stays out of it.
  LESSON_PROSE(L);
  const size_t K = (size_t) folds, n_cv = N_TRAIN + N_DEV;
  double fold_acc[20], mean = 0;
  char names[20][16];
  const char *labels[20];
  lesson_printf(L, "  fold   dev points   dev accuracy\n");
  for (size_t k = 0; k < K; k++) {
    const size_t from = k * n_cv / K, count = (k + 1) * n_cv / K - from;
    nn_data *fold_dev = rows_of(all, order, from, count);
    nn_data *fold_train = rows_except(all, order, n_cv, from, count);
    nn_network_init(net, L->rng);
    train(net, fold_train, CLASSIFY, lr, E, (size_t) batch, L->rng, NULL);
    fold_acc[k] = accuracy_on(net, fold_dev);
    mean += fold_acc[k] / (double) K;
    snprintf(names[k], sizeof names[k], "fold %zu", k + 1);
    labels[k] = names[k];
    lesson_printf(L, "  %-6zu %-12zu %s\n", k + 1, count, lesson_num(L, fold_acc[k]));
    nn_data_free(fold_dev);
    nn_data_free(fold_train);
    lesson_progress(L, "cross-validation", k + 1, K);
  }
  lesson_printf(L, "mean over the %zu folds: %s\n", K, lesson_num(L, mean));
  p = lesson_plot(L, "cross-validation");
  char title[96];
  snprintf(title, sizeof title, "%zu-fold cross-validation: dev accuracy of each fold",
           K);
  nn_plot_title(p, title);
  nn_plot_labels(p, NULL, "dev accuracy");
  nn_plot_set(p, "yrange [0:1.05]");
  nn_plot_set(p, "style fill solid 0.6");
  nn_plot_set(p, "boxwidth 0.6");
  nn_plot_bars(p, "dev accuracy", labels, fold_acc, K, NULL);
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// And the boundary the multilayer network draws, trained on the 160
  /// training points (figure `multilayer-boundary`): bends where the
  /// 2-1-1 network could only draw a straight line.
  LESSON_PROSE(L);
  nn_network_init(net, L->rng);
  train(net, train_set, CLASSIFY, lr, E, (size_t) batch, L->rng, NULL);
  boundary_figure(L, "multilayer-boundary", "Qwerties: p(class 1) of the multilayer "
                  "network", net, train_set);
  nn_network_free(net);
  nn_data_free(train_set);
  nn_data_free(dev);
  nn_data_free(test);
  nn_data_free(all);
  gsl_permutation_free(order);
  lesson_try(L, "predict the train and dev accuracies of a much larger network, then "
             "run `make lecture8 ARGS='--hidden 64,64,64'`.");
}

/* ===== 8. Linear solutions ===== */

/// ## 8. Linear solutions to linear problems
///
/// Two clouds with the same spread are best separated by a straight
/// line, and a line through noisy points is best found by least squares:
/// neither problem needs a hidden layer. For the regression, the
/// least-squares line has a formula, no training at all:
///
///     m̂ = Σ (x_i - x̄)(y_i - ȳ) / Σ (x_i - x̄)²,     b̂ = ȳ - m̂ x̄.
///
/// No line has a smaller J on the same points (the dashed line of figure
/// `regression-fit`). The network may get a little lower by bending
/// towards single points, which is fitting noise. For the qwerties, a
/// network with no hidden layer, p = σ(w·x + b), is **logistic
/// regression**: its boundary w·x + b = 0 is a line.

static void
linear_solutions(lesson *L)
{
  LESSON_PROSE(L);
  double c0, c1, cov00, cov01, cov11, sumsq;
  gsl_fit_linear(reg_data->X->data, 1, reg_data->y->data, 1, REG_N, &c0, &c1, &cov00,
                 &cov01, &cov11, &sumsq);
  lesson_printf(L, "section 2's data, m = %s: least squares ŷ = %s·x %s %s, J = %s; "
                "the network's J = %s\n", lesson_num(L, slope), lesson_num(L, c1),
                c0 < 0 ? "-" : "+", lesson_num(L, fabs(c0)), lesson_num(L, sumsq / REG_N),
                lesson_num(L, reg_cost));
  nn_data_free(reg_data);
  reg_data = NULL;

  nn_data *all = nn_data_qwerties(L->rng);
  gsl_permutation *order = gsl_permutation_alloc(QW_N);
  nn_data_shuffle(L->rng, order);
  enum { N_TRAIN = 160 };
  nn_data *train_set = rows_of(all, order, 0, N_TRAIN);
  nn_data *test = rows_of(all, order, N_TRAIN, QW_N - N_TRAIN);
  const size_t lsizes[] = {2, 1};
  nn_network *net = network(L, lsizes, 2, CLASSIFY);
  train(net, train_set, CLASSIFY, lr, (size_t) epochs, (size_t) batch, L->rng, NULL);
  lesson_printf(L, "qwerties, logistic regression (3 parameters): train accuracy %s, "
                "held-out accuracy %s\n", lesson_num(L, accuracy_on(net, train_set)),
                lesson_num(L, accuracy_on(net, test)));
  nn_network_free(net);
  nn_data_free(train_set);
  nn_data_free(test);
  nn_data_free(all);
  gsl_permutation_free(order);

  /// No model does better on new data than the truth, and for the
  /// qwerties the truth is known: two clouds of standard deviation 1
  /// whose centres are 4 apart, cut half way, at distance 2 from each
  /// centre. A point lands on the wrong side with probability 1 - Φ(2),
  /// Φ the standard normal distribution function; the best accuracy
  /// possible is
  LESSON_PROSE(L);
  lesson_printf(L, "Φ(2) = %s\n", lesson_num(L, gsl_cdf_ugaussian_P(2.0)));

  /// The line reaches about that, with 3 parameters to the multilayer
  /// network's hundreds. A deep network is the tool for problems no line
  /// solves (the exclusive or of lecture 2, images in lecture 11); on a
  /// linear problem it spends its extra parameters on the noise.
  /// Statistics has good reasons to prefer the simple model there: it
  /// needs less data, its solution is exact and unique, and it can be
  /// read.
  LESSON_PROSE(L);
}

/// ## What to remember
///
/// - Training is a loop: shuffle, take a mini-batch, forward, cost,
///   backward, step θ ← θ - η g, for every batch of every epoch.
/// - The cost on the training data says how well the model fits those
///   points; whether it found the relationship shows on data it has not
///   seen. The noise's variance is a floor no model beats on new data.
/// - A network can fail silently: a dead ReLU unit has zero gradient and
///   never learns. Repeat runs and look at the spread, not only the mean.
/// - The learning rate and the batch size trade speed for noise; measure
///   them with parametric experiments.
/// - Train, dev, test: gradient on the first, choices on the second,
///   one look at the third. k-fold cross-validation reuses small data.
/// - Linear problems want linear models.
///
/// Next, lecture 9: optimizers that choose better steps than θ - η g.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "One epoch over 200 samples with mini-batches of 16: how many "
                   "gradient steps is that, and how big is the last batch?",
                   "A run ends with accuracy exactly 50% on two equal classes and "
                   "a cost of ln 2: what most likely happened?",
                   "Why must the test set not be used to choose the number of "
                   "epochs?");
}
