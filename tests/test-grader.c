/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nngrade on fixture submissions.
 *
 * A class of seven is built under the build tree: the reference solution,
 * the shipped stubs, an empty folder, and four hostile submissions that are
 * correct but for one function (which segfaults, loops forever, allocates
 * until malloc fails) or that implement nothing and fake cmocka's success
 * lines before exit(0). A broken function must cost exactly the points of
 * the tests of that function (as `nngrade list` tells them) and nothing
 * else: no crash, loop or fake output raises a score or costs another row.
 * Bugs that leave the outputs right cost their tests too: an index out of
 * range that GSL refused, memory not freed where the README asks for it.
 * And a wrong answer's feedback names its signature (every entry B times
 * the expected one; a step the wrong way; a function built on a wrong one).
 */
#include "batchtest.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

/* The whole of a file, NUL-terminated (the caller frees it), or NULL. */
static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf != NULL && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n - 1 == 0) {
      char *b = realloc(buf, cap *= 2);
      if (b == NULL) {
        free(buf);
        buf = NULL;
      } else {
        buf = b;
      }
    }
  }
  fclose(f);
  if (buf != NULL)
    buf[n] = '\0';
  return buf;
}

/* What `nngrade list` says: per exercise, its tests' functions and points. */
#define MAX_EXERCISES 16
static struct {
  int number;
  double total;
  char functions[16][200];
  double points[16];
  size_t n_functions;
} listed[MAX_EXERCISES];
static size_t n_listed;

static void
read_list(void)
{
  char path[1400];
  snprintf(path, sizeof path, "%s/list.txt", batch_work);
  assert_int_equal(nn_test_shell("%s list > '%s'", batch_nngrade, path), 0);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  char line[512], name[200], fn[200];
  double pts;
  int number;
  n_listed = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "Exercise %d:", &number) == 1) {
      assert_true(n_listed < MAX_EXERCISES);
      memset(&listed[n_listed], 0, sizeof listed[0]);
      listed[n_listed++].number = number;
    } else if (n_listed > 0 && sscanf(line, " %199s %199s %lf", name, fn, &pts) == 3) {
      __typeof__(listed[0]) *e = &listed[n_listed - 1];
      e->total += pts;
      size_t k = 0;
      while (k < e->n_functions && strcmp(e->functions[k], fn) != 0)
        k++;
      if (k == e->n_functions) {
        assert_true(k < 16);
        snprintf(e->functions[k], sizeof e->functions[k], "%s", fn);
        e->n_functions++;
      }
      e->points[k] += pts;
    }
  }
  fclose(f);
  assert_true(n_listed > 0);
  for (size_t i = 0; i < n_listed; i++)
    assert_true(listed[i].total > 0);
}

/* Points of exercise 1's tests about FUNCTION. */
static double
points_of(const char *function)
{
  assert_int_equal(listed[0].number, 1);
  for (size_t k = 0; k < listed[0].n_functions; k++)
    if (strcmp(listed[0].functions[k], function) == 0)
      return listed[0].points[k];
  print_error("nngrade list shows no test of %s\n", function);
  fail();
  return 0;
}

/* Column COL (0: the first exercise) of STUDENT's row in grades.csv; -1
 * when absent. */
static double
score_of(const char *csv, const char *student, size_t col)
{
  char key[256];
  snprintf(key, sizeof key, "\n%s,", student);
  const char *p = strstr(csv, key);
  if (p == NULL)
    return -1;
  p += strlen(key);
  for (size_t c = 0; c < col; c++) {
    p = strchr(p, ',');
    if (p == NULL)
      return -1;
    p++;
  }
  return strtod(p, NULL);
}

static int
setup(void **state)
{
  (void) state;
  if (batch_test_setup("grader") != 0)
    return -1;
  const char *fx = "tests/fixtures";
  if (nn_test_shell("rm -rf '%s' && mkdir -p '%s/class/empty'", batch_work, batch_work) != 0
      || nn_test_shell("cp -R '%s/%s/solutions' '%s/class/correct'", batch_src, fx, batch_work) != 0
      || nn_test_shell("for f in '%s'/exercises/ex*/exercise*.c; do d=$(basename $(dirname $f)); "
             "mkdir -p '%s/class/stubs/'$d && cp $f '%s/class/stubs/'$d/ || exit 1; done",
             batch_src, batch_work, batch_work) != 0
      || nn_test_shell("for d in segfault infinite-loop fake-pass memory-hog; do "
             "cp -R '%s/%s/hostile/'$d '%s/class/'$d || exit 1; done",
             batch_src, fx, batch_work) != 0
      || nn_test_shell("chmod -R u+w '%s/class'", batch_work) != 0)
    return -1;
  read_list();
  return 0;
}

static void
batch_gives_each_submission_what_it_earned(void **state)
{
  (void) state;
  char csv_path[1400], fb[1400];
  assert_int_equal(nn_test_shell("%s batch --quiet --cpu-limit 1 --wall-limit 20 '%s/class' "
                       "--out '%s/grades'", batch_nngrade, batch_work, batch_work), 0);
  snprintf(csv_path, sizeof csv_path, "%s/grades/grades.csv", batch_work);
  char *csv = slurp(csv_path);
  assert_non_null(csv);
  assert_true(strncmp(csv, "student,ex01,", 13) == 0);

  /* Every exercise: the solutions earn everything, stubs and nothing nothing. */
  for (size_t e = 0; e < n_listed; e++) {
    assert_close(score_of(csv, "correct", e), listed[e].total, 0);
    assert_close(score_of(csv, "stubs", e), 0, 0);
    assert_close(score_of(csv, "empty", e), 0, 0);
  }
  /* Exercise 1: a broken function costs its own tests, nothing else. */
  double total = listed[0].total;
  double dot = points_of("ex1_dot"), matvec = points_of("ex1_matvec"),
         central = points_of("ex1_central_difference"),
         poly = points_of("ex1_poly_derivative");
  assert_close(dot + matvec + central + poly, total, 0);
  assert_close(score_of(csv, "segfault", 0), total - dot, 0);
  assert_close(score_of(csv, "infinite-loop", 0), total - matvec, 0);
  assert_close(score_of(csv, "memory-hog", 0), total - poly, 0);
  assert_close(score_of(csv, "fake-pass", 0), 0, 0);
  /* One row per student and a header: 8 lines. */
  size_t lines = 0;
  for (const char *p = csv; *p; p++)
    lines += *p == '\n';
  assert_int_equal(lines, 8);
  free(csv);

  /* The feedback says why. */
  const struct { const char *student, *says; } reasons[] = {
    {"segfault", "segmentation fault (SIGSEGV)"},
    {"infinite-loop", "CPU time"},
    {"fake-pass", "before it answered: something in your code called exit()"},
    {"memory-hog", "expected -3, got"},
    {"stubs", "not implemented yet"},
    {"empty", "exercise1.c was not found"},
  };
  for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
    snprintf(fb, sizeof fb, "%s/grades/feedback/%s.md", batch_work, reasons[i].student);
    char *text = slurp(fb);
    assert_non_null(text);
    if (strstr(text, reasons[i].says) == NULL) {
      print_error("%s does not say \"%s\"\n", fb, reasons[i].says);
      free(text);
      fail();
    }
    free(text);
  }
}

static void
check_reports_stubs_as_not_implemented(void **state)
{
  (void) state;
  char out[1400];
  snprintf(out, sizeof out, "%s/check-stubs.txt", batch_work);
  /* Not at full marks: a non-zero exit status. */
  assert_int_equal(nn_test_shell("%s check --exercise 1 '%s/exercises/ex01' > '%s'", batch_nngrade,
                       batch_src, out), 1);
  char *text = slurp(out);
  assert_non_null(text);
  double total = listed[0].total;
  char want[64];
  snprintf(want, sizeof want, "Score: 0/%g", total);
  assert_non_null(strstr(text, want));
  /* every test is "not implemented yet", none passes, none crashed */
  size_t todo = 0;
  for (const char *p = text; (p = strstr(p, "not implemented yet")) != NULL; p++)
    todo++;
  assert_int_equal(todo, (size_t) total);
  assert_null(strstr(text, "PASS "));
  assert_null(strstr(text, "CRASH"));
  free(text);
}

static void
check_gives_the_solution_full_marks(void **state)
{
  (void) state;
  char out[1400];
  snprintf(out, sizeof out, "%s/check-correct.txt", batch_work);
  assert_int_equal(nn_test_shell("%s check '%s/class/correct' > '%s'", batch_nngrade, batch_work, out), 0);
  char *text = slurp(out);
  assert_non_null(text);
  for (size_t e = 0; e < n_listed; e++) {
    char want[64];
    snprintf(want, sizeof want, "Score: %g/%g", listed[e].total, listed[e].total);
    assert_non_null(strstr(text, want));
  }
  free(text);
}

/* `nngrade check --exercise N` on the hostile fixture FIXTURE (copied next
 * to the class, not into it): exactly the tests named in FAILING fail, the
 * detail of FAILING[k] says SAYS[k], and every other test passes. Returns
 * the report (the caller frees it). */
static char *
expect_only_these_fail(const char *fixture, int exercise, const char *const failing[],
                       const char *const says[], size_t n_failing)
{
  char dir[1400], out[1500];
  snprintf(dir, sizeof dir, "%s/alone/%s", batch_work, fixture);
  snprintf(out, sizeof out, "%s/check-%s.txt", batch_work, fixture);
  assert_int_equal(nn_test_shell("rm -rf '%s' && mkdir -p '%s/alone' && cp -R "
                       "'%s/tests/fixtures/hostile/%s' '%s' && chmod -R u+w '%s'", dir, batch_work,
                       batch_src, fixture, dir, dir), 0);
  assert_int_equal(nn_test_shell("%s check --exercise %d '%s' > '%s'", batch_nngrade, exercise,
                       dir, out), 1);
  char *text = slurp(out), *lines = slurp(out);
  assert_non_null(text);
  assert_non_null(lines);
  size_t passed = 0, failed = 0;
  for (char *line = lines; line != NULL && *line; ) {
    char *next = strchr(line, '\n');
    if (next != NULL)
      *next++ = '\0';
    char verdict[8], name[200];
    if (sscanf(line, " %7s %199s", verdict, name) == 2
        && (strcmp(verdict, "PASS") == 0 || strcmp(verdict, "FAIL") == 0
            || strcmp(verdict, "CRASH") == 0 || strcmp(verdict, "TODO") == 0)) {
      size_t k = 0;
      while (k < n_failing && strcmp(failing[k], name) != 0)
        k++;
      if ((k < n_failing) != (strcmp(verdict, "FAIL") == 0)) {
        print_error("%s: %s %s, expected %s\n", fixture, verdict, name,
                    k < n_failing ? "FAIL" : "PASS");
        fail();
      }
      if (k < n_failing) {
        failed++;
        /* The next line is the detail. */
        char *end = next != NULL ? strchr(next, '\n') : NULL;
        if (end != NULL)
          *end = '\0';
        if (next == NULL || strstr(next, says[k]) == NULL) {
          print_error("%s: %s fails without saying \"%s\": %s\n", fixture, name, says[k],
                      next != NULL ? next : "");
          fail();
        }
        if (end != NULL)
          *end = '\n';
      } else {
        passed++;
      }
    }
    line = next;
  }
  assert_int_equal(failed, n_failing);
  assert_true(passed > 0);
  free(lines);
  return text;
}

static void
an_index_out_of_range_fails_its_tests(void **state)
{
  (void) state;
  /* ex3_dense_forward writes 50 rows below Y: GSL refuses, Y is right. */
  const char *const failing[] = {"dense_forward_of_one_sample", "dense_forward_of_a_batch"};
  const char *const says = "your code called gsl_matrix_set out of range: first index "
                           "out of range";
  const char *const saying[] = {says, says};
  free(expect_only_these_fail("out-of-range", 3, failing, saying, 2));
}

static void
memory_not_freed_fails_its_tests(void **state)
{
  (void) state;
  /* ex3_forward never frees the matrix of each layer: its tests that get
   * past the checks lose their points, with the bytes left behind. */
  const char *const failing[] = {"forward_through_two_relu_layers",
                                 "forward_through_sigmoid_and_tanh",
                                 "forward_of_linear_layers_is_one_layer"};
  const char *const says = "ex3_forward did not free ";
  const char *const saying[] = {says, says, says};
  char *text = expect_only_these_fail("leaks", 3, failing, saying, 3);
  /* Each layer leaks a gsl_matrix: three allocations (the struct, its block
   * and the data). */
  const char *p = strstr(text, "did not free ");
  long long bytes = 0, blocks = 0;
  assert_non_null(p);
  assert_int_equal(sscanf(p, "did not free %lld bytes (%lld allocations)", &bytes, &blocks), 2);
  assert_true(bytes > 0);
  assert_true(blocks > 0 && blocks % 3 == 0);
  free(text);
}

static void
feedback_names_the_signature_of_a_wrong_answer(void **state)
{
  (void) state;
  /* ex4_cross_entropy_grad without its 1/B: the ratio is exactly B. */
  const char *const ce[] = {"cross_entropy_is_stable_for_large_scores",
                            "cross_entropy_gradient_is_p_minus_y_over_b"};
  const char *const ce_says[] = {
    "Every entry is B = 2 times the expected one: did you forget to divide by the "
    "batch size?",
    "Every entry is B = 4 times the expected one: did you forget to divide by the "
    "batch size?"};
  char *text = expect_only_these_fail("missing-batch-mean", 4, ce, ce_says, 2);
  assert_non_null(strstr(text, "Inputs there: Z[0][0] = "));
  free(text);
  /* ex6_step going the wrong way: its own tests say the sign; the tests of
   * ex6_descend, which takes its steps, say to fix ex6_step first. */
  const char *const step[] = {"step_descends_against_the_gradient",
                              "step_ascends_along_the_gradient",
                              "descend_follows_gradient_descent",
                              "ascend_climbs_to_a_hilltop"};
  const char *const sign = "is minus the expected one: a sign is flipped";
  const char *const first = "fix ex6_step first";
  const char *const step_says[] = {sign, sign, first, first};
  free(expect_only_these_fail("sign-flipped-step", 6, step, step_says, 4));
  /* ex9_adam_step without its bias correction: the first step says so. */
  const char *const adam[] = {"adam_first_step_is_lr_sign_g", "adam_descends_a_quadratic",
                              "adam_uses_the_step_number"};
  const char *const adam_says[] = {"m and v need their bias correction",
                                   "theta after step 1 of 25", "theta after step t = 7"};
  free(expect_only_these_fail("adam-without-bias-correction", 9, adam, adam_says, 3));
}

static void
batches_that_ignore_the_order_fail_their_tests(void **state)
{
  (void) state;
  /* ex8_batch copies rows k·B + i instead of order[k·B + i]: its own tests
   * fail, and ex8_train, which takes its batches, says to fix it first. */
  const char *const failing[] = {"batch_copies_rows_in_the_shuffled_order",
                                 "last_batch_is_short", "train_follows_the_library"};
  const char *const says[] = {"(row i: row order[0 + i] of X): row 0",
                              "(row i: row order[8 + i] of X", "fix ex8_batch first"};
  free(expect_only_these_fail("batch-ignores-order", 8, failing, says, 3));
}

static void
dropout_without_its_scale_fails_its_tests(void **state)
{
  (void) state;
  /* ex10_dropout_forward keeps units unscaled: the tests of its training
   * mode fail, and the backward pass that takes its mask says to fix it
   * first; its test-time identity, its checks and the other functions pass. */
  const char *const failing[] = {"dropout_forward_matches_the_library",
                                 "dropout_forward_keeps_the_expected_activation",
                                 "dropout_forward_in_place",
                                 "dropout_backward_after_its_forward"};
  const char *const says[] = {"the mask M", "keep the expected activation",
                              "Y written over X", "fix ex10_dropout_forward first"};
  free(expect_only_these_fail("dropout-without-scale", 10, failing, says, 4));
}

static void
attention_mistakes_fail_their_tests(void **state)
{
  (void) state;
  /* ex13_scores without its 1/√d_k: its own test names the factor √6; the
   * attention built on it says to fix it first, and the backward pass
   * after that forward pass says to fix the attention. (With large scores
   * the weights are one-hot with or without the scale: that test passes.) */
  const char *const scale[] = {"scores_match_the_library", "attention_matches_the_library",
                               "attention_with_the_causal_mask",
                               "attention_backward_after_its_forward"};
  const char *const scale_says[] = {"2.44949 times the expected one", "fix ex13_scores first",
                                    "fix ex13_scores first", "fix ex13_attention first"};
  free(expect_only_these_fail("attention-without-scale", 13, scale, scale_says, 4));
  /* The causal mask applied after the softmax: masked rows no longer sum to 1. */
  const char *const mask[] = {"softmax_rows_with_the_causal_mask",
                              "softmax_rows_survive_large_scores",
                              "attention_with_the_causal_mask",
                              "attention_survives_large_scores",
                              "attention_backward_after_its_forward"};
  const char *const mask_says[] = {"mask the scores before the softmax",
                                   "mask the scores before the softmax",
                                   "fix ex13_softmax_rows first", "fix ex13_softmax_rows first",
                                   "fix ex13_attention first"};
  free(expect_only_these_fail("mask-after-softmax", 13, mask, mask_says, 5));
  /* A softmax without the shift by the row's maximum: right on small scores,
   * NaN on large ones. */
  const char *const shift[] = {"softmax_rows_survive_large_scores",
                               "attention_survives_large_scores"};
  const char *const shift_says[] = {"Subtract the row's largest visible score before exp",
                                    "Subtract the row's largest visible score before exp"};
  free(expect_only_these_fail("softmax-without-max-shift", 13, shift, shift_says, 2));
  /* A causal mask that hides the diagonal too (j >= i): the softmax's tests
   * say that a query sees itself, not that the mask came too late. */
  const char *const diagonal_says[] = {"itself included", "itself included",
                                       "fix ex13_softmax_rows first",
                                       "fix ex13_softmax_rows first",
                                       "fix ex13_attention first"};
  free(expect_only_these_fail("causal-hides-diagonal", 13, mask, diagonal_says, 5));
  /* The softmax taken down each column: its tests say so, with or without
   * the mask; so do the attention's, which build on it. */
  const char *const columns[] = {"softmax_rows_match_the_library",
                                 "softmax_rows_with_the_causal_mask",
                                 "softmax_rows_survive_large_scores",
                                 "attention_matches_the_library",
                                 "attention_with_the_causal_mask",
                                 "attention_survives_large_scores",
                                 "attention_backward_after_its_forward"};
  const char *const columns_says[] = {"each column of P sums to 1", "each column of P sums to 1",
                                      "each column of P sums to 1",
                                      "each column of P sums to 1",
                                      "each column of P sums to 1",
                                      "each column of P sums to 1",
                                      "fix ex13_attention first"};
  free(expect_only_these_fail("softmax-over-columns", 13, columns, columns_says, 7));
  /* The backward pass adds to dQ, dK and dV: the NaN the tests put there
   * before the call stays, and they say where it came from. */
  const char *const backward[] = {"attention_backward_matches_the_library",
                                  "attention_backward_passes_a_gradient_check",
                                  "attention_backward_after_its_forward"};
  const char *const nan_says = "held NaN before the call: did your code add to it";
  const char *const accumulates_says[] = {nan_says, nan_says, nan_says};
  free(expect_only_these_fail("backward-accumulates", 13, backward, accumulates_says, 3));
  /* dK = dS Q, the transpose left out: refused by gsl_blas_dgemm when the
   * shapes differ, which the test names; wrong when they do not. */
  const char *const transpose_says[] = {"Is a transpose missing?",
                                        "dK fails the central-difference check",
                                        "dK after your causal forward"};
  free(expect_only_these_fail("dk-without-transpose", 13, backward, transpose_says, 3));
}

static void
rnn_gradients_that_miss_the_sequence_fail_their_tests(void **state)
{
  (void) state;
  /* ex12_rnn_bptt without the recurrent path: each step gets its own loss's
   * gradient only; its tests fail, the one with a loss on the last state
   * alone saying that dh is not carried; its checks and one step pass. */
  const char *const bptt[] = {"rnn_bptt_matches_the_library",
                              "rnn_bptt_reaches_back_from_the_last_step",
                              "rnn_bptt_passes_a_gradient_check", "rnn_bptt_after_its_forward"};
  const char *const bptt_says[] = {"over 5 steps with a loss at every step",
                                   "dh is not carried from each step to the one before",
                                   "fail the central-difference check",
                                   "after your forward and your BPTT"};
  free(expect_only_these_fail("bptt-without-recurrence", 12, bptt, bptt_says, 4));
  /* ex12_clip_grad_norm clipping each gradient by its own norm: named. */
  const char *const clip[] = {"clip_grad_norm_scales_by_the_joint_norm",
                              "clip_grad_norm_leaves_small_gradients_alone"};
  const char *const clip_says[] = {"each by its own norm", "max_norm = 0.75 and norm = NULL"};
  free(expect_only_these_fail("clip-each-gradient-alone", 12, clip, clip_says, 2));
  /* Clipping by max_norm / n, without the 1e-6: a factor 1 + 1e-6 / n off,
   * which the comparison alone would call "1 times the expected one". */
  const char *const epsilon_says[] = {"c = max_norm / (n + 1e-6)", "c = max_norm / (n + 1e-6)"};
  free(expect_only_these_fail("clip-without-epsilon", 12, clip, epsilon_says, 2));
  /* ex12_rnn_step adds to h without writing it first: the NaN the tests put
   * there stays, and they say where it came from; the tests that build on
   * the step (the forward pass, then BPTT after it) say to fix it first. */
  const char *const step[] = {"rnn_step_matches_the_library",
                              "rnn_step_saturates_without_overflow",
                              "rnn_forward_matches_the_library", "rnn_forward_carries_the_state",
                              "rnn_bptt_after_its_forward"};
  const char *const step_says[] = {"h held NaN before the call: did your code add to it",
                                   "rnn_step_matches_the_library says what to fix first",
                                   "fix ex12_rnn_step first", "fix ex12_rnn_step first",
                                   "fix ex12_rnn_forward first"};
  free(expect_only_these_fail("step-adds-to-h", 12, step, step_says, 5));
  /* ex12_rnn_bptt adds to its gradients without zeroing them: named. */
  const char *const zero[] = {"rnn_bptt_matches_the_library",
                              "rnn_bptt_reaches_back_from_the_last_step",
                              "rnn_bptt_overwrites_its_outputs",
                              "rnn_bptt_passes_a_gradient_check", "rnn_bptt_after_its_forward"};
  const char *const held = "held NaN before the call: did your code add to it";
  const char *const zero_says[] = {held, held, "the outputs holding 0.5 before the call", held,
                                   held};
  free(expect_only_these_fail("bptt-adds-to-gradients", 12, zero, zero_says, 5));
}

static void
classification_mistakes_fail_their_tests(void **state)
{
  (void) state;
  /* ex11_confusion counts truth i, prediction j in C[j][i]: its tests of
   * the counts fail and say "transposed"; its symmetric start-from-zero
   * test, its checks and the other functions pass. */
  const char *const failing[] = {"confusion_matches_the_library",
                                 "confusion_rows_are_the_true_classes"};
  const char *const says = "Your matrix is the expected one transposed";
  const char *const saying[] = {says, says};
  free(expect_only_these_fail("confusion-transposed", 11, failing, saying, 2));
  /* The last of tied scores wins (>= for >): the argmax's tie test fails,
   * and so does the accuracy, whose test has a tie, saying to fix the
   * argmax first. */
  const char *const ties[] = {"argmax_takes_the_first_of_tied_scores",
                              "accuracy_matches_the_library"};
  const char *const ties_say[] = {"expected 1, got 5", "fix ex11_argmax first"};
  free(expect_only_these_fail("argmax-keeps-the-last-tie", 11, ties, ties_say, 2));
  /* An argmax that crashes costs its own tests only: the accuracy, right
   * with a loop of its own, keeps its points. And an accuracy that adds
   * 1/B per right sample, a few units in the last place from the count
   * divided once, earns full marks. */
  char dir[1400], out[1500];
  snprintf(dir, sizeof dir, "%s/alone/ex11-right", batch_work);
  snprintf(out, sizeof out, "%s/check-ex11-right.txt", batch_work);
  assert_int_equal(nn_test_shell("rm -rf '%s' && mkdir -p '%s' && cp -R "
                       "'%s/tests/fixtures/hostile/argmax-crashes' "
                       "'%s/tests/fixtures/hostile/accuracy-adds-shares' '%s' && chmod -R u+w '%s'",
                       dir, dir, batch_src, batch_src, dir, dir), 0);
  assert_int_equal(nn_test_shell("%s check --exercise 11 '%s/argmax-crashes' > '%s'",
                       batch_nngrade, dir, out), 1);
  char *text = slurp(out);
  assert_non_null(text);
  assert_non_null(strstr(text, "CRASH argmax_picks_the_largest_score"));
  assert_non_null(strstr(text, "PASS  accuracy_matches_the_library"));
  assert_non_null(strstr(text, "PASS  accuracy_is_a_share_of_the_samples"));
  assert_non_null(strstr(text, "Score: 11/14"));
  free(text);
  assert_int_equal(nn_test_shell("%s check --exercise 11 '%s/accuracy-adds-shares' > '%s'",
                       batch_nngrade, dir, out), 0);
}

static void
bad_usage_is_explained(void **state)
{
  (void) state;
  char err[1400];
  snprintf(err, sizeof err, "%s/usage.txt", batch_work);
  assert_int_equal(nn_test_shell("%s check --exercise 99 . 2> '%s'", batch_nngrade, err), 2);
  char *text = slurp(err);
  assert_non_null(text);
  assert_non_null(strstr(text, "there is no exercise 99"));
  free(text);
  assert_int_equal(nn_test_shell("%s batch '%s/does-not-exist' --out '%s/x' 2> '%s'", batch_nngrade,
                       batch_work, batch_work, err), 2);
  text = slurp(err);
  assert_non_null(text);
  assert_non_null(strstr(text, "does-not-exist"));
  free(text);
  assert_int_equal(nn_test_shell("%s check '%s/class/empty' 2> '%s'", batch_nngrade, batch_work, err), 2);
  text = slurp(err);
  assert_non_null(text);
  assert_non_null(strstr(text, "no exercise found"));
  free(text);
  assert_int_equal(nn_test_shell("%s --help > /dev/null", batch_nngrade), 0);
  assert_int_equal(nn_test_shell("%s frobnicate 2> /dev/null", batch_nngrade), 2);
}

int
main(void)
{
  if (!nn_test_long_wanted("test-grader"))
    return 77;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(batch_gives_each_submission_what_it_earned),
    cmocka_unit_test(check_reports_stubs_as_not_implemented),
    cmocka_unit_test(check_gives_the_solution_full_marks),
    cmocka_unit_test(an_index_out_of_range_fails_its_tests),
    cmocka_unit_test(memory_not_freed_fails_its_tests),
    cmocka_unit_test(feedback_names_the_signature_of_a_wrong_answer),
    cmocka_unit_test(batches_that_ignore_the_order_fail_their_tests),
    cmocka_unit_test(dropout_without_its_scale_fails_its_tests),
    cmocka_unit_test(attention_mistakes_fail_their_tests),
    cmocka_unit_test(rnn_gradients_that_miss_the_sequence_fail_their_tests),
    cmocka_unit_test(classification_mistakes_fail_their_tests),
    cmocka_unit_test(bad_usage_is_explained),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
