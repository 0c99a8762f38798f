/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex11.c: the public tests of exercise 11.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_train_argmax for the predicted classes, nn_train_confusion for the
 * confusion matrix (nn/train.h). The library's accuracy takes a network;
 * the exercise's takes the scores, so the tests use the identity train.h
 * states, accuracy = trace(C) / N, with C the library's confusion matrix
 * of the library's argmax. The library has no one-hot function: its loss
 * nn_loss_softmax_ce_labels reads a label "as if Y were its one-hot
 * encoding", so the student's Y is checked against first principles (a 1
 * at the label, 0 elsewhere) and then through the loss: the cross-entropy
 * with Y as targets must be the one with the labels (nn/loss.h). Three
 * conventions are the exercise's own and are stated where they are used:
 * argmax refuses a Y of one column (the library reads it as a sigmoid's
 * probability) and a score that is NaN (the library does not look), and
 * the few tests that count by hand say why their numbers are what they
 * are. Inputs live in arrays on the stack, so a failing test leaks
 * nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>

#include <nn/loss.h>
#include <nn/train.h>

#include "exercises.h"
#include "remote-ex11.h"
#include "testkit.h"

/* Fashion-MNIST's 10 classes; B samples. Argmax is tested with 8 classes,
 * so that the feedback can show a wrong row of scores whole. */
#define K 10
#define KA 8
#define B 8

/* Tolerance of an accuracy. Right answers over B is exact when divided
 * once, but a correct solution may also add 1/B per right sample, which
 * is off by a few units in the last place (60 times 1/60 is 1 - 1.3e-15);
 * a wrong count is off by 1/B at least, so 1e-12 tells them apart. */
#define ACCURACY_TOL 1e-12

/* n classes 0 .. k-1 drawn with SEED, as doubles: floor of uniform [0, k). */
static void
random_classes(double *c, size_t n, size_t k, unsigned long seed)
{
  nng_fill_uniform(c, n, 0, (double) k, seed);
  for (size_t i = 0; i < n; i++)
    c[i] = floor(c[i]);
}

/* The library's classes of the scores Y (rows, cols) into classes. */
static void
reference_argmax(const double *Y, size_t rows, size_t cols, double *classes)
{
  gsl_matrix_const_view Yv = gsl_matrix_const_view_array(Y, rows, cols);
  gsl_vector_view cv = gsl_vector_view_array(classes, rows);
  nn_train_argmax(&Yv.matrix, &cv.vector);
}

/* The library's confusion matrix (k, k) of n samples into C. */
static void
reference_confusion(const double *truth, const double *predicted, size_t n, size_t k,
                    double *C)
{
  gsl_vector_const_view tv = gsl_vector_const_view_array(truth, n);
  gsl_vector_const_view pv = gsl_vector_const_view_array(predicted, n);
  gsl_matrix_view Cv = gsl_matrix_view_array(C, k, k);
  nn_train_confusion(&tv.vector, &pv.vector, &Cv.matrix);
}

/* The student's argmax on a small case (a plain row, a row of negative
 * scores, a row with a tie): 1 when it gives the right classes. */
static int
argmax_works(void)
{
  double Y[3 * 4] = {0.1, 0.7, 0.3, -1.0,
                     -2.0, -3.0, -1.5, -4.0,
                     1.0, 5.0, 5.0, 0.0};
  double classes[3] = {-7, -7, -7};
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, 3, 4);
  gsl_vector_view cv = gsl_vector_view_array(classes, 3);
  return nng_ex11_argmax(&cv.vector, &Yv.matrix) == GSL_SUCCESS && classes[0] == 1.0
         && classes[1] == 2.0 && classes[2] == 1.0;
}

/* ===== ex11_argmax ===== */

/* Call the student's argmax on Y (B, KA) and compare with the library's. */
static void
check_argmax(double *Y, const char *what)
{
  double classes[B], expected[B];
  reference_argmax(Y, B, KA, expected);
  nng_set_all(classes, B, NAN);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, KA);
  gsl_vector_view cv = gsl_vector_view_array(classes, B);
  gsl_vector_view ev = gsl_vector_view_array(expected, B);
  nng_show_input("Y", &Yv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex11_argmax(&cv.vector, &Yv.matrix), "ex11_argmax");
  NNG_EXPECT_VECTOR_CLOSE(what, &cv.vector, &ev.vector, 0.0);
}

static void
argmax_picks_the_largest_score(void **state)
{
  (void) state;
  double Y[B * KA];
  nng_fill_uniform(Y, B * KA, -3, 3, 1101);
  check_argmax(Y, "the class of each row of scores (8 samples, 8 classes; classes held "
                  "NaN before the call)");
}

static void
argmax_takes_the_first_of_tied_scores(void **state)
{
  (void) state;
  double Y[B * KA];
  nng_fill_uniform(Y, B * KA, -1, 1, 1102);
  /* ties for the largest score: columns 1 and 5; 0 and 7; all equal;
   * 2, 3 and 6; and a tie below the largest, which must not matter */
  Y[0 * KA + 1] = Y[0 * KA + 5] = 2.385;
  Y[1 * KA + 0] = Y[1 * KA + 7] = 1.5;
  for (size_t k = 0; k < KA; k++)
    Y[2 * KA + k] = 0.25;
  Y[3 * KA + 2] = Y[3 * KA + 3] = Y[3 * KA + 6] = 4.0;
  Y[4 * KA + 4] = 3.0;
  Y[4 * KA + 1] = Y[4 * KA + 6] = 2.0;
  check_argmax(Y, "the class of rows whose largest score is tied (the first index wins)");
}

static void
argmax_of_negative_scores(void **state)
{
  (void) state;
  /* every score negative, as raw scores (logits) often are, but for one
   * of row 0: an argmax that starts from the value 0 gets row 0 right and
   * the others wrong */
  double Y[B * KA];
  nng_fill_uniform(Y, B * KA, -9, -1, 1103);
  Y[0 * KA + 3] = 0.5;
  check_argmax(Y, "the class of rows of negative scores (rows 1 to 7: all negative)");
}

static void
argmax_rejects_bad_input(void **state)
{
  (void) state;
  double Y[B * KA], classes[B];
  nng_fill_uniform(Y, B * KA, -1, 1, 1104);
  nng_set_all(classes, B, 4.5);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, KA);
  gsl_matrix_view Y1 = gsl_matrix_view_array(Y, B, 1);  /* one column */
  gsl_vector_view cv = gsl_vector_view_array(classes, B);
  gsl_vector_view c7 = gsl_vector_view_array(classes, B - 1);
  const char *fn = "ex11_argmax";
  NNG_EXPECT_STATUS(nng_ex11_argmax(&c7.vector, &Yv.matrix), GSL_EBADLEN, fn,
                    "Y of 8 rows but classes of 7 entries");
  NNG_EXPECT_STATUS(nng_ex11_argmax(&cv.vector, &Y1.matrix), GSL_EBADLEN, fn,
                    "Y of one column (8x1)");
  Y[(B - 1) * KA + 3] = NAN;  /* in the last row */
  NNG_EXPECT_STATUS(nng_ex11_argmax(&cv.vector, &Yv.matrix), GSL_EDOM, fn,
                    "a score Y[7][3] that is NaN");
  NNG_EXPECT_TRUE(nng_all_equal(classes, B, 4.5),
                  "ex11_argmax wrote into classes although it returned an error: check "
                  "the sizes and every score before writing anything.");
}

/* ===== ex11_accuracy ===== */

/* The student's accuracy of Y and labels into *accuracy; returns its
 * status. Only when that is an error or not EXPECTED does the test check
 * ex11_argmax on a small case (so that the failure says "fix ex11_argmax
 * first" when that is wrong too): a right accuracy never waits on the
 * argmax, which may crash the probe and would take the accuracy's points
 * with it. After a crash there is no probe left to ask. */
static int
call_accuracy(double *accuracy, const gsl_matrix *Y, const gsl_vector *labels,
              double expected)
{
  const int status = nng_ex11_accuracy(accuracy, Y, labels);
  if (status != NNG_PROBE_FAILED
      && (status != GSL_SUCCESS || !(fabs(*accuracy - expected) <= ACCURACY_TOL)))
    nng_builds_on("ex11_argmax", argmax_works());
  return status;
}

static void
accuracy_matches_the_library(void **state)
{
  (void) state;
  enum { N = 20 };
  double Y[N * K], labels[N], predicted[N], C[K * K], accuracy = NAN;
  nng_fill_uniform(Y, N * K, -3, 3, 1105);
  /* row 0's largest score is tied between columns 2 and 6: its label is the
   * first, so an argmax that keeps the last of tied scores misses it */
  Y[0 * K + 2] = Y[0 * K + 6] = 3.5;
  reference_argmax(Y, N, K, predicted);
  /* every other label is the prediction, the rest drawn at random */
  random_classes(labels, N, K, 1106);
  for (size_t b = 0; b < N; b += 2)
    labels[b] = predicted[b];
  reference_confusion(labels, predicted, N, K, C);
  double trace = 0.0;
  for (size_t k = 0; k < K; k++)
    trace += C[k * K + k];
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, N, K);
  gsl_vector_view lv = gsl_vector_view_array(labels, N);
  NNG_REQUIRE_SUCCESS(call_accuracy(&accuracy, &Yv.matrix, &lv.vector, trace / N),
                      "ex11_accuracy");
  NNG_EXPECT_CLOSE("the accuracy of 20 samples of 10 classes, row 0 a tie "
                   "(trace(C) / 20; *accuracy held NaN before the call)", accuracy,
                   trace / N, ACCURACY_TOL);
}

static void
accuracy_is_a_share_of_the_samples(void **state)
{
  (void) state;
  /* Counted by hand: the labels are the predictions for exactly the samples
   * 1, 4 and 6, and the class after the prediction for the others, so 3 of
   * the 8 are right: 3/8, whatever the number of classes. */
  double Y[B * K], labels[B], predicted[B], accuracy = NAN;
  nng_fill_uniform(Y, B * K, -3, 3, 1107);
  reference_argmax(Y, B, K, predicted);
  for (size_t b = 0; b < B; b++)
    labels[b] = b == 1 || b == 4 || b == 6 ? predicted[b] : fmod(predicted[b] + 1, K);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, K);
  gsl_vector_view lv = gsl_vector_view_array(labels, B);
  NNG_REQUIRE_SUCCESS(call_accuracy(&accuracy, &Yv.matrix, &lv.vector, 3.0 / 8.0),
                      "ex11_accuracy");
  NNG_EXPECT_CLOSE("the accuracy when 3 of 8 samples (10 classes) are right: 3/8",
                   accuracy, 3.0 / 8.0, ACCURACY_TOL);
  for (size_t b = 0; b < B; b++)
    labels[b] = predicted[b];
  NNG_REQUIRE_SUCCESS(call_accuracy(&accuracy, &Yv.matrix, &lv.vector, 1.0),
                      "ex11_accuracy");
  NNG_EXPECT_CLOSE("the accuracy when all 8 samples are right", accuracy, 1.0, ACCURACY_TOL);
  for (size_t b = 0; b < B; b++)
    labels[b] = fmod(predicted[b] + 3, K);
  NNG_REQUIRE_SUCCESS(call_accuracy(&accuracy, &Yv.matrix, &lv.vector, 0.0),
                      "ex11_accuracy");
  NNG_EXPECT_CLOSE("the accuracy when no sample is right", accuracy, 0.0, ACCURACY_TOL);
  /* More samples: 60 of 60 right is 1, however the shares are added up. */
  enum { N = 60 };
  double Y60[N * K], labels60[N];
  nng_fill_uniform(Y60, N * K, -3, 3, 1116);
  reference_argmax(Y60, N, K, labels60);
  gsl_matrix_view Y60v = gsl_matrix_view_array(Y60, N, K);
  gsl_vector_view l60v = gsl_vector_view_array(labels60, N);
  NNG_REQUIRE_SUCCESS(call_accuracy(&accuracy, &Y60v.matrix, &l60v.vector, 1.0),
                      "ex11_accuracy");
  NNG_EXPECT_CLOSE("the accuracy when all 60 samples are right", accuracy, 1.0,
                   ACCURACY_TOL);
}

static void
accuracy_rejects_bad_input(void **state)
{
  (void) state;
  double Y[B * K], labels[B], accuracy = 0.625;
  nng_fill_uniform(Y, B * K, -1, 1, 1108);
  random_classes(labels, B, K, 1109);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, K);
  gsl_matrix_view Y1 = gsl_matrix_view_array(Y, B, 1);  /* one column */
  gsl_vector_view lv = gsl_vector_view_array(labels, B);
  gsl_vector_view l7 = gsl_vector_view_array(labels, B - 1);
  const char *fn = "ex11_accuracy";
  NNG_EXPECT_STATUS(nng_ex11_accuracy(&accuracy, &Yv.matrix, &l7.vector), GSL_EBADLEN, fn,
                    "Y of 8 rows but labels of 7 entries");
  double labels0[B] = {0};  /* class 0 exists with one column: only the shape is wrong */
  gsl_vector_view l0 = gsl_vector_view_array(labels0, B);
  NNG_EXPECT_STATUS(nng_ex11_accuracy(&accuracy, &Y1.matrix, &l0.vector), GSL_EBADLEN, fn,
                    "Y of one column (8x1), every label 0");
  static const struct { double label; const char *situation; } bad[] = {
    {10.0, "a label labels[7] = 10 with K = 10 classes (0 .. 9)"},
    {-1.0, "a label labels[7] = -1"},
    {2.5, "a label labels[7] = 2.5, not a whole number"},
    {NAN, "a label labels[7] that is NaN"},
  };
  const double last = labels[B - 1];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    labels[B - 1] = bad[i].label;
    NNG_EXPECT_STATUS(nng_ex11_accuracy(&accuracy, &Yv.matrix, &lv.vector), GSL_EDOM, fn,
                      bad[i].situation);
  }
  labels[B - 1] = last;
  Y[2 * K + 5] = NAN;
  NNG_EXPECT_STATUS(nng_ex11_accuracy(&accuracy, &Yv.matrix, &lv.vector), GSL_EDOM, fn,
                    "a score Y[2][5] that is NaN");
  NNG_EXPECT_TRUE(accuracy == 0.625,
                  "ex11_accuracy wrote the accuracy (%.6g) although it returned an error: "
                  "check the sizes, the scores and every label first.", accuracy);
}

/* ===== ex11_confusion ===== */

static void
confusion_matches_the_library(void **state)
{
  (void) state;
  enum { N = 60 };
  double truth[N], predicted[N], C[K * K], expected[K * K];
  random_classes(truth, N, K, 1110);
  random_classes(predicted, N, K, 1111);
  for (size_t n = 0; n < N; n++)  /* two thirds right, as a fair classifier */
    if (n % 3 != 0)
      predicted[n] = truth[n];
  reference_confusion(truth, predicted, N, K, expected);
  nng_set_all(C, K * K, 0.0);
  gsl_vector_view tv = gsl_vector_view_array(truth, N), pv = gsl_vector_view_array(predicted, N);
  gsl_matrix_view Cv = gsl_matrix_view_array(C, K, K), ev = gsl_matrix_view_array(expected, K, K);
  NNG_REQUIRE_SUCCESS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector),
                      "ex11_confusion");
  NNG_EXPECT_MATRIX_CLOSE("the confusion matrix of 60 samples of 10 classes (row: true "
                          "class, column: predicted)", &Cv.matrix, &ev.matrix, 0.0);
}

static void
confusion_rows_are_the_true_classes(void **state)
{
  (void) state;
  /* Three classes, five samples: class 0 is predicted as 0 once and as 1
   * twice, class 1 as 1, class 2 as 0. Row i counts the samples of true
   * class i: C = [[1 2 0] [0 1 0] [1 0 0]], rows adding up to 3, 1, 1. */
  const double truth[5] = {0, 0, 0, 1, 2}, predicted[5] = {0, 1, 1, 1, 0};
  double C[9], expected[9];
  reference_confusion(truth, predicted, 5, 3, expected);
  nng_set_all(C, 9, 0.0);
  gsl_vector_const_view tv = gsl_vector_const_view_array(truth, 5);
  gsl_vector_const_view pv = gsl_vector_const_view_array(predicted, 5);
  gsl_matrix_view Cv = gsl_matrix_view_array(C, 3, 3), ev = gsl_matrix_view_array(expected, 3, 3);
  NNG_REQUIRE_SUCCESS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector),
                      "ex11_confusion");
  NNG_EXPECT_MATRIX_CLOSE("C of truth (0, 0, 0, 1, 2) and predicted (0, 1, 1, 1, 0): "
                          "C[0][1] = 2 samples of class 0 taken for class 1",
                          &Cv.matrix, &ev.matrix, 0.0);
}

static void
confusion_starts_from_zero(void **state)
{
  (void) state;
  /* C holds the counts of an earlier call. The pairs (truth, predicted)
   * come both ways round, so C is symmetric: only the start matters here,
   * not the order of the indices. */
  const double truth[8] = {0, 1, 2, 1, 2, 0, 0, 3};
  const double predicted[8] = {1, 0, 2, 2, 1, 0, 0, 3};
  double C[16], expected[16];
  reference_confusion(truth, predicted, 8, 4, expected);
  nng_set_all(C, 16, 3.0);
  gsl_vector_const_view tv = gsl_vector_const_view_array(truth, 8);
  gsl_vector_const_view pv = gsl_vector_const_view_array(predicted, 8);
  gsl_matrix_view Cv = gsl_matrix_view_array(C, 4, 4), ev = gsl_matrix_view_array(expected, 4, 4);
  NNG_REQUIRE_SUCCESS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector),
                      "ex11_confusion");
  NNG_EXPECT_MATRIX_CLOSE("C of 8 samples of 4 classes, when C held 3 everywhere before "
                          "the call", &Cv.matrix, &ev.matrix, 0.0);
  NNG_REQUIRE_SUCCESS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector),
                      "ex11_confusion");
  NNG_EXPECT_MATRIX_CLOSE("C after a second call on the same samples (the same counts, "
                          "not twice them)", &Cv.matrix, &ev.matrix, 0.0);
}

static void
confusion_rejects_bad_input(void **state)
{
  (void) state;
  double truth[6] = {0, 1, 2, 2, 1, 0}, predicted[6] = {0, 1, 1, 2, 0, 0};
  double C[12];
  nng_set_all(C, 12, 6.5);
  gsl_vector_view tv = gsl_vector_view_array(truth, 6), pv = gsl_vector_view_array(predicted, 6);
  gsl_vector_view p5 = gsl_vector_view_array(predicted, 5);
  gsl_matrix_view Cv = gsl_matrix_view_array(C, 3, 3), C34 = gsl_matrix_view_array(C, 3, 4);
  const char *fn = "ex11_confusion";
  NNG_EXPECT_STATUS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &p5.vector), GSL_EBADLEN, fn,
                    "truth of 6 entries but predicted of 5");
  NNG_EXPECT_STATUS(nng_ex11_confusion(&C34.matrix, &tv.vector, &pv.vector), GSL_EBADLEN,
                    fn, "C of 3x4, not square");
  truth[5] = 3.0;
  NNG_EXPECT_STATUS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector), GSL_EDOM, fn,
                    "truth[5] = 3 with a C of 3x3 (classes 0 .. 2)");
  truth[5] = 0.0;
  static const struct { double label; const char *situation; } bad[] = {
    {3.0, "predicted[5] = 3 with a C of 3x3 (classes 0 .. 2)"},
    {-1.0, "predicted[5] = -1"},
    {1.5, "predicted[5] = 1.5, not a whole number"},
    {NAN, "predicted[5] that is NaN"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    predicted[5] = bad[i].label;
    NNG_EXPECT_STATUS(nng_ex11_confusion(&Cv.matrix, &tv.vector, &pv.vector), GSL_EDOM, fn,
                      bad[i].situation);
  }
  NNG_EXPECT_TRUE(nng_all_equal(C, 12, 6.5),
                  "ex11_confusion wrote into C although it returned an error: check the "
                  "sizes and every label of truth and predicted before writing anything "
                  "(the bad label was the last one).");
}

/* ===== ex11_one_hot ===== */

static void
one_hot_puts_a_1_at_each_label(void **state)
{
  (void) state;
  /* First principles: the library has no one-hot function of its own. */
  double labels[B], Y[B * K], expected[B * K];
  random_classes(labels, B, K, 1112);
  labels[0] = 0.0;      /* the first class */
  labels[B - 1] = K - 1;  /* and the last */
  nng_set_all(Y, B * K, NAN);
  nng_set_all(expected, B * K, 0.0);
  for (size_t b = 0; b < B; b++)
    expected[b * K + (size_t) labels[b]] = 1.0;
  gsl_vector_view lv = gsl_vector_view_array(labels, B);
  gsl_matrix_view Lv = gsl_matrix_view_array(labels, B, 1);  /* shown next to a row */
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, K), ev = gsl_matrix_view_array(expected, B, K);
  nng_show_input("labels", &Lv.matrix);
  NNG_REQUIRE_SUCCESS(nng_ex11_one_hot(&Yv.matrix, &lv.vector), "ex11_one_hot");
  NNG_EXPECT_MATRIX_CLOSE("the one-hot rows of 8 labels, 10 classes (Y held NaN before "
                          "the call)", &Yv.matrix, &ev.matrix, 0.0);
}

static void
one_hot_is_the_target_of_the_cross_entropy(void **state)
{
  (void) state;
  double labels[B], Y[B * K], Z[B * K], dZ[B * K], edZ[B * K], losses[B], elosses[B];
  double cost = NAN, ecost = NAN;
  size_t index[B];
  random_classes(labels, B, K, 1113);
  nng_fill_uniform(Z, B * K, -3, 3, 1114);
  for (size_t b = 0; b < B; b++)
    index[b] = (size_t) labels[b];
  nng_set_all(Y, B * K, 0.5);
  gsl_vector_view lv = gsl_vector_view_array(labels, B);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, K), Zv = gsl_matrix_view_array(Z, B, K);
  gsl_matrix_view dZv = gsl_matrix_view_array(dZ, B, K), edZv = gsl_matrix_view_array(edZ, B, K);
  gsl_vector_view lsv = gsl_vector_view_array(losses, B), elsv = gsl_vector_view_array(elosses, B);
  nn_loss_softmax_ce_labels(&ecost, &elsv.vector, &edZv.matrix, &Zv.matrix, index);
  NNG_REQUIRE_SUCCESS(nng_ex11_one_hot(&Yv.matrix, &lv.vector), "ex11_one_hot");
  int status = nn_loss_softmax_ce(&cost, &lsv.vector, &dZv.matrix, &Zv.matrix, &Yv.matrix);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                  "the softmax cross-entropy refused your Y as targets (%s): every entry "
                  "of a one-hot row is 0 or 1.", nng_status_name(status));
  NNG_EXPECT_VECTOR_CLOSE("the loss of each sample with your one-hot Y as targets "
                          "(expected: with the labels; Y held 0.5 before the call)", &lsv.vector, &elsv.vector, 1e-15);
  NNG_EXPECT_MATRIX_CLOSE("the gradient dZ = (softmax(Z) - Y) / B with your one-hot Y",
                          &dZv.matrix, &edZv.matrix, 1e-15);
}

static void
one_hot_rejects_bad_input(void **state)
{
  (void) state;
  double labels[B], Y[B * K];
  random_classes(labels, B, K, 1115);
  nng_set_all(Y, B * K, 5.5);
  gsl_vector_view lv = gsl_vector_view_array(labels, B);
  gsl_vector_view l7 = gsl_vector_view_array(labels, B - 1);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, K);
  const char *fn = "ex11_one_hot";
  NNG_EXPECT_STATUS(nng_ex11_one_hot(&Yv.matrix, &l7.vector), GSL_EBADLEN, fn,
                    "Y of 8 rows but labels of 7 entries");
  static const struct { double label; const char *situation; } bad[] = {
    {10.0, "a label labels[7] = 10 with Y of 10 columns (classes 0 .. 9)"},
    {-1.0, "a label labels[7] = -1"},
    {0.5, "a label labels[7] = 0.5, not a whole number"},
    {NAN, "a label labels[7] that is NaN"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    labels[B - 1] = bad[i].label;
    NNG_EXPECT_STATUS(nng_ex11_one_hot(&Yv.matrix, &lv.vector), GSL_EDOM, fn,
                      bad[i].situation);
  }
  NNG_EXPECT_TRUE(nng_all_equal(Y, B * K, 5.5),
                  "ex11_one_hot wrote into Y although it returned an error: check every "
                  "label before writing anything (the bad label was the last one).");
}

const nng_test nng_ex11_tests[] = {
  {"argmax_picks_the_largest_score", argmax_picks_the_largest_score, "ex11_argmax", 1,
   "For each row b, walk the columns k = 0 .. K-1 and keep the index of the largest "
   "score; classes[b] is that index, as a double."},
  {"argmax_takes_the_first_of_tied_scores", argmax_takes_the_first_of_tied_scores,
   "ex11_argmax", 1,
   "Replace the best index only when a score is strictly larger (>, not >=): then the "
   "first of tied scores stays."},
  {"argmax_of_negative_scores", argmax_of_negative_scores, "ex11_argmax", 1,
   "Start with best = 0 and compare with Y[b][best], not with a fixed value such as 0 "
   "or -1: every score may be negative."},
  {"argmax_rejects_bad_input", argmax_rejects_bad_input, "ex11_argmax", 1,
   "classes needs one entry per row of Y and Y two columns or more (GSL_EBADLEN); a "
   "score that isnan() is GSL_EDOM; check all of Y before writing classes."},
  {"accuracy_matches_the_library", accuracy_matches_the_library, "ex11_accuracy", 1,
   "Count the rows whose argmax (the first index of tied scores, as ex11_argmax) equals "
   "their label, then divide by the number of rows, as doubles."},
  {"accuracy_is_a_share_of_the_samples", accuracy_is_a_share_of_the_samples,
   "ex11_accuracy", 1,
   "Divide the number of right answers by the number of samples B (rows of Y), not by "
   "K; and divide as doubles: 3 / 8 in integers is 0."},
  {"accuracy_rejects_bad_input", accuracy_rejects_bad_input, "ex11_accuracy", 1,
   "A label c is a class when c >= 0 && c < K && c == floor(c) (NaN fails that too), "
   "and a score that isnan() is GSL_EDOM as in ex11_argmax; check the sizes, the scores "
   "and the labels before writing."},
  {"confusion_matches_the_library", confusion_matches_the_library, "ex11_confusion", 1,
   "C[i][j] counts the samples with truth i and prediction j: add 1 to "
   "C[truth[n]][predicted[n]] for each sample n."},
  {"confusion_rows_are_the_true_classes", confusion_rows_are_the_true_classes,
   "ex11_confusion", 1,
   "Rows are true classes, columns predicted ones: the row index comes from truth, the "
   "column index from predicted."},
  {"confusion_starts_from_zero", confusion_starts_from_zero, "ex11_confusion", 1,
   "C is overwritten, not added to: set it to zero (gsl_matrix_set_zero) before you "
   "count."},
  {"confusion_rejects_bad_input", confusion_rejects_bad_input, "ex11_confusion", 1,
   "truth and predicted must have as many entries and C be square (GSL_EBADLEN); every "
   "label of both must be a class 0 .. K-1 with K the rows of C (GSL_EDOM); check them "
   "all before writing C."},
  {"one_hot_puts_a_1_at_each_label", one_hot_puts_a_1_at_each_label, "ex11_one_hot", 1,
   "Write every entry of Y: 1 at Y[b][labels[b]] and 0 everywhere else (Y may hold "
   "anything before the call)."},
  {"one_hot_is_the_target_of_the_cross_entropy", one_hot_is_the_target_of_the_cross_entropy,
   "ex11_one_hot", 1,
   "The loss of sample b is -log softmax(z_b)[labels[b]]: the one-hot row must pick out "
   "exactly the label's column, with a 1 and nothing else."},
  {"one_hot_rejects_bad_input", one_hot_rejects_bad_input, "ex11_one_hot", 1,
   "labels needs one entry per row of Y (GSL_EBADLEN); each label must be a whole "
   "number 0 .. K-1 with K the columns of Y (GSL_EDOM); check them all before writing."},
  {NULL, NULL, NULL, 0, NULL},
};
