/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lecture 11 on the real Fashion-MNIST, as a student first runs it: its
 * default run (a subset) reads the real files, whose headers are those of
 * the published set, learns to a test accuracy no blind guess reaches, and
 * draws every figure. When the data set is not installed (Debian:
 * dataset-fashion-mnist; or the folder in NN_FASHION_MNIST), this program
 * says so and exits 77, which automake's harness reports as SKIP. The rest
 * of the lecture is tested without the data set by test-lecture11, which
 * writes to the same output folder and so runs first. */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <nn/idx.h>

/* A blind guess among ten balanced classes is right one time in ten; the
 * default run's small network reaches about 0.8. */
#define ACCURACY_FLOOR 0.70

static int
setup(void **state)
{
  (void) state;
  lt_init(11);
  return 0;
}

static void
the_default_run_learns_the_real_images(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 11: Classifying images", "## 1. The IDX format",
    "## 5. A multilayer perceptron, trained with Adam", "## 6. The confusion matrix",
    "## Figures written", NULL};
  lt_check_lesson(r, headings);
  /* the published headers: 60,000 = 0xea60 training images of 28 × 28 */
  const char *s = lt_find(r->out, "train-images-idx3-ubyte");
  assert_true(lt_contains(s, "00 00 08 03  00 00 ea 60  00 00 00 1c  00 00 00 1c"));
  assert_true(lt_contains(s, "the file is 16 + 47040000 = 47040016 bytes long"));
  assert_true(lt_contains(r->out, "training images used: 6000 (of the file's first 6000 "
                          "asked)\ntest images used: 1000; each image 28×28 = 784 pixels"));
  s = lt_find(r->out, "epoch 3 of 3:");
  double test_acc = lt_printed_after(s, "test accuracy");
  assert_true(test_acc >= ACCURACY_FLOOR && test_acc <= 1);
  /* the confusion matrix of those 1,000 images: its trace over N */
  double trace = 0, n = 0, acc = 0;
  assert_int_equal(sscanf(lt_find(r->out, "accuracy = trace(C)/N = "),
                          "accuracy = trace(C)/N = %lf/%lf = %lf", &trace, &n, &acc), 3);
  assert_true(n == 1000);
  assert_close(acc, trace / n, 1e-12);
  assert_close(acc, test_acc, 1e-5);
  lt_check_terminal_plot(r, "Accuracy during training");
}

/* What section 6 says of the mistakes, on the confusion matrix the default
 * run drew (the figure's grid: x the predicted class, y the true one). */
static void
the_mistakes_are_those_the_lesson_names(void **state)
{
  (void) state;
  enum { K = 10 };
  static double x[K * K], y[K * K], z[K * K];
  double C[K][K];
  assert_int_equal(lt_read_block3(lt_path(lt_default_dir(), "confusion", "dat"), 0, x, y,
                                  z, K * K), K * K);
  for (size_t k = 0; k < K * K; k++)
    C[(int) y[k]][(int) x[k]] = z[k];
  double n[K] = {0}, top = -1;
  int top_i = 0, top_j = 0;
  for (int i = 0; i < K; i++)
    for (int j = 0; j < K; j++) {
      n[i] += C[i][j];
      if (i != j && C[i][j] > top) {
        top = C[i][j];
        top_i = i;
        top_j = j;
      }
    }
  /* trousers (1) and bags (8) are seldom wrong */
  assert_true(C[1][1] >= 0.9 * n[1]);
  assert_true(C[8][8] >= 0.9 * n[8]);
  /* the largest mistake is between two upper bodies: T-shirt/top (0),
   * pullover (2), coat (4), shirt (6) */
  static const int upper[K] = {[0] = 1, [2] = 1, [4] = 1, [6] = 1};
  assert_true(upper[top_i] && upper[top_j]);
  /* a shoe (sandal 5, sneaker 7, ankle boot 9) that is wrong is mostly
   * taken for another shoe */
  static const int shoe[K] = {[5] = 1, [7] = 1, [9] = 1};
  double wrong = 0, for_a_shoe = 0;
  for (int i = 0; i < K; i++)
    for (int j = 0; j < K; j++)
      if (shoe[i] && i != j) {
        wrong += C[i][j];
        for_a_shoe += shoe[j] ? C[i][j] : 0;
      }
  assert_true(wrong > 0 && for_a_shoe >= 0.8 * wrong);
}

static void
every_figure_is_complete_and_valid(void **state)
{
  (void) state;
  static const char *const plots[] = {"samples", "loss-curves", "accuracy-curves",
                                      "confusion", "first-layer-weights", NULL};
  static const char *const graphs[] = {"network", NULL};
  lt_check_figures(lt_default_dir(), plots, graphs);
}

/* Is the data set there? The folder the lecture reads by default, and the
 * first file it opens, plain or gzipped. */
static int
data_set_installed(const char **dir)
{
  const char *env = getenv("NN_FASHION_MNIST");
  *dir = env != NULL && env[0] != '\0' ? env : NN_FASHION_MNIST_DIR;
  char path[PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/train-images-idx3-ubyte", *dir);
  if (access(path, R_OK) == 0)
    return 1;
  snprintf(path, sizeof path, "%s/train-images-idx3-ubyte.gz", *dir);
  return access(path, R_OK) == 0;
}

int
main(void)
{
  const char *dir;
  if (!data_set_installed(&dir)) {
    printf("test-lecture11-fashion: skipped: Fashion-MNIST is not in %s (install the "
           "Debian package %s, or set NN_FASHION_MNIST to its folder)\n", dir,
           NN_FASHION_MNIST_PACKAGE);
    return 77;
  }
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_default_run_learns_the_real_images),
    cmocka_unit_test(the_mistakes_are_those_the_lesson_names),
    cmocka_unit_test(every_figure_is_complete_and_valid),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
