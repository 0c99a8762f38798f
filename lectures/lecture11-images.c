/* SPDX-License-Identifier: GPL-3.0-or-later */
/// # Lecture 11: Classifying images
///
/// Until now every data set of the course fitted on a slide: points in a
/// plane, a line with noise. This lecture trains a network on real
/// pictures: **Fashion-MNIST**, 70,000 grey photographs of clothes, 28×28
/// pixels each, in ten classes, from T-shirts to ankle boots. It is a
/// drop-in replacement for the classic MNIST digits, in the same file
/// format, and a harder one. On the way:
///
/// - the **IDX format** the images come in, read byte by byte;
/// - the pictures themselves, and their labels;
/// - **one-hot** labels, **softmax** and the **cross-entropy** loss for ten
///   classes;
/// - a **multilayer perceptron** trained with **mini-batches** and
///   **Adam**, epoch by epoch, and its loss and accuracy curves;
/// - the **confusion matrix**: which classes the network mixes up;
/// - what the first layer learned, its weights drawn as images.
///
/// The default run takes a subset (6,000 training images, 1,000 test
/// images, 3 epochs) to finish in seconds; `make lecture11 ARGS=--full`
/// trains on all 60,000 images for 5 epochs. The data set comes from the
/// Debian package `dataset-fashion-mnist`; `--data DIR` reads it from
/// another folder. The shuffles and the starting weights are drawn from
/// the seed (`--seed`).

/* lecture11-images.c: lecture 11 as a literate program. The `///` lines
 * are the lesson's prose (see lesson.h); main() is the outline and the
 * sections follow in the order the lecture tells them. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <nn/nn.h>

#include "lesson.h"
#include "lectures/lecture11-images.prose.h"

/* The PyTorch side of section 8, in the source tree (set by the build). */
#ifndef LECTURE11_TORCH_SCRIPT
#define LECTURE11_TORCH_SCRIPT "lectures/lecture11-torch.py"
#endif

/* ===== Knobs ===== */

static const char *data_dir;      /* --data: the folder of the four IDX files */
static const char *hidden = "128";/* --hidden: hidden layer sizes */
static int epochs = 3;            /* --epochs: passes over the training images */
static int batch = 64;            /* --batch: images per mini-batch */
static int optimizer = 0;         /* --optimizer: index into OPTIMIZERS */
static double lr = 0.001;         /* --lr: the optimizer's learning rate */
static int n_train = 6000;        /* --train: training images used */
static int n_test = 1000;         /* --test: test images used */
static int full = 0;              /* --full: the whole set, 5 epochs */
static int torch = 0;             /* --torch: the same run in PyTorch */

/* The words of --optimizer, each a name nn_optim_parse() knows. */
#define OPTIMIZERS "adam|sgd|momentum|nesterov|adagrad|rmsprop|adadelta"

static const lesson_option options[] = {
  {"data", LESSON_STRING, &data_dir, "the folder of Fashion-MNIST's four IDX files, "
   "gzipped or not (the default is $NN_FASHION_MNIST when set, else where the Debian "
   "package dataset-fashion-mnist installs them)", .choices = NULL},
  {"hidden", LESSON_STRING, &hidden, "hidden layer sizes of the network, written like "
   "128 or 256,64", .choices = NULL},
  {"epochs", LESSON_INT, &epochs, "passes over the training images", .min = 1,
   .max = 1000},
  {"batch", LESSON_INT, &batch, "images per mini-batch", .min = 1, .max = 60000},
  {"optimizer", LESSON_CHOICE, &optimizer, "the optimizer of lecture 9 that trains "
   "the network", .choices = OPTIMIZERS},
  {"lr", LESSON_DOUBLE, &lr, "its learning rate (Adam's usual 0.001; try 0.1 with "
   "sgd)", .min = 1e-6, .max = 10},
  {"train", LESSON_INT, &n_train, "training images used, the first ones of the file "
   "(a subset for a quick run)", .min = 10, .max = 60000},
  {"test", LESSON_INT, &n_test, "test images used, the first ones of the file",
   .min = 10, .max = 10000},
  {"full", LESSON_FLAG, &full, "the whole set: 60,000 training images, the 10,000 "
   "test images, and 5 epochs unless --epochs is given", .choices = NULL},
  {"torch", LESSON_FLAG, &torch, "train the same network with PyTorch too and print "
   "both test accuracies (python3 with the Debian package python3-torch; the "
   "environment variable NN_PYTHON names another interpreter)", .choices = NULL},
  {0}
};

/* Fashion-MNIST's ten classes, in the order of their labels. */
#define K NN_IDX_CLASSES
static const char *const class_names[K] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

#define FULL_TRAIN 60000
#define FULL_TEST 10000
#define FULL_EPOCHS 5

/* At most this many hidden layers in --hidden, each of at most MAX_UNITS. */
#define MAX_HIDDEN 4
#define MAX_UNITS 4096

/* Evaluation runs over a set this many images at a time. */
#define EVAL_BATCH 500

/* The training loss is recorded as a mean over this many parts of an
 * epoch: the points of the loss curve. */
#define LOSS_POINTS_PER_EPOCH 10

/* The sample grid: this many images of each class. */
#define SAMPLES_PER_CLASS 3

/* The first-layer weights drawn: this many hidden units (fewer when the
 * first hidden layer is smaller). */
#define WEIGHT_UNITS 8

/* Section 4's small batch. */
#define DEMO_B 4

/* What the lecture keeps from section to section. */
static nn_images *train_set, *test_set;
static size_t hidden_sizes[MAX_HIDDEN], n_hidden;
static nn_network *net;
static gsl_matrix *W_start;  /* the first layer's weights before training */
static double final_test_accuracy;

static void idx_format(lesson *L);
static void the_images(lesson *L);
static void one_hot(lesson *L);
static void softmax_cross_entropy(lesson *L);
static void training(lesson *L);
static void confusion(lesson *L);
static void first_layer(lesson *L);
static void pytorch(lesson *L);
static void closing(lesson *L);

/* Read --hidden, or refuse it by name. */
static void
read_hidden(const lesson *L)
{
  const char *s = hidden;
  n_hidden = 0;
  for (;;) {
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno != 0 || v < 1 || v > MAX_UNITS || n_hidden == MAX_HIDDEN
        || (*end != ',' && *end != '\0'))
      lesson_usage_error(L, "--hidden '%s' must be 1 to %d layer sizes from 1 to %d, "
                         "written like 128 or 256,64", hidden, MAX_HIDDEN, MAX_UNITS);
    hidden_sizes[n_hidden++] = (size_t) v;
    if (*end == '\0')
      break;
    s = end + 1;
  }
}

/* The word of --optimizer, as nn_optim_parse() reads it. */
static const char *
optimizer_name(void)
{
  static char word[sizeof OPTIMIZERS];
  snprintf(word, sizeof word, "%s", OPTIMIZERS);
  char *name = strtok(word, "|");
  for (int k = 0; k < optimizer; k++)
    name = strtok(NULL, "|");
  return name;
}

/* The library's message when a set cannot be loaded: a data set that is not
 * installed ends the lesson as missing (see lesson_missing), a broken one as
 * an error, both with the library's words. */
static char load_error[1600];

static void
remember_load_error(const char *reason, const char *file, int line, int gsl_errno)
{
  (void) file;
  (void) line;
  (void) gsl_errno;
  snprintf(load_error, sizeof load_error, "%s", reason);
}

static nn_images *
load_set(lesson *L, int train)
{
  gsl_error_handler_t *lesson_handler = gsl_set_error_handler(remember_load_error);
  load_error[0] = '\0';
  nn_images *set = nn_images_load_fashion(data_dir, train);
  gsl_set_error_handler(lesson_handler);
  if (set == NULL && strstr(load_error, "install the Debian package " NN_FASHION_MNIST_PACKAGE))
    lesson_missing(L, "%s", load_error);
  if (set == NULL)
    GSL_ERROR_NULL(load_error, GSL_EFAILED);
  return set;
}

/* Load the training and test sets from data_dir and keep the subsets the
 * knobs ask for (all of a set that is smaller). A missing or malformed set
 * stops the lecture with the library's message: the folder, the file and
 * the Debian package. */
static void
load_data(lesson *L)
{
  train_set = load_set(L, 1);
  test_set = load_set(L, 0);
  if (train_set->rows != test_set->rows || train_set->cols != test_set->cols)
    lesson_usage_error(L, "--data %s: the training images are %zux%zu pixels but the "
                       "test images %zux%zu", data_dir, train_set->rows, train_set->cols,
                       test_set->rows, test_set->cols);
  if ((size_t) n_train < train_set->n)
    nn_images_truncate(train_set, (size_t) n_train);
  if ((size_t) n_test < test_set->n)
    nn_images_truncate(test_set, (size_t) n_test);
}

int
main(int argc, char **argv)
{
  const char *env = getenv("NN_FASHION_MNIST");
  data_dir = env != NULL && env[0] != '\0' ? env : NN_FASHION_MNIST_DIR;
  lesson *L = lesson_begin(argc, argv, &(lesson_info){
      .number = 11, .title = "Classifying images",
      .options = options, .prose = &lecture_prose});
  read_hidden(L);
  if (full) {
    n_train = FULL_TRAIN;
    n_test = FULL_TEST;
    if (!lesson_given(L, &epochs))
      epochs = FULL_EPOCHS;
  }
  load_data(L);
  LESSON_PROSE(L);

  idx_format(L);
  the_images(L);
  one_hot(L);
  softmax_cross_entropy(L);
  training(L);
  confusion(L);
  first_layer(L);
  pytorch(L);
  closing(L);
  nn_network_free(net);
  gsl_matrix_free(W_start);
  nn_images_free(train_set);
  nn_images_free(test_set);
  return lesson_finish(L);
}

/* ===== Helpers: pictures as text and as figures ===== */

/* The shades of the ASCII art, from background (0) to full ink (255): the
 * ramp of the library's text heat maps. */
static const char shades[] = " .:-=+*#%@";

/* Print N pictures of ROWS × COLS values in [0, 1] side by side, each under
 * its caption, one text line for every two pixel rows (a character is about
 * twice as tall as it is wide). */
static void
ascii_pictures(lesson *L, const double *const *pics, const char *const *captions,
               size_t n, size_t rows, size_t cols)
{
  const int levels = (int) sizeof shades - 1;
  for (size_t k = 0; k < n; k++)
    lesson_printf(L, "%s%s", k + 1 < n ? lesson_pad(L, captions[k], (int) cols + 2)
                  : captions[k], k + 1 < n ? "" : "\n");
  for (size_t r = 0; r + 1 < rows + 1; r += 2) {
    char line[512];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
      for (size_t c = 0; c < cols && m + 4 < sizeof line; c++) {
        double v = pics[k][r * cols + c];
        if (r + 1 < rows)  /* the brighter of the two rows, so thin lines stay */
          v = GSL_MAX(v, pics[k][(r + 1) * cols + c]);
        int s = (int) (v * levels);
        line[m++] = shades[GSL_MAX(0, GSL_MIN(s, levels - 1))];
      }
      if (k + 1 < n && m + 4 < sizeof line) {
        line[m++] = ' ';
        line[m++] = ' ';
      }
    }
    while (m > 0 && line[m - 1] == ' ')
      m--;
    line[m] = '\0';
    lesson_printf(L, "  %s\n", line);
  }
}

/* Image k of SET as ROWS × COLS values in [0, 1], into PIC. */
static void
picture(const nn_images *set, size_t k, double *pic)
{
  const size_t d = set->rows * set->cols;
  for (size_t i = 0; i < d; i++)
    pic[i] = set->pixels[k * d + i] / 255.0;
}

/* A figure NAME of N pictures (ROWS × COLS each, given row by row) in a
 * grid of PER_ROW columns, each captioned, drawn with "image" and the
 * palette PALETTE over the values [LO, HI]; GAP separates them, filled
 * with BACKGROUND. */
static void
picture_grid_figure(lesson *L, const char *name, const char *title,
                    const double *const *pics, const char *const *captions, size_t n,
                    size_t rows, size_t cols, size_t per_row, const char *palette,
                    double lo, double hi, double background)
{
  const size_t gap = 2, cap = 8;  /* pixels between pictures, and for a caption */
  const size_t grid_rows = (n + per_row - 1) / per_row;
  const size_t W = per_row * (cols + gap) - gap, H = grid_rows * (rows + cap);
  gsl_vector *x = gsl_vector_alloc(W), *y = gsl_vector_alloc(H);
  gsl_matrix *z = gsl_matrix_alloc(H, W);
  gsl_matrix_set_all(z, background);
  for (size_t j = 0; j < W; j++)
    gsl_vector_set(x, j, (double) j);
  for (size_t i = 0; i < H; i++)
    gsl_vector_set(y, i, (double) i);
  nn_plot *p = lesson_plot(L, name);
  nn_plot_title(p, title);
  for (size_t k = 0; k < n; k++) {
    const size_t top = (k / per_row) * (rows + cap) + cap, left = (k % per_row) * (cols + gap);
    for (size_t r = 0; r < rows; r++)
      for (size_t c = 0; c < cols; c++)
        gsl_matrix_set(z, top + r, left + c, pics[k][r * cols + c]);
    nn_plot_set(p, "label %zu \"%s\" at %g,%g center font \",9\" front", k + 1, captions[k],
                (double) left + (double) cols / 2 - 0.5, (double) top - (double) cap / 2);
  }
  nn_plot_set(p, "palette %s", palette);
  nn_plot_set(p, "cbrange [%g:%g]", lo, hi);
  nn_plot_set(p, "xrange [-0.5:%g]", (double) W - 0.5);
  nn_plot_set(p, "yrange [%g:-0.5]", (double) H - 0.5);  /* row 0 on top */
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "border 0");
  nn_plot_set(p, "tics scale 0");
  nn_plot_set(p, "format x ''");
  nn_plot_set(p, "format y ''");
  nn_plot_set(p, "key off");
  nn_plot_grid(p, NULL, x, y, z, "image pixels");
  lesson_save_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(x);
  gsl_vector_free(y);
  gsl_matrix_free(z);
}

/* ===== Helpers: training and evaluation ===== */

/* What a pass over a set needs, allocated once: a batch of images as
 * doubles, their labels (as doubles for nn_images_batch, as indices for
 * the loss), the predicted classes and the loss's gradient. */
typedef struct workspace {
  gsl_matrix *X;       /* (rows, 784): the batch, pixels scaled to [0, 1] */
  gsl_vector *y;       /* (rows): the labels as nn_images_batch gives them */
  gsl_vector *classes; /* (rows): predicted classes */
  gsl_matrix *dZ;      /* (rows, K): ∂J/∂scores */
  size_t *labels;      /* rows labels, as indices */
} workspace;

static workspace
workspace_alloc(size_t rows, size_t d)
{
  workspace w = {gsl_matrix_alloc(rows, d), gsl_vector_alloc(rows), gsl_vector_alloc(rows),
                 gsl_matrix_alloc(rows, K), malloc(rows * sizeof(size_t))};
  return w;
}

static void
workspace_free(workspace *w)
{
  gsl_matrix_free(w->X);
  gsl_vector_free(w->y);
  gsl_vector_free(w->classes);
  gsl_matrix_free(w->dZ);
  free(w->labels);
}

/* Batch B of SET in ORDER (NULL: the file's order) into W: views of the
 * rows filled go into X and dZ, the labels into w->labels; the number of
 * rows is returned. */
static size_t
load_batch(const nn_images *set, const gsl_permutation *order, size_t b, workspace *w,
           gsl_matrix_view *X, gsl_matrix_view *dZ)
{
  size_t rows;
  nn_images_batch(set, order, b, w->X, w->y, &rows);
  for (size_t i = 0; i < rows; i++)
    w->labels[i] = (size_t) gsl_vector_get(w->y, i);
  *X = gsl_matrix_submatrix(w->X, 0, 0, rows, w->X->size2);
  *dZ = gsl_matrix_submatrix(w->dZ, 0, 0, rows, K);
  return rows;
}

/* The mean cross-entropy *LOSS and the accuracy *ACC of the network over
 * every image of SET, EVAL_BATCH at a time; the predicted classes into
 * PREDICTED (SET->n entries) when it is not NULL. */
static void
evaluate(const nn_images *set, workspace *w, double *loss, double *acc,
         gsl_vector *predicted)
{
  double total = 0;
  size_t right = 0;
  for (size_t b = 0; b < nn_data_batch_count(set->n, EVAL_BATCH); b++) {
    gsl_matrix_view X, dZ;
    size_t rows = load_batch(set, NULL, b, w, &X, &dZ);
    double J;
    nn_network_forward(net, NULL, &X.matrix);
    const gsl_matrix *Z = nn_network_output(net);
    nn_loss_softmax_ce_labels(&J, NULL, NULL, Z, w->labels);
    total += J * (double) rows;
    gsl_vector_view c = gsl_vector_subvector(w->classes, 0, rows);
    nn_train_argmax(Z, &c.vector);
    for (size_t i = 0; i < rows; i++) {
      right += gsl_vector_get(&c.vector, i) == (double) w->labels[i];
      if (predicted != NULL)
        gsl_vector_set(predicted, b * EVAL_BATCH + i, gsl_vector_get(&c.vector, i));
    }
  }
  *loss = total / (double) set->n;
  *acc = (double) right / (double) set->n;
}

/* ===== 1. The IDX format ===== */

/// ## 1. The IDX format
///
/// Fashion-MNIST comes as four files: the training images and their
/// labels, the test images and theirs. They are in the **IDX** format of
/// the original MNIST, a format simple enough to read by hand: a header of
/// big-endian 32-bit numbers, then the data, one unsigned byte per value.
///
///     bytes        what
///     2            0, 0
///     1            the type of the values: 0x08 for unsigned bytes
///     1            the number of dimensions: 3 for images, 1 for labels
///     4 per dim    the size of each dimension: N, rows, columns (or N)
///     the rest     the values, image after image, row after row
///
/// The first four bytes are the **magic number**: 0x00000803 for a file of
/// images, 0x00000801 for a file of labels. Here are the real first bytes
/// of the files (the `.gz` files are read through zlib, which sees the
/// bytes they hold):

/* The first N bytes of PATH, through zlib (gzipped or not), into BYTES;
 * how many there were. */
static size_t
first_bytes(const char *path, unsigned char *bytes, size_t n)
{
  gzFile f = gzopen(path, "rb");
  if (f == NULL)
    return 0;
  int got = gzread(f, bytes, (unsigned) n);
  gzclose(f);
  return got < 0 ? 0 : (size_t) got;
}

/* The path of the IDX file NAME in data_dir, plain or gzipped (the
 * library's reader looks for the same two names, the plain one first). */
static const char *
idx_path(char *path, size_t size, const char *name)
{
  snprintf(path, size, "%s/%s", data_dir, name);
  if (access(path, R_OK) != 0)
    snprintf(path, size, "%s/%s.gz", data_dir, name);
  return path;
}

/* A big-endian 32-bit number. */
static unsigned long
big_endian(const unsigned char *b)
{
  return (unsigned long) b[0] << 24 | (unsigned long) b[1] << 16
         | (unsigned long) b[2] << 8 | (unsigned long) b[3];
}

static void
print_header(lesson *L, const char *name, size_t dims)
{
  char path[4096];
  unsigned char b[16];
  const size_t n = 4 + 4 * dims;
  idx_path(path, sizeof path, name);
  if (first_bytes(path, b, n) != n) {
    lesson_printf(L, "%s: cannot read its first %zu bytes\n", path, n);
    return;
  }
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  lesson_printf(L, "%s, its first %zu bytes:\n ", base, n);
  for (size_t i = 0; i < n; i++)
    lesson_printf(L, "%s%02x", i % 4 == 0 ? "  " : " ", b[i]);
  lesson_printf(L, "\n  magic 0x%08lx: type 0x%02x (unsigned bytes), %u dimension%s\n",
                big_endian(b), b[2], b[3], b[3] == 1 ? "" : "s");
  static const char *const what[3] = {"images", "rows", "columns"};
  unsigned long values = 1;
  for (size_t k = 0; k < dims; k++) {
    unsigned long v = big_endian(b + 4 + 4 * k);
    values *= v;
    lesson_printf(L, "  dimension %zu: %02x %02x %02x %02x = %lu %s\n", k + 1,
                  b[4 + 4 * k], b[5 + 4 * k], b[6 + 4 * k], b[7 + 4 * k], v,
                  dims == 1 ? "labels" : what[k]);
  }
  lesson_printf(L, "  then %lu bytes of data: the file is %zu + %lu = %lu bytes long\n",
                values, n, values, n + values);
}

static void
idx_format(lesson *L)
{
  LESSON_PROSE(L);
  print_header(L, "train-images-idx3-ubyte", 3);
  print_header(L, "train-labels-idx1-ubyte", 1);

  /// The reader (nn/idx.h) checks every one of these numbers: a wrong
  /// magic number, a header whose counts disagree with the file's length,
  /// a label above 9 or a truncated file is refused with the file's name.
  /// It keeps the pixels as bytes, one byte each (60,000 images are 47 MB
  /// this way, 376 MB as doubles), and scales them to [0, 1] only when a
  /// mini-batch is copied out. This run uses the first images of each
  /// file:
  LESSON_PROSE(L);
  lesson_printf(L, "training images used: %zu (of the file's first %d asked)\n"
                "test images used: %zu; each image %zu×%zu = %zu pixels\n",
                train_set->n, n_train, test_set->n, train_set->rows, train_set->cols,
                train_set->rows * train_set->cols);
}

/* ===== 2. The images ===== */

/// ## 2. The pictures and their labels
///
/// Every image is a 28×28 grid of grey levels, 0 for the background and
/// 255 for full ink, with one label from 0 to 9. The ten classes:

static void
the_images(lesson *L)
{
  LESSON_PROSE(L);
  for (int c = 0; c < K; c++)
    lesson_printf(L, "  %d %s\n", c, class_names[c]);
  size_t count_train[K] = {0}, count_test[K] = {0};
  for (size_t i = 0; i < train_set->n; i++)
    count_train[train_set->labels[i]]++;
  for (size_t i = 0; i < test_set->n; i++)
    count_test[test_set->labels[i]]++;
  lesson_printf(L, "training images per class: (");
  for (int c = 0; c < K; c++)
    lesson_printf(L, "%zu%s", count_train[c], c + 1 < K ? ", " : ")\n");
  lesson_printf(L, "test images per class: (");
  for (int c = 0; c < K; c++)
    lesson_printf(L, "%zu%s", count_test[c], c + 1 < K ? ", " : ")\n");

  /// The classes are balanced: the full sets hold 6,000 training and
  /// 1,000 test images of each class, so a network that guesses blindly
  /// is right one time in ten. The first training image of each class,
  /// as text (figure `samples` has the first three of each class):
  LESSON_PROSE(L);
  const size_t rows = train_set->rows, cols = train_set->cols, d = rows * cols;
  double *store = malloc(K * SAMPLES_PER_CLASS * d * sizeof *store);
  const double *pics[K * SAMPLES_PER_CLASS];
  const char *captions[K * SAMPLES_PER_CLASS];
  char caption_text[K * SAMPLES_PER_CLASS][40];
  size_t n = 0;
  /* the first SAMPLES_PER_CLASS of each class, in class order */
  for (int c = 0; c < K; c++) {
    size_t found = 0;
    for (size_t i = 0; i < train_set->n && found < SAMPLES_PER_CLASS; i++)
      if (train_set->labels[i] == c) {
        picture(train_set, i, store + n * d);
        pics[n] = store + n * d;
        snprintf(caption_text[n], sizeof caption_text[n], "%d %s", c, class_names[c]);
        captions[n] = caption_text[n];
        n++;
        found++;
      }
  }
  /* in the terminal: the first of each class, two side by side */
  for (size_t k = 0; k < n; k += 2 * SAMPLES_PER_CLASS) {
    const double *two[2] = {pics[k], NULL};
    const char *two_captions[2] = {captions[k], NULL};
    size_t m = 1;
    if (k + SAMPLES_PER_CLASS < n) {
      two[1] = pics[k + SAMPLES_PER_CLASS];
      two_captions[1] = captions[k + SAMPLES_PER_CLASS];
      m = 2;
    }
    ascii_pictures(L, two, two_captions, m, rows, cols);
  }
  picture_grid_figure(L, "samples", "Fashion-MNIST: the first training images of each "
                      "class", pics, captions, n, rows, cols, 2 * SAMPLES_PER_CLASS,
                      "gray negative", 0, 1, 0);
  free(store);

  /// A network does not see pictures: it sees 784 numbers, the rows of
  /// the image one after the other, each pixel scaled to [0, 1]. Shuffle
  /// the pixels the same way in every image and the network learns just
  /// as well; it knows nothing of neighbours (the convolutional networks
  /// of later courses do).
  LESSON_PROSE(L);
}

/* ===== 3. One-hot labels ===== */

/// ## 3. One-hot labels
///
/// A label is a class number, but a number says too much: class 9 (ankle
/// boot) is not "more" than class 8 (bag), and a shirt (6) is not half
/// way between a coat (4) and a sneaker (7). The network therefore has
/// ten outputs, one per class, and the label becomes a **one-hot**
/// vector: ten entries, all 0 but a 1 at the class. It is the probability
/// distribution the network should predict: all mass on the right class.
/// The first six training labels and their one-hot rows:

static void
one_hot(lesson *L)
{
  LESSON_PROSE(L);
  enum { SHOW = 6 };
  const size_t n = GSL_MIN(SHOW, train_set->n);
  gsl_vector *labels = gsl_vector_alloc(n);
  gsl_matrix *Y = gsl_matrix_calloc(n, K);
  for (size_t i = 0; i < n; i++) {
    gsl_vector_set(labels, i, train_set->labels[i]);
    gsl_matrix_set(Y, i, train_set->labels[i], 1.0);
  }
  lesson_vector(L, "labels", labels);
  lesson_matrix(L, "Y (one row per image, one column per class)", Y);
  gsl_vector_free(labels);
  gsl_matrix_free(Y);
}

/* ===== 4. Softmax and cross-entropy ===== */

/// ## 4. Softmax and cross-entropy
///
/// The network's last layer gives ten raw **scores** z (logits), any real
/// numbers. Softmax (lecture 3) turns them into probabilities, and the
/// cross-entropy of lecture 4 scores them:
///
///     p_k = exp(z_k) / Σ_j exp(z_j)          every p_k > 0, Σ_k p_k = 1
///
/// The **cross-entropy** of the one-hot label y measures how much
/// probability the right class c got:
///
///     J = -Σ_k y_k ln p_k = -ln p_c          0 when p_c = 1, large when p_c ≈ 0
///
/// averaged over a batch of B images. Its gradient with respect to the
/// scores is the famous **(p - y) / B**: each wrong class is pushed down by
/// its probability, the right one pulled up by 1 - p_c. The library fuses
/// the two (nn_loss_softmax_ce_labels) and computes them through the
/// log-sum-exp, so that no exp overflows. The untrained network on the
/// first four training images, each matrix printed transposed to fit the
/// screen (ᵀ): one column per image, one row per class from 0 to 9:

static void
softmax_cross_entropy(lesson *L)
{
  LESSON_PROSE(L);
  const size_t d = train_set->rows * train_set->cols;
  size_t sizes[MAX_HIDDEN + 2] = {d};
  nn_activation_kind acts[MAX_HIDDEN + 1];
  for (size_t l = 0; l < n_hidden; l++) {
    sizes[l + 1] = hidden_sizes[l];
    acts[l] = NN_ACTIVATION_RELU;
  }
  sizes[n_hidden + 1] = K;
  acts[n_hidden] = NN_ACTIVATION_IDENTITY;
  net = nn_network_alloc(sizes, n_hidden + 2, acts, GSL_MAX((size_t) batch, EVAL_BATCH));
  nn_network_init(net, L->rng);
  W_start = gsl_matrix_alloc(hidden_sizes[0], d);
  gsl_matrix_memcpy(W_start, nn_network_W(net, 0));

  const size_t B = GSL_MIN(DEMO_B, train_set->n);
  workspace w = workspace_alloc(B, d);
  gsl_matrix_view X, dZv;
  load_batch(train_set, NULL, 0, &w, &X, &dZv);
  nn_network_forward(net, NULL, &X.matrix);
  gsl_matrix *Z = gsl_matrix_alloc(B, K), *P = gsl_matrix_alloc(B, K);
  gsl_matrix_memcpy(Z, nn_network_output(net));
  nn_softmax_rows(P, Z);
  gsl_vector *labels = gsl_vector_alloc(B), *sums = gsl_vector_alloc(B);
  gsl_vector *losses = gsl_vector_alloc(B);
  for (size_t i = 0; i < B; i++) {
    gsl_vector_set(labels, i, (double) w.labels[i]);
    gsl_vector_const_view row = gsl_matrix_const_row(P, i);
    double s = 0;
    for (size_t k = 0; k < K; k++)
      s += gsl_vector_get(&row.vector, k);
    gsl_vector_set(sums, i, s);
  }
  double J;
  nn_loss_softmax_ce_labels(&J, losses, &dZv.matrix, Z, w.labels);
  /* Z, P and dJ/dZ are (B, K): B rows of ten numbers are too wide for a
   * terminal of 80 columns, their transposes (K, B) are not. */
  gsl_matrix *T = gsl_matrix_alloc(K, B);
  lesson_vector(L, "labels c", labels);
  gsl_matrix_transpose_memcpy(T, Z);
  lesson_matrix(L, "scores Zᵀ", T);
  gsl_matrix_transpose_memcpy(T, P);
  lesson_matrix(L, "probabilities Pᵀ = softmax(Z)ᵀ", T);
  lesson_vector(L, "each image's sum of p_k", sums);
  lesson_vector(L, "losses -ln p_c", losses);
  lesson_printf(L, "J = the mean of the losses = %s; ln 10 = %s\n", lesson_num(L, J),
                lesson_num(L, log(10.0)));

  /// An untrained network spreads its probability about evenly, p_c ≈ 1/10,
  /// so its loss starts near ln 10 ≈ 2.3: a first sanity check of any
  /// classifier of ten classes. A loss far above it at the start means
  /// weights too large (confident and wrong). The gradient (p - y)/B:
  LESSON_PROSE(L);
  gsl_matrix_transpose_memcpy(T, &dZv.matrix);
  lesson_matrix(L, "(dJ/dZ)ᵀ", T);

  /* The gradient check of the loss: central differences of J in every
   * score, against the analytic (p - y)/B. */
  const double h = 1e-5;
  double *analytic = malloc(2 * B * K * sizeof *analytic), *numerical = analytic + B * K;
  for (size_t i = 0; i < B; i++)
    for (size_t k = 0; k < K; k++) {
      double z = gsl_matrix_get(Z, i, k), Jp, Jm;
      gsl_matrix_set(Z, i, k, z + h);
      nn_loss_softmax_ce_labels(&Jp, NULL, NULL, Z, w.labels);
      gsl_matrix_set(Z, i, k, z - h);
      nn_loss_softmax_ce_labels(&Jm, NULL, NULL, Z, w.labels);
      gsl_matrix_set(Z, i, k, z);
      analytic[i * K + k] = gsl_matrix_get(&dZv.matrix, i, k);
      numerical[i * K + k] = (Jp - Jm) / (2 * h);
    }
  double num = 0, den = 0;
  for (size_t k = 0; k < B * K; k++) {
    num = GSL_MAX(num, fabs(analytic[k] - numerical[k]));
    den = GSL_MAX(den, fabs(analytic[k]) + fabs(numerical[k]));
  }
  double err = num / GSL_MAX(den, 1e-8);
  lesson_printf(L, "relative error of dJ/dZ against central differences (h = 1e-5):\n"
                "  %s (%s)\n", lesson_numf(L, err, 3),
                err < 1e-7 ? "the check passes" : "THE CHECK FAILS");
  free(analytic);
  gsl_matrix_free(T);
  gsl_matrix_free(Z);
  gsl_matrix_free(P);
  gsl_vector_free(labels);
  gsl_vector_free(sums);
  gsl_vector_free(losses);
  workspace_free(&w);

  /// Each image's gradient (a row of dJ/dZ, a column above) sums to 0,
  /// since P's rows and Y's rows both sum to 1: the loss only cares about
  /// differences between scores, and adding the same number to all ten
  /// changes nothing.
  LESSON_PROSE(L);
}

/* ===== 5. Training ===== */

/// ## 5. A multilayer perceptron, trained with Adam
///
/// The network (figure `network`): 784 inputs, hidden layers of ReLU
/// units (`--hidden`, one of 128 by default), and 10 outputs, the
/// scores. Its weights start as lecture 7 explained (random, scaled to
/// the layer's width: He for the ReLU layers, Glorot for the last; biases
/// 0), and it is trained with the loop of lecture 8,
/// one mini-batch (`--batch`) at a time, by the optimizer of lecture 9
/// that most people reach for first, **Adam** (`--optimizer`, `--lr`):
///
///     every epoch:  shuffle the training images
///       every batch of B images:  scale their pixels to [0, 1],
///         forward, softmax cross-entropy, backward, one Adam step
///       then measure the loss and the accuracy on the training images
///       and on the test images, which the network never trains on
///
/// The **accuracy** is the share of images whose highest score is the
/// right class (the argmax of the scores; softmax does not change which
/// is highest).

/* The figure `network`: the model as a graph of its layers, each edge
 * labelled with the shape of what flows along it (B images a batch). */
static void
network_graph(lesson *L)
{
  nn_graph *g = lesson_graph(L, "network");
  nn_graph_attr(g, "label", "The classifier: one batch of B images from pixels to "
                "the loss");
  nn_graph_attr(g, "rankdir", "LR");
  nn_graph_attr(g, "nodesep", "0.3");
  nn_graph_style data = {.shape = "box", .fillcolor = "#e69f00"};
  nn_graph_style layer = {.shape = "box", .fillcolor = "#56b4e9"};
  nn_graph_style loss = {.shape = "box", .fillcolor = "#009e73"};
  char label[64], id[16], prev[16], shape[32];
  snprintf(label, sizeof label, "images\n%zu×%zu bytes", train_set->rows,
           train_set->cols);
  nn_graph_node(g, "x", label, &data);
  nn_graph_node(g, "scale", "flatten, ÷ 255", &layer);
  snprintf(shape, sizeof shape, "B×%zu", train_set->rows * train_set->cols);
  nn_graph_edge(g, "x", "scale", NULL, NULL);
  snprintf(prev, sizeof prev, "scale");
  for (size_t l = 0; l < n_hidden; l++) {
    snprintf(id, sizeof id, "h%zu", l + 1);
    snprintf(label, sizeof label, "dense %zu + ReLU", hidden_sizes[l]);
    nn_graph_node(g, id, label, &layer);
    nn_graph_edge(g, prev, id, shape, NULL);
    snprintf(shape, sizeof shape, "B×%zu", hidden_sizes[l]);
    snprintf(prev, sizeof prev, "%s", id);
  }
  nn_graph_node(g, "z", "dense 10\n(scores)", &layer);
  nn_graph_edge(g, prev, "z", shape, NULL);
  nn_graph_node(g, "p", "softmax", &layer);
  nn_graph_edge(g, "z", "p", "B×10", NULL);
  nn_graph_node(g, "y", "labels\none-hot", &data);
  nn_graph_node(g, "J", "cross-entropy J", &loss);
  nn_graph_edge(g, "p", "J", "B×10", NULL);
  nn_graph_edge(g, "y", "J", "B×10", NULL);
  lesson_show_graph(L, g);
  nn_graph_free(g);
}

static void
training(lesson *L)
{
  LESSON_PROSE(L);
  network_graph(L);
  const size_t d = train_set->rows * train_set->cols, N = train_set->n;
  const size_t B = GSL_MIN((size_t) batch, N), E = (size_t) epochs;
  const size_t steps = nn_data_batch_count(N, B);
  const char *name = optimizer_name();
  nn_optim_kind kind;
  nn_optim_parse(name, &kind);
  nn_optim_options o = nn_optim_defaults(kind);
  o.lr = lr;
  nn_optim *opt = nn_optim_alloc(kind, net->params->size, &o);

  lesson_printf(L, "network: %zu", d);
  for (size_t l = 0; l < n_hidden; l++)
    lesson_printf(L, "-%zu", hidden_sizes[l]);
  lesson_printf(L, "-%d, %zu parameters; %s with learning rate %s;\n%zu training images "
                "in batches of %zu: %zu steps per epoch, %zu epochs\n", K,
                net->params->size, name, lesson_num(L, lr), N, B, steps, E);

  /* The curves: the training loss as a running mean over parts of each
   * epoch, and the losses and accuracies after every epoch. */
  const size_t parts = GSL_MIN(LOSS_POINTS_PER_EPOCH, steps);
  double *part_x = malloc((E * parts + 1) * sizeof *part_x);
  double *part_loss = malloc((E * parts + 1) * sizeof *part_loss);
  double *part_acc = malloc((E * parts + 1) * sizeof *part_acc);
  double *ep = malloc(5 * (E + 1) * sizeof *ep);
  double *train_loss = ep + E + 1, *test_loss = train_loss + E + 1;
  double *train_acc = test_loss + E + 1, *test_acc = train_acc + E + 1;
  size_t n_parts = 0;

  workspace w = workspace_alloc(B, d), we = workspace_alloc(EVAL_BATCH, d);
  gsl_permutation *order = gsl_permutation_alloc(N);
  evaluate(train_set, &we, &train_loss[0], &train_acc[0], NULL);
  evaluate(test_set, &we, &test_loss[0], &test_acc[0], NULL);
  ep[0] = 0;
  part_x[n_parts] = 0;
  part_loss[n_parts] = train_loss[0];
  part_acc[n_parts++] = train_acc[0];
  lesson_printf(L, "before training: loss %s, train accuracy %s, test accuracy %s\n",
                lesson_numf(L, train_loss[0], 6), lesson_numf(L, train_acc[0], 6),
                lesson_numf(L, test_acc[0], 6));
  for (size_t e = 1; e <= E; e++) {
    nn_data_shuffle(L->rng, order);
    double part_sum = 0;
    size_t part_images = 0, part_right = 0, part = 0;
    for (size_t b = 0; b < steps; b++) {
      gsl_matrix_view X, dZ;
      size_t rows = load_batch(train_set, order, b, &w, &X, &dZ);
      double J;
      nn_network_zero_grad(net);
      nn_network_forward(net, NULL, &X.matrix);
      nn_loss_softmax_ce_labels(&J, NULL, &dZ.matrix, nn_network_output(net), w.labels);
      gsl_vector_view c = gsl_vector_subvector(w.classes, 0, rows);
      nn_train_argmax(nn_network_output(net), &c.vector);
      for (size_t i = 0; i < rows; i++)
        part_right += gsl_vector_get(&c.vector, i) == (double) w.labels[i];
      nn_network_backward(net, NULL, &dZ.matrix);
      nn_optim_step(opt, net->params, net->grads);
      part_sum += J * (double) rows;
      part_images += rows;
      if ((b + 1) * parts / steps > part) {  /* the end of a part of the epoch */
        part = (b + 1) * parts / steps;
        part_x[n_parts] = (double) (e - 1) + (double) (b + 1) / (double) steps;
        part_loss[n_parts] = part_sum / (double) part_images;
        part_acc[n_parts++] = (double) part_right / (double) part_images;
        part_sum = 0;
        part_images = 0;
        part_right = 0;
      }
      lesson_progress(L, "training", (e - 1) * steps + b + 1, E * steps);
    }
    ep[e] = (double) e;
    evaluate(train_set, &we, &train_loss[e], &train_acc[e], NULL);
    evaluate(test_set, &we, &test_loss[e], &test_acc[e], NULL);
    lesson_printf(L, "epoch %zu of %zu: loss %s, train accuracy %s, test accuracy %s\n",
                  e, E, lesson_numf(L, train_loss[e], 6), lesson_numf(L, train_acc[e], 6),
                  lesson_numf(L, test_acc[e], 6));
  }
  final_test_accuracy = test_acc[E];

  /// The loss falls fastest in the first epoch; after it, every epoch
  /// gains less (figures `loss-curves` and `accuracy-curves`: the thin
  /// line is measured on the batches as they were trained, averaged over
  /// tenths of an epoch; the points are measured over the whole sets
  /// after each epoch). The test accuracy follows the training accuracy a
  /// little below it: the network generalizes, it does not only memorize.
  LESSON_PROSE(L);
  nn_plot *p = lesson_plot(L, "loss-curves");
  nn_plot_title(p, "Cross-entropy loss during training");
  nn_plot_labels(p, "epoch", "loss J");
  nn_plot_set(p, "xrange [0:%zu]", E);
  nn_plot_series(p, "training batches", part_x, part_loss, n_parts, "lines lw 1");
  nn_plot_series(p, "training set", ep, train_loss, E + 1, "linespoints pt 7 lw 2");
  nn_plot_series(p, "test set", ep, test_loss, E + 1, "linespoints pt 5 lw 2 dt 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  p = lesson_plot(L, "accuracy-curves");
  nn_plot_title(p, "Accuracy during training");
  nn_plot_labels(p, "epoch", "accuracy");
  nn_plot_set(p, "xrange [0:%zu]", E);
  nn_plot_set(p, "yrange [0:1]");
  nn_plot_set(p, "key bottom right");
  nn_plot_series(p, "training batches", part_x, part_acc, n_parts, "lines lw 1");
  nn_plot_series(p, "training set", ep, train_acc, E + 1, "linespoints pt 7 lw 2");
  nn_plot_series(p, "test set", ep, test_acc, E + 1, "linespoints pt 5 lw 2 dt 2");
  lesson_show_plot(L, p);
  nn_plot_free(p);
  if (!full)
    lesson_try(L, "predict the test accuracy on all 60,000 images after 5 epochs, then "
               "run `make lecture11 ARGS=--full` (a minute or more).");
  else
    lesson_try(L, "predict what plain SGD with the same rate does, then run "
               "`make lecture11 ARGS='--full --optimizer sgd'`.");
  free(part_x);
  free(part_loss);
  free(part_acc);
  free(ep);
  workspace_free(&w);
  workspace_free(&we);
  gsl_permutation_free(order);
  nn_optim_free(opt);
}

/* ===== 6. The confusion matrix ===== */

/// ## 6. The confusion matrix
///
/// One accuracy hides which mistakes the network makes. The **confusion
/// matrix** C counts them: C_ij is the number of test images of true
/// class i that the network put in class j. Row i sums to the number of
/// test images of class i; the diagonal holds the right answers, so the
/// accuracy is trace(C)/N. Rows are the truth, columns the prediction:

/* The figure `confusion`: C as a heat map with its counts written in. */
static void
confusion_figure(lesson *L, const gsl_matrix *C)
{
  gsl_vector *x = gsl_vector_alloc(K);
  for (int k = 0; k < K; k++)
    gsl_vector_set(x, k, k);
  nn_plot *p = lesson_plot(L, "confusion");
  nn_plot_title(p, "Confusion matrix on the test images");
  nn_plot_labels(p, "predicted class", "true class");
  char tics[512];
  size_t m = snprintf(tics, sizeof tics, "(");
  for (int k = 0; k < K; k++)
    m += snprintf(tics + m, sizeof tics - m, "\"%s\" %d%s", class_names[k], k,
                  k + 1 < K ? ", " : ")");
  nn_plot_set(p, "xtics %s rotate by 35 right", tics);
  nn_plot_set(p, "ytics %s", tics);
  nn_plot_set(p, "xrange [-0.5:%g]", K - 0.5);
  nn_plot_set(p, "yrange [%g:-0.5]", K - 0.5);  /* class 0 on top */
  nn_plot_set(p, "size ratio -1");
  nn_plot_set(p, "tics scale 0");
  nn_plot_set(p, "key off");
  nn_plot_set(p, "palette defined (0 '#ffffff', 1 '#08519c')");
  const double top = gsl_matrix_max(C);
  nn_plot_set(p, "cbrange [0:%g]", top > 0 ? top : 1);
  nn_plot_set(p, "cblabel 'images'");
  for (int i = 0; i < K; i++)
    for (int j = 0; j < K; j++) {
      const double v = gsl_matrix_get(C, i, j);
      nn_plot_set(p, "label %d \"%.0f\" at %d,%d center front font \",9\" tc rgb '%s'",
                  1 + i * K + j, v, j, i, v > top / 2 ? "#ffffff" : "#000000");
    }
  nn_plot_grid(p, NULL, x, x, C, "image");
  lesson_save_plot(L, p);
  nn_plot_free(p);
  gsl_vector_free(x);
}

static void
confusion(lesson *L)
{
  LESSON_PROSE(L);
  const size_t d = train_set->rows * train_set->cols, N = test_set->n;
  workspace we = workspace_alloc(EVAL_BATCH, d);
  gsl_vector *truth = gsl_vector_alloc(N), *predicted = gsl_vector_alloc(N);
  double loss, acc;
  evaluate(test_set, &we, &loss, &acc, predicted);
  for (size_t i = 0; i < N; i++)
    gsl_vector_set(truth, i, test_set->labels[i]);
  gsl_matrix *C = gsl_matrix_alloc(K, K);
  nn_train_confusion(truth, predicted, C);
  lesson_printf(L, "confusion matrix C =\n%s", lesson_pad(L, "  true \\ predicted", 19));
  for (int j = 0; j < K; j++)
    lesson_printf(L, "%6d", j);
  lesson_printf(L, "\n");
  double trace = 0;
  for (int i = 0; i < K; i++) {
    char head[32];
    snprintf(head, sizeof head, "  %d %s", i, class_names[i]);
    lesson_printf(L, "%s", lesson_pad(L, head, 19));
    for (int j = 0; j < K; j++)
      lesson_printf(L, "%6.0f", gsl_matrix_get(C, i, j));
    lesson_printf(L, "\n");
    trace += gsl_matrix_get(C, i, i);
  }
  lesson_printf(L, "accuracy = trace(C)/N = %.0f/%zu = %s\n", trace, N,
                lesson_num(L, trace / (double) N));
  confusion_figure(L, C);

  /// The mistakes alone, C with its diagonal set to 0, as a heat map
  /// (true class up, predicted class across; the brightest cells are the
  /// pairs the network mixes up), and the largest of them:
  LESSON_PROSE(L);
  gsl_matrix *M = gsl_matrix_alloc(K, K);
  gsl_matrix_memcpy(M, C);
  for (int i = 0; i < K; i++)
    gsl_matrix_set(M, i, i, 0);
  gsl_vector *axis = gsl_vector_alloc(K);
  for (int k = 0; k < K; k++)
    gsl_vector_set(axis, k, k);
  lesson_show_heat(L, "The mistakes: y = true class (9 at the top), x = predicted class",
                   axis, axis, M);
  enum { TOP = 5 };
  for (int t = 0; t < TOP; t++) {
    size_t i, j;
    gsl_matrix_max_index(M, &i, &j);
    const double v = gsl_matrix_get(M, i, j);
    if (v <= 0)
      break;
    gsl_vector_const_view row = gsl_matrix_const_row(C, i);
    double n_i = 0;
    for (int k = 0; k < K; k++)
      n_i += gsl_vector_get(&row.vector, k);
    lesson_printf(L, "  %s taken for %s: %.0f of %.0f\n", class_names[i],
                  class_names[j], v, n_i);
    gsl_matrix_set(M, i, j, 0);
  }

  /// On Fashion-MNIST the upper bodies are the hard part: **shirts**,
  /// **T-shirts**, **pullovers** and **coats** share a shape, and at 28×28
  /// pixels a collar or a button placket is a few grey dots. Trousers
  /// and bags are seldom wrong. The shoes are wrong more often than one
  /// might think, but they are taken for each other (sandal, sneaker,
  /// ankle boot), almost never for clothes. A better model for this data
  /// looks at neighbouring pixels together: a convolutional network.
  LESSON_PROSE(L);
  gsl_vector_free(axis);
  gsl_matrix_free(M);
  gsl_matrix_free(C);
  gsl_vector_free(truth);
  gsl_vector_free(predicted);
  workspace_free(&we);
}

/* ===== 7. The first layer ===== */

/// ## 7. What the first layer learned
///
/// Each unit of the first hidden layer computes w·x + b over the 784
/// pixels: its weight vector w is itself a 28×28 picture, a **template**
/// the unit matches the image against. Drawn as images (figure
/// `first-layer-weights`: red for positive weights, blue for negative,
/// each picture scaled by its largest |w|), the weights look like noise
/// at first sight: they started as random numbers, and a few epochs of
/// small steps move them less than the start's spread. Subtract the
/// starting weights and what training wrote into them shows (the bottom
/// row): outlines of clothes, bright where the images of some classes
/// have ink and dark where those of others do. Where no image has ink,
/// the pixel is 0, the weight's gradient x_i·δ is 0 too, and the weight
/// keeps its start. What the first two units learnt, as text (`#` `+`
/// positive, `=` `-` negative):

/* Print N signed pictures (values in [-1, 1]) side by side, like
 * ascii_pictures() but with '#' and '+' for large and small positive
 * values, '=' and '-' for negative ones and a blank near 0. */
static void
ascii_signed_pictures(lesson *L, const double *const *pics, const char *const *captions,
                      size_t n, size_t rows, size_t cols)
{
  for (size_t k = 0; k < n; k++)
    lesson_printf(L, "%s%s", k + 1 < n ? lesson_pad(L, captions[k], (int) cols + 2)
                  : captions[k], k + 1 < n ? "" : "\n");
  for (size_t r = 0; r < rows; r += 2) {
    char line[512];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
      for (size_t c = 0; c < cols && m + 4 < sizeof line; c++) {
        double v = pics[k][r * cols + c];
        if (r + 1 < rows)  /* the two rows' mean */
          v = (v + pics[k][(r + 1) * cols + c]) / 2;
        line[m++] = v >= 0.5 ? '#' : v >= 0.2 ? '+' : v <= -0.5 ? '=' : v <= -0.2 ? '-' : ' ';
      }
      if (k + 1 < n && m + 4 < sizeof line) {
        line[m++] = ' ';
        line[m++] = ' ';
      }
    }
    while (m > 0 && line[m - 1] == ' ')
      m--;
    line[m] = '\0';
    lesson_printf(L, "  %s\n", line);
  }
}

/* Row U of W scaled by its largest |entry| (minus row U of W0 when W0 is
 * not NULL), into PIC (W->size2 values in [-1, 1]). */
static void
unit_picture(const gsl_matrix *W, const gsl_matrix *W0, size_t u, double *pic)
{
  double big = 0;
  for (size_t i = 0; i < W->size2; i++) {
    pic[i] = gsl_matrix_get(W, u, i) - (W0 != NULL ? gsl_matrix_get(W0, u, i) : 0);
    big = GSL_MAX(big, fabs(pic[i]));
  }
  for (size_t i = 0; i < W->size2; i++)
    pic[i] = big > 0 ? pic[i] / big : 0;
}

static void
first_layer(lesson *L)
{
  LESSON_PROSE(L);
  const size_t rows = train_set->rows, cols = train_set->cols, d = rows * cols;
  const gsl_matrix *W = nn_network_W(net, 0);
  const size_t n = GSL_MIN(WEIGHT_UNITS, W->size1);
  double *store = malloc(2 * n * d * sizeof *store);
  const double *pics[2 * WEIGHT_UNITS] = {0};
  const char *captions[2 * WEIGHT_UNITS];
  char caption_text[2 * WEIGHT_UNITS][32];
  for (size_t u = 0; u < n; u++) {  /* the weights, then what training changed */
    unit_picture(W, NULL, u, store + u * d);
    unit_picture(W, W_start, u, store + (n + u) * d);
    pics[u] = store + u * d;
    pics[n + u] = store + (n + u) * d;
    snprintf(caption_text[u], sizeof caption_text[u], "unit %zu", u + 1);
    snprintf(caption_text[n + u], sizeof caption_text[n + u], "unit %zu, change", u + 1);
    captions[u] = caption_text[u];
    captions[n + u] = caption_text[n + u];
  }
  const double *change[2] = {pics[n], n > 1 ? pics[n + 1] : NULL};
  ascii_signed_pictures(L, change, captions + n, GSL_MIN(2, n), rows, cols);
  picture_grid_figure(L, "first-layer-weights", "First-layer weights as 28×28 images "
                      "(top) and their change in training (bottom)", pics, captions,
                      2 * n, rows, cols, n, "defined (-1 '#2166ac', 0 '#ffffff', "
                      "1 '#b2182b')", -1, 1, 0);
  free(store);
  lesson_try(L, "predict how these pictures change with more training, then run "
             "`make lecture11 ARGS='--epochs 20'` and compare figure "
             "`first-layer-weights`.");
}

/* ===== 8. PyTorch ===== */

/// ## 8. The same network in PyTorch
///
/// The library is the reference of this course, and a reference needs
/// one of its own. `lectures/lecture11-torch.py` trains the same network
/// in PyTorch, in float64 as here: the same images (read from the same
/// IDX files, the same subset, pixels scaled the same way), the same
/// layers and initialization (He for the ReLU layers, Glorot for the last,
/// biases 0), the same optimizer, rate, batch size and number of epochs.
/// Only the random numbers differ (the starting weights, the shuffles), so
/// the two accuracies agree to about a percent, not to the digit.

/* Run PYTHON (a path, or a name looked up in PATH) with ARGV (argv[0] is
 * replaced), its standard output into OUT (SIZE bytes, NUL-terminated),
 * its standard error left on ours (the script's progress). Returns its
 * exit status: 127 when it cannot be run. */
static int
run_python(const char *python, char **argv, char *out, size_t size)
{
  int fd[2];
  out[0] = '\0';
  if (pipe(fd) != 0)
    return 126;
  argv[0] = (char *) python;
  fflush(NULL);
  const pid_t pid = fork();
  if (pid == 0) {  /* the child: its standard output into the pipe */
    close(fd[0]);
    if (dup2(fd[1], STDOUT_FILENO) < 0)
      _exit(126);
    close(fd[1]);
    execvp(python, argv);
    _exit(errno == ENOENT ? 127 : 126);
  }
  close(fd[1]);
  if (pid < 0) {
    close(fd[0]);
    return 126;
  }
  size_t n = 0;
  ssize_t got;
  while ((got = read(fd[0], out + n, size - 1 - n)) > 0 || (got < 0 && errno == EINTR))
    if (got > 0)
      n += (size_t) got;
  out[n] = '\0';
  close(fd[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return 126;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run the PyTorch script with this run's knobs; its test accuracy into
 * *ACC. The interpreter is $NN_PYTHON when set, else the first of python3
 * (on PATH) and /usr/bin/python3 (Debian's, which python3-torch extends)
 * that has torch. Returns 1 when it ran, else 0 after saying why in the
 * lesson. */
static int
run_torch(lesson *L, const char *optim_name, double *acc)
{
  char s_train[32], s_test[32], s_epochs[32], s_batch[32], s_lr[40], s_seed[32];
  snprintf(s_train, sizeof s_train, "%zu", train_set->n);
  snprintf(s_test, sizeof s_test, "%zu", test_set->n);
  snprintf(s_epochs, sizeof s_epochs, "%d", epochs);
  snprintf(s_batch, sizeof s_batch, "%d", batch);
  snprintf(s_lr, sizeof s_lr, "%.17g", lr);
  snprintf(s_seed, sizeof s_seed, "%lu", L->seed);
  char *argv[] = {NULL, LECTURE11_TORCH_SCRIPT, "--data", (char *) data_dir,
                  "--train", s_train, "--test", s_test, "--epochs", s_epochs,
                  "--batch", s_batch, "--optimizer", (char *) optim_name,
                  "--lr", s_lr, "--hidden", (char *) hidden, "--seed", s_seed, NULL};
  const char *env = getenv("NN_PYTHON");
  const char *pythons[2] = {"python3", "/usr/bin/python3"};
  size_t n_pythons = 2;
  if (env != NULL && env[0] != '\0') {
    pythons[0] = env;
    n_pythons = 1;
  }
  char out[4096];
  int code = 127;
  const char *python = pythons[0];
  for (size_t k = 0; k < n_pythons; k++) {
    int c = run_python(pythons[k], argv, out, sizeof out);
    if (c == 127 && code != 127)
      continue;  /* keep what the python found before said */
    code = c;
    python = pythons[k];
    if (code != 127 && code != 3)
      break;  /* it ran: torch was there */
  }
  if (code == 127) {
    lesson_printf(L, "PyTorch: %s cannot be run: install the Debian package "
                  "python3-torch, which brings python3; the comparison is left out.\n",
                  python);
    return 0;
  }
  if (code == 3) {
    lesson_printf(L, "PyTorch: %s has no torch module: install the Debian package "
                  "python3-torch; the comparison is left out.\n", python);
    return 0;
  }
  const char *line = strstr(out, "test accuracy ");
  if (code != 0 || line == NULL || sscanf(line, "test accuracy %lf", acc) != 1) {
    lesson_printf(L, "PyTorch: %s %s failed (exit status %d, see its messages above); "
                  "the comparison is left out.\n", python, LECTURE11_TORCH_SCRIPT, code);
    return 0;
  }
  return 1;
}

static void
pytorch(lesson *L)
{
  LESSON_PROSE(L);
  const char *optim_name = optimizer_name();
  if (!torch) {
    lesson_printf(L, "(not run: `make lecture11 ARGS='--full --torch'` trains both on\n"
                  "the whole set and prints both test accuracies; --torch works with\n"
                  "any other knobs too.)\n");
    return;
  }
  double torch_acc;
  if (!run_torch(L, optim_name, &torch_acc))
    return;
  lesson_printf(L, "test accuracy after %d epoch%s, %zu training and %zu test images, "
                "%s:\n", epochs, epochs == 1 ? "" : "s", train_set->n, test_set->n,
                optim_name);
  lesson_printf(L, "  this library: %s\n", lesson_numf(L, final_test_accuracy, 6));
  lesson_printf(L, "  PyTorch:      %s\n", lesson_numf(L, torch_acc, 6));
  lesson_printf(L, "  difference:   %s\n", lesson_numf(L, final_test_accuracy - torch_acc, 3));
}

/// ## What to remember
///
/// - An image file is a header and bytes; the reader checks the header
///   against the file, and the pixels stay bytes until a batch needs them.
/// - A network sees an image as a vector of 784 numbers in [0, 1].
/// - Ten classes: ten scores, softmax, cross-entropy against the one-hot
///   label; its gradient is (p - y)/B, and an untrained network starts
///   near ln 10.
/// - Accuracy is the share of argmaxes that are right; the confusion
///   matrix says which classes are mistaken for which, and its trace over
///   N is the accuracy.
/// - First-layer weights are pictures: templates the units match.
///
/// Next, lecture 12: sequences, where the input is not one vector but a
/// series of them.

static void
closing(lesson *L)
{
  LESSON_PROSE(L);
  lesson_questions(L,
                   "An IDX file of 100 images of 28×28 pixels: how many bytes long is "
                   "it, and what are its first four bytes?",
                   "A network outputs the same score for all ten classes: what is its "
                   "cross-entropy loss, whatever the label?",
                   "The confusion matrix of 1,000 images has 850 on its diagonal: what "
                   "is the accuracy, and what do the rows sum to?");
}
