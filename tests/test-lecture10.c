/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 10 (regularization): it runs, prints its lesson,
 * writes figures that gnuplot and dot accept, and what it shows holds by
 * mathematics, checked here with formulas of this file's own: inverted
 * dropout keeps the expected activation (within the standard error of a
 * mean of its draws) and is the identity at test time, its backward pass
 * and the L2 penalty's gradient pass their checks, the L2 penalty is
 * (λ/2)‖w‖²; early stopping picks the epoch the rule picks on the dev
 * curve it wrote, for several patiences; the checkpoint has the size of
 * its documented format and reloads to the same double; the network
 * memorizes (its training loss ends below the noise floor σ² while its dev
 * loss rises); the weight histograms count every weight; the ensemble's
 * MSE is the members' mean MSE less their spread, so never above it.
 * Its command line behaves.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out/lecture10 there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <stdlib.h>

/* The defaults the checks depend on. */
#define DEFAULT_DROPOUT 0.5
#define DEFAULT_PATIENCE 20
#define DEFAULT_EPOCHS 500
#define DEFAULT_HIDDEN 32
#define NOISE_VARIANCE 0.25   /* σ² of the data: σ = 0.5 */

/* The dropout demonstration: a batch of 200 samples of 32 units, all 2.385. */
#define DEMO_X 2.385
#define DEMO_N (200 * 32)

static int
setup(void **state)
{
  (void) state;
  lt_init(10);
  return 0;
}

/* ===== The lesson and its figures ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 10: Regularization",
    "## 1. Overtraining: a network that memorizes",
    "## 2. Early stopping and checkpoints",
    "## 3. L2 regularization: weight decay",
    "## 4. Dropout",
    "## 5. Train and dev, with and without regularization",
    "## 6. Ensembles",
    "## 7. More ways to generalize",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  /* the concepts of the syllabus */
  static const char *const concepts[] = {
    "**overtraining**", "**memorizing**", "**dev set**", "**test set**",
    "**early stopping**", "**checkpoint**", "**L2 penalty**", "**weight decay**",
    "**inverted dropout**", "**cheap", "**ensemble**", "**spread**",
    "**Batch normalization.**",
    "**Skip connections.**", "**Deep double descent.**", NULL};
  for (const char *const *c = concepts; *c != NULL; c++)
    assert_true(lt_contains(r->out, *c));
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise10`"));
  lt_check_terminal_plot(r, "Overtraining: the training loss falls, the dev loss rises");
  lt_check_terminal_plot(r, "Early stopping picks the epoch of the lowest dev loss");
  lt_check_terminal_plot(r, "The weights after training, without and with the L2 penalty");
  lt_check_terminal_plot(r, "The dev loss, with and without regularization");
  lt_check_terminal_plot(r, "The training loss, with and without regularization");
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"overfitting", "memorized-fit", "early-stopping",
                                      "weight-histogram", "regularization-dev",
                                      "regularization-train", NULL};
  static const char *const graphs[] = {"dropout-network", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* ===== Dropout ===== */

/* What a run printed about dropout with probability P on the constant
 * batch: the share dropped, the kept value, the mean, and the test mode. */
static void
assert_dropout_facts(const char *out, double p)
{
  unsigned long zeros = 0, n = 0;
  assert_int_equal(sscanf(lt_find(out, "units dropped:"), "units dropped: %lu of %lu",
                          &zeros, &n), 2);
  assert_int_equal(n, DEMO_N);
  /* the number dropped is Binomial(n, p): within 4.5 standard deviations */
  double share = (double) zeros / n;
  assert_true(fabs(share - p) <= 4.5 * sqrt(p * (1 - p) / n) + 1e-12);
  /* a kept unit is scaled by 1/(1 − p) */
  assert_close(lt_printed_after(out, "a unit kept shows:"), DEMO_X / (1 - p), 1e-5);
  /* the mean is x·(kept share)/(1 − p) ... */
  double mean = lt_printed_after(out, "mean of the outputs:");
  assert_close(mean, DEMO_X * (1 - share) / (1 - p), 1e-5);
  /* ... whose expectation is x: each output x·m has E[m] = 1 and
   * Var[m] = p/(1 − p), so the mean of n is within a few standard errors */
  double se = DEMO_X * sqrt(p / ((1 - p) * n));
  assert_close(lt_printed_after(out, "standard error of the mean") / se, 1.0, 1e-5);
  assert_true(fabs(mean - DEMO_X) <= 4.5 * se + 1e-12);
  /* at test time dropout is the identity: not one output differs */
  assert_true(lt_printed_after(out, "largest |output − input|:") == 0.0);
}

static void
dropout_keeps_the_expected_activation(void **state)
{
  (void) state;
  assert_dropout_facts(lt_default_run.out, DEFAULT_DROPOUT);
  const char *args[] = {"--dropout", "0.2", "--epochs", "20", "--no-prose", NULL};
  lt_run r = lt_run_lecture("dropout", args, NULL);
  lt_check_succeeded(&r);
  assert_dropout_facts(r.out, 0.2);
  lt_run_free(&r);
}

static void
dropout_backward_passes_its_check(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double m[3 * 4];
  size_t cols = 0;
  assert_int_equal(lt_printed_matrix(out, "mask m", m, 3, 4, &cols), 3);
  assert_int_equal(cols, 4);
  for (size_t k = 0; k < 12; k++)  /* 0 or 1/(1 − p) */
    assert_true(m[k] == 0.0 || fabs(m[k] - 1 / (1 - DEFAULT_DROPOUT)) < 1e-12);
  const char *s = lt_find(out, "relative error of dX against central differences:");
  double err = lt_printed_after(s, "differences:");
  assert_true(err < 1e-7);
  assert_true(lt_contains(s, "(the check passes)"));
}

/* ===== L2 ===== */

static void
l2_penalty_and_its_gradient(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const double lambda = 0.1, w[3] = {2.385, -1.2, 0.5};
  double printed_w[3], grad[3];
  assert_int_equal(lt_printed_vector(out, "w = (", printed_w, 3), 3);
  double sq = 0;
  for (size_t k = 0; k < 3; k++) {
    assert_close(printed_w[k], w[k], 1e-12);
    sq += w[k] * w[k];
  }
  assert_close(lt_printed_after(out, "(λ/2)‖w‖² ="), lambda / 2 * sq, 1e-5);
  assert_int_equal(lt_printed_vector(out, "gradient λw = (", grad, 3), 3);
  for (size_t k = 0; k < 3; k++)
    assert_close(grad[k], lambda * w[k], 1e-5);
  assert_true(lt_printed_after(out, "relative error against central differences:") < 1e-7);
}

/* The .dat block of a histogram: its counts. */
static double
histogram_total(const char *path, size_t block, size_t *bins)
{
  static double x[200], y[200];
  *bins = lt_read_block(path, block, x, y, 200);
  double total = 0;
  for (size_t b = 0; b < *bins; b++) {
    assert_true(y[b] >= 0 && y[b] == floor(y[b]));
    total += y[b];
  }
  return total;
}

static void
the_histograms_count_every_weight_and_l2_shrinks_them(void **state)
{
  (void) state;
  /* 1 → H → H → 1: H + H·H + H weights, biases apart */
  const double n_weights = DEFAULT_HIDDEN + DEFAULT_HIDDEN * DEFAULT_HIDDEN + DEFAULT_HIDDEN;
  const char *path = lt_path(lt_default_dir(), "weight-histogram", "dat");
  size_t bins0 = 0, bins1 = 0;
  assert_true(histogram_total(path, 0, &bins0) == n_weights);
  assert_true(histogram_total(path, 1, &bins1) == n_weights);
  assert_true(bins0 >= 10 && bins0 == bins1);
  const char *out = lt_default_run.out;
  /* ‖w‖, the last number of each row of the table of section 3 */
  const char *row_plain = lt_find(lt_find(out, "train MSE   dev MSE     ‖w‖"),
                                  "no regularization");
  const char *row_l2 = lt_find(row_plain, "\n  L2 ");
  double a, b, norm_plain, c, d, norm_l2;
  assert_int_equal(sscanf(row_plain, "no regularization %lf %lf %lf", &a, &b,
                          &norm_plain), 3);
  assert_int_equal(sscanf(row_l2, "\n  L2 %lf %lf %lf", &c, &d, &norm_l2), 3);
  assert_true(norm_l2 < norm_plain);
  assert_true(norm_l2 > 0);
}

/* ===== Overtraining and early stopping ===== */

static void
the_network_memorizes(void **state)
{
  (void) state;
  static double e_train[DEFAULT_EPOCHS], train[DEFAULT_EPOCHS];
  static double e_dev[DEFAULT_EPOCHS], dev[DEFAULT_EPOCHS];
  const char *path = lt_path(lt_default_dir(), "overfitting", "dat");
  assert_int_equal(lt_read_block(path, 0, e_train, train, DEFAULT_EPOCHS), DEFAULT_EPOCHS);
  assert_int_equal(lt_read_block(path, 1, e_dev, dev, DEFAULT_EPOCHS), DEFAULT_EPOCHS);
  size_t best = 0;
  for (size_t e = 0; e < DEFAULT_EPOCHS; e++) {
    assert_true(e_train[e] == e + 1 && e_dev[e] == e + 1);
    if (dev[e] < dev[best])
      best = e;
  }
  /* the training loss ends below what the true line scores: it fits noise */
  assert_true(train[DEFAULT_EPOCHS - 1] < NOISE_VARIANCE);
  /* and the dev loss rises well above its lowest */
  assert_true(dev[DEFAULT_EPOCHS - 1] > 1.2 * dev[best]);
  const char *out = lt_default_run.out;
  assert_close(lt_printed_after(out, "lowest dev MSE:"), dev[best], 1e-5);
  assert_int_equal((long) lt_printed_after(lt_find(out, "lowest dev MSE:"), "after epoch"),
                   (long) best + 1);
  /* the true line's dev MSE is the mean of 200 squares of N(0, σ²): σ² on
   * average, with a standard deviation of σ² sqrt(2/200) */
  double floor_dev = lt_printed_after(out, "The true line y = x on the dev set: MSE =");
  assert_true(fabs(floor_dev - NOISE_VARIANCE) < 4.5 * NOISE_VARIANCE * sqrt(2.0 / 200));
  /* parameters: (1·H + H) + (H·H + H) + (H + 1) */
  assert_int_equal((long) lt_printed_after(out, "\nparameters:"),
                   2 * DEFAULT_HIDDEN + DEFAULT_HIDDEN * DEFAULT_HIDDEN + DEFAULT_HIDDEN
                   + DEFAULT_HIDDEN + 1);
}

/* The early-stopping rule, written here from its definition: after each
 * epoch (from 1), a dev loss below the best so far is a new best; stop
 * once PATIENCE epochs in a row bring none. *best receives the best epoch;
 * returns the epoch it stops after, or 0 when it never does. */
static size_t
early_stopping_rule(const double *dev, size_t n, size_t patience, size_t *best)
{
  double lowest = INFINITY;
  size_t waited = 0;
  for (size_t e = 1; e <= n; e++) {
    if (dev[e - 1] < lowest) {
      lowest = dev[e - 1];
      *best = e;
      waited = 0;
    } else if (++waited == patience) {
      return e;
    }
  }
  return 0;
}

/* The run R with PATIENCE stopped where the rule stops on the dev curve
 * it wrote into DIR. */
static void
assert_stops_by_the_rule(const char *out, const char *dir, size_t patience, size_t epochs)
{
  static double e[DEFAULT_EPOCHS], dev[DEFAULT_EPOCHS];
  size_t n = lt_read_block(lt_path(dir, "early-stopping", "dat"), 0, e, dev, DEFAULT_EPOCHS);
  assert_int_equal(n, epochs);
  size_t best = 0, stop = early_stopping_rule(dev, n, patience, &best);
  char text[160];
  if (stop > 0) {
    snprintf(text, sizeof text, "(patience %zu) stopped after epoch %zu: the dev loss was "
             "last lowered at epoch %zu.", patience, stop, best);
    assert_true(lt_contains(out, text));
    snprintf(text, sizeof text, "Its %zu dev losses are exactly section 1's", stop);
    assert_true(lt_contains(out, text));
  } else {
    snprintf(text, sizeof text, "(patience %zu) never ran out of patience in %zu epochs; "
             "the best epoch was %zu.", patience, epochs, best);
    assert_true(lt_contains(out, text));
  }
  snprintf(text, sizeof text, "at epoch %zu; saved to best-body.ckpt", best);
  assert_true(lt_contains(out, text));
  assert_close(lt_printed_after(out, "Best dev MSE:"), dev[best - 1], 1e-5);
}

static void
early_stopping_follows_the_rule(void **state)
{
  (void) state;
  assert_stops_by_the_rule(lt_default_run.out, lt_default_dir(), DEFAULT_PATIENCE,
                           DEFAULT_EPOCHS);
  const char *quick[] = {"--patience", "3", "--no-prose", NULL};
  lt_run r = lt_run_lecture("patience", quick, NULL);
  lt_check_succeeded(&r);
  assert_stops_by_the_rule(r.out, lt_dir("patience"), 3, DEFAULT_EPOCHS);
  lt_run_free(&r);
  const char *never[] = {"--patience", "100000", "--epochs", "60", "--no-prose", NULL};
  r = lt_run_lecture("patience", never, NULL);
  lt_check_succeeded(&r);
  assert_stops_by_the_rule(r.out, lt_dir("patience"), 100000, 60);
  lt_run_free(&r);
}

/* The size nn/checkpoint.h documents for a network of L layers with sizes
 * s_0..s_L, without optimizer state: magic 8, version 4, L 4, sizes 8 each,
 * activations 4 each, slopes 8 each, P 8, parameters 8 each, the optimizer
 * flag 4, the CRC 4. */
static long
checkpoint_size(const size_t *sizes, size_t L)
{
  size_t params = 0;
  for (size_t l = 0; l < L; l++)
    params += sizes[l] * sizes[l + 1] + sizes[l + 1];
  return (long) (8 + 4 + 4 + 8 * (L + 1) + 4 * L + 8 * L + 8 + 8 * params + 4 + 4);
}

static void
the_checkpoint_reloads_to_the_same_double(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const char *best = lt_find(out, "the best dev MSE, to 17 digits:");
  const char *reloaded = lt_find(out, "the reloaded model's, to 17 digits:");
  char a[64], b[64];
  assert_int_equal(sscanf(best, "the best dev MSE, to 17 digits: %63s", a), 1);
  assert_int_equal(sscanf(reloaded, "the reloaded model's, to 17 digits: %63s", b), 1);
  assert_string_equal(a, b);
  assert_true(lt_contains(reloaded, "(the same double)"));
  /* a fresh model is far worse before it loads the checkpoint */
  assert_true(lt_printed_after(out, "dev MSE of the fresh model:")
              > lt_printed_after(out, "after loading the checkpoint:"));
  /* the files: the documented format's size and magic number */
  const size_t body[] = {1, DEFAULT_HIDDEN, DEFAULT_HIDDEN}, head[] = {DEFAULT_HIDDEN, 1};
  const char *dir = lt_default_dir();
  assert_int_equal(lt_file_size(dir, "best-body", "ckpt"), checkpoint_size(body, 2));
  assert_int_equal(lt_file_size(dir, "best-head", "ckpt"), checkpoint_size(head, 1));
  assert_int_equal(lt_file_size(dir, "initial-body", "ckpt"), checkpoint_size(body, 2));
  size_t size = 0;
  char *bytes = lt_read_file(lt_path(dir, "best-body", "ckpt"), &size);
  assert_non_null(bytes);
  assert_memory_equal(bytes, "\x89NNCKPT\n", 8);
  free(bytes);
}

static void
the_dev_set_picks_and_the_test_set_reports(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const char *table = lt_find(out, "train MSE   dev MSE     gap");
  static const char *const rows[] = {"no regularization, 500 epochs", "L2, 500 epochs",
                                     "dropout, 500 epochs", "early stopping (checkpoint)"};
  static const char *const names[] = {"no regularization", "L2", "dropout",
                                      "early stopping"};
  double lowest = INFINITY;
  size_t pick = 0;
  for (size_t k = 0; k < 4; k++) {
    const char *row = lt_find(table, rows[k]) + strlen(rows[k]);
    double train, dev, gap;
    assert_int_equal(sscanf(row, "%lf %lf %lf", &train, &dev, &gap), 3);
    assert_close(gap, dev - train, 2e-5);
    if (dev < lowest) {
      lowest = dev;
      pick = k;
    }
  }
  char text[128];
  snprintf(text, sizeof text, "The lowest dev MSE: %s, so that is the model we keep.",
           names[pick]);
  assert_true(lt_contains(out, text));
  double test = lt_printed_after(out, "the one look at the test set:");
  assert_true(test > 0 && test < 1);
}

/* ===== Ensembles ===== */

static void
the_ensemble_gains_the_spread_of_its_members(void **state)
{
  (void) state;
  const char *out = lt_find(lt_default_run.out, "## 6. Ensembles");
  double sum = 0;
  size_t k = 0;
  char text[32];
  for (;;) {
    snprintf(text, sizeof text, "  member %zu: dev MSE", k + 1);
    if (strstr(out, text) == NULL)
      break;
    sum += lt_printed_after(out, text);
    k++;
  }
  assert_int_equal(k, 5);  /* --members */
  double mean = lt_printed_after(out, "the members' mean dev MSE:");
  double ens = lt_printed_after(out, "the ensemble's dev MSE:");
  double spread = lt_printed_after(out, "the spread of the members:");
  assert_close(mean, sum / k, 1e-5);
  /* (1/K) Σ (ŷ_k − y)² = (ȳ − y)² + (1/K) Σ (ŷ_k − ȳ)², sample by sample */
  assert_close(ens, mean - spread, 1e-5);
  assert_true(spread > 0);
  assert_true(ens < mean);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--dropout X", "--l2 X", "--patience N", "--epochs N", "--hidden N", "--samples N",
    "--lr X", "--members N", "--seed N", "--out DIR", "--no-prose", "--quiet", "--help",
    "(default 0.5)", "(default 0.01)", "(default 20)", "(default 500)", "(default 32)",
    "(default 5)", "(default out/lecture10)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--dropout", "1", NULL, "--dropout", "'1'"},
    {"--dropout", "-0.1", NULL, "--dropout", "-0.1"},
    {"--dropout", "nan", NULL, "--dropout", "nan"},
    {"--l2", "-1", NULL, "--l2", "'-1'"},
    {"--patience", "0", NULL, "--patience", "'0'"},
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "2.5", NULL, "--epochs", "2.5"},
    {"--hidden", "1", NULL, "--hidden", "'1'"},
    {"--samples", "1", NULL, "--samples", "'1'"},
    {"--lr", "0", NULL, "--lr", "'0'"},
    {"--lr", "abc", NULL, "--lr", "abc"},
    {"--members", "0", NULL, "--members", "'0'"},
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
  /* and the same files, checkpoints included, byte for byte */
  static const char *const files[] = {"overfitting.dat", "early-stopping.dat",
                                      "weight-histogram.dat", "dropout-network.dot",
                                      "best-body.ckpt", "best-head.ckpt", NULL};
  lt_check_seed_determines_the_files(files);
}


static void
missing_programs_are_not_fatal(void **state)
{
  (void) state;
  const char *args[] = {"--no-prose", "--epochs", "50", NULL};
  lt_check_missing_programs(args, "overfitting", "dropout-network");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(dropout_keeps_the_expected_activation),
    cmocka_unit_test(dropout_backward_passes_its_check),
    cmocka_unit_test(l2_penalty_and_its_gradient),
    cmocka_unit_test(the_histograms_count_every_weight_and_l2_shrinks_them),
    cmocka_unit_test(the_network_memorizes),
    cmocka_unit_test(early_stopping_follows_the_rule),
    cmocka_unit_test(the_checkpoint_reloads_to_the_same_double),
    cmocka_unit_test(the_dev_set_picks_and_the_test_set_reports),
    cmocka_unit_test(the_ensemble_gains_the_spread_of_its_members),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
