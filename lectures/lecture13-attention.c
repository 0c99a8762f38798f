/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 13: Attention
///
/// Lecture 12 read a sequence one step at a time, carrying everything it
/// had seen in one hidden state. This lecture replaces the recurrence by a
/// look-up: every position of a sequence asks a question (a **query**),
/// every position offers a label (a **key**) and some content (a
/// **value**), and each position takes a mix of the values whose keys
/// answer its query best. This is **attention**, the core of the
/// transformer. This lecture:
///
/// - names the limits of recurrence: the **bottleneck**, **no
///   parallelism**, **short memory**;
/// - works a tiny look-up by hand: query, key and value as a soft search;
/// - writes attention for a whole sequence as matrices,
///   A(Q, K, V) = softmax(QKᵀ/√d_k) V, and shows why it divides by √d_k;
/// - gives positions back to a model that does not see order, with
///   **positional encodings**;
/// - hides the future with the **causal mask**;
/// - trains a tiny attention model and a recurrent network (an LSTM) on
///   the same task with the same budget, and looks at what the attention
///   model learned.
///
/// The word embeddings, the data and the initial weights are drawn from
/// the seed (`--seed`).

/* lecture13-attention.c: lecture 13 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture13-attention.prose.h"

/* ===== Knobs ===== */

static int length = 8;     /* --length: T, symbols in a sequence of the task */
static int width = 16;     /* --width: d, the model width (and of the encodings) */
static int steps = 300;    /* --steps: training steps of each model */
static int task = 1;       /* --task: 0 copy, 1 reverse */

static const char *const task_names[] = {"copy", "reverse"};

static const lesson_option options[] = {
  {"length", LESSON_INT, &length, "T: symbols in a sequence of the task",
   .min = 2, .max = 32},
  {"width", LESSON_INT, &width,
   "d: the width of the models, the embeddings and the positional encodings, even",
   .min = 2, .max = 128},
  {"steps", LESSON_INT, &steps, "training steps of each model (one batch each)",
   .min = 1, .max = 100000},
  {"task", LESSON_CHOICE, &task, "what the models learn to write back",
   .choices = "copy|reverse"},
  {0}
};

/* The task: sequences of VOCAB symbols (the digits 0..9), BATCH fresh
 * sequences per training step, TEST_N sequences held out to measure. */
#define VOCAB 10
#define BATCH 32
#define TEST_N 200

/* Both models train with Adam, the gradient norm clipped at CLIP: the same
 * optimizer, the same steps, the same batches, but each its own rate. The
 * attention model learns the task at 0.01. The LSTM's share of symbols right
 * after 300 steps (reverse, T = 8, seeds 1 and 2) was 0.29 at rate 0.003,
 * 0.33 at 0.01, 0.53 at 0.03 and 0.56 at 0.1: 0.03, where a larger rate
 * stops paying. */
#define LR_ATTN 0.01
#define LR_LSTM 0.03
#define CLIP 5.0

/* How often the curves are measured on the test set: CURVE_POINTS times. */
#define CURVE_POINTS 50

/* The positional encodings are drawn for positions 0..PE_POSITIONS − 1. */
#define PE_POSITIONS 50

/* A gradient check passes below this relative error (the course's). */
#define CHECK_PASSES 1e-7

/* The sentence of sections 3 and 5. */
static const char *const sentence[] = {"the", "cat", "sat", "on", "the", "mat"};
#define WORDS (sizeof sentence / sizeof sentence[0])

/* ===== The attention model =====
 *
 * One layer of attention with learned projections, then a linear read-out,
 * on sequences of T positions (names as in nn/attention.h; N_in inputs per
 * position, d the width, V the symbols):
 *
 *   Q = X W_qᵀ,  K = X W_kᵀ,  V = X W_vᵀ       X (T, N_in), W_* (d, N_in)
 *   O = softmax(Q Kᵀ / √d) V                   (T, d)   nn_attention_forward
 *   Z = O W_oᵀ + b_o                           (T, V)   the scores of the symbols
 *
 * and the cross-entropy of softmax(Z) against the target symbols. A batch of
 * B sequences is B·T rows, sequence after sequence (rows b·T .. b·T + T − 1
 * are sequence b): the projections and the read-out act on every row at
 * once, attention on each sequence apart. The backward pass, from dZ:
 *
 *   dW_o += dZᵀ O,  db_o += Σ_rows dZ,  dO = dZ W_o
 *   dQ, dK, dV from nn_attention_backward, sequence by sequence
 *   dW_q += dQᵀ X,  dW_k += dKᵀ X,  dW_v += dVᵀ X
 *
 * All parameters live in one vector (W_q, W_k, W_v, W_o, b_o, matrices row
 * by row) and their gradients in its twin, as in nn/rnn.h, so that Adam and
 * the clipping see one vector. */
typedef struct attn_model {
  size_t T, n_in, d, n_out;     /* positions, inputs per position, width, symbols */
  size_t max_batch;             /* the most sequences a batch may have */
  gsl_vector *params, *grads;   /* owned: every parameter, and its gradient */
  gsl_matrix_view Wq, Wk, Wv;   /* (d, N_in), in params */
  gsl_matrix_view Wo;           /* (V, d), in params */
  gsl_vector_view bo;           /* (V), in params */
  gsl_matrix_view dWq, dWk, dWv, dWo;  /* their gradients, in grads */
  gsl_vector_view dbo;
  gsl_matrix *Q, *K, *Vs, *O;   /* (max_batch·T, d), owned: kept for backward */
  gsl_matrix *P;                /* (max_batch·T, T), owned: the weights, T rows
                                   per sequence */
  gsl_matrix *Z;                /* (max_batch·T, V), owned: the scores */
  gsl_matrix *dZ, *dO, *dQ, *dK, *dV;  /* owned: workspaces of backward */
  gsl_matrix *work;             /* (T, T), owned: attention backward's workspace */
  size_t batch;                 /* B of the last forward */
} attn_model;

static attn_model *attn_alloc(size_t T, size_t n_in, size_t d, size_t n_out,
                              size_t max_batch, gsl_rng *rng);
static void attn_free(attn_model *m);
static void attn_forward(attn_model *m, const gsl_matrix *X, size_t B);
static void attn_backward(attn_model *m, const gsl_matrix *X);

/* ===== The task ===== */

/* A batch of the task: B sequences of T symbols, and what each model
 * reads and must write. */
typedef struct batch {
  size_t B, T;
  size_t *symbols;     /* (B·T): symbol t of sequence b at b·T + t */
  size_t *targets;     /* (B·T): the symbol to write at position t of b */
  size_t *rnn_targets; /* (T·B): the same, step after step (t·B + b) */
  gsl_matrix *X_attn;  /* (B·T, V + d): one-hot symbol, then its position's
                          encoding, sequence after sequence */
  gsl_matrix *X_rnn;   /* (2T·B, V + 1), step after step: T steps that read
                          a one-hot symbol, then T steps whose only input is
                          the flag "write now" (column V) */
} batch;

static batch *batch_alloc(size_t B, size_t T, size_t d);
static void batch_free(batch *b);
static void batch_draw(batch *b, gsl_rng *rng, const gsl_matrix *PE);

/* What a model scores on the test set. */
typedef struct score {
  double loss;      /* the mean cross-entropy per symbol written */
  double symbols;   /* the share of symbols written right */
  double sequences; /* the share of sequences written right, every symbol */
} score;

static void limits_of_recurrence(lesson *L);
static void soft_lookup(lesson *L);
static void scaled_dot_product(lesson *L, const gsl_matrix *X);
static void positional_encodings(lesson *L);
static void causal_mask(lesson *L, const gsl_matrix *X);
static void attention_against_recurrence(lesson *L);
static void closing(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 13, .title = "Attention",
      .options = options, .prose = &lecture_prose});
  /* the positional encodings pair a sine with a cosine: section 4's
   * ‖PE_p‖² = d/2 and its distance-only dot products need d even */
  if (width % 2 != 0)
    lesson_usage_error(L, "invalid value '%d' for --width: must be even (the "
                       "positional encodings come in sine and cosine pairs)", width);
  LESSON_PROSE(L);

  /* the words of the sentence, as random vectors of d entries: one per
   * distinct word, so the two "the" get the same vector */
  const size_t d = (size_t) width;
  gsl_matrix *X = gsl_matrix_alloc(WORDS, d);
  for (size_t i = 0; i < WORDS; i++) {
    size_t first = i;
    for (size_t j = 0; j < i; j++)
      if (strcmp(sentence[j], sentence[i]) == 0) {
        first = j;
        break;
      }
    for (size_t k = 0; k < d; k++)
      gsl_matrix_set(X, i, k, first == i ? gsl_ran_gaussian(L->rng, 1.0)
                                         : gsl_matrix_get(X, first, k));
  }

  limits_of_recurrence(L);
  soft_lookup(L);
  scaled_dot_product(L, X);
  positional_encodings(L);
  causal_mask(L, X);
  attention_against_recurrence(L);
  closing(L);

  gsl_matrix_free(X);
  return lesson_finish(L);
}

/* ===== Helpers: heat maps ===== */

/* 0, 1, ..., n − 1 as a vector; the caller frees it. */
static gsl_vector *
index_axis(size_t n)
{
  gsl_vector *v = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(v, i, (double) i);
  return v;
}

/* Attention weights P (n_q, n_k) as a heat map in matrix order, query 0 on
 * top and key 0 on the left: the figure NAME (PNG and SVG through gnuplot,
 * with the words LABELS on the axes when not NULL) and the same map in the
 * terminal. With CAUSAL, the figure greys out the masked keys j > i (left
 * out of its data, so that the background shows through). */
static void
show_weights(lesson *L, const char *name, const char *title, const gsl_matrix *P,
             const char *const *labels, int causal)
{
  const size_t nq = P->size1, nk = P->size2;
  gsl_vector *x = index_axis(nk), *y = index_axis(nq);
  nn_plot *p = lesson_plot(L, name);
  char full[160];
  snprintf(full, sizeof full, "%s%s", title, causal ? " (grey: masked out)" : "");
  nn_plot_title(p, full);
  nn_plot_labels(p, "key j (the position looked at)", "query i (the position looking)");
  nn_plot_set(p, "yrange [%g:%g] reverse", -0.5, (double) nq - 0.5);
  nn_plot_set(p, "xrange [%g:%g]", -0.5, (double) nk - 0.5);
  nn_plot_set(p, "cbrange [0:1]");
  nn_plot_set(p, "cblabel 'attention weight P_{ij}'");
  nn_plot_set(p, "palette defined (0 '#ffffff', 0.25 '#fde725', 0.5 '#35b779', "
              "0.75 '#31688e', 1 '#440154')");
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "unset key");
  if (labels != NULL) {
    char tics[512] = "", one[64];
    for (size_t j = 0; j < nk; j++) {
      snprintf(one, sizeof one, "%s'%s' %zu", j ? ", " : "", labels[j], j);
      strncat(tics, one, sizeof tics - strlen(tics) - 1);
    }
    nn_plot_set(p, "xtics (%s)", tics);
    nn_plot_set(p, "ytics (%s)", tics);
  } else {
    nn_plot_set(p, "xtics 1");
    nn_plot_set(p, "ytics 1");
  }
  gsl_matrix *shown = gsl_matrix_alloc(nq, nk);
  gsl_matrix_memcpy(shown, P);
  if (causal) {
    for (size_t i = 0; i < nq; i++)
      for (size_t j = i + 1; j < nk; j++)
        gsl_matrix_set(shown, i, j, GSL_NAN);
    nn_plot_set(p, "object 1 rectangle from graph 0, 0 to graph 1, 1 behind "
                "fillcolor rgb '#b0b0b0' fillstyle solid noborder");
    nn_plot_set(p, "unset grid");
  }
  nn_plot_grid(p, NULL, x, y, shown, NULL);
  gsl_matrix_free(shown);
  nn_plot_text_contours(p, 0);
  lesson_save_plot(L, p);
  nn_plot_free(p);

  /* in the terminal: the text shade puts the largest y on top, so the rows
   * go in reversed, labelled n_q − 1 .. 0 from the bottom up */
  gsl_matrix *flipped = gsl_matrix_alloc(nq, nk);
  for (size_t i = 0; i < nq; i++) {
    gsl_vector_const_view row = gsl_matrix_const_row(P, nq - 1 - i);
    gsl_matrix_set_row(flipped, i, &row.vector);
    gsl_vector_set(y, i, (double) (nq - 1 - i));
  }
  char heading[160];
  snprintf(heading, sizeof heading, "%s (x: key j, y: query i, query 0 on top)", title);
  lesson_show_heat(L, heading, x, y, flipped);
  gsl_matrix_free(flipped);
  gsl_vector_free(x);
  gsl_vector_free(y);
}

/* The largest |row sum − 1| of P. */
static double
row_sum_error(const gsl_matrix *P)
{
  double worst = 0;
  for (size_t i = 0; i < P->size1; i++) {
    double s = 0;
    for (size_t j = 0; j < P->size2; j++)
      s += gsl_matrix_get(P, i, j);
    worst = GSL_MAX(worst, fabs(s - 1));
  }
  return worst;
}

/// ## 1. The limits of recurrence
///
/// A recurrent network (lecture 12) reads x_1, x_2, ..., x_T one after
/// the other and keeps one hidden state, h_t = f(h_(t−1), x_t). Three
/// things follow from that one line:
///
/// - **The bottleneck.** Whatever the network knows of the sequence at
///   step t is in h_t: H numbers, however long the sequence. To write a
///   sequence back after reading it, all of it must squeeze through the
///   last state.
/// - **No parallelism.** h_t needs h_(t−1): the T steps run one after the
///   other, on any number of processors.
/// - **Short memory.** What x_1 means for the output at step T travels
///   through T − 1 applications of the cell, forward and, for its
///   gradient, backward; lecture 12 saw that gradient shrink (or blow
///   up) geometrically with the distance.
///
/// Attention takes the other road: every position looks at every other
/// one directly. The path from any position to any other is one step
/// long, and all positions are computed at once, by matrix products. The
/// price: T² scores per sequence, and no sense of order, which we give
/// back with positional encodings (section 4).
///
/// For the task of section 6, sequences of T symbols of 10 kinds that a
/// model must write back (copied or reversed):

static void
limits_of_recurrence(lesson *L)
{
  LESSON_PROSE(L);
  const double T = length;
  lesson_printf(L, "information to carry: T·log₂(10) = %s bits, for T = %d\n",
                lesson_numf(L, T * log2(VOCAB), 6), length);
  lesson_printf(L, "%s  %s  %s\n", lesson_pad(L, "", 40),
                lesson_pad(L, "recurrent", 12), "attention");
  lesson_printf(L, "%s  %s  %d\n",
                lesson_pad(L, "steps that must run one after another", 40),
                lesson_pad(L, lesson_num(L, 2 * T), 12), 1);
  lesson_printf(L, "%s  %s  %d\n",
                lesson_pad(L, "longest path from an input to an output", 40),
                lesson_pad(L, lesson_num(L, 2 * T - 1), 12), 1);
  lesson_printf(L, "%s  %s  %s\n", lesson_pad(L, "scores computed per sequence", 40),
                lesson_pad(L, "-", 12), lesson_num(L, T * T));
  /// (The recurrent network reads T symbols, then writes T: 2T steps,
  /// and the first symbol read is 2T − 1 steps from the last one
  /// written.)
  LESSON_PROSE(L);
}

/// ## 2. Query, key, value: a soft search
///
/// A dictionary is a look-up: give it a **query**, it finds the **key**
/// equal to it and returns that key's **value**. Attention makes the
/// look-up soft. It scores the query q against every key k_j with a dot
/// product, a measure of how well they match, turns the scores into
/// weights that are positive and sum to 1 with a softmax, and returns
/// the weighted mix of all the values:
///
///     s_j = q · k_j / √d_k,   p = softmax(s),   o = Σ_j p_j v_j
///
/// Four keys, the four directions of the plane, hold the values 10, 20,
/// 30 and 40. Three queries, one per row of Q: the first points at key 1,
/// the second points the same way but is four times as long, the third
/// points between keys 1 and 2.

static void
soft_lookup(lesson *L)
{
  LESSON_PROSE(L);
  double q[] = {1, 0, 4, 0, 2, 2};
  double k[] = {1, 0, 0, 1, -1, 0, 0, -1};
  double v[] = {10, 20, 30, 40};
  gsl_matrix_view Q = gsl_matrix_view_array(q, 3, 2);
  gsl_matrix_view K = gsl_matrix_view_array(k, 4, 2);
  gsl_matrix_view V = gsl_matrix_view_array(v, 4, 1);
  gsl_matrix *P = gsl_matrix_alloc(3, 4), *O = gsl_matrix_alloc(3, 1);
  gsl_matrix *S = gsl_matrix_alloc(3, 4);
  nn_attention_forward(O, P, &Q.matrix, &K.matrix, &V.matrix, 0);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0 / sqrt(2.0), &Q.matrix, &K.matrix,
                 0.0, S);
  lesson_matrix(L, "queries Q", &Q.matrix);
  lesson_matrix(L, "keys K", &K.matrix);
  lesson_matrix(L, "values V", &V.matrix);
  lesson_matrix(L, "scores S = Q Kᵀ/√2", S);
  lesson_matrix(L, "weights P = softmax(S), row by row", P);
  lesson_matrix(L, "outputs O = P V", O);

  /// The first query matches key 1 best, but only softly: 45% of the
  /// answer comes from value 10, the rest from the others. The same
  /// direction four times longer makes the scores four times larger and
  /// the softmax sharper: 89% on key 1, close to a hard look-up. The
  /// third query, between keys 1 and 2, gets a blend of mostly their
  /// two values and a little of the others, about 16. The length of a
  /// query is how sure it is; its direction is what it asks for. Nothing
  /// here is learned yet: in a network, the queries, keys and values are
  /// computed from the inputs by weight matrices that training sets.
  LESSON_PROSE(L);

  nn_graph *g = lesson_graph(L, "soft-lookup");
  char caption[160];
  snprintf(caption, sizeof caption, "The third query as a soft look-up: o = %s",
           lesson_numf(L, gsl_matrix_get(O, 2, 0), 4));
  nn_graph_attr(g, "label", caption);
  nn_graph_attr(g, "rankdir", "LR");
  nn_graph_style qs = {.shape = "box", .fillcolor = "#e69f00", .rank = 0, .has_rank = 1};
  nn_graph_style ks = {.shape = "record", .fillcolor = "#56b4e9", .rank = 1,
                       .has_rank = 1};
  nn_graph_style os = {.shape = "box", .fillcolor = "#009e73", .rank = 2, .has_rank = 1};
  nn_graph_node(g, "q", "query q = (2, 2)", &qs);
  char id[16], label[96], weight[32];
  for (size_t j = 0; j < 4; j++) {
    snprintf(id, sizeof id, "k%zu", j + 1);
    snprintf(label, sizeof label, "key k%zu = (%g, %g) | value %g", j + 1, k[2 * j],
             k[2 * j + 1], v[j]);
    nn_graph_node(g, id, label, &ks);
  }
  snprintf(label, sizeof label, "output o = %s", lesson_numf(L, gsl_matrix_get(O, 2, 0), 4));
  nn_graph_node(g, "o", label, &os);
  for (size_t j = 0; j < 4; j++) {
    double w = gsl_matrix_get(P, 2, j);
    snprintf(id, sizeof id, "k%zu", j + 1);
    snprintf(weight, sizeof weight, "p = %s", lesson_numf(L, w, 3));
    nn_graph_edge(g, "q", id, weight, &(nn_graph_style){.penwidth = 0.5 + 8 * w});
    snprintf(weight, sizeof weight, "%s × %g", lesson_numf(L, w, 3), v[j]);
    nn_graph_edge(g, id, "o", weight, &(nn_graph_style){.penwidth = 0.5 + 8 * w});
  }
  lesson_show_graph(L, g);
  nn_graph_free(g);
  /* the same picture in the terminal: one line per key */
  lesson_printf(L, "\nThe third query, q = (2, 2), as a soft look-up:\n");
  for (size_t j = 0; j < 4; j++) {
    double w = gsl_matrix_get(P, 2, j);
    char bar[64] = "";
    for (int c = 0; c < (int) lround(40 * w) && c < 40; c++)
      strcat(bar, "#");
    snprintf(label, sizeof label, "key (%g, %g), value %g", k[2 * j], k[2 * j + 1], v[j]);
    lesson_printf(L, "  %s weight %s %s\n", lesson_pad(L, label, 26),
                  lesson_pad(L, lesson_numf(L, w, 3), 7), bar);
  }
  lesson_printf(L, "  %s        %s = Σ weight × value\n", lesson_pad(L, "output", 26),
                lesson_numf(L, gsl_matrix_get(O, 2, 0), 6));

  if (lesson_challenge(L, "What do the weights become when the query is (0, 0)?"))
    lesson_printf(L, "Every score is 0, so every weight is 1/4 and the output is the "
                  "plain mean of the values, 25: a query that asks nothing gets "
                  "the average.\n");
  gsl_matrix_free(P);
  gsl_matrix_free(O);
  gsl_matrix_free(S);
}

/// ## 3. Scaled dot-product attention
///
/// A sequence of T positions does the look-up at every position at once.
/// Stack the queries as the rows of a matrix Q (T, d_k), the keys as the
/// rows of K (T, d_k), the values as the rows of V (T, d_v):
///
///     A(Q, K, V) = softmax(QKᵀ / √d_k) V
///
/// QKᵀ is the (T, T) table of every query against every key, the softmax
/// acts row by row, and row i of the result is what position i gathers.
/// Two matrix products and a softmax: no loop over positions, and every
/// row can be computed at the same time.
///
/// **Why √d_k.** With d_k entries of mean 0 and variance 1, the dot
/// product q · k is a sum of d_k terms of variance 1: its variance is
/// d_k. Wide vectors then give huge scores, the softmax puts almost all
/// of its weight on one key, and its gradient (p_j(1 − p_j) and friends)
/// all but vanishes. Dividing by √d_k brings the variance back to 1,
/// whatever the width. Measured on 2000 random pairs, and the largest
/// weight of a softmax over 8 such scores, on average:

/* The variance of q·k for random Gaussian q, k of D entries, before and
 * after the scaling, and the mean largest weight of a softmax of 8 scores. */
static void
variance_row(lesson *L, size_t D)
{
  enum { PAIRS = 2000, KEYS = 8 };
  double *raw = malloc(PAIRS * sizeof *raw);
  double *q = malloc(D * sizeof *q), *k = malloc(D * sizeof *k);
  if (raw == NULL || q == NULL || k == NULL)
    GSL_ERROR_VOID("variance_row: out of memory", GSL_ENOMEM);
  for (size_t n = 0; n < PAIRS; n++) {
    for (size_t i = 0; i < D; i++) {
      q[i] = gsl_ran_gaussian(L->rng, 1.0);
      k[i] = gsl_ran_gaussian(L->rng, 1.0);
    }
    double s = 0;
    for (size_t i = 0; i < D; i++)
      s += q[i] * k[i];
    raw[n] = s;
  }
  double var = gsl_stats_variance(raw, 1, PAIRS);
  /* the softmax of 8 scores at a time, unscaled and scaled */
  double top_raw = 0, top_scaled = 0;
  for (size_t n = 0; n + KEYS <= PAIRS; n += KEYS) {
    for (int scaled = 0; scaled <= 1; scaled++) {
      double c = scaled ? 1 / sqrt((double) D) : 1, hi = -INFINITY, sum = 0;
      for (size_t j = 0; j < KEYS; j++)
        hi = GSL_MAX(hi, c * raw[n + j]);
      for (size_t j = 0; j < KEYS; j++)
        sum += exp(c * raw[n + j] - hi);
      *(scaled ? &top_scaled : &top_raw) += 1 / sum / (PAIRS / KEYS);
    }
  }
  lesson_printf(L, "  %-5zu %-12s %-12s %-12s %s\n", D, lesson_numf(L, var, 4),
                lesson_numf(L, var / (double) D, 4), lesson_numf(L, top_raw, 3),
                lesson_numf(L, top_scaled, 3));
  free(raw);
  free(q);
  free(k);
}

static void
scaled_dot_product(lesson *L, const gsl_matrix *X)
{
  LESSON_PROSE(L);
  lesson_printf(L, "  d_k   var(q·k)     var(q·k/√d_k) top weight, unscaled / scaled\n");
  const size_t widths[] = {2, 16, 128};
  for (size_t w = 0; w < 3; w++)
    variance_row(L, widths[w]);

  /// Now a short sequence, the sentence "the cat sat on the mat". Each
  /// word is a random vector of d = `--width` entries (the same vector
  /// for both "the"), and, to keep the example bare, the queries, keys
  /// and values are the word vectors themselves: Q = K = V = X. A word
  /// then matches itself best (x · x = ‖x‖², about d, against about ±√d
  /// for another word), and a word that occurs twice matches its twin
  /// just as well.
  LESSON_PROSE(L);
  const size_t n = X->size1, d = X->size2;
  gsl_matrix *P = gsl_matrix_alloc(n, n), *O = gsl_matrix_alloc(n, d);
  nn_attention_forward(O, P, X, X, X, 0);
  lesson_matrix(L, "attention weights P (rows: the, cat, sat, on, the, mat)", P);
  show_weights(L, "attention-weights", "Attention weights of \"the cat sat on the mat\"",
               P, sentence, 0);
  lesson_printf(L, "largest |row sum − 1| of P: %s\n", lesson_num(L, row_sum_error(P)));
  lesson_printf(L, "weight of \"the\" (position 0) on itself and on its twin "
                "(position 4): %s and %s\n", lesson_numf(L, gsl_matrix_get(P, 0, 0), 6),
                lesson_numf(L, gsl_matrix_get(P, 0, 4), 6));

  /// Every row sums to 1 (up to rounding): each position takes a weighted
  /// average of the values. The two "the" share their weight equally
  /// between them: attention finds things by what they are, not where
  /// they are. Which is also its blind spot: swap two words and each row
  /// of weights is swapped along, the output the same set of rows. To
  /// attention, a sequence is a bag of words.
  LESSON_PROSE(L);
  gsl_matrix_free(P);
  gsl_matrix_free(O);
}

/// ## 4. Positional encodings
///
/// To tell "dog bites man" from "man bites dog", each position p adds
/// its own vector of d numbers to the word's, a **positional encoding**.
/// The transformer's is a sinusoid per pair of columns, each pair turning
/// at its own speed:
///
///     PE[p, 2i]     = sin(p / 10000^(2i/d))
///     PE[p, 2i + 1] = cos(p / 10000^(2i/d))
///
/// The first pair turns once every 2π ≈ 6.28 positions, the last almost
/// not at all: like the hands of a clock, fast columns tell near
/// positions apart, slow ones far positions. Every entry is in [−1, 1],
/// and each pair has sin² + cos² = 1, so every position's vector has the
/// same length, ‖PE_p‖² = d/2 (d even). And a shift by k positions is a
/// rotation of each pair by a fixed angle, the same for every p: a
/// linear map that attention can learn, so "the position 3 before me" is
/// within reach of a query.

static void
positional_encodings(lesson *L)
{
  LESSON_PROSE(L);
  const size_t d = (size_t) width, n = PE_POSITIONS;
  gsl_matrix *PE = gsl_matrix_alloc(n, d);
  nn_attention_positional(PE);
  gsl_matrix_const_view top = gsl_matrix_const_submatrix(PE, 0, 0, 5, GSL_MIN(d, 6));
  char name[96];
  snprintf(name, sizeof name, "PE (positions 0 to 4, columns 0 to %zu, d = %zu)",
           GSL_MIN(d, 6) - 1, d);
  lesson_matrix(L, name, &top.matrix);
  double lo = INFINITY, hi = -INFINITY, nmin = INFINITY, nmax = -INFINITY;
  for (size_t p = 0; p < n; p++) {
    gsl_vector_const_view row = gsl_matrix_const_row(PE, p);
    double r = gsl_blas_dnrm2(&row.vector);
    nmin = GSL_MIN(nmin, r * r);
    nmax = GSL_MAX(nmax, r * r);
    lo = GSL_MIN(lo, gsl_vector_min(&row.vector));
    hi = GSL_MAX(hi, gsl_vector_max(&row.vector));
  }
  lesson_printf(L, "entries over positions 0 to %zu: from %s to %s\n", n - 1,
                lesson_numf(L, lo, 6), lesson_numf(L, hi, 6));
  lesson_printf(L, "‖PE_p‖² over positions 0 to %zu: from %s to %s (d/2 = %s)\n", n - 1,
                lesson_numf(L, nmin, 12), lesson_numf(L, nmax, 12),
                lesson_num(L, (double) d / 2));

  gsl_vector *cols = index_axis(d), *rows = index_axis(n);
  nn_plot *p = lesson_plot(L, "positional-encoding");
  char title[128];
  snprintf(title, sizeof title, "Positional encodings, d = %zu: one row per position", d);
  nn_plot_title(p, title);
  nn_plot_labels(p, "column of the encoding", "position p");
  nn_plot_set(p, "xrange [-0.5:%g]", (double) d - 0.5);
  nn_plot_set(p, "yrange [-0.5:%g] reverse", (double) n - 0.5);
  nn_plot_set(p, "cbrange [-1:1]");
  nn_plot_set(p, "palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')");
  nn_plot_set(p, "unset key");
  nn_plot_grid(p, NULL, cols, rows, PE, NULL);
  nn_plot_text_contours(p, 0);
  lesson_save_plot(L, p);
  nn_plot_free(p);
  /* the terminal map, position 0 on top (see show_weights) */
  gsl_matrix *flipped = gsl_matrix_alloc(n, d);
  gsl_vector *labels = gsl_vector_alloc(n);
  for (size_t i = 0; i < n; i++) {
    gsl_vector_const_view row = gsl_matrix_const_row(PE, n - 1 - i);
    gsl_matrix_set_row(flipped, i, &row.vector);
    gsl_vector_set(labels, i, (double) (n - 1 - i));
  }
  lesson_show_heat(L, "Positional encodings (x: column, y: position, position 0 on top)",
                   cols, labels, flipped);
  gsl_matrix_free(flipped);
  gsl_vector_free(labels);

  /// Read down a column: the first columns flicker from row to row, the
  /// last ones barely change. The same columns as curves:
  LESSON_PROSE(L);
  p = lesson_plot(L, "positional-curves");
  nn_plot_title(p, "Columns of the positional encoding: one frequency per pair");
  nn_plot_labels(p, "position p", "PE[p, column]");
  nn_plot_set(p, "yrange [-1.15:1.15]");
  const size_t wanted[] = {0, 2, 4, 8};
  char legend[96];
  for (size_t c = 0; c < sizeof wanted / sizeof wanted[0]; c++) {
    size_t col = wanted[c];
    if (col >= d || (c > 0 && col == wanted[c - 1]))
      continue;
    double omega = pow(10000.0, -2.0 * (double) (col / 2) / (double) d);
    snprintf(legend, sizeof legend, "column %zu: %s(p·%s)", col,
             col % 2 ? "cos" : "sin", lesson_numf(L, omega, 3));
    gsl_vector_view v = gsl_matrix_column(PE, col);
    nn_plot_series_vector(p, legend, rows, &v.vector, "lines lw 2");
  }
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// The encoding of position p and that of position p + k have the dot
  /// product Σ_i cos(k·ω_i), which depends on the distance k only, not on
  /// p. It is largest at k = 0, d/2, and falls with the distance, though
  /// not steadily (a sum of cosines ripples): near positions look alike,
  /// far ones less.
  LESSON_PROSE(L);
  lesson_printf(L, "PE_p · PE_(p+k) for p = 3 and p = 20:\n");
  lesson_printf(L, "  k     p = 3        p = 20\n");
  for (size_t k = 0; k <= 4; k++) {
    double dot[2];
    const size_t base[2] = {3, 20};
    for (size_t b = 0; b < 2; b++) {
      gsl_vector_const_view u = gsl_matrix_const_row(PE, base[b]);
      gsl_vector_const_view v = gsl_matrix_const_row(PE, base[b] + k);
      gsl_blas_ddot(&u.vector, &v.vector, &dot[b]);
    }
    lesson_printf(L, "  %-5zu %-12s %s\n", k, lesson_numf(L, dot[0], 6),
                  lesson_numf(L, dot[1], 6));
  }
  gsl_vector_free(cols);
  gsl_vector_free(rows);
  gsl_matrix_free(PE);
}

/// ## 5. The causal mask
///
/// A model that writes a sequence one symbol at a time, or predicts the
/// next word, must not peek at the words it is about to predict. The
/// **causal mask** lets query i see keys j ≤ i only: the scores above the
/// diagonal are set to −∞ before the softmax, so their weights are
/// exactly 0, and each row spreads its weight over the past and present.
/// The first position sees only itself. The same sentence, masked:

static void
causal_mask(lesson *L, const gsl_matrix *X)
{
  LESSON_PROSE(L);
  const size_t n = X->size1, d = X->size2;
  gsl_matrix *P = gsl_matrix_alloc(n, n), *O = gsl_matrix_alloc(n, d);
  nn_attention_forward(O, P, X, X, X, 1);
  lesson_matrix(L, "causal weights P (rows: the, cat, sat, on, the, mat)", P);
  show_weights(L, "causal-weights", "Causal attention: no weight on the future",
               P, sentence, 1);
  double future = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      future = GSL_MAX(future, gsl_matrix_get(P, i, j));
  lesson_printf(L, "largest |row sum − 1|: %s\n", lesson_num(L, row_sum_error(P)));
  lesson_printf(L, "largest weight on a future position: %s\n", lesson_num(L, future));

  /// Masking removes keys from the softmax and nothing else: row i of the
  /// masked weights is row i of the unmasked ones, cut after column i
  /// and divided by what is left, so that it sums to 1 again. The second
  /// "the" (row 4) now sees its twin at position 0 and itself, and shares
  /// its weight between them, as before; the first "the" sees only
  /// itself.
  LESSON_PROSE(L);
  lesson_try(L, "predict the weights of row 1 (\"cat\") from the unmasked row, then "
             "check them in the matrix above.");
  gsl_matrix_free(P);
  gsl_matrix_free(O);
}

/* ===== Helpers: the attention model ===== */

static attn_model *
attn_alloc(size_t T, size_t n_in, size_t d, size_t n_out, size_t max_batch,
           gsl_rng *rng)
{
  attn_model *m = calloc(1, sizeof *m);
  if (m == NULL)
    GSL_ERROR_NULL("attn_alloc: out of memory", GSL_ENOMEM);
  m->T = T;
  m->n_in = n_in;
  m->d = d;
  m->n_out = n_out;
  m->max_batch = max_batch;
  const size_t n = 3 * d * n_in + n_out * d + n_out, rows = max_batch * T;
  m->params = gsl_vector_alloc(n);
  m->grads = gsl_vector_calloc(n);
  double *w = m->params->data, *g = m->grads->data;
  m->Wq = gsl_matrix_view_array(w, d, n_in);
  m->Wk = gsl_matrix_view_array(w + d * n_in, d, n_in);
  m->Wv = gsl_matrix_view_array(w + 2 * d * n_in, d, n_in);
  m->Wo = gsl_matrix_view_array(w + 3 * d * n_in, n_out, d);
  m->bo = gsl_vector_view_array(w + 3 * d * n_in + n_out * d, n_out);
  m->dWq = gsl_matrix_view_array(g, d, n_in);
  m->dWk = gsl_matrix_view_array(g + d * n_in, d, n_in);
  m->dWv = gsl_matrix_view_array(g + 2 * d * n_in, d, n_in);
  m->dWo = gsl_matrix_view_array(g + 3 * d * n_in, n_out, d);
  m->dbo = gsl_vector_view_array(g + 3 * d * n_in + n_out * d, n_out);
  /* torch.nn.Linear's initialization: uniform in ±1/√(inputs) */
  for (size_t i = 0; i < 3 * d * n_in; i++)
    w[i] = gsl_ran_flat(rng, -1, 1) / sqrt((double) n_in);
  for (size_t i = 3 * d * n_in; i < n; i++)
    w[i] = gsl_ran_flat(rng, -1, 1) / sqrt((double) d);
  m->Q = gsl_matrix_alloc(rows, d);
  m->K = gsl_matrix_alloc(rows, d);
  m->Vs = gsl_matrix_alloc(rows, d);
  m->O = gsl_matrix_alloc(rows, d);
  m->P = gsl_matrix_alloc(rows, T);
  m->Z = gsl_matrix_alloc(rows, n_out);
  m->dZ = gsl_matrix_alloc(rows, n_out);
  m->dO = gsl_matrix_alloc(rows, d);
  m->dQ = gsl_matrix_alloc(rows, d);
  m->dK = gsl_matrix_alloc(rows, d);
  m->dV = gsl_matrix_alloc(rows, d);
  m->work = gsl_matrix_alloc(T, T);
  return m;
}

static void
attn_free(attn_model *m)
{
  if (m == NULL)
    return;
  gsl_vector_free(m->params);
  gsl_vector_free(m->grads);
  gsl_matrix *owned[] = {m->Q, m->K, m->Vs, m->O, m->P, m->Z, m->dZ, m->dO, m->dQ,
                         m->dK, m->dV, m->work};
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
    gsl_matrix_free(owned[i]);
  free(m);
}

/* Rows first .. first + n − 1 of M, all its columns: a batch's part of a
 * workspace sized for max_batch, or one sequence of it. */
static gsl_matrix_view
rows_of(gsl_matrix *M, size_t first, size_t n)
{
  return gsl_matrix_submatrix(M, first, 0, n, M->size2);
}

/* Z (B·T, V) = the scores of the symbols at every position of the B
 * sequences whose inputs are the rows of X (B·T, N_in). */
static void
attn_forward(attn_model *m, const gsl_matrix *X, size_t B)
{
  const size_t T = m->T, R = B * T;
  gsl_matrix_view Q = rows_of(m->Q, 0, R), K = rows_of(m->K, 0, R),
                  V = rows_of(m->Vs, 0, R), O = rows_of(m->O, 0, R),
                  Z = rows_of(m->Z, 0, R);
  /* every row at once: Q = X W_qᵀ, K = X W_kᵀ, V = X W_vᵀ */
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, X, &m->Wq.matrix, 0.0, &Q.matrix);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, X, &m->Wk.matrix, 0.0, &K.matrix);
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, X, &m->Wv.matrix, 0.0, &V.matrix);
  /* attention within each sequence */
  for (size_t b = 0; b < B; b++) {
    gsl_matrix_view Qb = rows_of(m->Q, b * T, T), Kb = rows_of(m->K, b * T, T),
                    Vb = rows_of(m->Vs, b * T, T), Ob = rows_of(m->O, b * T, T),
                    Pb = rows_of(m->P, b * T, T);
    nn_attention_forward(&Ob.matrix, &Pb.matrix, &Qb.matrix, &Kb.matrix, &Vb.matrix, 0);
  }
  /* Z = O W_oᵀ + b_o */
  for (size_t r = 0; r < R; r++) {
    gsl_vector_view z = gsl_matrix_row(&Z.matrix, r);
    gsl_vector_memcpy(&z.vector, &m->bo.vector);
  }
  gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &O.matrix, &m->Wo.matrix, 1.0, &Z.matrix);
  m->batch = B;
}

/* grads += ∂J/∂params, given m->dZ (the first B·T rows: ∂J/∂Z) and the X of
 * the last forward. */
static void
attn_backward(attn_model *m, const gsl_matrix *X)
{
  const size_t T = m->T, R = m->batch * T;
  gsl_matrix_view O = rows_of(m->O, 0, R), dZ = rows_of(m->dZ, 0, R),
                  dO = rows_of(m->dO, 0, R), dQ = rows_of(m->dQ, 0, R),
                  dK = rows_of(m->dK, 0, R), dV = rows_of(m->dV, 0, R);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &dZ.matrix, &O.matrix, 1.0,
                 &m->dWo.matrix);
  for (size_t r = 0; r < R; r++) {
    gsl_vector_view dz = gsl_matrix_row(&dZ.matrix, r);
    gsl_vector_add(&m->dbo.vector, &dz.vector);
  }
  gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &dZ.matrix, &m->Wo.matrix, 0.0,
                 &dO.matrix);
  for (size_t b = 0; b < m->batch; b++) {
    gsl_matrix_view Qb = rows_of(m->Q, b * T, T), Kb = rows_of(m->K, b * T, T),
                    Vb = rows_of(m->Vs, b * T, T), Pb = rows_of(m->P, b * T, T),
                    dOb = rows_of(m->dO, b * T, T), dQb = rows_of(m->dQ, b * T, T),
                    dKb = rows_of(m->dK, b * T, T), dVb = rows_of(m->dV, b * T, T);
    nn_attention_backward(&dQb.matrix, &dKb.matrix, &dVb.matrix, m->work, &dOb.matrix,
                          &Qb.matrix, &Kb.matrix, &Vb.matrix, &Pb.matrix);
  }
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &dQ.matrix, X, 1.0, &m->dWq.matrix);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &dK.matrix, X, 1.0, &m->dWk.matrix);
  gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &dV.matrix, X, 1.0, &m->dWv.matrix);
}

/* The mean cross-entropy of the last forward's scores against TARGETS
 * (B·T), and, when GRADIENT is not 0, its gradient into m->dZ. */
static double
attn_loss(attn_model *m, const size_t *targets, int gradient)
{
  const size_t R = m->batch * m->T;
  gsl_matrix_view Z = rows_of(m->Z, 0, R), dZ = rows_of(m->dZ, 0, R);
  double cost = 0;
  nn_loss_softmax_ce_labels(&cost, NULL, gradient ? &dZ.matrix : NULL, &Z.matrix,
                            targets);
  return cost;
}

/* ===== Helpers: the task ===== */

static batch *
batch_alloc(size_t B, size_t T, size_t d)
{
  batch *b = calloc(1, sizeof *b);
  if (b == NULL)
    GSL_ERROR_NULL("batch_alloc: out of memory", GSL_ENOMEM);
  b->B = B;
  b->T = T;
  b->symbols = malloc(B * T * sizeof *b->symbols);
  b->targets = malloc(B * T * sizeof *b->targets);
  b->rnn_targets = malloc(B * T * sizeof *b->rnn_targets);
  b->X_attn = gsl_matrix_calloc(B * T, VOCAB + d);
  b->X_rnn = gsl_matrix_calloc(2 * T * B, VOCAB + 1);
  if (b->symbols == NULL || b->targets == NULL || b->rnn_targets == NULL) {
    batch_free(b);
    GSL_ERROR_NULL("batch_alloc: out of memory", GSL_ENOMEM);
  }
  return b;
}

static void
batch_free(batch *b)
{
  if (b == NULL)
    return;
  free(b->symbols);
  free(b->targets);
  free(b->rnn_targets);
  gsl_matrix_free(b->X_attn);
  gsl_matrix_free(b->X_rnn);
  free(b);
}

/* Fresh random sequences, their targets, and both models' inputs. PE is
 * (T, d): the encodings of the positions. */
static void
batch_draw(batch *b, gsl_rng *rng, const gsl_matrix *PE)
{
  const size_t B = b->B, T = b->T;
  for (size_t i = 0; i < B * T; i++)
    b->symbols[i] = gsl_rng_uniform_int(rng, VOCAB);
  gsl_matrix_set_zero(b->X_attn);
  gsl_matrix_set_zero(b->X_rnn);
  for (size_t s = 0; s < B; s++)
    for (size_t t = 0; t < T; t++) {
      size_t source = task == 1 ? T - 1 - t : t;  /* where the answer is */
      size_t target = b->symbols[s * T + source];
      b->targets[s * T + t] = target;
      b->rnn_targets[t * B + s] = target;
      /* attention: one-hot symbol, then the position's encoding */
      gsl_matrix_set(b->X_attn, s * T + t, b->symbols[s * T + t], 1.0);
      gsl_vector_view pe = gsl_matrix_subrow(b->X_attn, s * T + t, VOCAB, PE->size2);
      gsl_vector_const_view row = gsl_matrix_const_row(PE, t);
      gsl_vector_memcpy(&pe.vector, &row.vector);
      /* the recurrent network: read at step t, write at step T + t */
      gsl_matrix_set(b->X_rnn, t * B + s, b->symbols[s * T + t], 1.0);
      gsl_matrix_set(b->X_rnn, (T + t) * B + s, VOCAB, 1.0);
    }
}

/* The share of right symbols and right sequences, from scores Z (B·T, V)
 * and the targets of the same rows: position t of sequence s is row
 * t·B + s when STEP_MAJOR (the LSTM's layout), else s·T + t. */
static void
count_right(score *sc, const gsl_matrix *Z, const size_t *targets, size_t B, size_t T,
            int step_major)
{
  size_t symbols = 0, sequences = 0;
  for (size_t s = 0; s < B; s++) {
    size_t right = 0;
    for (size_t t = 0; t < T; t++) {
      size_t r = step_major ? t * B + s : s * T + t;
      gsl_vector_const_view z = gsl_matrix_const_row(Z, r);
      right += gsl_vector_max_index(&z.vector) == targets[r];
    }
    symbols += right;
    sequences += right == T;
  }
  sc->symbols = (double) symbols / (double) (B * T);
  sc->sequences = (double) sequences / (double) B;
}

/* The attention model on the test set. */
static score
attn_score(attn_model *m, const batch *test)
{
  score sc;
  attn_forward(m, test->X_attn, test->B);
  sc.loss = attn_loss(m, test->targets, 0);
  gsl_matrix_view Z = rows_of(m->Z, 0, test->B * test->T);
  count_right(&sc, &Z.matrix, test->targets, test->B, test->T, 0);
  return sc;
}

/* The recurrent network: an LSTM over the 2T steps, with its output layer;
 * Y (2T·max_batch, V) and dY are its outputs and their gradients. */
typedef struct rnn_model {
  nn_rnn *rnn;                /* owned */
  gsl_vector *params, *grads; /* owned */
  gsl_matrix *Y, *dY;         /* owned */
} rnn_model;

/* The LSTM's mean cross-entropy over the T steps that write, after a
 * forward over batch BT, and its gradient into dY when GRADIENT. */
static double
rnn_forward_loss(rnn_model *r, const batch *bt, int gradient, score *sc)
{
  const size_t B = bt->B, T = bt->T;
  gsl_matrix_view Y = rows_of(r->Y, 0, 2 * T * B), dY = rows_of(r->dY, 0, 2 * T * B);
  nn_rnn_forward(r->rnn, &Y.matrix, bt->X_rnn, 2 * T, NULL, NULL);
  /* the steps that write are the last T: rows T·B .. 2T·B − 1 */
  gsl_matrix_view Yw = rows_of(r->Y, T * B, T * B), dYw = rows_of(r->dY, T * B, T * B);
  double cost = 0;
  if (gradient) {
    gsl_matrix_set_zero(&dY.matrix);  /* no loss on the steps that read */
    nn_loss_softmax_ce_labels(&cost, NULL, &dYw.matrix, &Yw.matrix, bt->rnn_targets);
  } else {
    nn_loss_softmax_ce_labels(&cost, NULL, NULL, &Yw.matrix, bt->rnn_targets);
  }
  if (sc != NULL) {
    sc->loss = cost;
    count_right(sc, &Yw.matrix, bt->rnn_targets, B, T, 1);
  }
  return cost;
}

/* ===== The gradient check of the attention model ===== */

typedef struct check_ctx {
  attn_model *m;
  const batch *bt;
} check_ctx;

/* J(θ): the model's loss on the check batch; θ is the model's own params. */
static double
check_loss(const gsl_vector *theta, void *params)
{
  (void) theta;
  check_ctx *c = params;
  attn_forward(c->m, c->bt->X_attn, c->bt->B);
  return attn_loss(c->m, c->bt->targets, 0);
}

/// ## 6. Attention against recurrence
///
/// Now a task. A sequence of T = `--length` symbols, each a digit 0 to 9
/// drawn at random, must be written back reversed (`--task reverse`, the
/// default) or as it is (`--task copy`). Two models learn it:
///
/// - **An LSTM** (lecture 12) reads the T symbols, one per step, then
///   gets T more steps whose only input says "write now", and writes one
///   symbol per step. It must carry the whole sequence in its state
///   across the gap: the bottleneck.
/// - **A tiny attention model** gets every position at once. Its input at
///   position t is the one-hot symbol next to the positional encoding of
///   t; three weight matrices W_q, W_k, W_v make queries, keys and values
///   of d = `--width` numbers from it, one attention layer mixes the
///   values, and a last layer W_o, b_o scores the 10 symbols at each
///   position. (Putting the encoding next to the symbol and multiplying by
///   W is the same as adding a learned embedding of the symbol to a
///   learned map of the encoding: the transformer's sum, with the
///   embedding folded into W.)
///
/// Both minimize the cross-entropy of the symbols they write, with Adam
/// (the gradient norm clipped at 5), for `--steps` steps of 32 fresh
/// random sequences each: the same budget of steps and data. Each gets
/// the learning rate that suits it: 0.01 for the attention model, 0.03
/// for the LSTM, which at 0.01 learns far slower. They are measured on
/// 200 sequences neither ever trains on.
///
/// The attention model is new code, so first its gradient, against
/// central differences of the loss, on a small model of the same code (T
/// = 5, d = 6, 3 sequences), every parameter, each block of them on its
/// own scale: once at the initial weights, where attention is spread
/// almost evenly, and once trained on the check batch, where it is sharp
/// and the path through the softmax carries its share of the gradient.
/// The worst of the ten errors is the verdict:

/* The largest attention weight of the last forward: near 1/T when the
 * attention is spread evenly, near 1 when it is sharp. */
static double
largest_weight(const attn_model *m)
{
  gsl_matrix_const_view P = gsl_matrix_const_submatrix(m->P, 0, 0, m->batch * m->T, m->T);
  return gsl_matrix_max(&P.matrix);
}

/* The check of one state of the model M on the batch of CTX: the gradient
 * of backward, central differences of the loss, and the relative error of
 * every block of parameters on its own scale into ERROR (5 entries), so
 * that a small block cannot hide behind a large one. */
#define CHECK_BLOCKS 5
static void
check_blocks(double *error, check_ctx *ctx, gsl_vector *numerical)
{
  attn_model *m = ctx->m;
  gsl_vector_set_zero(m->grads);
  attn_forward(m, ctx->bt->X_attn, ctx->bt->B);
  attn_loss(m, ctx->bt->targets, 1);
  attn_backward(m, ctx->bt->X_attn);
  nn_gradcheck_numerical(numerical, check_loss, ctx, m->params, NN_GRADCHECK_STEP);
  const size_t w = m->d * m->n_in,
               size[CHECK_BLOCKS] = {w, w, w, m->n_out * m->d, m->n_out};
  size_t first = 0;
  for (size_t b = 0; b < CHECK_BLOCKS; b++) {
    gsl_vector_const_view a = gsl_vector_const_subvector(m->grads, first, size[b]),
                          n = gsl_vector_const_subvector(numerical, first, size[b]);
    nn_gradcheck_relative_error(&error[b], NULL, &a.vector, &n.vector);
    first += size[b];
  }
}

/* The check: the analytic gradient of a small model against central
 * differences, every parameter, block by block; at the initial weights,
 * where attention is spread almost evenly and the path through the softmax
 * carries little gradient, and again after CHECK_STEPS steps of Adam on the
 * check batch, where attention is sharp. */
#define CHECK_STEPS 20
static void
gradient_check(lesson *L)
{
  enum { CT = 5, CD = 6, CB = 3 };
  gsl_matrix *PE = gsl_matrix_alloc(CT, CD);
  nn_attention_positional(PE);
  batch *bt = batch_alloc(CB, CT, CD);
  batch_draw(bt, L->rng, PE);
  attn_model *m = attn_alloc(CT, VOCAB + CD, CD, VOCAB, CB, L->rng);
  gsl_vector *numerical = gsl_vector_alloc(m->params->size);
  check_ctx ctx = {m, bt};
  double start[CHECK_BLOCKS], trained[CHECK_BLOCKS];
  check_blocks(start, &ctx, numerical);
  const double largest = fabs(m->grads->data[gsl_blas_idamax(m->grads)]),
               spread = largest_weight(m);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.lr = 0.05;  /* quick: the point is sharp attention, not a good model */
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_ADAM, m->params->size, &o);
  for (int s = 0; s < CHECK_STEPS; s++) {
    gsl_vector_set_zero(m->grads);
    attn_forward(m, bt->X_attn, CB);
    attn_loss(m, bt->targets, 1);
    attn_backward(m, bt->X_attn);
    nn_optim_step(opt, m->params, m->grads);
  }
  check_blocks(trained, &ctx, numerical);
  const double sharp = largest_weight(m);
  static const char *const names[CHECK_BLOCKS] = {"W_q", "W_k", "W_v", "W_o", "b_o"};
  const size_t w = m->d * m->n_in,
               size[CHECK_BLOCKS] = {w, w, w, m->n_out * m->d, m->n_out};
  lesson_printf(L, "parameters checked: %zu, largest |gradient|: %s\n", m->params->size,
                lesson_numf(L, largest, 6));
  lesson_printf(L, "largest attention weight: %s at the start, %s after %d steps on "
                "the check batch\n", lesson_numf(L, spread, 3), lesson_numf(L, sharp, 3),
                CHECK_STEPS);
  lesson_printf(L, "  block  entries  relative error: at the start  after %d steps\n",
                CHECK_STEPS);
  double error = 0;
  for (size_t b = 0; b < CHECK_BLOCKS; b++) {
    lesson_printf(L, "  %-6s %-8zu %-29s %s\n", names[b], size[b],
                  lesson_numf(L, start[b], 3), lesson_numf(L, trained[b], 3));
    error = fmax(error, fmax(start[b], trained[b]));
  }
  lesson_printf(L, "relative error of the gradient against central differences: %s %s\n",
                lesson_numf(L, error, 3),
                error < CHECK_PASSES ? "(the check passes)" : "(the check FAILS)");
  nn_optim_free(opt);
  gsl_vector_free(numerical);
  attn_free(m);
  batch_free(bt);
  gsl_matrix_free(PE);
}

/* The learning curves: the steps measured, and both models' scores there. */
typedef struct curve {
  size_t n;          /* points measured */
  double *step;      /* (CURVE_POINTS + 1) */
  score *attn, *rnn; /* (CURVE_POINTS + 1) */
} curve;

static void
print_score_row(lesson *L, size_t step, const score *a, const score *r)
{
  lesson_printf(L, "  %-6zu %-10s %-10s %-12s %-10s %-10s %s\n", step,
                lesson_numf(L, a->loss, 4), lesson_numf(L, a->symbols, 3),
                lesson_numf(L, a->sequences, 3), lesson_numf(L, r->loss, 4),
                lesson_numf(L, r->symbols, 3), lesson_numf(L, r->sequences, 3));
}

/* The share of symbols right at each position written, on the test set,
 * for both models, as a table. */
static void
per_position(lesson *L, attn_model *am, rnn_model *rm, const batch *test)
{
  const size_t T = test->T, B = test->B;
  size_t *right_a = calloc(T, sizeof *right_a), *right_r = calloc(T, sizeof *right_r);
  if (right_a == NULL || right_r == NULL)
    GSL_ERROR_VOID("per_position: out of memory", GSL_ENOMEM);
  attn_forward(am, test->X_attn, B);
  rnn_forward_loss(rm, test, 0, NULL);
  for (size_t s = 0; s < B; s++)
    for (size_t t = 0; t < T; t++) {
      gsl_vector_const_view za = gsl_matrix_const_row(am->Z, s * T + t);
      gsl_vector_const_view zr = gsl_matrix_const_row(rm->Y, (T + t) * B + s);
      right_a[t] += gsl_vector_max_index(&za.vector) == test->targets[s * T + t];
      right_r[t] += gsl_vector_max_index(&zr.vector) == test->targets[s * T + t];
    }
  lesson_printf(L, "%s", lesson_pad(L, "position written", 18));
  for (size_t t = 0; t < T; t++)
    lesson_printf(L, " %-5zu", t + 1);
  lesson_printf(L, "\n%s", lesson_pad(L, "steps back (LSTM)", 18));
  for (size_t t = 0; t < T; t++)
    lesson_printf(L, " %-5zu", task == 1 ? 2 * t + 1 : T);
  lesson_printf(L, "\n%s", lesson_pad(L, "LSTM", 18));
  for (size_t t = 0; t < T; t++)
    lesson_printf(L, " %-5s", lesson_numf(L, (double) right_r[t] / B, 2));
  lesson_printf(L, "\n%s", lesson_pad(L, "attention model", 18));
  for (size_t t = 0; t < T; t++)
    lesson_printf(L, " %-5s", lesson_numf(L, (double) right_a[t] / B, 2));
  lesson_printf(L, "\n");
  free(right_a);
  free(right_r);
}

static void
attention_against_recurrence(lesson *L)
{
  LESSON_PROSE(L);
  gradient_check(L);

  const size_t T = (size_t) length, d = (size_t) width, S = (size_t) steps;
  gsl_matrix *PE = gsl_matrix_alloc(T, d);
  nn_attention_positional(PE);
  batch *test = batch_alloc(TEST_N, T, d), *train = batch_alloc(BATCH, T, d);
  batch_draw(test, L->rng, PE);

  attn_model *am = attn_alloc(T, VOCAB + d, d, VOCAB, TEST_N, L->rng);
  rnn_model rm;
  size_t n_rnn = nn_rnn_n_params(NN_RNN_LSTM, VOCAB + 1, d, VOCAB);
  rm.params = gsl_vector_alloc(n_rnn);
  rm.grads = gsl_vector_calloc(n_rnn);
  rm.rnn = nn_rnn_alloc(NN_RNN_LSTM, VOCAB + 1, d, VOCAB, TEST_N, 2 * T, rm.params,
                        rm.grads);
  nn_rnn_init(rm.rnn, L->rng);
  rm.Y = gsl_matrix_alloc(2 * T * TEST_N, VOCAB);
  rm.dY = gsl_matrix_alloc(2 * T * TEST_N, VOCAB);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.lr = LR_ATTN;
  nn_optim *opt_a = nn_optim_alloc(NN_OPTIM_ADAM, am->params->size, &o);
  o.lr = LR_LSTM;
  nn_optim *opt_r = nn_optim_alloc(NN_OPTIM_ADAM, n_rnn, &o);

  lesson_printf(L, "\ntask: %s %zu symbols; parameters: attention model %zu, LSTM "
                "(H = d = %zu hidden units) %zu\n", task_names[task], T,
                am->params->size, d, n_rnn);
  lesson_printf(L, "Adam's rate: attention model %s, LSTM %s\n", lesson_num(L, LR_ATTN),
                lesson_num(L, LR_LSTM));
  lesson_printf(L, "chance: a symbol right with probability 1/10; a whole sequence, "
                "(1/10)^%zu\n", T);

  curve c = {0, NULL, NULL, NULL};
  c.step = malloc((CURVE_POINTS + 1) * sizeof *c.step);
  c.attn = malloc((CURVE_POINTS + 1) * sizeof *c.attn);
  c.rnn = malloc((CURVE_POINTS + 1) * sizeof *c.rnn);
  if (c.step == NULL || c.attn == NULL || c.rnn == NULL)
    GSL_ERROR_VOID("attention_against_recurrence: out of memory", GSL_ENOMEM);
  double train_attn = 0, train_rnn = 0;
  for (size_t s = 0; s <= S; s++) {
    /* measure at CURVE_POINTS + 1 steps spread over the run, 0 and S among them */
    if (c.n <= CURVE_POINTS && s == (c.n * S) / CURVE_POINTS) {
      c.step[c.n] = (double) s;
      c.attn[c.n] = attn_score(am, test);
      rnn_forward_loss(&rm, test, 0, &c.rnn[c.n]);
      c.n++;
      while (c.n <= CURVE_POINTS && (c.n * S) / CURVE_POINTS == s) {  /* S < 50 */
        c.step[c.n] = c.step[c.n - 1];
        c.attn[c.n] = c.attn[c.n - 1];
        c.rnn[c.n] = c.rnn[c.n - 1];
        c.n++;
      }
    }
    if (s == S)
      break;
    lesson_progress(L, "training", s, S);
    batch_draw(train, L->rng, PE);
    /* the attention model: one step */
    gsl_vector_set_zero(am->grads);
    attn_forward(am, train->X_attn, BATCH);
    train_attn = attn_loss(am, train->targets, 1);
    attn_backward(am, train->X_attn);
    nn_optim_clip_grad_norm(am->grads, CLIP, NULL);
    nn_optim_step(opt_a, am->params, am->grads);
    /* the LSTM: one step on the same sequences */
    gsl_vector_set_zero(rm.grads);
    train_rnn = rnn_forward_loss(&rm, train, 1, NULL);
    gsl_matrix_view dY = rows_of(rm.dY, 0, 2 * T * BATCH);
    nn_rnn_backward(rm.rnn, NULL, NULL, NULL, &dY.matrix, NULL);
    nn_optim_clip_grad_norm(rm.grads, CLIP, NULL);
    nn_optim_step(opt_r, rm.params, rm.grads);
  }
  lesson_progress(L, "training", S, S);

  lesson_printf(L, "\n         attention model                    LSTM\n");
  lesson_printf(L, "  step   loss       symbols    sequences    loss       symbols    "
                "sequences\n");
  size_t last_shown = (size_t) -1;
  for (size_t k = 0; k < c.n; k += CURVE_POINTS / 5) {
    print_score_row(L, (size_t) c.step[k], &c.attn[k], &c.rnn[k]);
    last_shown = k;
  }
  if (last_shown != c.n - 1)
    print_score_row(L, (size_t) c.step[c.n - 1], &c.attn[c.n - 1], &c.rnn[c.n - 1]);
  const score *fa = &c.attn[c.n - 1], *fr = &c.rnn[c.n - 1];
  lesson_printf(L, "last training batch's loss: attention model %s, LSTM %s\n",
                lesson_numf(L, train_attn, 4), lesson_numf(L, train_rnn, 4));
  lesson_printf(L, "after %zu steps, on the test set: attention model %s of the "
                "symbols right, LSTM %s\n", S, lesson_numf(L, fa->symbols, 3),
                lesson_numf(L, fr->symbols, 3));
  lesson_printf(L, "whole sequences right: attention model %s, LSTM %s\n",
                lesson_numf(L, fa->sequences, 3), lesson_numf(L, fr->sequences, 3));

  nn_plot *p = lesson_plot(L, "task-accuracy");
  char title[128];
  snprintf(title, sizeof title, "Symbols written right (test set), %s T = %zu",
           task_names[task], T);
  nn_plot_title(p, title);
  nn_plot_labels(p, "training step", "share of symbols right");
  nn_plot_set(p, "yrange [0:1.05]");
  double *ya = malloc(c.n * sizeof *ya), *yr = malloc(c.n * sizeof *yr);
  for (size_t k = 0; k < c.n; k++) {
    ya[k] = c.attn[k].symbols;
    yr[k] = c.rnn[k].symbols;
  }
  nn_plot_series(p, "attention model", c.step, ya, c.n, "lines lw 2");
  nn_plot_series(p, "LSTM", c.step, yr, c.n, "lines lw 2");
  double cx[2] = {0, (double) S}, cy[2] = {0.1, 0.1};
  nn_plot_series(p, "chance, 1/10", cx, cy, 2, "lines dt 2 lc rgb '#808080'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  p = lesson_plot(L, "task-loss");
  snprintf(title, sizeof title, "Cross-entropy per symbol (test set), %s T = %zu",
           task_names[task], T);
  nn_plot_title(p, title);
  nn_plot_labels(p, "training step", "cross-entropy (nats)");
  for (size_t k = 0; k < c.n; k++) {
    ya[k] = c.attn[k].loss;
    yr[k] = c.rnn[k].loss;
  }
  nn_plot_series(p, "attention model", c.step, ya, c.n, "lines lw 2");
  nn_plot_series(p, "LSTM", c.step, yr, c.n, "lines lw 2");
  cy[0] = cy[1] = log(VOCAB);
  nn_plot_series(p, "chance, ln 10", cx, cy, 2, "lines dt 2 lc rgb '#808080'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(ya);
  free(yr);

  /// The attention model gets every symbol of the test sequences right
  /// within the first hundred or so steps. The LSTM, with the same steps,
  /// the same sequences and more parameters, ends far below: it has
  /// learned something (it is well above chance), but not to carry a
  /// whole sequence through its state. It is not that it cannot: with ten times
  /// the steps it gets most symbols right, yet still few whole sequences.
  LESSON_PROSE(L);
  lesson_try(L, "predict both accuracies after ten times the steps, then run "
             "`make lecture13 ARGS='--steps 3000'` (ten times as long).");

  /// Where does the LSTM go wrong? The share of symbols right at each
  /// position it writes, on the test set, next to the attention model's.
  /// When reversing, the first symbol written is the last one read, one
  /// step back; the last symbol written is the first one read, 2T − 1
  /// steps back. When copying, every symbol is T steps back.
  LESSON_PROSE(L);
  per_position(L, am, &rm, test);

  /// What did the attention model learn? Its weights for the first test
  /// sequence, and how much weight each position puts, on average over
  /// the test set, on the position that holds its answer (T − 1 − i when
  /// reversing, i when copying):
  LESSON_PROSE(L);
  attn_forward(am, test->X_attn, TEST_N);
  double on_answer = 0;
  for (size_t s = 0; s < TEST_N; s++)
    for (size_t i = 0; i < T; i++)
      on_answer += gsl_matrix_get(am->P, s * T + i, task == 1 ? T - 1 - i : i)
                   / (double) (TEST_N * T);
  lesson_printf(L, "first test sequence: ");
  for (size_t t = 0; t < T; t++)
    lesson_printf(L, "%zu", test->symbols[t]);
  lesson_printf(L, ", the model writes: ");
  for (size_t t = 0; t < T; t++) {
    gsl_vector_const_view z = gsl_matrix_const_row(am->Z, t);
    lesson_printf(L, "%zu", gsl_vector_max_index(&z.vector));
  }
  lesson_printf(L, "\nmean weight on the answer's position: %s\n",
                lesson_numf(L, on_answer, 3));
  gsl_matrix_view P0 = rows_of(am->P, 0, T);
  snprintf(title, sizeof title, "Learned attention weights (%s), first test sequence",
           task_names[task]);
  show_weights(L, "learned-attention", title, &P0.matrix, NULL, 0);

  /// An anti-diagonal when reversing: position i looks at position
  /// T − 1 − i, the one that holds its answer, and takes that symbol
  /// through the value. Nobody told the model where to look; it found the
  /// place from the positional encodings alone, since a symbol says
  /// nothing about where it belongs. The weights are not quite one-hot
  /// (a little leaks to the neighbours), but the read-out needs only the
  /// largest share. Copying gives the diagonal instead.
  LESSON_PROSE(L);
  lesson_try(L, "predict the pattern for copying, then run `make lecture13 "
             "ARGS='--task copy'`.");

  nn_optim_free(opt_a);
  nn_optim_free(opt_r);
  attn_free(am);
  nn_rnn_free(rm.rnn);
  gsl_vector_free(rm.params);
  gsl_vector_free(rm.grads);
  gsl_matrix_free(rm.Y);
  gsl_matrix_free(rm.dY);
  free(c.step);
  free(c.attn);
  free(c.rnn);
  batch_free(test);
  batch_free(train);
  gsl_matrix_free(PE);
}

/// ## What to remember
///
/// - Recurrence carries a sequence in one state, step after step: a
///   bottleneck, no parallelism over steps, and a long path (for values
///   and gradients) between distant positions.
/// - Attention is a soft look-up: scores q · k_j / √d_k, a softmax over
///   the keys, a weighted mix of the values. Each row of weights sums to
///   1. A(Q, K, V) = softmax(QKᵀ/√d_k) V does every position at once.
/// - √d_k keeps the scores' variance near 1 whatever the width, so the
///   softmax does not saturate.
/// - Attention alone sees a bag of words: positional encodings (sinusoids
///   of many frequencies) give it the order.
/// - The causal mask sets the scores of future keys to −∞: their weights
///   are exactly 0, and the rest of the row is renormalized.
///
/// A transformer stacks this: several heads side by side, each with its
/// own W_q, W_k, W_v, then a small MLP at each position, with skip
/// connections and normalization around both (lecture 10), many layers
/// deep.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "Q is (5, 8) and K is (7, 8). What is the shape of the weights P, and "
                   "what does each row sum to?",
                   "Why does the softmax of QKᵀ/√d_k stay soft for wide vectors when that "
                   "of QKᵀ does not?",
                   "With the causal mask, what weight does position 0 put on itself, and "
                   "why is a mask needed to predict the next word?");
}
