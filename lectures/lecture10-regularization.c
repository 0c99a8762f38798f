/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 10: Regularization
///
/// Lecture 8 trained networks until the training loss was small. But a
/// small training loss is not the goal: the goal is a small loss on data
/// the network has never seen. A network with many more weights than
/// there are training samples can drive its training loss below anything
/// the data allow by **memorizing** the samples, noise included, and then
/// does worse on new data the longer it trains. This is **overtraining**
/// (overfitting), and the remedies for it are called **regularization**.
/// This lecture:
///
/// - trains a large network on few samples and watches the loss on a
///   **dev set** rise while the training loss keeps falling;
/// - stops at the right epoch with **early stopping**, keeping a
///   **checkpoint** of the best model and loading it back;
/// - shrinks the weights with an **L2 penalty** (weight decay);
/// - switches random units off with **dropout**, a cheap ensemble;
/// - compares the train and dev curves with and without them, and gives
///   the untouched **test set** its one look at the chosen model;
/// - averages an **ensemble** of networks, and shows why that helps;
/// - ends with a word on batch normalization, skip connections and deep
///   double descent.
///
/// The data, the initial weights and the dropout masks are drawn from the
/// seed (`--seed`).

/* lecture10-regularization.c: lecture 10 as a literate program. The `///`
 * lines are the lesson's prose (see lesson.h); main() is the outline and
 * the sections follow in the order the lecture tells them. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture10-regularization.prose.h"

/* ===== Knobs ===== */

static double dropout = 0.5;  /* --dropout: p, the share of hidden units dropped */
static double l2 = 0.01;      /* --l2: λ, the strength of the L2 penalty */
static int patience = 20;     /* --patience: epochs without a better dev loss */
static int epochs = 500;      /* --epochs: epochs of every training run */
static int hidden = 32;       /* --hidden: units in each of the two hidden layers */
static int samples = 20;      /* --samples: training samples */
static double lr = 0.01;      /* --lr: Adam's learning rate */
static int members = 5;       /* --members: networks in the ensemble of section 6 */

static const lesson_option options[] = {
  {"dropout", LESSON_DOUBLE, &dropout,
   "p: the probability that dropout switches a hidden unit off", .min = 0,
   .max = 0.95},
  {"l2", LESSON_DOUBLE, &l2, "λ: the strength of the L2 penalty (λ/2)‖w‖²",
   .min = 0, .max = 10},
  {"patience", LESSON_INT, &patience,
   "early stopping: epochs without a better dev loss before it stops", .min = 1,
   .max = 100000},
  {"epochs", LESSON_INT, &epochs, "epochs of every training run", .min = 1,
   .max = 100000},
  {"hidden", LESSON_INT, &hidden, "units in each of the two hidden layers",
   .min = 2, .max = 512},
  {"samples", LESSON_INT, &samples, "training samples (the dev and test sets have 200)",
   .min = 2, .max = 5000},
  {"lr", LESSON_DOUBLE, &lr, "Adam's learning rate", .min = 1e-6, .max = 1},
  {"members", LESSON_INT, &members, "networks in the ensemble of section 6", .min = 1,
   .max = 100},
  {0}
};

/* The data: y = SLOPE·x + ε, ε ~ N(0, NOISE²), as in lecture 8. */
#define SLOPE 1.0
#define NOISE NN_DATA_REGRESSION_NOISE
#define DEV_N 200    /* samples in the dev set */
#define TEST_N 200   /* samples in the test set */

/* The fitted curves are drawn at GRID_N points over [-EXTENT, EXTENT]. */
#define GRID_N 121
#define EXTENT 3.0

/* The dropout demonstration of section 4: a batch of DEMO_B samples whose
 * DEMO_N hidden units all output DEMO_X. */
#define DEMO_B 200
#define DEMO_N 32
#define DEMO_X 2.385

/* A gradient check passes below this relative error (the course's). */
#define CHECK_PASSES 1e-7

/* Bins of the weight histograms. */
#define BINS 80

/* The three data sets. */
typedef struct sets {
  nn_data *train, *dev, *test;
} sets;

/* ===== The model =====
 *
 * A network of two hidden layers of ReLU units and one linear output,
 * 1 → H → H → 1, with dropout on the second hidden layer. The library's
 * nn_network chains dense layers and activations; dropout goes between two
 * of them, so the model is two networks with a dropout layer between them:
 *
 *   body:  x → ReLU(W₁x + b₁) → ReLU(W₂h₁ + b₂) = h₂        (nn_network)
 *   drop:  h₂ → h₂ ⊙ m  (training only)                      (nn_dropout)
 *   head:  → W₃(h₂ ⊙ m) + b₃ = ŷ                              (nn_network)
 *
 * The forward pass runs body, drop, head; the backward pass head, drop,
 * body, each handing the next one its dX. */
typedef struct model {
  const char *name;       /* "no regularization", "L2", "dropout" */
  double p;               /* dropout's p; 0: no dropout layer */
  double lambda;          /* the L2 penalty's λ; 0: none */
  nn_network *body;       /* 1 → H → H, ReLU, ReLU; owned */
  nn_dropout *drop;       /* on the H units of h₂; NULL when p = 0; owned */
  nn_network *head;       /* H → 1, identity; owned */
  nn_optim *opt_body;     /* Adam over body->params; owned. Adam works entry */
  nn_optim *opt_head;     /*   by entry, so two Adams over two buffers take the
                             steps one Adam over both would */
  gsl_matrix *Hd, *dH;    /* (max_batch, H), owned: h₂ ⊙ m, and ∂J/∂h₂ */
  gsl_matrix *dY;         /* (max_batch, 1), owned: ∂J/∂ŷ */
  gsl_vector *train_mse;  /* (epochs), owned: the training loss after each epoch */
  gsl_vector *dev_mse;    /* (epochs), owned: the dev loss after each epoch */
} model;

static model *model_alloc(lesson *L, const char *name, double p, double lambda,
                          size_t max_batch);
static void model_free(model *m);
static int model_train(lesson *L, model *m, const sets *data, nn_early_stop *es,
                       const char *checkpoint);
static double model_mse(model *m, const nn_data *data);
static const gsl_matrix *model_predict(model *m, const gsl_matrix *X);
static double model_weight_norm(model *m);

static void memorization(lesson *L, const sets *data, model *plain);
static model *early_stopping(lesson *L, const sets *data, const model *plain);
static void weight_decay(lesson *L, const sets *data, model *plain, model *decayed);
static void dropout_section(lesson *L, const sets *data, model *dropped);
static void comparison(lesson *L, const sets *data, model *const models[3],
                       model *stopped);
static void ensemble(lesson *L, const sets *data, size_t max_batch);
static void other_regularizers(lesson *L);
static void closing(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 10, .title = "Regularization",
      .options = options, .prose = &lecture_prose});
  LESSON_PROSE(L);

  sets data;
  data.train = nn_data_regression(L->rng, (size_t) samples, SLOPE, NOISE);
  data.dev = nn_data_regression(L->rng, DEV_N, SLOPE, NOISE);
  data.test = nn_data_regression(L->rng, TEST_N, SLOPE, NOISE);
  size_t max_batch = GSL_MAX((size_t) samples, GSL_MAX(DEV_N, GSL_MAX(TEST_N, GRID_N)));
  model *plain = model_alloc(L, "no regularization", 0.0, 0.0, max_batch);
  model *decayed = model_alloc(L, "L2", 0.0, l2, max_batch);
  model *dropped = model_alloc(L, "dropout", dropout, 0.0, max_batch);

  memorization(L, &data, plain);
  model *stopped = early_stopping(L, &data, plain);
  weight_decay(L, &data, plain, decayed);
  dropout_section(L, &data, dropped);
  model *const models[3] = {plain, decayed, dropped};
  comparison(L, &data, models, stopped);
  ensemble(L, &data, max_batch);
  other_regularizers(L);
  closing(L);

  model_free(plain);
  model_free(decayed);
  model_free(dropped);
  model_free(stopped);
  nn_data_free(data.train);
  nn_data_free(data.dev);
  nn_data_free(data.test);
  return lesson_finish(L);
}

/* ===== Helpers: the model, its training, progress ===== */

static model *
model_alloc(lesson *L, const char *name, double p, double lambda, size_t max_batch)
{
  const size_t H = (size_t) hidden;
  const size_t body_sizes[] = {1, H, H}, head_sizes[] = {H, 1};
  const nn_activation_kind body_acts[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_RELU};
  const nn_activation_kind head_acts[] = {NN_ACTIVATION_IDENTITY};
  model *m = calloc(1, sizeof *m);
  if (m == NULL)
    GSL_ERROR_NULL("model_alloc: out of memory", GSL_ENOMEM);
  m->name = name;
  m->p = p;
  m->lambda = lambda;
  m->body = nn_network_alloc(body_sizes, 3, body_acts, max_batch);
  m->head = nn_network_alloc(head_sizes, 2, head_acts, max_batch);
  nn_network_init(m->body, L->rng);  /* He's Gaussian weights, zero biases */
  nn_network_init(m->head, L->rng);
  if (p > 0)
    m->drop = nn_dropout_alloc(H, max_batch, p);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.lr = lr;
  m->opt_body = nn_optim_alloc(NN_OPTIM_ADAM, m->body->params->size, &o);
  m->opt_head = nn_optim_alloc(NN_OPTIM_ADAM, m->head->params->size, &o);
  m->Hd = gsl_matrix_alloc(max_batch, H);
  m->dH = gsl_matrix_alloc(max_batch, H);
  m->dY = gsl_matrix_alloc(max_batch, 1);
  m->train_mse = gsl_vector_alloc((size_t) epochs);
  m->dev_mse = gsl_vector_alloc((size_t) epochs);
  return m;
}

static void
model_free(model *m)
{
  if (m == NULL)
    return;
  nn_network_free(m->body);
  nn_network_free(m->head);
  nn_dropout_free(m->drop);
  nn_optim_free(m->opt_body);
  nn_optim_free(m->opt_head);
  gsl_matrix_free(m->Hd);
  gsl_matrix_free(m->dH);
  gsl_matrix_free(m->dY);
  gsl_vector_free(m->train_mse);
  gsl_vector_free(m->dev_mse);
  free(m);
}

/* ŷ for the rows of X (N, 1), N <= max_batch, as the model predicts once
 * trained: dropout is the identity at evaluation, so the head reads h₂ as
 * it is. Points into the head (valid until its next forward). */
static const gsl_matrix *
model_predict(model *m, const gsl_matrix *X)
{
  nn_network_forward(m->body, NULL, X);
  nn_network_forward(m->head, NULL, nn_network_output(m->body));
  return nn_network_output(m->head);
}

/* The mean squared error of the model's predictions on DATA. */
static double
model_mse(model *m, const nn_data *data)
{
  const gsl_matrix *Yhat = model_predict(m, data->X);
  gsl_matrix_const_view Y = gsl_matrix_const_view_vector(data->y, data->y->size, 1);
  double mse = 0;
  nn_loss_mse(&mse, NULL, NULL, Yhat, &Y.matrix);
  return mse;
}

/* The weight matrices of the model: W₁, W₂ (body) and W₃ (head), with their
 * gradients. The biases are not penalized (see section 3). */
static gsl_matrix *
model_W(model *m, size_t k, gsl_matrix **dW)
{
  nn_network *net = k < 2 ? m->body : m->head;
  size_t layer = k < 2 ? k : 0;
  *dW = nn_network_dW(net, layer);
  return nn_network_W(net, layer);
}

/* dW += λW for every weight matrix: the gradient of the penalty (λ/2)‖w‖².
 * One row at a time: a row of W is a contiguous vector. */
static void
add_l2(model *m)
{
  for (size_t k = 0; k < 3; k++) {
    gsl_matrix *dW, *W = model_W(m, k, &dW);
    for (size_t i = 0; i < W->size1; i++) {
      gsl_vector_view w = gsl_matrix_row(W, i), g = gsl_matrix_row(dW, i);
      nn_train_l2_penalty(&w.vector, m->lambda, &g.vector, NULL);
    }
  }
}

/* ‖w‖, the Euclidean norm of all the weights (no biases). */
static double
model_weight_norm(model *m)
{
  double sum = 0;
  for (size_t k = 0; k < 3; k++) {
    gsl_matrix *dW, *W = model_W(m, k, &dW);
    for (size_t i = 0; i < W->size1; i++) {
      gsl_vector_view w = gsl_matrix_row(W, i);
      double r = gsl_blas_dnrm2(&w.vector);
      sum += r * r;
    }
  }
  return sqrt(sum);
}

/* The number of weights of the model (biases apart). */
static size_t
model_n_weights(model *m)
{
  size_t n = 0;
  for (size_t k = 0; k < 3; k++) {
    gsl_matrix *dW, *W = model_W(m, k, &dW);
    n += W->size1 * W->size2;
  }
  return n;
}

/* Every weight of the model into w, which has model_n_weights(m) entries. */
static void
model_weights(model *m, double *w)
{
  size_t n = 0;
  for (size_t k = 0; k < 3; k++) {
    gsl_matrix *dW, *W = model_W(m, k, &dW);
    for (size_t i = 0; i < W->size1; i++)
      for (size_t j = 0; j < W->size2; j++)
        w[n++] = gsl_matrix_get(W, i, j);
  }
}

/* One step of training on the whole training set (it is small: one batch
 * is one epoch): forward through body, dropout and head; the MSE and its
 * gradient; backward through head, dropout and body; the L2 penalty's
 * gradient; one Adam step. */
static void
train_step(lesson *L, model *m, const nn_data *train)
{
  const size_t B = train->X->size1, H = (size_t) hidden;
  gsl_matrix_view Hd = gsl_matrix_submatrix(m->Hd, 0, 0, B, H);
  gsl_matrix_view dH = gsl_matrix_submatrix(m->dH, 0, 0, B, H);
  gsl_matrix_view dY = gsl_matrix_submatrix(m->dY, 0, 0, B, 1);
  gsl_matrix_const_view Y = gsl_matrix_const_view_vector(train->y, B, 1);

  nn_network_zero_grad(m->body);
  nn_network_zero_grad(m->head);
  nn_network_forward(m->body, NULL, train->X);
  const gsl_matrix *h2 = nn_network_output(m->body);
  if (m->drop != NULL) {
    nn_dropout_forward(m->drop, L->rng, &Hd.matrix, h2);  /* a new mask m */
    h2 = &Hd.matrix;
  }
  nn_network_forward(m->head, NULL, h2);
  nn_loss_mse(NULL, NULL, &dY.matrix, nn_network_output(m->head), &Y.matrix);
  nn_network_backward(m->head, &dH.matrix, &dY.matrix);
  if (m->drop != NULL)
    nn_dropout_backward(m->drop, &dH.matrix, &dH.matrix);  /* ⊙ the same mask */
  nn_network_backward(m->body, NULL, &dH.matrix);
  if (m->lambda > 0)
    add_l2(m);
  nn_optim_step(m->opt_body, m->body->params, m->body->grads);
  nn_optim_step(m->opt_head, m->head->params, m->head->grads);
}

/* Save the model as two checkpoints, PATH-body.ckpt and PATH-head.ckpt
 * (a checkpoint holds one network), or load it back from them. */
static void
model_checkpoint(model *m, const char *path, int load)
{
  char body[4096], head[4096];
  snprintf(body, sizeof body, "%s-body.ckpt", path);
  snprintf(head, sizeof head, "%s-head.ckpt", path);
  if (load) {
    nn_checkpoint_load(body, m->body, NULL);
    nn_checkpoint_load(head, m->head, NULL);
  } else {
    nn_checkpoint_save(body, m->body, NULL);
    nn_checkpoint_save(head, m->head, NULL);
  }
}

/* OUT_DIR/NAME, in one static buffer (valid until the next call). */
static const char *
out_path(const lesson *L, const char *name)
{
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", L->out_dir, name);
  return path;
}

/* Train M for up to the lecture's epochs, recording the training and dev
 * losses after every epoch; returns the epochs trained. With ES, early
 * stopping watches the dev loss: each new best is saved to the checkpoint
 * CHECKPOINT, and the training stops when ES says so. */
static int
model_train(lesson *L, model *m, const sets *data, nn_early_stop *es,
            const char *checkpoint)
{
  int e = 0;
  while (e < epochs && (es == NULL || !es->stop)) {
    lesson_progress(L, m->name, (size_t) e, (size_t) epochs);
    if (m->drop != NULL)
      nn_dropout_train(m->drop, 1);
    train_step(L, m, data->train);
    if (m->drop != NULL)
      nn_dropout_train(m->drop, 0);  /* evaluation: the identity */
    gsl_vector_set(m->train_mse, (size_t) e, model_mse(m, data->train));
    double dev = model_mse(m, data->dev);
    gsl_vector_set(m->dev_mse, (size_t) e, dev);
    e++;
    if (es != NULL) {
      int best = 0;
      nn_early_stop_update(es, e, dev, &best);  /* epochs count from 1 */
      if (best)
        model_checkpoint(m, checkpoint, 0);
    }
  }
  lesson_progress(L, m->name, (size_t) epochs, (size_t) epochs);
  return e;
}

/* The epochs 1, 2, ..., epochs, for the x axis of the curves. */
static double *
epoch_axis(void)
{
  double *x = malloc((size_t) epochs * sizeof *x);
  if (x == NULL)
    GSL_ERROR_NULL("epoch_axis: out of memory", GSL_ENOMEM);
  for (int e = 0; e < epochs; e++)
    x[e] = e + 1;
  return x;
}

/* The epoch (from 1) of the lowest value of CURVE, the first on ties. */
static size_t
best_epoch(const gsl_vector *curve)
{
  return gsl_vector_min_index(curve) + 1;
}

/* A row of the loss table: epoch, training and dev loss. */
static void
loss_row(lesson *L, const model *m, size_t epoch)
{
  lesson_printf(L, "  %6zu  %-12s %s\n", epoch,
                lesson_num(L, gsl_vector_get(m->train_mse, epoch - 1)),
                lesson_num(L, gsl_vector_get(m->dev_mse, epoch - 1)));
}

/// ## 1. Overtraining: a network that memorizes
///
/// The data are lecture 8's regression, y = x + ε with noise ε of
/// standard deviation σ = 0.5, in three sets drawn the same way:
///
/// - a **training set**, small on purpose (`--samples`, 20 points): the
///   network learns from it;
/// - a **dev set** (development, or validation) of 200 points: we look
///   at its loss after every epoch to decide things (when to stop, which
///   regularizer, how strong), but never train on it;
/// - a **test set** of 200 points, looked at once, at the very end, to
///   report how good the chosen model is. Every decision made while
///   looking at a set makes its loss a little optimistic; the test set
///   stays honest only if nothing is decided with it.
///
/// No model can predict the noise: even the true line y = x has a mean
/// squared error of σ² = 0.25 on average. That is the floor.

static void
memorization(lesson *L, const sets *data, model *plain)
{
  LESSON_PROSE(L);
  double floor_dev = 0;
  for (size_t i = 0; i < DEV_N; i++) {
    double r = gsl_vector_get(data->dev->y, i) - SLOPE * gsl_matrix_get(data->dev->X, i, 0);
    floor_dev += r * r / DEV_N;
  }
  lesson_printf(L, "The true line y = x on the dev set: MSE = %s (σ² = %s)\n",
                lesson_num(L, floor_dev), lesson_num(L, NOISE * NOISE));

  /// The model is far too big for 20 points: two hidden layers of
  /// `--hidden` ReLU units and a linear output, 1 → 32 → 32 → 1. Count
  /// its parameters: 32 + 32 for the first layer, 32·32 + 32 for the
  /// second, 32 + 1 for the output. Adam (lecture 9) trains it on the
  /// whole training set at each step, so an epoch is one step.
  LESSON_PROSE(L);
  size_t n_params = plain->body->params->size + plain->head->params->size;
  lesson_printf(L, "parameters: %zu, training samples: %d, that is %s parameters "
                "per sample\n", n_params, samples,
                lesson_num(L, (double) n_params / samples));
  model_checkpoint(plain, out_path(L, "initial"), 0);  /* for section 2 */
  model_train(L, plain, data, NULL, NULL);

  size_t best = best_epoch(plain->dev_mse), last = (size_t) epochs;
  lesson_printf(L, "\n   epoch  train MSE    dev MSE\n");
  const size_t shown[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000,
                          10000, 20000, 50000, 100000};
  for (size_t k = 0; k < sizeof shown / sizeof shown[0] && shown[k] < last; k++)
    loss_row(L, plain, shown[k]);
  loss_row(L, plain, last);
  lesson_printf(L, "lowest dev MSE: %s, after epoch %zu\n",
                lesson_num(L, gsl_vector_get(plain->dev_mse, best - 1)), best);

  /// The training loss falls and keeps falling, below the floor σ² that
  /// no honest model can beat: the network is fitting the noise of its 20
  /// points, learning them by heart. The dev loss falls at first, while
  /// the network learns the line, and then rises, while it learns the
  /// noise. Everything after the lowest dev loss is overtraining.
  LESSON_PROSE(L);
  double *x = epoch_axis();
  nn_plot *p = lesson_plot(L, "overfitting");
  nn_plot_title(p, "Overtraining: the training loss falls, the dev loss rises");
  nn_plot_labels(p, "epoch", "mean squared error");
  nn_plot_set(p, "logscale y");
  nn_plot_series(p, "training set", x, plain->train_mse->data, (size_t) epochs,
                 "lines lw 2");
  nn_plot_series(p, "dev set", x, plain->dev_mse->data, (size_t) epochs, "lines lw 2");
  double fx[2] = {1, epochs}, fy[2] = {NOISE * NOISE, NOISE * NOISE};
  nn_plot_series(p, "the noise, σ² (the floor)", fx, fy, 2, "lines dt 2 lc rgb '#808080'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(x);

  /// What memorizing looks like: where the true relation is a straight
  /// line, the network's curve bends and kinks to come closer to single
  /// training points, noise and all.
  LESSON_PROSE(L);
  double grid[GRID_N];
  for (size_t i = 0; i < GRID_N; i++)
    grid[i] = -EXTENT + 2 * EXTENT * (double) i / (GRID_N - 1);
  gsl_matrix_const_view G = gsl_matrix_const_view_array(grid, GRID_N, 1);
  const gsl_matrix *fit = model_predict(plain, &G.matrix);
  double fitted[GRID_N], line[GRID_N];
  for (size_t i = 0; i < GRID_N; i++) {
    fitted[i] = gsl_matrix_get(fit, i, 0);
    line[i] = SLOPE * grid[i];
  }
  p = lesson_plot(L, "memorized-fit");
  nn_plot_title(p, "After the last epoch: the network bends towards single training points");
  nn_plot_labels(p, "x", "y");
  nn_plot_set(p, "xrange [%g:%g]", -EXTENT, EXTENT);
  nn_plot_series(p, "training set", data->train->X->data, data->train->y->data,
                 (size_t) samples, "points pt 7 ps 1");
  nn_plot_series(p, "true line y = x", grid, line, GRID_N, "lines dt 2 lw 2");
  nn_plot_series(p, "the network", grid, fitted, GRID_N, "lines lw 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "predict the dev curve with more data, then run `make lecture10 "
             "ARGS='--samples 200'`.");
}

/// ## 2. Early stopping and checkpoints
///
/// The simplest remedy: stop training when the dev loss stops improving.
/// After each epoch, compare the dev loss with the best so far. A lower
/// one is a new best: remember its epoch and save the model. When
/// `--patience` epochs in a row bring nothing better, stop, and go back
/// to the best model. Patience matters because the dev loss is noisy: one
/// worse epoch does not mean the end.
///
/// Going back needs the model as it was at the best epoch: a
/// **checkpoint**, the model's parameters written to a file
/// (nn/checkpoint.h: a magic number, a version, the shapes, the numbers
/// and a checksum). Checkpoint often in any long training: a run that is
/// stopped, crashes or begins to overfit can go back to its best. Our
/// model is two networks (see the code), so a checkpoint is two files.
///
/// Here the same network of section 1 is trained again from the same
/// initial weights, this time watched by early stopping.

static model *
early_stopping(lesson *L, const sets *data, const model *plain)
{
  LESSON_PROSE(L);
  const size_t max_batch = plain->Hd->size1;
  model *watched = model_alloc(L, "with early stopping", 0.0, 0.0, max_batch);
  model_checkpoint(watched, out_path(L, "initial"), 1);  /* section 1's start */
  nn_early_stop es;
  nn_early_stop_init(&es, (unsigned) patience, 0.0);
  int trained = model_train(L, watched, data, &es, out_path(L, "best"));
  if (es.stop)
    lesson_printf(L, "Early stopping (patience %d) stopped after epoch %d: the dev loss "
                  "was last lowered at epoch %ld.\n", patience, trained, es.best_epoch);
  else
    lesson_printf(L, "Early stopping (patience %d) never ran out of patience in %d "
                  "epochs; the best epoch was %ld.\n", patience, trained, es.best_epoch);
  lesson_printf(L, "Best dev MSE: %s, at epoch %ld; saved to best-body.ckpt and "
                "best-head.ckpt\n", lesson_num(L, es.best), es.best_epoch);
  int same = 1;
  for (int e = 0; e < trained; e++)
    same = same && gsl_vector_get(watched->dev_mse, (size_t) e)
                   == gsl_vector_get(plain->dev_mse, (size_t) e);
  lesson_printf(L, "Its %d dev losses are %s section 1's: the same start, the same "
                "data, the same steps.\n", trained, same ? "exactly" : "NOT");

  /// The figure `early-stopping` marks the epoch it picks on section 1's
  /// curves, which ran on to the end: everything right of the best
  /// epoch's line is training that made the model worse.
  LESSON_PROSE(L);
  double *x = epoch_axis();
  nn_plot *p = lesson_plot(L, "early-stopping");
  nn_plot_title(p, "Early stopping picks the epoch of the lowest dev loss");
  nn_plot_labels(p, "epoch (log scale)", "mean squared error");
  nn_plot_set(p, "logscale xy");  /* the first epochs, where it happens, spread out */
  nn_plot_set(p, "xrange [1:%d]", epochs);
  nn_plot_series(p, "dev set", x, plain->dev_mse->data, (size_t) epochs, "lines lw 2");
  nn_plot_series(p, "training set", x, plain->train_mse->data, (size_t) epochs,
                 "lines lw 1");
  /* the two epochs as vertical lines across both curves */
  double lo = fmin(gsl_vector_min(plain->train_mse), gsl_vector_min(plain->dev_mse));
  double hi = fmax(gsl_vector_max(plain->train_mse), gsl_vector_max(plain->dev_mse));
  double vx[2] = {(double) es.best_epoch, (double) es.best_epoch}, vy[2] = {lo, hi};
  char legend[64];
  snprintf(legend, sizeof legend, "best epoch, %ld", es.best_epoch);
  nn_plot_series(p, legend, vx, vy, 2, "lines lw 2 lc rgb '#009e73'");
  if (es.stop) {
    vx[0] = vx[1] = trained;
    snprintf(legend, sizeof legend, "stopped after epoch %d", trained);
    nn_plot_series(p, legend, vx, vy, 2, "lines dt 2 lc rgb '#d55e00'");
  }
  double bx = (double) es.best_epoch, by = es.best;
  nn_plot_series(p, "the checkpoint kept", &bx, &by, 1,
                 "points pt 7 ps 1.5 lc rgb '#000000'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(x);

  /// Going back: a fresh model, with new random weights, loads the
  /// checkpoint. Its dev loss must be the best one to the last bit: a
  /// checkpoint stores every parameter exactly (IEEE 754 doubles), not
  /// rounded decimals.
  LESSON_PROSE(L);
  model *restored = model_alloc(L, "early stopping", 0.0, 0.0, max_batch);
  double before = model_mse(restored, data->dev);
  model_checkpoint(restored, out_path(L, "best"), 1);
  double after = model_mse(restored, data->dev);
  lesson_printf(L, "dev MSE of the fresh model: %s; after loading the checkpoint: %s\n",
                lesson_num(L, before), lesson_num(L, after));
  lesson_printf(L, "the best dev MSE, to 17 digits:      %s\n", lesson_numf(L, es.best, 17));
  lesson_printf(L, "the reloaded model's, to 17 digits:  %s (%s)\n",
                lesson_numf(L, after, 17),
                after == es.best ? "the same double" : "DIFFERENT");
  model_free(watched);
  lesson_try(L, "predict the stopping epoch with more patience, then run `make lecture10 "
             "ARGS='--patience 100'`.");
  return restored;
}

/// ## 3. L2 regularization: weight decay
///
/// Memorizing 20 noisy points takes a curve that bends sharply, and sharp
/// bends take large weights. An **L2 penalty** makes large weights cost:
/// the training minimizes
///
///     J(θ) + (λ/2) ‖w‖²,     ‖w‖² = Σ w²  over every weight
///
/// with the strength λ (`--l2`). Its gradient adds λw to each weight's
/// partial derivative, so a step of gradient descent becomes
///
///     w ← w − γ (∂J/∂w + λ w) = (1 − γλ) w − γ ∂J/∂w
///
/// Each step first shrinks every weight by the factor (1 − γλ), then
/// follows the data: hence the other name, **weight decay**. The biases
/// are usually spared: they shift units, they do not make curves steep.
/// The penalty and its gradient on three weights, with λ = 0.1, checked
/// against central differences as every gradient of the course is:

/* The L2 penalty as a function of θ, for the gradient check. */
static double
penalty_of(const gsl_vector *theta, void *params)
{
  double lambda = *(const double *) params, penalty = 0;
  nn_train_l2_penalty(theta, lambda, NULL, &penalty);
  return penalty;
}

/* max |w_i| over the N numbers of W. */
static double
max_abs(const double *w, size_t n)
{
  double m = 0;
  for (size_t i = 0; i < n; i++)
    m = fmax(m, fabs(w[i]));
  return m;
}

static void
weight_decay(lesson *L, const sets *data, model *plain, model *decayed)
{
  LESSON_PROSE(L);
  double lambda = 0.1, w[3] = {2.385, -1.2, 0.5}, g[3] = {0, 0, 0}, penalty = 0;
  gsl_vector_view wv = gsl_vector_view_array(w, 3), gv = gsl_vector_view_array(g, 3);
  nn_train_l2_penalty(&wv.vector, lambda, &gv.vector, &penalty);
  lesson_vector(L, "w", &wv.vector);
  lesson_printf(L, "(λ/2)‖w‖² = %s\n", lesson_num(L, penalty));
  lesson_vector(L, "gradient λw", &gv.vector);
  double err = 1;
  nn_gradcheck_compare(&err, penalty_of, &lambda, &wv.vector, &gv.vector,
                       NN_GRADCHECK_STEP);
  lesson_printf(L, "relative error against central differences: %.1e (%s)\n", err,
                err < CHECK_PASSES ? "the check passes" : "THE CHECK FAILS");

  /// The same network as in section 1, the same data, now trained with
  /// the penalty (λ = `--l2`). A word on Adam: adding λw to the gradient
  /// is exactly weight decay for plain SGD; Adam divides every gradient by
  /// its running size, which weakens the decay of weights with large
  /// gradients (AdamW decays the weights apart from the gradient). Either
  /// way large weights cost.
  LESSON_PROSE(L);
  lesson_printf(L, "λ = %s\n", lesson_num(L, l2));
  model_train(L, decayed, data, NULL, NULL);
  const size_t last = (size_t) epochs;
  lesson_printf(L, "after %d epochs:        train MSE   dev MSE     ‖w‖\n", epochs);
  lesson_printf(L, "  %s %-11s %-11s %s\n", lesson_pad(L, "no regularization", 21),
                lesson_num(L, gsl_vector_get(plain->train_mse, last - 1)),
                lesson_num(L, gsl_vector_get(plain->dev_mse, last - 1)),
                lesson_num(L, model_weight_norm(plain)));
  lesson_printf(L, "  %s %-11s %-11s %s\n", lesson_pad(L, "L2", 21),
                lesson_num(L, gsl_vector_get(decayed->train_mse, last - 1)),
                lesson_num(L, gsl_vector_get(decayed->dev_mse, last - 1)),
                lesson_num(L, model_weight_norm(decayed)));

  /// The histogram of the weights shows where the penalty acts: without
  /// it the weights spread out as training goes on; with it they are
  /// pulled towards 0, and only those the data need stay large.
  LESSON_PROSE(L);
  size_t n = model_n_weights(plain);
  double *w_plain = malloc(2 * n * sizeof *w_plain), *w_decayed = w_plain + n;
  if (w_plain == NULL)
    GSL_ERROR_VOID("weight_decay: out of memory", GSL_ENOMEM);
  model_weights(plain, w_plain);
  model_weights(decayed, w_decayed);
  /* the largest weight falls inside the last bin */
  double range = max_abs(w_plain, 2 * n) * 1.0001;
  gsl_histogram *h_plain = gsl_histogram_alloc(BINS), *h_decayed = gsl_histogram_alloc(BINS);
  gsl_histogram_set_ranges_uniform(h_plain, -range, range);
  gsl_histogram_set_ranges_uniform(h_decayed, -range, range);
  for (size_t i = 0; i < n; i++) {
    gsl_histogram_increment(h_plain, w_plain[i]);
    gsl_histogram_increment(h_decayed, w_decayed[i]);
  }
  double centre[BINS], count_plain[BINS], count_decayed[BINS];
  for (size_t b = 0; b < BINS; b++) {
    double lo, hi;
    gsl_histogram_get_range(h_plain, b, &lo, &hi);
    centre[b] = (lo + hi) / 2;
    count_plain[b] = gsl_histogram_get(h_plain, b);
    count_decayed[b] = gsl_histogram_get(h_decayed, b);
  }
  lesson_printf(L, "%zu weights in each model; the largest |w|: %s without the penalty, "
                "%s with it\n", n, lesson_num(L, max_abs(w_plain, n)),
                lesson_num(L, max_abs(w_decayed, n)));
  nn_plot *p = lesson_plot(L, "weight-histogram");
  nn_plot_title(p, "The weights after training, without and with the L2 penalty");
  nn_plot_labels(p, "weight", "number of weights");
  nn_plot_series(p, "no regularization", centre, count_plain, BINS, "histeps lw 2");
  nn_plot_series(p, "L2", centre, count_decayed, BINS, "histeps lw 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  gsl_histogram_free(h_plain);
  gsl_histogram_free(h_decayed);
  free(w_plain);
  lesson_try(L, "predict the histogram with a strong penalty, then run `make lecture10 "
             "ARGS='--l2 0.1'`.");
}

/* ===== Helpers of section 4: dropout on a batch, its check, its picture ===== */

/* J(X) = Σ C ⊙ dropout(X) with the mask drawn from a copy of the
 * generator, so that every call draws the same mask: the function whose
 * gradient the backward pass gives. */
typedef struct dropout_fn {
  nn_dropout *d;         /* the layer, in training mode */
  const gsl_rng *start;  /* the generator state of the mask */
  const gsl_matrix *C;   /* (rows, cols): the weights of the sum */
  gsl_matrix *Y;         /* (rows, cols): workspace */
} dropout_fn;

static double
dropout_sum(const gsl_vector *x, void *params)
{
  dropout_fn *f = params;
  gsl_rng *r = gsl_rng_clone(f->start);
  gsl_matrix_const_view X = gsl_matrix_const_view_vector(x, f->C->size1, f->C->size2);
  nn_dropout_forward(f->d, r, f->Y, &X.matrix);
  gsl_rng_free(r);
  double J = 0;
  for (size_t i = 0; i < f->C->size1; i++)
    for (size_t j = 0; j < f->C->size2; j++)
      J += gsl_matrix_get(f->C, i, j) * gsl_matrix_get(f->Y, i, j);
  return J;
}

/* The dropout layer on a constant batch, in training and at test. */
static void
dropout_mechanics(lesson *L)
{
  nn_dropout *d = nn_dropout_alloc(DEMO_N, DEMO_B, dropout);
  gsl_matrix *X = gsl_matrix_alloc(DEMO_B, DEMO_N), *Y = gsl_matrix_alloc(DEMO_B, DEMO_N);
  gsl_matrix_set_all(X, DEMO_X);
  nn_dropout_train(d, 1);
  nn_dropout_forward(d, L->rng, Y, X);
  size_t n = DEMO_B * DEMO_N, zeros = 0;
  double kept = 0, sum = 0;
  for (size_t i = 0; i < DEMO_B; i++)
    for (size_t j = 0; j < DEMO_N; j++) {
      double y = gsl_matrix_get(Y, i, j);
      sum += y;
      if (y == 0)
        zeros++;
      else
        kept = y;
    }
  /* Each output is x·m with E[m] = 1 and Var[m] = p/(1 − p): the mean of n
   * of them has standard error x·sqrt(p/((1 − p) n)). */
  double se = DEMO_X * sqrt(dropout / ((1 - dropout) * n));
  lesson_printf(L, "training mode, p = %s:\n", lesson_num(L, dropout));
  lesson_printf(L, "  units dropped:       %zu of %zu, a share of %s (p = %s)\n", zeros, n,
                lesson_num(L, (double) zeros / n), lesson_num(L, dropout));
  lesson_printf(L, "  a unit kept shows:   %s = %s/(1 − p)\n", lesson_num(L, kept),
                lesson_num(L, DEMO_X));
  lesson_printf(L, "  mean of the outputs: %s (the input: %s; standard error of the "
                "mean %s)\n", lesson_num(L, sum / n), lesson_num(L, DEMO_X),
                lesson_num(L, se));
  nn_dropout_train(d, 0);
  nn_dropout_forward(d, L->rng, Y, X);
  gsl_matrix_sub(Y, X);
  double worst = fmax(fabs(gsl_matrix_max(Y)), fabs(gsl_matrix_min(Y)));
  lesson_printf(L, "test mode:\n  largest |output − input|: %s (the identity)\n",
                lesson_num(L, worst));
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  nn_dropout_free(d);
}

/* The backward pass of the dropout layer against central differences. */
static void
dropout_gradient_check(lesson *L)
{
  nn_dropout *small = nn_dropout_alloc(4, 3, dropout);
  gsl_matrix *C = gsl_matrix_alloc(3, 4), *Ys = gsl_matrix_alloc(3, 4);
  gsl_matrix *dX = gsl_matrix_alloc(3, 4);
  gsl_vector *x = gsl_vector_alloc(12);
  for (size_t k = 0; k < 12; k++) {
    gsl_vector_set(x, k, gsl_ran_gaussian(L->rng, 1.0));
    C->data[k] = gsl_ran_gaussian(L->rng, 1.0);  /* C is 3x4, contiguous */
  }
  gsl_rng *start = gsl_rng_clone(L->rng);
  dropout_fn f = {small, start, C, Ys};
  dropout_sum(x, &f);                       /* the forward pass: the mask */
  nn_dropout_backward(small, dX, C);        /* dX = ∂J/∂X = C ⊙ m */
  gsl_vector_view analytic = gsl_vector_view_array(dX->data, 12);
  double err = 1;
  nn_gradcheck_compare(&err, dropout_sum, &f, x, &analytic.vector, NN_GRADCHECK_STEP);
  lesson_matrix(L, "mask m", small->mask);
  lesson_printf(L, "relative error of dX against central differences: %.1e (%s)\n", err,
                err < CHECK_PASSES ? "the check passes" : "THE CHECK FAILS");
  gsl_rng_free(start);
  gsl_vector_free(x);
  gsl_matrix_free(C);
  gsl_matrix_free(Ys);
  gsl_matrix_free(dX);
  nn_dropout_free(small);
}

/* One training step's network, drawn: our model with 6 units a layer
 * instead of --hidden, and the units of the second hidden layer that one
 * mask drops shown in grey, with their edges faded or gone. */
static void
draw_thinned_network(lesson *L)
{
  enum { UNITS = 6 };
  nn_dropout *d = nn_dropout_alloc(UNITS, 1, dropout);
  gsl_matrix *ones = gsl_matrix_alloc(1, UNITS);
  gsl_matrix_set_all(ones, 1.0);
  nn_dropout_forward(d, L->rng, ones, ones);
  char caption[160];
  snprintf(caption, sizeof caption, "One training step with dropout p = %g: the grey "
           "units of the second hidden layer are off", dropout);
  nn_graph *g = lesson_graph(L, "dropout-network");
  nn_graph_attr(g, "label", caption);
  nn_graph_attr(g, "nodesep", "0.12");
  nn_graph_attr(g, "ordering", "out");  /* units in their order, top to bottom */
  nn_graph_attr(g, "ranksep", "0.9");
  nn_graph_style in = {.shape = "circle", .fillcolor = "#e69f00", .rank = 0,
                       .has_rank = 1};
  nn_graph_style unit = {.shape = "circle", .fillcolor = "#56b4e9", .has_rank = 1};
  nn_graph_style off = {.shape = "Mcircle", .color = "#a0a0a0", .fontcolor = "#a0a0a0",
                        .fillcolor = "#f0f0f0", .rank = 2, .has_rank = 1};
  nn_graph_style out = {.shape = "circle", .fillcolor = "#009e73", .rank = 3,
                        .has_rank = 1};
  nn_graph_node(g, "x", "x", &in);
  char id[16], label[16], from[16];
  for (int layer = 1; layer <= 2; layer++)
    for (int j = 1; j <= UNITS; j++) {
      snprintf(id, sizeof id, "h%d_%d", layer, j);
      snprintf(label, sizeof label, "h%d,%d", layer, j);
      int dropped = layer == 2 && gsl_matrix_get(ones, 0, (size_t) j - 1) == 0;
      unit.rank = layer;
      nn_graph_node(g, id, label, dropped ? &off : &unit);
    }
  nn_graph_node(g, "y", "ŷ", &out);
  nn_graph_style dim = {.color = "#d0d0d0"};
  for (int j = 1; j <= UNITS; j++) {
    snprintf(id, sizeof id, "h1_%d", j);
    nn_graph_edge(g, "x", id, NULL, NULL);
    int dropped = gsl_matrix_get(ones, 0, (size_t) j - 1) == 0;
    snprintf(id, sizeof id, "h2_%d", j);
    for (int i = 1; i <= UNITS; i++) {
      snprintf(from, sizeof from, "h1_%d", i);
      nn_graph_edge(g, from, id, NULL, dropped ? &dim : NULL);
    }
    if (!dropped)
      nn_graph_edge(g, id, "y", NULL, NULL);
  }
  lesson_show_graph(L, g);
  nn_graph_free(g);
  gsl_matrix_free(ones);
  nn_dropout_free(d);
}

/// ## 4. Dropout
///
/// **Dropout** switches units off at random while training: at every
/// step, each unit of a hidden layer is dropped (its output set to 0)
/// with probability p (`--dropout`), afresh for every sample. A network
/// that may lose any unit at any step cannot lean on one unit to
/// remember one sample; it has to spread what it learns over many.
///
/// At test time nothing is dropped. For the next layer to see the same
/// signal in both modes, the units kept in training are scaled by
/// 1/(1 − p): **inverted dropout**, as torch.nn.Dropout does it. With the
/// mask m_j = 1/(1 − p) with probability 1 − p and 0 with probability p,
///
///     training:  y = x ⊙ m,    E[y_j] = (1 − p) · x_j/(1 − p) + p · 0 = x_j
///     test:      y = x         (the identity)
///
/// so the expected activation is the same in training and at test time.
/// Here is a layer of 32 units on a batch of 200 samples, every unit
/// showing 2.385, through the library's dropout layer (nn/dropout.h):

static void
dropout_section(lesson *L, const sets *data, model *dropped)
{
  LESSON_PROSE(L);
  dropout_mechanics(L);

  /// The backward pass multiplies the incoming gradient by the same mask,
  /// dX = dY ⊙ m: a dropped unit passed nothing forward and gets no
  /// gradient back. Checked on a small batch (3 samples, 4 units),
  /// through J = Σ C ⊙ dropout(X) with the mask held fixed:
  LESSON_PROSE(L);
  dropout_gradient_check(L);

  /// Each step thus trains a different **thinned network**, a random
  /// subset of the units, all sharing one set of weights: with H units in
  /// the layer there are 2^H of them. The figure `dropout-network` draws
  /// one (6 units a layer instead of 32). At test time the whole network,
  /// its units scaled as in training on average, stands in, approximately,
  /// for the average of all these thinned networks: dropout is a **cheap
  /// ensemble** (section 6), trained for the price of one network.
  LESSON_PROSE(L);
  draw_thinned_network(L);

  /// The model of section 1, now with dropout on its second hidden
  /// layer (the forward and backward passes are in `train_step`):
  LESSON_PROSE(L);
  model_train(L, dropped, data, NULL, NULL);
  const size_t last = (size_t) epochs;
  lesson_printf(L, "after %d epochs with dropout p = %s: train MSE %s, dev MSE %s\n",
                epochs, lesson_num(L, dropout),
                lesson_num(L, gsl_vector_get(dropped->train_mse, last - 1)),
                lesson_num(L, gsl_vector_get(dropped->dev_mse, last - 1)));
  lesson_try(L, "predict the train and dev losses without dropout, then run `make "
             "lecture10 ARGS='--dropout 0'`.");
}

/// ## 5. Train and dev, with and without regularization
///
/// All the models side by side: the dev losses, then the training
/// losses. The training losses are measured as the dev losses are, after
/// each epoch with dropout off, and without the penalty: the same
/// yardstick for all.

/* The dev (DEV 1) or training (DEV 0) loss curves of the three models in
 * one figure NAME. */
static void
curves_figure(lesson *L, const char *name, const char *title, model *const models[3],
              int dev)
{
  double *x = epoch_axis();
  nn_plot *p = lesson_plot(L, name);
  nn_plot_title(p, title);
  nn_plot_labels(p, "epoch (log scale)", dev ? "dev MSE" : "training MSE");
  nn_plot_set(p, "logscale xy");
  nn_plot_set(p, "xrange [1:%d]", epochs);
  nn_plot_set(p, "yrange [*:1.5]");  /* the first epochs are off the top */
  static const char *const colours[3] = {"#d55e00", "#0072b2", "#009e73"};
  char style[64];
  for (size_t k = 0; k < 3; k++) {
    snprintf(style, sizeof style, "lines lw 2 lc rgb '%s'", colours[k]);
    nn_plot_series(p, models[k]->name, x, (dev ? models[k]->dev_mse
                                                : models[k]->train_mse)->data,
                   (size_t) epochs, style);
  }
  double fx[2] = {1, epochs}, fy[2] = {NOISE * NOISE, NOISE * NOISE};
  nn_plot_series(p, "the noise, σ²", fx, fy, 2, "lines dt 2 lc rgb '#808080'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(x);
}

static void
comparison(lesson *L, const sets *data, model *const models[3], model *stopped)
{
  LESSON_PROSE(L);
  curves_figure(L, "regularization-dev", "The dev loss, with and without regularization",
                models, 1);
  curves_figure(L, "regularization-train",
                "The training loss, with and without regularization", models, 0);

  /// The gap between the training and the dev loss measures how much of
  /// what a model learned holds only for its training set. The dev set
  /// picks the model; then, and only then, the test set reports how good
  /// the pick is.
  LESSON_PROSE(L);
  const size_t last = (size_t) epochs;
  const model *pick = stopped;
  double pick_dev = model_mse(stopped, data->dev);
  lesson_printf(L, "  %s train MSE   dev MSE     gap\n", lesson_pad(L, "model", 31));
  for (size_t k = 0; k <= 3; k++) {
    model *m = k < 3 ? models[k] : stopped;
    double tr = k < 3 ? gsl_vector_get(m->train_mse, last - 1) : model_mse(m, data->train);
    double dev = k < 3 ? gsl_vector_get(m->dev_mse, last - 1) : pick_dev;
    char name[64];
    if (k < 3)
      snprintf(name, sizeof name, "%s, %d epochs", m->name, epochs);
    else
      snprintf(name, sizeof name, "%s (checkpoint)", m->name);
    lesson_printf(L, "  %s %-11s %-11s %s\n", lesson_pad(L, name, 31), lesson_num(L, tr),
                  lesson_num(L, dev), lesson_num(L, dev - tr));
    if (dev < pick_dev) {
      pick = m;
      pick_dev = dev;
    }
  }
  double test = model_mse((model *) pick, data->test);
  lesson_printf(L, "The lowest dev MSE: %s, so that is the model we keep.\n", pick->name);
  lesson_printf(L, "Its test MSE, the one look at the test set: %s (the floor σ² = %s)\n",
                lesson_num(L, test), lesson_num(L, NOISE * NOISE));
  lesson_try(L, "predict which model wins with 200 training samples, then run "
             "`make lecture10 ARGS='--samples 200'`.");
}

/// ## 6. Ensembles
///
/// Dropout was called a cheap ensemble. Here is the real thing: train
/// `--members` networks, each the overtrained network of section 1 from
/// its own random start, and predict with the average of their
/// predictions. For the squared error the average is never worse than
/// the members are on average. For one sample with target y, members'
/// predictions ŷ_k and their average ȳ,
///
///     (1/K) Σ_k (ŷ_k − y)² = (ȳ − y)² + (1/K) Σ_k (ŷ_k − ȳ)²
///
/// (expand (ŷ_k − ȳ + ȳ − y)²: the cross term sums to 0). Averaged over
/// the dev set: the members' mean MSE = the ensemble's MSE + the
/// **spread** of the members around their average. The more the members
/// disagree, the more the ensemble gains; and overtrained networks
/// disagree, since each memorized the noise its own way.

static void
ensemble(lesson *L, const sets *data, size_t max_batch)
{
  LESSON_PROSE(L);
  const size_t K = (size_t) members, n = data->dev->X->size1;
  gsl_matrix *pred = gsl_matrix_alloc(K, n);  /* row k: member k's ŷ on the dev set */
  double mean_mse = 0;
  for (size_t k = 0; k < K; k++) {
    model *m = model_alloc(L, "ensemble member", 0.0, 0.0, max_batch);
    model_train(L, m, data, NULL, NULL);
    double mse = gsl_vector_get(m->dev_mse, (size_t) epochs - 1);
    const gsl_matrix *Yhat = model_predict(m, data->dev->X);
    gsl_vector_const_view col = gsl_matrix_const_column(Yhat, 0);
    gsl_matrix_set_row(pred, k, &col.vector);
    lesson_printf(L, "  member %zu: dev MSE %s\n", k + 1, lesson_num(L, mse));
    mean_mse += mse / K;
    model_free(m);
  }
  double ens = 0, spread = 0;
  for (size_t i = 0; i < n; i++) {
    gsl_vector_view c = gsl_matrix_column(pred, i);
    double avg = gsl_stats_mean(c.vector.data, c.vector.stride, K);
    double r = avg - gsl_vector_get(data->dev->y, i);
    ens += r * r / n;
    for (size_t k = 0; k < K; k++) {
      double d = gsl_matrix_get(pred, k, i) - avg;
      spread += d * d / ((double) K * n);
    }
  }
  lesson_printf(L, "the members' mean dev MSE: %s\n", lesson_num(L, mean_mse));
  lesson_printf(L, "the ensemble's dev MSE:    %s\n", lesson_num(L, ens));
  lesson_printf(L, "the spread of the members: %s (mean MSE − spread = %s)\n",
                lesson_num(L, spread), lesson_num(L, mean_mse - spread));
  gsl_matrix_free(pred);

  /// The price is one training per member, and a prediction costs K
  /// forward passes: which is why dropout's ensemble, trained for the
  /// price of one network, is so popular.
  LESSON_PROSE(L);
  lesson_try(L, "predict the ensemble's dev MSE with 20 members, then run "
             "`make lecture10 ARGS='--members 20'`.");
}

/// ## 7. More ways to generalize
///
/// - **Batch normalization.** Normalize each unit's outputs over the
///   batch to mean 0 and variance 1, then scale and shift them by two
///   learned numbers. Training gets faster and steadier, and the noise of
///   the batch statistics regularizes a little. At test time it uses
///   running averages of the statistics, not the batch's.
/// - **Skip connections.** Let a block compute y = x + f(x) instead of
///   y = f(x): the gradient reaches early layers through the identity,
///   undamped, so very deep networks (ResNets, transformers) train.
/// - **Deep double descent.** The classic picture says: more parameters,
///   more overfitting. With very large networks the dev loss can rise
///   near the size that just fits the training set, then fall again as
///   the model grows further, or trains longer. It is an active topic of
///   research; the practical lesson is to measure on a dev set rather
///   than trust a rule of thumb.
/// - **More data.** The best regularizer of all, when it can be had:
///   `--samples 200` makes the same network generalize without help.

static void
other_regularizers(lesson *L)
{
  LESSON_PROSE(L);
}

/// ## What to remember
///
/// - A small training loss is not the goal; a small loss on new data is.
///   A network with more parameters than samples can memorize its
///   training set, noise included: the dev loss then rises while the
///   training loss falls.
/// - Train on the training set, decide with the dev set, report once on
///   the test set.
/// - Early stopping: keep the epoch with the lowest dev loss, stop after
///   `patience` epochs without a better one, and reload its checkpoint.
/// - L2: the cost gains (λ/2)‖w‖², the gradient λw; every step shrinks
///   the weights by (1 − γλ).
/// - Inverted dropout: drop each unit with probability p and scale the
///   others by 1/(1 − p) in training, so the expected activation stays
///   the same; at test time the layer is the identity.
///
/// Next, lecture 11: classifying real images, where all of this is used
/// at once.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "The training loss is 0.12 and the dev loss 0.45 with noise of "
                   "variance 0.25. What is happening, and what would you try?",
                   "Why does inverted dropout divide the kept units by 1 − p, and what "
                   "does the layer do at test time?",
                   "Why must the test set play no part in choosing the epoch, λ or p?");
}
