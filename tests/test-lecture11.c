/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Smoke test of lecture 11 (classifying images), without Fashion-MNIST: the
 * test writes a small data set of its own in the IDX format (the training
 * files gzipped, the test files not), images of one bright vertical bar at
 * a place that depends on the class, over faint noise, and runs the
 * lecture on it through NN_FASHION_MNIST (the default run) and --data.
 * What the lecture shows holds by mathematics, checked here with formulas
 * of this file's own: the header bytes it prints are the files' (magic
 * number, counts, length), one-hot rows have a single 1 at the label,
 * softmax rows sum to 1 and give the printed losses and gradient (p - y)/B,
 * a network learns the separable bars almost perfectly, the confusion
 * matrix's rows sum to the class counts and its trace over N is the
 * accuracy, the network has the parameters its sizes give, the figures
 * hold what they show. A missing or broken data set is a clear error; its
 * command line behaves. The run on the real data set is
 * test-lecture11-fashion.
 *
 * The lecture runs as a program from the build tree and writes only under
 * tests/out there (see lecturetest.h). */
#include <config.h>

#include "nntest.h"
#include "lecturetest.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* The synthetic set: N_TRAIN and N_TEST images of ROWS × COLS, K classes,
 * the same number of each class. */
#define K 10
#define ROWS 28
#define COLS 28
#define N_TRAIN 400
#define N_TEST 200
#define DEFAULT_EPOCHS 3
#define DEFAULT_HIDDEN 128

static char data_dir[PATH_MAX];   /* the synthetic set */
static char empty_dir[PATH_MAX];  /* a folder without a data set */
static char bad_dir[PATH_MAX];    /* a set with a label out of range */
static unsigned char train_labels[N_TRAIN], test_labels[N_TEST];

/* ===== The synthetic data set ===== */

/* A small generator of this file's own (an LCG), so that the set does not
 * depend on the library it tests. */
static unsigned long lcg_state = 12345;
static unsigned
lcg(unsigned bound)
{
  lcg_state = lcg_state * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned) ((lcg_state >> 33) % bound);
}

/* The column where the bar of class C starts: 2 columns wide, classes 2.5
 * columns apart, from column 2 to 25. */
static unsigned
bar_column(unsigned c)
{
  return 2 + (5 * c) / 2;
}

/* N labels, N/K of each class, in a shuffled order; and their images. */
static void
make_set(size_t n, unsigned char *labels, unsigned char *pixels)
{
  for (size_t i = 0; i < n; i++)
    labels[i] = (unsigned char) (i % K);
  for (size_t i = n - 1; i > 0; i--) {  /* Fisher-Yates */
    size_t j = lcg((unsigned) i + 1);
    unsigned char t = labels[i];
    labels[i] = labels[j];
    labels[j] = t;
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char *img = pixels + i * ROWS * COLS;
    const unsigned col = bar_column(labels[i]);
    for (unsigned r = 0; r < ROWS; r++)
      for (unsigned c = 0; c < COLS; c++)
        img[r * COLS + c] = (unsigned char) (c >= col && c < col + 2 && r >= 4 && r < 24
                                             ? 200 + lcg(56) : lcg(40));
  }
}

/* The IDX header of DIMS dimensions of sizes SIZE, into H; its length. */
static size_t
idx_header(unsigned char *h, unsigned dims, const size_t *size)
{
  h[0] = 0;
  h[1] = 0;
  h[2] = 8;
  h[3] = (unsigned char) dims;
  for (unsigned k = 0; k < dims; k++)
    for (unsigned b = 0; b < 4; b++)
      h[4 + 4 * k + b] = (unsigned char) (size[k] >> (8 * (3 - b)));
  return 4 + 4 * dims;
}

/* DIR/NAME holding HEADER then DATA (N bytes), gzipped when GZ. */
static void
write_idx(const char *dir, const char *name, int gz, unsigned dims, const size_t *size,
          const unsigned char *data, size_t n)
{
  char path[PATH_MAX + 64];
  unsigned char h[16];
  size_t hn = idx_header(h, dims, size);
  snprintf(path, sizeof path, "%s/%s%s", dir, name, gz ? ".gz" : "");
  if (gz) {
    gzFile f = gzopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(gzwrite(f, h, (unsigned) hn), (int) hn);
    assert_int_equal(gzwrite(f, data, (unsigned) n), (int) n);
    assert_int_equal(gzclose(f), Z_OK);
  } else {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(h, 1, hn, f), hn);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
  }
}

/* The four files of a set in DIR; with BAD_LABEL, the test labels hold a
 * 12. */
static void
write_set(const char *dir, int bad_label)
{
  mkdir(dir, 0777);
  unsigned char *train = malloc(N_TRAIN * ROWS * COLS), *test = malloc(N_TEST * ROWS * COLS);
  lcg_state = 12345;
  make_set(N_TRAIN, train_labels, train);
  make_set(N_TEST, test_labels, test);
  const size_t train_size[3] = {N_TRAIN, ROWS, COLS}, test_size[3] = {N_TEST, ROWS, COLS};
  write_idx(dir, "train-images-idx3-ubyte", 1, 3, train_size, train, N_TRAIN * ROWS * COLS);
  write_idx(dir, "train-labels-idx1-ubyte", 1, 1, train_size, train_labels, N_TRAIN);
  write_idx(dir, "t10k-images-idx3-ubyte", 0, 3, test_size, test, N_TEST * ROWS * COLS);
  unsigned char labels[N_TEST];
  memcpy(labels, test_labels, N_TEST);
  if (bad_label)
    labels[7] = 12;
  write_idx(dir, "t10k-labels-idx1-ubyte", 0, 1, test_size, labels, N_TEST);
  free(train);
  free(test);
}

static int
setup(void **state)
{
  (void) state;
  const char *top = getenv("NN_TOP_BUILDDIR");
  if (top == NULL)
    top = ".";
  char tests_out[PATH_MAX];
  snprintf(tests_out, sizeof tests_out, "%s/tests/out", top);
  mkdir(tests_out, 0777);
  snprintf(data_dir, sizeof data_dir, "%s/lecture11-data", tests_out);
  snprintf(empty_dir, sizeof empty_dir, "%s/lecture11-empty", tests_out);
  snprintf(bad_dir, sizeof bad_dir, "%s/lecture11-bad", tests_out);
  mkdir(empty_dir, 0777);
  write_set(bad_dir, 1);
  write_set(data_dir, 0);
  /* the default run, and every run below, reads the synthetic set */
  setenv("NN_FASHION_MNIST", data_dir, 1);
  lt_init(11);
  return 0;
}

/* ===== The lesson and its figures ===== */

static void
it_runs_and_prints_the_lesson(void **state)
{
  (void) state;
  const lt_run *r = &lt_default_run;
  static const char *const headings[] = {
    "# Lecture 11: Classifying images",
    "## 1. The IDX format",
    "## 2. The pictures and their labels",
    "## 3. One-hot labels",
    "## 4. Softmax and cross-entropy",
    "## 5. A multilayer perceptron, trained with Adam",
    "## 6. The confusion matrix",
    "## 7. What the first layer learned",
    "## 8. The same network in PyTorch",
    "## What to remember",
    "## Check yourself",
    "## Figures written",
    NULL,
  };
  lt_check_lesson(r, headings);
  static const char *const concepts[] = {
    "**Fashion-MNIST**", "**IDX format**", "**magic number**", "**one-hot**",
    "**softmax**", "**cross-entropy**", "**Adam**", "**accuracy**",
    "**confusion", "**shirts**", "**T-shirts**", "**pullovers**", "**coats**",
    "**template**", NULL};
  for (const char *const *c = concepts; *c != NULL; c++)
    assert_true(lt_contains(r->out, *c));
  assert_true(lt_contains(r->out, "Try it: "));
  assert_true(lt_contains(r->out, "`make exercise11`"));
  assert_true(lt_contains(r->out, "make lecture11 ARGS=--full"));
  lt_check_terminal_plot(r, "Cross-entropy loss during training");
  lt_check_terminal_plot(r, "Accuracy during training");
  /* the pictures as text: the captions, and ink where the bars are */
  assert_true(lt_contains(r->out, "0 T-shirt/top"));
  assert_true(lt_contains(r->out, "9 Ankle boot"));
  assert_true(lt_contains(r->out, "@@"));
  assert_true(lt_contains(r->out, "unit 1"));
  /* the heat map of the mistakes */
  assert_true(lt_contains(r->out, "The mistakes: y = true class"));
}

/* The lesson is read on a terminal or a projector of 80 columns: every line
 * it prints fits, counted in characters (UTF-8), but for the "Try it:" and
 * "Check yourself" lines, which the shared runtime prints as one line each,
 * the legend of the shared text heat map ("  value: ...") and the list of
 * figures, whose length is that of the output folder's path. */
static void
every_line_fits_in_80_columns(void **state)
{
  (void) state;
  const char *line = lt_default_run.out;
  const char *figures = lt_find(line, "\n## Figures written");
  while (line < figures) {
    const char *end = strchr(line, '\n');
    if (end == NULL)
      end = line + strlen(line);
    size_t width = 0;
    for (const char *p = line; p < end; p++)
      width += ((unsigned char) *p & 0xc0) != 0x80;  /* not a continuation byte */
    const int own = strncmp(line, "Try it: ", 8) != 0
                    && strncmp(line, "  value: \"", 10) != 0
                    && !(line[0] >= '1' && line[0] <= '3' && line[1] == '.' && line[2] == ' ');
    if (own && width > 80)
      fail_msg("a line of %zu columns: %.*s", width, (int) (end - line), line);
    line = *end == '\n' ? end + 1 : end;
  }
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

/* ===== 1. The IDX format ===== */

static void
the_header_bytes_are_the_files(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  /* 400 = 0x190, 28 = 0x1c; the training files are the gzipped ones */
  const char *s = lt_find(out, "train-images-idx3-ubyte.gz, its first 16 bytes:");
  assert_true(lt_contains(s, "00 00 08 03  00 00 01 90  00 00 00 1c  00 00 00 1c"));
  assert_true(lt_contains(s, "magic 0x00000803"));
  assert_true(lt_contains(s, "= 400 images"));
  assert_true(lt_contains(s, "= 28 rows"));
  assert_true(lt_contains(s, "= 28 columns"));
  char line[128];
  snprintf(line, sizeof line, "the file is 16 + %d = %d bytes long", N_TRAIN * ROWS * COLS,
           16 + N_TRAIN * ROWS * COLS);
  assert_true(lt_contains(s, line));
  s = lt_find(out, "train-labels-idx1-ubyte.gz, its first 8 bytes:");
  assert_true(lt_contains(s, "00 00 08 01  00 00 01 90"));
  assert_true(lt_contains(s, "magic 0x00000801"));
  assert_true(lt_contains(s, "the file is 8 + 400 = 408 bytes long"));
  /* a set smaller than the subset asked for is used whole */
  assert_true(lt_contains(out, "training images used: 400 (of the file's first 6000 "
                          "asked)\ntest images used: 200; each image 28×28 = 784 pixels"));
}

/* ===== 2 and 3. Counts and one-hot labels ===== */

static void
the_class_counts_are_the_sets(void **state)
{
  (void) state;
  double v[K];
  assert_int_equal(lt_printed_vector(lt_default_run.out, "training images per class: (",
                                     v, K), K);
  for (int c = 0; c < K; c++)
    assert_true(v[c] == N_TRAIN / K);
  assert_int_equal(lt_printed_vector(lt_default_run.out, "test images per class: (",
                                     v, K), K);
  for (int c = 0; c < K; c++)
    assert_true(v[c] == N_TEST / K);
}

static void
one_hot_rows_have_one_1_at_the_label(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double labels[6], Y[6 * K];
  size_t cols = 0;
  assert_int_equal(lt_printed_vector(out, "labels = (", labels, 6), 6);
  assert_int_equal(lt_printed_matrix(out, "Y (one row per image, one column per class)",
                                     Y, 6, K, &cols), 6);
  assert_int_equal(cols, K);
  for (size_t i = 0; i < 6; i++) {
    assert_true(labels[i] == train_labels[i]);  /* the file's first labels */
    double sum = 0;
    for (size_t k = 0; k < K; k++) {
      assert_true(Y[i * K + k] == (k == train_labels[i] ? 1.0 : 0.0));
      sum += Y[i * K + k];
    }
    assert_true(sum == 1.0);
  }
}

/* ===== 4. Softmax and cross-entropy ===== */

static void
softmax_rows_sum_to_1_and_give_the_loss_and_its_gradient(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  enum { B = 4 };
  double c[B], ZT[K * B], PT[K * B], dZT[K * B], losses[B], sums[B];
  double Z[B * K], P[B * K], dZ[B * K];
  size_t cols = 0;
  assert_int_equal(lt_printed_vector(out, "labels c = (", c, B), B);
  /* printed transposed, one column per image, to fit 80 columns */
  assert_int_equal(lt_printed_matrix(out, "scores Zᵀ", ZT, K, B, &cols), K);
  assert_int_equal(cols, B);
  assert_int_equal(lt_printed_matrix(out, "probabilities Pᵀ = softmax(Z)ᵀ", PT, K, B,
                                     &cols), K);
  assert_int_equal(cols, B);
  assert_int_equal(lt_printed_vector(out, "each image's sum of p_k = (", sums, B), B);
  assert_int_equal(lt_printed_vector(out, "losses -ln p_c = (", losses, B), B);
  assert_int_equal(lt_printed_matrix(out, "(dJ/dZ)ᵀ", dZT, K, B, &cols), K);
  assert_int_equal(cols, B);
  for (size_t i = 0; i < B; i++)
    for (size_t k = 0; k < K; k++) {
      Z[i * K + k] = ZT[k * B + i];
      P[i * K + k] = PT[k * B + i];
      dZ[i * K + k] = dZT[k * B + i];
    }
  double J = 0;
  for (size_t i = 0; i < B; i++) {
    assert_true(c[i] == train_labels[i]);
    /* softmax by its definition, shifted by the largest score */
    double zmax = Z[i * K], total = 0, psum = 0, dsum = 0;
    for (size_t k = 1; k < K; k++)
      zmax = fmax(zmax, Z[i * K + k]);
    for (size_t k = 0; k < K; k++)
      total += exp(Z[i * K + k] - zmax);
    for (size_t k = 0; k < K; k++) {
      double p = exp(Z[i * K + k] - zmax) / total;
      assert_close(P[i * K + k], p, 1e-5);  /* both from 6 printed digits */
      assert_true(P[i * K + k] > 0 && P[i * K + k] < 1);
      psum += P[i * K + k];
      /* (p - y)/B */
      assert_close(dZ[i * K + k], (p - (k == (size_t) c[i])) / B, 1e-5);
      dsum += dZ[i * K + k];
    }
    assert_close(psum, 1.0, 1e-5);
    assert_close(sums[i], 1.0, 1e-12);  /* summed before printing */
    assert_close(dsum, 0.0, 1e-5);
    assert_close(losses[i], -log(P[i * K + (size_t) c[i]]), 1e-5);
    J += losses[i] / B;
  }
  assert_close(lt_printed_after(out, "J = the mean of the losses ="), J, 1e-5);
  assert_close(lt_printed_after(out, "; ln 10 ="), log(10.0), 1e-5);
  /* an untrained network is about evenly unsure */
  assert_true(fabs(J - log(10.0)) < 1.5);
  const char *s = lt_find(out, "relative error of dJ/dZ against central differences");
  assert_true(lt_printed_after(s, "(h = 1e-5):") < 1e-7);
  assert_true(lt_contains(s, "(the check passes)"));
}

/* ===== 5. Training ===== */

/* The accuracies a run printed after its last epoch E. */
static void
final_accuracies(const char *out, int E, double *train_acc, double *test_acc)
{
  char text[64];
  snprintf(text, sizeof text, "epoch %d of %d:", E, E);
  const char *s = lt_find(out, text);
  *train_acc = lt_printed_after(s, "train accuracy");
  *test_acc = lt_printed_after(s, "test accuracy");
}

static void
the_network_learns_the_bars(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  double train_acc, test_acc;
  final_accuracies(out, DEFAULT_EPOCHS, &train_acc, &test_acc);
  /* the bars are separable by one weighted sum per class */
  assert_true(train_acc >= 0.97);
  assert_true(test_acc >= 0.95);
  /* 784-128-10: (784 + 1)·128 + (128 + 1)·10 parameters */
  char text[160];
  snprintf(text, sizeof text, "network: 784-%d-10, %d parameters; adam with learning "
           "rate 0.001;\n400 training images in batches of 64: 7 steps per epoch, 3 epochs",
           DEFAULT_HIDDEN, 785 * DEFAULT_HIDDEN + (DEFAULT_HIDDEN + 1) * 10);
  assert_true(lt_contains(out, text));
  /* the curves: losses fall, the accuracies are those printed */
  static double x[200], y[200];
  const char *path = lt_path(lt_default_dir(), "loss-curves", "dat");
  size_t n = lt_read_block(path, 0, x, y, 200);
  assert_true(n >= 2 * DEFAULT_EPOCHS);
  assert_true(x[0] == 0 && fabs(x[n - 1] - DEFAULT_EPOCHS) < 1e-12);
  assert_true(y[n - 1] < y[0]);
  n = lt_read_block(path, 2, x, y, 200);  /* the test set's loss, per epoch */
  assert_int_equal(n, DEFAULT_EPOCHS + 1);
  assert_true(y[DEFAULT_EPOCHS] < y[0]);
  path = lt_path(lt_default_dir(), "accuracy-curves", "dat");
  n = lt_read_block(path, 1, x, y, 200);
  assert_int_equal(n, DEFAULT_EPOCHS + 1);
  for (size_t e = 0; e < n; e++)
    assert_true(x[e] == (double) e && y[e] >= 0 && y[e] <= 1);
  assert_close(y[DEFAULT_EPOCHS], test_acc, 1e-5);
  /* the accuracies are counts of test images over N */
  assert_close(test_acc * N_TEST, round(test_acc * N_TEST), 1e-9);
}

static void
other_knobs_train_other_networks(void **state)
{
  (void) state;
  /* two hidden layers, plain SGD, and --full, which takes all of a small set
   * and 5 epochs */
  const char *args[] = {"--no-prose", "--hidden", "32,16", "--optimizer", "sgd", "--lr",
                        "0.1", "--batch", "20", "--full", NULL};
  lt_run r = lt_run_lecture("knobs", args, NULL);
  lt_check_succeeded(&r);
  char text[200];
  snprintf(text, sizeof text, "network: 784-32-16-10, %d parameters; sgd with learning "
           "rate 0.1;\n400 training images in batches of 20: 20 steps per epoch, 5 epochs",
           785 * 32 + 33 * 16 + 17 * 10);
  assert_true(lt_contains(r.out, text));
  assert_true(lt_contains(r.out, "training images used: 400 (of the file's first 60000 "
                          "asked)\ntest images used: 200"));
  double train_acc, test_acc;
  final_accuracies(r.out, 5, &train_acc, &test_acc);
  assert_true(test_acc >= 0.9);
  lt_run_free(&r);
  /* --full keeps an --epochs that is given, even the default's 3 */
  const char *full3[] = {"--no-prose", "--full", "--epochs", "3", NULL};
  r = lt_run_lecture("full-epochs", full3, NULL);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "7 steps per epoch, 3 epochs\n"));
  assert_true(lt_contains(r.out, "epoch 3 of 3:"));
  assert_false(lt_contains(r.out, "epoch 4 of"));
  lt_run_free(&r);
  /* a subset, read with --data, for one epoch */
  const char *sub[] = {"--no-prose", "--data", data_dir, "--train", "100", "--test", "50",
                       "--epochs", "1", NULL};
  r = lt_run_lecture("subset", sub, NULL);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "training images used: 100 (of the file's first 100 "
                          "asked)\ntest images used: 50"));
  assert_true(lt_contains(r.out, "epoch 1 of 1:"));
  lt_run_free(&r);
}

/* ===== 6. The confusion matrix ===== */

static void
the_confusion_matrix_counts_the_test_images(void **state)
{
  (void) state;
  const char *out = lt_default_run.out;
  const char *s = lt_find(out, "confusion matrix C =");
  s = strchr(s, '\n') + 1;
  s = strchr(s, '\n') + 1;  /* past the column numbers */
  double C[K][K], trace = 0, total = 0;
  for (int i = 0; i < K; i++) {
    char head[32];
    snprintf(head, sizeof head, "  %d ", i);
    assert_memory_equal(s, head, strlen(head));
    /* the counts are the last K numbers of the line */
    const char *end = strchr(s, '\n');
    const char *p = end;
    for (int j = K - 1; j >= 0; j--) {
      while (p > s && p[-1] == ' ')
        p--;
      while (p > s && p[-1] != ' ')
        p--;
      C[i][j] = strtod(p, NULL);
    }
    double row = 0;
    for (int j = 0; j < K; j++) {
      assert_true(C[i][j] >= 0 && C[i][j] == floor(C[i][j]));
      row += C[i][j];
    }
    assert_true(row == N_TEST / K);  /* the images of class i */
    trace += C[i][i];
    total += row;
    s = end + 1;
  }
  assert_true(total == N_TEST);
  char text[96];
  snprintf(text, sizeof text, "accuracy = trace(C)/N = %.0f/%d = ", trace, N_TEST);
  assert_close(lt_printed_after(out, text), trace / N_TEST, 1e-12);
  double train_acc, test_acc;
  final_accuracies(out, DEFAULT_EPOCHS, &train_acc, &test_acc);
  assert_close(test_acc, trace / N_TEST, 1e-5);
  /* the figure holds the same matrix: a 10×10 grid (rows of x, y, z) */
  static double x[K * K], y[K * K], z[K * K];
  size_t n = lt_read_block3(lt_path(lt_default_dir(), "confusion", "dat"), 0, x, y, z,
                            K * K);
  assert_int_equal(n, K * K);
  for (size_t k = 0; k < n; k++)
    assert_true(z[k] == C[(int) y[k]][(int) x[k]]);
}

/* ===== 2 and 7. Pictures ===== */

static void
the_picture_figures_hold_pixels_and_weights(void **state)
{
  (void) state;
  enum { MAX = 200000 };
  double *x = malloc(3 * MAX * sizeof *x), *y = x + MAX, *z = y + MAX;
  /* the samples: pixels scaled to [0, 1]; full-ink bar pixels and faint noise */
  size_t n = lt_read_block3(lt_path(lt_default_dir(), "samples", "dat"), 0, x, y, z, MAX);
  assert_true(n > 30 * ROWS * COLS);
  size_t bright = 0;
  for (size_t k = 0; k < n; k++) {
    assert_true(z[k] >= 0 && z[k] <= 1);
    bright += z[k] >= 199.5 / 255;  /* the .dat rounds 200/255 */
  }
  /* 30 pictures of one bar of 2 × 20 pixels */
  assert_int_equal(bright, 30 * 2 * 20);
  /* the weights: 16 units, each scaled so that its largest |w| is 1 */
  n = lt_read_block3(lt_path(lt_default_dir(), "first-layer-weights", "dat"), 0, x, y, z,
                     MAX);
  assert_true(n > 16 * ROWS * COLS);
  size_t ones = 0;
  for (size_t k = 0; k < n; k++) {
    assert_true(z[k] >= -1 && z[k] <= 1);
    ones += fabs(z[k]) == 1.0;
  }
  assert_true(ones >= 16);
  free(x);
}

/* ===== 8. PyTorch ===== */

/* Has this python torch? */
static int
python_has_torch(const char *python)
{
  const char *probe[] = {python, "-c", "import torch", NULL};
  lt_run p = lt_run_program(probe, NULL, NULL);
  int yes = p.status == 0;
  lt_run_free(&p);
  return yes;
}

static void
pytorch_runs_or_says_why_not(void **state)
{
  (void) state;
  /* without --torch it only says how */
  assert_true(lt_contains(lt_default_run.out, "ARGS='--full --torch'"));
  const char *args[] = {"--no-prose", "--torch", "--epochs", "2", NULL};
  lt_run r = lt_run_lecture("torch", args, NULL);
  lt_check_succeeded(&r);
  if (python_has_torch("python3") || python_has_torch("/usr/bin/python3")) {
    double train_acc, test_acc;
    final_accuracies(r.out, 2, &train_acc, &test_acc);
    const char *s = lt_find(r.out, "test accuracy after 2 epochs, 400 training and 200 "
                            "test images, adam:");
    assert_close(lt_printed_after(s, "this library:"), test_acc, 1e-5);
    double torch_acc = lt_printed_after(s, "PyTorch:");
    assert_true(torch_acc >= 0.9);  /* the bars, learnt there too */
    assert_close(lt_printed_after(s, "difference:"), test_acc - torch_acc, 1e-2);
  } else {
    assert_true(lt_contains(r.out, "python3-torch"));
    assert_true(lt_contains(r.out, "the comparison is left out"));
  }
  lt_run_free(&r);
  /* no python3 at all: it says so and goes on */
  const char *env[] = {"NN_PYTHON=/nonexistent/python3", NULL};
  r = lt_run_lecture("no-python", args, env);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "/nonexistent/python3 cannot be run"));
  assert_true(lt_contains(r.out, "python3-torch"));
  assert_true(lt_contains(r.out, "## What to remember"));
  lt_run_free(&r);
  /* a python3 without torch (the script's exit status 3) */
  char fake[PATH_MAX + 32], var[PATH_MAX + 48];
  snprintf(fake, sizeof fake, "%s/python3-without-torch", lt_out_root());
  FILE *f = fopen(fake, "w");
  assert_non_null(f);
  fputs("#!/bin/sh\necho 'no torch'\nexit 3\n", f);
  assert_int_equal(fclose(f), 0);
  assert_int_equal(chmod(fake, 0755), 0);
  snprintf(var, sizeof var, "NN_PYTHON=%s", fake);
  const char *env3[] = {var, NULL};
  r = lt_run_lecture("no-torch", args, env3);
  lt_check_succeeded(&r);
  assert_true(lt_contains(r.out, "has no torch module"));
  assert_true(lt_contains(r.out, "python3-torch"));
  assert_true(lt_contains(r.out, "## What to remember"));
  lt_run_free(&r);
}

/* ===== A missing or broken data set ===== */

static void
a_missing_data_set_names_the_folder_and_the_package(void **state)
{
  (void) state;
  const char *args[] = {"--data", empty_dir, NULL};
  lt_run r = lt_run_lecture("missing", args, NULL);
  assert_int_equal(r.status, 3);  /* LESSON_EXIT_MISSING */
  assert_true(lt_contains(r.err, "lecture11: error: "));
  assert_true(lt_contains(r.err, empty_dir));
  assert_true(lt_contains(r.err, "dataset-fashion-mnist"));
  assert_true(lt_contains(r.err, "NN_FASHION_MNIST"));
  lt_run_free(&r);
  /* the same through the environment variable */
  char var[PATH_MAX + 32];
  snprintf(var, sizeof var, "NN_FASHION_MNIST=%s", empty_dir);
  const char *env[] = {var, NULL};
  r = lt_run_lecture("missing-env", NULL, env);
  assert_int_equal(r.status, 3);  /* LESSON_EXIT_MISSING */
  assert_true(lt_contains(r.err, empty_dir));
  assert_true(lt_contains(r.err, "dataset-fashion-mnist"));
  lt_run_free(&r);
}

static void
a_broken_data_set_names_the_file(void **state)
{
  (void) state;
  const char *args[] = {"--data", bad_dir, NULL};
  lt_run r = lt_run_lecture("broken", args, NULL);
  assert_int_equal(r.status, 1);
  assert_true(lt_contains(r.err, "lecture11: error: "));
  assert_true(lt_contains(r.err, "t10k-labels-idx1-ubyte"));
  assert_true(lt_contains(r.err, "12"));
  lt_run_free(&r);
}

/* ===== The command line ===== */

static void
help_lists_every_knob(void **state)
{
  (void) state;
  static const char *const knobs[] = {
    "--data TEXT", "--hidden TEXT", "--epochs N", "--batch N", "--optimizer", "--lr X",
    "--train N", "--test N", "--full", "--torch", "--seed N", "--out DIR", "--no-prose",
    "--no-figures", "--help", "dataset-fashion-mnist", "(default 128)", "(default 3)",
    "(default 64)", "(default adam)", "(default 0.001)", "(default 6000)",
    "(default 1000)", "(default out/lecture11)", NULL};
  lt_check_help(knobs);
}

static void
bad_values_are_refused_by_name(void **state)
{
  (void) state;
  static const char *const cases[][5] = {
    /* the arguments, then two texts the message must contain */
    {"--epochs", "0", NULL, "--epochs", "'0'"},
    {"--epochs", "1.5", NULL, "--epochs", "1.5"},
    {"--batch", "0", NULL, "--batch", "'0'"},
    {"--optimizer", "adamw", NULL, "--optimizer", "adamw"},
    {"--lr", "0", NULL, "--lr", "'0'"},
    {"--lr", "nan", NULL, "--lr", "nan"},
    {"--train", "5", NULL, "--train", "'5'"},
    {"--test", "20000", NULL, "--test", "'20000'"},
    {"--hidden", "0", NULL, "--hidden", "'0'"},
    {"--hidden", "12,abc", NULL, "--hidden", "'12,abc'"},
    {"--hidden", "8,8,8,8,8", NULL, "--hidden", "'8,8,8,8,8'"},
    {"--hidden", "99999999999999999999", NULL, "--hidden", "99999999999999999999"},
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
  static const char *const files[] = {"loss-curves.dat", "accuracy-curves.dat",
                                      "confusion.dat", "first-layer-weights.dat",
                                      "samples.dat", "network.dot", NULL};
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
  const char *args[] = {"--no-prose", "--epochs", "1", NULL};
  lt_check_missing_programs(args, "loss-curves", "network");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(it_runs_and_prints_the_lesson),
    cmocka_unit_test(every_line_fits_in_80_columns),
    cmocka_unit_test(every_figure_is_complete_and_valid),
    cmocka_unit_test(the_header_bytes_are_the_files),
    cmocka_unit_test(the_class_counts_are_the_sets),
    cmocka_unit_test(one_hot_rows_have_one_1_at_the_label),
    cmocka_unit_test(softmax_rows_sum_to_1_and_give_the_loss_and_its_gradient),
    cmocka_unit_test(the_network_learns_the_bars),
    cmocka_unit_test(other_knobs_train_other_networks),
    cmocka_unit_test(the_confusion_matrix_counts_the_test_images),
    cmocka_unit_test(the_picture_figures_hold_pixels_and_weights),
    cmocka_unit_test(pytorch_runs_or_says_why_not),
    cmocka_unit_test(a_missing_data_set_names_the_folder_and_the_package),
    cmocka_unit_test(a_broken_data_set_names_the_file),
    cmocka_unit_test(help_lists_every_knob),
    cmocka_unit_test(bad_values_are_refused_by_name),
    cmocka_unit_test(the_same_seed_gives_the_same_lesson),
    cmocka_unit_test(sections_and_terminal),
    cmocka_unit_test(missing_programs_are_not_fatal),
  };
  return cmocka_run_group_tests(tests, setup, lt_teardown);
}
