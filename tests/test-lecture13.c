/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 13 (attention): it runs, prints its lesson, writes
 * figures that gnuplot and dot accept, and what it shows holds by
 * mathematics, checked here with formulas of this file's own: the worked
 * look-up is softmax(QKᵀ/√d_k) V of the matrices it printed; every row of
 * attention weights sums to 1; a causal row puts zero weight on the future
 * and is the unmasked row cut and renormalized; the positional encodings
 * are the sinusoids of the formula, bounded by 1, with ‖PE_p‖² = d/2 and
 * PE_p · PE_(p+k) = Σ cos(k ω_i), whatever p; the variance of q · k is
 * about d_k before the scaling and 1 after; the attention model's gradient
 * passes its check; trained for the default budget, the attention model
 * writes the reversed sequences and the LSTM does not, and its learned
 * weights are an anti-diagonal. Its command line behaves.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture13 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>
#include <string.h>

/* The defaults the checks depend on. */
#define DEFAULT_LENGTH 8
#define DEFAULT_WIDTH 16
#define WORDS 6   /* "the cat sat on the mat" */

static int
setup(void **state)
{
  (void) state;
  lt_init(13);
  return 0;
}

/* ===== The lesson and its figures ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 13: Attention",
    "## 1. The limits of recurrence",
    "## 2. Query, key, value: a soft search",
    "## 3. Scaled dot-product attention",
    "## 4. Positional encodings",
    "## 5. The causal mask",
    "## 6. Attention against recurrence",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  /* the concepts of the syllabus */
  static const char *const concepts[] = {
    "**bottleneck**", "**no\n", "**short memory**", "**query**", "**key**",
    "**value**", "A(Q, K, V) = softmax(QKᵀ/√d_k) V", "**Why √d_k.**",
    "**positional encoding**", "**causal mask**", "**An LSTM**",
    "**A tiny attention model**", NULL};
  for (const char *const *c = concepts; *c != NULL; c++)
    assert_true(lt_contains(r->out, *c));
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "Challenge: "));
  assert_true(lt_contains(r->out, "`make exercise13`"));
  lt_check_terminal_plot(r, "Columns of the positional encoding: one frequency per pair");
  lt_check_terminal_plot(r, "Symbols written right (test set), reverse T = 8");
  lt_check_terminal_plot(r, "Cross-entropy per symbol (test set), reverse T = 8");
  /* the heat maps, as shaded text in the terminal */
  static const char *const heats[] = {
    "Attention weights of \"the cat sat on the mat\" (x: key j",
    "Positional encodings (x: column, y: position, position 0 on top)",
    "Causal attention: no weight on the future (x: key j",
    "Learned attention weights (reverse), first test sequence (x: key j", NULL};
  for (const char *const *h = heats; *h != NULL; h++) {
    const char *at = lt_find(r->out, *h);
    assert_true(lt_contains(at, "\n  |"));
    assert_true(lt_contains(at, "value: \" .:-=+*#%@\""));
  }
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"attention-weights", "positional-encoding",
                                      "positional-curves", "causal-weights",
                                      "task-accuracy", "task-loss",
                                      "learned-attention", NULL};
  static const char *const graphs[] = {"soft-lookup", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== Attention ===== */

/* softmax of the n entries of s, into p: this file's own. */
static void
softmax(const double *s, double *p, size_t n)
{
  double hi = s[0], sum = 0;
  for (size_t j = 1; j < n; j++)
    hi = s[j] > hi ? s[j] : hi;
  for (size_t j = 0; j < n; j++)
    sum += p[j] = exp(s[j] - hi);
  for (size_t j = 0; j < n; j++)
    p[j] /= sum;
}

static void
the_soft_lookup_is_softmax_of_scaled_scores_times_values(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double Q[3 * 2], K[4 * 2], V[4], S[3 * 4], P[3 * 4], O[3];
  size_t cols = 0;
  assert_int_equal(lt_printed_matrix(out, "queries Q", Q, 3, 2, &cols), 3);
  assert_int_equal(cols, 2);
  assert_int_equal(lt_printed_matrix(out, "keys K", K, 4, 2, &cols), 4);
  assert_int_equal(lt_printed_matrix(out, "values V", V, 4, 1, &cols), 4);
  assert_int_equal(lt_printed_matrix(out, "scores S = Q Kᵀ/√2", S, 3, 4, &cols), 3);
  assert_int_equal(lt_printed_matrix(out, "weights P = softmax(S), row by row", P, 3, 4,
                                     &cols), 3);
  assert_int_equal(lt_printed_matrix(out, "outputs O = P V", O, 3, 1, &cols), 3);
  for (size_t i = 0; i < 3; i++) {
    double s[4], p[4], o = 0, sum = 0;
    for (size_t j = 0; j < 4; j++) {
      s[j] = (Q[2 * i] * K[2 * j] + Q[2 * i + 1] * K[2 * j + 1]) / sqrt(2.0);
      assert_close(S[4 * i + j], s[j], 1e-5);
    }
    softmax(s, p, 4);
    for (size_t j = 0; j < 4; j++) {
      assert_close(P[4 * i + j], p[j], 1e-6);
      o += p[j] * V[j];
      sum += P[4 * i + j];
    }
    assert_close(sum, 1.0, 5e-6);
    assert_close(O[i], o, 1e-5);
  }
  /* a longer query in the same direction is a harder look-up */
  assert_true(P[4] > P[0] && P[0] > 0.25);
  /* the query between keys 1 and 2 shares its weight between them */
  assert_close(P[8], P[9], 1e-12);
  /* the terminal's picture of the third query says the same */
  const char *pic = lt_find(out, "The third query, q = (2, 2), as a soft look-up:");
  assert_close(lt_printed_after(lt_find(pic, "value 10"), "weight"), P[8], 1e-3);
  assert_close(lt_printed_after(lt_find(pic, "value 40"), "weight"), P[11], 1e-3);
  assert_close(lt_printed_after(pic, "output"), O[2], 1e-5);
}

/* The printed matrix NAME, WORDS x WORDS, into P. */
static void
read_weights(const char *name, double P[WORDS * WORDS])
{
  size_t cols = 0;
  assert_int_equal(lt_printed_matrix(lt_default_run.out, name, P, WORDS, WORDS, &cols),
                   WORDS);
  assert_int_equal(cols, WORDS);
}

static void
each_attention_row_sums_to_one(void **state)
{
  (void) state;
  double P[WORDS * WORDS];
  read_weights("attention weights P (rows: the, cat, sat, on, the, mat)", P);
  for (size_t i = 0; i < WORDS; i++) {
    double sum = 0;
    for (size_t j = 0; j < WORDS; j++) {
      assert_true(P[WORDS * i + j] > 0 && P[WORDS * i + j] < 1);
      sum += P[WORDS * i + j];
    }
    assert_close(sum, 1.0, 5e-6);
  }
  /* the two "the" are one vector: the same row, and the weight split
   * evenly between them */
  for (size_t j = 0; j < WORDS; j++)
    assert_close(P[j], P[4 * WORDS + j], 1e-12);
  assert_close(P[0], P[4], 1e-12);
  assert_true(lt_printed_after(lt_default_run.out, "largest |row sum − 1| of P:") < 1e-12);
}

static void
a_causal_row_puts_zero_weight_on_the_future(void **state)
{
  (void) state;
  double P[WORDS * WORDS], C[WORDS * WORDS];
  read_weights("attention weights P (rows: the, cat, sat, on, the, mat)", P);
  read_weights("causal weights P (rows: the, cat, sat, on, the, mat)", C);
  for (size_t i = 0; i < WORDS; i++) {
    /* the mask removes the keys j > i from the softmax and nothing else:
     * the row is the unmasked one, cut after i and renormalized */
    double kept = 0, sum = 0;
    for (size_t j = 0; j <= i; j++)
      kept += P[WORDS * i + j];
    for (size_t j = 0; j < WORDS; j++) {
      double c = C[WORDS * i + j];
      if (j > i)
        assert_true(c == 0.0);
      else
        assert_close(c, P[WORDS * i + j] / kept, 1e-5);
      sum += c;
    }
    assert_close(sum, 1.0, 5e-6);
  }
  assert_true(C[0] == 1.0);  /* the first position sees only itself */
  const char *out = lt_default_run.out;
  assert_true(lt_printed_after(out, "largest weight on a future position:") == 0.0);
  assert_true(lt_printed_after(lt_find(out, "causal weights P"), "largest |row sum − 1|:")
              < 1e-12);
}

static void
scaling_by_the_root_of_d_k_keeps_the_variance_at_one(void **state)
{
  (void) state;
  const char *at = lt_find(lt_default_run.out, "d_k   var(q·k)");
  const double widths[3] = {2, 16, 128};
  double top_unscaled[3], top_scaled[3];
  for (size_t w = 0; w < 3; w++) {
    at = strchr(at, '\n') + 1;
    double d = 0, var = 0, ratio = 0;
    assert_int_equal(sscanf(at, "%lf %lf %lf %lf %lf", &d, &var, &ratio,
                            &top_unscaled[w], &top_scaled[w]), 5);
    assert_true(d == widths[w]);
    /* 2000 pairs: the sample variance is within 25% of d_k (several
     * standard errors of it) */
    assert_true(fabs(var / d - 1) < 0.25);
    assert_close(ratio, var / d, 2e-3);
    assert_true(top_scaled[w] > 1.0 / 8 && top_scaled[w] < 1);
  }
  /* unscaled, the softmax of wide vectors is nearly one-hot; scaled, it
   * stays as soft as for narrow ones */
  assert_true(top_unscaled[2] > 0.8);
  assert_true(top_scaled[2] < 0.6);
  assert_true(top_unscaled[2] > top_unscaled[0]);
}

/* ===== Positional encodings ===== */

static double
pe(size_t p, size_t c, size_t d)
{
  double omega = pow(10000.0, -(double) (2 * (c / 2)) / (double) d);
  return c % 2 ? cos((double) p * omega) : sin((double) p * omega);
}

static void
positional_encodings_are_the_sinusoids(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const size_t d = DEFAULT_WIDTH;
  double M[5 * 6];
  size_t cols = 0;
  assert_int_equal(lt_printed_matrix(out, "PE (positions 0 to 4, columns 0 to 5, d = 16)",
                                     M, 5, 6, &cols), 5);
  assert_int_equal(cols, 6);
  for (size_t p = 0; p < 5; p++)
    for (size_t c = 0; c < 6; c++)
      assert_close(M[6 * p + c], pe(p, c, d), 1e-6);
  /* values known by heart: position 0 is (0, 1, 0, 1, ...), PE[1, 0] = sin 1 */
  assert_true(M[0] == 0.0 && M[1] == 1.0 && M[2] == 0.0 && M[3] == 1.0);
  assert_close(M[6], 0.8414709848078965, 1e-6);
  assert_close(M[7], 0.5403023058681398, 1e-6);
  /* bounded by 1, and every position has the same length */
  assert_true(lt_printed_after(out, "entries over positions 0 to 49: from") >= -1.0);
  const char *at = lt_find(out, "‖PE_p‖² over positions 0 to 49: from");
  double shortest = 0, longest = 0;
  assert_int_equal(sscanf(lt_find(at, ": from "), ": from %lf to %lf", &shortest,
                          &longest), 2);
  assert_close(shortest, d / 2.0, 1e-10);
  assert_close(longest, d / 2.0, 1e-10);
  assert_close(lt_printed_after(at, "d/2 ="), d / 2.0, 1e-15);
  /* the figure's grid holds the same sinusoids, all within [-1, 1] */
  static double x[50 * 16], y[50 * 16], z[50 * 16];
  size_t n = lt_read_block3(lt_path(lt_default_dir(), "positional-encoding", "dat"), 0,
                            x, y, z, 50 * 16);
  assert_int_equal(n, 50 * 16);
  for (size_t k = 0; k < n; k++) {
    assert_true(fabs(z[k]) <= 1.0);
    assert_close(z[k], pe((size_t) y[k], (size_t) x[k], d), 1e-6);
  }
}

static void
the_dot_product_of_encodings_depends_on_the_distance_only(void **state)
{
  (void) state;
  const size_t d = DEFAULT_WIDTH;
  const char *at = lt_find(lt_default_run.out, "  k     p = 3        p = 20\n");
  at = strchr(at, '\n') + 1;
  for (size_t k = 0; k <= 4; k++) {
    double kk = -1, a = 0, b = 0, expected = 0;
    assert_int_equal(sscanf(at, "%lf %lf %lf", &kk, &a, &b), 3);
    assert_true(kk == (double) k);
    for (size_t i = 0; i < d / 2; i++)
      expected += cos((double) k * pow(10000.0, -(double) (2 * i) / (double) d));
    assert_close(a, expected, 1e-5);
    assert_close(b, expected, 1e-5);
    at = strchr(at, '\n') + 1;
  }
}

/* ===== The models ===== */

/* The gradient check of the attention model in OUT: every block of
 * parameters on its own scale, at the initial weights (attention nearly
 * uniform) and after training on the check batch (attention sharp), where
 * a mistake in the path through the softmax could hide at the start. */
static void
check_gradient_check(const char *out)
{
  const double n = lt_printed_after(out, "parameters checked:");
  assert_true(n > 100);
  assert_true(lt_printed_after(out, "largest |gradient|:") > 1e-3);
  const char *table = lt_find(out, "  block  entries");
  static const char *const blocks[] = {"\n  W_q ", "\n  W_k ", "\n  W_v ", "\n  W_o ",
                                       "\n  b_o "};
  double entries = 0, worst = 0;
  for (size_t b = 0; b < 5; b++) {
    double count = 0, start = 1, trained = 1;
    assert_int_equal(sscanf(lt_find(table, blocks[b]) + strlen(blocks[b]), "%lf %lf %lf",
                            &count, &start, &trained), 3);
    assert_true(count > 0);
    assert_true(start < 1e-7 && trained < 1e-7);
    worst = fmax(worst, fmax(start, trained));
    entries += count;
  }
  assert_true(entries == n);  /* every parameter, in one block */
  /* training on the check batch sharpened the attention */
  const char *sharp = lt_find(out, "largest attention weight:");
  double before = lt_printed_after(sharp, "weight:"), after = lt_printed_after(sharp, ", ");
  assert_true(before < 0.6 && after > 0.9);
  const char *s = lt_find(out, "relative error of the gradient against central differences:");
  assert_close(lt_printed_after(s, "differences:"), worst, 0.01);
  assert_true(lt_contains(s, "(the check passes)"));
}

static void
the_attention_models_gradient_passes_its_check(void **state)
{
  (void) state;
  check_gradient_check(lt_default_run.out);
  /* and for other weights and data */
  static const char *const seeds[] = {"2", "3"};
  for (size_t k = 0; k < 2; k++) {
    const char *args[] = {"--section", "6", "--steps", "1", "--seed", seeds[k], NULL};
    lt_run r = lt_run_lecture("gradient-check", args, NULL);
    lt_check_succeeded(&r);
    check_gradient_check(r.out);
    lt_run_free(&r);
  }
}

/* The accuracies the run printed: attention model and LSTM. */
static void
printed_accuracies(const char *out, double *attn, double *rnn)
{
  const char *at = lt_find(out, "on the test set: attention model");
  *attn = lt_printed_after(at, "attention model");
  *rnn = lt_printed_after(at, "right, LSTM");
}

static void
attention_learns_to_reverse_and_the_lstm_does_not(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double attn = 0, rnn = 0;
  printed_accuracies(out, &attn, &rnn);
  /* checked over seeds 1 to 10: the attention model ends above 0.98, the
   * LSTM between 0.48 and 0.57 (chance is 0.1) and writes at most 1 in 200
   * whole sequences right. The LSTM must get a fair chance: at the rate of
   * the attention model (0.01) it stopped near 0.33, at its own (0.03)
   * above 0.48 */
  assert_true(attn > 0.9);
  assert_true(rnn > 0.45 && rnn < 0.7);
  assert_true(attn - rnn > 0.3);
  const char *whole = lt_find(out, "whole sequences right: attention model");
  assert_true(lt_printed_after(whole, "attention model") > 0.9);
  assert_true(lt_printed_after(whole, "LSTM") < 0.1);
  /* the curves start at chance and stay shares */
  double x[64], y[64];
  const char *dat = lt_path(lt_default_dir(), "task-accuracy", "dat");
  for (size_t block = 0; block < 2; block++) {
    size_t n = lt_read_block(dat, block, x, y, 64);
    assert_int_equal(n, 51);
    assert_true(x[0] == 0.0 && x[50] == 300.0);
    assert_true(y[0] < 0.25);
    for (size_t k = 0; k < n; k++)
      assert_true(y[k] >= 0 && y[k] <= 1);
    assert_close(y[50], block == 0 ? attn : rnn, 1e-3);
  }
  /* its loss starts near ln 10, the cross-entropy of a uniform guess */
  size_t n = lt_read_block(lt_path(lt_default_dir(), "task-loss", "dat"), 0, x, y, 64);
  assert_int_equal(n, 51);
  assert_true(fabs(y[0] - log(10.0)) < 0.3);
  assert_true(y[50] < 0.5 * y[0]);
}

static void
the_accuracy_by_position_averages_to_the_accuracy(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double attn = 0, rnn = 0;
  printed_accuracies(out, &attn, &rnn);
  /* every position is written once per test sequence: the share right
   * over all symbols is the mean of the shares right at each position */
  const char *at = lt_find(out, "position written");
  const char *rows[2] = {"\nLSTM", "\nattention model"};
  const double whole[2] = {rnn, attn};
  for (size_t r = 0; r < 2; r++) {
    const char *row = lt_find(at, rows[r]) + strlen(rows[r]);
    double mean = 0;
    for (size_t t = 0; t < DEFAULT_LENGTH; t++) {
      char *end = NULL;
      double share = strtod(row, &end);
      assert_true(end != row && share >= 0 && share <= 1);
      mean += share / DEFAULT_LENGTH;
      row = end;
    }
    assert_true(fabs(mean - whole[r]) < 0.01);  /* printed to 2 and 3 digits */
  }
  /* the steps back of the LSTM when reversing: 1, 3, 5, ..., 2T − 1 */
  const char *back = lt_find(at, "steps back (LSTM)") + strlen("steps back (LSTM)");
  for (size_t t = 0; t < DEFAULT_LENGTH; t++) {
    char *end = NULL;
    assert_true(strtod(back, &end) == 2.0 * t + 1);
    back = end;
  }
}

static void
the_learned_weights_are_an_anti_diagonal(void **state)
{
  (void) state;
  const size_t T = DEFAULT_LENGTH;
  assert_true(lt_printed_after(lt_default_run.out, "mean weight on the answer's position:")
              > 0.6);
  double x[T * T], y[T * T], z[T * T];
  size_t n = lt_read_block3(lt_path(lt_default_dir(), "learned-attention", "dat"), 0,
                            x, y, z, T * T);
  assert_int_equal(n, T * T);
  double best[T], sum[T];
  size_t where[T];
  for (size_t i = 0; i < T; i++) {
    best[i] = -1;
    sum[i] = 0;
  }
  for (size_t k = 0; k < n; k++) {
    size_t i = (size_t) y[k], j = (size_t) x[k];
    sum[i] += z[k];
    if (z[k] > best[i]) {
      best[i] = z[k];
      where[i] = j;
    }
  }
  for (size_t i = 0; i < T; i++) {
    assert_close(sum[i], 1.0, 1e-4);  /* a row of weights */
    assert_int_equal(where[i], T - 1 - i);
  }
}

static void
other_knobs_copy_and_shorter(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", "--task", "copy", "--length", "5", "--width", "8",
                        "--steps", "40", NULL};
  lt_run r = lt_run_lecture("copy", args, NULL);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "task: copy 5 symbols"));
  char *gp = lt_read_file(lt_path(lt_dir("copy"), "task-accuracy", "gp"), NULL);
  assert_non_null(gp);
  assert_true(lt_contains(gp, "Symbols written right (test set), copy T = 5"));
  free(gp);
  /* d = 8: the printed encodings are of width 8, and ‖PE_p‖² = 4 */
  double M[5 * 6];
  size_t cols = 0;
  assert_int_equal(lt_printed_matrix(r.out, "PE (positions 0 to 4, columns 0 to 5, d = 8)",
                                     M, 5, 6, &cols), 5);
  for (size_t p = 0; p < 5; p++)
    for (size_t c = 0; c < 6; c++)
      assert_close(M[6 * p + c], pe(p, c, 8), 1e-6);
  assert_close(lt_printed_after(r.out, "d/2 ="), 4.0, 1e-15);
  /* the curves have their 51 points over the 40 steps */
  double x[64], y[64];
  assert_int_equal(lt_read_block(lt_path(lt_dir("copy"), "task-accuracy", "dat"), 0,
                                 x, y, 64), 51);
  assert_true(x[50] == 40.0);
  lt_run_free(&r);

  const char *one[] = {"--no-prose", "--steps", "1", "--length", "2", "--width", "2",
                       NULL};
  r = lt_run_lecture("tiny", one, NULL);
  lt_check_succeeded(&r);
  lt_run_free(&r);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--length", "--width", "--steps", "--task", "copy|reverse", "--seed", "--out",
    "--no-prose", "--no-figures", "(default 8)", "(default 16)", "(default 300)",
    "(default reverse)", "(default out/lecture13)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--length", "1", NULL, "--length", "'1'"},
    {"--length", "33", NULL, "--length", "'33'"},
    {"--length", "abc", NULL, "--length", "abc"},
    {"--width", "1", NULL, "--width", "'1'"},
    {"--width", "2.5", NULL, "--width", "2.5"},
    /* the encodings come in (sin, cos) pairs: an odd d breaks ‖PE_p‖² = d/2 */
    {"--width", "7", NULL, "--width", "'7'"},
    {"--steps", "0", NULL, "--steps", "'0'"},
    {"--steps", "-3", NULL, "--steps", "-3"},
    {"--task", "sort", NULL, "--task", "sort"},
    {"--seed", "x", NULL, "--seed", "x"},
    {"--bogus", NULL, NULL, "--bogus", "--help"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    lt_check_refused(cases[k], cases[k][3], cases[k][4]);
}

static void
the_same_seed_gives_the_same_lesson(void **state)
{
  (void) state;
  lt_check_seed_determines_the_lesson();
  static const char *const files[] = {"attention-weights.dat", "task-accuracy.dat",
                                      "learned-attention.dat", "soft-lookup.dot", NULL};
  lt_check_seed_determines_the_files(files);
}

static void
sections_and_terminal(void **state)
{
  (void) state;
  lt_check_sections_and_terminal();
}

static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", "--steps", "20", NULL};
  lt_check_missing_programs(args, "positional-curves", "soft-lookup");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_soft_lookup_is_softmax_of_scaled_scores_times_values),
    cmocka_unit_test(each_attention_row_sums_to_one),
    cmocka_unit_test(a_causal_row_puts_zero_weight_on_the_future),
    cmocka_unit_test(scaling_by_the_root_of_d_k_keeps_the_variance_at_one),
    cmocka_unit_test(positional_encodings_are_the_sinusoids),
    cmocka_unit_test(the_dot_product_of_encodings_depends_on_the_distance_only),
    cmocka_unit_test(the_attention_models_gradient_passes_its_check),
    cmocka_unit_test(attention_learns_to_reverse_and_the_lstm_does_not),
    cmocka_unit_test(the_accuracy_by_position_averages_to_the_accuracy),
    cmocka_unit_test(the_learned_weights_are_an_anti_diagonal),
    cmocka_unit_test(other_knobs_copy_and_shorter),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(sections_and_terminal),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
