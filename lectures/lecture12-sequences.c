/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 12: Sequences: RNNs and LSTMs
///
/// Every network so far read one fixed-size input and gave one output. Text,
/// speech, music, prices and sensor readings come as **sequences**: one item
/// after another, as many as there are, where what came before changes what
/// comes next. A **recurrent network** reads a sequence one step at a time
/// and carries a **hidden state** from each step to the next: a memory of
/// what it has read so far. This lecture:
///
/// - names the kinds of sequence task;
/// - writes the recurrence of the Elman RNN, checks the library against it,
///   and draws the network **unrolled** over the steps;
/// - turns a small text, eleven of Shakespeare's sonnets, into a
///   vocabulary, indices and **one-hot** vectors;
/// - trains an RNN to predict the next character, with backpropagation
///   through time (**BPTT**, truncated), Adam and gradient clipping, and
///   samples text from it before and after training;
/// - measures how the gradient **vanishes** or **explodes** as it goes back
///   through the steps, and what clipping does about it;
/// - opens the **LSTM** and watches its gates on a line of verse.
///
/// The weights, the batches and the sampled text are drawn from the seed
/// (`--seed`).

/* lecture12-sequences.c: lecture 12 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture12-sequences.prose.h"

/* The text the lecture learns from when --text is not given: a file of the
 * source tree (lectures/data/sonnets.txt), whose path the build passes in. */
#ifndef LECTURE12_TEXT
#define LECTURE12_TEXT "lectures/data/sonnets.txt"
#endif

/* ===== Knobs ===== */

static int steps = 200;           /* --steps: training steps (one batch each) */
static int hidden = 32;           /* --hidden: H, hidden units of the cells */
static int cell = 0;              /* --cell: 0 the Elman RNN, 1 the LSTM */
static double lr = 0.02;          /* --lr: Adam's learning rate */
static int length = 16;           /* --length: T, steps of a truncated BPTT chunk */
static double clip = 5.0;         /* --clip: the largest gradient norm let through */
static double temperature = 0.7;  /* --temperature: τ of the sampling */
static int chars = 240;           /* --chars: characters sampled */
static const char *text_path = NULL;  /* --text: the text (NULL: the sonnets) */

static const lesson_option options[] = {
  {"steps", LESSON_INT, &steps, "training steps, one batch of chunks each", .min = 1,
   .max = 1000000},
  {"hidden", LESSON_INT, &hidden, "hidden units of the recurrent cells", .min = 2,
   .max = 512},
  {"cell", LESSON_CHOICE, &cell, "the cell trained first and sampled from",
   .choices = "rnn|lstm"},
  {"lr", LESSON_DOUBLE, &lr, "Adam's learning rate", .min = 1e-6, .max = 1},
  {"length", LESSON_INT, &length,
   "characters per chunk of truncated backpropagation through time", .min = 2,
   .max = 500},
  {"clip", LESSON_DOUBLE, &clip, "the largest gradient norm clipping lets through",
   .min = 1e-3, .max = 1e6},
  {"temperature", LESSON_DOUBLE, &temperature,
   "τ of the sampling: below 1 safer, above 1 wilder", .min = 0.05, .max = 10},
  {"chars", LESSON_INT, &chars, "characters sampled before and after training",
   .min = 1, .max = 100000},
  {"text", LESSON_STRING, &text_path,
   "a plain-ASCII text to learn instead of the sonnets (lectures/data/sonnets.txt)",
   .choices = NULL},
  {0}
};

/* Chunks of the text trained on at once: B streams, each its own part of the
 * text (see section 4). */
#define BATCH 16

/* The small RNN of section 2: N_in inputs, H hidden units, N_out outputs,
 * over T steps; and the steps of the unrolled drawing. */
#define DEMO_IN 2
#define DEMO_HIDDEN 3
#define DEMO_OUT 2
#define DEMO_STEPS 4
#define GRAPH_STEPS 4

/* Section 5: a cell of GRAD_HIDDEN units over GRAD_STEPS steps, with
 * W_hh = a·Q (Q orthogonal) for each scale a of GRAD_SCALES; its inputs are
 * GRAD_IN numbers per step, drawn from N(0, GRAD_INPUT²). */
#define GRAD_HIDDEN 32
#define GRAD_IN 4
#define GRAD_STEPS 40
#define GRAD_INPUT 0.1
static const double GRAD_SCALES[] = {0.5, 1.0, 1.5};
#define N_GRAD_SCALES (sizeof GRAD_SCALES / sizeof GRAD_SCALES[0])

/* Section 6: characters of verse the LSTM's gates are shown on. */
#define GATE_CHARS 41

/* Characters of a sampled line printed on one line of the terminal. */
#define SAMPLE_WIDTH 72

/* The largest vocabulary: the newline and the 95 printable ASCII characters. */
#define MAX_VOCAB 96

/* ===== The text =====
 *
 * The text as bytes, its vocabulary (the distinct bytes, sorted) and every
 * byte as its index in the vocabulary. */
typedef struct text {
  const char *path;     /* where it was read from */
  char *bytes;          /* (n + 1), owned, NUL-terminated */
  size_t n;             /* its length in characters */
  char vocab[MAX_VOCAB];/* the distinct characters, in byte order */
  size_t V;             /* how many */
  int index_of[256];    /* the index of byte c in vocab; −1 when absent */
  size_t *ids;          /* (n), owned: ids[p] = index_of[bytes[p]] */
} text;

/* A recurrent model of the text: a cell (Elman or LSTM) with an output
 * layer of V scores per step, its parameters in one buffer, and Adam. */
typedef struct model {
  nn_rnn_kind kind;
  gsl_vector *params, *grads;  /* owned: the single buffer and its twin */
  nn_rnn *rnn;                 /* owned: for chunks of BATCH × length */
  nn_optim *opt;               /* owned: Adam over params */
  gsl_matrix *X, *Y, *dY;      /* owned: (T·B, V) one-hot inputs, scores, ∂J/∂scores */
  size_t *labels;              /* (T·B), owned: the next characters */
  gsl_matrix *h0, *c0;         /* (B, H), owned: the state carried between chunks */
  double *loss;                /* (steps), owned: the loss of every step */
  double *norm;                /* (steps), owned: ‖g‖ before clipping, every step */
  size_t clipped;              /* steps whose gradient clipping scaled down */
} model;

static void text_load(lesson *L, text *t, const char *path);
static void text_free(text *t);
static model *model_alloc(lesson *L, nn_rnn_kind kind, const text *t);
static void model_free(model *m);
static void model_train(lesson *L, model *m, const text *t);
static void model_sample(lesson *L, const model *m, const text *t, const char *when);

static void sequence_tasks(lesson *L);
static void recurrence(lesson *L);
static void characters(lesson *L, const text *t);
static model *next_character(lesson *L, const text *t);
static void vanishing_and_exploding(lesson *L);
static void lstm(lesson *L, const text *t, model *first);
static void closing(lesson *L);

int
main(int argc, char **argv)
{
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 12, .title = "Sequences: RNNs and LSTMs",
      .options = options, .prose = &lecture_prose});
  text t;
  text_load(L, &t, text_path != NULL ? text_path : LECTURE12_TEXT);
  t.path = text_path != NULL ? text_path : "lectures/data/sonnets.txt";
  LESSON_PROSE(L);

  sequence_tasks(L);
  recurrence(L);
  characters(L, &t);
  model *first = next_character(L, &t);
  vanishing_and_exploding(L);
  lstm(L, &t, first);
  closing(L);

  model_free(first);
  text_free(&t);
  return lesson_finish(L);
}

/// ## 1. Sequence tasks
///
/// Draw each task as boxes: inputs below, outputs above, one column per
/// step. Four shapes cover most of what is done with sequences:
///
/// - **one-to-one**: one input, one output, no sequence at all: the image
///   classifier of lecture 11.
/// - **many-to-one**: read a whole sequence, give one answer at the end:
///   is this review positive? which speaker is this?
/// - **one-to-many**: one input, a sequence out: a caption for an image,
///   a melody from a first note.
/// - **many-to-many**: a sequence in, a sequence out. Either step by step
///   (a tag for every word; the next character after every character,
///   which is what we train here), or read first and then write
///   (translation, where the two sequences have different lengths).
///
/// A recurrent network handles all four with one idea: a state that is
/// passed from each step to the next.

static void
sequence_tasks(lesson *L)
{
  LESSON_PROSE(L);
  lesson_printf(L, "  one-to-one     x → y                    classify an image\n");
  lesson_printf(L, "  many-to-one    x₁ x₂ … x_T → y          the mood of a sentence\n");
  lesson_printf(L, "  one-to-many    x → y₁ y₂ … y_T          a caption for a picture\n");
  lesson_printf(L, "  many-to-many   x₁ … x_T → y₁ … y_T      the next character, at "
                "every step\n");
}

/// ## 2. The recurrence
///
/// An Elman RNN keeps a hidden state h_t of H numbers. At every step t it
/// mixes the new input x_t into the state it had, and reads an output off
/// the new state:
///
///     h_t = tanh(W_hh h_(t−1) + W_xh x_t + b_h)
///     y_t = W_hy h_t + b_y
///
/// with h_0 = 0. The weights W_xh (H × N_in), W_hh (H × H), W_hy
/// (N_out × H) and the biases are **the same at every step**: a sequence
/// of 4 or of 4000 steps uses the same few parameters, and what the
/// network learns at one position it knows at every other.
///
/// Below, a tiny RNN (N_in = 2, H = 3, N_out = 2) with random weights reads
/// a random sequence of 4 steps. The library (nn/rnn.h) runs it on the
/// whole sequence; the loop here applies the formula step by step. They
/// must agree.

/* One step of the formula, written out: h = tanh(W_hh h_prev + W_xh x + b_h). */
static void
elman_step(gsl_vector *h, const nn_rnn *rnn, const gsl_vector *h_prev,
           const gsl_vector *x)
{
  gsl_vector_memcpy(h, &rnn->b_h.vector);
  gsl_blas_dgemv(CblasNoTrans, 1.0, &rnn->W_hh.matrix, h_prev, 1.0, h);
  gsl_blas_dgemv(CblasNoTrans, 1.0, &rnn->W_xh.matrix, x, 1.0, h);
  for (size_t i = 0; i < h->size; i++)
    gsl_vector_set(h, i, tanh(gsl_vector_get(h, i)));
}

/* The unrolled RNN of STEPS steps as a Graphviz diagram: one column per
 * step, x_t below, h_t in the middle, y_t above. */
static void
unrolled_graph(lesson *L, size_t n_steps)
{
  nn_graph *g = lesson_graph(L, "unrolled-rnn");
  nn_graph_attr(g, "label", "An RNN unrolled over 4 steps: the same W_xh, W_hh and "
                "W_hy at every step");
  nn_graph_attr(g, "rankdir", "BT");
  nn_graph_attr(g, "ranksep", "0.6");
  /* three rows, bottom to top: the inputs, the states, the outputs */
  nn_graph_style in = {.shape = "box", .fillcolor = "#dbe9f6", .rank = 0, .has_rank = 1};
  nn_graph_style state = {.shape = "circle", .fillcolor = "#fde9c9", .rank = 1,
                          .has_rank = 1};
  nn_graph_style out = {.shape = "box", .fillcolor = "#d9f0d3", .rank = 2, .has_rank = 1};
  nn_graph_style start = {.shape = "circle", .color = "#999999", .fontcolor = "#666666",
                          .rank = 1, .has_rank = 1};
  nn_graph_style recur = {.color = "#d55e00", .fontcolor = "#d55e00", .penwidth = 2};
  nn_graph_node(g, "h0", "h₀ = 0", &start);
  char id[16], prev[16], label[32], xid[16], yid[16];
  for (size_t t = 1; t <= n_steps; t++) {
    snprintf(xid, sizeof xid, "x%zu", t);
    snprintf(label, sizeof label, "x_%zu", t);
    nn_graph_node(g, xid, label, &in);
    snprintf(id, sizeof id, "h%zu", t);
    snprintf(label, sizeof label, "h_%zu", t);
    nn_graph_node(g, id, label, &state);
    snprintf(yid, sizeof yid, "y%zu", t);
    snprintf(label, sizeof label, "y_%zu", t);
    nn_graph_node(g, yid, label, &out);
  }
  for (size_t t = 1; t <= n_steps; t++) {
    snprintf(prev, sizeof prev, "h%zu", t - 1);
    snprintf(id, sizeof id, "h%zu", t);
    snprintf(xid, sizeof xid, "x%zu", t);
    snprintf(yid, sizeof yid, "y%zu", t);
    nn_graph_edge(g, xid, id, "W_xh", NULL);
    nn_graph_edge(g, prev, id, "W_hh", &recur);
    nn_graph_edge(g, id, yid, "W_hy", NULL);
  }
  lesson_show_graph(L, g);
  nn_graph_free(g);

  /* the same picture in the terminal */
  lesson_printf(L, "\n      ");
  for (size_t t = 1; t <= n_steps; t++)
    lesson_printf(L, "      y_%zu", t);
  lesson_printf(L, "\n      ");
  for (size_t t = 1; t <= n_steps; t++)
    lesson_printf(L, "       ↑ ");
  lesson_printf(L, "   W_hy\n  h₀ ");
  for (size_t t = 1; t <= n_steps; t++)
    lesson_printf(L, " ──→ h_%zu", t);
  lesson_printf(L, "      W_hh (each ──→)\n      ");
  for (size_t t = 1; t <= n_steps; t++)
    lesson_printf(L, "       ↑ ");
  lesson_printf(L, "   W_xh\n      ");
  for (size_t t = 1; t <= n_steps; t++)
    lesson_printf(L, "      x_%zu", t);
  lesson_printf(L, "\n\n");
}

static void
recurrence(lesson *L)
{
  LESSON_PROSE(L);
  const size_t n = nn_rnn_n_params(NN_RNN_ELMAN, DEMO_IN, DEMO_HIDDEN, DEMO_OUT);
  gsl_vector *params = gsl_vector_calloc(n), *grads = gsl_vector_calloc(n);
  nn_rnn *rnn = nn_rnn_alloc(NN_RNN_ELMAN, DEMO_IN, DEMO_HIDDEN, DEMO_OUT, 1, DEMO_STEPS,
                             params, grads);
  nn_rnn_init(rnn, L->rng);
  gsl_matrix *X = gsl_matrix_alloc(DEMO_STEPS, DEMO_IN);
  gsl_matrix *Y = gsl_matrix_alloc(DEMO_STEPS, DEMO_OUT);
  for (size_t k = 0; k < DEMO_STEPS * DEMO_IN; k++)
    X->data[k] = gsl_ran_gaussian(L->rng, 1.0);  /* X is contiguous */
  nn_rnn_forward(rnn, Y, X, DEMO_STEPS, NULL, NULL);

  lesson_printf(L, "parameters: W_xh %d×%d, W_hh %d×%d, b_h %d, W_hy %d×%d, b_y %d:\n"
                "  %zu in all, for any number of steps\n", DEMO_HIDDEN, DEMO_IN,
                DEMO_HIDDEN, DEMO_HIDDEN, DEMO_HIDDEN, DEMO_OUT, DEMO_HIDDEN, DEMO_OUT, n);
  lesson_matrix(L, "W_hh", &rnn->W_hh.matrix);
  gsl_vector *h = gsl_vector_calloc(DEMO_HIDDEN), *prev = gsl_vector_calloc(DEMO_HIDDEN);
  gsl_vector *y = gsl_vector_alloc(DEMO_OUT);
  double worst = 0;
  for (size_t t = 1; t <= DEMO_STEPS; t++) {
    gsl_vector_const_view x = gsl_matrix_const_row(X, t - 1);
    elman_step(h, rnn, prev, &x.vector);
    gsl_matrix_const_view lib = nn_rnn_hidden(rnn, t);
    gsl_vector_memcpy(y, &rnn->b_y.vector);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &rnn->W_hy.matrix, h, 1.0, y);
    char name[32];
    snprintf(name, sizeof name, "step %zu: x_%zu", t, t);
    lesson_vector(L, name, &x.vector);
    snprintf(name, sizeof name, "        h_%zu", t);
    lesson_vector(L, name, h);
    snprintf(name, sizeof name, "        y_%zu", t);
    lesson_vector(L, name, y);
    for (size_t i = 0; i < DEMO_HIDDEN; i++)
      worst = fmax(worst, fabs(gsl_matrix_get(&lib.matrix, 0, i) - gsl_vector_get(h, i)));
    for (size_t j = 0; j < DEMO_OUT; j++)
      worst = fmax(worst, fabs(gsl_matrix_get(Y, t - 1, j) - gsl_vector_get(y, j)));
    gsl_vector_memcpy(prev, h);
  }
  lesson_printf(L, "largest difference between the library's h_t, y_t and the formula's: "
                "%s\n", lesson_num(L, worst));

  /// Written out step by step, the network is a deep network of T layers
  /// that all share their weights: this is the **unrolled** graph. Each
  /// arrow labelled W_hh carries the state forward; the gradient will
  /// travel the same arrows backwards (section 5).
  LESSON_PROSE(L);
  lesson_printf(L, "The RNN unrolled over %d steps (figure unrolled-rnn):\n", GRAPH_STEPS);
  unrolled_graph(L, GRAPH_STEPS);
  gsl_vector_free(h);
  gsl_vector_free(prev);
  gsl_vector_free(y);
  gsl_matrix_free(X);
  gsl_matrix_free(Y);
  nn_rnn_free(rnn);
  gsl_vector_free(params);
  gsl_vector_free(grads);
}

/// ## 3. Characters as vectors
///
/// The task: read a text character by character and, after each one,
/// predict the next. The text is eleven of Shakespeare's sonnets (1609,
/// in the public domain; `--text FILE` takes another plain-ASCII text).
/// A network reads numbers, so the text is encoded in three steps:
///
/// 1. the **vocabulary**: the distinct characters of the text, sorted,
///    V of them;
/// 2. the **index** of every character: its position in the vocabulary;
/// 3. the **one-hot** vector of index k: V numbers, all 0 but a 1 at
///    position k. It is the input x_t; W_xh x_t is then simply column k of
///    W_xh, an **embedding** of the character that training learns.
///
/// The output y_t holds V scores, one per character: softmax turns them
/// into the probabilities of the next character, and the loss is the
/// cross-entropy −ln p(next character), as for the classes of lecture 11.
/// A model that knows nothing gives every character 1/V: its loss is
/// ln V, the **uniform guess**, which training must beat.

/* A character as it can be read in a table: space and newline spelled out. */
static const char *
shown(char c)
{
  static char buf[4][8];
  static unsigned next;
  char *b = buf[next++ % 4];
  if (c == '\n')
    return "\\n";
  if (c == ' ')
    return "␣";
  b[0] = c;
  b[1] = '\0';
  return b;
}

/* −Σ p_c ln p_c over the characters' shares p_c of the text: the loss of
 * the best model that knows only how often each character occurs. */
static double
unigram_entropy(const text *t)
{
  size_t count[MAX_VOCAB] = {0};
  for (size_t p = 0; p < t->n; p++)
    count[t->ids[p]]++;
  double H = 0;
  for (size_t k = 0; k < t->V; k++) {
    double p = (double) count[k] / (double) t->n;
    if (p > 0)
      H -= p * log(p);
  }
  return H;
}

static void
characters(lesson *L, const text *t)
{
  LESSON_PROSE(L);
  lesson_printf(L, "text: %s, %zu characters\n", t->path, t->n);
  lesson_printf(L, "vocabulary: V = %zu characters\n", t->V);
  for (size_t k = 0; k < t->V; k++)
    lesson_printf(L, "%s%2zu %s%s", k % 10 == 0 ? "  " : " ", k,
                  lesson_pad(L, shown(t->vocab[k]), 3),
                  k % 10 == 9 || k + 1 == t->V ? "\n" : "");
  const size_t first = GSL_MIN(t->n, 24);
  lesson_printf(L, "the first %zu characters: \"", first);
  for (size_t p = 0; p < first; p++)
    lesson_printf(L, "%s", t->bytes[p] == '\n' ? "\\n" : shown(t->bytes[p]));
  lesson_printf(L, "\"\nas indices: ");
  for (size_t p = 0; p < first; p++)
    lesson_printf(L, "%zu%s", t->ids[p], p + 1 < first ? " " : "\n");
  lesson_printf(L, "one-hot vectors (V = %zu entries each) of the first 5:\n", t->V);
  for (size_t p = 0; p < GSL_MIN(first, 5); p++) {
    lesson_printf(L, "  %-3s %2zu  ", lesson_pad(L, shown(t->bytes[p]), 3), t->ids[p]);
    for (size_t k = 0; k < t->V; k++)
      lesson_printf(L, "%c", k == t->ids[p] ? '1' : '0');
    lesson_printf(L, "\n");
  }
  lesson_printf(L, "the uniform guess, ln V = ln %zu = %s per character\n", t->V,
                lesson_num(L, log((double) t->V)));
  lesson_printf(L, "character frequencies only: −Σ p ln p = %s per character\n", lesson_num(L, unigram_entropy(t)));
}

/// ## 4. Next-character prediction, trained through time
///
/// **Backpropagation through time (BPTT)** is backpropagation on the
/// unrolled graph: the loss of step t depends on W_hh through h_t, h_(t−1),
/// … back to the start, so the gradient runs back along every W_hh arrow
/// and the contributions of all steps are added into one gradient for the
/// shared weights (nn/rnn.h writes the pass out).
///
/// A text of thousands of characters is too long to unroll whole.
/// **Truncated BPTT** cuts it into chunks of T = `--length` characters.
/// The state flows on from one chunk to the next (the last h_T is the next
/// h_0), but the gradient stops at the chunk's start: the network can
/// carry information further than T steps, but it learns from at most T.
/// Here the text is split into 16 **streams**, one per row of the batch,
/// each its own stretch of the text, and every training step takes the
/// next chunk of each stream: a batch of 16 × T characters. The loss is
/// the mean cross-entropy over them; the gradient is clipped to norm
/// `--clip` (see section 5), and Adam takes the step.
///
/// First, what the untrained network writes. To **sample**, feed a
/// character, turn the scores into probabilities with a **temperature** τ,
/// p ∝ exp(y/τ), draw the next character from them, and feed it back in.
/// τ < 1 sharpens the distribution towards the likeliest characters,
/// τ > 1 flattens it.

/* Sample `chars` characters from the model, starting after the text's first
 * character, and print them, each line of the sample marked "  | "; a line
 * longer than SAMPLE_WIDTH goes on in lines marked "  : ". */
static void
model_sample(lesson *L, const model *m, const text *t, const char *when)
{
  const size_t V = t->V, H = (size_t) hidden, n = m->params->size;
  gsl_vector *grads = gsl_vector_calloc(n);  /* never used: sampling has no backward */
  nn_rnn *one = nn_rnn_alloc(m->kind, V, H, V, 1, 1, m->params, grads);
  gsl_matrix *x = gsl_matrix_calloc(1, V), *y = gsl_matrix_alloc(1, V);
  gsl_matrix *h = gsl_matrix_calloc(1, H), *c = gsl_matrix_calloc(1, H);
  gsl_vector *z = gsl_vector_alloc(V), *p = gsl_vector_alloc(V);
  size_t k = t->ids[0], column = t->vocab[k] == '\n' ? 0 : 1;
  lesson_printf(L, "%s (τ = %s, starting from \"%s\"):\n  | ", when,
                lesson_num(L, temperature), shown(t->vocab[k]));
  if (t->vocab[k] == '\n')
    lesson_printf(L, "\n  | ");
  else
    lesson_printf(L, "%c", t->vocab[k]);
  for (int s = 0; s < chars; s++) {
    gsl_matrix_set_zero(x);
    gsl_matrix_set(x, 0, k, 1.0);
    nn_rnn_forward(one, y, x, 1, h, m->kind == NN_RNN_LSTM ? c : NULL);
    gsl_matrix_const_view h1 = nn_rnn_hidden(one, 1);
    gsl_matrix_memcpy(h, &h1.matrix);
    if (m->kind == NN_RNN_LSTM) {
      gsl_matrix_const_view c1 = nn_rnn_cell(one, 1);
      gsl_matrix_memcpy(c, &c1.matrix);
    }
    for (size_t j = 0; j < V; j++)
      gsl_vector_set(z, j, gsl_matrix_get(y, 0, j) / temperature);
    nn_softmax_vector(p, z);
    double u = gsl_rng_uniform(L->rng), cum = 0;
    k = V - 1;  /* where rounding leaves the sum of p a hair below u */
    for (size_t j = 0; j < V; j++) {
      cum += gsl_vector_get(p, j);
      if (u < cum) {
        k = j;
        break;
      }
    }
    char ch = t->vocab[k];
    if (ch == '\n') {
      lesson_printf(L, "\n  | ");
      column = 0;
    } else {
      if (column == SAMPLE_WIDTH) {  /* a line too long for the screen goes on */
        lesson_printf(L, "\n  : ");
        column = 0;
      }
      lesson_printf(L, "%c", ch);
      column++;
    }
  }
  lesson_printf(L, "\n\n");
  gsl_vector_free(z);
  gsl_vector_free(p);
  gsl_matrix_free(x);
  gsl_matrix_free(y);
  gsl_matrix_free(h);
  gsl_matrix_free(c);
  nn_rnn_free(one);
  gsl_vector_free(grads);
}

/* The mean of the N numbers of v from index FIRST. */
static double
mean_of(const double *v, size_t first, size_t n)
{
  double s = 0;
  for (size_t k = first; k < first + n; k++)
    s += v[k];
  return s / (double) n;
}

/* The cell as the lesson names it: "RNN (Elman)" or "LSTM". */
static const char *
cell_name(nn_rnn_kind kind)
{
  return kind == NN_RNN_LSTM ? "LSTM" : "RNN (Elman)";
}

/* The loss curve of model M. */
static void
loss_series(nn_plot *p, const model *m, const char *legend, const char *style,
            const double *x)
{
  nn_plot_series(p, legend, x, m->loss, (size_t) steps, style);
}

static double *
step_axis(void)
{
  double *x = malloc((size_t) steps * sizeof *x);
  if (x == NULL)
    GSL_ERROR_NULL("step_axis: out of memory", GSL_ENOMEM);
  for (int s = 0; s < steps; s++)
    x[s] = s + 1;
  return x;
}

/* The figure NAME: the loss curves of M1 (and M2 when not NULL), ln V and
 * the unigram entropy. */
static void
loss_figure(lesson *L, const char *name, const char *title, const text *t,
            const model *m1, const model *m2)
{
  double *x = step_axis();
  nn_plot *p = lesson_plot(L, name);
  nn_plot_title(p, title);
  nn_plot_labels(p, "training step", "cross-entropy per character (nats)");
  nn_plot_set(p, "yrange [0:*]");
  loss_series(p, m1, cell_name(m1->kind), "lines lw 2", x);
  if (m2 != NULL)
    loss_series(p, m2, cell_name(m2->kind), "lines lw 2", x);
  double fx[2] = {1, steps}, fy[2] = {log((double) t->V), log((double) t->V)};
  nn_plot_series(p, "uniform guess, ln V", fx, fy, 2, "lines dt 2 lc rgb '#808080'");
  fy[0] = fy[1] = unigram_entropy(t);
  nn_plot_series(p, "character frequencies only", fx, fy, 2,
                 "lines dt 3 lc rgb '#000000'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  free(x);
}

/* The mean loss of the last tenth of the steps (at least one). */
static size_t
tail_steps(void)
{
  return GSL_MAX((size_t) steps / 10, 1);
}

static double
final_loss(const model *m)
{
  size_t n = tail_steps();
  return mean_of(m->loss, (size_t) steps - n, n);
}

static model *
next_character(lesson *L, const text *t)
{
  LESSON_PROSE(L);
  nn_rnn_kind kind = cell == 1 ? NN_RNN_LSTM : NN_RNN_ELMAN;
  model *m = model_alloc(L, kind, t);
  model_sample(L, m, t, "Sampled before training");

  /// Now the training: `--steps` steps of 16 chunks of `--length`
  /// characters each.
  LESSON_PROSE(L);
  lesson_printf(L, "cell: %s, H = %d, %zu parameters\n%d steps of %d × %d characters; "
                "Adam, rate %s; clipping at norm %s\n", cell_name(kind), hidden,
                m->params->size, steps, BATCH, length, lesson_num(L, lr),
                lesson_num(L, clip));
  model_train(L, m, t);
  lesson_printf(L, "\n    step  loss (nats per character)\n");
  const int shown_steps[] = {1, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000};
  for (size_t k = 0; k < sizeof shown_steps / sizeof shown_steps[0]
       && shown_steps[k] < steps; k++)
    lesson_printf(L, "  %6d  %s\n", shown_steps[k],
                  lesson_num(L, m->loss[shown_steps[k] - 1]));
  lesson_printf(L, "  %6d  %s\n", steps, lesson_num(L, m->loss[steps - 1]));
  lesson_printf(L, "mean loss of the last %zu steps: %s\n  the uniform guess, ln V:  "
                "%s\n  character frequencies only: %s\n", tail_steps(),
                lesson_num(L, final_loss(m)), lesson_num(L, log((double) t->V)),
                lesson_num(L, unigram_entropy(t)));
  lesson_printf(L, "gradient norm before clipping: largest %s, last %s\n"
                "clipping scaled the gradient down at %zu of %d steps\n",
                lesson_num(L, gsl_stats_max(m->norm, 1, (size_t) steps)),
                lesson_num(L, m->norm[steps - 1]), m->clipped, steps);
  loss_figure(L, "training-loss", "Next-character prediction: the training loss", t,
              m, NULL);

  /// The loss falls below the uniform guess within a few steps (the
  /// network learns which characters are common: spaces, e, t, o), then
  /// below what character frequencies alone give: it has learned from the
  /// characters before. Clipping is a seat belt: with the loss a mean over
  /// 16 × T characters the gradient stays small here, and the belt rarely
  /// or never acts; section 5 shows where it does. Sampled again, from
  /// the trained network:
  LESSON_PROSE(L);
  model_sample(L, m, t, "Sampled after training");
  lesson_try(L, "predict what longer training does to the samples, then run "
             "`make lecture12 ARGS='--steps 3000'` (and `--temperature 0.3`, `1.5`).");
  return m;
}

/// ## 5. Vanishing and exploding gradients
///
/// Going back one step, BPTT multiplies the gradient by W_hhᵀ and by the
/// derivative of tanh:
///
///     ∂J/∂h_(t−1) = W_hhᵀ (∂J/∂h_t ⊙ (1 − h_t²))
///
/// Since 0 < 1 − h² ≤ 1, the norm shrinks or grows by at most the largest
/// stretch of W_hh (its largest singular value, a) at every step:
///
///     ‖∂J/∂h_(t−k)‖ ≤ a^k ‖∂J/∂h_t‖
///
/// With a < 1 the gradient from a loss at step T **vanishes**
/// geometrically as it goes back: the network cannot learn that an early
/// character matters for a late one. With a > 1 and states away from
/// tanh's flat ends it can **explode** geometrically instead, and one
/// step of gradient descent throws the weights far away.
///
/// The experiment: a cell of 32 units reads 40 steps of small random
/// inputs, with W_hh = a·Q, Q a random orthogonal matrix (every singular
/// value of W_hh is then exactly a), and a loss on the last state only.
/// nn_rnn_grad_norms() gives ‖∂J/∂h_(T−k)‖ for k = 0..T steps back.

/* A random orthogonal N × N matrix: the Q of the QR factorization of a
 * matrix of standard normal numbers. */
static void
random_orthogonal(gsl_matrix *Q, gsl_rng *rng)
{
  const size_t N = Q->size1;
  gsl_matrix *A = gsl_matrix_alloc(N, N), *R = gsl_matrix_alloc(N, N);
  gsl_vector *tau = gsl_vector_alloc(N);
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++)
      gsl_matrix_set(A, i, j, gsl_ran_gaussian(rng, 1.0));
  gsl_linalg_QR_decomp(A, tau);
  gsl_linalg_QR_unpack(A, tau, Q, R);
  gsl_matrix_free(A);
  gsl_matrix_free(R);
  gsl_vector_free(tau);
}

/* The experiment's cell, its inputs and its loss: J = u · h_T. */
typedef struct grad_demo {
  gsl_vector *params, *grads;
  nn_rnn *rnn;
  gsl_matrix *Q;   /* (H, H): the orthogonal part of W_hh */
  gsl_matrix *X;   /* (GRAD_STEPS, GRAD_IN): the inputs */
  gsl_matrix *dH;  /* (GRAD_STEPS, H): ∂J/∂h_t, u at the last step of a run */
  gsl_vector *u;   /* (H): the loss's direction, unit norm */
} grad_demo;

/* W_hh = a·Q, then forward over the first T inputs and backward from
 * J = u · h_T: grads = ∂J/∂θ (set, not added to). */
static void
grad_demo_run(grad_demo *d, double a, size_t T)
{
  gsl_matrix_memcpy(&d->rnn->W_hh.matrix, d->Q);
  gsl_matrix_scale(&d->rnn->W_hh.matrix, a);
  gsl_matrix_const_view X = gsl_matrix_const_submatrix(d->X, 0, 0, T, GRAD_IN);
  gsl_matrix_view dH = gsl_matrix_submatrix(d->dH, 0, 0, T, GRAD_HIDDEN);
  gsl_matrix_set_zero(&dH.matrix);
  gsl_vector_view last = gsl_matrix_row(&dH.matrix, T - 1);
  gsl_vector_memcpy(&last.vector, d->u);
  gsl_vector_set_zero(d->grads);
  nn_rnn_forward(d->rnn, NULL, &X.matrix, T, NULL, NULL);
  nn_rnn_backward(d->rnn, NULL, NULL, NULL, NULL, &dH.matrix);
}

static void
vanishing_and_exploding(lesson *L)
{
  LESSON_PROSE(L);
  grad_demo d;
  const size_t H = GRAD_HIDDEN, T = GRAD_STEPS;
  const size_t n = nn_rnn_n_params(NN_RNN_ELMAN, GRAD_IN, H, 0);
  d.params = gsl_vector_calloc(n);
  d.grads = gsl_vector_calloc(n);
  d.rnn = nn_rnn_alloc(NN_RNN_ELMAN, GRAD_IN, H, 0, 1, T, d.params, d.grads);
  nn_rnn_init(d.rnn, L->rng);
  d.Q = gsl_matrix_alloc(H, H);
  random_orthogonal(d.Q, L->rng);
  d.X = gsl_matrix_alloc(T, GRAD_IN);
  for (size_t k = 0; k < T * GRAD_IN; k++)
    d.X->data[k] = gsl_ran_gaussian(L->rng, GRAD_INPUT);
  d.dH = gsl_matrix_alloc(T, H);
  d.u = gsl_vector_alloc(H);
  for (size_t i = 0; i < H; i++)
    gsl_vector_set(d.u, i, gsl_ran_gaussian(L->rng, 1.0));
  gsl_vector_scale(d.u, 1.0 / gsl_blas_dnrm2(d.u));

  double k_axis[GRAD_STEPS + 1], norms[N_GRAD_SCALES][GRAD_STEPS + 1];
  for (size_t k = 0; k <= T; k++)
    k_axis[k] = (double) k;
  lesson_printf(L, "   a    ‖∂J/∂h_T‖   10 back      20 back      40 back      a^40\n");
  for (size_t s = 0; s < N_GRAD_SCALES; s++) {
    grad_demo_run(&d, GRAD_SCALES[s], T);
    gsl_vector_view v = gsl_vector_view_array(norms[s], T + 1);
    nn_rnn_grad_norms(d.rnn, &v.vector);
    lesson_printf(L, "  %-4s  %-11s %-12s %-12s %-12s %s\n",
                  lesson_num(L, GRAD_SCALES[s]), lesson_num(L, norms[s][0]),
                  lesson_numf(L, norms[s][10], 6), lesson_numf(L, norms[s][20], 6),
                  lesson_numf(L, norms[s][40], 6),
                  lesson_numf(L, pow(GRAD_SCALES[s], 40), 6));
  }

  nn_plot *p = lesson_plot(L, "gradient-norm");
  nn_plot_title(p, "The gradient norm against steps back: W_hh = a·Q");
  nn_plot_labels(p, "steps back, k", "‖∂J/∂h_(T−k)‖ (log scale)");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "format y '%%.0e'");
  const char *styles[] = {"lines lw 2 lc rgb '#0072b2'", "lines lw 2 lc rgb '#009e73'",
                          "lines lw 2 lc rgb '#d55e00'"};
  char legend[64];
  for (size_t s = 0; s < N_GRAD_SCALES; s++) {
    snprintf(legend, sizeof legend, "a = %g", GRAD_SCALES[s]);
    nn_plot_series(p, legend, k_axis, norms[s], T + 1, styles[s]);
  }
  double bound[GRAD_STEPS + 1];
  for (size_t k = 0; k <= T; k++)
    bound[k] = norms[0][0] * pow(GRAD_SCALES[0], (double) k);
  snprintf(legend, sizeof legend, "the bound %g^k for a = %g", GRAD_SCALES[0],
           GRAD_SCALES[0]);
  nn_plot_series(p, legend, k_axis, bound, T + 1, "lines dt 2 lc rgb '#808080'");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  /// With a = 0.5 the gradient is below 10⁻⁶ of its size after 20 steps:
  /// it can only stay under the bound 0.5^k (the dashed line), and tanh'
  /// < 1 takes its share too. With a = 1 it still fades, by tanh' alone.
  /// With a = 1.5 it grows instead of shrinking, though far less than
  /// 1.5^k: the large W_hh drives the states towards ±1, where tanh is
  /// flat and 1 − h² small. In a network that learns, the weights and the
  /// states move, and a gradient can go from tame to huge in a few steps.
  ///
  /// **Gradient clipping** is the standard cure for exploding gradients:
  /// when the norm of the whole gradient g is above a threshold c, scale
  /// it down to norm c,
  ///
  ///     g ← g · c / ‖g‖        when ‖g‖ > c
  ///
  /// The direction stays; only the step is shortened. The figure
  /// `gradient-clipping` shows the norm of the parameter gradient of the
  /// a = 1.5 cell for sequences of 1 to 40 steps, before and after
  /// clipping at c = `--clip`. Clipping does nothing for vanishing
  /// gradients: those call for another cell, the LSTM.
  LESSON_PROSE(L);
  double lengths[GRAD_STEPS], before[GRAD_STEPS], after[GRAD_STEPS];
  const double a = GRAD_SCALES[N_GRAD_SCALES - 1];
  for (size_t T1 = 1; T1 <= T; T1++) {
    grad_demo_run(&d, a, T1);
    double norm = 0;
    nn_optim_clip_grad_norm(d.grads, clip, &norm);
    lengths[T1 - 1] = (double) T1;
    before[T1 - 1] = norm;
    after[T1 - 1] = gsl_blas_dnrm2(d.grads);
  }
  lesson_printf(L, "a = %s, clipping at %s:\n  steps  ‖g‖ before     ‖g‖ after\n",
                lesson_num(L, a), lesson_num(L, clip));
  const size_t rows[] = {1, 5, 10, 20, 30, 40};
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++)
    lesson_printf(L, "  %5zu  %-13s %s\n", rows[r], lesson_numf(L, before[rows[r] - 1], 6),
                  lesson_numf(L, after[rows[r] - 1], 6));
  p = lesson_plot(L, "gradient-clipping");
  nn_plot_title(p, "Clipping caps the gradient norm (a = 1.5)");
  nn_plot_labels(p, "steps in the sequence, T", "‖∂J/∂θ‖ (log scale)");
  nn_plot_set(p, "logscale y");
  nn_plot_set(p, "yrange [0.5:*]");  /* T = 1 starts near 1: keep it off the axis */
  nn_plot_set(p, "format y '%%.0e'");
  nn_plot_series(p, "without clipping", lengths, before, T, "lines lw 2 lc rgb '#d55e00'");
  snprintf(legend, sizeof legend, "with clipping at c = %g", clip);
  nn_plot_series(p, legend, lengths, after, T, "lines lw 2 lc rgb '#0072b2'");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  lesson_try(L, "predict the figure with a threshold of 1000, then run "
             "`make lecture12 ARGS='--clip 1000'`.");

  gsl_vector_free(d.u);
  gsl_matrix_free(d.dH);
  gsl_matrix_free(d.X);
  gsl_matrix_free(d.Q);
  nn_rnn_free(d.rnn);
  gsl_vector_free(d.params);
  gsl_vector_free(d.grads);
}

/// ## 6. The LSTM: gates and a cell state
///
/// The **long short-term memory** (LSTM) cell adds a second state, the
/// **cell state** c_t, and three **gates**, each a vector of numbers
/// between 0 and 1 computed from x_t and h_(t−1) with weights of its own:
///
///     f = σ(W_f [h_(t−1), x_t] + b_f)     forget gate: how much of c to keep
///     i = σ(W_i [h_(t−1), x_t] + b_i)     input gate: how much new to write
///     g = tanh(W_g [h_(t−1), x_t] + b_g)  the candidate values to write
///     o = σ(W_o [h_(t−1), x_t] + b_o)     output gate: how much of c to show
///     c_t = f ⊙ c_(t−1) + i ⊙ g
///     h_t = o ⊙ tanh(c_t)
///
/// Along the cell state, from c_t back to c_(t−1), the gradient is only
/// multiplied by f, element by element: no W_hh, no tanh'. Where the
/// forget gate stays near 1 the gradient passes many steps undamped, and
/// the network can learn dependencies far longer than an Elman RNN can.
/// The price: four times the recurrent weights of an Elman cell of the
/// same H.
///
/// The same training, now for the other cell, and the two loss curves
/// together:

/* Gate G (0 input, 1 forget, 2 candidate, 3 output) of unit J at step T of
 * the last forward of an LSTM run on one sequence (batch 1). */
static double
gate(const nn_rnn *rnn, size_t g, size_t j, size_t t)
{
  return gsl_matrix_get(rnn->A, t, g * rnn->n_hidden + j);
}

/* Where the gates are shown: the first line that begins "Shall I", or the
 * start of the text. */
static size_t
gate_start(const text *t)
{
  const char *s = strstr(t->bytes, "\nShall I");
  return s != NULL ? (size_t) (s - t->bytes) + 1 : 0;
}

static void
lstm(lesson *L, const text *t, model *first)
{
  LESSON_PROSE(L);
  nn_rnn_kind other = first->kind == NN_RNN_LSTM ? NN_RNN_ELMAN : NN_RNN_LSTM;
  model *second = model_alloc(L, other, t);
  model_train(L, second, t);
  const model *elman = other == NN_RNN_ELMAN ? second : first;
  const model *lstm_model = other == NN_RNN_LSTM ? second : first;
  lesson_printf(L, "  cell   parameters  mean loss of the last %zu steps\n", tail_steps());
  lesson_printf(L, "  %-6s %-11zu %s\n", "rnn", elman->params->size,
                lesson_num(L, final_loss(elman)));
  lesson_printf(L, "  %-6s %-11zu %s\n", "lstm", lstm_model->params->size,
                lesson_num(L, final_loss(lstm_model)));
  const double gap = final_loss(lstm_model) - final_loss(elman);
  lesson_printf(L, "the %s ends ahead, by %s nats per character\n",
                gap < 0 ? "LSTM" : "RNN (Elman)", lesson_num(L, fabs(gap)));
  loss_figure(L, "cells-compared", "The training loss of the two cells", t, elman,
              lstm_model);

  /// In a short run the two cells end close together, and which one is
  /// ahead changes with the seed (try `--seed 2`, `3`): the LSTM, with
  /// four times the weights to learn, has not yet made anything of them.
  /// Its strength shows on long dependencies and long training (try
  /// `--steps 3000`).
  ///
  /// Its gates, on a line of verse. The trained LSTM reads the text from
  /// the start of a line; for every character the table gives the mean
  /// over the H units of the input gate i, the forget gate f and the
  /// output gate o, and ‖c_t‖, the size of the cell state. The heat map
  /// shows the forget gate of every unit (rows) at every character
  /// (columns): dense characters (@, %) where a unit keeps its memory
  /// (f near 1), light ones or blanks where it forgets (f near 0).
  LESSON_PROSE(L);
  const size_t V = t->V, H = (size_t) hidden;
  const size_t start = gate_start(t), n = GSL_MIN((size_t) GATE_CHARS, t->n - start);
  gsl_vector *grads = gsl_vector_calloc(lstm_model->params->size);
  nn_rnn *reader = nn_rnn_alloc(NN_RNN_LSTM, V, H, V, 1, n, lstm_model->params, grads);
  gsl_matrix *X = gsl_matrix_calloc(n, V);
  for (size_t s = 0; s < n; s++)
    gsl_matrix_set(X, s, t->ids[start + s], 1.0);
  nn_rnn_forward(reader, NULL, X, n, NULL, NULL);
  double pos[GATE_CHARS], mi[GATE_CHARS], mf[GATE_CHARS], mo[GATE_CHARS], cn[GATE_CHARS];
  gsl_matrix *F = gsl_matrix_alloc(H, n);
  lesson_printf(L, "  char   mean i   mean f   mean o   ‖c_t‖\n");
  for (size_t s = 0; s < n; s++) {
    double si = 0, sf = 0, so = 0;
    for (size_t j = 0; j < H; j++) {
      si += gate(reader, 0, j, s);
      sf += gate(reader, 1, j, s);
      so += gate(reader, 3, j, s);
      gsl_matrix_set(F, j, s, gate(reader, 1, j, s));
    }
    gsl_matrix_const_view c = nn_rnn_cell(reader, s + 1);
    gsl_vector_const_view c_row = gsl_matrix_const_row(&c.matrix, 0);
    pos[s] = (double) s;
    mi[s] = si / H;
    mf[s] = sf / H;
    mo[s] = so / H;
    cn[s] = gsl_blas_dnrm2(&c_row.vector);
    if (s < 16)
      lesson_printf(L, "  %s %-8s %-8s %-8s %s\n",
                    lesson_pad(L, shown(t->bytes[start + s]), 6), lesson_numf(L, mi[s], 3),
                    lesson_numf(L, mf[s], 3), lesson_numf(L, mo[s], 3),
                    lesson_numf(L, cn[s], 3));
  }
  lesson_printf(L, "  (all %zu characters are in the figure lstm-gates)\n",
                n);

  nn_plot *p = lesson_plot(L, "lstm-gates");
  char title[128];
  snprintf(title, sizeof title, "The LSTM's gates, averaged over its %zu units", H);
  nn_plot_title(p, title);
  nn_plot_labels(p, "character", "gate (mean over units)");
  /* every character of the line as a tic of the x axis */
  char tics[4096];
  size_t used = (size_t) snprintf(tics, sizeof tics, "xtics (");
  for (size_t s = 0; s < n && used < sizeof tics - 32; s++) {
    char ch = t->bytes[start + s];
    const char *label = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == ' ' ? "_"
                        : ch == '\n' ? "\\\\n" : shown(ch);
    used += (size_t) snprintf(tics + used, sizeof tics - used, "%s\"%s\" %zu",
                              s > 0 ? ", " : "", label, s);
  }
  snprintf(tics + used, sizeof tics - used, ")");
  nn_plot_set(p, "%s", tics);
  nn_plot_set(p, "yrange [0:1]");
  nn_plot_series(p, "input gate i", pos, mi, n, "lines lw 2");
  nn_plot_series(p, "forget gate f", pos, mf, n, "lines lw 2");
  nn_plot_series(p, "output gate o", pos, mo, n, "lines lw 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);

  gsl_vector *xs = gsl_vector_alloc(n), *ys = gsl_vector_alloc(H);
  for (size_t s = 0; s < n; s++)
    gsl_vector_set(xs, s, (double) s);
  for (size_t j = 0; j < H; j++)
    gsl_vector_set(ys, j, (double) j);
  lesson_printf(L, "the line, left to right: \"");
  for (size_t s = 0; s < n; s++)
    lesson_printf(L, "%s", t->bytes[start + s] == '\n' ? "\\n" : shown(t->bytes[start + s]));
  lesson_printf(L, "\"\n");
  lesson_show_heat(L, "The forget gate f of every unit (rows) at every character (columns)",
                   xs, ys, F);
  lesson_try(L, "predict the gates of a longer-trained LSTM, then run `make lecture12 "
             "ARGS='--cell lstm --steps 3000'`.");
  gsl_vector_free(xs);
  gsl_vector_free(ys);
  gsl_matrix_free(F);
  gsl_matrix_free(X);
  nn_rnn_free(reader);
  gsl_vector_free(grads);
  model_free(second);
}

/// ## What to remember
///
/// - An RNN carries a hidden state: h_t = tanh(W_hh h_(t−1) + W_xh x_t + b),
///   y_t = W_hy h_t + b_y, with the same weights at every step. Unrolled,
///   it is a deep network whose layers share their weights.
/// - Characters become indices into a vocabulary and one-hot vectors; the
///   output scores go through softmax and cross-entropy, and ln V is what
///   a uniform guess scores.
/// - Backpropagation through time is backpropagation on the unrolled
///   graph; truncated BPTT carries the state across chunks but stops the
///   gradient at each chunk's start.
/// - Going back k steps multiplies the gradient by k Jacobians: it
///   vanishes (‖·‖ ≤ a^k, a < 1) or explodes. Clipping caps the norm of
///   the gradient at the threshold; the LSTM's cell state, gated by f,
///   lets the gradient through many steps.
///
/// Next, lecture 13: attention, which looks at every step at once instead
/// of passing a state along.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "A vocabulary has 50 characters. What loss does a network score "
                   "that gives each the same probability, and why must training beat it?",
                   "W_hh has largest singular value 0.8. At most how large is the "
                   "gradient 30 steps back, relative to the last step's?",
                   "Clipping at c = 5 meets a gradient of norm 400. What are its norm "
                   "and its direction after clipping?");
}

/* ===== Helpers: the text and the model ===== */

/* Read PATH as the lesson's text: plain ASCII, printable characters and
 * newlines only (a carriage return, a tab or a byte above 127 is refused,
 * naming the line and column), long enough for one batch of chunks. A
 * problem with the file is a problem with --text: the lesson stops with
 * status 2, naming the file and what is wrong. */
static void
text_load(lesson *L, text *t, const char *path)
{
  memset(t, 0, sizeof *t);
  t->path = path;
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    lesson_usage_error(L, "--text: cannot read '%s': %s", path, strerror(errno));
  size_t cap = 1 << 14, n = 0;
  char *b = malloc(cap);
  for (;;) {
    if (b == NULL)
      lesson_usage_error(L, "--text '%s': out of memory", path);
    n += fread(b + n, 1, cap - n - 1, f);
    if (n < cap - 1 || ferror(f))
      break;
    cap *= 2;
    char *bigger = realloc(b, cap);
    if (bigger == NULL)
      free(b);
    b = bigger;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed)
    lesson_usage_error(L, "--text: cannot read '%s'", path);
  b[n] = '\0';
  t->bytes = b;
  t->n = n;
  size_t line = 1, column = 1;
  int present[256] = {0};
  for (size_t p = 0; p < n; p++) {
    unsigned char c = (unsigned char) b[p];
    if (c != '\n' && (c < 0x20 || c > 0x7e))
      lesson_usage_error(L, "--text '%s': line %zu, column %zu holds the byte 0x%02X, "
                         "which is not printable ASCII: the lecture reads plain ASCII "
                         "text (printable characters and newlines)", path, line, column,
                         c);
    present[c] = 1;
    if (c == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  const size_t need = (size_t) BATCH * (size_t) length + 1;
  if (n < need)
    lesson_usage_error(L, "--text '%s' has %zu characters; %d streams of --length %d "
                       "need at least %zu", path, n, BATCH, length, need);
  for (int c = 0; c < 256; c++) {
    t->index_of[c] = -1;
    if (present[c]) {
      t->index_of[c] = (int) t->V;
      t->vocab[t->V++] = (char) c;
    }
  }
  if (t->V < 2)
    lesson_usage_error(L, "--text '%s' uses %zu distinct character: there is nothing "
                       "to predict", path, t->V);
  t->ids = malloc(n * sizeof *t->ids);
  if (t->ids == NULL)
    lesson_usage_error(L, "--text '%s': out of memory", path);
  for (size_t p = 0; p < n; p++)
    t->ids[p] = (size_t) t->index_of[(unsigned char) b[p]];
}

static void
text_free(text *t)
{
  free(t->bytes);
  free(t->ids);
}

static model *
model_alloc(lesson *L, nn_rnn_kind kind, const text *t)
{
  const size_t V = t->V, H = (size_t) hidden, T = (size_t) length, B = BATCH;
  model *m = calloc(1, sizeof *m);
  if (m == NULL)
    GSL_ERROR_NULL("model_alloc: out of memory", GSL_ENOMEM);
  m->kind = kind;
  size_t n = nn_rnn_n_params(kind, V, H, V);
  m->params = gsl_vector_calloc(n);
  m->grads = gsl_vector_calloc(n);
  m->rnn = nn_rnn_alloc(kind, V, H, V, B, T, m->params, m->grads);
  nn_rnn_init(m->rnn, L->rng);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.lr = lr;
  m->opt = nn_optim_alloc(NN_OPTIM_ADAM, n, &o);
  m->X = gsl_matrix_calloc(T * B, V);
  m->Y = gsl_matrix_alloc(T * B, V);
  m->dY = gsl_matrix_alloc(T * B, V);
  m->labels = malloc(T * B * sizeof *m->labels);
  m->h0 = gsl_matrix_calloc(B, H);
  m->c0 = gsl_matrix_calloc(B, H);
  m->loss = malloc((size_t) steps * sizeof *m->loss);
  m->norm = malloc((size_t) steps * sizeof *m->norm);
  if (m->labels == NULL || m->loss == NULL || m->norm == NULL) {
    model_free(m);
    GSL_ERROR_NULL("model_alloc: out of memory", GSL_ENOMEM);
  }
  return m;
}

static void
model_free(model *m)
{
  if (m == NULL)
    return;
  nn_rnn_free(m->rnn);
  nn_optim_free(m->opt);
  gsl_vector_free(m->params);
  gsl_vector_free(m->grads);
  gsl_matrix_free(m->X);
  gsl_matrix_free(m->Y);
  gsl_matrix_free(m->dY);
  gsl_matrix_free(m->h0);
  gsl_matrix_free(m->c0);
  free(m->labels);
  free(m->loss);
  free(m->norm);
  free(m);
}

/* Train M for `steps` steps of truncated BPTT. The text (less its last
 * character, which has no next) is cut into BATCH streams of S characters;
 * stream b starts at b·S. Step s takes chunk k = s mod K of every stream,
 * K = ⌊S / T⌋ chunks per stream: the characters b·S + kT .. b·S + kT + T − 1
 * as inputs, each next one as target. The state at the end of a chunk is the
 * next chunk's h_0 (and c_0); it starts from 0 at chunk 0 of every pass. */
static void
model_train(lesson *L, model *m, const text *t)
{
  const size_t T = (size_t) length, B = BATCH;
  const size_t S = (t->n - 1) / B, K = S / T;
  const int lstm = m->kind == NN_RNN_LSTM;
  for (int s = 0; s < steps; s++) {
    lesson_progress(L, nn_rnn_name(m->kind), (size_t) s, (size_t) steps);
    size_t k = (size_t) s % K;
    gsl_matrix_set_zero(m->X);
    for (size_t step = 0; step < T; step++)
      for (size_t b = 0; b < B; b++) {
        size_t p = b * S + k * T + step, row = step * B + b;
        gsl_matrix_set(m->X, row, t->ids[p], 1.0);
        m->labels[row] = t->ids[p + 1];
      }
    gsl_vector_set_zero(m->grads);
    nn_rnn_forward(m->rnn, m->Y, m->X, T, k > 0 ? m->h0 : NULL,
                   k > 0 && lstm ? m->c0 : NULL);
    double loss = 0, norm = 0;
    nn_loss_softmax_ce_labels(&loss, NULL, m->dY, m->Y, m->labels);
    nn_rnn_backward(m->rnn, NULL, NULL, NULL, m->dY, NULL);
    nn_optim_clip_grad_norm(m->grads, clip, &norm);
    nn_optim_step(m->opt, m->params, m->grads);
    m->loss[s] = loss;
    m->norm[s] = norm;
    m->clipped += norm > clip;
    /* the state flows on to the next chunk; the gradient does not */
    gsl_matrix_const_view hT = nn_rnn_hidden(m->rnn, T);
    gsl_matrix_memcpy(m->h0, &hT.matrix);
    if (lstm) {
      gsl_matrix_const_view cT = nn_rnn_cell(m->rnn, T);
      gsl_matrix_memcpy(m->c0, &cT.matrix);
    }
  }
  lesson_progress(L, nn_rnn_name(m->kind), (size_t) steps, (size_t) steps);
}
