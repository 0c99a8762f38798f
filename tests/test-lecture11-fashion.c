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
    cmocka_unit_test(every_figure_is_complete_and_valid),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
